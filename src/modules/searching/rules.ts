// Searching, finds and evidence (service specification outputs 9 to 15) as pure functions: the search programme's
// clocks, the chain of custody of an exhibit and its gaps, who may dispose of one, phone identifiers, and whether a
// permission covers an item found. No I/O; days are 'YYYY-MM-DD', instants are Dates.

import { addDays } from '../../platform/deadlines/deadlines.ts'

export * from './exhibits/rules.ts'
export * from './phones/rules.ts'

/** A field at fault and what to do about it. */
export type Problem = { field: string; message: string }

// ---- The search programme (outputs 9 and 10) ----

/** Output 9: what a local searching strategy covers. */
export const SEARCH_TARGETS = ['cell', 'area', 'vehicle', 'workshop', 'prisoner', 'visitor'] as const
export type SearchTarget = (typeof SEARCH_TARGETS)[number]
export const SEARCH_TARGET_NAMES: Record<SearchTarget, string> = {
  cell: 'Cells',
  area: 'Communal areas',
  vehicle: 'Vehicles',
  workshop: 'Workshops',
  prisoner: 'Prisoners (searching of the person)',
  visitor: 'Visitors',
}

export const SEARCH_METHODS = [
  'standard',
  'rub-down',
  'full',
  'dog',
  'x-ray',
  'detection-equipment',
  'arms-explosives-test',
] as const
export type SearchMethod = (typeof SEARCH_METHODS)[number]
export const SEARCH_METHOD_NAMES: Record<SearchMethod, string> = {
  standard: 'Standard search',
  'rub-down': 'Rub-down search',
  full: 'Full search',
  dog: 'Dog search',
  'x-ray': 'X-ray',
  'detection-equipment': 'Detection equipment (metal detector, body scanner)',
  'arms-explosives-test': 'Arms and explosives test',
}

export const SEARCH_REASONS = ['planned', 'intelligence-led', 'random'] as const
export type SearchReason = (typeof SEARCH_REASONS)[number]
export const SEARCH_REASON_NAMES: Record<SearchReason, string> = {
  planned: 'Planned (search programme)',
  'intelligence-led': 'Intelligence-led',
  random: 'Random',
}

export const SEARCH_RESULTS = ['nothing-found', 'finds'] as const
export type SearchResult = (typeof SEARCH_RESULTS)[number]
export const SEARCH_RESULT_NAMES: Record<SearchResult, string> = {
  'nothing-found': 'Nothing found',
  finds: 'Finds',
}

/** How far ahead a planned search shows as due soon. */
export const DUE_SOON_DAYS = 3

export type ProgrammeClock = { nextDue: string; state: 'overdue' | 'due-soon' | 'scheduled' }
export const PROGRAMME_STATE_NAMES: Record<ProgrammeClock['state'], string> = {
  overdue: 'Overdue',
  'due-soon': 'Due soon',
  scheduled: 'Scheduled',
}

/**
 * Output 9: a requirement of the search programme ("every cell on A wing every 28 days") is next due its interval
 * after the last search that met it, or from the day the requirement started when nothing has met it yet. It is
 * overdue from the day after it falls due: searched on the 1st every 7 days, it is due on the 8th and overdue on the 9th.
 */
export function programmeClock(
  requirement: { everyDays: number; startsOn: string },
  lastSearchedOn: string | null,
  today: string,
): ProgrammeClock {
  const from = lastSearchedOn && lastSearchedOn >= requirement.startsOn ? lastSearchedOn : requirement.startsOn
  const nextDue = addDays(from, requirement.everyDays)
  if (today > nextDue) return { nextDue, state: 'overdue' }
  if (today >= addDays(nextDue, -DUE_SOON_DAYS)) return { nextDue, state: 'due-soon' }
  return { nextDue, state: 'scheduled' }
}

/** Output 9: the planned searches a requirement generates from a day, every interval, up to and including `until`. */
export function plannedDates(requirement: { everyDays: number }, from: string, until: string): string[] {
  const dates: string[] = []
  for (let day = from; day <= until; day = addDays(day, requirement.everyDays)) dates.push(day)
  return dates
}

/** Output 10: arms and explosives testing is for prisoners held in high security estate establishments. */
export function armsAndExplosivesApplies(establishment: { highSecurity: boolean }): boolean {
  return establishment.highSecurity
}

/** Field problems with a search as recorded. */
export function searchProblems(
  search: {
    method: SearchMethod
    reason: SearchReason
    reportRef?: string | null
    taskRef?: string | null
    conductedAt: Date
  },
  context: { highSecurity: boolean; now: Date },
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  if (search.method === 'arms-explosives-test' && !armsAndExplosivesApplies(context)) {
    problems.push({
      field: 'method',
      message: 'Arms and explosives tests are for high security estate establishments only',
    })
  }
  if (search.reason === 'intelligence-led' && !search.reportRef && !search.taskRef) {
    problems.push({ field: 'reportRef', message: 'Enter the intelligence report the search was raised from' })
  }
  if (search.conductedAt.getTime() > context.now.getTime()) {
    problems.push({ field: 'conductedAt', message: 'When the search was done must be in the past' })
  }
  return problems
}

/**
 * Output 9 (coverage by wing): where a search counts. A location on a wing counts on that wing (`wingOf`, with the
 * finds); a place off the wings ("Works department", "Gate") is an area of its own.
 */
export function searchAreaOf(location: string): string {
  return wingOf(location) ?? location.trim().replace(/\s+/g, ' ')
}

/**
 * Output 9: how many searches a requirement asked for between two days, inclusive, so a month's coverage can be set
 * against the programme: the first falls due one interval after the day it started, as its clock says.
 */
export function plannedCount(requirement: { everyDays: number; startsOn: string }, from: string, to: string): number {
  const first = addDays(requirement.startsOn, requirement.everyDays)
  return plannedDates(requirement, first, to).filter(day => day >= from).length
}

// ---- Finds (output 11) ----

export const FIND_CATEGORIES = [
  'mobile-phone',
  'sim-card',
  'charger',
  'drugs',
  'psychoactive-substance',
  'weapon',
  'alcohol',
  'cash',
  'tools',
  'other',
] as const
export type FindCategory = (typeof FIND_CATEGORIES)[number]
export const FIND_CATEGORY_NAMES: Record<FindCategory, string> = {
  'mobile-phone': 'Mobile phone',
  'sim-card': 'SIM card',
  charger: 'Charger',
  drugs: 'Drugs',
  'psychoactive-substance': 'Psychoactive substance',
  weapon: 'Weapon',
  alcohol: 'Alcohol',
  cash: 'Cash',
  tools: 'Tools',
  other: 'Other',
}

export const FIND_HOW = ['search', 'dog', 'x-ray', 'visit', 'post', 'other'] as const
export type FindHow = (typeof FIND_HOW)[number]
export const FIND_HOW_NAMES: Record<FindHow, string> = {
  search: 'During a search',
  dog: 'By a search dog',
  'x-ray': 'By X-ray',
  visit: 'In visits',
  post: 'In the post',
  other: 'Other',
}

/** Output 15: a phone or a SIM card found is to be interrogated. */
export function needsInterrogation(category: FindCategory): boolean {
  return category === 'mobile-phone' || category === 'sim-card'
}

/** Places in a prison other than its wings, where a find is counted when its location names no wing. */
export const FIND_AREAS = [
  'Visits',
  'Reception',
  'Post room',
  'Gate',
  'Workshops',
  'Education',
  'Healthcare',
  'Kitchen',
  'Gym',
  'Chapel',
  'Segregation unit',
  'Exercise yard',
  'Grounds and perimeter',
  'Other',
] as const

/** The wings of a prison as the demo prisons name them: what the wing select offers first. */
export const FIND_WINGS = ['A wing', 'B wing', 'C wing', 'D wing', 'E wing', 'F wing'] as const

/**
 * Output 11: finds are counted by where they were made. A cell location (wing, landing, cell: "B-2-014") or a
 * location that names its wing ("B wing landing 2") is on that wing; any other location names no wing, and the
 * person recording the find chooses the wing or area.
 */
export function wingOf(location: string): string | null {
  const text = location.trim().toUpperCase()
  const cell = /^([A-Z])-\d/.exec(text)
  if (cell) return `${cell[1]} wing`
  const named = /\b([A-Z]) WING\b/.exec(text) ?? /\bWING ([A-Z])\b/.exec(text)
  return named ? `${named[1]} wing` : null
}

/** Field problems with a find as recorded: it was found before it was recorded. */
export function findProblems(find: { foundAt: Date }, now: Date): Problem[] {
  // A few minutes' grace: a clock on a handheld device a little ahead of the server's is not an error.
  if (find.foundAt.getTime() > now.getTime() + 5 * 60_000) {
    return [{ field: 'foundAt', message: 'When it was found must be in the past' }]
  }
  return []
}

/** Output 11 trends: the twelve months up to and including `month` ('YYYY-MM'), oldest first. */
export function trendMonths(month: string, count = 12): string[] {
  return monthsBetween(shiftMonth(month, -(count - 1)), month)
}

/** The month `by` months after (or before, when negative) `month`, both 'YYYY-MM'. */
export function shiftMonth(month: string, by: number): string {
  const [year, number] = month.split('-').map(Number)
  const index = year * 12 + (number - 1) + by
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** A month's change against the same month a year before, in words: "up 3", "down 2", "no change". */
export function changeInWords(now: number, yearBefore: number): string {
  if (now === yearBefore) return 'no change'
  return now > yearBefore ? `up ${now - yearBefore}` : `down ${yearBefore - now}`
}

/** 'YYYY-MM' of a day or an instant in Europe/London, the month a figure counts in. */
export function monthOf(day: string): string {
  return day.slice(0, 7)
}

/** Months from `from` to `to` inclusive ('YYYY-MM'), for a trend with no missing month. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = []
  let [year, month] = from.split('-').map(Number)
  const [endYear, endMonth] = to.split('-').map(Number)
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`)
    month++
    if (month > 12) {
      month = 1
      year++
    }
  }
  return months
}

// ---- Authorised items (output 14) ----

export type ItemPermission = {
  category: FindCategory
  location: string | null
  validFrom: Date
  validUntil: Date
  revokedAt: Date | null
}

/**
 * Output 14: conveying or holding a prohibited item is authorised where appropriate. A find is covered by a
 * permission for the same kind of item, live when it was found, in the same place (or anywhere, when the permission
 * names no place).
 */
export function permissionCovers(
  permission: ItemPermission,
  find: { category: FindCategory; location: string; foundAt: Date },
): boolean {
  const at = find.foundAt.getTime()
  if (permission.category !== find.category) return false
  if (at < permission.validFrom.getTime() || at > permission.validUntil.getTime()) return false
  if (permission.revokedAt && permission.revokedAt.getTime() <= at) return false
  return !permission.location || permission.location.trim().toLowerCase() === find.location.trim().toLowerCase()
}

export const ITEM_PERMISSION_STATES = ['live', 'upcoming', 'expired', 'revoked'] as const
export type ItemPermissionState = (typeof ITEM_PERMISSION_STATES)[number]
export const ITEM_PERMISSION_STATE_NAMES: Record<ItemPermissionState, string> = {
  live: 'Live',
  upcoming: 'Starts later',
  expired: 'Expired',
  revoked: 'Revoked',
}

/** Output 14: where a permission stands now. */
export function itemPermissionState(
  permission: Pick<ItemPermission, 'validFrom' | 'validUntil' | 'revokedAt'>,
  now: Date,
): ItemPermissionState {
  if (permission.revokedAt && permission.revokedAt.getTime() <= now.getTime()) return 'revoked'
  if (permission.validUntil.getTime() < now.getTime()) return 'expired'
  return permission.validFrom.getTime() > now.getTime() ? 'upcoming' : 'live'
}

/**
 * Output 14: a permission runs from one day to another (the same day, for a contractor in for the day), and is
 * given for days still to come: one that has already run out authorises nothing.
 */
export function itemPermissionProblems(
  permission: { validFrom: string; validUntil: string },
  today: string,
): Problem[] {
  if (permission.validUntil < permission.validFrom) {
    return [{ field: 'validUntil', message: 'The date it ends must be the same as or after the date it starts' }]
  }
  if (permission.validUntil < today) {
    return [{ field: 'validUntil', message: 'The date it ends must be today or in the future' }]
  }
  return []
}

// ---- People who threaten security (output 13) ----

export const VISIT_MEASURES = ['ban', 'closed-visits'] as const
export type VisitMeasure = (typeof VISIT_MEASURES)[number]
export const VISIT_MEASURE_NAMES: Record<VisitMeasure, string> = {
  ban: 'Banned from visiting',
  'closed-visits': 'Closed visits only',
}

/** The longest a measure on a visitor may run before it is reviewed; a local default, set here once. */
export const VISIT_MEASURE_REVIEW_MONTHS = 3

/**
 * Output 13 ("visitors who … may pass unauthorised articles are managed and actions are reported"): a measure
 * states its reason and is reviewed, at the latest three months after it starts.
 */
export function visitMeasureProblems(
  measure: { startsOn: string; reviewOn: string; endsOn: string | null; reason: string },
  addMonths: (day: string, months: number) => string,
): Problem[] {
  const problems: Problem[] = []
  if (!measure.reason.trim()) problems.push({ field: 'reason', message: 'Enter the reason for the measure' })
  if (measure.reviewOn < measure.startsOn) {
    problems.push({ field: 'reviewOn', message: 'The review date must be on or after the start date' })
  } else if (measure.reviewOn > addMonths(measure.startsOn, VISIT_MEASURE_REVIEW_MONTHS)) {
    problems.push({
      field: 'reviewOn',
      message: `The review must be within ${VISIT_MEASURE_REVIEW_MONTHS} months of the start`,
    })
  }
  if (measure.endsOn && measure.endsOn < measure.startsOn) {
    problems.push({ field: 'endsOn', message: 'The end date must be on or after the start date' })
  }
  return problems
}

/** How far ahead a measure's review shows as due: the home page's horizon. */
export const VISIT_MEASURE_REVIEW_DUE_DAYS = 14

export const VISIT_MEASURE_STATES = ['review-overdue', 'review-due', 'upcoming', 'in-force', 'ended'] as const
export type VisitMeasureState = (typeof VISIT_MEASURE_STATES)[number]
export const VISIT_MEASURE_STATE_NAMES: Record<VisitMeasureState, string> = {
  'review-overdue': 'Review overdue',
  'review-due': 'Review due',
  upcoming: 'Starts later',
  'in-force': 'In force',
  ended: 'Ended',
}

type MeasureClock = { startsOn: string; reviewOn: string; endsOn: string | null; ended: boolean }

/** Output 13: a measure stands until it is ended at a review or its end date passes. */
export function visitMeasureLive(measure: MeasureClock, today: string): boolean {
  return !measure.ended && !(measure.endsOn && measure.endsOn < today)
}

/** Output 13: the day a live measure must next be reviewed; none when it ends on or before that day anyway. */
export function visitMeasureReviewDue(measure: MeasureClock, today: string): string | null {
  if (!visitMeasureLive(measure, today)) return null
  return measure.endsOn && measure.endsOn <= measure.reviewOn ? null : measure.reviewOn
}

/** Where a measure stands today: overdue from the day after its review date, due in the fortnight before it. */
export function visitMeasureState(measure: MeasureClock, today: string): VisitMeasureState {
  if (!visitMeasureLive(measure, today)) return 'ended'
  const review = visitMeasureReviewDue(measure, today)
  if (review && review < today) return 'review-overdue'
  if (review && review <= addDays(today, VISIT_MEASURE_REVIEW_DUE_DAYS)) return 'review-due'
  return measure.startsOn > today ? 'upcoming' : 'in-force'
}

export const VISIT_MEASURE_OUTCOMES = ['continue', 'end'] as const
export type VisitMeasureOutcome = (typeof VISIT_MEASURE_OUTCOMES)[number]
export const VISIT_MEASURE_OUTCOME_NAMES: Record<VisitMeasureOutcome, string> = {
  continue: 'Continued to a new review',
  end: 'Ended',
}

/**
 * Output 13: a review is held on or after the day the measure started and not in the future; a measure continued
 * is reviewed again within three months, as when it was first imposed.
 */
export function visitMeasureReviewProblems(
  review: { reviewedOn: string; outcome: VisitMeasureOutcome; nextReviewOn: string | null },
  measure: { startsOn: string },
  context: { today: string; addMonths: (day: string, months: number) => string },
): Problem[] {
  const problems: Problem[] = []
  if (review.reviewedOn > context.today) {
    problems.push({ field: 'reviewedOn', message: 'The date of the review must be today or in the past' })
  } else if (review.reviewedOn < measure.startsOn) {
    problems.push({
      field: 'reviewedOn',
      message: 'The date of the review must be on or after the day the measure started',
    })
  }
  if (review.outcome !== 'continue') return problems
  if (!review.nextReviewOn) {
    problems.push({ field: 'nextReviewOn', message: 'Enter the date of the next review' })
  } else if (review.nextReviewOn <= review.reviewedOn) {
    problems.push({ field: 'nextReviewOn', message: 'The next review must be after this one' })
  } else if (review.nextReviewOn > context.addMonths(review.reviewedOn, VISIT_MEASURE_REVIEW_MONTHS)) {
    problems.push({
      field: 'nextReviewOn',
      message: `The next review must be within ${VISIT_MEASURE_REVIEW_MONTHS} months of this one`,
    })
  }
  return problems
}

export const PRISONER_OUTCOMES = ['adjudication', 'police-referral', 'no-further-action'] as const
export type PrisonerOutcome = (typeof PRISONER_OUTCOMES)[number]
export const PRISONER_OUTCOME_NAMES: Record<PrisonerOutcome, string> = {
  adjudication: 'Referred to adjudication',
  'police-referral': 'Referred to the police',
  'no-further-action': 'No further action',
}
