import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { establishmentExists, withDisplayNames } from '../../platform/users/repository.ts'
import { withPrisonNames } from './choices.ts'
import * as repository from './repository.ts'

// SOCU's quarterly assurance visits to the prisons of its region (SOC PF 5.3).

export type VisitInput = { establishmentCode: string; visitedOn: string; findings: string }

async function recordVisit(db: Db, user: CurrentUser, input: VisitInput, correlationId: string, now = new Date()) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    // A national scope covers every prison, not every three letters.
    if (!user.inScope(input.establishmentCode) || !(await establishmentExists(trx, input.establishmentCode)))
      throw ValidationError.field('establishmentCode', 'Select a prison in your region')
    const id = await repository.insertVisit(trx, { ...input, visitedBy: user.username, recordedAt: now })
    await audit({
      action: 'soc.assurance-visit',
      subjectType: 'establishment',
      subjectId: input.establishmentCode,
      establishmentCode: input.establishmentCode,
    })
    return { id }
  })
}

async function visits(db: Db, user: CurrentUser) {
  return withPrisonNames(db, await withDisplayNames(db, await repository.listVisits(db, user), ['visitedBy']))
}

export function visitUseCases(db: Db) {
  return { recordVisit: recordVisit.bind(null, db), visits: visits.bind(null, db) }
}
