import type { CurrentUser } from '../access/user.ts'
import { type Actor, recordAudit } from '../audit/audit.ts'
import { hashPassword } from '../auth/passwords.ts'
import { API_TOKEN_PREFIX, newSecret, sha256 } from '../auth/tokens.ts'
import type { Db, Executor } from '../db/database.ts'
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts'
import * as repo from './repository.ts'
import type { CreateUserInput, UpdateUserInput } from './schema.ts'

/** Who is acting: a signed-in administrator (limited to their scope), or the command line (unlimited). */
export type Operator = { actor: Actor; user: CurrentUser | null }

const PAGE_SIZE = 25

export function usersService(db: Db) {
  function scopeOf(operator: Operator) {
    return operator.user?.establishmentCodes ?? 'all'
  }

  async function assertEstablishment(trx: Executor, operator: Operator, code: string) {
    const found = await trx.selectFrom('establishment').select('code').where('code', '=', code).executeTakeFirst()
    if (!found || (operator.user && !operator.user.inScope(code))) {
      throw ValidationError.field('establishmentCode', 'Select an establishment from the list')
    }
  }

  async function getInScope(trx: Executor, operator: Operator, username: string) {
    const user = await repo.findUserByUsername(trx, username)
    // Outside the administrator's scope a user is not found, not forbidden: do not confirm they exist.
    if (!user || (operator.user && !operator.user.inScope(user.establishmentCode))) throw new NotFoundError()
    return user
  }

  return {
    pageSize: PAGE_SIZE,

    async list(operator: Operator, filter: { search?: string; page: number }) {
      const establishmentCodes = scopeOf(operator)
      const [users, total] = await Promise.all([
        repo.listUsers(db, {
          establishmentCodes,
          search: filter.search,
          limit: PAGE_SIZE,
          offset: (filter.page - 1) * PAGE_SIZE,
        }),
        repo.countUsers(db, { establishmentCodes, search: filter.search }),
      ])
      return { users, total }
    },

    async get(operator: Operator, username: string) {
      const user = await getInScope(db, operator, username)
      const tokens = await repo.listTokens(db, user.id)
      return { user, tokens }
    },

    establishmentOptions(operator: Operator) {
      return repo.listEstablishmentOptions(db, scopeOf(operator))
    },

    async create(operator: Operator, input: CreateUserInput, now = new Date()) {
      const passwordHash = await hashPassword(input.password)
      return db.transaction().execute(async trx => {
        await assertEstablishment(trx, operator, input.establishmentCode)
        const existing = await trx
          .selectFrom('appUser')
          .select('id')
          .where('username', '=', input.username)
          .executeTakeFirst()
        if (existing) throw ValidationError.field('username', 'A user with this username already exists')
        const { password: _password, ...fields } = input
        const created = await trx
          .insertInto('appUser')
          .values({
            ...fields,
            email: fields.email ?? null,
            department: fields.department ?? null,
            passwordHash,
            externalIssuer: null,
            externalSubject: null,
            createdAt: now,
            updatedAt: now,
          })
          .returning(['id', 'username'])
          .executeTakeFirstOrThrow()
        await recordAudit(
          trx,
          operator.actor,
          {
            action: 'user.created',
            subjectType: 'user',
            subjectId: created.username,
            establishmentCode: input.establishmentCode,
            details: { roles: input.roles, scope: input.scope, compartments: input.compartments },
          },
          now,
        )
        return created
      })
    },

    async update(operator: Operator, username: string, input: UpdateUserInput, now = new Date()) {
      const passwordHash = input.password ? await hashPassword(input.password) : undefined
      await db.transaction().execute(async trx => {
        const before = await getInScope(trx, operator, username)
        await assertEstablishment(trx, operator, input.establishmentCode)
        const { password: _password, ...fields } = input
        await trx
          .updateTable('appUser')
          .set({
            ...fields,
            email: fields.email ?? null,
            department: fields.department ?? null,
            ...(passwordHash ? { passwordHash } : {}),
            updatedAt: now,
          })
          .where('id', '=', before.id)
          .execute()
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter(
          key => JSON.stringify(before[key] ?? null) !== JSON.stringify(fields[key] ?? null),
        )
        if (passwordHash) {
          // A new password ends every session the old one opened.
          await trx
            .updateTable('userSession')
            .set({ endedAt: now, endReason: 'replaced' })
            .where('userId', '=', before.id)
            .where('endedAt', 'is', null)
            .execute()
        }
        await recordAudit(
          trx,
          operator.actor,
          {
            action: 'user.updated',
            subjectType: 'user',
            subjectId: username,
            establishmentCode: input.establishmentCode,
            details: {
              changed: passwordHash ? [...changed, 'password'] : changed,
              roles: input.roles,
              scope: input.scope,
              compartments: input.compartments,
            },
          },
          now,
        )
      })
    },

    async setActive(operator: Operator, username: string, active: boolean, now = new Date()) {
      await db.transaction().execute(async trx => {
        const user = await getInScope(trx, operator, username)
        if (!active && operator.user?.id === user.id) {
          throw new ConflictError('You cannot deactivate your own account.')
        }
        if (user.active === active) return
        await trx.updateTable('appUser').set({ active, updatedAt: now }).where('id', '=', user.id).execute()
        if (!active) {
          await trx
            .updateTable('userSession')
            .set({ endedAt: now, endReason: 'deactivated' })
            .where('userId', '=', user.id)
            .where('endedAt', 'is', null)
            .execute()
        }
        await recordAudit(
          trx,
          operator.actor,
          {
            action: active ? 'user.reactivated' : 'user.deactivated',
            subjectType: 'user',
            subjectId: username,
            establishmentCode: user.establishmentCode,
          },
          now,
        )
      })
    },

    /** Issues a token for a system to act as this user. The token is returned once and only its hash is kept. */
    async createToken(operator: Operator, username: string, name: string, now = new Date()) {
      return db.transaction().execute(async trx => {
        const user = await getInScope(trx, operator, username)
        if (!user.active) throw new ConflictError('Reactivate the user before issuing a token.')
        const token = newSecret(API_TOKEN_PREFIX)
        const created = await trx
          .insertInto('apiToken')
          .values({
            userId: user.id,
            name,
            tokenHash: sha256(token),
            tokenPrefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
            createdAt: now,
            createdBy: operator.actor.userId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordAudit(
          trx,
          operator.actor,
          {
            action: 'api-token.created',
            subjectType: 'user',
            subjectId: username,
            establishmentCode: user.establishmentCode,
            details: { tokenId: created.id, name },
          },
          now,
        )
        return { id: created.id, token }
      })
    },

    async revokeToken(operator: Operator, username: string, tokenId: string, now = new Date()) {
      await db.transaction().execute(async trx => {
        const user = await getInScope(trx, operator, username)
        const revoked = await trx
          .updateTable('apiToken')
          .set({ revokedAt: now, revokedBy: operator.actor.userId })
          .where('id', '=', tokenId)
          .where('userId', '=', user.id)
          .where('revokedAt', 'is', null)
          .returning('id')
          .executeTakeFirst()
        if (!revoked) throw new NotFoundError('That token does not exist or is already revoked.')
        await recordAudit(
          trx,
          operator.actor,
          {
            action: 'api-token.revoked',
            subjectType: 'user',
            subjectId: username,
            establishmentCode: user.establishmentCode,
            details: { tokenId },
          },
          now,
        )
      })
    },
  }
}
export type UsersService = ReturnType<typeof usersService>
