import { randomBytes } from 'node:crypto'
import { auditingDenials, visibleOr404 } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { drawReference } from '../../platform/reference/codes.ts'
import { listEstablishmentOptions, withDisplayNames } from '../../platform/users/repository.ts'
import * as repository from './repository.ts'
import {
  changeInWords,
  FIND_AREAS,
  FIND_CATEGORIES,
  FIND_WINGS,
  type FindCategory,
  findProblems,
  monthOf,
  needsInterrogation,
  shiftMonth,
  trendMonths,
  wingOf,
} from './rules.ts'
import type { FindInput, FindOutcomeInput } from './schema.ts'

// The finds register (output 11): recording a find with the people, search and intelligence it is linked to, reading
// it, the register and its trends; and for each prisoner linked, what followed (output 13).

const readerOf = (user: CurrentUser): repository.ReportReader => ({
  id: user.id,
  establishmentCodes: user.establishmentCodes,
  compartments: user.compartments,
  readsIntelligence: user.can('intelligence:read'),
})

/** A wing or area as the register spells it, whatever case it was typed in. */
function placeName(typed: string): string {
  const known = [...FIND_WINGS, ...FIND_AREAS].find(place => place.toLowerCase() === typed.toLowerCase())
  return known ?? typed
}

/** What a find is linked to, checked against what the user may see: every unknown reference is named. */
async function findLinks(trx: Executor, user: CurrentUser, input: FindInput) {
  const wanted = [...new Set(input.people.map(person => person.prisonerNumber))]
  const people = await repository.prisonersToLink(trx, user, wanted)
  const unknownPeople = wanted.filter(number => !people.some(person => person.ref === number))
  const refs = [...new Set(input.reportRefs)]
  const reports = await repository.reportsToLink(trx, readerOf(user), refs)
  const unknownReports = refs.filter(ref => !reports.some(report => report.ref === ref))
  const search = input.searchRef ? await repository.searchToLink(trx, user, input.searchRef) : undefined
  const problems = [
    ...(unknownPeople.length
      ? [{ field: 'people', message: `No prisoner you can see has the prison number ${unknownPeople.join(', ')}` }]
      : []),
    ...(unknownReports.length
      ? [{ field: 'reportRefs', message: `No report you can see has the reference ${unknownReports.join(', ')}` }]
      : []),
    ...(input.searchRef && search?.establishmentCode !== user.establishmentCode
      ? [{ field: 'searchRef', message: `No search at ${user.establishmentName} has the reference ${input.searchRef}` }]
      : []),
  ]
  return { people, reports, search, problems }
}

async function recordFind(db: Db, user: CurrentUser, input: FindInput, correlationId: string | null, now = new Date()) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const foundAt = new Date(input.foundAt)
    const { people, reports, search, problems } = await findLinks(trx, user, input)
    const wing = wingOf(input.location) ?? (input.wing ? placeName(input.wing) : null)
    if (!wing) problems.push({ field: 'wing', message: 'Select the wing or area where it was found' })
    problems.push(...findProblems({ foundAt }, now))
    if (problems.length > 0 || !wing) throw new ValidationError(problems)
    const establishmentCode = user.establishmentCode
    const { id, ref } = await repository.insertFind(
      trx,
      {
        establishmentCode,
        category: input.category,
        description: input.description,
        foundAt,
        location: input.location,
        wing,
        how: input.how ?? (search ? 'search' : 'other'),
        searchId: search?.id ?? null,
        foundBy: input.foundBy ?? user.username,
        recordedBy: user.username,
        recordedAt: now,
      },
      () => drawReference('FD', establishmentCode, foundAt.getUTCFullYear(), randomBytes),
    )
    await repository.linkFindPeople(
      trx,
      id,
      people.map(person => person.id),
    )
    await repository.linkFindReports(
      trx,
      id,
      reports.map(report => report.id),
    )
    await audit({
      action: 'searching.find-recorded',
      subjectType: 'searching-find',
      subjectId: ref,
      establishmentCode,
      details: {
        category: input.category,
        searchRef: search?.ref ?? null,
        people: people.map(person => person.ref),
        reportRefs: reports.map(report => report.ref),
      },
    })
    return { ref }
  })
}

/** A find the user may see. One held at a prison outside their scope is a denied look, audited; then "not found". */
async function visibleFindOr404(trx: Executor, user: CurrentUser, ref: string) {
  return visibleOr404(user, await repository.findVisibleFind(trx, user, ref), () => repository.findPlacing(trx, ref), {
    action: 'searching.view-denied',
    subjectType: 'searching-find',
    subjectId: ref,
  })
}

/** A find with everything it is linked to that the user may see, and what followed for each prisoner. */
async function find(db: Db, user: CurrentUser, ref: string, correlationId: string | null) {
  return auditingDenials(db, actorOf(user, correlationId), async () => {
    const row = await visibleFindOr404(db, user, ref)
    const [people, reports, exhibits, interrogations] = await Promise.all([
      repository.peopleOfFind(db, user, row.id),
      repository.reportsOfFind(db, readerOf(user), row.id),
      repository.exhibitsOfFind(db, row.id),
      repository.interrogationsOfFind(db, row.id),
    ])
    const [named] = await withDisplayNames(db, [row], ['foundBy', 'recordedBy'])
    return {
      find: named,
      people: await withDisplayNames(db, people, ['outcomeBy']),
      reports,
      exhibits,
      needsInterrogation: needsInterrogation(row.category as FindCategory),
      interrogations,
    }
  })
}
export type FindView = Awaited<ReturnType<typeof find>>

/** What followed a find for one prisoner linked to it: recorded, or changed, with its reference. */
async function recordFindOutcome(
  db: Db,
  user: CurrentUser,
  ref: string,
  input: FindOutcomeInput,
  correlationId: string | null,
  now = new Date(),
) {
  return auditingDenials(db, actorOf(user, correlationId), () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const row = await visibleFindOr404(trx, user, ref)
      const people = await repository.peopleOfFind(trx, user, row.id)
      const person = people.find(p => p.prisonerNumber === input.prisonerNumber)
      if (!person) throw ValidationError.field('prisonerNumber', 'Choose a prisoner linked to this find')
      await repository.recordOutcome(trx, row.id, person.nominalId, {
        outcome: input.outcome,
        outcomeReference: input.reference ?? null,
        outcomeBy: user.username,
        outcomeAt: now,
      })
      await audit({
        action: 'searching.find-outcome',
        subjectType: 'searching-find',
        subjectId: ref,
        establishmentCode: row.establishmentCode,
        details: { prisonerNumber: person.prisonerNumber, outcome: input.outcome, reference: input.reference ?? null },
      })
      return { ref, prisonerNumber: person.prisonerNumber, outcome: input.outcome, reference: input.reference ?? null }
    }),
  )
}

/** The register, filtered, with who found each by name. */
async function finds(db: Db, user: CurrentUser, filter: repository.FindsFilter) {
  const rows = await repository.listFinds(db, user, filter)
  return withDisplayNames(
    db,
    rows.map(row => ({ ...row, people: Number(row.people ?? 0) })),
    ['foundBy'],
  )
}

const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' })
/** "Mar 2026" for '2026-03'. */
export const monthLabel = (month: string) => monthFormat.format(new Date(`${month}-15T12:00:00Z`))

type Count = { month: string; category: string; wing: string; n: number }
const sum = (counts: readonly Count[], where: (count: Count) => boolean) =>
  counts.filter(where).reduce((total, count) => total + count.n, 0)

/** One line of a trend table: a count a month over the twelve months, its total, and the year before's total. */
function trendLine(name: string, counts: readonly Count[], months: readonly string[]) {
  const lastYear = new Set(months.map(month => shiftMonth(month, -12)))
  return {
    name,
    values: months.map(month => sum(counts, count => count.month === month)),
    total: sum(counts, count => months.includes(count.month)),
    yearBefore: sum(counts, count => lastYear.has(count.month)),
  }
}

/**
 * Output 11 trends at one prison: finds a month for the last twelve months beside the same month a year before, and
 * by category and by wing or area a month.
 */
async function findTrends(db: Db, establishmentCode: string, now = new Date()) {
  const months = trendMonths(monthOf(londonToday(now)))
  const counts = await repository.findCounts(db, establishmentCode, shiftMonth(months[0], -12))
  const byMonth = months.map(month => {
    const yearBefore = sum(counts, count => count.month === shiftMonth(month, -12))
    const total = sum(counts, count => count.month === month)
    return { month, label: monthLabel(month), total, yearBefore, change: changeInWords(total, yearBefore) }
  })
  const wings = [...new Set(counts.map(count => count.wing))].sort()
  const busiest = byMonth.reduce((most, line) => (line.total > most.total ? line : most), byMonth[0])
  return {
    months: months.map(month => ({ month, label: monthLabel(month) })),
    total: byMonth.reduce((total, line) => total + line.total, 0),
    yearBefore: byMonth.reduce((total, line) => total + line.yearBefore, 0),
    busiest: { label: busiest.label, total: busiest.total },
    byMonth,
    byCategory: FIND_CATEGORIES.map(category =>
      trendLine(
        category,
        counts.filter(count => count.category === category),
        months,
      ),
    ),
    byWing: wings
      .map(wing =>
        trendLine(
          wing,
          counts.filter(count => count.wing === wing),
          months,
        ),
      )
      .filter(line => line.total > 0 || line.yearBefore > 0),
  }
}
export type FindTrends = Awaited<ReturnType<typeof findTrends>>

/** The hub's figures: finds at the user's prison this month and last month, by category. */
async function findsThisMonth(db: Db, user: CurrentUser, now = new Date()) {
  const month = monthOf(londonToday(now))
  const lastMonth = shiftMonth(month, -1)
  const counts = await repository.findCounts(db, user.establishmentCode, lastMonth)
  const byCategory = FIND_CATEGORIES.map(category => ({
    category,
    thisMonth: sum(counts, count => count.category === category && count.month === month),
    lastMonth: sum(counts, count => count.category === category && count.month === lastMonth),
  })).filter(line => line.thisMonth > 0 || line.lastMonth > 0)
  return {
    month: monthLabel(month),
    lastMonth: monthLabel(lastMonth),
    byCategory,
    thisMonth: sum(counts, count => count.month === month),
    lastMonthTotal: sum(counts, count => count.month === lastMonth),
  }
}

export function findUseCases(db: Db) {
  return {
    recordFind: recordFind.bind(null, db),
    find: find.bind(null, db),
    recordFindOutcome: recordFindOutcome.bind(null, db),
    finds: finds.bind(null, db),
    findWings: (user: CurrentUser) => repository.findWings(db, user),
    findTrends: findTrends.bind(null, db),
    findsThisMonth: findsThisMonth.bind(null, db),
    /** The prisons whose trends the user may choose between. */
    findEstablishments: (user: CurrentUser) => listEstablishmentOptions(db, user.establishmentCodes),
    /** Finds by category at a prison since an instant: the LSS risk assessment's evidence. */
    findsByCategorySince: (establishmentCode: string, since: Date) =>
      repository.findsByCategorySince(db, establishmentCode, since),
    /** The finds a person is linked to, for their profile. */
    findsOfNominal: (user: CurrentUser, nominalId: string) => repository.findsOfNominal(db, user, nominalId),
  }
}
