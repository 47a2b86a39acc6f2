import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { type EntityType, normaliseEntity } from './entities.ts'
import * as repo from './repository.ts'
import type { GradingScheme } from './rules.ts'

/** An establishment's settings: the grading scheme of new reports, and the values never to link. */
export function settingsUseCases(db: Db) {
  return {
    gradingScheme(establishmentCode: string) {
      return repo.gradingSchemeOf(db, establishmentCode)
    },

    setGradingScheme(user: CurrentUser, scheme: GradingScheme, correlationId: string | null, now = new Date()) {
      return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
        await repo.saveGradingScheme(trx, user.establishmentCode, {
          gradingScheme: scheme,
          updatedAt: now,
          updatedBy: user.username,
        })
        await audit({
          action: 'intelligence.grading-scheme-set',
          subjectType: 'establishment',
          subjectId: user.establishmentCode,
          details: { scheme },
        })
      })
    },

    doNotLinkList(user: CurrentUser) {
      return repo.doNotLinkValues(db, user.establishmentCode)
    },

    /** Puts a value on the list; links already accepted for it are flagged rather than left standing. */
    addDoNotLink(
      user: CurrentUser,
      input: { type: EntityType; value: string; reason: string },
      correlationId: string | null,
      now = new Date(),
    ) {
      const value = normaliseEntity(input.type, input.value)
      if (!value) throw ValidationError.field('value', `Enter a valid ${input.type.replace('-', ' ')}`)
      return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
        const entry = { establishmentCode: user.establishmentCode, type: input.type, value, reason: input.reason }
        if (!(await repo.addDoNotLink(trx, entry, { username: user.username, now })))
          throw ValidationError.field('value', 'This value is already on the list')
        await audit({
          action: 'intelligence.do-not-link-added',
          subjectType: 'do-not-link',
          subjectId: `${input.type}:${value}`,
          details: { reason: input.reason },
        })
      })
    },

    removeDoNotLink(user: CurrentUser, id: number, correlationId: string | null, now = new Date()) {
      return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
        const removed = await repo.removeDoNotLink(trx, id, user.establishmentCode, { username: user.username, now })
        if (!removed) throw new NotFoundError()
        await audit({
          action: 'intelligence.do-not-link-removed',
          subjectType: 'do-not-link',
          subjectId: `${removed.type}:${removed.value}`,
        })
      })
    },
  }
}
