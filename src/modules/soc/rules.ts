// Serious and organised crime policy (SOC PF) as pure functions: bands, decisions, trigger points, the clocks of
// case management, and the equality dip sample. No I/O; dates ('YYYY-MM-DD') are passed in.

/** SOC PF 4.8: the NOMIS alert every mapped member of an organised crime group in custody carries. */
export const OCGM_FLAG = 'DOCGM'

export const BANDS = ['1', '2'] as const
export type Band = (typeof BANDS)[number]

export const NOMINATED_BY = ['prison', 'probation', 'law-enforcement'] as const
export const NOMINATED_BY_NAMES: Record<(typeof NOMINATED_BY)[number], string> = {
  prison: 'Prison',
  probation: 'Probation delivery unit',
  'law-enforcement': 'Law enforcement',
}

/** SOC PF 4.31: the banding criteria as a checklist. */
export const BANDING_CRITERIA = [
  { code: 'live-significant-threat', band: '1', text: 'Poses a live, significant threat' },
  { code: 'highly-capable', band: '1', text: 'Highly capable or active in criminality' },
  {
    code: 'high-impact',
    band: '1',
    text: 'Actions assessed as having a high impact on community safety or prison security',
  },
  { code: 'lom', band: '1', text: 'Managed under Lifetime Offender Management (LOM)' },
  { code: 'scpo', band: '1', text: 'Managed under an NCA Serious Crime Prevention Order (SCPO)' },
  { code: 'hmrc-priority', band: '1', text: 'Assessed as an HMRC priority case' },
  {
    code: 'ongoing-involvement',
    band: '2',
    text: 'Intelligence suggests ongoing involvement in serious organised crime',
  },
  { code: 'moderate-capability', band: '2', text: 'Intent or capability assessed as moderate to low' },
  { code: 'associate-of-band-1', band: '2', text: 'An associate of Band 1 offenders' },
  { code: 'recent-criminality', band: '2', text: 'Recent ongoing criminality identified in local assessments' },
  { code: 'removed-from-band-1', band: '2', text: 'Being removed from Band 1' },
] as const
export type BandingCriterion = (typeof BANDING_CRITERIA)[number]['code']

export const DECISIONS = ['band-1', 'band-2', 'not-selected', 'de-selected'] as const
export type CohortDecision = (typeof DECISIONS)[number]
export const DECISION_NAMES: Record<CohortDecision, string> = {
  'band-1': 'Band 1',
  'band-2': 'Band 2',
  'not-selected': 'Not selected',
  'de-selected': 'De-selected',
}

/** A decision's band, if it puts the person in the cohort. */
export function bandOf(decision: CohortDecision): Band | null {
  return decision === 'band-1' ? '1' : decision === 'band-2' ? '2' : null
}

/** Field problems with a decision: de-selection needs its reason (SOC PF 4.27: a cohort de-selection process). */
export function decisionProblems(decision: {
  decision: CohortDecision
  reason?: string | null
}): { field: string; message: string }[] {
  if ((decision.decision === 'de-selected' || decision.decision === 'not-selected') && !decision.reason?.trim()) {
    return [
      {
        field: 'reason',
        message: `Enter the reason the person is ${decision.decision === 'de-selected' ? 'de-selected' : 'not selected'}`,
      },
    ]
  }
  return []
}

/** SOC PF 4.36 (custody) and 4.50 (community): the trigger points flagged to SOCU. */
export const CUSTODY_TRIGGERS = [
  { code: 'employment', text: 'Change in employment status' },
  { code: 'cell-sharing', text: 'Cell sharing' },
  { code: 'incentive-level', text: 'Incentive (IEP) level change' },
  { code: 'recategorisation', text: 'Re-categorisation' },
  { code: 'rotl', text: 'Release on temporary licence (ROTL)' },
  { code: 'escort', text: 'Escort (including hospital bed-watch)' },
] as const
export const COMMUNITY_TRIGGERS = [
  { code: 'breach', text: 'Breach of order or licence' },
  { code: 'licence-change', text: 'Change of licence conditions' },
  { code: 'offence-paralleling', text: 'Offence paralleling behaviour identified' },
  { code: 'police-intelligence', text: 'Police intelligence, arrest or new charges' },
  { code: 'disclosure', text: 'Disclosure of offending behaviour' },
  {
    code: 'significant-change',
    text: 'Significant change: accommodation, employment, finances, relationships, associates, substance misuse, wellbeing',
  },
] as const
export const TRIGGER_CODES = [...CUSTODY_TRIGGERS, ...COMMUNITY_TRIGGERS].map(t => t.code)

export const TACTICS = [
  'disruption',
  'intelligence-development',
  'transfer',
  'restriction',
  'financial',
  'partner-referral',
  'other',
] as const
export const DISRUPTION_IMPACTS = ['major', 'moderate', 'minor'] as const
export const MODERATION_DECISIONS = ['pending', 'confirmed', 'downgraded', 'not-a-disruption'] as const

// ---- Clocks ----

/** Adds whole months; the 31st becomes the last day of a shorter month. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number)
  const total = y * 12 + (m - 1) + months
  const year = Math.floor(total / 12)
  const month = total % 12
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
}

/** SOC PF 4.47: Band 1 cases are reviewed quarterly; 4.61: Band 2 monthly. From the last review, or selection. */
export function nextReview(band: Band, lastReviewOrSelection: string): string {
  return addMonths(lastReviewOrSelection, band === '1' ? 3 : 1)
}

/** Whether a sentence is under six months long (SOC PF 4.39). */
export function shortSentence(sentenceStart: string, releaseDate: string): boolean {
  return releaseDate < addMonths(sentenceStart, 6)
}

/**
 * SOC PF 4.39 and 4.62: notify the SOCU Community Team usually 8 months before release; where the sentence is less
 * than six months, as soon as the release date is known.
 */
export function socuCommunityNotification(input: {
  releaseDate: string
  sentenceStart: string | null
  releaseDateKnownOn: string
}): string {
  if (input.sentenceStart && shortSentence(input.sentenceStart, input.releaseDate)) return input.releaseDateKnownOn
  return addMonths(input.releaseDate, -8)
}

/** SOC PF 4.52: a community management plan 6 months before release for Band 1 nominals in custody. */
export function communityPlanDue(releaseDate: string): string {
  return addMonths(releaseDate, -6)
}

/** SOC PF 4.54: for a case already in the community, a plan within 1 month of adoption as Band 1. */
export function planAfterAdoptionDue(adoptedOn: string): string {
  return addMonths(adoptedOn, 1)
}

/** SOC PF 4.66 and 4.69: banding review 3 months after release, and regularly (quarterly) thereafter. */
export function postReleaseBandingReview(releaseDate: string, lastReview: string | null): string {
  const first = addMonths(releaseDate, 3)
  return lastReview && lastReview >= first ? addMonths(lastReview, 3) : first
}

/** SOC PF 5.3: SOCU custody team visits each prison at least quarterly. */
export function assuranceVisitDue(lastVisit: string | null, today: string): string {
  return lastVisit ? addMonths(lastVisit, 3) : today
}

/** SOC PF 5.5: a dip sample every six months. */
export function dipSampleDue(lastSample: string | null, today: string): string {
  return lastSample ? addMonths(lastSample, 6) : today
}

export type DueDates = {
  nextReview?: string
  socuCommunityNotification?: string
  communityPlan?: string
  postReleaseBandingReview?: string
}

/** Every clock that applies to a nominal, as named dates. */
export function dueDates(nominal: {
  band: Band | null
  selectedOn: string | null
  lastReview: string | null
  inCustody: boolean
  releaseDate: string | null
  sentenceStart: string | null
  releaseDateKnownOn: string | null
  releasedOn: string | null
  adoptedInCommunityOn: string | null
  communityPlanAgreedOn: string | null
  /** When the SOCU community team was told of the release: the hand-off clock stops then. */
  communityNotifiedOn?: string | null
}): DueDates {
  const due: DueDates = {}
  if (!nominal.band) return due
  const since = nominal.lastReview ?? nominal.selectedOn
  if (since) due.nextReview = nextReview(nominal.band, since)
  if (nominal.inCustody && nominal.releaseDate) {
    if (!nominal.communityNotifiedOn)
      due.socuCommunityNotification = socuCommunityNotification({
        releaseDate: nominal.releaseDate,
        sentenceStart: nominal.sentenceStart,
        releaseDateKnownOn: nominal.releaseDateKnownOn ?? nominal.selectedOn ?? nominal.releaseDate,
      })
    if (nominal.band === '1' && !nominal.communityPlanAgreedOn)
      due.communityPlan = communityPlanDue(nominal.releaseDate)
  }
  if (!nominal.inCustody && nominal.band === '1' && nominal.adoptedInCommunityOn && !nominal.communityPlanAgreedOn) {
    due.communityPlan = planAfterAdoptionDue(nominal.adoptedInCommunityOn)
  }
  if (!nominal.inCustody && nominal.releasedOn)
    due.postReleaseBandingReview = postReleaseBandingReview(nominal.releasedOn, nominal.lastReview)
  return due
}

// ---- Equality dip sample (SOC PF 5.5, 6.1) ----

/** The protected characteristics a dip sample compares the cohort by (SOC PF 5.5). */
export const CHARACTERISTICS = ['ethnicity', 'religion', 'nationality', 'sex', 'age-band'] as const
export type Characteristic = (typeof CHARACTERISTICS)[number]

export type GroupCount = { group: string; cohort: number; population: number }

export type DipSampleRow = GroupCount & {
  cohortShare: number
  populationShare: number
  relativeRate: number
  lower: number
  upper: number
  disproportionate: boolean
}

export const DISPROPORTION_THRESHOLD = 1.25

/**
 * For each group, the share of the cohort against the share of the population, their ratio (relative rate) and
 * its 95% confidence interval (Katz log method, with Haldane's correction for empty cells). A group is flagged when the rate is at
 * least the threshold and the interval lies wholly above 1: more in the cohort than chance would explain.
 */
export function dipSample(counts: readonly GroupCount[], threshold = DISPROPORTION_THRESHOLD): DipSampleRow[] {
  const cohortTotal = counts.reduce((sum, c) => sum + c.cohort, 0)
  const populationTotal = counts.reduce((sum, c) => sum + c.population, 0)
  return counts.map(c => {
    const share = (part: number, total: number) => (total ? part / total : 0)
    // Without a cohort or a population there is nothing to compare.
    if (cohortTotal === 0 || populationTotal === 0) {
      return {
        ...c,
        cohortShare: share(c.cohort, cohortTotal),
        populationShare: share(c.population, populationTotal),
        relativeRate: 0,
        lower: 0,
        upper: 0,
        disproportionate: false,
      }
    }
    // Haldane's correction: when a cell is empty, add 0.5 to both counts and 1 to both totals.
    const correction = c.cohort === 0 || c.population === 0 ? 0.5 : 0
    const a = c.cohort + correction
    const p = c.population + correction
    const p1 = a / (cohortTotal + 2 * correction)
    const p2 = p / (populationTotal + 2 * correction)
    const rate = p1 / p2
    const se = Math.sqrt((1 - p1) / a + (1 - p2) / p)
    const lower = Math.exp(Math.log(rate) - 1.96 * se)
    const upper = Math.exp(Math.log(rate) + 1.96 * se)
    return {
      ...c,
      cohortShare: share(c.cohort, cohortTotal),
      populationShare: share(c.population, populationTotal),
      relativeRate: round(rate),
      lower: round(lower),
      upper: round(upper),
      disproportionate: c.cohort > 0 && rate >= threshold && lower > 1,
    }
  })
}

function round(value: number) {
  return Math.round(value * 100) / 100
}
