import { type Insertable, sql } from 'kysely'
import type { CurrentUser } from '../../../platform/access/user.ts'
import { visibleTo } from '../../../platform/access/user.ts'
import type { Executor } from '../../../platform/db/database.ts'
import { visibleNominals } from '../../people/repository.ts'
import { type FindCategory, permissionCovers } from '../rules.ts'
import type { SearchingVisitMeasureReviewTable, SearchingVisitMeasureTable } from '../tables.ts'

// The SQL of measures on visitors (output 13) and permissions for otherwise prohibited items (output 14). A measure
// is about a prisoner, read through people's visibleNominals, so one the user may not see never leaves the database.

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

// ---- Measures on visitors ----

/** A prisoner the user may see, by prison number. */
export function findVisitedPrisoner(db: Executor, user: Viewer, prisonNumber: string) {
  return db
    .selectFrom(visibleNominals(db, user).as('n'))
    .select(['n.id', 'n.ref', 'n.establishmentCode', 'n.firstName', 'n.lastName'])
    .where('n.ref', '=', prisonNumber)
    .where('n.kind', '=', 'prisoner')
    .executeTakeFirst()
}

/** A find of this prison by its reference: a measure may follow one. */
export function findFindFollowed(db: Executor, establishmentCode: string, ref: string) {
  return db
    .selectFrom('searchingFind')
    .select(['id', 'ref'])
    .where('ref', '=', ref)
    .where('establishmentCode', '=', establishmentCode)
    .executeTakeFirst()
}

export async function insertVisitMeasure(trx: Executor, row: Insertable<SearchingVisitMeasureTable>) {
  const { id } = await trx.insertInto('searchingVisitMeasure').values(row).returning('id').executeTakeFirstOrThrow()
  return id
}

/** The next review: the one the last review set, or the first while none has been held. */
const currentReviewOn = sql<string>`coalesce((
  select r.next_review_on from searching_visit_measure_review r
  where r.measure_id = m.id order by r.reviewed_at desc, r.id limit 1
), m.review_on)`

function visitMeasureRows(db: Executor, user: Viewer) {
  return db
    .selectFrom('searchingVisitMeasure as m')
    .innerJoin(visibleNominals(db, user).as('n'), 'n.id', 'm.nominalId')
    .innerJoin('establishment as e', 'e.code', 'm.establishmentCode')
    .leftJoin('searchingFind as f', 'f.id', 'm.findId')
    .where(visibleTo(user, { establishment: 'm.establishmentCode' }))
    .select([
      'm.id',
      'm.establishmentCode',
      'e.name as establishmentName',
      'm.visitorName',
      'm.visitorDateOfBirth',
      'm.measure',
      'm.reason',
      'm.startsOn',
      'm.endsOn',
      'm.decidedBy',
      'm.decidedAt',
      'm.endedAt',
      'm.endedBy',
      'm.reviewOn as firstReviewOn',
      currentReviewOn.as('reviewOn'),
      'n.ref as prisonerNumber',
      'n.firstName',
      'n.lastName',
      'f.ref as findRef',
    ])
}
export type VisitMeasureRow = Awaited<ReturnType<typeof findVisitMeasure>> & {}

/**
 * The measures of one prison (or all the user's), live (not ended at a review, end date not passed) with the earliest review first,
 * or ended with the latest first.
 */
export function listVisitMeasures(
  db: Executor,
  user: Viewer,
  filter: { establishmentCode?: string; state: 'live' | 'ended'; today: string },
) {
  const live = sql<boolean>`(m.ended_at is null and (m.ends_on is null or m.ends_on >= ${filter.today}::date))`
  let query = visitMeasureRows(db, user)
  if (filter.establishmentCode) query = query.where('m.establishmentCode', '=', filter.establishmentCode)
  if (filter.state === 'live') return query.where(live).orderBy(currentReviewOn).orderBy('m.visitorName').execute()
  return query
    .where(sql<boolean>`not ${live}`)
    .orderBy(sql`coalesce((m.ended_at at time zone 'Europe/London')::date, m.ends_on)`, 'desc')
    .limit(200)
    .execute()
}

export function findVisitMeasure(db: Executor, user: Viewer, id: string) {
  return visitMeasureRows(db, user).where('m.id', '=', id).executeTakeFirst()
}

/** Where a measure belongs, whoever asks: to audit a look from outside its prison. */
export function findVisitMeasurePlacing(db: Executor, id: string) {
  return db.selectFrom('searchingVisitMeasure').select('establishmentCode').where('id', '=', id).executeTakeFirst()
}

/** The measures on the visitors of one prisoner, newest first. */
export function listVisitMeasuresOnPrisoner(db: Executor, user: Viewer, nominalId: string) {
  return visitMeasureRows(db, user).where('m.nominalId', '=', nominalId).orderBy('m.startsOn', 'desc').execute()
}

export function listVisitMeasureReviews(db: Executor, measureId: string) {
  return db
    .selectFrom('searchingVisitMeasureReview')
    .select(['id', 'reviewedOn', 'outcome', 'nextReviewOn', 'notes', 'reviewedBy', 'reviewedAt'])
    .where('measureId', '=', measureId)
    .orderBy('reviewedAt', 'desc')
    .execute()
}

export async function insertVisitMeasureReview(trx: Executor, row: Insertable<SearchingVisitMeasureReviewTable>) {
  const { id } = await trx
    .insertInto('searchingVisitMeasureReview')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

/** Ends a measure still standing; false when another review ended it first. */
export async function endVisitMeasure(trx: Executor, id: string, by: string, at: Date) {
  const result = await trx
    .updateTable('searchingVisitMeasure')
    .set({ endedAt: at, endedBy: by })
    .where('id', '=', id)
    .where('endedAt', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

// ---- Permissions for items ----

/** The first and last instants of calendar days in Europe/London: a permission runs for whole days. */
const londonStartOf = (day: string) => sql<Date>`(${day}::date)::timestamp at time zone 'Europe/London'`
const londonEndOf = (day: string) =>
  sql<Date>`((${day}::date + 1)::timestamp at time zone 'Europe/London') - interval '1 millisecond'`

export async function insertItemPermission(
  trx: Executor,
  row: {
    establishmentCode: string
    category: string
    description: string
    holder: string
    location: string | null
    validFrom: string
    validUntil: string
    authorisedBy: string
    authorisedAt: Date
  },
) {
  const { id } = await trx
    .insertInto('searchingItemPermission')
    .values({ ...row, validFrom: londonStartOf(row.validFrom), validUntil: londonEndOf(row.validUntil) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

function itemPermissionRows(db: Executor, user: Viewer) {
  return db
    .selectFrom('searchingItemPermission as p')
    .innerJoin('establishment as e', 'e.code', 'p.establishmentCode')
    .where(visibleTo(user, { establishment: 'p.establishmentCode' }))
    .select([
      'p.id',
      'p.establishmentCode',
      'e.name as establishmentName',
      'p.category',
      'p.description',
      'p.holder',
      'p.location',
      'p.validFrom',
      'p.validUntil',
      'p.authorisedBy',
      'p.authorisedAt',
      'p.revokedAt',
      'p.revokedBy',
      'p.revocationReason',
    ])
}

/** The permissions of one prison: those still to run out first, by the day they do, then the rest, latest first. */
export function listItemPermissions(db: Executor, user: Viewer, filter: { establishmentCode: string; now: Date }) {
  const standing = sql<boolean>`(p.revoked_at is null and p.valid_until >= ${filter.now})`
  return itemPermissionRows(db, user)
    .where('p.establishmentCode', '=', filter.establishmentCode)
    .orderBy(sql`${standing} desc`)
    .orderBy(sql`case when ${standing} then p.valid_until end`)
    .orderBy(sql`coalesce(p.revoked_at, p.valid_until)`, 'desc')
    .limit(500)
    .execute()
}

export function findItemPermission(db: Executor, user: Viewer, id: string) {
  return itemPermissionRows(db, user).where('p.id', '=', id).executeTakeFirst()
}
export type ItemPermissionRow = NonNullable<Awaited<ReturnType<typeof findItemPermission>>>

export function findItemPermissionPlacing(db: Executor, id: string) {
  return db.selectFrom('searchingItemPermission').select('establishmentCode').where('id', '=', id).executeTakeFirst()
}

/** Revokes a permission still standing; false when someone revoked it first. */
export async function revokeItemPermission(
  trx: Executor,
  id: string,
  revocation: { by: string; at: Date; reason: string },
) {
  const result = await trx
    .updateTable('searchingItemPermission')
    .set({ revokedAt: revocation.at, revokedBy: revocation.by, revocationReason: revocation.reason })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) === 1
}

/** The finds a permission covers (rules.ts `permissionCovers`): its prison's finds of its kind while it stood. */
export async function findsCoveredBy(db: Executor, permission: ItemPermissionRow) {
  const candidates = await db
    .selectFrom('searchingFind')
    .select(['id', 'ref', 'category', 'description', 'location', 'foundAt'])
    .where('establishmentCode', '=', permission.establishmentCode)
    .where('category', '=', permission.category)
    .where('foundAt', '>=', permission.validFrom)
    .where('foundAt', '<=', permission.validUntil)
    .orderBy('foundAt', 'desc')
    .limit(200)
    .execute()
  const covering = { ...permission, category: permission.category as FindCategory }
  return candidates.filter(find => permissionCovers(covering, { ...find, category: find.category as FindCategory }))
}

/**
 * The permissions that cover a find (rules.ts `permissionCovers`): of its prison and kind, standing when it was
 * found, for its place or for anywhere. For the finds register to show "Covered by permission …" on a find.
 */
export async function coveringPermissions(
  db: Executor,
  find: { establishmentCode: string; category: string; location: string; foundAt: Date },
) {
  const candidates = await db
    .selectFrom('searchingItemPermission')
    .select([
      'id',
      'category',
      'description',
      'holder',
      'location',
      'validFrom',
      'validUntil',
      'revokedAt',
      'authorisedBy',
    ])
    .where('establishmentCode', '=', find.establishmentCode)
    .where('category', '=', find.category)
    .where('validFrom', '<=', find.foundAt)
    .where('validUntil', '>=', find.foundAt)
    .orderBy('validFrom')
    .execute()
  const found = { ...find, category: find.category as FindCategory }
  return candidates.filter(permission =>
    permissionCovers({ ...permission, category: permission.category as FindCategory }, found),
  )
}
