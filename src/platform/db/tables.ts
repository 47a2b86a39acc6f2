import type { ColumnType, Generated } from 'kysely'
import type { IntelligenceTables } from '../../modules/intelligence/tables.ts'
import type { LssTables } from '../../modules/lss/tables.ts'
import type { PeopleTables } from '../../modules/people/tables.ts'
import type { SearchingTables } from '../../modules/searching/tables.ts'
import type { SocTables } from '../../modules/soc/tables.ts'

// The one Database interface, mirroring the SQL in ./migrations in camelCase (Kysely's CamelCasePlugin): the
// platform's tables here, each module's in its own tables.ts, merged below.
// Timestamps (timestamptz) arrive as Date; calendar dates (date) as 'YYYY-MM-DD' strings.

export type CreatedAt = ColumnType<Date, Date | string | undefined, never>
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>

export type SchemaMigrationTable = {
  version: string
  name: string
  checksum: string
  appliedAt: CreatedAt
}

export type EstablishmentTable = {
  code: string
  name: string
  prisonGroup: string | null
  socuRegion: string | null
  highSecurity: boolean
  gender: 'male' | 'female' | 'mixed' | null
  functions: string[]
  active: Generated<boolean>
  createdAt: CreatedAt
  updatedAt: UpdatedAt
}

export type AppUserTable = {
  id: Generated<string>
  username: string
  displayName: string
  email: string | null
  department: string | null
  establishmentCode: string
  roles: string[]
  scope: 'establishment' | 'group' | 'region' | 'national'
  compartments: string[]
  passwordHash: string | null
  externalIssuer: string | null
  externalSubject: string | null
  active: Generated<boolean>
  createdAt: CreatedAt
  updatedAt: UpdatedAt
}

export type UserSessionTable = {
  id: string
  userId: string
  authMethod: 'password' | 'oidc'
  createdAt: Date
  lastSeenAt: Date
  endedAt: Date | null
  endReason: 'signed-out' | 'idle' | 'deactivated' | 'replaced' | null
  ip: string | null
  userAgent: string | null
}

export type SignInAttemptTable = {
  id: Generated<number>
  username: string
  ip: string
  succeeded: boolean
  at: Date
}

export type ApiTokenTable = {
  id: Generated<string>
  userId: string
  name: string
  tokenHash: string
  tokenPrefix: string
  createdAt: Date
  createdBy: string | null
  lastUsedAt: Date | null
  expiresAt: Date
  revokedAt: Date | null
  revokedBy: string | null
}

/** A creating API request's key, and the answer it got, so that a retry gets the same answer. */
export type IdempotencyKeyTable = {
  userId: string
  key: string
  operation: string
  requestHash: string
  createdAt: Date
  responseStatus: number | null
  responseBody: unknown
  responseLocation: string | null
}

/** What an audit event says, in audit_event and while it waits in audit_pending. */
type AuditEventFields = {
  id: Generated<number>
  occurredAt: Date
  actorUserId: string | null
  actorUsername: string
  action: string
  subjectType: string | null
  subjectId: string | null
  establishmentCode: string | null
  correlationId: string | null
  compartment: string | null
}

export type AuditEventTable = AuditEventFields & {
  details: ColumnType<Record<string, unknown>, string, never>
  prevHash: string
  hash: string
}

/** Events waiting for their transaction to commit, when a trigger appends them to the chain. */
export type AuditPendingTable = AuditEventFields & {
  details: string
  hashBefore: string
  hashAfter: string
}

export type AuditChainHeadTable = {
  id: number
  lastId: number
  lastHash: string
}

type PlatformTables = {
  schemaMigration: SchemaMigrationTable
  establishment: EstablishmentTable
  appUser: AppUserTable
  userSession: UserSessionTable
  signInAttempt: SignInAttemptTable
  apiToken: ApiTokenTable
  idempotencyKey: IdempotencyKeyTable
  auditEvent: AuditEventTable
  auditChainHead: AuditChainHeadTable
  auditPending: AuditPendingTable
}

export type Database = PlatformTables & PeopleTables & IntelligenceTables & LssTables & SocTables & SearchingTables
