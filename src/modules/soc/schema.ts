import { z } from 'zod'
import { dateInput } from '../../platform/http/dates.ts'
import { asLines, asList, optional } from '../../platform/http/fields.ts'
import { prisonNumber } from '../people/schema.ts'
import {
  BANDING_CRITERIA,
  CHARACTERISTICS,
  DECISIONS,
  DISRUPTION_IMPACTS,
  MODERATION_DECISIONS,
  NOMINATED_BY,
  TACTICS,
  TRIGGER_CODES,
} from './rules.ts'

const text = (label: string, max = 5000) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(max, `The ${label} must be ${max.toLocaleString('en-GB')} characters or fewer`)

export const nominationSchema = z.object({
  prisonerNumber: prisonNumber,
  nominatedByType: z.enum(NOMINATED_BY, { error: 'Select who is nominating' }),
  nominatorName: text('name of the person or team nominating', 200),
  rationale: text('rationale for the nomination'),
  criteria: z
    .preprocess(
      asList,
      z.array(
        z.enum(BANDING_CRITERIA.map(c => c.code) as [string, ...string[]], { error: 'Select criteria from the list' }),
      ),
    )
    .default([]),
})

export const meetingSchema = z.object({
  kind: z.enum(['cohort-selection', 'case-management', 'band-2-review'], { error: 'Select the kind of meeting' }),
  heldOn: dateInput('the date of the meeting'),
  attendees: z.preprocess(asLines, z.array(z.string().max(200)).min(2, 'Enter at least two attendees, one per line')),
  notes: optional(z.string().trim().max(10_000)),
  establishmentCode: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Select a prison'),
  ),
})

export const decisionSchema = z.object({
  prisonerNumber: prisonNumber,
  decision: z.enum(DECISIONS, { error: 'Select the decision' }),
  reason: optional(z.string().trim().max(5000)),
})

export const reviewSchema = z.object({
  reviewedOn: dateInput('the date of the review'),
  outcome: z.enum(['remain', 'change-band', 'de-select'], { error: 'Select the outcome of the review' }),
  notes: optional(z.string().trim().max(5000)),
})

export const actionSchema = z.object({
  description: text('action', 2000),
  owner: text('owner', 200),
  dueDate: dateInput('the due date'),
  tactic: z.enum(TACTICS, { error: 'Select the tactic' }),
})

export const actionStatusSchema = z.object({
  status: z.enum(['open', 'done', 'cancelled'], { error: 'Select a status' }),
})

export const triggerSchema = z.object({
  code: z.enum(TRIGGER_CODES as [string, ...string[]], { error: 'Select the trigger point' }),
  occurredOn: dateInput('the date it happened'),
  details: text('details', 2000),
})

export const disruptionSchema = z.object({
  prisonerNumber: optional(prisonNumber),
  groupRef: optional(z.string().trim().max(50)),
  occurredOn: dateInput('the date of the disruption'),
  what: text('description of what was done', 5000),
  impact: z.enum(DISRUPTION_IMPACTS, { error: 'Select the impact: major, moderate or minor' }),
})

export const moderationSchema = z.object({
  moderation: z.enum(MODERATION_DECISIONS.filter(m => m !== 'pending') as [string, ...string[]], {
    error: 'Select the panel’s decision',
  }),
  moderatedImpact: optional(z.enum(DISRUPTION_IMPACTS)),
  notes: optional(z.string().trim().max(5000)),
})

export const dipSampleSchema = z.object({
  scope: z.string({ error: 'Select the prison or region' }).trim().min(1, 'Select the prison or region').max(100),
  characteristic: z.enum(CHARACTERISTICS, { error: 'Select a protected characteristic' }),
  correctiveAction: optional(z.string().trim().max(5000)),
})

export const visitSchema = z.object({
  establishmentCode: z
    .string({ error: 'Select the prison' })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Select the prison'),
  visitedOn: dateInput('the date of the visit'),
  findings: text('findings', 10_000),
})

export const resolveSchema = z.object({ prisonerNumber: prisonNumber })

export const milestoneSchema = z.object({
  milestone: z.enum(['community-notified', 'community-plan-agreed'], { error: 'Select what was done' }),
  on: dateInput('the date it was done'),
})

export const personParams = z.object({ prisonerNumber: prisonNumber })
export const refParams = z.object({ ref: z.string().trim().toUpperCase().max(30) })
export const numberedParams = z.object({ id: z.coerce.number().int().positive() })
export const actionParams = personParams.extend({ id: z.coerce.number().int().positive() })
export const disruptionParams = z.object({ id: z.uuid() })

/** The OCGM mapping sent as JSON: the CSV file's name and its text, read exactly as an uploaded file is. */
export const ocgmImportSchema = z.object({
  fileName: z.string({ error: 'Enter the name of the file' }).trim().min(1, 'Enter the name of the file').max(200),
  csv: z
    .string({ error: 'Give the OCGM mapping as CSV text' })
    .min(1, 'Give the OCGM mapping as CSV text')
    .max(20_000_000, 'The mapping must be 20 MB or smaller'),
})

/** A dip sample looked at before it is recorded: either field may be missing until the form is sent. */
export const dipSampleQuery = z.object({
  scope: z.string().optional(),
  characteristic: z.string().optional(),
})
