import type { CurrentUser } from '../../platform/access/user.ts'
import type { Db } from '../../platform/db/database.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import * as repo from './repository.ts'

/** The work waiting for the security department: the triage queue and its counts. */
export function triageUseCases(db: Db) {
  return {
    /** The triage queue, each report with the name of the analyst who has it (null while nobody has started it). */
    async queue(user: CurrentUser) {
      const rows = await repo.queue(db, user)
      const named = await withDisplayNames(db, rows, ['assessor'])
      return named.map(row => ({ ...row, assessorName: row.status === 'in-assessment' ? row.assessorName : null }))
    },

    /** How many reports wait for triage in the user's scope, and how many of them are urgent. */
    queueCounts(user: CurrentUser) {
      return repo.queueCounts(db, user)
    },
  }
}
