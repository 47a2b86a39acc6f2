import type { Executor } from '../db/database.ts'

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
    .select(['id', 'name', 'tokenPrefix', 'createdAt', 'lastUsedAt', 'revokedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .execute()
}

export function listEstablishmentOptions(db: Executor, codes: readonly string[] | 'all') {
  let query = db.selectFrom('establishment').select(['code', 'name']).where('active', '=', true)
  if (codes !== 'all') query = query.where('code', 'in', [...codes])
  return query.orderBy('name').execute()
}
