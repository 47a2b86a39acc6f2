import { type RawBuilder, sql } from 'kysely'
import type { Executor } from '../db/database.ts'
import {
  type Compartment,
  isCompartment,
  isRole,
  type Permission,
  permissionsOf,
  type Role,
  type Scope,
} from './roles.ts'

/** What a permission check may be about: a record's establishment and its compartment (null when open). */
export type Resource = { establishmentCode?: string | null; compartment?: string | null }

export type CurrentUser = {
  id: string
  username: string
  displayName: string
  establishmentCode: string
  establishmentName: string
  roles: readonly Role[]
  scope: Scope
  compartments: readonly Compartment[]
  permissions: ReadonlySet<Permission>
  /** The establishments this user acts in; 'all' for national scope. */
  establishmentCodes: readonly string[] | 'all'
  via: 'session' | 'token'
  can(permission: Permission, resource?: Resource): boolean
  inScope(establishmentCode: string): boolean
  holds(compartment: string | null | undefined): boolean
}

export type UserRecord = {
  id: string
  username: string
  displayName: string
  establishmentCode: string
  roles: string[]
  scope: Scope
  compartments: string[]
}

/** Builds the per-request user: roles become permissions, scope becomes the establishments it covers. */
export async function loadCurrentUser(db: Executor, record: UserRecord, via: CurrentUser['via']): Promise<CurrentUser> {
  const home = await db
    .selectFrom('establishment')
    .select(['name', 'prisonGroup', 'socuRegion'])
    .where('code', '=', record.establishmentCode)
    .executeTakeFirstOrThrow()
  let establishmentCodes: readonly string[] | 'all' = [record.establishmentCode]
  if (record.scope === 'national') establishmentCodes = 'all'
  const overseen =
    record.scope === 'group' && home.prisonGroup
      ? await db.selectFrom('establishment').select('code').where('prisonGroup', '=', home.prisonGroup).execute()
      : record.scope === 'region' && home.socuRegion
        ? await db.selectFrom('establishment').select('code').where('socuRegion', '=', home.socuRegion).execute()
        : []
  if (overseen.length > 0) {
    establishmentCodes = [...new Set([record.establishmentCode, ...overseen.map(row => row.code)])]
  }
  return makeCurrentUser({ ...record, establishmentName: home.name, establishmentCodes }, via)
}

export function makeCurrentUser(
  record: UserRecord & { establishmentName: string; establishmentCodes: readonly string[] | 'all' },
  via: CurrentUser['via'],
): CurrentUser {
  const roles = record.roles.filter(isRole)
  const compartments = record.compartments.filter(isCompartment)
  const permissions = permissionsOf(roles)
  const codes = record.establishmentCodes
  const inScope = (code: string) => codes === 'all' || codes.includes(code)
  const holds = (compartment: string | null | undefined) =>
    compartment == null || (compartments as readonly string[]).includes(compartment)
  return {
    id: record.id,
    username: record.username,
    displayName: record.displayName,
    establishmentCode: record.establishmentCode,
    establishmentName: record.establishmentName,
    roles,
    scope: record.scope,
    compartments,
    permissions,
    establishmentCodes: codes,
    via,
    inScope,
    holds,
    can(permission, resource) {
      if (!permissions.has(permission)) return false
      if (resource?.establishmentCode && !inScope(resource.establishmentCode)) return false
      return holds(resource?.compartment)
    },
  }
}

/**
 * The one SQL predicate for scope and need-to-know: every query of restricted rows uses it, so a record outside
 * the user's establishments or compartments never leaves the database. Column names are as written in the query
 * (camelCase, optionally table-qualified).
 */
export function visibleTo(
  user: Pick<CurrentUser, 'establishmentCodes' | 'compartments'>,
  columns: { establishment: string; compartment?: string },
): RawBuilder<boolean> {
  const codes = user.establishmentCodes === 'all' ? 'all' : [...user.establishmentCodes]
  // One prison is compared with `=`, not `= any(…)`: PostgreSQL before 17 walks an index in order only for `=`, and
  // a search at one prison reads its newest reports first through (establishment_code, submitted_at desc).
  const scope =
    codes === 'all'
      ? sql<boolean>`true`
      : codes.length === 1
        ? sql<boolean>`${sql.ref(columns.establishment)} = ${codes[0]}`
        : sql<boolean>`${sql.ref(columns.establishment)} = any(${codes}::text[])`
  if (!columns.compartment) return scope
  const compartment = sql<boolean>`(${sql.ref(columns.compartment)} is null or ${sql.ref(columns.compartment)} = any(${[
    ...user.compartments,
  ]}::text[]))`
  return sql<boolean>`(${scope} and ${compartment})`
}
