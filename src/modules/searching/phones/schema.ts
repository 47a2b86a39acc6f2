import { z } from 'zod'
import { asLines, optional } from '../../../platform/http/fields.ts'
import { luhnValid, normaliseEntity } from '../../intelligence/entities.ts'
import { iccidValid, interrogationProblems, LAWFUL_BASIS_CODES, type LawfulBasis } from '../rules.ts'

// Input schemas of seized phones and SIM cards (output 15): asking for an interrogation and recording its result.
// Messages say what to do.

/** A phone's identifiers as typed, with the spaces and dashes people copy from a label or a screen. */
const digitsOf = (typed: string) => typed.replace(/[\s-]/g, '')

const isImeiLength = (typed: string) => /^\d{15}$/.test(digitsOf(typed))
const isIccidShape = (typed: string) => /^89\d{17,18}$/.test(digitsOf(typed))

// Checks as refinements rather than inside a transform: a refinement that fails leaves the other fields checked, so
// one answer shows every problem (the authorisation a lawful basis needs among them).

/** An IMEI (the handset's number, *#06#): its 15 digits, the last a Luhn check digit. */
const imei = z
  .string({ error: 'Enter the IMEI: 15 digits, like 35 209900 176148 1' })
  .trim()
  .refine(isImeiLength, 'Enter the IMEI: 15 digits, like 35 209900 176148 1')
  .refine(
    typed => !isImeiLength(typed) || normaliseEntity('imei', digitsOf(typed)) !== null,
    'The IMEI’s last digit does not match the others: check the 15 digits',
  )
  .transform(digitsOf)

/** An ICCID (the number printed on a SIM card): 19 or 20 digits starting 89, the last a Luhn check digit. */
const iccid = z
  .string({ error: 'Enter the ICCID: the 19 or 20 digits printed on the SIM card, starting 89' })
  .trim()
  .refine(isIccidShape, 'Enter the ICCID: the 19 or 20 digits printed on the SIM card, starting 89')
  .refine(
    typed => !isIccidShape(typed) || iccidValid(digitsOf(typed), luhnValid),
    'The ICCID’s last digit does not match the others: check the digits',
  )
  .transform(digitsOf)

/** A number found on a device, in E.164 as intelligence keeps it ('07700 900123' is '+447700900123'). */
const foundNumber = z
  .string({ error: 'Enter the phone number, like 07700 900123' })
  .trim()
  .refine(
    typed => normaliseEntity('phone', typed) !== null,
    'Enter a phone number as it is stored, like 07700 900123 or +33 6 12 34 56 78',
  )
  .transform(typed => normaliseEntity('phone', typed) as string)

const contactName = z
  .string({ error: 'Enter the contact’s name as it is stored' })
  .trim()
  .min(1, 'Enter the contact’s name as it is stored')
  .max(100, 'A contact’s name must be 100 characters or fewer')

const authorisationRef = z.string().trim().max(60, 'The authorisation reference must be 60 characters or fewer')

/** A find's reference in a path, as typed: whether it is one is for the database to say. */
export const phoneParams = z.object({ findRef: z.string().trim().toUpperCase().max(40) })
/** An interrogation's reference in a path. */
export const interrogationParams = z.object({ ref: z.string().trim().toUpperCase().max(40) })

const interrogationRequestFields = {
  authorisationRef: optional(authorisationRef),
  imei: optional(imei),
  iccid: optional(iccid),
}

/** The authorisation a lawful basis needs, asked for beside any other problem so that one answer shows them all. */
const authorisationNeeded = (
  request: { lawfulBasis?: LawfulBasis; authorisationRef?: string },
  context: z.RefinementCtx,
) => {
  if (!request.lawfulBasis) return
  for (const problem of interrogationProblems({
    lawfulBasis: request.lawfulBasis,
    authorisationRef: request.authorisationRef,
  })) {
    context.addIssue({ code: 'custom', path: [problem.field], message: problem.message })
  }
}

/** Asking for a phone or SIM card to be interrogated (output 15): the lawful basis, its authorisation, the numbers. */
export const interrogationRequestSchema = z
  .object({
    lawfulBasis: z.enum(LAWFUL_BASIS_CODES, {
      error: `Select the lawful basis: ${LAWFUL_BASIS_CODES.join(', ')}`,
    }),
    ...interrogationRequestFields,
  })
  .superRefine(authorisationNeeded)
export type InterrogationRequestInput = z.output<typeof interrogationRequestSchema>

/** The page: the lawful basis as radios, none chosen for them. */
export const interrogationRequestPageSchema = z
  .object({
    lawfulBasis: z.enum(LAWFUL_BASIS_CODES, { error: 'Select the lawful basis for the interrogation' }),
    ...interrogationRequestFields,
  })
  .superRefine(authorisationNeeded)

/** What an interrogation found: IMEIs, numbers and contacts, each checked and normalised. */
export const interrogationResultSchema = z.object({
  imeis: z.array(imei, { error: 'Give the IMEIs as a list' }).max(10, 'Record at most 10 IMEIs').default([]),
  numbers: z
    .array(foundNumber, { error: 'Give the numbers as a list' })
    .max(200, 'Record at most 200 numbers')
    .default([]),
  contacts: z
    .array(z.object({ name: contactName, number: foundNumber }), {
      error: 'Give the contacts as a list of a name and a number each',
    })
    .max(200, 'Record at most 200 contacts')
    .default([]),
})
export type InterrogationResultInput = z.output<typeof interrogationResultSchema>

/** A contact as a line of a box: the name, a comma, then the number ("Big Man, 07700 900123"). */
const contactLine = z.string().transform((line, context) => {
  const comma = line.lastIndexOf(',')
  const split =
    comma > 0 ? [line.slice(0, comma), line.slice(comma + 1)] : /^(.*?\S)\s+(\+?[\d(][\d\s().-]*)$/.exec(line)?.slice(1)
  if (!split) {
    context.addIssue({
      code: 'custom',
      message: 'Enter the name, a comma, then the number, like Big Man, 07700 900123',
    })
    return z.NEVER
  }
  const parsed = z.object({ name: contactName, number: foundNumber }).safeParse({ name: split[0], number: split[1] })
  if (parsed.success) return parsed.data
  context.addIssue({ code: 'custom', message: parsed.error.issues[0].message })
  return z.NEVER
})

/** A box of one item a line, each checked; a line that is wrong is named by its number in the box. */
function itemsByLine<T>(item: z.ZodType<T>, most: number, what: string) {
  return z.preprocess(
    value => (typeof value === 'string' ? value : ''),
    z.string().transform((text, context) => {
      const lines = asLines(text) as string[]
      if (lines.length > most) {
        context.addIssue({ code: 'custom', message: `Record at most ${most} ${what}` })
        return z.NEVER
      }
      const items: T[] = []
      for (const [index, line] of lines.entries()) {
        const parsed = item.safeParse(line)
        if (parsed.success) items.push(parsed.data)
        else context.addIssue({ code: 'custom', message: `Line ${index + 1}: ${parsed.error.issues[0].message}` })
      }
      return items
    }),
  )
}

/** The page: a box each for IMEIs, numbers and contacts, one a line, as they are read off the device. */
export const interrogationResultPageSchema = z.object({
  imeis: itemsByLine(imei, 10, 'IMEIs'),
  numbers: itemsByLine(foundNumber, 200, 'numbers'),
  contacts: itemsByLine(contactLine, 200, 'contacts'),
})

/** The list of interrogations: those awaiting a result, or those with one, at a prison, or of a find. */
export const interrogationsQuery = z.object({
  establishment: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{3}$/, 'Choose a prison by its three-letter code, like MDI'),
  ),
  awaiting: z
    .enum(['true', 'false'], { error: 'Say true for those awaiting a result, false for those with one' })
    .optional(),
  findRef: optional(z.string().trim().toUpperCase().max(40)),
})
