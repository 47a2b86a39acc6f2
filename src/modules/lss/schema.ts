import { z } from 'zod'
import { dateInput, optionalDateInput } from '../../platform/http/dates.ts'
import { asLines, asList, optional } from '../../platform/http/fields.ts'
import {
  ADDITIONAL_CHECKS,
  ASSURANCE_LEVELS,
  COMPONENTS,
  EVIDENCE_SOURCES,
  RELATES_TO,
  RISK_AREAS,
  THREAT_AREAS,
} from './rules.ts'

const yes = (value: unknown) => value === true || value === 'true' || value === 'yes'

const longText = (label: string, max = 20_000) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(max, `The ${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)

/** The fields of the local instruction template (LSS PF 4.8). */
export const instructionTextSchema = z.object({
  aimAndPurpose: longText('aim and purpose', 5000),
  nationalReference: longText('national reference', 500),
  localReference: longText('local reference', 500),
  procedures: longText('local system procedures and requirements'),
})

export const instructionSchema = instructionTextSchema.extend({
  riskArea: z.enum(RISK_AREAS, { error: 'Select the risk area' }),
  title: longText('title', 200),
  owner: longText('owner (the functional head responsible)', 200),
  nationalPolicyUrl: optional(z.url({ protocol: /^https?$/, error: 'Enter a full web address starting https://' })),
  reviewDue: optionalDateInput('the date the review is due'),
  supportingTools: z
    .preprocess(asLines, z.array(z.union([z.string(), z.object({ title: z.string(), url: z.string() })])))
    .transform((items, ctx) => {
      const tools = items.map(item => (typeof item === 'string' ? parseTool(item) : item))
      tools.forEach((tool, index) => {
        if (!tool.title.trim() || tool.title.length > 200 || !/^https?:\/\/\S+$/.test(tool.url)) {
          ctx.addIssue({
            code: 'custom',
            message: `Supporting tool ${index + 1}: write “Title | https://…”, with a title and a full web address`,
          })
        }
      })
      return tools
    })
    .default([]),
})

/** "Title | https://…" per line on the form. */
function parseTool(line: string) {
  const [title, url] = line.includes('|') ? line.split('|').map(part => part.trim()) : [line, line]
  return { title, url }
}

export const amendmentSchema = instructionTextSchema.extend({
  instructionId: z.uuid({ error: 'Select the instruction to amend' }),
  change: longText('change, in a sentence or two', 2000),
  reasoning: longText('reasoning for the change', 5000),
  relatesTo: z.enum(RELATES_TO, { error: 'Say whether it relates to Category A or Restricted Status prisoners' }),
  pgdAgreement: z.preprocess(yes, z.boolean()).optional(),
})

export const reviseSchema = instructionTextSchema.extend({
  seenVersion: z.coerce.number().int().positive().optional(),
})

export const decisionSchema = z.object({
  decision: z.enum(['approve', 'reject'], { error: 'Select approve or reject' }),
  reason: optional(z.string().trim().max(5000, 'The reason must be 5,000 characters or fewer')),
  seenVersion: z.coerce.number().int().positive().optional(),
})

export const logQuery = z.object({
  establishment: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Select an establishment'),
  ),
  status: optional(
    z.enum(['awaiting-governor', 'awaiting-pgd', 'awaiting-ed-security', 'approved', 'rejected', 'withdrawn'], {
      error: 'Select a status from the list',
    }),
  ),
  relatesTo: optional(z.enum(RELATES_TO, { error: 'Select from the list' })),
  from: optionalDateInput('the “proposed from” date'),
  to: optionalDateInput('the “proposed to” date'),
  format: optional(z.enum(['csv'])),
})

export const startAssessmentSchema = z.object({
  reason: z.enum(['annual', 'significant-change'], { error: 'Select why the assessment is being done' }),
  reasonNote: optional(z.string().trim().max(2000)),
})

export const findingSchema = z.object({
  threatArea: z.enum(THREAT_AREAS as [string, ...string[]], { error: 'Select the threat area' }),
  component: z.enum(COMPONENTS, { error: 'Select the component' }),
  finding: z.enum(['strength', 'vulnerability'], { error: 'Select strength or vulnerability' }),
  text: longText('finding', 5000),
  evidence: z
    .preprocess(asList, z.array(z.enum(EVIDENCE_SOURCES, { error: 'Select evidence from the list' })))
    .default([]),
})

export const evidenceSchema = z.object({
  source: z.enum(EVIDENCE_SOURCES, { error: 'Select the source of the evidence' }),
  title: longText('document title', 200),
  link: optional(z.url({ protocol: /^https?$/, error: 'Enter a full web address starting https://' })),
})

export const contributorSchema = z.object({
  name: longText('contributor’s name', 100),
  department: longText('department', 100),
})

export const actionSchema = z.object({
  description: longText('action', 2000),
  owner: longText('owner', 100),
  dueDate: dateInput('the due date'),
})

export const completeSchema = z.object({ summary: longText('summary of the assessment', 10_000) })

export const significantChangeSchema = z.object({
  recordedOn: dateInput('the date of the change'),
  description: longText('description of the change in risk', 2000),
})

export const statementSchema = z.object({
  establishmentCode: z
    .string({ error: 'Select the establishment' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Select the establishment'),
  levelOfAssurance: z.enum(ASSURANCE_LEVELS, { error: 'Select the level of assurance' }),
  additionalChecks: z
    .preprocess(asList, z.array(z.enum(ADDITIONAL_CHECKS, { error: 'Select checks from the list' })))
    .default([]),
})

export const signSchema = z.object({ role: z.enum(['governor', 'pgd'], { error: 'Select the role you sign in' }) })

// ---- Addresses and the forms and API bodies that carry no template text ----

export const idParams = z.object({ id: z.uuid({ error: 'Not found' }) })
export const refParams = z.object({ ref: z.string().trim().toUpperCase().max(40) })

/** Which establishment's LSS to show: the user's own unless a valid code is given. */
export const establishmentQuery = z.object({
  establishment: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
})

/** Two versions of an instruction to compare; nonsense is ignored. */
export const compareQuery = z.object({
  from: z.coerce.number().int().positive().optional().catch(undefined),
  to: z.coerce.number().int().positive().optional().catch(undefined),
})

/** The settings page has two forms: the editor form always sends "editor", the PGD form never does. */
export const settingsForm = z.object({
  editor: z.string().optional(),
  pgdRequired: z.string().optional(),
})

export const acknowledgeSchema = z.object({
  version: z.number({ error: 'Give the version you read as a whole number' }).int().positive().optional(),
})

export const withdrawSchema = z.object({
  seenVersion: z.number({ error: 'Give the version you read as a whole number' }).int().positive().optional(),
})

export const pgdRequiredSchema = z.object({
  pgdRequired: z.boolean({ error: 'Say whether every amendment needs the PGD: true or false' }),
})

export const editorSchema = z.object({
  editor: z
    .string({ error: 'Enter the username of the person to nominate' })
    .trim()
    .min(1, 'Enter the username of the person to nominate')
    .max(100, 'The username must be 100 characters or fewer'),
})

/** What an assessment gathers, each from its own form: the path it posts to, its schema and its kind. */
export const ASSESSMENT_ADDITIONS = {
  findings: { schema: findingSchema, kind: 'finding' },
  evidence: { schema: evidenceSchema, kind: 'evidence' },
  contributors: { schema: contributorSchema, kind: 'contributor' },
  actions: { schema: actionSchema, kind: 'action' },
} as const
