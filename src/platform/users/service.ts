import type { CurrentUser } from '../access/user.ts'
import { type Actor, actorOf } from '../audit/audit.ts'
import type { Db } from '../db/database.ts'
import { accountUseCases, scopeOf, userInScope } from './accounts.ts'
import * as repo from './repository.ts'
import { tokenUseCases } from './tokens.ts'

/** Who is acting: a signed-in administrator (limited to their scope), or the command line (unlimited). */
export type Operator = { actor: Actor; user: CurrentUser | null }

/** A signed-in administrator acting under a request: limited to their scope. */
export function operatorOf(user: CurrentUser, correlationId: string): Operator {
  return { actor: actorOf(user, correlationId), user }
}

const PAGE_SIZE = 25

export function usersService(db: Db) {
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
      const user = await userInScope(db, operator, username)
      const tokens = await repo.listTokens(db, user.id)
      return { user, tokens }
    },

    establishmentOptions(operator: Operator) {
      return repo.listEstablishmentOptions(db, scopeOf(operator))
    },

    ...accountUseCases(db),
    ...tokenUseCases(db),
  }
}
export type UsersService = ReturnType<typeof usersService>
