import { type Insertable, sql } from 'kysely'
import { type CurrentUser, visibleTo } from '../../../platform/access/user.ts'
import type { Executor } from '../../../platform/db/database.ts'
import { insertUnderDrawnReference } from '../../../platform/reference/codes.ts'
import type { SearchingInterrogationTable } from '../tables.ts'

// Seized phones and SIM cards (output 15): requests to interrogate them and their results. Interrogations carry their
// prison's code, so scope is decided here in SQL; the report a result went into is intelligence's to show.

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

const visibleInterrogation = (viewer: Viewer) => visibleTo(viewer, { establishment: 'i.establishmentCode' })

/** The categories of find that are interrogated (rules.ts, `needsInterrogation`). */
const PHONE_CATEGORIES = ['mobile-phone', 'sim-card']

/** A find at one of the viewer's prisons, as an interrogation needs it. */
export function phoneFind(db: Executor, viewer: Viewer, ref: string) {
  return db
    .selectFrom('searchingFind as f')
    .innerJoin('establishment as e', 'e.code', 'f.establishmentCode')
    .select([
      'f.id',
      'f.ref',
      'f.establishmentCode',
      'e.name as establishmentName',
      'f.category',
      'f.description',
      'f.foundAt',
      'f.location',
      'f.foundBy',
    ])
    .where('f.ref', '=', ref)
    .where(visibleTo(viewer, { establishment: 'f.establishmentCode' }))
    .executeTakeFirst()
}
export type PhoneFindRow = NonNullable<Awaited<ReturnType<typeof phoneFind>>>

/** The request of a find that awaits its result, if one does. */
export function awaitingInterrogationOf(db: Executor, findId: string) {
  return db
    .selectFrom('searchingInterrogation')
    .select(['id', 'ref'])
    .where('findId', '=', findId)
    .where('resultAt', 'is', null)
    .executeTakeFirst()
}

/**
 * A new request under a reference from `drawRef`; a reference already taken is drawn again. Null when another
 * request of the find, made meanwhile, awaits its result (one at a time: a unique index, migration 0017).
 */
export async function insertInterrogation(
  db: Executor,
  interrogation: Omit<Insertable<SearchingInterrogationTable>, 'ref'>,
  drawRef: () => string,
) {
  return insertUnderDrawnReference(
    'interrogation',
    drawRef,
    ref =>
      db
        .insertInto('searchingInterrogation')
        .values({ ...interrogation, ref })
        .onConflict(oc => oc.doNothing())
        .returning(['id', 'ref'])
        .executeTakeFirst(),
    async () => Boolean(await awaitingInterrogationOf(db, interrogation.findId)),
  )
}

/** Where an interrogation is held, whoever asks: only to audit a denied look, never shown. */
export function interrogationPlacing(db: Executor, ref: string) {
  return db
    .selectFrom('searchingInterrogation')
    .select(['id', 'establishmentCode'])
    .where('ref', '=', ref)
    .executeTakeFirst()
}

function interrogationRows(db: Executor, viewer: Viewer) {
  return db
    .selectFrom('searchingInterrogation as i')
    .innerJoin('searchingFind as f', 'f.id', 'i.findId')
    .innerJoin('establishment as e', 'e.code', 'i.establishmentCode')
    .select([
      'i.id',
      'i.ref',
      'i.establishmentCode',
      'e.name as establishmentName',
      'i.imei',
      'i.iccid',
      'i.lawfulBasis',
      'i.authorisationRef',
      'i.requestedBy',
      'i.requestedAt',
      'i.resultAt',
      'i.resultBy',
      'i.reportId',
      'f.id as findId',
      'f.ref as findRef',
      'f.category',
      'f.foundAt',
      'f.location',
    ])
    .where(visibleInterrogation(viewer))
}

export function visibleInterrogationByRef(db: Executor, viewer: Viewer, ref: string) {
  return interrogationRows(db, viewer).where('i.ref', '=', ref).executeTakeFirst()
}
export type InterrogationRow = NonNullable<Awaited<ReturnType<typeof visibleInterrogationByRef>>>

/** The interrogations of a find, newest first. */
export function interrogationsOfPhoneFind(db: Executor, viewer: Viewer, findId: string) {
  return interrogationRows(db, viewer).where('i.findId', '=', findId).orderBy('i.requestedAt', 'desc').execute()
}

export type InterrogationFilter = { establishmentCode?: string; awaiting?: boolean; findRef?: string }

/** Interrogations at the viewer's prisons: those awaiting a result oldest first, then the latest results. */
export function listInterrogations(db: Executor, viewer: Viewer, filter: InterrogationFilter, limit = 200) {
  let query = interrogationRows(db, viewer)
  if (filter.establishmentCode) query = query.where('i.establishmentCode', '=', filter.establishmentCode)
  if (filter.findRef) query = query.where('f.ref', '=', filter.findRef)
  if (filter.awaiting !== undefined) query = query.where('i.resultAt', filter.awaiting ? 'is' : 'is not', null)
  return query
    .orderBy(eb => eb.case().when('i.resultAt', 'is', null).then(0).else(1).end())
    .orderBy('i.resultAt', 'desc')
    .orderBy('i.requestedAt')
    .limit(limit)
    .execute()
}

/** Records the result on a request still awaiting one; false when someone recorded it first. */
export async function recordInterrogationResult(
  db: Executor,
  interrogationId: string,
  result: { resultAt: Date; resultBy: string; reportId: string },
) {
  const updated = await db
    .updateTable('searchingInterrogation')
    .set(result)
    .where('id', '=', interrogationId)
    .where('resultAt', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return updated !== undefined
}

export type InterrogationItem = { type: 'imei' | 'phone' | 'contact'; value: string; name: string | null }

export async function insertInterrogationItems(
  db: Executor,
  interrogationId: string,
  items: readonly InterrogationItem[],
) {
  if (items.length === 0) return
  await db
    .insertInto('searchingInterrogationItem')
    .values(items.map(item => ({ interrogationId, ...item })))
    .execute()
}

/** What the results of these interrogations hold, in the order recorded. */
export async function interrogationItems(db: Executor, interrogationIds: readonly string[]) {
  if (interrogationIds.length === 0) return []
  const rows = await db
    .selectFrom('searchingInterrogationItem')
    .select(['interrogationId', 'type', 'value', 'name'])
    .where('interrogationId', 'in', [...interrogationIds])
    .orderBy('id')
    .execute()
  return rows as (InterrogationItem & { interrogationId: string })[]
}

/** Phones and SIM cards found at a prison since a London day with no interrogation asked for, oldest first. */
export function phonesWithoutRequest(db: Executor, viewer: Viewer, establishmentCode: string, sinceDay: string) {
  return db
    .selectFrom('searchingFind as f')
    .select(['f.ref', 'f.category', 'f.description', 'f.foundAt', 'f.location'])
    .where('f.establishmentCode', '=', establishmentCode)
    .where(visibleTo(viewer, { establishment: 'f.establishmentCode' }))
    .where('f.category', 'in', PHONE_CATEGORIES)
    .where('f.foundAt', '>=', sql<Date>`(${sinceDay}::date::timestamp at time zone 'Europe/London')`)
    .where(eb =>
      eb.not(eb.exists(eb.selectFrom('searchingInterrogation as i').select('i.id').whereRef('i.findId', '=', 'f.id'))),
    )
    .orderBy('f.foundAt')
    .execute()
}

/** How many interrogations await their result at the viewer's prisons, or at one of them. */
export async function awaitingInterrogationCount(db: Executor, viewer: Viewer, establishmentCode?: string) {
  let query = db
    .selectFrom('searchingInterrogation as i')
    .select(eb => eb.fn.countAll<string>().as('n'))
    .where(visibleInterrogation(viewer))
    .where('i.resultAt', 'is', null)
  if (establishmentCode) query = query.where('i.establishmentCode', '=', establishmentCode)
  const row = await query.executeTakeFirstOrThrow()
  return Number(row.n)
}
