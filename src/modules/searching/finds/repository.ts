import { type Expression, type Insertable, type SqlBool, sql } from 'kysely'
import { type CurrentUser, visibleTo } from '../../../platform/access/user.ts'
import type { Executor } from '../../../platform/db/database.ts'
import { insertUnderDrawnReference } from '../../../platform/reference/codes.ts'
import { visibleReport } from '../../intelligence/repository.ts'
import { visibleNominals } from '../../people/repository.ts'
import type { SearchingFindTable } from '../tables.ts'

// The finds register (output 11) and what followed for the prisoners linked to a find (output 13). Finds carry
// their prison's code, so scope is decided here in SQL; people and reports are read through their modules' scope.

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>
/** A reader of the reports linked to finds: the security department reads any it may see, a reporter their own. */
export type ReportReader = Viewer & { id: string; readsIntelligence: boolean }

const visibleFind = (viewer: Viewer, alias = 'f') => visibleTo(viewer, { establishment: `${alias}.establishmentCode` })

/** A London calendar day as the instant it starts, for comparing with timestamps. */
const startOfLondonDay = (day: string) => sql<Date>`(${day}::date::timestamp at time zone 'Europe/London')`
const londonMonth = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'Europe/London', 'YYYY-MM')`

/** A new find under a reference from `drawRef`; a reference already taken is drawn again. */
export async function insertFind(
  db: Executor,
  find: Omit<Insertable<SearchingFindTable>, 'ref'>,
  drawRef: () => string,
) {
  return insertUnderDrawnReference('find', drawRef, ref =>
    db
      .insertInto('searchingFind')
      .values({ ...find, ref })
      .onConflict(oc => oc.column('ref').doNothing())
      .returning(['id', 'ref'])
      .executeTakeFirst(),
  )
}

export async function linkFindPeople(db: Executor, findId: string, nominalIds: readonly string[]) {
  if (nominalIds.length === 0) return
  await db
    .insertInto('searchingFindPerson')
    .values(nominalIds.map(nominalId => ({ findId, nominalId })))
    .execute()
}

export async function linkFindReports(db: Executor, findId: string, reportIds: readonly string[]) {
  if (reportIds.length === 0) return
  await db
    .insertInto('searchingFindReport')
    .values(reportIds.map(reportId => ({ findId, reportId })))
    .execute()
}

/** The people with these prison numbers that the viewer may see: a person they may not see is left out. */
export function prisonersToLink(db: Executor, viewer: Viewer, prisonNumbers: readonly string[]) {
  if (prisonNumbers.length === 0) return Promise.resolve([])
  return db
    .selectFrom(visibleNominals(db, viewer).as('n'))
    .select(['n.id', 'n.ref', 'n.establishmentCode'])
    .where('n.kind', '=', 'prisoner')
    .where('n.ref', 'in', [...prisonNumbers])
    .execute()
}

/** Reports the viewer may link or read, by reference. */
export function reportsToLink(db: Executor, reader: ReportReader, refs: readonly string[]) {
  if (refs.length === 0) return Promise.resolve([])
  return db
    .selectFrom('intelligenceReport as r')
    .select(['r.id', 'r.ref', 'r.establishmentCode'])
    .where('r.ref', 'in', [...refs])
    .where(readable(reader))
    .execute()
}

function readable(reader: ReportReader): Expression<SqlBool> {
  return reader.readsIntelligence
    ? visibleReport(reader)
    : sql<SqlBool>`(${visibleReport(reader)} and r.reporter_id = ${reader.id})`
}

/** A search at one of the viewer's prisons, by reference. */
export function searchToLink(db: Executor, viewer: Viewer, ref: string) {
  return db
    .selectFrom('searchingSearch as s')
    .select(['s.id', 's.ref', 's.establishmentCode', 's.location', 's.wing'])
    .where('s.ref', '=', ref)
    .where(visibleTo(viewer, { establishment: 's.establishmentCode' }))
    .executeTakeFirst()
}

/** Where a find is held, whoever asks: only to audit a denied look, never shown. */
export function findPlacing(db: Executor, ref: string) {
  return db.selectFrom('searchingFind').select(['id', 'establishmentCode']).where('ref', '=', ref).executeTakeFirst()
}

const FIND_COLUMNS = [
  'f.id',
  'f.ref',
  'f.establishmentCode',
  'e.name as establishmentName',
  'f.category',
  'f.description',
  'f.foundAt',
  'f.location',
  'f.wing',
  'f.how',
  'f.foundBy',
  'f.recordedBy',
  'f.recordedAt',
  's.ref as searchRef',
] as const

function findRows(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('searchingFind as f')
    .innerJoin('establishment as e', 'e.code', 'f.establishmentCode')
    .leftJoin('searchingSearch as s', 's.id', 'f.searchId')
    .select(FIND_COLUMNS)
    .where(visibleFind(viewer))
}

export function findVisibleFind(db: Executor, viewer: Viewer, ref: string) {
  return findRows(db, viewer).where('f.ref', '=', ref).executeTakeFirst()
}
export type FindRow = NonNullable<Awaited<ReturnType<typeof findVisibleFind>>>

export type FindsFilter = {
  category?: string
  from?: string
  to?: string
  wing?: string
  establishmentCode?: string
}

/** The register, newest first, filtered; with how many people each find is linked to that the viewer may see. */
export function listFinds(db: Executor, viewer: Viewer, filter: FindsFilter, limit = 500) {
  let query = findRows(db, viewer).select(eb =>
    eb
      .selectFrom('searchingFindPerson as p')
      .innerJoin(visibleNominals(db, viewer).as('n'), 'n.id', 'p.nominalId')
      .select(eb.fn.countAll<string>().as('n'))
      .whereRef('p.findId', '=', 'f.id')
      .as('people'),
  )
  if (filter.category) query = query.where('f.category', '=', filter.category)
  if (filter.wing) query = query.where(sql<SqlBool>`lower(f.wing) = lower(${filter.wing})`)
  if (filter.establishmentCode) query = query.where('f.establishmentCode', '=', filter.establishmentCode)
  if (filter.from) query = query.where('f.foundAt', '>=', startOfLondonDay(filter.from))
  if (filter.to)
    query = query.where('f.foundAt', '<', sql<Date>`(${filter.to}::date + 1)::timestamp at time zone 'Europe/London'`)
  return query.orderBy('f.foundAt', 'desc').orderBy('f.ref').limit(limit).execute()
}

/** The wings and areas finds have been made in at the viewer's prisons, for the register's filter. */
export async function findWings(db: Executor, viewer: Viewer) {
  const rows = await db
    .selectFrom('searchingFind as f')
    .select('f.wing')
    .distinct()
    .where(visibleFind(viewer))
    .orderBy('f.wing')
    .execute()
  return rows.map(row => row.wing)
}

/** The people linked to a find that the viewer may see, with what followed for each. */
export function peopleOfFind(db: Executor, viewer: Viewer, findId: string) {
  return db
    .selectFrom('searchingFindPerson as p')
    .innerJoin(visibleNominals(db, viewer).as('n'), 'n.id', 'p.nominalId')
    .select([
      'n.id as nominalId',
      'n.ref as prisonerNumber',
      'n.firstName',
      'n.lastName',
      'p.outcome',
      'p.outcomeReference',
      'p.outcomeBy',
      'p.outcomeAt',
    ])
    .where('p.findId', '=', findId)
    .orderBy('n.lastName')
    .orderBy('n.firstName')
    .execute()
}

/** The reports that led to a find, those the reader may read. */
export function reportsOfFind(db: Executor, reader: ReportReader, findId: string) {
  return db
    .selectFrom('searchingFindReport as l')
    .innerJoin('intelligenceReport as r', 'r.id', 'l.reportId')
    .select(['r.ref', 'r.occurredAt'])
    .where('l.findId', '=', findId)
    .where(readable(reader))
    .orderBy('r.ref')
    .execute()
}

/** The exhibits made from a find. */
export function exhibitsOfFind(db: Executor, findId: string) {
  return db
    .selectFrom('searchingExhibit')
    .select(['ref', 'sealNumber', 'storedAt', 'seizedAt', 'disposedAt'])
    .where('findId', '=', findId)
    .orderBy('seizedAt')
    .execute()
}

/** How many interrogations of a seized phone or SIM card have been asked for. */
export async function interrogationsOfFind(db: Executor, findId: string) {
  const row = await db
    .selectFrom('searchingInterrogation')
    .select(eb => eb.fn.countAll<string>().as('n'))
    .where('findId', '=', findId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export function recordOutcome(
  db: Executor,
  findId: string,
  nominalId: string,
  outcome: { outcome: string; outcomeReference: string | null; outcomeBy: string; outcomeAt: Date },
) {
  return db
    .updateTable('searchingFindPerson')
    .set(outcome)
    .where('findId', '=', findId)
    .where('nominalId', '=', nominalId)
    .executeTakeFirst()
}

// ---- Figures ----

/** Finds at one prison per month, category and wing, from the first day of `fromMonth` ('YYYY-MM'). */
export async function findCounts(db: Executor, establishmentCode: string, fromMonth: string) {
  const rows = await db
    .selectFrom('searchingFind as f')
    .select(eb => [londonMonth('f.foundAt').as('month'), 'f.category', 'f.wing', eb.fn.countAll<string>().as('n')])
    .where('f.establishmentCode', '=', establishmentCode)
    .where('f.foundAt', '>=', startOfLondonDay(`${fromMonth}-01`))
    .groupBy([londonMonth('f.foundAt'), 'f.category', 'f.wing'])
    .execute()
  return rows.map(row => ({ month: row.month, category: row.category, wing: row.wing, n: Number(row.n) }))
}

/** Finds at one prison by category since an instant: the LSS risk assessment's figures. */
export async function findsByCategorySince(db: Executor, establishmentCode: string, since: Date) {
  const rows = await db
    .selectFrom('searchingFind')
    .select(eb => ['category', eb.fn.countAll<string>().as('n')])
    .where('establishmentCode', '=', establishmentCode)
    .where('foundAt', '>=', since)
    .groupBy('category')
    .execute()
  return rows.map(row => ({ category: row.category, n: Number(row.n) }))
}

/** The finds a person is linked to, at prisons the viewer may see, newest first. */
export function findsOfNominal(db: Executor, viewer: Viewer, nominalId: string, limit = 50) {
  return db
    .selectFrom('searchingFindPerson as p')
    .innerJoin('searchingFind as f', 'f.id', 'p.findId')
    .innerJoin('establishment as e', 'e.code', 'f.establishmentCode')
    .select([
      'f.ref',
      'f.category',
      'f.description',
      'f.foundAt',
      'f.location',
      'e.name as establishmentName',
      'p.outcome',
      'p.outcomeReference',
    ])
    .where('p.nominalId', '=', nominalId)
    .where(visibleFind(viewer))
    .orderBy('f.foundAt', 'desc')
    .limit(limit)
    .execute()
}
