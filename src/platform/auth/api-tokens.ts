import { sql } from 'kysely'
import type { UserRecord } from '../access/user.ts'
import type { Db } from '../db/database.ts'
import type { SignInPolicy } from './sessions.ts'
import { sha256 } from './tokens.ts'

export type TokenLookup =
  | { state: 'valid'; user: UserRecord }
  | { state: 'expired'; expiredAt: Date }
  | { state: 'locked' | 'deactivated' | 'none' }

/**
 * The user behind a bearer token, and whether they may act now: a token is refused once it has expired, been
 * revoked, or while its user is deactivated or locked out by failed sign-ins, as a person would be. Last use is
 * written at most once a minute, so that reading does not turn every request into a write.
 */
export async function findUserByApiToken(
  db: Db,
  token: string,
  policy: Pick<SignInPolicy, 'maxFailures' | 'lockMinutes'>,
  now = new Date(),
): Promise<TokenLookup> {
  const lockedSince = new Date(now.getTime() - policy.lockMinutes * 60_000)
  const row = await db
    .selectFrom('apiToken as t')
    .innerJoin('appUser as u', 'u.id', 't.userId')
    .select(['t.id as tokenId', 't.lastUsedAt', 't.expiresAt', 'u.active'])
    .select(['u.id', 'u.username', 'u.displayName', 'u.establishmentCode', 'u.roles', 'u.scope', 'u.compartments'])
    // Locked when the latest attempts within the lock period are all failures, as password sign-in decides.
    .select(
      sql<boolean>`(
        select count(*) filter (where not a.succeeded) = ${policy.maxFailures}
        from (
          select succeeded from sign_in_attempt
          where username = u.username and at > ${lockedSince}
          order by at desc limit ${policy.maxFailures}
        ) a
      )`.as('locked'),
    )
    .where('t.tokenHash', '=', sha256(token))
    .where('t.revokedAt', 'is', null)
    .executeTakeFirst()
  if (!row) return { state: 'none' }
  if (row.expiresAt.getTime() <= now.getTime()) return { state: 'expired', expiredAt: row.expiresAt }
  if (!row.active) return { state: 'deactivated' }
  if (row.locked) return { state: 'locked' }
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.updateTable('apiToken').set({ lastUsedAt: now }).where('id', '=', row.tokenId).execute()
  }
  const { tokenId: _id, lastUsedAt: _used, expiresAt: _expires, active: _active, locked: _locked, ...user } = row
  return { state: 'valid', user }
}
