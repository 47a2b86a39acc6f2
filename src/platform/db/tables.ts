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

export type SocGroupTable = {
  id: Generated<string>
  ref: string
  name: string
  significance: string | null
  active: Generated<boolean>
  updatedAt: Date
}
export type SocOcgmImportTable = {
  id: Generated<string>
  fileName: string
  importedAt: Date
  importedBy: string
  rows: number
  matched: number
  unmatched: number
  rejected: number
  flagsAdded: number
  flagsClosed: number
  report: ColumnType<Record<string, unknown>, string, string>
}
export type SocGroupMemberTable = {
  id: Generated<number>
  groupId: string
  nominalId: string | null
  prisonNumber: string | null
  pncNumber: string | null
  name: string | null
  dateOfBirth: string | null
  role: string | null
  importId: string
  line: number
  resolvedBy: string | null
}
export type SocNominalTable = {
  id: Generated<string>
  nominalId: string
  nominatedByType: string
  nominatedBy: string
  nominatorName: string
  rationale: string
  nominatedAt: Date
  criteria: string[]
  band: string | null
  status: string
  selectedOn: string | null
  lastReview: string | null
  releaseDateKnownOn: string | null
  releasedOn: string | null
  adoptedInCommunityOn: string | null
  communityPlanAgreedOn: string | null
  communityNotifiedOn: string | null
}
export type SocMeetingTable = {
  id: Generated<string>
  ref: string
  kind: string
  socuRegion: string
  establishmentCode: string | null
  heldOn: string
  attendees: string[]
  notes: string | null
  createdBy: string
  createdAt: Date
}
export type SocDecisionTable = {
  id: Generated<number>
  meetingId: string
  socNominalId: string
  decision: string
  reason: string | null
  decidedBy: string
  decidedAt: Date
}
export type SocReviewTable = {
  id: Generated<number>
  socNominalId: string
  reviewedOn: string
  kind: string
  outcome: string
  notes: string | null
  meetingId: string | null
  reviewedBy: string
  recordedAt: Date
}
export type SocPlanActionTable = {
  id: Generated<number>
  socNominalId: string
  description: string
  owner: string
  dueDate: string
  tactic: string
  status: string
  createdBy: string
  createdAt: Date
  updatedBy: string | null
  updatedAt: Date | null
}
export type SocTriggerTable = {
  id: Generated<number>
  socNominalId: string
  establishmentCode: string
  code: string
  occurredOn: string
  details: string
  recordedBy: string
  recordedAt: Date
  seenBySocuAt: Date | null
  seenBy: string | null
}
export type SocDisruptionTable = {
  id: Generated<string>
  socNominalId: string | null
  groupId: string | null
  establishmentCode: string | null
  occurredOn: string
  what: string
  impact: string
  recordedBy: string
  recordedAt: Date
  moderation: Generated<string>
  moderatedImpact: string | null
  moderationNotes: string | null
  moderatedBy: string | null
  moderatedAt: Date | null
}
export type SocDipSampleTable = {
  id: Generated<string>
  scope: string
  characteristic: string
  takenOn: string
  threshold: number
  rows: ColumnType<unknown[], string, string>
  correctiveAction: string | null
  takenBy: string
  takenAt: Date
}
export type SocAssuranceVisitTable = {
  id: Generated<number>
  establishmentCode: string
  visitedOn: string
  visitedBy: string
  findings: string
  recordedAt: Date
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
  auditPending: AuditPendingTable
  peopleAlertCode: PeopleAlertCodeTable
  peopleNominal: PeopleNominalTable
  peopleAlias: PeopleAliasTable
  peopleProtectedCharacteristics: PeopleProtectedCharacteristicsTable
  peopleAlert: PeopleAlertTable
  peopleAlertVersion: PeopleAlertVersionTable
  peopleTransfer: PeopleTransferTable
  peopleImportRun: PeopleImportRunTable
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
  socGroup: SocGroupTable
  socOcgmImport: SocOcgmImportTable
  socGroupMember: SocGroupMemberTable
  socNominal: SocNominalTable
  socMeeting: SocMeetingTable
  socDecision: SocDecisionTable
  socReview: SocReviewTable
  socPlanAction: SocPlanActionTable
  socTrigger: SocTriggerTable
  socDisruption: SocDisruptionTable
  socDipSample: SocDipSampleTable
  socAssuranceVisit: SocAssuranceVisitTable
}
