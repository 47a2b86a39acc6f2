import type { ColumnType, Generated } from 'kysely'

// The lss module's tables, as ./migrations in src/platform/db holds them (camelCase through CamelCasePlugin).

export type LssSettingTable = { establishmentCode: string; pgdRequired: boolean; updatedAt: Date; updatedBy: string }
export type LssEditorTable = { establishmentCode: string; username: string; nominatedBy: string; nominatedAt: Date }
export type LssInstructionTable = {
  id: Generated<string>
  ref: string
  establishmentCode: string
  riskArea: string
  title: string
  owner: string
  nationalPolicyUrl: string | null
  supportingTools: ColumnType<{ title: string; url: string }[], string, string>
  reviewDue: string | null
  currentVersion: Generated<number>
  createdAt: Date
  createdBy: string
}
export type LssInstructionVersionTable = {
  instructionId: string
  version: number
  aimAndPurpose: string
  nationalReference: string
  localReference: string
  procedures: string
  textHash: string
  amendmentId: string | null
  publishedAt: Date
  publishedBy: string
}
export type LssAmendmentTable = {
  id: Generated<string>
  ref: string
  instructionId: string
  establishmentCode: string
  proposer: string
  proposedAt: Date
  baseVersion: number
  aimAndPurpose: string
  nationalReference: string
  localReference: string
  procedures: string
  textHash: string
  change: string
  reasoning: string
  relatesTo: string
  governorChoosesPgd: boolean
  requiredApprovals: string[]
  status: string
  rowVersion: Generated<number>
  publishedVersion: number | null
}
export type LssAmendmentDecisionTable = {
  id: Generated<number>
  amendmentId: string
  role: string
  decision: string
  decidedBy: string
  decidedAt: Date
  notes: string | null
  textHash: string
}
export type LssAmendmentRevisionTable = {
  id: Generated<number>
  amendmentId: string
  aimAndPurpose: string
  nationalReference: string
  localReference: string
  procedures: string
  textHash: string
  revisedBy: string
  revisedAt: Date
}
export type LssAcknowledgementTable = {
  instructionId: string
  version: number
  username: string
  department: string | null
  establishmentCode: string
  acknowledgedAt: Date
}
export type LssRiskAssessmentTable = {
  id: Generated<string>
  ref: string
  establishmentCode: string
  reason: string
  reasonNote: string | null
  status: string
  startedAt: Date
  startedBy: string
  completedAt: Date | null
  completedBy: string | null
  summary: string | null
}
export type LssAssessmentFindingTable = {
  id: Generated<number>
  assessmentId: string
  threatArea: string
  component: string
  kind: string
  text: string
  evidence: string[]
  addedBy: string
  addedAt: Date
}
export type LssAssessmentEvidenceTable = {
  id: Generated<number>
  assessmentId: string
  source: string
  title: string
  link: string | null
  figures: ColumnType<Record<string, unknown> | null, string | null, string | null>
  addedBy: string
  addedAt: Date
}
export type LssAssessmentContributorTable = { assessmentId: string; name: string; department: string }
export type LssAssessmentActionTable = {
  id: Generated<number>
  assessmentId: string
  establishmentCode: string
  description: string
  owner: string
  dueDate: string
  status: Generated<string>
  amendmentId: string | null
  addedBy: string
  addedAt: Date
}
export type LssSignificantChangeTable = {
  id: Generated<number>
  establishmentCode: string
  recordedOn: string
  description: string
  recordedBy: string
  recordedAt: Date
}
export type LssAssuranceStatementTable = {
  id: Generated<string>
  establishmentCode: string
  year: number
  statement: string
  levelOfAssurance: string
  additionalChecks: string[]
  lssHash: string
  riskAssessmentRef: string
  preparedBy: string
  preparedAt: Date
  governorUsername: string | null
  governorSignedAt: Date | null
  pgdUsername: string | null
  pgdSignedAt: Date | null
}

export type LssTables = {
  lssSetting: LssSettingTable
  lssEditor: LssEditorTable
  lssInstruction: LssInstructionTable
  lssInstructionVersion: LssInstructionVersionTable
  lssAmendment: LssAmendmentTable
  lssAmendmentDecision: LssAmendmentDecisionTable
  lssAmendmentRevision: LssAmendmentRevisionTable
  lssAcknowledgement: LssAcknowledgementTable
  lssRiskAssessment: LssRiskAssessmentTable
  lssAssessmentFinding: LssAssessmentFindingTable
  lssAssessmentEvidence: LssAssessmentEvidenceTable
  lssAssessmentContributor: LssAssessmentContributorTable
  lssAssessmentAction: LssAssessmentActionTable
  lssSignificantChange: LssSignificantChangeTable
  lssAssuranceStatement: LssAssuranceStatementTable
}
