import { type Insertable, sql, type Updateable } from 'kysely'
import { type CurrentUser, visibleTo } from '../../../platform/access/user.ts'
import type { Executor } from '../../../platform/db/database.ts'
import { insertUnderDrawnReference } from '../../../platform/reference/codes.ts'
import { visibleReport } from '../../intelligence/repository.ts'
import type { SearchingRequirementTable, SearchingSearchTable } from '../tables.ts'

// The search programme and the searches done (outputs 9 and 10). Every query names the prison it is about; the use
// cases check the prison is in the user's scope before asking.

/** Tries before giving up on drawing a free search reference: with six drawn characters a clash is rare. */

/** A prison as the search programme needs it: its name, and whether it is in the high security estate. */
export function searchingEstablishment(db: Executor, code: string) {
  return db
    .selectFrom('establishment')
    .select(['code', 'name', 'highSecurity'])
    .where('code', '=', code)
    .where('active', '=', true)
    .executeTakeFirst()
}

export async function insertRequirement(db: Executor, requirement: Insertable<SearchingRequirementTable>) {
  const { id } = await db
    .insertInto('searchingRequirement')
    .values(requirement)
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export function findRequirement(db: Executor, id: string) {
  return db.selectFrom('searchingRequirement').selectAll().where('id', '=', id).executeTakeFirst()
}
export type RequirementRow = NonNullable<Awaited<ReturnType<typeof findRequirement>>>

export function updateRequirement(db: Executor, id: string, fields: Updateable<SearchingRequirementTable>) {
  return db.updateTable('searchingRequirement').set(fields).where('id', '=', id).execute()
}

/**
 * A prison's requirements, live or retired, each with the last search that met it: the programme's clocks start
 * from it.
 */
export function requirementsOf(db: Executor, establishmentCode: string, which: 'live' | 'retired') {
  return db
    .selectFrom('searchingRequirement as r')
    .selectAll('r')
    .select(eb =>
      eb
        .selectFrom('searchingSearch as s')
        .select(eb => eb.fn.max('s.conductedAt').as('last'))
        .whereRef('s.requirementId', '=', 'r.id')
        .as('lastSearchedAt'),
    )
    .where('r.establishmentCode', '=', establishmentCode)
    .where('r.retiredAt', which === 'live' ? 'is' : 'is not', null)
    .orderBy('r.target')
    .orderBy('r.location')
    .execute()
}

/** Inserts a search under a drawn reference, drawing again if the reference is taken. */
export async function insertSearch(
  db: Executor,
  search: Omit<Insertable<SearchingSearchTable>, 'ref'>,
  drawRef: () => string,
) {
  return insertUnderDrawnReference('search', drawRef, ref =>
    db
      .insertInto('searchingSearch')
      .values({ ...search, ref })
      .onConflict(oc => oc.column('ref').doNothing())
      .returning(['id', 'ref'])
      .executeTakeFirst(),
  )
}

const SEARCH_COLUMNS = [
  's.id',
  's.ref',
  's.establishmentCode',
  'e.name as establishmentName',
  's.requirementId',
  's.target',
  's.location',
  's.wing',
  's.method',
  's.reason',
  's.conductedAt',
  's.conductedBy',
  's.officers',
  's.result',
  's.notes',
  's.recordedBy',
  's.recordedAt',
  'ir.ref as reportRef',
  'rq.location as requirementLocation',
  'rq.target as requirementTarget',
  'rq.everyDays as requirementEveryDays',
] as const

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

/**
 * Searches with their prison, the requirement they met and the report they were raised from, through the
 * intelligence module's own visibility predicate: a report the viewer may not see is not named.
 */
function searchesQuery(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('searchingSearch as s')
    .innerJoin('establishment as e', 'e.code', 's.establishmentCode')
    .leftJoin('intelligenceReport as ir', join =>
      join.onRef('ir.id', '=', 's.reportId').on(visibleReport(viewer, 'ir')),
    )
    .leftJoin('searchingRequirement as rq', 'rq.id', 's.requirementId')
    .select(SEARCH_COLUMNS)
}

/** A search at a prison in the viewer's scope. */
export function findSearchByRef(db: Executor, viewer: Viewer, ref: string) {
  return searchesQuery(db, viewer)
    .where('s.ref', '=', ref)
    .where(visibleTo(viewer, { establishment: 's.establishmentCode' }))
    .executeTakeFirst()
}

/** Where a search was made, whoever asks: to tell a denied look from one at nothing. */
export function searchPlacing(db: Executor, ref: string) {
  return db.selectFrom('searchingSearch').select('establishmentCode').where('ref', '=', ref).executeTakeFirst()
}
export type SearchRow = NonNullable<Awaited<ReturnType<typeof findSearchByRef>>>

export type SearchFilter = {
  type?: string
  method?: string
  reason?: string
  result?: string
  wing?: string
  /** Instants: from the start of the first day to the end of the last, in Europe/London. */
  from?: Date
  before?: Date
}

/** A prison's searches, newest first, as filtered. */
export function listSearches(
  db: Executor,
  viewer: Viewer,
  establishmentCode: string,
  filter: SearchFilter,
  limit: number,
) {
  let query = searchesQuery(db, viewer).where('s.establishmentCode', '=', establishmentCode)
  if (filter.type) query = query.where('s.target', '=', filter.type)
  if (filter.method) query = query.where('s.method', '=', filter.method)
  if (filter.reason) query = query.where('s.reason', '=', filter.reason)
  if (filter.result) query = query.where('s.result', '=', filter.result)
  if (filter.wing) query = query.where(sql<boolean>`lower(s.wing) = lower(${filter.wing})`)
  if (filter.from) query = query.where('s.conductedAt', '>=', filter.from)
  if (filter.before) query = query.where('s.conductedAt', '<', filter.before)
  return query.orderBy('s.conductedAt', 'desc').orderBy('s.ref').limit(limit).execute()
}

/** The wings and areas a prison's searches have been counted on since a day, for the wing select and the coverage. */
export async function searchedAreas(db: Executor, establishmentCode: string, since: Date) {
  const rows = await db
    .selectFrom('searchingSearch')
    .select('wing')
    .distinct()
    .where('establishmentCode', '=', establishmentCode)
    .where('conductedAt', '>=', since)
    .orderBy('wing')
    .execute()
  return rows.map(row => row.wing)
}

const londonMonth = sql<string>`to_char(conducted_at at time zone 'Europe/London', 'YYYY-MM')`

/** Searches done at a prison since an instant, by wing or area and month (Europe/London). */
export function searchesByWingAndMonth(db: Executor, establishmentCode: string, since: Date) {
  return db
    .selectFrom('searchingSearch')
    .select(eb => ['wing', londonMonth.as('month'), eb.fn.countAll<number>().as('count')])
    .where('establishmentCode', '=', establishmentCode)
    .where('conductedAt', '>=', since)
    .groupBy(['wing', sql`2`])
    .execute()
}

/** Searches that met each requirement of a prison since an instant, by month (Europe/London). */
export function plannedByRequirementAndMonth(db: Executor, establishmentCode: string, since: Date) {
  return db
    .selectFrom('searchingSearch')
    .select(eb => ['requirementId', londonMonth.as('month'), eb.fn.countAll<number>().as('count')])
    .where('establishmentCode', '=', establishmentCode)
    .where('conductedAt', '>=', since)
    .where('requirementId', 'is not', null)
    .groupBy(['requirementId', sql`2`])
    .execute()
}
