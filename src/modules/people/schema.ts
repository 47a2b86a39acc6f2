import { z } from 'zod'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { optionalDateInput } from '../../platform/http/dates.ts'
import { asList, optional } from '../../platform/http/fields.ts'
import { SOCU_REGIONS } from '../../platform/reference/establishment-areas.ts'
import { CELL_LOCATION, NOMINAL_KINDS, normaliseCro, normalisePnc, PRISON_NUMBER } from './rules.ts'

/** Today in London: what dates of birth and flag start dates are checked against. */
export const today = () => londonToday(new Date())

export const refParams = z.object({ ref: z.string().trim().toUpperCase().max(20) })
export const alertParams = z.object({ id: z.uuid({ error: 'Flag not found' }) })
export const establishmentParams = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, 'Establishment not found'),
})

export const prisonNumber = z
  .string({ error: 'Enter a prison number, like A1234BC' })
  .trim()
  .toUpperCase()
  .min(1, 'Enter a prison number, like A1234BC')
  .regex(PRISON_NUMBER, 'Enter a prison number in the correct format, like A1234BC')

const pnc = z.string().transform((value, ctx) => {
  const normalised = normalisePnc(value)
  if (!normalised) {
    ctx.addIssue({ code: 'custom', message: 'Enter a PNC number in the correct format, like 2012/0123456Y' })
    return z.NEVER
  }
  return normalised
})
const cro = z.string().transform((value, ctx) => {
  const normalised = normaliseCro(value)
  if (!normalised) {
    ctx.addIssue({ code: 'custom', message: 'Enter a CRO number in the correct format, like 123456/99A' })
    return z.NEVER
  }
  return normalised
})

/** Date of birth, when given: a real date (GOV.UK date input, or ISO from the API), not in the future, not before 1900. */
export const dateOfBirth = (today: () => string) =>
  optionalDateInput('date of birth').refine(
    value => value === undefined || (value <= today() && value >= '1900-01-01'),
    'Date of birth must be in the past',
  )

const name = (label: string) =>
  z
    .string({ error: `Enter the ${label}` })
    .trim()
    .min(1, `Enter the ${label}`)
    .max(100, `The ${label} must be 100 characters or fewer`)

export function nominalSchema(today: () => string) {
  return z
    .object({
      kind: z.enum(NOMINAL_KINDS, { error: 'Select who this person is' }),
      establishmentCode: z
        .string({ error: 'Select an establishment' })
        .trim()
        .regex(/^[A-Z]{3}$/, 'Select an establishment'),
      firstName: name('first name'),
      middleNames: optional(z.string().trim().max(100, 'Middle names must be 100 characters or fewer')),
      lastName: name('last name'),
      dateOfBirth: dateOfBirth(today),
      prisonNumber: optional(prisonNumber),
      pncNumber: optional(pnc),
      croNumber: optional(cro),
      staffNumber: optional(z.string().trim().max(20, 'Staff number must be 20 characters or fewer')),
      cellLocation: optional(
        z.string().trim().toUpperCase().regex(CELL_LOCATION, 'Enter a cell location like A-1-002'),
      ),
      securityCategory: optional(z.string().trim().toUpperCase().max(2)),
      releaseDate: optionalDateInput('the release date'),
      notes: optional(z.string().trim().max(2000, 'Notes must be 2,000 characters or fewer')),
    })
    .superRefine((value, ctx) => {
      if (value.kind === 'prisoner' && !value.prisonNumber) {
        ctx.addIssue({ code: 'custom', path: ['prisonNumber'], message: 'Enter the prison number, like A1234BC' })
      }
      if (value.kind !== 'prisoner' && value.prisonNumber) {
        ctx.addIssue({ code: 'custom', path: ['prisonNumber'], message: 'Only prisoners have a prison number' })
      }
    })
}
export type NominalInput = z.output<ReturnType<typeof nominalSchema>>

export const searchQuery = z.object({
  q: optional(z.string().trim().max(100, 'Search for 100 characters or fewer')),
  kind: optional(z.enum(NOMINAL_KINDS, { error: 'Select a kind of person from the list' })),
  establishment: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Select an establishment from the list'),
  ),
  dateOfBirth: optionalDateInput('date of birth'),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})
export type SearchQuery = z.output<typeof searchQuery>

export function alertSchema(today: () => string) {
  return z.object({
    alertCode: z
      .string({ error: 'Select a flag' })
      .trim()
      .toUpperCase()
      .min(1, 'Select a flag')
      .max(20, 'Select a flag from the list'),
    description: optional(z.string().trim().max(1000, 'Description must be 1,000 characters or fewer')),
    authorisedBy: z
      .string({ error: 'Enter who authorised the flag' })
      .trim()
      .min(1, 'Enter who authorised the flag')
      .max(100, 'Authorised by must be 100 characters or fewer'),
    // Left empty, a flag starts today.
    activeFrom: optionalDateInput('the start date').transform(value => value ?? today()),
    activeTo: optionalDateInput('the end date'),
  })
}
export type AlertInput = z.output<ReturnType<typeof alertSchema>>

/** Amend or close a flag: at least one change, and a reason for the record. */
export const alertChangeSchema = z.object({
  action: z.enum(['amend', 'close'], { error: 'Select amend or close' }).default('amend'),
  description: optional(z.string().trim().max(1000, 'Description must be 1,000 characters or fewer')),
  authorisedBy: optional(z.string().trim().max(100, 'Authorised by must be 100 characters or fewer')),
  activeFrom: optionalDateInput('the start date'),
  activeTo: optionalDateInput('the end date'),
  comment: z
    .string({ error: 'Enter the reason for the change' })
    .trim()
    .min(1, 'Enter the reason for the change')
    .max(1000, 'The reason must be 1,000 characters or fewer'),
})
export type AlertChange = z.output<typeof alertChangeSchema>

/** Closing a flag: the reason, and the end date when it is not today. */
export const alertCloseSchema = alertChangeSchema.pick({ activeTo: true, comment: true })

// The HMPPS Prisoner Search shape, as much of it as Portcullis holds. Unknown fields are ignored.
const isoDateOrNull = z.preprocess(value => (value === '' ? null : value), z.iso.date().nullish())
export const prisonerSearchRecord = z.object({
  prisonerNumber: prisonNumber,
  bookingId: z.union([z.string(), z.number()]).nullish(),
  firstName: z.string({ error: 'firstName is missing' }).trim().min(1, 'firstName is missing'),
  middleNames: z.string().nullish(),
  lastName: z.string({ error: 'lastName is missing' }).trim().min(1, 'lastName is missing'),
  dateOfBirth: z.iso.date({ error: 'dateOfBirth must be a real date YYYY-MM-DD' }),
  prisonId: z
    .string({ error: 'prisonId is missing' })
    .trim()
    .regex(/^[A-Z]{3}$/, 'prisonId must be an establishment code like MDI'),
  status: z.string().nullish(),
  // Where a person outside (prisonId OUT) or in transfer (TRN) belongs: a restricted patient's supporting prison,
  // else the prison they last left.
  supportingPrisonId: z.string().trim().toUpperCase().nullish(),
  lastPrisonId: z.string().trim().toUpperCase().nullish(),
  cellLocation: z.string().nullish(),
  category: z.string().nullish(),
  pncNumber: z.string().nullish(),
  croNumber: z.string().nullish(),
  sentenceStartDate: isoDateOrNull,
  releaseDate: isoDateOrNull,
  conditionalReleaseDate: isoDateOrNull,
  gender: z.string().nullish(),
  ethnicity: z.string().nullish(),
  religion: z.string().nullish(),
  nationality: z.string().nullish(),
  sexualOrientation: z.string().nullish(),
  currentIncentive: z.object({ level: z.object({ description: z.string() }).nullish() }).nullish(),
  aliases: z.array(z.object({ firstName: z.string(), lastName: z.string(), dateOfBirth: isoDateOrNull })).nullish(),
  alerts: z
    .array(
      // Prisoner Search indexes current alerts: one without `active` or `expired` is active.
      z.object({
        alertType: z.string(),
        alertCode: z.string(),
        active: z.boolean().nullish(),
        expired: z.boolean().nullish(),
      }),
    )
    .nullish(),
})
export type PrisonerSearchRecord = z.output<typeof prisonerSearchRecord>

/** The prisoner import through the API: a Prisoner Search page. Each record is checked by the import itself. */
export const prisonerImportSchema = z.object({
  fileName: z.string().trim().min(1).max(200).default('api.json'),
  content: z.array(z.unknown(), { error: 'Send the prisoners as a list in content, as Prisoner Search pages do' }),
})

export const ESTABLISHMENT_FUNCTIONS = [
  'Reception',
  'Local',
  'Training',
  'Resettlement',
  'Open',
  'Young offenders',
  'Women',
  'High security',
] as const

export const establishmentSchema = z.object({
  name: z
    .string({ error: 'Enter the establishment’s name' })
    .trim()
    .min(1, 'Enter the establishment’s name')
    .max(100, 'Name must be 100 characters or fewer'),
  prisonGroup: optional(z.string().trim().max(100, 'Prison group must be 100 characters or fewer')),
  socuRegion: optional(z.enum(SOCU_REGIONS, { error: 'Select a SOCU region from the list' })),
  highSecurity: z.preprocess(value => value === 'true' || value === true, z.boolean()),
  active: z.preprocess(value => value === 'true' || value === true, z.boolean()),
  functions: z
    .preprocess(asList, z.array(z.enum(ESTABLISHMENT_FUNCTIONS, { error: 'Select functions from the list' })))
    .default([]),
})
export type EstablishmentInput = z.output<typeof establishmentSchema>

export const ESTATES = ['high-security', 'men', 'women'] as const

/** The establishments list's filter: a choice that is not on the list is read as no choice, never an error. */
export const establishmentFilterSchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  group: z.string().trim().max(100).optional().catch(undefined),
  region: z.enum(SOCU_REGIONS).optional().catch(undefined),
  estate: z.enum(ESTATES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
})
export type EstablishmentFilter = z.output<typeof establishmentFilterSchema>
