import type { Insertable, Updateable } from 'kysely'
import type { Executor } from '../db/database.ts'
import type { ApiTokenTable, AppUserTable } from '../db/tables.ts'

const PUBLIC_COLUMNS = [
  'appUser.id',
  'appUser.username',
  'appUser.displayName',
  'appUser.email',
  'appUser.department',
  'appUser.establishmentCode',
  'appUser.roles',
  'appUser.scope',
  'appUser.compartments',
  'appUser.active',
  'appUser.createdAt',
  'appUser.updatedAt',
] as const

export function findUserByUsername(db: Executor, username: string) {
  return db
    .selectFrom('appUser')
    .innerJoin('establishment', 'establishment.code', 'appUser.establishmentCode')
    .select([...PUBLIC_COLUMNS, 'establishment.name as establishmentName'])
    .where('appUser.username', '=', username)
    .executeTakeFirst()
}
export type UserRow = NonNullable<Awaited<ReturnType<typeof findUserByUsername>>>

export function listUsers(
  db: Executor,
  filter: { establishmentCodes: readonly string[] | 'all'; search?: string; limit: number; offset: number },
) {
  let query = db
    .selectFrom('appUser')
    .innerJoin('establishment', 'establishment.code', 'appUser.establishmentCode')
    .select([...PUBLIC_COLUMNS, 'establishment.name as establishmentName'])
  if (filter.establishmentCodes !== 'all') {
    query = query.where('appUser.establishmentCode', 'in', [...filter.establishmentCodes])
  }
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`
    query = query.where(eb => eb.or([eb('appUser.username', 'ilike', like), eb('appUser.displayName', 'ilike', like)]))
  }
  return query.orderBy('appUser.username').limit(filter.limit).offset(filter.offset).execute()
}

export async function countUsers(
  db: Executor,
  filter: { establishmentCodes: readonly string[] | 'all'; search?: string },
) {
  let query = db.selectFrom('appUser').select(db.fn.countAll<number>().as('n'))
  if (filter.establishmentCodes !== 'all')
    query = query.where('establishmentCode', 'in', [...filter.establishmentCodes])
  if (filter.search) {
    const like = `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`
    query = query.where(eb => eb.or([eb('username', 'ilike', like), eb('displayName', 'ilike', like)]))
  }
  return (await query.executeTakeFirstOrThrow()).n
}

export function listTokens(db: Executor, userId: string) {
  return db
    .selectFrom('apiToken')
    .select(['id', 'name', 'tokenPrefix', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .execute()
}

export function listEstablishmentOptions(db: Executor, codes: readonly string[] | 'all') {
  let query = db.selectFrom('establishment').select(['code', 'name']).where('active', '=', true)
  if (codes !== 'all') query = query.where('code', 'in', [...codes])
  return query.orderBy('name').execute()
}

export async function establishmentExists(db: Executor, code: string) {
  return Boolean(await db.selectFrom('establishment').select('code').where('code', '=', code).executeTakeFirst())
}

export async function usernameTaken(db: Executor, username: string) {
  return Boolean(await db.selectFrom('appUser').select('id').where('username', '=', username).executeTakeFirst())
}

/** The user a single sign-on provider's issuer and subject belong to, if they have signed in that way before. */
export function findUserByExternalIdentity(db: Executor, issuer: string, subject: string) {
  return db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName', 'establishmentCode', 'roles', 'scope', 'compartments', 'active'])
    .where('externalIssuer', '=', issuer)
    .where('externalSubject', '=', subject)
    .executeTakeFirst()
}

export function insertUser(db: Executor, user: Insertable<AppUserTable>) {
  return db.insertInto('appUser').values(user).returning(['id', 'username']).executeTakeFirstOrThrow()
}

export function updateUser(db: Executor, userId: string, fields: Updateable<AppUserTable>) {
  return db.updateTable('appUser').set(fields).where('id', '=', userId).execute()
}

/** Ends every open session of a user: a new password or a deactivation signs them out everywhere. */
export function endSessions(db: Executor, userId: string, reason: 'replaced' | 'deactivated', now: Date) {
  return db
    .updateTable('userSession')
    .set({ endedAt: now, endReason: reason })
    .where('userId', '=', userId)
    .where('endedAt', 'is', null)
    .execute()
}

export async function insertApiToken(db: Executor, token: Insertable<ApiTokenTable>) {
  const created = await db.insertInto('apiToken').values(token).returning('id').executeTakeFirstOrThrow()
  return created.id
}

/** Revokes a user's token that is still live; false when there is none such. */
export async function revokeApiToken(
  db: Executor,
  token: { tokenId: string; userId: string; revokedBy: string | null; now: Date },
) {
  const revoked = await db
    .updateTable('apiToken')
    .set({ revokedAt: token.now, revokedBy: token.revokedBy })
    .where('id', '=', token.tokenId)
    .where('userId', '=', token.userId)
    .where('revokedAt', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return Boolean(revoked)
}

/** The department a user belongs to, if one is recorded. */
export async function departmentOfUser(db: Executor, userId: string) {
  const row = await db.selectFrom('appUser').select('department').where('id', '=', userId).executeTakeFirst()
  return row?.department ?? null
}

/** The active staff of an establishment, by department and name. */
export function activeStaffAt(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('appUser')
    .select(['username', 'displayName', 'department'])
    .where('establishmentCode', '=', establishmentCode)
    .where('active', '=', true)
    .orderBy('department')
    .orderBy('displayName')
    .execute()
}

/** A user's username and home establishment, by username (any case). */
export function findUserHome(db: Executor, username: string) {
  return db
    .selectFrom('appUser')
    .select(['username', 'establishmentCode'])
    .where('username', '=', username.toLowerCase())
    .executeTakeFirst()
}

/** Who acted when no person did: the names the audit trail and pages show for them. */
const SYSTEM_ACTORS: Record<string, string> = {
  system: 'Portcullis',
  demo: 'Demo data',
  cli: 'Command line',
}

/**
 * The names people are shown by, for many usernames in one query. The system's own actors have names of their own;
 * any other username without an account stands for itself.
 */

export async function displayNames(db: Executor, usernames: Iterable<string | null | undefined>) {
  const wanted = [...new Set([...usernames].filter((u): u is string => Boolean(u)))]
  const names = new Map<string, string>(wanted.map(u => [u, SYSTEM_ACTORS[u] ?? u]))
  if (wanted.length === 0) return names
  const rows = await db
    .selectFrom('appUser')
    .select(['username', 'displayName'])
    .where('username', 'in', wanted)
    .execute()
  for (const row of rows) names.set(row.username, row.displayName)
  return names
}

/** The field that holds the name shown for a username field: `proposer` → `proposerName`, `actorUsername` → `actorName`. */
type NameKey<K extends string> = K extends 'username'
  ? 'name'
  : K extends `${infer P}Username`
    ? `${P}Name`
    : `${K}Name`

export type Named<Row, Key extends keyof Row & string> = Row & {
  [K in Key as NameKey<K>]: Row[K] extends string ? string : string | null
}

function nameKey(key: string) {
  if (key === 'username') return 'name'
  return key.endsWith('Username') ? `${key.slice(0, -'Username'.length)}Name` : `${key}Name`
}

/**
 * The rows with a name beside each username field (`proposer` → `proposerName`, `actorUsername` → `actorName`),
 * looked up in one query. Services call this so that pages show people by name and never by username.
 */
export async function withDisplayNames<Row extends object, Key extends keyof Row & string>(
  db: Executor,
  rows: readonly Row[],
  keys: readonly Key[],
): Promise<Named<Row, Key>[]> {
  const names = await displayNames(
    db,
    rows.flatMap(row => keys.map(key => row[key] as string | null)),
  )
  return rows.map(row => {
    const added: Record<string, string | null> = {}
    for (const key of keys) {
      const username = row[key] as string | null
      added[nameKey(key)] = username ? (names.get(username) ?? username) : null
    }
    return { ...row, ...added } as Named<Row, Key>
  })
}
