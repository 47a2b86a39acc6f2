// People's names as staff read them. NOMIS holds names in upper case; pages show them as people write them.
import { nameCase } from '../../platform/views/text.ts'

/** Upper-case NOMIS names as people write them: "O'NEILL" → "O'Neill". */
export const titleCase = nameCase

export function fullName(person: { firstName: string; middleNames?: string | null; lastName: string }): string {
  return [person.firstName, person.middleNames, person.lastName].filter(Boolean).join(' ')
}

/** "HUSSAIN, Mohammed" title-cased as "Hussain, Mohammed": how prison staff read lists of names. */
export function listName(person: { firstName: string; lastName: string }): string {
  return `${nameCase(person.lastName)}, ${nameCase(person.firstName)}`
}

/** "Lee King": a person's name as every page writes it, first name then last, name-cased. */
export function personName(person: { firstName: string; lastName: string }): string {
  return `${nameCase(person.firstName)} ${nameCase(person.lastName)}`
}

/** "Lee King (G4600RO)": a person with the number staff know them by (their prison number, or Portcullis's reference). */
export function personWithNumber(person: {
  firstName: string
  lastName: string
  ref: string
  prisonNumber?: string | null
}): string {
  return `${personName(person)} (${person.prisonNumber ?? person.ref})`
}
