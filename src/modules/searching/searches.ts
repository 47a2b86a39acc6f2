import { randomBytes } from 'node:crypto'
import { auditingDenials, visibleOr404 } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { addDays, londonToday } from '../../platform/deadlines/deadlines.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { drawReference } from '../../platform/reference/codes.ts'
import { listEstablishmentOptions, withDisplayNames } from '../../platform/users/repository.ts'
import { londonLocalToIso } from '../intelligence/schema.ts'
import * as repository from './repository.ts'
import {
  FIND_WINGS,
  type ProgrammeClock,
  plannedCount,
  plannedDates,
  programmeClock,
  type SearchMethod,
  type SearchReason,
  searchAreaOf,
  searchProblems,
  shiftMonth,
  trendMonths,
} from './rules.ts'
import type { RequirementInput, SearchesFilter, SearchInput } from './schema.ts'

// The search programme (output 9) and the searches done (outputs 9 and 10): requirements with their clocks, the
// planned searches they generate, recording a search, and coverage by wing and month.

/** How far ahead the programme page plans: four weeks. */
const PLAN_DAYS = 28
/** Coverage looks back over six months, this one included. */
const COVERAGE_MONTHS = 6
const LIST_LIMIT = 200

type Establishment = NonNullable<Awaited<ReturnType<typeof repository.searchingEstablishment>>>
type RequirementWithLast = Awaited<ReturnType<typeof repository.requirementsOf>>[number]
export type ClockedRequirement = RequirementWithLast & { area: string; lastSearchedOn: string | null } & ProgrammeClock

/** A prison in the user's scope; any other code, or one that names no prison, is not found. */
async function establishmentInScope(db: Executor, user: CurrentUser, code: string): Promise<Establishment> {
  const establishment = user.inScope(code) ? await repository.searchingEstablishment(db, code) : undefined
  if (!establishment) throw new NotFoundError('That prison is not one you can see')
  return establishment
}

const CLOCK_ORDER = { overdue: 0, 'due-soon': 1, scheduled: 2 } as const

/** Each live requirement with its clock, the overdue first, then by the day each falls due. */
async function clockedRequirements(db: Executor, code: string, today: string): Promise<ClockedRequirement[]> {
  const rows = await repository.requirementsOf(db, code, 'live')
  return rows
    .map(row => {
      const lastSearchedOn = row.lastSearchedAt ? londonToday(new Date(row.lastSearchedAt)) : null
      return { ...row, area: searchAreaOf(row.location), lastSearchedOn, ...programmeClock(row, lastSearchedOn, today) }
    })
    .sort((a, b) => CLOCK_ORDER[a.state] - CLOCK_ORDER[b.state] || a.nextDue.localeCompare(b.nextDue))
}

/**
 * Output 9: the planned searches of the coming four weeks, week by week. An overdue requirement is planned from
 * today; the others from the day they fall due.
 */
export function fourWeekPlan(requirements: readonly ClockedRequirement[], today: string) {
  const until = addDays(today, PLAN_DAYS - 1)
  const weeks = [0, 1, 2, 3].map(week => ({ from: addDays(today, week * 7), to: addDays(today, week * 7 + 6) }))
  const rows = requirements.flatMap(requirement => {
    const dates = plannedDates(requirement, requirement.nextDue < today ? today : requirement.nextDue, until)
    if (dates.length === 0) return []
    return [{ requirement, weeks: weeks.map(week => dates.filter(day => day >= week.from && day <= week.to)) }]
  })
  return { weeks, rows }
}

/** The programme of a prison: its requirements with their clocks, the plan of the coming weeks, and those retired. */
async function programme(db: Db, user: CurrentUser, code: string, now = new Date()) {
  const today = londonToday(now)
  const establishment = await establishmentInScope(db, user, code)
  const [requirements, retired, establishments] = await Promise.all([
    clockedRequirements(db, code, today),
    repository.requirementsOf(db, code, 'retired'),
    listEstablishmentOptions(db, user.establishmentCodes),
  ])
  return {
    establishment,
    establishments,
    today,
    requirements,
    overdue: requirements.filter(r => r.state === 'overdue'),
    dueSoon: requirements.filter(r => r.state === 'due-soon'),
    plan: fourWeekPlan(requirements, today),
    retired: await withDisplayNames(db, retired, ['retiredBy']),
    canManage: user.can('searching:manage', { establishmentCode: code }),
  }
}

/** Output 9, in the due list and the API: the requirements of a prison due within days, or overdue. */
async function dueRequirements(db: Db, user: CurrentUser, code: string, today = londonToday(new Date())) {
  await establishmentInScope(db, user, code)
  const requirements = await clockedRequirements(db, code, today)
  return requirements.filter(r => r.state !== 'scheduled')
}

/** The programme in numbers, for the hub and the home page. */
async function programmeCounts(db: Db, user: CurrentUser, code: string, today = londonToday(new Date())) {
  const due = await dueRequirements(db, user, code, today)
  const overdue = due.filter(r => r.state === 'overdue')
  return {
    overdue: overdue.length,
    dueSoon: due.length - overdue.length,
    firstOverdue: overdue[0]?.nextDue ?? null,
  }
}

/** The arms and explosives test is for the high security estate only (output 10). */
function methodProblem(method: string, establishment: Establishment) {
  const [problem] = searchProblems(
    { method: method as SearchMethod, reason: 'random', conductedAt: new Date(0) },
    { highSecurity: establishment.highSecurity, now: new Date(0) },
  )
  if (problem) throw ValidationError.field(problem.field, problem.message)
}

/** A requirement of a prison the user manages. One at a prison outside their scope is not found. */
async function managedRequirement(db: Executor, user: CurrentUser, id: string) {
  const found = await repository.findRequirement(db, id)
  if (!found || !user.inScope(found.establishmentCode)) throw new NotFoundError('That requirement does not exist')
  if (!user.can('searching:manage', { establishmentCode: found.establishmentCode })) throw new ForbiddenError()
  return found
}

/** A requirement to change, with its prison. */
async function requirement(db: Db, user: CurrentUser, id: string) {
  const found = await managedRequirement(db, user, id)
  return { requirement: found, establishment: await establishmentInScope(db, user, found.establishmentCode) }
}

const requirementDetails = (input: RequirementInput) => ({
  target: input.target,
  location: input.location,
  method: input.method,
  everyDays: input.everyDays,
  startsOn: input.startsOn,
})

/** Output 9: a new requirement of the user's prison's search programme. */
async function addRequirement(db: Db, user: CurrentUser, input: RequirementInput, cid: string, now = new Date()) {
  return auditedTransaction(db, actorOf(user, cid), now, async (trx, audit) => {
    const code = user.establishmentCode
    if (!user.can('searching:manage', { establishmentCode: code })) throw new ForbiddenError()
    methodProblem(input.method, await establishmentInScope(trx, user, code))
    const id = await repository.insertRequirement(trx, {
      establishmentCode: code,
      ...requirementDetails(input),
      notes: input.notes ?? null,
      createdBy: user.username,
      createdAt: now,
    })
    await audit({
      action: 'searching.requirement-added',
      subjectType: 'searching-requirement',
      subjectId: id,
      establishmentCode: code,
      details: requirementDetails(input),
    })
    return { id }
  })
}

/** Changes a live requirement; the audit event keeps what it was. */
async function changeRequirement(
  db: Db,
  user: CurrentUser,
  id: string,
  input: RequirementInput,
  cid: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, cid), now, async (trx, audit) => {
    const found = await managedRequirement(trx, user, id)
    if (found.retiredAt) throw new ConflictError('This requirement has been retired: add a new one instead.')
    methodProblem(input.method, await establishmentInScope(trx, user, found.establishmentCode))
    await repository.updateRequirement(trx, id, { ...requirementDetails(input), notes: input.notes ?? null })
    const was = { target: found.target, location: found.location, method: found.method, everyDays: found.everyDays }
    await audit({
      action: 'searching.requirement-changed',
      subjectType: 'searching-requirement',
      subjectId: id,
      establishmentCode: found.establishmentCode,
      details: { was: { ...was, startsOn: found.startsOn }, now: requirementDetails(input) },
    })
    return { id }
  })
}

/** Retires a requirement: it leaves the programme and its clock stops; the searches that met it stay. */
async function retireRequirement(db: Db, user: CurrentUser, id: string, cid: string, now = new Date()) {
  return auditedTransaction(db, actorOf(user, cid), now, async (trx, audit) => {
    const found = await managedRequirement(trx, user, id)
    if (found.retiredAt) throw new ConflictError('This requirement has already been retired.')
    await repository.updateRequirement(trx, id, { retiredAt: now, retiredBy: user.username })
    await audit({
      action: 'searching.requirement-retired',
      subjectType: 'searching-requirement',
      subjectId: id,
      establishmentCode: found.establishmentCode,
      details: { target: found.target, location: found.location },
    })
    return { id }
  })
}

/**
 * The requirement a planned search meets: the one chosen, which must be live at the prison and for the same kind of
 * search; or, when none is chosen (the API), the live one for the same kind of search in the same wing or area.
 */
async function requirementMet(trx: Executor, code: string, input: SearchInput) {
  const field = 'requirementId'
  if (input.reason !== 'planned') {
    if (input.requirementId) throw ValidationError.field(field, 'Only a planned search meets the search programme')
    return null
  }
  const live = await repository.requirementsOf(trx, code, 'live')
  if (input.requirementId) {
    const chosen = live.find(r => r.id === input.requirementId)
    if (!chosen) throw ValidationError.field(field, 'Select a requirement of this prison’s search programme')
    if (chosen.target !== input.type)
      throw ValidationError.field(field, 'The requirement is for another kind of search: select the one it meets')
    return chosen.id
  }
  const area = input.wing ?? searchAreaOf(input.location)
  const matching = live.filter(r => r.target === input.type && searchAreaOf(r.location) === area)
  const met = matching.find(r => r.method === input.method) ?? matching[0]
  if (!met) throw ValidationError.field(field, 'Select the requirement of the search programme this search meets')
  return met.id
}

/** The report an intelligence-led search was raised from: one the user may read, at the same prison. */
async function raisedFrom(trx: Executor, user: CurrentUser, code: string, input: SearchInput) {
  if (!input.reportRef) return null
  if (input.reason !== 'intelligence-led')
    throw ValidationError.field('reportRef', 'Only an intelligence-led search is raised from a report')
  const reader = { ...user, readsIntelligence: user.can('intelligence:read') }
  const [report] = await repository.reportsToLink(trx, reader, [input.reportRef])
  if (!report || report.establishmentCode !== code)
    throw ValidationError.field('reportRef', 'Enter the reference of a report at this prison that you can read')
  return report.id
}

/** Outputs 9 and 10: a search, recorded at the user's prison by the officer who did it. */
async function recordSearch(db: Db, user: CurrentUser, input: SearchInput, cid: string, now = new Date()) {
  return auditedTransaction(db, actorOf(user, cid), now, async (trx, audit) => {
    const code = user.establishmentCode
    const establishment = await establishmentInScope(trx, user, code)
    const conductedAt = new Date(input.conductedAt)
    const problems = searchProblems(
      { method: input.method, reason: input.reason as SearchReason, reportRef: input.reportRef, conductedAt },
      { highSecurity: establishment.highSecurity, now },
    )
    if (problems.length > 0) throw new ValidationError(problems)
    const requirementId = await requirementMet(trx, code, input)
    const reportId = await raisedFrom(trx, user, code, input)
    const { ref } = await repository.insertSearch(
      trx,
      {
        establishmentCode: code,
        requirementId,
        target: input.type,
        location: input.location,
        wing: input.wing ?? searchAreaOf(input.location),
        method: input.method,
        reason: input.reason,
        reportId,
        conductedAt,
        conductedBy: user.username,
        officers: input.officers ?? null,
        result: input.result,
        notes: input.notes ?? null,
        recordedBy: user.username,
        recordedAt: now,
      },
      () => drawReference('SR', code, now.getUTCFullYear(), randomBytes),
    )
    await audit({
      action: 'searching.search-recorded',
      subjectType: 'searching-search',
      subjectId: ref,
      establishmentCode: code,
      details: { type: input.type, method: input.method, reason: input.reason, result: input.result },
    })
    return { ref }
  })
}

/** A search the user may see. One at a prison outside their scope is a denied look, audited; then "not found". */
async function search(db: Db, user: CurrentUser, ref: string, correlationId: string | null) {
  return auditingDenials(db, actorOf(user, correlationId), async () => {
    const found = await visibleOr404(
      user,
      await repository.findSearchByRef(db, user, ref),
      () => repository.searchPlacing(db, ref),
      { action: 'searching.view-denied', subjectType: 'searching-search', subjectId: ref },
    )
    const [named] = await withDisplayNames(db, [found], ['conductedBy', 'recordedBy'])
    return named
  })
}

/** The instant a London day starts. */
const startOfDay = (day: string) => new Date(londonLocalToIso(day, '00:00'))

/** A prison's searches, newest first, as filtered. */
async function searches(db: Db, user: CurrentUser, filter: SearchesFilter) {
  const code = filter.establishment ?? user.establishmentCode
  const establishment = await establishmentInScope(db, user, code)
  if (filter.from && filter.to && filter.to < filter.from)
    throw ValidationError.field('to', 'The “searched to” date must be on or after the “searched from” date')
  const rows = await repository.listSearches(
    db,
    user,
    code,
    {
      ...filter,
      from: filter.from ? startOfDay(filter.from) : undefined,
      before: filter.to ? startOfDay(addDays(filter.to, 1)) : undefined,
    },
    LIST_LIMIT,
  )
  return {
    establishment,
    establishments: await listEstablishmentOptions(db, user.establishmentCodes),
    searches: await withDisplayNames(db, rows, ['conductedBy']),
    limit: LIST_LIMIT,
  }
}

/** What the search form offers: the prison, its live requirements and the wings and areas searched there. */
async function recordingChoices(db: Db, user: CurrentUser, now = new Date()) {
  const code = user.establishmentCode
  const establishment = await establishmentInScope(db, user, code)
  const [requirements, searched] = await Promise.all([
    clockedRequirements(db, code, londonToday(now)),
    repository.searchedAreas(db, code, new Date(now.getTime() - 183 * 86_400_000)),
  ])
  const areas = [...new Set([...FIND_WINGS, ...requirements.map(r => r.area), ...searched])]
  return { establishment, requirements, areas }
}

/**
 * Output 9, coverage: searches done on each wing or area in each of the last six months, and where a requirement
 * covers the wing, the searches that met the programme against those it asked for.
 */
async function coverage(db: Db, user: CurrentUser, code: string, now = new Date()) {
  const today = londonToday(now)
  const establishment = await establishmentInScope(db, user, code)
  const months = trendMonths(today.slice(0, 7), COVERAGE_MONTHS)
  const since = startOfDay(`${months[0]}-01`)
  const [done, met, live, retired] = await Promise.all([
    repository.searchesByWingAndMonth(db, code, since),
    repository.plannedByRequirementAndMonth(db, code, since),
    repository.requirementsOf(db, code, 'live'),
    repository.requirementsOf(db, code, 'retired'),
  ])
  const requirements = [...live, ...retired].map(r => ({ ...r, area: searchAreaOf(r.location) }))
  const areas = [...new Set([...requirements.filter(r => !r.retiredAt).map(r => r.area), ...done.map(d => d.wing)])]
  const rows = areas.sort().map(area => ({
    area,
    months: months.map(month => {
      const searched = done.find(d => d.wing === area && d.month === month)
      const covering = requirements.filter(r => r.area === area)
      const window = monthWindow(month, today)
      const asked = covering.reduce((sum, r) => sum + askedIn(r, window), 0)
      const planned = met
        .filter(m => m.month === month && covering.some(r => r.id === m.requirementId))
        .reduce((sum, m) => sum + Number(m.count), 0)
      return { month, searches: Number(searched?.count ?? 0), programme: asked > 0 ? { planned, asked } : null }
    }),
  }))
  return { establishment, months, rows, establishments: await listEstablishmentOptions(db, user.establishmentCodes) }
}

/** The days of a month up to today: what the programme could have asked for so far. */
function monthWindow(month: string, today: string) {
  const last = addDays(`${shiftMonth(month, 1)}-01`, -1)
  return { from: `${month}-01`, to: last < today ? last : today }
}

/** Searches a requirement asked for in a window, while it was live. */
function askedIn(
  r: { everyDays: number; startsOn: string; retiredAt: Date | null },
  window: { from: string; to: string },
) {
  const retiredOn = r.retiredAt ? londonToday(r.retiredAt) : null
  const to = retiredOn && retiredOn < window.to ? retiredOn : window.to
  return to < window.from ? 0 : plannedCount(r, window.from, to)
}

/** The search programme and searches. */
export function searchUseCases(db: Db) {
  return {
    programme: programme.bind(null, db),
    dueRequirements: dueRequirements.bind(null, db),
    programmeCounts: programmeCounts.bind(null, db),
    requirement: requirement.bind(null, db),
    addRequirement: addRequirement.bind(null, db),
    changeRequirement: changeRequirement.bind(null, db),
    retireRequirement: retireRequirement.bind(null, db),
    recordSearch: recordSearch.bind(null, db),
    search: search.bind(null, db),
    searches: searches.bind(null, db),
    recordingChoices: recordingChoices.bind(null, db),
    coverage: coverage.bind(null, db),
  }
}
