import { z } from 'zod'
import { dateInput, optionalDateInput, timeInput } from '../../platform/http/dates.ts'
import { asLines, asList, optional } from '../../platform/http/fields.ts'
import { prisonNumber } from '../people/schema.ts'
import { ENTITY_TYPES } from './entities.ts'
import {
  GRADING_SCHEMES,
  MAX_REPORT_LENGTH,
  NOMINAL_ROLES,
  PURPOSES,
  parseReportRef,
  RECIPIENT_TYPES,
  REPORT_COMPARTMENTS,
  REPORT_REF_PATTERN,
  SOURCE_TYPES,
  STATUSES,
  THREAT_AREAS,
  WORKFLOW_ACTIONS,
} from './rules.ts'

/** A report's reference, as people type it: any case, spaced or dashed; old numbered ones stay references. */
export const reportReference = z
  .string()
  .trim()
  .toUpperCase()
  .overwrite(typed => parseReportRef(typed) ?? typed)
  .regex(REPORT_REF_PATTERN, 'Enter a report reference like IR-MDI-2026-K7QX4M')

/** A date and time as a form sends it (YYYY-MM-DDTHH:MM, Europe/London) or as the API sends it (ISO 8601). */
const occurredAt = z
  .string({ error: 'Enter when it happened' })
  .trim()
  .min(1, 'Enter when it happened')
  .refine(
    value => !Number.isNaN(Date.parse(value)),
    'Enter when it happened as a real date and time, like 2026-11-23T14:30',
  )

export const nominalReference = z.union([
  z.object({ prisonerNumber: prisonNumber }),
  z.object({
    name: z.string().trim().min(2, 'Enter the person’s name').max(100, 'Names must be 100 characters or fewer'),
  }),
])

export const submitSchema = z.object({
  text: z
    .string({ error: 'Enter what you know' })
    .trim()
    .min(1, 'Enter what you know')
    .max(
      MAX_REPORT_LENGTH,
      `What you know must be ${MAX_REPORT_LENGTH.toLocaleString('en-GB')} characters or fewer: submit a second report for the rest`,
    ),
  occurredAt,
  location: optional(z.string().trim().max(200, 'Where it happened must be 200 characters or fewer')),
  sourceType: z.enum(SOURCE_TYPES, { error: 'Select how you know this' }),
  threatAreas: z.preprocess(
    asList,
    z
      .array(z.enum(THREAT_AREAS, { error: 'Select threat areas from the list' }))
      .min(1, 'Select what the intelligence is about'),
  ),
  urgent: z.preprocess(value => value === true || value === 'true' || value === 'yes', z.boolean()).default(false),
  nominals: z.array(nominalReference).max(50, 'Name at most 50 people in one report').default([]),
})
export type SubmitInput = z.output<typeof submitSchema>

/** "14:30" on "2026-11-23", typed on the report page, is a time in Europe/London: the instant, ISO 8601. */
export function londonLocalToIso(date: string, time: string): string {
  const guess = new Date(`${date}T${time}:00Z`)
  const inLondon = new Date(guess.toLocaleString('en-US', { timeZone: 'Europe/London' }))
  const inUtc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }))
  return new Date(guess.getTime() - (inLondon.getTime() - inUtc.getTime())).toISOString()
}

/**
 * The report page: the date as a GOV.UK date input and the time on the 24-hour clock, each with its own error, in
 * the order of the form; "Is it urgent?" with no answer chosen for the reporter (the API keeps its default).
 */
export const submitPageSchema = z
  .object({
    text: submitSchema.shape.text,
    occurredDate: dateInput('the date it happened'),
    occurredTime: timeInput('the time it happened'),
    location: submitSchema.shape.location,
    sourceType: submitSchema.shape.sourceType,
    threatAreas: submitSchema.shape.threatAreas,
    urgent: z.enum(['yes', 'no'], { error: 'Select yes if it is urgent' }).transform(answer => answer === 'yes'),
    nominals: submitSchema.shape.nominals,
  })
  .transform(({ occurredDate, occurredTime, ...report }) => ({
    ...report,
    occurredAt: londonLocalToIso(occurredDate, occurredTime),
  }))

/** The page's own fields: picked prisoners and typed names, one per line. */
export const submitFormSchema = z.object({
  prisonNumbers: z.preprocess(
    value =>
      asList(value)
        .flatMap(v => String(v).split(/[\s,]+/))
        .filter(Boolean),
    z.array(z.string()),
  ),
  names: z.preprocess(asLines, z.array(z.string())),
  submissionKey: z.string().trim().min(8).max(100),
})

export const gradingSchema = z.discriminatedUnion(
  'scheme',
  [
    z.object({
      scheme: z.literal('3x5x2'),
      source: z.enum(['1', '2', '3'], { error: 'Select a source grade from the 3x5x2 scale' }),
      intelligence: z.enum(['A', 'B', 'C', 'D', 'E'], { error: 'Select an intelligence grade from the 3x5x2 scale' }),
      handling: z.enum(['P', 'C'], { error: 'Select a handling code from the 3x5x2 scale' }),
      conditions: optional(z.string().trim().max(1000, 'Conditions must be 1,000 characters or fewer')),
    }),
    z.object({
      scheme: z.literal('5x5x5'),
      source: z.enum(['A', 'B', 'C', 'D', 'E'], { error: 'Select a source grade from the 5x5x5 scale' }),
      intelligence: z.enum(['1', '2', '3', '4', '5'], { error: 'Select an intelligence grade from the 5x5x5 scale' }),
      handling: z.enum(['1', '2', '3', '4', '5'], { error: 'Select a handling code from the 5x5x5 scale' }),
      conditions: optional(z.string().trim().max(1000)),
    }),
  ],
  { error: 'Select a grading scheme: 3x5x2 or 5x5x5' },
)
export type GradingInput = z.output<typeof gradingSchema>

export const sanitiseSchema = z.object({
  sanitisedText: z
    .string({ error: 'Enter the sanitised text' })
    .trim()
    .min(1, 'Enter the sanitised text')
    .max(
      MAX_REPORT_LENGTH,
      `The sanitised text must be ${MAX_REPORT_LENGTH.toLocaleString('en-GB')} characters or fewer`,
    ),
})

export const closeSchema = z.object({
  action: z.enum(['no-further-action', 'link-to-existing'], { error: 'Select what to do with the report' }),
  note: z
    .string({ error: 'Enter the reason' })
    .trim()
    .min(1, 'Enter the reason')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
  linkedToRef: optional(reportReference),
})
export type CloseInput = z.output<typeof closeSchema>

/** A triage decision that the report is need-to-know: the compartment, and why. */
export const restrictSchema = z.object({
  compartment: z.enum(REPORT_COMPARTMENTS, { error: 'Select who needs to know' }),
  reason: z
    .string({ error: 'Enter why only they need to know' })
    .trim()
    .min(1, 'Enter why only they need to know')
    .max(2000, 'The reason must be 2,000 characters or fewer'),
})
export type RestrictInput = z.output<typeof restrictSchema>

/** A workflow action by its name in rules.ts, with the reason where the action needs one. */
export const workflowActionSchema = z.object({
  action: z.enum(WORKFLOW_ACTIONS, { error: `Select an action: ${WORKFLOW_ACTIONS.join(', ')}` }),
  note: optional(z.string().trim().max(2000, 'The reason must be 2,000 characters or fewer')),
  linkedToRef: optional(reportReference),
})
export type WorkflowActionInput = z.output<typeof workflowActionSchema>

export const linksSchema = z.object({
  nominals: z
    .array(
      z.object({
        prisonerNumber: prisonNumber,
        role: z.enum(NOMINAL_ROLES, { error: 'Select subject, associate or mentioned' }),
      }),
    )
    .max(50)
    .optional(),
  entities: z
    .array(
      z.object({
        type: z.enum(ENTITY_TYPES, { error: 'Select a type of entity from the list' }),
        value: z.string().trim().min(1, 'Enter the value').max(200),
      }),
    )
    .max(100)
    .optional(),
})
export type LinksInput = z.output<typeof linksSchema>

export const nominalLinkFormSchema = z.object({
  ref: z
    .string({ error: 'Enter a prison number or reference' })
    .trim()
    .toUpperCase()
    .min(1, 'Enter a prison number or reference')
    .max(20),
  role: z.enum(NOMINAL_ROLES, { error: 'Select subject, associate or mentioned' }),
})

export const entityDecisionSchema = z.object({
  entityId: z.coerce.number().int().positive(),
  decision: z.enum(['accepted', 'rejected'], { error: 'Select accept or reject' }),
})

export const disseminationSchema = z.object({
  recipientType: z.enum(RECIPIENT_TYPES, { error: 'Select who receives it' }),
  recipientName: z
    .string({ error: 'Enter the recipient’s name' })
    .trim()
    .min(1, 'Enter the recipient’s name')
    .max(200, 'Recipient must be 200 characters or fewer'),
  purpose: z.enum(PURPOSES, { error: 'Select the lawful purpose of the disclosure' }),
  conditionsMet: z
    .preprocess(value => value === true || value === 'true' || value === 'yes', z.boolean())
    .default(false),
  overrideReason: optional(z.string().trim().max(2000, 'The override reason must be 2,000 characters or fewer')),
})
export type DisseminationInput = z.output<typeof disseminationSchema>

export const searchSchema = z.object({
  q: optional(z.string().trim().max(200, 'Search for 200 characters or fewer')),
  establishment: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Select an establishment from the list'),
  ),
  from: optionalDateInput('the from date'),
  to: optionalDateInput('the to date'),
  threatArea: optional(z.enum(THREAT_AREAS, { error: 'Select a threat area from the list' })),
  status: optional(z.enum(STATUSES, { error: 'Select a status from the list' })),
  grading: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[1-3A-E](\/[A-E1-5])?$/, 'Enter a grade like 1/A or B/2'),
  ),
  nominal: optional(z.string().trim().toUpperCase().max(20)),
  entity: optional(z.string().trim().max(200)),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
})

export const doNotLinkSchema = z.object({
  type: z.enum(ENTITY_TYPES, { error: 'Select a type from the list' }),
  value: z.string({ error: 'Enter the value' }).trim().min(1, 'Enter the value').max(200),
  reason: z
    .string({ error: 'Enter why it must not be linked, like “Samaritans helpline”' })
    .trim()
    .min(1, 'Enter why it must not be linked, like “Samaritans helpline”')
    .max(200),
})

export const settingSchema = z.object({
  gradingScheme: z.enum(GRADING_SCHEMES, { error: 'Select a grading scheme' }),
})
