import type { ColumnType, Generated } from 'kysely'

// The soc module's tables, as ./migrations in src/platform/db holds them (camelCase through CamelCasePlugin).

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

export type SocTables = {
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
