// Intelligence policy as pure functions: what a report may be, how it is graded, how it moves through its
// workflow, and when it may be shared. No I/O; dates are passed in.

import {
  CODE_LENGTH,
  drawReference,
  type RandomBytes,
  REFERENCE_ALPHABET,
  writtenForm,
} from '../../platform/reference/codes.ts'

export const SOURCE_TYPES = [
  'own-observation',
  'told-by-prisoner',
  'overheard',
  'found-item',
  'phone-monitoring',
  'mail-monitoring',
  'other-agency',
  'chis',
  'other',
] as const

/**
 * Sources the system records, never offered to a reporter: the result of interrogating a seized phone (service
 * specification output 15), whose numbers and IMEIs become the report's entities.
 */
export const RECORDED_SOURCE_TYPES = ['phone-interrogation'] as const
export type SourceType = (typeof SOURCE_TYPES)[number] | (typeof RECORDED_SOURCE_TYPES)[number]

export const SOURCE_TYPE_NAMES: Record<SourceType, string> = {
  'own-observation': 'I saw or heard it myself',
  'told-by-prisoner': 'A prisoner told me',
  overheard: 'I overheard it',
  'found-item': 'From an item found',
  'phone-monitoring': 'Phone monitoring',
  'mail-monitoring': 'Mail monitoring',
  'other-agency': 'Another agency',
  chis: 'A covert human intelligence source (CHIS)',
  other: 'Another way',
  'phone-interrogation': 'Interrogation of a seized phone',
}

// The five risk areas of the Local Security Strategy, then the wider threats the security department tracks.
export const THREAT_AREAS = [
  'conveyance',
  'escape-abscond',
  'illicit-communications',
  'illicit-economy',
  'violence-disorder',
  'soc',
  'extremism',
  'staff-corruption',
  'public-protection',
  'safety',
] as const
export type ThreatArea = (typeof THREAT_AREAS)[number]

export const THREAT_AREA_NAMES: Record<ThreatArea, string> = {
  conveyance: 'Conveyance',
  'escape-abscond': 'Escape or abscond',
  'illicit-communications': 'Illicit communications',
  'illicit-economy': 'Illicit economy',
  'violence-disorder': 'Violence and disorder',
  soc: 'Serious and organised crime',
  extremism: 'Extremism',
  'staff-corruption': 'Staff corruption',
  'public-protection': 'Public protection',
  safety: 'Safety',
}

export const NOMINAL_ROLES = ['subject', 'associate', 'mentioned'] as const
export type NominalRole = (typeof NOMINAL_ROLES)[number]

export const STATUSES = [
  'submitted',
  'in-assessment',
  'graded',
  'disseminated',
  'no-further-action',
  'linked-to-existing',
] as const
export type ReportStatus = (typeof STATUSES)[number]

export const STATUS_NAMES: Record<ReportStatus, string> = {
  submitted: 'Submitted',
  'in-assessment': 'In assessment',
  graded: 'Graded',
  disseminated: 'Disseminated',
  'no-further-action': 'No further action',
  'linked-to-existing': 'Linked to existing intelligence',
}

export const MAX_REPORT_LENGTH = 10_000

// Issue 13, defect 6: "A report in a compartment must not be inferable from the references that others see." A number
// drawn from a sequence leaves a gap where a hidden report sits, and a report moved into a compartment after
// submission had a reference others saw, so a reference is drawn at random: no order, no count, no gap. The year
// stays: the only reports whose references someone sees are those they can read, dated on the page anyway.

export { type RandomBytes, REFERENCE_ALPHABET } from '../../platform/reference/codes.ts'

/** A report reference: the numbered form of reports made before issue 13, or the drawn form of those made since. */
export const REPORT_REF_PATTERN = new RegExp(`^IR-[A-Z]{3}-\\d{4}-(\\d{6}|[${REFERENCE_ALPHABET}]{${CODE_LENGTH}})$`)

/**
 * IR-MDI-2026-K7QX4M: establishment, year of submission and six characters drawn at random (21^6, some 86 million
 * a prison and year; the database refuses one already taken and the caller draws again). A code has at least one
 * letter, so that it is never one of the numbered references of earlier years.
 */
export function drawReportRef(establishmentCode: string, year: number, randomBytes: RandomBytes): string {
  return drawReference('IR', establishmentCode, year, randomBytes)
}

/**
 * A reference as someone typed or pasted it ("ir mdi 2026 k7qx 4m", "IR–MDI–2026–K7QX4M") in its one written form, or
 * null when it is not a report reference.
 */
export function parseReportRef(typed: string): string | null {
  const ref = writtenForm('IR', typed)
  return ref && REPORT_REF_PATTERN.test(ref) ? ref : null
}

// Need-to-know compartments a whole report can be put in (DESIGN.md "Who uses it": "without the compartment a record
// does not exist for that user"): by its threat area at submission, or by an analyst's decision at triage.
export const REPORT_COMPARTMENTS = ['staff-corruption', 'counter-terrorism'] as const
export type ReportCompartment = (typeof REPORT_COMPARTMENTS)[number]

export const REPORT_COMPARTMENT_NAMES: Record<ReportCompartment, string> = {
  'staff-corruption': 'Staff corruption',
  'counter-terrorism': 'Counter-terrorism',
}

// The threat areas that put a report in a compartment, the first that applies winning: a report about a corrupt
// member of staff stays with counter-corruption even where it is also about extremism.
const COMPARTMENT_OF_THREAT: readonly [ThreatArea, ReportCompartment][] = [
  ['staff-corruption', 'staff-corruption'],
  ['extremism', 'counter-terrorism'],
]

/**
 * Need-to-know for a new report. Staff corruption and extremism intelligence live only in their compartments; a
 * CHIS's original words are read only in the CHIS compartment, while the sanitised text can be shared as usual.
 */
export function compartmentsFor(report: { threatAreas: readonly ThreatArea[]; sourceType: SourceType }) {
  const byThreat = COMPARTMENT_OF_THREAT.find(([threat]) => report.threatAreas.includes(threat))
  return {
    compartment: byThreat ? byThreat[1] : null,
    originalCompartment: report.sourceType === 'chis' ? ('chis' as const) : null,
  }
}

/** Why a report cannot be put in a compartment at triage, or null. Once restricted it is the holders' to manage. */
export function restrictionProblem(current: string | null): string | null {
  if (current === null) return null
  const name = REPORT_COMPARTMENT_NAMES[current as ReportCompartment] ?? current
  return `This report is already restricted to the ${name.toLowerCase()} compartment`
}

// ---- Grading (DESIGN.md glossary; LEA sharing principles: NIM 5x5x5, Appendix D) ----

export const GRADING_SCHEMES = ['3x5x2', '5x5x5'] as const
export type GradingScheme = (typeof GRADING_SCHEMES)[number]

type Scale = readonly { code: string; meaning: string }[]

export const GRADING_SCALES: Record<GradingScheme, { source: Scale; intelligence: Scale; handling: Scale }> = {
  '3x5x2': {
    source: [
      { code: '1', meaning: 'Reliable' },
      { code: '2', meaning: 'Untested' },
      { code: '3', meaning: 'Not reliable' },
    ],
    intelligence: [
      { code: 'A', meaning: 'Known directly to the source' },
      { code: 'B', meaning: 'Known indirectly to the source but corroborated' },
      { code: 'C', meaning: 'Known indirectly to the source' },
      { code: 'D', meaning: 'Not known' },
      { code: 'E', meaning: 'Suspected to be false or malicious' },
    ],
    handling: [
      { code: 'P', meaning: 'Lawful sharing permitted' },
      { code: 'C', meaning: 'Lawful sharing permitted with conditions' },
    ],
  },
  '5x5x5': {
    source: [
      { code: 'A', meaning: 'Always reliable' },
      { code: 'B', meaning: 'Mostly reliable' },
      { code: 'C', meaning: 'Sometimes reliable' },
      { code: 'D', meaning: 'Unreliable' },
      { code: 'E', meaning: 'Untested source' },
    ],
    intelligence: [
      { code: '1', meaning: 'Known to be true without reservation' },
      { code: '2', meaning: 'Known personally to the source but not to the officer' },
      { code: '3', meaning: 'Not personally known to the source but corroborated' },
      { code: '4', meaning: 'Cannot be judged' },
      { code: '5', meaning: 'Suspected to be false or malicious' },
    ],
    handling: [
      { code: '1', meaning: 'May be disseminated to other law enforcement and prosecuting agencies' },
      { code: '2', meaning: 'May be disseminated to UK non-prosecuting parties' },
      { code: '3', meaning: 'May be disseminated to non-UK law enforcement agencies' },
      { code: '4', meaning: 'Dissemination within the originating agency only' },
      { code: '5', meaning: 'No further dissemination: refer to the originator' },
    ],
  },
}

export type Grading = {
  scheme: GradingScheme
  source: string
  intelligence: string
  handling: string
  conditions?: string | null
}

/** A grading's columns as a report, a search hit or a dissemination stores them (null where not graded). */
export type GradingColumns = {
  gradingScheme: string | null
  gradingSource: string | null
  gradingIntelligence: string | null
  gradingHandling: string | null
  gradingConditions?: string | null
}

/** The grading stored in a row's columns, or null when the row is not graded (or names no known scheme). */
export function gradingFromColumns(row: GradingColumns): Grading | null {
  const scheme = GRADING_SCHEMES.find(known => known === row.gradingScheme)
  if (!scheme || row.gradingSource === null || row.gradingIntelligence === null || row.gradingHandling === null)
    return null
  return {
    scheme,
    source: row.gradingSource,
    intelligence: row.gradingIntelligence,
    handling: row.gradingHandling,
    conditions: row.gradingConditions ?? null,
  }
}

/** Field problems with a grading, or none. Codes must belong to the scheme; handling C must state its conditions. */
export function gradingProblems(grading: Grading): { field: string; message: string }[] {
  const scale = GRADING_SCALES[grading.scheme]
  const problems: { field: string; message: string }[] = []
  const check = (field: 'source' | 'intelligence' | 'handling', label: string) => {
    if (!scale[field].some(step => step.code === grading[field])) {
      problems.push({ field, message: `Select a ${label} grade from the ${grading.scheme} scale` })
    }
  }
  check('source', 'source')
  check('intelligence', 'intelligence')
  check('handling', 'handling')
  if (grading.scheme === '3x5x2' && grading.handling === 'C' && !grading.conditions?.trim()) {
    problems.push({ field: 'conditions', message: 'State the conditions on sharing for handling code C' })
  }
  return problems
}

/** "3x5x2 1/B/P" or "5x5x5 B/2/4": how the grade is written on a report. */
export function gradingLabel(grading: Grading | null): string {
  if (!grading) return 'Not graded'
  return grading.scheme === '3x5x2'
    ? `3x5x2 ${grading.source}/${grading.intelligence}/${grading.handling}`
    : `5x5x5 ${grading.source}/${grading.intelligence}/${grading.handling}`
}

// ---- Workflow: a declarative transition table (who may move a report from which status, to which) ----

export const WORKFLOW_ACTIONS = [
  'start-assessment',
  'grade',
  'disseminate',
  'no-further-action',
  'link-to-existing',
] as const
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number]

export const TRANSITIONS: readonly {
  action: WorkflowAction
  from: readonly ReportStatus[]
  to: ReportStatus
  noteRequired: boolean
  banner: string
}[] = [
  {
    action: 'start-assessment',
    from: ['submitted'],
    to: 'in-assessment',
    noteRequired: false,
    banner: 'Assessment started',
  },
  {
    action: 'grade',
    from: ['in-assessment', 'graded', 'disseminated'],
    to: 'graded',
    noteRequired: false,
    banner: 'Report graded',
  },
  {
    action: 'disseminate',
    from: ['graded', 'disseminated'],
    to: 'disseminated',
    noteRequired: false,
    banner: 'Dissemination recorded',
  },
  {
    action: 'no-further-action',
    from: ['in-assessment', 'graded'],
    to: 'no-further-action',
    noteRequired: true,
    banner: 'Closed with no further action',
  },
  {
    action: 'link-to-existing',
    from: ['in-assessment', 'graded'],
    to: 'linked-to-existing',
    noteRequired: true,
    banner: 'Linked to existing intelligence',
  },
]

/** The status a report moves to, or null when the action is not allowed from its current status. */
export function nextStatus(current: ReportStatus, action: WorkflowAction): ReportStatus | null {
  const transition = TRANSITIONS.find(t => t.action === action && t.from.includes(current))
  // Re-grading a disseminated report keeps it disseminated: what was shared stays shared.
  if (transition?.action === 'grade' && current === 'disseminated') return 'disseminated'
  return transition?.to ?? null
}

export function actionsFrom(current: ReportStatus): WorkflowAction[] {
  return TRANSITIONS.filter(t => t.from.includes(current)).map(t => t.action)
}

/** The actions open to someone on a report: disseminating needs that permission, every other action assessing. */
export function actionsOpen(current: ReportStatus, may: { assess: boolean; disseminate: boolean }): WorkflowAction[] {
  return actionsFrom(current).filter(action => (action === 'disseminate' ? may.disseminate : may.assess))
}

// ---- Dissemination (LEA sharing principles, "Prison information to be disclosed to LEAs") ----

export const RECIPIENT_TYPES = ['establishment', 'police', 'socu', 'counter-terrorism', 'nca', 'probation'] as const
export type RecipientType = (typeof RECIPIENT_TYPES)[number]

export const RECIPIENT_TYPE_NAMES: Record<RecipientType, string> = {
  establishment: 'Another establishment',
  police: 'Police force or prison intelligence officer (PIO)',
  socu: 'Serious Organised Crime Unit (SOCU)',
  'counter-terrorism': 'Counter-terrorism',
  nca: 'National Crime Agency (NCA)',
  probation: 'Probation',
}

// The lawful purposes for which the prison may interfere with a prisoner's private life by disclosing.
export const PURPOSES = ['crime', 'national-security-public-safety', 'prison-security-good-order'] as const
export type Purpose = (typeof PURPOSES)[number]

export const PURPOSE_NAMES: Record<Purpose, string> = {
  crime: 'The prevention, detection, investigation or prosecution of crime',
  'national-security-public-safety': 'In the interests of national security or public safety',
  'prison-security-good-order': 'Securing or maintaining prison security or good order and discipline in prisons',
}

/** Recipients inside HMPPS: the "originating agency" of a 5x5x5 handling code 4. */
export function withinHmpps(recipient: RecipientType): boolean {
  return recipient === 'establishment' || recipient === 'socu' || recipient === 'probation'
}

/**
 * LEA sharing principles: police intelligence reaches the prison through the PIO (or the force intelligence bureau).
 * A report from another agency, or made by the PIO, has its originator outside HMPPS.
 */
export function originatesOutsideHmpps(report: { sourceType: string; reporterRoles: readonly string[] }): boolean {
  return report.sourceType === 'other-agency' || report.reporterRoles.includes('pio')
}

export type HandlingVerdict = { withinTerms: true } | { withinTerms: false; reason: string; overridable: boolean }

/**
 * Whether sharing with this recipient is within the grading's handling terms. Outside them a dissemination is
 * blocked unless a head of security records an override with reasons, except handling code 5 on intelligence from
 * outside HMPPS: only its originator can release that.
 */
export function handlingCheck(
  grading: Grading,
  recipient: RecipientType,
  conditionsMet: boolean,
  fromOutsideHmpps = false,
): HandlingVerdict {
  if (grading.scheme === '5x5x5') {
    if (grading.handling === '5' && fromOutsideHmpps) {
      return {
        withinTerms: false,
        overridable: false,
        reason:
          'Handling code 5: this intelligence came from outside HMPPS, so only its originator can release it. Ask the originating force through the prison intelligence officer (PIO), or the agency that sent it',
      }
    }
    if (grading.handling === '5') {
      return {
        withinTerms: false,
        overridable: true,
        reason: 'Handling code 5: no further dissemination without referring to the originator',
      }
    }
    if (grading.handling === '4' && !withinHmpps(recipient)) {
      return { withinTerms: false, overridable: true, reason: 'Handling code 4: dissemination within HMPPS only' }
    }
    return { withinTerms: true }
  }
  if (grading.handling === 'C' && !conditionsMet) {
    return {
      withinTerms: false,
      overridable: true,
      reason: `Handling code C: the conditions were not confirmed (${grading.conditions ?? ''})`,
    }
  }
  return { withinTerms: true }
}

/** What must be true before any dissemination: graded, and sanitised text to carry. */
export function disseminationBlockers(report: {
  status: ReportStatus
  sanitisedText: string | null
  grading: Grading | null
}) {
  const blockers: { field: string; message: string }[] = []
  if (!report.grading) blockers.push({ field: 'grading', message: 'Grade the report before disseminating it' })
  if (!report.sanitisedText?.trim()) {
    blockers.push({
      field: 'sanitisedText',
      message: 'Write the sanitised text before disseminating: it is what the recipient receives',
    })
  }
  if (report.grading && nextStatus(report.status, 'disseminate') === null) {
    blockers.push({
      field: 'status',
      message: `A report that is ${STATUS_NAMES[report.status].toLowerCase()} cannot be disseminated`,
    })
  }
  return blockers
}
