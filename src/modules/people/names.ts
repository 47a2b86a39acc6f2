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
