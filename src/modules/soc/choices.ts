import type { CurrentUser } from '../../platform/access/user.ts'
import type { Db } from '../../platform/db/database.ts'
import { establishmentNames } from '../../platform/reference/establishments.ts'
import * as repository from './repository.ts'

// The choices SOC forms offer instead of asking for codes: prisons and SOCU regions in the user's scope, and the
// organised crime groups they can see a member of. Pages show prisons by name; the code is the value sent.

/** A select offers the groups while there are this many or fewer; beyond it the form asks for the reference. */
export const GROUP_SELECT_LIMIT = 30

/** The prisons the user oversees, by name, and the SOCU regions they lie in. */
async function prisonChoices(db: Db, user: CurrentUser) {
  const prisons = await repository.listPrisonsInScope(db, user)
  const regions = [...new Set(prisons.map(p => p.socuRegion).filter((r): r is string => Boolean(r)))].sort()
  return { prisons: prisons.map(({ code, name }) => ({ code, name })), regions }
}

/** The active groups on the mapping with a member the user can see, by reference; null when too many to list. */
async function groupChoices(db: Db, user: CurrentUser) {
  const [groups, members] = await Promise.all([repository.listActiveGroups(db), repository.listGroupMembers(db, user)])
  const seen = new Set(members.filter(m => m.ref).map(m => m.groupId))
  const choices = groups.filter(g => seen.has(g.id)).map(({ ref, name }) => ({ ref, name }))
  return { groups: choices.length <= GROUP_SELECT_LIMIT ? choices : null, example: choices[0]?.ref ?? 'OCG-4101' }
}

/** Rows with the prison's name beside its code (`establishmentCode` → `establishmentName`). */
export async function withPrisonNames<Row extends { establishmentCode: string | null }>(db: Db, rows: readonly Row[]) {
  const codes = [...new Set(rows.map(r => r.establishmentCode).filter((c): c is string => Boolean(c)))]
  const names = await establishmentNames(db, codes)
  return rows.map(row => ({
    ...row,
    establishmentName: row.establishmentCode ? (names.get(row.establishmentCode) ?? row.establishmentCode) : null,
  }))
}

export function choiceUseCases(db: Db) {
  return { prisonChoices: prisonChoices.bind(null, db), groupChoices: groupChoices.bind(null, db) }
}
