import type { Generated } from 'kysely'

// The searching module's tables, as migration 0012 in src/platform/db holds them (camelCase through CamelCasePlugin).

export type SearchingRequirementTable = {
  id: Generated<string>
  establishmentCode: string
  target: string
  location: string
  method: string
  everyDays: number
  startsOn: string
  notes: string | null
  createdBy: string
  createdAt: Date
  retiredAt: Date | null
  retiredBy: string | null
}

export type SearchingSearchTable = {
  id: Generated<string>
  ref: string
  establishmentCode: string
  requirementId: string | null
  target: string
  location: string
  wing: string
  method: string
  reason: string
  reportId: string | null
  conductedAt: Date
  conductedBy: string
  officers: string | null
  result: string
  notes: string | null
  recordedBy: string
  recordedAt: Date
}

export type SearchingFindTable = {
  id: Generated<string>
  ref: string
  establishmentCode: string
  category: string
  description: string
  foundAt: Date
  location: string
  wing: string
  how: string
  searchId: string | null
  foundBy: string
  recordedBy: string
  recordedAt: Date
}

export type SearchingFindPersonTable = {
  findId: string
  nominalId: string
  outcome: string | null
  outcomeReference: string | null
  outcomeBy: string | null
  outcomeAt: Date | null
}

export type SearchingFindReportTable = { findId: string; reportId: string }

export type SearchingExhibitTable = {
  id: Generated<string>
  ref: string
  findId: string
  establishmentCode: string
  sealNumber: string
  seizedByKind: string
  seizedByName: string
  seizedAt: Date
  storedAt: string
  createdBy: string
  createdAt: Date
  disposedAt: Date | null
  disposalMethod: string | null
  disposedBy: string | null
  disposalWitness: string | null
  disposalNotes: string | null
}

export type SearchingCustodyEventTable = {
  id: Generated<number>
  exhibitId: string
  kind: string
  at: Date
  fromKind: string
  fromName: string
  toKind: string
  toName: string
  location: string
  reason: string
  sealIntact: boolean
  sealNumber: string
  witness: string | null
  policeOfficer: string | null
  policeForce: string | null
  crimeReference: string | null
  recordedBy: string
  recordedAt: Date
}

export type SearchingPoliceHoldTable = {
  id: Generated<string>
  exhibitId: string
  officer: string
  force: string
  crimeReference: string
  reason: string
  placedAt: Date
  placedBy: string
  liftedAt: Date | null
  liftedBy: string | null
}

export type SearchingInterrogationTable = {
  id: Generated<string>
  ref: string
  findId: string
  establishmentCode: string
  imei: string | null
  iccid: string | null
  lawfulBasis: string
  authorisationRef: string | null
  requestedBy: string
  requestedAt: Date
  resultAt: Date | null
  resultBy: string | null
  reportId: string | null
}

export type SearchingInterrogationItemTable = {
  id: Generated<number>
  interrogationId: string
  type: string
  value: string
  name: string | null
}

export type SearchingVisitMeasureTable = {
  id: Generated<string>
  establishmentCode: string
  visitorName: string
  visitorDateOfBirth: string | null
  nominalId: string | null
  measure: string
  reason: string
  findId: string | null
  startsOn: string
  reviewOn: string
  endsOn: string | null
  decidedBy: string
  decidedAt: Date
  endedAt: Date | null
  endedBy: string | null
}

/** Migration 0016: a review of a measure on a visitor, which continues it to a new review date or ends it. */
export type SearchingVisitMeasureReviewTable = {
  id: Generated<string>
  measureId: string
  establishmentCode: string
  reviewedOn: string
  outcome: string
  nextReviewOn: string | null
  notes: string
  reviewedBy: string
  reviewedAt: Date
}

export type SearchingItemPermissionTable = {
  id: Generated<string>
  establishmentCode: string
  category: string
  description: string
  holder: string
  location: string | null
  validFrom: Date
  validUntil: Date
  authorisedBy: string
  authorisedAt: Date
  revokedAt: Date | null
  revokedBy: string | null
  /** Migration 0016. */
  revocationReason: string | null
}

export type SearchingTables = {
  searchingRequirement: SearchingRequirementTable
  searchingSearch: SearchingSearchTable
  searchingFind: SearchingFindTable
  searchingFindPerson: SearchingFindPersonTable
  searchingFindReport: SearchingFindReportTable
  searchingExhibit: SearchingExhibitTable
  searchingCustodyEvent: SearchingCustodyEventTable
  searchingPoliceHold: SearchingPoliceHoldTable
  searchingInterrogation: SearchingInterrogationTable
  searchingInterrogationItem: SearchingInterrogationItemTable
  searchingVisitMeasure: SearchingVisitMeasureTable
  searchingVisitMeasureReview: SearchingVisitMeasureReviewTable
  searchingItemPermission: SearchingItemPermissionTable
}
