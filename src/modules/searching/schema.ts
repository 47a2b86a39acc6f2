import { z } from 'zod'
import { dateInput, optionalDateInput, timeInput } from '../../platform/http/dates.ts'
import { asList, blank, optional, requiredText } from '../../platform/http/fields.ts'
import { parseReference, referencePattern } from '../../platform/reference/codes.ts'
import { londonLocalToIso, reportReference } from '../intelligence/schema.ts'
import { PRISON_NUMBER } from '../people/rules.ts'
import { dateOfBirth, prisonNumber, today } from '../people/schema.ts'
import {
  CUSTODY_EVENT_KINDS,
  DISPOSAL_METHODS,
  EXHIBIT_STATES,
  FIND_CATEGORIES,
  FIND_HOW,
  ITEM_PERMISSION_STATES,
  PRISONER_OUTCOMES,
  SEARCH_METHODS,
  SEARCH_REASONS,
  SEARCH_RESULTS,
  SEARCH_TARGETS,
  VISIT_MEASURE_OUTCOMES,
  VISIT_MEASURES,
} from './rules.ts'

// Input schemas of searching, finds and evidence, one section per part of the module. Messages say what to do.

/** Which prison's records to show: the user's own unless they choose another in their scope. */
export const establishmentQuery = z.object({
  establishment: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
})

export const idParams = z.object({ id: z.uuid({ error: 'Not found' }) })

// ---- The search programme and searches ----

const searchNotes = (what: string, max: number) =>
  optional(
    z
      .string()
      .trim()
      .max(max, `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`),
  )

const establishmentCode = optional(
  z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Select a prison from the list'),
)

/** A requirement of the search programme (output 9): what, where, how, and how often. */
export const requirementSchema = z.object({
  target: z.enum(SEARCH_TARGETS, { error: 'Select what is to be searched' }),
  location: requiredText('where the searches are done', 100),
  method: z.enum(SEARCH_METHODS, { error: 'Select how it is to be searched' }),
  everyDays: z.preprocess(
    blank,
    z.coerce
      .number({ error: 'Enter how often, in days, like 28' })
      .int('Enter how often as a whole number of days, like 28')
      .min(1, 'How often must be at least every day (1)')
      .max(366, 'How often must be at most once a year (366 days)'),
  ),
  startsOn: dateInput('the date the requirement starts'),
  notes: searchNotes('Notes', 1000),
})
export type RequirementInput = z.output<typeof requirementSchema>

/** A search as the API records it (issue 14): `type` is what was searched. */
export const searchSchema = z.object({
  type: z.enum(SEARCH_TARGETS, { error: 'Select what was searched' }),
  location: requiredText('where the search was done', 100),
  wing: searchNotes('The wing or area', 100),
  method: z.enum(SEARCH_METHODS, { error: 'Select how it was searched' }),
  reason: z.enum(SEARCH_REASONS, { error: 'Select why it was searched' }),
  requirementId: optional(z.uuid({ error: 'Select the requirement of the search programme it meets' })),
  reportRef: optional(reportReference),
  conductedAt: z.iso.datetime({
    offset: true,
    error: 'Enter when the search was done as a date and time, like 2026-11-23T14:30:00Z',
  }),
  officers: searchNotes('The other officers', 500),
  result: z.enum(SEARCH_RESULTS, { error: 'Select what the search found' }),
  notes: searchNotes('Notes', 2000),
})
export type SearchInput = z.output<typeof searchSchema>

/** The search page: the date as a GOV.UK date input (named for the instant, so errors about it point there). */
export const searchPageSchema = searchSchema
  .omit({ conductedAt: true })
  .extend({
    conductedAt: dateInput('the date of the search'),
    conductedTime: timeInput('the time the search started'),
  })
  .transform(({ conductedAt, conductedTime, ...search }) => ({
    ...search,
    conductedAt: londonLocalToIso(conductedAt, conductedTime),
  }))

/** Which searches to list; `due` asks for the programme's due and overdue requirements instead. */
export const searchesQuery = z.object({
  establishment: establishmentCode,
  due: optional(z.enum(['true', 'false'], { error: 'Enter true or false' })).transform(due => due === 'true'),
  type: optional(z.enum(SEARCH_TARGETS, { error: 'Select what was searched from the list' })),
  method: optional(z.enum(SEARCH_METHODS, { error: 'Select a method from the list' })),
  reason: optional(z.enum(SEARCH_REASONS, { error: 'Select a reason from the list' })),
  result: optional(z.enum(SEARCH_RESULTS, { error: 'Select a result from the list' })),
  wing: searchNotes('The wing or area', 100),
  from: optionalDateInput('the “searched from” date'),
  to: optionalDateInput('the “searched to” date'),
})
export type SearchesFilter = z.output<typeof searchesQuery>

/** The prison whose programme, searches or coverage to show, refused with a message when it is not a code. */
export const programmeQuery = z.object({ establishment: establishmentCode })

/** A search's reference in a path, as typed: whether it is one is for the database to say. */
export const searchParams = z.object({ ref: z.string().trim().toUpperCase().max(40) })

// ---- Finds ----

const findDescription = z
  .string({ error: 'Describe what was found' })
  .trim()
  .min(1, 'Describe what was found')
  .max(2000, 'The description must be 2,000 characters or fewer')
const findLocation = z
  .string({ error: 'Enter where it was found' })
  .trim()
  .min(1, 'Enter where it was found')
  .max(200, 'Where it was found must be 200 characters or fewer')
const findWing = optional(z.string().trim().max(60, 'The wing or area must be 60 characters or fewer'))
const foundBy = optional(z.string().trim().max(100, 'The name of who found it must be 100 characters or fewer'))

/** A search's reference, as people type it: any case, spaced or dashed. */
export const searchReference = z
  .string({ error: 'Enter a search reference like SR-MDI-2026-K7QX4M' })
  .trim()
  .overwrite(typed => parseReference('SR', typed) ?? typed)
  .regex(referencePattern('SR'), 'Enter a search reference like SR-MDI-2026-K7QX4M')

/** A find's reference in a path: anything else is not found. */
export const findRefParams = z.object({ ref: z.string().trim().toUpperCase().max(40) })

/** `POST /api/v1/finds` (issue 14): what was found, when and where, and who and what it is linked to. */
export const findSchema = z.object({
  category: z.enum(FIND_CATEGORIES, { error: 'Select what was found' }),
  description: findDescription,
  foundAt: z.iso.datetime({
    offset: true,
    error: 'Enter when it was found as an ISO 8601 date and time, like 2026-11-25T14:30:00Z',
  }),
  location: findLocation,
  wing: findWing,
  how: z.enum(FIND_HOW, { error: 'Select how it was found' }).optional(),
  foundBy,
  searchRef: optional(searchReference),
  people: z
    .array(z.object({ prisonerNumber: prisonNumber }), { error: 'Give the people as a list of { prisonerNumber }' })
    .max(20, 'Link at most 20 people to one find')
    .default([]),
  reportRefs: z
    .array(reportReference, { error: 'Give the report references as a list' })
    .max(20, 'Link at most 20 reports to one find')
    .default([]),
})
export type FindInput = z.output<typeof findSchema>

/** A list typed in one box ("A1234BC, G4821KT"): separated by commas, spaces or lines, blanks dropped. */
const typedList = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(/[\s,;]+/)
        .map(item => item.trim())
        .filter(Boolean)
    : asList(value)

/** A box of several values, each checked by `item`: one message for the box, as it is one field on the page. */
const typedListOf = <T extends z.ZodType<string>>(item: T, message: string) =>
  z.preprocess(
    typedList,
    z
      .array(z.string())
      .max(20, 'Give at most 20')
      .transform((values, context) => {
        const parsed = values.map(value => item.safeParse(value))
        if (parsed.some(result => !result.success)) {
          context.addIssue({ code: 'custom', message })
          return z.NEVER
        }
        return parsed.map(result => result.data as string)
      }),
  )

/**
 * The find page: the date as a GOV.UK date input and the time on the 24-hour clock, the wing chosen when the
 * location names none, and who found it: the person recording it unless they name another member of staff.
 */
export const findPageSchema = z
  .object({
    category: findSchema.shape.category,
    description: findDescription,
    foundAt: dateInput('the date it was found'),
    foundTime: timeInput('the time it was found'),
    location: findLocation,
    wing: findWing,
    how: z.enum(FIND_HOW, { error: 'Select how it was found' }),
    foundBy,
    searchRef: optional(searchReference),
    people: typedListOf(
      z.string().toUpperCase().regex(PRISON_NUMBER),
      'Enter prison numbers in the correct format, like A1234BC, separated by commas',
    ),
    reportRefs: typedListOf(reportReference, 'Enter report references like IR-MDI-2026-K7QX4M, separated by commas'),
  })
  .transform(({ foundAt, foundTime, people, ...find }) => ({
    ...find,
    foundAt: londonLocalToIso(foundAt, foundTime),
    people: [...new Set(people)].map(prisonerNumber => ({ prisonerNumber })),
  }))

/** The finds register's filters; the trends page's prison. */
export const findsQuery = z.object({
  category: optional(z.enum(FIND_CATEGORIES, { error: 'Select a category from the list' })),
  from: optionalDateInput('the date to show finds from'),
  to: optionalDateInput('the date to show finds to'),
  wing: findWing,
  establishment: establishmentQuery.shape.establishment,
})

/** What followed a find for a prisoner linked to it (output 13): adjudication, police referral or nothing more. */
export const findOutcomeSchema = z
  .object({
    prisonerNumber: prisonNumber,
    outcome: z.enum(PRISONER_OUTCOMES, { error: 'Select what followed' }),
    reference: optional(z.string().trim().max(60, 'The reference must be 60 characters or fewer')),
  })
  .superRefine((value, context) => {
    if (value.outcome !== 'no-further-action' && !value.reference) {
      const what = value.outcome === 'adjudication' ? 'adjudication' : 'police crime'
      context.addIssue({ code: 'custom', path: ['reference'], message: `Enter the ${what} reference` })
    }
  })
export type FindOutcomeInput = z.output<typeof findOutcomeSchema>

// ---- Exhibits and their chain ----

/** An exhibit's reference in a path, as typed: whether it is one is for the database to say. */
export const exhibitParams = z.object({ ref: z.string().trim().toUpperCase().max(40) })

const sentenceCase = (what: string) => what.charAt(0).toUpperCase() + what.slice(1)

const sealNumber = (what: string) =>
  requiredText(what, 40).regex(
    /^[A-Za-z0-9 /-]+$/,
    `${sentenceCase(what)} must be letters, numbers, spaces and hyphens`,
  )

/** Staff are chosen by name on a page and named by username in the API; the service checks they work there. */
const staffMember = (message: string) => z.string({ error: message }).trim().min(1, message).max(100, message)

/** Who gives or receives an exhibit: a member of staff (their username), the evidence store or the police. */
export const EVIDENCE_STORE = 'evidence-store'
export const POLICE = 'police'

/** An instant from the API, which must have happened already (a few minutes' grace for clocks that differ). */
const pastInstant = (what: string) =>
  z.iso
    .datetime({ offset: true, error: `Enter ${what} as a date and time, like 2026-11-23T14:30:00Z` })
    .refine(at => Date.parse(at) <= Date.now() + 5 * 60_000, `${sentenceCase(what)} must be in the past`)

/** A date box and a time box on a page, as one instant in the past named by the date's field. */
function pastDateAndTime<Shape extends z.ZodRawShape>(
  shape: Shape,
  fields: { date: string; time: string; what: string },
) {
  return z
    .object({
      ...shape,
      [fields.date]: dateInput(`the date ${fields.what}`),
      [fields.time]: timeInput(`the time ${fields.what}`),
    })
    .transform((form, context) => {
      const values = form as Record<string, unknown>
      const at = londonLocalToIso(String(values[fields.date]), String(values[fields.time]))
      if (Date.parse(at) > Date.now() + 5 * 60_000) {
        context.addIssue({
          code: 'custom',
          path: [fields.date],
          message: `The date ${fields.what} must be in the past`,
        })
        return z.NEVER
      }
      const { [fields.date]: _date, [fields.time]: _time, ...rest } = values
      return { ...rest, at } as z.output<z.ZodObject<Shape>> & { at: string }
    })
}

const findReference = z
  .string({ error: 'Enter the reference of the find' })
  .trim()
  .min(1, 'Enter the reference of the find')
  .transform((typed, context) => {
    const ref = parseReference('FD', typed)
    if (ref) return ref
    context.addIssue({ code: 'custom', message: 'Enter a find reference like FD-MDI-2026-K7QX4M' })
    return z.NEVER
  })

const exhibitFields = {
  findRef: findReference,
  sealNumber: sealNumber('the seal number'),
  storedAt: requiredText('where it is stored'),
}

export const exhibitSchema = z.object({
  ...exhibitFields,
  seizedBy: optional(staffMember('Choose who seized it')),
  seizedAt: optional(pastInstant('when it was seized')),
})
export type ExhibitInput = z.output<typeof exhibitSchema>

/** The page: who seized it chosen by name, and when on the date input and the 24-hour clock. */
export const exhibitPageSchema = pastDateAndTime(
  { ...exhibitFields, seizedBy: staffMember('Choose who seized it') },
  { date: 'seizedDate', time: 'seizedTime', what: 'it was seized' },
).transform(({ at, ...exhibit }) => ({ ...exhibit, seizedAt: at }))

const custodyFields = {
  from: optional(staffMember('Choose who gave it')),
  location: requiredText('where it happened'),
  reason: requiredText('why it moved', 500),
  witness: optional(staffMember('Choose who witnessed it')),
  officer: optional(requiredText('the police officer’s name', 100)),
  force: optional(requiredText('the police force', 100)),
  crimeReference: optional(requiredText('the crime reference', 50)),
}

export const custodyEventSchema = z.object({
  ...custodyFields,
  kind: z
    .enum(CUSTODY_EVENT_KINDS, { error: 'Choose what happened: transfer, reseal, police-handover or police-return' })
    .default('transfer'),
  to: staffMember('Choose who received it'),
  at: optional(pastInstant('when it happened')),
  sealIntact: z.boolean({ error: 'Say whether the seal was intact: true or false' }),
  sealNumber: optional(sealNumber('the new seal number')),
})
export type CustodyEventInput = z.output<typeof custodyEventSchema>

/**
 * The page: what happened as radios with nothing chosen; the new seal is read only for a re-seal and the police's
 * details only for a hand-over, whatever the other boxes hold; who received it may be left out when it is plain (the
 * police, or whoever re-sealed it).
 */
export const custodyEventPageSchema = pastDateAndTime(
  {
    ...custodyFields,
    kind: z.enum(CUSTODY_EVENT_KINDS, { error: 'Select what happened' }),
    to: optional(staffMember('Choose who received it')),
    sealIntact: z.enum(['yes', 'no'], { error: 'Select yes if the seal was intact' }),
    sealNumber: z.string().optional(),
  },
  { date: 'eventDate', time: 'eventTime', what: 'it happened' },
).transform(({ kind, sealIntact, sealNumber: typedSeal, officer, force, crimeReference, ...event }, context) => {
  const seal = kind === 'reseal' ? sealNumber('the new seal number').safeParse(typedSeal ?? '') : null
  if (seal && !seal.success) {
    context.addIssue({ code: 'custom', path: ['sealNumber'], message: seal.error.issues[0].message })
    return z.NEVER
  }
  const police = kind === 'police-handover' ? { officer, force, crimeReference } : {}
  return { ...event, ...police, kind, sealIntact: sealIntact === 'yes', sealNumber: seal?.data }
})
export type CustodyEventPageInput = z.output<typeof custodyEventPageSchema>

export const policeHoldSchema = z.object({
  officer: requiredText('the police officer’s name', 100),
  force: requiredText('the police force', 100),
  crimeReference: requiredText('the crime reference', 50),
  reason: requiredText('why the police hold it', 500),
})
export type PoliceHoldInput = z.output<typeof policeHoldSchema>

export const disposalSchema = z.object({
  method: z.enum(DISPOSAL_METHODS, { error: 'Select how it was disposed of' }),
  witness: staffMember('Choose who witnessed the disposal'),
  notes: optional(requiredText('notes', 1000)),
})
export type DisposalInput = z.output<typeof disposalSchema>

export const exhibitListQuery = establishmentQuery.extend({
  state: z.enum(EXHIBIT_STATES, { error: `Choose a state: ${EXHIBIT_STATES.join(', ')}` }).optional(),
  gaps: z.enum(['true', 'false'], { error: 'Say true to list only exhibits whose chain has gaps' }).optional(),
})

/** The list page's filters: a filter that is not one shows everything, as an unknown link would. */
export const exhibitPageQuery = establishmentQuery.extend({
  state: z.enum(EXHIBIT_STATES).optional().catch(undefined),
  gaps: z.enum(['true']).optional().catch(undefined),
})

// ---- Seized phones ----

// In ./phones/schema.ts, beside their repository: this file would otherwise outgrow the 600 lines a file may have.
export * from './phones/schema.ts'

// ---- Visitors and authorised items ----

export const visitMeasureSchema = z.object({
  visitorName: requiredText('the visitor’s name', 200),
  visitorDateOfBirth: dateOfBirth(today),
  prisonerNumber: prisonNumber,
  measure: z.enum(VISIT_MEASURES, { error: 'Select the measure: a ban or closed visits' }),
  reason: requiredText('the reason for the measure', 5000),
  findRef: optional(findReference),
  startsOn: dateInput('the date the measure starts'),
  reviewOn: dateInput('the date of the first review'),
  endsOn: optionalDateInput('the date the measure ends'),
})
export type VisitMeasureInput = z.output<typeof visitMeasureSchema>

/** A review: the next review's date is asked for, and read, only when the measure continues. */
export const visitMeasureReviewSchema = z
  .object({
    reviewedOn: dateInput('the date of the review'),
    outcome: z.enum(VISIT_MEASURE_OUTCOMES, { error: 'Select whether the measure continues or ends' }),
    nextReviewOn: z.unknown().optional().meta({
      type: 'string',
      format: 'date',
      description: 'The date of the next review, YYYY-MM-DD, when the measure continues',
    }),
    notes: requiredText('what the review found', 5000),
  })
  .transform((review, context) => {
    if (review.outcome !== 'continue') return { ...review, nextReviewOn: null }
    const next = optionalDateInput('the date of the next review').safeParse(review.nextReviewOn)
    if (next.success) return { ...review, nextReviewOn: next.data ?? null }
    for (const issue of next.error.issues) {
      context.addIssue({ code: 'custom', path: ['nextReviewOn', ...issue.path.map(String)], message: issue.message })
    }
    return z.NEVER
  })
export type VisitMeasureReviewInput = z.output<typeof visitMeasureReviewSchema>

export const visitMeasureListQuery = establishmentQuery.extend({
  state: z.enum(['live', 'ended'], { error: 'Choose live or ended' }).optional(),
})

export const itemPermissionSchema = z.object({
  category: z.enum(FIND_CATEGORIES, { error: 'Select the kind of item' }),
  description: requiredText('what the item is', 500),
  holder: requiredText('who holds it', 200),
  location: optional(requiredText('where it may be held', 200)),
  validFrom: dateInput('the date the permission starts'),
  validUntil: dateInput('the date the permission ends'),
  establishmentCode: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Select a prison'),
  ),
})
export type ItemPermissionInput = z.output<typeof itemPermissionSchema>

export const revocationSchema = z.object({ reason: requiredText('why the permission is revoked', 1000) })

/** The list pages' filters: a filter that is not one shows the live records, as an unknown link would. */
export const visitMeasurePageQuery = establishmentQuery.extend({
  state: z.enum(['live', 'ended']).optional().catch(undefined),
})

/** What a link to the form may fill in: the prisoner from their profile, the find from its page. */
export const visitMeasurePrefill = z.object({
  prisonerNumber: z.string().trim().toUpperCase().max(20).optional().catch(undefined),
  findRef: z.string().trim().toUpperCase().max(40).optional().catch(undefined),
})

export const itemPermissionListQuery = establishmentQuery.extend({
  state: z.enum(ITEM_PERMISSION_STATES, { error: `Choose a state: ${ITEM_PERMISSION_STATES.join(', ')}` }).optional(),
})
