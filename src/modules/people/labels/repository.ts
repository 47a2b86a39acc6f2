// People named for other pages (the audit trail, intelligence): only those the user may see.
import type { CurrentUser } from '../../../platform/access/user.ts'
import type { Executor } from '../../../platform/db/database.ts'
import { personWithNumber } from '../names.ts'
import { visibleNominals } from '../repository.ts'

/**
 * The people behind these references or prison numbers that a user may see, as "Lee King (G4600RO)" by the value
 * asked for: the audit trail and intelligence name people with it. A person the user may not see is left out.
 */
export async function visibleNominalLabels(
  db: Executor,
  viewer: Pick<CurrentUser, 'establishmentCodes' | 'compartments'>,
  refsOrPrisonNumbers: readonly string[],
) {
  const wanted = [...new Set(refsOrPrisonNumbers)]
  const labels = new Map<string, { ref: string; prisonNumber: string | null; label: string }>()
  if (wanted.length === 0) return labels
  const rows = await db
    .selectFrom(visibleNominals(db, viewer).as('v'))
    .innerJoin('peopleNominal as n', 'n.id', 'v.id')
    .select(['n.ref', 'n.prisonNumber', 'n.firstName', 'n.lastName'])
    .where(eb => eb.or([eb('n.ref', 'in', wanted), eb('n.prisonNumber', 'in', wanted)]))
    .execute()
  for (const row of rows) {
    const value = { ref: row.ref, prisonNumber: row.prisonNumber, label: personWithNumber(row) }
    labels.set(row.ref, value)
    if (row.prisonNumber) labels.set(row.prisonNumber, value)
  }
  return labels
}
