import type { ColumnType, Generated } from 'kysely'

// The one Database interface, mirroring the SQL in ./migrations in camelCase (Kysely's CamelCasePlugin).
// Timestamps (timestamptz) arrive as Date; calendar dates (date) as 'YYYY-MM-DD' strings.

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>

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
  revokedAt: Date | null
  revokedBy: string | null
}

export type AuditEventTable = {
  id: Generated<number>
  occurredAt: Date
  actorUserId: string | null
  actorUsername: string
  action: string
  subjectType: string | null
  subjectId: string | null
  establishmentCode: string | null
  correlationId: string | null
  details: ColumnType<Record<string, unknown>, string, never>
  prevHash: string
  hash: string
}

export type AuditChainHeadTable = {
  id: number
  lastId: number
  lastHash: string
}

export type Database = {
  schemaMigration: SchemaMigrationTable
  establishment: EstablishmentTable
  appUser: AppUserTable
  userSession: UserSessionTable
  signInAttempt: SignInAttemptTable
  apiToken: ApiTokenTable
  auditEvent: AuditEventTable
  auditChainHead: AuditChainHeadTable
}
