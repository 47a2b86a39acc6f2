// The Local Security Strategy policy framework as pure functions: who must approve an amendment and in what
// order, how an amendment moves between statuses, what an assurance statement needs, and when things fall due.
// No I/O; dates are passed in.
import { createHash } from 'node:crypto'
import { diffWords } from 'diff'

export const RISK_AREAS = [
  'conveyance',
  'escape-abscond',
  'illicit-communications',
  'illicit-economy',
  'violence-disorder',
  'cross-cutting',
] as const
export type RiskArea = (typeof RISK_AREAS)[number]

export const RISK_AREA_NAMES: Record<RiskArea, string> = {
  conveyance: 'Conveyance',
  'escape-abscond': 'Escape and abscond',
  'illicit-communications': 'Illicit communications',
  'illicit-economy': 'Illicit economy',
  'violence-disorder': 'Violence and disorder',
  'cross-cutting': 'Policies across all risk areas',
}

/** LSS PF 6.2: the six components of the State of Security, assessed against the five threat areas. */
export const COMPONENTS = [
  'physical',
  'procedural',
  'dynamic',
  'intelligence',
  'strategic-integration',
  'security-capability',
] as const
export type Component = (typeof COMPONENTS)[number]

export const COMPONENT_NAMES: Record<Component, string> = {
  physical: 'Physical security',
  procedural: 'Procedural security',
  dynamic: 'Dynamic security',
  intelligence: 'Intelligence',
  'strategic-integration': 'Strategic integration',
  'security-capability': 'Security capability',
}

export const THREAT_AREAS = RISK_AREAS.filter(area => area !== 'cross-cutting') as Exclude<RiskArea, 'cross-cutting'>[]

/** LSS PF 6.5: the information sources a Governor should consider as evidence. */
export const EVIDENCE_SOURCES = [
  'Adjudications',
  'Audits',
  'Covert testing',
  'Drug strategy data',
  'Finds',
  'Incidents',
  'Intelligence system',
  'Local tactical assessment (LTA)',
  'Physical security review (annual)',
  'Safety statistics',
  'Vulnerability assessments',
] as const

// ---- Amendments: who authorises ----

export const APPROVER_ROLES = ['governor', 'pgd', 'ed-security'] as const
export type ApproverRole = (typeof APPROVER_ROLES)[number]

export const APPROVER_NAMES: Record<ApproverRole, string> = {
  governor: 'Governor',
  pgd: 'Prison group director',
  'ed-security': 'Executive director of security',
}

export const RELATES_TO = ['category-a', 'restricted-status', 'none'] as const
export type RelatesTo = (typeof RELATES_TO)[number]

export type RouteFacts = {
  relatesTo: RelatesTo
  /** The establishment is in the long-term high security estate. */
  highSecurity: boolean
  /** LSS PF 4.16: the prison has agreed locally that changes need PGD authorisation. */
  pgdRequiredLocally: boolean
  /** LSS PF 4.16: the Governor chooses to agree this change with the PGD. */
  governorChoosesPgd: boolean
}

/**
 * The approvals an amendment needs, in order. LSS PF 4.13: the Governor authorises every amendment. 4.16: the PGD
 * agrees when the prison requires it or the Governor chooses. 4.14: in the LTHSE, amendments relating to Category A
 * prisoners go to the Executive Director of Security for final approval; 4.15: outside it, amendments relating to
 * Restricted Status prisoners do.
 */
export function requiredApprovals(facts: RouteFacts): ApproverRole[] {
  const route: ApproverRole[] = ['governor']
  if (facts.pgdRequiredLocally || facts.governorChoosesPgd) route.push('pgd')
  const categoryAInHighSecurity = facts.relatesTo === 'category-a' && facts.highSecurity
  const restrictedStatusElsewhere = facts.relatesTo === 'restricted-status' && !facts.highSecurity
  if (categoryAInHighSecurity || restrictedStatusElsewhere) route.push('ed-security')
  return route
}

// ---- Amendments: statuses as a declarative table ----

export const AMENDMENT_STATUSES = [
  'awaiting-governor',
  'awaiting-pgd',
  'awaiting-ed-security',
  'approved',
  'rejected',
  'withdrawn',
] as const
export type AmendmentStatus = (typeof AMENDMENT_STATUSES)[number]

export const AMENDMENT_STATUS_NAMES: Record<AmendmentStatus, string> = {
  'awaiting-governor': 'Awaiting the Governor',
  'awaiting-pgd': 'Awaiting the prison group director',
  'awaiting-ed-security': 'Awaiting the executive director of security',
  approved: 'Approved and published',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
}

export const OPEN_STATUSES: readonly AmendmentStatus[] = ['awaiting-governor', 'awaiting-pgd', 'awaiting-ed-security']

/** Which approver may decide in which status: role × status → decision. A reason is required to reject. */
export const DECISION_TABLE: readonly {
  status: AmendmentStatus
  role: ApproverRole
  decisions: readonly ('approve' | 'reject')[]
}[] = [
  { status: 'awaiting-governor', role: 'governor', decisions: ['approve', 'reject'] },
  { status: 'awaiting-pgd', role: 'pgd', decisions: ['approve', 'reject'] },
  { status: 'awaiting-ed-security', role: 'ed-security', decisions: ['approve', 'reject'] },
]

export type Decision = { role: ApproverRole; decision: 'approve' | 'reject'; textHash: string }

/**
 * The status of an amendment from its route and decisions. An approval counts only for the exact text it was
 * given on: after a change to the proposed text, every earlier approval stops counting and the route starts again.
 */
export function amendmentStatus(
  route: readonly ApproverRole[],
  decisions: readonly Decision[],
  currentHash: string,
  withdrawn = false,
): AmendmentStatus {
  if (withdrawn) return 'withdrawn'
  const current = decisions.filter(d => d.textHash === currentHash)
  if (current.some(d => d.decision === 'reject')) return 'rejected'
  for (const role of route) {
    if (!current.some(d => d.role === role && d.decision === 'approve')) return `awaiting-${role}` as AmendmentStatus
  }
  return 'approved'
}

/** The approvers still to decide, in order. */
export function approvalsStillRequired(
  route: readonly ApproverRole[],
  decisions: readonly Decision[],
  currentHash: string,
): ApproverRole[] {
  const current = decisions.filter(d => d.textHash === currentHash)
  if (current.some(d => d.decision === 'reject')) return []
  return route.filter(role => !current.some(d => d.role === role && d.decision === 'approve'))
}

/** Whether a user holding these roles may give this decision now; the message says why not. */
export function mayDecide(
  status: AmendmentStatus,
  userRoles: readonly string[],
  decision: 'approve' | 'reject',
): { allowed: true; as: ApproverRole } | { allowed: false; message: string } {
  const row = DECISION_TABLE.find(r => r.status === status)
  if (!row)
    return {
      allowed: false,
      message: `This amendment is ${AMENDMENT_STATUS_NAMES[status].toLowerCase()}: no decision is open`,
    }
  if (!userRoles.includes(row.role)) {
    return {
      allowed: false,
      message: `Only the ${APPROVER_NAMES[row.role].toLowerCase()} can decide this amendment now`,
    }
  }
  if (!row.decisions.includes(decision)) return { allowed: false, message: 'That decision is not open' }
  return { allowed: true, as: row.role }
}

export type InstructionText = {
  aimAndPurpose: string
  nationalReference: string
  localReference: string
  procedures: string
}

/** A hash of exactly the text decided on: the four fields of the local instruction template (LSS PF 4.8). */
export function textHash(text: InstructionText): string {
  return createHash('sha256')
    .update(JSON.stringify([text.aimAndPurpose, text.nationalReference, text.localReference, text.procedures]))
    .digest('hex')
}

/** The four fields of the template, and nothing else of a row that carries them. */
export function pickText(text: InstructionText): InstructionText {
  return {
    aimAndPurpose: text.aimAndPurpose,
    nationalReference: text.nationalReference,
    localReference: text.localReference,
    procedures: text.procedures,
  }
}

/** The approvers' decisions among an amendment's decision rows (a withdrawal is the proposer's, not a decision). */
export function toDecisions(rows: readonly { role: string; decision: string; textHash: string }[]): Decision[] {
  return rows
    .filter(row => row.role !== 'proposer')
    .map(row => ({
      role: row.role as ApproverRole,
      decision: row.decision as 'approve' | 'reject',
      textHash: row.textHash,
    }))
}

/** A hash of the whole LSS as published: what an assurance statement certifies. */
export function lssHash(instructions: readonly ({ ref: string; currentVersion: number } & InstructionText)[]): string {
  const hash = createHash('sha256')
  for (const i of [...instructions].sort((a, b) => a.ref.localeCompare(b.ref))) {
    hash.update(
      JSON.stringify([i.ref, i.currentVersion, i.aimAndPurpose, i.nationalReference, i.localReference, i.procedures]),
    )
  }
  return hash.digest('hex')
}

// ---- Differences between versions ----

export type DiffPart = { kind: 'same' | 'added' | 'removed'; text: string }

/** A word-level difference (jsdiff's, words and the spaces between them), for showing what an amendment changes. */
export function wordDiff(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = []
  for (const change of diffWords(before, after)) {
    const kind = change.added ? 'added' : change.removed ? 'removed' : 'same'
    const last = parts[parts.length - 1]
    if (last?.kind === kind) last.text += change.value
    else parts.push({ kind, text: change.value })
  }
  return parts
}

// ---- Risk assessment and assurance ----

/** LSS PF 4.12: assessed annually as a minimum, and again whenever risks change significantly. */
export function riskAssessmentDue(
  lastCompleted: string | null,
  significantChangeSince: string | null,
  today: string,
): string {
  if (!lastCompleted) return today
  if (significantChangeSince && significantChangeSince >= lastCompleted) return significantChangeSince
  return addYears(lastCompleted, 1)
}

/** LSS PF 4.21: a statement may be signed only if a risk assessment was completed in the previous twelve months. */
export function assessmentSupportsAssurance(lastCompleted: string | null, today: string): boolean {
  return lastCompleted !== null && lastCompleted > addYears(today, -1) && lastCompleted <= today
}

/** LSS PF 4.18: the assurance statement is annual. */
export function assuranceDue(lastSigned: string | null, today: string): string {
  return lastSigned ? addYears(lastSigned, 1) : today
}

export const ASSURANCE_LEVELS = ['substantial', 'reasonable', 'limited'] as const
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number]

/** LSS PF 4.20: additional checks a PGD may specify. */
export const ADDITIONAL_CHECKS = [
  'Examining some or all locally agreed amendments',
  'Results from national security audits',
  'Results from local audits and assurance of security systems',
  'Other records such as searching records',
  'More detailed inspection of some or all of the LSS',
] as const

/** The model statement (LSS PF Annex C), in the words the signatories put their names to. */
export function modelStatement(establishmentName: string, year: number): string {
  return (
    `We, the Governor of ${establishmentName} and the Prison Group Director, have satisfied ourselves that the ` +
    `Local Security Strategy of ${establishmentName} for ${year} is fit for purpose: it is up to date, bespoke to the ` +
    'prison and reflects its current local risks; it has been adapted for each of the five functions of the National ' +
    'Security Framework; and it is informed by an evidence-based risk assessment undertaken in the last twelve months ' +
    'which identifies and addresses local risks.'
  )
}

/** LSS PF 4.18: Governor and PGD sign, two different people, each in their own role. */
export function signatureProblem(
  role: 'governor' | 'pgd',
  user: { username: string; roles: readonly string[] },
  statement: { governorUsername: string | null; pgdUsername: string | null },
): string | null {
  if (!user.roles.includes(role))
    return `Only a ${role === 'governor' ? 'Governor' : 'prison group director'} can sign as ${role === 'governor' ? 'the Governor' : 'the PGD'}`
  const signed = role === 'governor' ? statement.governorUsername : statement.pgdUsername
  if (signed) return 'This statement has already been signed in that role'
  const other = role === 'governor' ? statement.pgdUsername : statement.governorUsername
  if (other === user.username) return 'The Governor and the PGD must be two different people'
  return null
}

export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number)
  const target = new Date(Date.UTC(y + years, m - 1, d))
  // 29 February in a year without one becomes 28 February.
  if (target.getUTCMonth() !== m - 1) target.setUTCDate(0)
  return target.toISOString().slice(0, 10)
}
