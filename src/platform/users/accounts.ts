import { auditedTransaction } from '../audit/audit.ts'
import { hashPassword } from '../auth/passwords.ts'
import type { Db, Executor } from '../db/database.ts'
import { ConflictError, NotFoundError, ValidationError } from '../http/errors.ts'
import * as repo from './repository.ts'
import type { CreateUserInput, UpdateUserInput } from './schema.ts'
import type { Operator } from './service.ts'

/** The establishments an operator acts in: a signed-in administrator's scope, or all for the command line. */
export function scopeOf(operator: Operator) {
  return operator.user?.establishmentCodes ?? 'all'
}

/** A user the operator may administer. Outside their scope a user is not found, not forbidden. */
export async function userInScope(trx: Executor, operator: Operator, username: string) {
  const user = await repo.findUserByUsername(trx, username)
  if (!user || (operator.user && !operator.user.inScope(user.establishmentCode))) throw new NotFoundError()
  return user
}

async function assertEstablishment(trx: Executor, operator: Operator, code: string) {
  if (!(await repo.establishmentExists(trx, code)) || (operator.user && !operator.user.inScope(code))) {
    throw ValidationError.field('establishmentCode', 'Select an establishment from the list')
  }
}

/** Creating, changing and deactivating accounts; each change audited without its password. */
export function accountUseCases(db: Db) {
  return {
    async create(operator: Operator, input: CreateUserInput, now = new Date()) {
      const passwordHash = await hashPassword(input.password)
      return auditedTransaction(db, operator.actor, now, async (trx, audit) => {
        await assertEstablishment(trx, operator, input.establishmentCode)
        if (await repo.usernameTaken(trx, input.username)) {
          throw ValidationError.field('username', 'A user with this username already exists')
        }
        const { password: _password, ...fields } = input
        const created = await repo.insertUser(trx, {
          ...fields,
          email: fields.email ?? null,
          department: fields.department ?? null,
          passwordHash,
          externalIssuer: null,
          externalSubject: null,
          createdAt: now,
          updatedAt: now,
        })
        await audit({
          action: 'user.created',
          subjectType: 'user',
          subjectId: created.username,
          establishmentCode: input.establishmentCode,
          details: { roles: input.roles, scope: input.scope, compartments: input.compartments },
        })
        return created
      })
    },

    async update(operator: Operator, username: string, input: UpdateUserInput, now = new Date()) {
      const passwordHash = input.password ? await hashPassword(input.password) : undefined
      await auditedTransaction(db, operator.actor, now, async (trx, audit) => {
        const before = await userInScope(trx, operator, username)
        await assertEstablishment(trx, operator, input.establishmentCode)
        const { password: _password, ...fields } = input
        const next = { ...fields, email: fields.email ?? null, department: fields.department ?? null }
        await repo.updateUser(trx, before.id, { ...next, ...(passwordHash ? { passwordHash } : {}), updatedAt: now })
        const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter(
          key => JSON.stringify(before[key] ?? null) !== JSON.stringify(fields[key] ?? null),
        )
        // A new password ends every session the old one opened.
        if (passwordHash) await repo.endSessions(trx, before.id, 'replaced', now)
        await audit({
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
        })
      })
    },

    async setActive(operator: Operator, username: string, active: boolean, now = new Date()) {
      await auditedTransaction(db, operator.actor, now, async (trx, audit) => {
        const user = await userInScope(trx, operator, username)
        if (!active && operator.user?.id === user.id) {
          throw new ConflictError('You cannot deactivate your own account.')
        }
        if (user.active === active) return
        await repo.updateUser(trx, user.id, { active, updatedAt: now })
        if (!active) await repo.endSessions(trx, user.id, 'deactivated', now)
        await audit({
          action: active ? 'user.reactivated' : 'user.deactivated',
          subjectType: 'user',
          subjectId: username,
          establishmentCode: user.establishmentCode,
        })
      })
    },
  }
}
