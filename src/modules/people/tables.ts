import type { ColumnType, Generated } from 'kysely'

// The people module's tables, as ./migrations in src/platform/db holds them (camelCase through CamelCasePlugin).

export type PeopleAlertCodeTable = {
  code: string
  alertType: string
  description: string
  visibleToRoles: string[] | null
  active: Generated<boolean>
}

export type PeopleNominalTable = {
  id: Generated<string>
  ref: string
  kind: 'prisoner' | 'staff' | 'visitor' | 'other'
  establishmentCode: string
  compartment: string | null
  firstName: string
  middleNames: string | null
  lastName: string
  dateOfBirth: string | null
  prisonNumber: string | null
  bookingId: string | null
  pncNumber: string | null
  croNumber: string | null
  staffNumber: string | null
  cellLocation: string | null
  securityCategory: string | null
  incentiveLevel: string | null
  sentenceStartDate: string | null
  releaseDate: string | null
  conditionalReleaseDate: string | null
  inCustody: Generated<boolean>
  notes: string | null
  source: Generated<'manual' | 'import'>
  createdAt: Date
  updatedAt: Date
}

export type PeopleAliasTable = {
  id: Generated<string>
  nominalId: string
  firstName: string
  lastName: string
  dateOfBirth: string | null
}

export type PeopleProtectedCharacteristicsTable = {
  nominalId: string
  sex: string | null
  ethnicity: string | null
  religion: string | null
  sexualOrientation: string | null
  disability: boolean | null
  nationality: string | null
  updatedAt: Date
}

export type PeopleAlertTable = {
  id: Generated<string>
  nominalId: string
  alertCode: string
  source: Generated<'manual' | 'import' | 'ocgm'>
  createdAt: Date
  createdBy: string
}

export type PeopleAlertVersionTable = {
  alertId: string
  version: number
  change: 'created' | 'amended' | 'closed' | 'reopened'
  description: string | null
  authorisedBy: string | null
  activeFrom: string
  activeTo: string | null
  comment: string | null
  changedBy: string
  changedAt: Date
}

export type PeopleTransferTable = {
  id: Generated<number>
  nominalId: string
  fromEstablishment: string | null
  toEstablishment: string
  occurredAt: Date
  source: 'manual' | 'import'
}

export type PeopleImportRunTable = {
  id: Generated<string>
  fileName: string
  startedAt: Date
  finishedAt: Date | null
  startedBy: string
  records: Generated<number>
  created: Generated<number>
  updated: Generated<number>
  unchanged: Generated<number>
  transferred: Generated<number>
  rejected: Generated<number>
  rejections: ColumnType<{ record: number; prisonerNumber?: string; reasons: string[] }[], string | undefined, string>
}

export type PeopleTables = {
  peopleAlertCode: PeopleAlertCodeTable
  peopleNominal: PeopleNominalTable
  peopleAlias: PeopleAliasTable
  peopleProtectedCharacteristics: PeopleProtectedCharacteristicsTable
  peopleAlert: PeopleAlertTable
  peopleAlertVersion: PeopleAlertVersionTable
  peopleTransfer: PeopleTransferTable
  peopleImportRun: PeopleImportRunTable
}
