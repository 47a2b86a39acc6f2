import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import * as repo from './repository.ts'
import type { EstablishmentInput } from './schema.ts'

/** Establishments as reference data: codes are never deleted, only deactivated. */
export function establishmentUseCases(db: Db) {
  return {
    async establishment(code: string) {
      const found = await repo.findEstablishment(db, code)
      if (!found) throw new NotFoundError()
      return found
    },

    /** Changes an establishment; the audit event names the fields that changed. */
    async updateEstablishment(
      user: CurrentUser,
      code: string,
      input: EstablishmentInput,
      correlationId: string,
      now = new Date(),
    ) {
      return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
        const before = await repo.findEstablishment(trx, code)
        if (!before) throw new NotFoundError()
        const next = { ...input, prisonGroup: input.prisonGroup ?? null, socuRegion: input.socuRegion ?? null }
        await repo.updateEstablishment(trx, code, { ...next, updatedAt: now })
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
          key => JSON.stringify(before[key]) !== JSON.stringify(next[key]),
        )
        await audit({
          action: 'establishment.updated',
          subjectType: 'establishment',
          subjectId: code,
          establishmentCode: code,
          details: { changed },
        })
        return { ...before, ...next, updatedAt: now }
      })
    },

    /** Establishments, the user's own first. */
    async establishments(user: CurrentUser) {
      const all = await repo.listEstablishments(db)
      return [
        ...all.filter(e => e.code === user.establishmentCode),
        ...all.filter(e => e.code !== user.establishmentCode),
      ]
    },
  }
}
