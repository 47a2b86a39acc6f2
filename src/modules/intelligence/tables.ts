import type { ColumnType, Generated } from 'kysely'

// The intelligence module's tables, as ./migrations in src/platform/db holds them (camelCase through CamelCasePlugin).

export type IntelligenceSettingTable = {
  establishmentCode: string
  gradingScheme: '3x5x2' | '5x5x5'
  updatedAt: Date
  updatedBy: string
}

export type IntelligenceReportTable = {
  id: Generated<string>
  ref: string
  establishmentCode: string
  compartment: string | null
  originalCompartment: string | null
  reporterId: string
  reporterUsername: string
  submissionKey: string
  submittedAt: Date
  occurredAt: Date
  location: string | null
  sourceType: string
  threatAreas: string[]
  urgent: boolean
  text: string
  namedPeople: string[]
  status: string
  linkedToRef: string | null
  sanitisedText: string | null
  gradingScheme: string | null
  gradingSource: string | null
  gradingIntelligence: string | null
  gradingHandling: string | null
  gradingConditions: string | null
  textSearch: ColumnType<string, never, never>
  sanitisedSearch: ColumnType<string, never, never>
}

export type IntelligenceStatusChangeTable = {
  id: Generated<number>
  reportId: string
  fromStatus: string | null
  toStatus: string
  note: string | null
  changedBy: string
  changedAt: Date
}

export type IntelligenceGradingTable = {
  reportId: string
  version: number
  scheme: string
  source: string
  intelligence: string
  handling: string
  conditions: string | null
  gradedBy: string
  gradedAt: Date
}

export type IntelligenceSanitisedVersionTable = {
  reportId: string
  version: number
  text: string
  writtenBy: string
  writtenAt: Date
}

export type IntelligenceNominalLinkTable = {
  reportId: string
  nominalId: string
  role: string
  establishmentCode: string
  linkedBy: string
  linkedAt: Date
}

export type IntelligenceEntityTable = {
  id: Generated<number>
  type: string
  value: string
}

export type IntelligenceReportEntityTable = {
  reportId: string
  entityId: number
  status: string
  establishmentCode: string
  raw: string | null
  decidedBy: string | null
  decidedAt: Date | null
}

export type IntelligenceDoNotLinkTable = {
  id: Generated<number>
  establishmentCode: string | null
  type: string
  value: string
  reason: string
  addedBy: string
  addedAt: Date
  removedAt: Date | null
  removedBy: string | null
}

export type IntelligenceDisseminationTable = {
  id: Generated<string>
  reportId: string
  establishmentCode: string
  recipientType: string
  recipientName: string
  purpose: string
  sanitisedVersion: number
  sanitisedText: string
  gradingScheme: string
  gradingSource: string
  gradingIntelligence: string
  gradingHandling: string
  handlingCheck: 'within-terms' | 'overridden'
  overrideReason: string | null
  authorisedBy: string
  disseminatedAt: Date
}

export type IntelligenceTables = {
  intelligenceSetting: IntelligenceSettingTable
  intelligenceReport: IntelligenceReportTable
  intelligenceStatusChange: IntelligenceStatusChangeTable
  intelligenceGrading: IntelligenceGradingTable
  intelligenceSanitisedVersion: IntelligenceSanitisedVersionTable
  intelligenceNominalLink: IntelligenceNominalLinkTable
  intelligenceEntity: IntelligenceEntityTable
  intelligenceReportEntity: IntelligenceReportEntityTable
  intelligenceDoNotLink: IntelligenceDoNotLinkTable
  intelligenceDissemination: IntelligenceDisseminationTable
}
