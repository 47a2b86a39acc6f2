import type { Insertable } from 'kysely'
import type { CurrentUser } from '../../../platform/access/user.ts'
import { visibleTo } from '../../../platform/access/user.ts'
import type { Executor } from '../../../platform/db/database.ts'
import { insertUnderDrawnReference } from '../../../platform/reference/codes.ts'
import type {
  SearchingCustodyEventTable,
  SearchingExhibitTable,
  SearchingFindTable,
  SearchingPoliceHoldTable,
} from '../tables.ts'

// Exhibits and their chain of custody (output 12): the exhibit, every custody event, police holds and the disposal.

type Scope = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

/** A find the user may see, by reference: what an exhibit is made from. */
export function visibleFindByRef(db: Executor, user: Scope, ref: string) {
  return db
    .selectFrom('searchingFind as f')
    .select(['f.id', 'f.ref', 'f.establishmentCode', 'f.category', 'f.description', 'f.foundAt', 'f.foundBy'])
    .where('f.ref', '=', ref)
    .where(visibleTo(user, { establishment: 'f.establishmentCode' }))
    .executeTakeFirst()
}

/** A new exhibit under a reference from `drawRef`; a reference already taken is drawn again without failing. */
export async function insertExhibit(
  db: Executor,
  exhibit: Omit<Insertable<SearchingExhibitTable>, 'ref'>,
  drawRef: () => string,
) {
  return insertUnderDrawnReference('exhibit', drawRef, ref =>
    db
      .insertInto('searchingExhibit')
      .values({ ...exhibit, ref })
      .onConflict(oc => oc.column('ref').doNothing())
      .returning(['id', 'ref'])
      .executeTakeFirst(),
  )
}

const EXHIBIT_COLUMNS = [
  'x.id',
  'x.ref',
  'x.establishmentCode',
  'e.name as establishmentName',
  'x.sealNumber',
  'x.seizedByKind',
  'x.seizedByName',
  'x.seizedAt',
  'x.storedAt',
  'x.createdBy',
  'x.createdAt',
  'x.disposedAt',
  'x.disposalMethod',
  'x.disposedBy',
  'x.disposalWitness',
  'x.disposalNotes',
  'f.ref as findRef',
  'f.category as findCategory',
  'f.description as findDescription',
  'f.location as findLocation',
] as const

function exhibits(db: Executor) {
  return db
    .selectFrom('searchingExhibit as x')
    .innerJoin('searchingFind as f', 'f.id', 'x.findId')
    .innerJoin('establishment as e', 'e.code', 'x.establishmentCode')
    .select(EXHIBIT_COLUMNS)
}

/** An exhibit by reference, wherever it is: the use case decides whether the user may see it. */
/** An exhibit at a prison in the user's scope. */
export function exhibitByRef(db: Executor, user: Scope, ref: string) {
  return exhibits(db)
    .where('x.ref', '=', ref)
    .where(visibleTo(user, { establishment: 'x.establishmentCode' }))
    .executeTakeFirst()
}

/** Where an exhibit is held, whoever asks: to tell a denied look from one at nothing. */
export function exhibitPlacing(db: Executor, ref: string) {
  return db.selectFrom('searchingExhibit').select('establishmentCode').where('ref', '=', ref).executeTakeFirst()
}
export type ExhibitRow = NonNullable<Awaited<ReturnType<typeof exhibitByRef>>>

/** Holds the exhibit's row until the transaction ends, so that two movements recorded at once chain one after the other. */
export async function lockExhibit(db: Executor, id: string) {
  await db.selectFrom('searchingExhibit').select('id').where('id', '=', id).forUpdate().execute()
}

/** The exhibits of a prison the user may see, newest first. */
export function exhibitsAt(db: Executor, user: Scope, establishmentCode: string) {
  return exhibits(db)
    .where('x.establishmentCode', '=', establishmentCode)
    .where(visibleTo(user, { establishment: 'x.establishmentCode' }))
    .orderBy('x.seizedAt', 'desc')
    .orderBy('x.ref')
    .execute()
}

/** The custody events of some exhibits, each exhibit's in the order they happened (and were recorded). */
export function custodyEventsOf(db: Executor, exhibitIds: readonly string[]) {
  if (exhibitIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('searchingCustodyEvent')
    .selectAll()
    .where('exhibitId', 'in', [...exhibitIds])
    .orderBy('exhibitId')
    .orderBy('at')
    .orderBy('id')
    .execute()
}
export type CustodyEventRow = Awaited<ReturnType<typeof custodyEventsOf>>[number]

export async function insertCustodyEvent(db: Executor, event: Insertable<SearchingCustodyEventTable>) {
  const inserted = await db.insertInto('searchingCustodyEvent').values(event).returning('id').executeTakeFirstOrThrow()
  return inserted.id
}

/** The police holds of some exhibits, the live one (if any) and those lifted, newest first. */
export function policeHoldsOf(db: Executor, exhibitIds: readonly string[]) {
  if (exhibitIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('searchingPoliceHold')
    .selectAll()
    .where('exhibitId', 'in', [...exhibitIds])
    .orderBy('placedAt', 'desc')
    .execute()
}
export type PoliceHoldRow = Awaited<ReturnType<typeof policeHoldsOf>>[number]

/** A new police hold, or nothing when one already stands (one live hold an exhibit, by a unique index). */
export function insertPoliceHold(db: Executor, hold: Insertable<SearchingPoliceHoldTable>) {
  return db
    .insertInto('searchingPoliceHold')
    .values(hold)
    .onConflict(oc => oc.column('exhibitId').where('liftedAt', 'is', null).doNothing())
    .returning('id')
    .executeTakeFirst()
}

/** Lifts the hold that stands, if one does. */
export function liftPoliceHold(db: Executor, exhibitId: string, lift: { liftedBy: string; liftedAt: Date }) {
  return db
    .updateTable('searchingPoliceHold')
    .set(lift)
    .where('exhibitId', '=', exhibitId)
    .where('liftedAt', 'is', null)
    .returning(['id', 'crimeReference'])
    .executeTakeFirst()
}

/** Records the disposal once: nothing when it was disposed of already. */
export function recordDisposal(
  db: Executor,
  exhibitId: string,
  disposal: {
    disposedAt: Date
    disposalMethod: string
    disposedBy: string
    disposalWitness: string
    disposalNotes: string | null
  },
) {
  return db
    .updateTable('searchingExhibit')
    .set(disposal)
    .where('id', '=', exhibitId)
    .where('disposedAt', 'is', null)
    .returning('id')
    .executeTakeFirst()
}

/** Demonstration data only: a find as the finds register holds it, for the demo exhibits to be made from. */
export async function insertFindForDemoExhibits(db: Executor, find: Insertable<SearchingFindTable>) {
  const inserted = await db.insertInto('searchingFind').values(find).returning(['id', 'ref']).executeTakeFirstOrThrow()
  return inserted
}

/** Whether the demo exhibits are there already. */
export async function hasDemoExhibits(db: Executor, establishmentCode: string) {
  const row = await db
    .selectFrom('searchingExhibit')
    .select('id')
    .where('establishmentCode', '=', establishmentCode)
    .limit(1)
    .executeTakeFirst()
  return Boolean(row)
}

/** A prison by code, for the heading of its exhibits. */
export function exhibitPrison(db: Executor, code: string) {
  return db.selectFrom('establishment').select(['code', 'name']).where('code', '=', code).executeTakeFirst()
}
