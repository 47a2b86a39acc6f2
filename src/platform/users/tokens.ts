import { auditedTransaction } from '../audit/audit.ts'
import { API_TOKEN_PREFIX, newSecret, sha256 } from '../auth/tokens.ts'
import type { Db } from '../db/database.ts'
import { ConflictError, NotFoundError } from '../http/errors.ts'
import { userInScope } from './accounts.ts'
import * as repo from './repository.ts'
import type { CreateTokenInput } from './schema.ts'
import type { Operator } from './service.ts'

/** Issue 13, defect 5: a token that is never renewed stops working; 90 days unless its issuer chooses. */
export const DEFAULT_TOKEN_DAYS = 90

export function tokenExpiry(issuedAt: Date, days = DEFAULT_TOKEN_DAYS): Date {
  return new Date(issuedAt.getTime() + days * 24 * 60 * 60_000)
}

/** API tokens: a system acts as a user. A token is shown once; only its hash is kept. */
export function tokenUseCases(db: Db) {
  return {
    /** Issues a token for a system to act as this user. The token is returned once and only its hash is kept. */
    async createToken(operator: Operator, username: string, input: CreateTokenInput, now = new Date()) {
      const { name } = input
      const expiresAt = tokenExpiry(now, input.expiresInDays)
      return auditedTransaction(db, operator.actor, now, async (trx, audit) => {
        const user = await userInScope(trx, operator, username)
        if (!user.active) throw new ConflictError('Reactivate the user before issuing a token.')
        const token = newSecret(API_TOKEN_PREFIX)
        const id = await repo.insertApiToken(trx, {
          userId: user.id,
          name,
          tokenHash: sha256(token),
          tokenPrefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
          createdAt: now,
          createdBy: operator.actor.userId,
          expiresAt,
        })
        await audit({
          action: 'api-token.created',
          subjectType: 'user',
          subjectId: username,
          establishmentCode: user.establishmentCode,
          details: { tokenId: id, name, expiresAt: expiresAt.toISOString() },
        })
        return { id, token, expiresAt }
      })
    },

    async revokeToken(operator: Operator, username: string, tokenId: string, now = new Date()) {
      await auditedTransaction(db, operator.actor, now, async (trx, audit) => {
        const user = await userInScope(trx, operator, username)
        const revoked = await repo.revokeApiToken(trx, {
          tokenId,
          userId: user.id,
          revokedBy: operator.actor.userId,
          now,
        })
        if (!revoked) throw new NotFoundError('That token does not exist or is already revoked.')
        await audit({
          action: 'api-token.revoked',
          subjectType: 'user',
          subjectId: username,
          establishmentCode: user.establishmentCode,
          details: { tokenId },
        })
      })
    },
  }
}
