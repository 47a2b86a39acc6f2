// Seized phones and SIM cards (service specification output 15) as pure functions: the lawful bases of an
// interrogation, the identifiers of a handset and a SIM card, and what a request and its result need. Re-exported by
// ../rules.ts.

import { FIND_CATEGORY_NAMES, type FindCategory, needsInterrogation, type Problem } from '../rules.ts'

export const LAWFUL_BASES = [
  {
    code: 'security-examination',
    text: 'Examination of a seized unauthorised device for prison security',
    needsAuthorisation: false,
  },
  {
    code: 'stored-communications',
    text: 'Access to stored communications under a lawful authority',
    needsAuthorisation: true,
  },
  {
    code: 'police-request',
    text: 'At the request of the police, for a criminal investigation',
    needsAuthorisation: true,
  },
] as const
export type LawfulBasis = (typeof LAWFUL_BASES)[number]['code']

/** Output 15 (PSI 30/2011, Prison Rules 35A): the authorisation reference a lawful basis needs, if it needs one. */
export function interrogationProblems(request: {
  lawfulBasis: LawfulBasis
  authorisationRef?: string | null
}): Problem[] {
  const basis = LAWFUL_BASES.find(b => b.code === request.lawfulBasis)
  if (basis?.needsAuthorisation && !request.authorisationRef?.trim()) {
    return [
      {
        field: 'authorisationRef',
        message: `Enter the authorisation reference: ${basis.text.toLowerCase()} needs one`,
      },
    ]
  }
  return []
}

/** An ICCID (the number printed on a SIM card): 19 or 20 digits, starting 89 (telecoms), with a Luhn check digit. */
export function iccidValid(iccid: string, luhn: (digits: string) => boolean): boolean {
  return /^89\d{17,18}$/.test(iccid) && luhn(iccid)
}

export const LAWFUL_BASIS_CODES = LAWFUL_BASES.map(basis => basis.code) as [LawfulBasis, ...LawfulBasis[]]
export const LAWFUL_BASIS_NAMES = Object.fromEntries(LAWFUL_BASES.map(basis => [basis.code, basis.text])) as Record<
  LawfulBasis,
  string
>

/**
 * Output 15 ("mobile phones found within a prison are interrogated"; the specification's mobile phones include their
 * component parts, SIM cards among them): why a find cannot be sent for interrogation now, or null. One request
 * awaits its result at a time, so the same device is not examined twice over.
 */
export function interrogationRefusal(
  find: { category: FindCategory },
  awaiting: { ref: string } | null,
): string | null {
  if (!needsInterrogation(find.category)) {
    const what = FIND_CATEGORY_NAMES[find.category].toLowerCase()
    return `Only a mobile phone or a SIM card is interrogated: this find is recorded as ${what}.`
  }
  if (awaiting) return `Interrogation ${awaiting.ref} of this find is awaiting its result: record that first.`
  return null
}

/** Output 15: a handset has an IMEI and a SIM card an ICCID; a phone found with its SIM in it may have both. */
export function identifierProblems(find: { category: FindCategory }, request: { imei?: string | null }): Problem[] {
  if (find.category === 'sim-card' && request.imei) {
    return [{ field: 'imei', message: 'A SIM card has no IMEI: enter the ICCID printed on it' }]
  }
  return []
}

/** Output 15: a result records what the interrogation found on the device, so it holds at least one thing. */
export function interrogationResultProblems(result: {
  imeis: readonly string[]
  numbers: readonly string[]
  contacts: readonly unknown[]
}): Problem[] {
  if (result.imeis.length + result.numbers.length + result.contacts.length > 0) return []
  return [{ field: 'imeis', message: 'Enter at least one IMEI, phone number or contact found on it' }]
}

export const INTERROGATION_STATES = ['awaiting-result', 'result-recorded'] as const
export type InterrogationState = (typeof INTERROGATION_STATES)[number]
export const INTERROGATION_STATE_NAMES: Record<InterrogationState, string> = {
  'awaiting-result': 'Awaiting result',
  'result-recorded': 'Result recorded',
}

export function interrogationState(interrogation: { resultAt: Date | null }): InterrogationState {
  return interrogation.resultAt ? 'result-recorded' : 'awaiting-result'
}
