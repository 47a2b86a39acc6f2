import { type Insertable, sql, type Updateable } from 'kysely'
import type { CurrentUser } from '../../platform/access/user.ts'
import type { Executor } from '../../platform/db/database.ts'
import { allNominals, prisonersByCharacteristic, visibleNominals } from '../people/repository.ts'
import type { Characteristic } from './rules.ts'
import type {
  SocDecisionTable,
  SocDisruptionTable,
  SocGroupMemberTable,
  SocMeetingTable,
  SocNominalTable,
  SocPlanActionTable,
  SocReviewTable,
  SocTriggerTable,
} from './tables.ts'

// All SQL of the soc module. People are read through people's derived tables (visibleNominals, allNominals), so
// scope and compartments are decided in SQL, by people, and nothing hidden leaves the database.

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

/** Meetings, disruptions and visits of the user's prisons, and the regional ones that belong to no prison. */
const inScopeOrRegional = (user: Viewer, column: 'establishmentCode' | 'd.establishmentCode') =>
  user.establishmentCodes === 'all'
    ? sql<boolean>`true`
    : sql<boolean>`(${sql.ref(column)} = any(${[...user.establishmentCodes]}::text[]) or ${sql.ref(column)} is null)`

// ---- SOC nominals ----

function socNominalRows(db: Executor, user: Viewer) {
  return db
    .selectFrom('socNominal as s')
    .innerJoin(visibleNominals(db, user).as('n'), 'n.id', 's.nominalId')
    .innerJoin('establishment as e', 'e.code', 'n.establishmentCode')
    .selectAll('s')
    .select([
      'n.ref as prisonerNumber',
      'n.firstName',
      'n.lastName',
      'n.establishmentCode',
      'e.name as establishmentName',
      'n.releaseDate',
      'n.sentenceStartDate',
      'n.inCustody',
      'n.securityCategory',
    ])
}

export function listSocNominals(db: Executor, user: Viewer, filter: { band?: string; status?: string }) {
  let query = socNominalRows(db, user)
  if (filter.band) query = query.where('s.band', '=', filter.band).where('s.status', '=', 'selected')
  if (filter.status) query = query.where('s.status', '=', filter.status)
  return query.orderBy('s.band').orderBy('n.lastName').limit(1000).execute()
}

export function findSocNominal(db: Executor, user: Viewer, prisonerNumber: string) {
  return socNominalRows(db, user).where('n.ref', '=', prisonerNumber).executeTakeFirst()
}
export type SocNominalRow = NonNullable<Awaited<ReturnType<typeof findSocNominal>>>

/** Where a SOC nominal is held and their compartment, whoever asks: only to audit a denied look, never shown. */
export function findSocNominalPlacing(db: Executor, prisonerNumber: string) {
  return db
    .selectFrom('socNominal as s')
    .innerJoin(allNominals(db).as('n'), 'n.id', 's.nominalId')
    .select(['n.establishmentCode', 'n.compartment'])
    .where('n.ref', '=', prisonerNumber)
    .executeTakeFirst()
}

/** A person the user may see, to nominate, match or disrupt. */
export function findVisiblePerson(db: Executor, user: Viewer, ref: string) {
  return db
    .selectFrom(visibleNominals(db, user).as('n'))
    .select(['n.id', 'n.ref', 'n.establishmentCode', 'n.kind'])
    .where('n.ref', '=', ref)
    .executeTakeFirst()
}

export function findNominationStatus(db: Executor, nominalId: string) {
  return db.selectFrom('socNominal').select(['status']).where('nominalId', '=', nominalId).executeTakeFirst()
}

type Nomination = {
  nominatedByType: string
  nominatedBy: string
  nominatorName: string
  rationale: string
  nominatedAt: Date
  criteria: string[]
  band: null
  status: 'nominated'
}

/** A first nomination, or a new one for someone not selected or de-selected before. */
export async function saveNomination(db: Executor, nominalId: string, values: Nomination, renominated: boolean) {
  if (renominated) await db.updateTable('socNominal').set(values).where('nominalId', '=', nominalId).execute()
  else
    await db
      .insertInto('socNominal')
      .values({ nominalId, ...values })
      .execute()
}

export async function updateSocNominal(db: Executor, id: string, values: Updateable<SocNominalTable>) {
  await db.updateTable('socNominal').set(values).where('id', '=', id).execute()
}

/** The SOC panel of a profile (SOC PF 4.6): the same two statements every profile runs. */
export async function findProfileSummary(db: Executor, nominalId: string) {
  const row = await db
    .selectFrom('socNominal')
    .select(['band', 'status', 'selectedOn', 'lastReview'])
    .where('nominalId', '=', nominalId)
    .executeTakeFirst()
  const groups = await db
    .selectFrom('socGroupMember as m')
    .innerJoin('socGroup as g', 'g.id', 'm.groupId')
    .select(['g.ref', 'g.name', 'm.role'])
    .where('m.nominalId', '=', nominalId)
    .execute()
  return { row, groups }
}

// ---- A nominal's history ----

export function listDecisionsOf(db: Executor, socNominalId: string) {
  return db
    .selectFrom('socDecision as d')
    .innerJoin('socMeeting as m', 'm.id', 'd.meetingId')
    .select(['d.decision', 'd.reason', 'd.decidedBy', 'd.decidedAt', 'm.ref as meetingRef', 'm.heldOn', 'm.kind'])
    .where('d.socNominalId', '=', socNominalId)
    .orderBy('d.id', 'desc')
    .execute()
}

export function listReviewsOf(db: Executor, socNominalId: string) {
  return db
    .selectFrom('socReview')
    .selectAll()
    .where('socNominalId', '=', socNominalId)
    .orderBy('reviewedOn', 'desc')
    .execute()
}

export function listTriggersOf(db: Executor, socNominalIds: readonly string[]) {
  if (socNominalIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('socTrigger')
    .selectAll()
    .where('socNominalId', 'in', [...socNominalIds])
    .orderBy('occurredOn', 'desc')
    .execute()
}

export function listDisruptionsOf(db: Executor, socNominalIds: readonly string[]) {
  if (socNominalIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('socDisruption')
    .selectAll()
    .where('socNominalId', 'in', [...socNominalIds])
    .orderBy('occurredOn', 'desc')
    .execute()
}

export function listGroupsOf(db: Executor, nominalId: string) {
  return db
    .selectFrom('socGroupMember as gm')
    .innerJoin('socGroup as g', 'g.id', 'gm.groupId')
    .select(['g.ref', 'g.name', 'g.significance', 'gm.role'])
    .where('gm.nominalId', '=', nominalId)
    .execute()
}

export function listPlanActionsOf(db: Executor, socNominalId: string) {
  return db
    .selectFrom('socPlanAction')
    .selectAll()
    .where('socNominalId', '=', socNominalId)
    .orderBy('dueDate')
    .execute()
}

/** The other members of a nominal's groups whom the viewer may see. */
export function listVisibleAssociates(db: Executor, user: Viewer, nominalId: string) {
  return db
    .selectFrom('socGroupMember as mine')
    .innerJoin('socGroupMember as other', 'other.groupId', 'mine.groupId')
    .innerJoin('socGroup as g', 'g.id', 'other.groupId')
    .innerJoin(visibleNominals(db, user).as('n'), 'n.id', 'other.nominalId')
    .select(['g.ref as groupRef', 'n.ref', 'n.firstName', 'n.lastName', 'other.role'])
    .where('mine.nominalId', '=', nominalId)
    .where('other.nominalId', '!=', nominalId)
    .distinct()
    .orderBy('g.ref')
    .orderBy('n.lastName')
    .execute()
}

// ---- Meetings and decisions ----

export function listMeetings(db: Executor, user: Viewer) {
  return db
    .selectFrom('socMeeting')
    .selectAll()
    .where(inScopeOrRegional(user, 'establishmentCode'))
    .orderBy('heldOn', 'desc')
    .limit(200)
    .execute()
}

export function findMeeting(db: Executor, ref: string) {
  return db.selectFrom('socMeeting').selectAll().where('ref', '=', ref).executeTakeFirst()
}

export function listMeetingDecisions(db: Executor, user: Viewer, meetingId: string) {
  return db
    .selectFrom('socDecision as d')
    .innerJoin('socNominal as s', 's.id', 'd.socNominalId')
    .innerJoin(visibleNominals(db, user).as('n'), 'n.id', 's.nominalId')
    .select([
      'd.decision',
      'd.reason',
      'd.decidedBy',
      'd.decidedAt',
      'n.ref as prisonerNumber',
      'n.firstName',
      'n.lastName',
    ])
    .where('d.meetingId', '=', meetingId)
    .orderBy('d.id')
    .execute()
}

export async function nextMeetingNumber(db: Executor) {
  const { rows } = await sql<{ n: number }>`select nextval('soc_meeting_seq') as n`.execute(db)
  return Number(rows[0].n)
}

export async function insertMeeting(db: Executor, values: Insertable<SocMeetingTable>) {
  await db.insertInto('socMeeting').values(values).execute()
}

export async function insertDecision(db: Executor, values: Insertable<SocDecisionTable>) {
  await db.insertInto('socDecision').values(values).execute()
}

// ---- Establishments (a platform table) ----

export async function socuRegionOf(db: Executor, establishmentCode: string) {
  const e = await db
    .selectFrom('establishment')
    .select('socuRegion')
    .where('code', '=', establishmentCode)
    .executeTakeFirstOrThrow()
  return e.socuRegion ?? 'Unassigned'
}

export function findEstablishment(db: Executor, code: string) {
  return db.selectFrom('establishment').select(['code', 'name']).where('code', '=', code).executeTakeFirstOrThrow()
}

/** The active prisons the viewer oversees, by name, with their SOCU region: the choices of a prison field. */
export function listPrisonsInScope(db: Executor, user: Viewer) {
  if (user.establishmentCodes !== 'all' && user.establishmentCodes.length === 0) return Promise.resolve([])
  let query = db.selectFrom('establishment').select(['code', 'name', 'socuRegion']).where('active', '=', true)
  if (user.establishmentCodes !== 'all') query = query.where('code', 'in', [...user.establishmentCodes])
  return query.orderBy('name').execute()
}

export async function establishmentCodesOfRegion(db: Executor, region: string) {
  const rows = await db.selectFrom('establishment').select('code').where('socuRegion', '=', region).execute()
  return rows.map(row => row.code)
}

// ---- Case management: reviews, plans, triggers ----

export async function insertReview(db: Executor, values: Omit<Insertable<SocReviewTable>, 'meetingId'>) {
  await db
    .insertInto('socReview')
    .values({ ...values, meetingId: null })
    .execute()
}

export async function insertPlanAction(
  db: Executor,
  values: Omit<Insertable<SocPlanActionTable>, 'status' | 'updatedBy' | 'updatedAt'>,
) {
  const row = await db
    .insertInto('socPlanAction')
    .values({ ...values, status: 'open', updatedBy: null, updatedAt: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The action's new status, if the action is on this nominal's plan. */
export function updatePlanActionStatus(
  db: Executor,
  socNominalId: string,
  actionId: number,
  values: { status: string; updatedBy: string; updatedAt: Date },
) {
  return db
    .updateTable('socPlanAction')
    .set(values)
    .where('id', '=', actionId)
    .where('socNominalId', '=', socNominalId)
    .returning('id')
    .executeTakeFirst()
}

export async function insertTrigger(
  db: Executor,
  values: Omit<Insertable<SocTriggerTable>, 'seenBySocuAt' | 'seenBy'>,
) {
  const row = await db
    .insertInto('socTrigger')
    .values({ ...values, seenBySocuAt: null, seenBy: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** SOCU's work list: trigger points not yet seen, Band 1 first. */
export function listUnseenTriggers(db: Executor, user: Viewer) {
  return db
    .selectFrom('socTrigger as t')
    .innerJoin('socNominal as s', 's.id', 't.socNominalId')
    .innerJoin(visibleNominals(db, user).as('n'), 'n.id', 's.nominalId')
    .select([
      't.id',
      't.code',
      't.occurredOn',
      't.details',
      't.recordedBy',
      't.recordedAt',
      't.establishmentCode',
      's.band',
      'n.ref as prisonerNumber',
      'n.firstName',
      'n.lastName',
    ])
    .where('t.seenBySocuAt', 'is', null)
    .orderBy('s.band')
    .orderBy('t.recordedAt')
    .execute()
}

export function findTrigger(db: Executor, id: number) {
  return db
    .selectFrom('socTrigger')
    .select(['establishmentCode', 'seenBySocuAt'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function markTriggerSeen(db: Executor, id: number, seenBy: string, now: Date) {
  await db.updateTable('socTrigger').set({ seenBySocuAt: now, seenBy }).where('id', '=', id).execute()
}

// ---- Disruptions ----

export function findGroupByRef(db: Executor, ref: string) {
  return db.selectFrom('socGroup').select('id').where('ref', '=', ref).executeTakeFirst()
}

export async function insertDisruption(
  db: Executor,
  values: Omit<
    Insertable<SocDisruptionTable>,
    'moderation' | 'moderatedImpact' | 'moderationNotes' | 'moderatedBy' | 'moderatedAt'
  >,
) {
  const row = await db
    .insertInto('socDisruption')
    .values({ ...values, moderatedImpact: null, moderationNotes: null, moderatedBy: null, moderatedAt: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function listDisruptions(db: Executor, user: Viewer) {
  return db
    .selectFrom('socDisruption as d')
    .leftJoin('socNominal as s', 's.id', 'd.socNominalId')
    .leftJoin(allNominals(db).as('n'), 'n.id', 's.nominalId')
    .leftJoin('socGroup as g', 'g.id', 'd.groupId')
    .selectAll('d')
    .select(['n.ref as prisonerNumber', 'n.firstName', 'n.lastName', 'g.ref as groupRef', 'g.name as groupName'])
    .where(inScopeOrRegional(user, 'd.establishmentCode'))
    .orderBy('d.occurredOn', 'desc')
    .limit(500)
    .execute()
}

export function findDisruption(db: Executor, id: string) {
  return db
    .selectFrom('socDisruption')
    .select(['establishmentCode', 'moderation'])
    .where('id', '=', id)
    .executeTakeFirst()
}

export async function moderateDisruption(db: Executor, id: string, values: Updateable<SocDisruptionTable>) {
  await db.updateTable('socDisruption').set(values).where('id', '=', id).execute()
}

// ---- OCGM mapping ----

export async function insertOcgmImport(
  db: Executor,
  values: { fileName: string; importedAt: Date; importedBy: string; rows: number; rejected: number },
) {
  const row = await db
    .insertInto('socOcgmImport')
    .values({ ...values, matched: 0, unmatched: 0, flagsAdded: 0, flagsClosed: 0, report: JSON.stringify({}) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function completeOcgmImport(
  db: Executor,
  id: string,
  values: { matched: number; unmatched: number; flagsAdded: number; flagsClosed: number; report: object },
) {
  await db
    .updateTable('socOcgmImport')
    .set({ ...values, report: JSON.stringify(values.report) })
    .where('id', '=', id)
    .execute()
}

/** Creates or refreshes a group as the mapping names it; its id. */
export async function upsertGroup(
  db: Executor,
  group: { ref: string; name: string; significance: string | null },
  now: Date,
) {
  const row = await db
    .insertInto('socGroup')
    .values({ ...group, updatedAt: now })
    .onConflict(oc =>
      oc
        .column('ref')
        .doUpdateSet({ name: group.name, significance: group.significance, active: true, updatedAt: now }),
    )
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** The members as the last import left them, then gone: each import maps the groups afresh. */
export async function takeGroupMembers(db: Executor) {
  const previous = await db
    .selectFrom('socGroupMember')
    .select(['line', 'prisonNumber', 'pncNumber', 'nominalId', 'resolvedBy', 'name', 'dateOfBirth'])
    .execute()
  await db.deleteFrom('socGroupMember').execute()
  return previous
}
export type PreviousMember = Awaited<ReturnType<typeof takeGroupMembers>>[number]

export async function insertGroupMember(db: Executor, values: Insertable<SocGroupMemberTable>) {
  await db.insertInto('socGroupMember').values(values).execute()
}

export function listUnmatchedMembers(db: Executor) {
  return db
    .selectFrom('socGroupMember as m')
    .innerJoin('socGroup as g', 'g.id', 'm.groupId')
    .select([
      'm.id',
      'm.line',
      'm.name',
      'm.prisonNumber',
      'm.pncNumber',
      'm.dateOfBirth',
      'm.role',
      'g.ref as groupRef',
      'g.name as groupName',
    ])
    .where('m.nominalId', 'is', null)
    .orderBy('g.ref')
    .orderBy('m.line')
    .execute()
}

export function findGroupMember(db: Executor, id: number) {
  return db.selectFrom('socGroupMember').select(['id', 'nominalId']).where('id', '=', id).executeTakeFirst()
}

export async function resolveGroupMember(db: Executor, id: number, nominalId: string, resolvedBy: string) {
  await db.updateTable('socGroupMember').set({ nominalId, resolvedBy }).where('id', '=', id).execute()
}

export function listOcgmImports(db: Executor) {
  return db.selectFrom('socOcgmImport').selectAll().orderBy('importedAt', 'desc').limit(50).execute()
}

export function listActiveGroups(db: Executor) {
  return db.selectFrom('socGroup').selectAll().where('active', '=', true).orderBy('ref').execute()
}

/** Every mapped member; one the viewer may not see (or not yet matched) comes without a name or reference. */
export function listGroupMembers(db: Executor, user: Viewer) {
  return db
    .selectFrom('socGroupMember as m')
    .leftJoin(visibleNominals(db, user).as('n'), 'n.id', 'm.nominalId')
    .select(['m.groupId', 'm.role', 'm.name', 'n.ref', 'n.firstName', 'n.lastName', 'n.establishmentCode'])
    .execute()
}

/** SOC PF 4.8: the mapped members in custody, who should carry the OCG nominal flag. */
export function listMappedInCustody(db: Executor) {
  return db
    .selectFrom('socGroupMember as m')
    .innerJoin(allNominals(db).as('n'), 'n.id', 'm.nominalId')
    .select(['n.id', 'n.ref'])
    .where('n.inCustody', '=', true)
    .distinct()
    .execute()
}

// ---- Equality dip samples and assurance visits ----

/** SOC PF 5.5: per group of one protected characteristic, the cohort and the population of these prisons. */
export function dipSampleCounts(db: Executor, codes: readonly string[], characteristic: Characteristic, today: string) {
  return db
    .selectFrom(prisonersByCharacteristic(db, codes, characteristic, today).as('p'))
    .leftJoin('socNominal as s', 's.nominalId', 'p.id')
    .select([
      'p.group',
      sql<number>`count(*) filter (where s.status = 'selected')::int`.as('cohort'),
      sql<number>`count(*)::int`.as('population'),
    ])
    .groupBy('p.group')
    .orderBy('p.group')
    .execute()
}

export async function insertDipSample(
  db: Executor,
  values: {
    scope: string
    characteristic: string
    takenOn: string
    threshold: number
    rows: unknown[]
    correctiveAction: string | null
    takenBy: string
    takenAt: Date
  },
) {
  const row = await db
    .insertInto('socDipSample')
    .values({ ...values, rows: JSON.stringify(values.rows) })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function listDipSamples(db: Executor) {
  return db.selectFrom('socDipSample').selectAll().orderBy('takenAt', 'desc').limit(50).execute()
}

export async function insertVisit(
  db: Executor,
  values: { establishmentCode: string; visitedOn: string; findings: string; visitedBy: string; recordedAt: Date },
) {
  const row = await db.insertInto('socAssuranceVisit').values(values).returning('id').executeTakeFirstOrThrow()
  return row.id
}

export function listVisits(db: Executor, user: Viewer) {
  let query = db.selectFrom('socAssuranceVisit').selectAll().orderBy('visitedOn', 'desc').limit(200)
  if (user.establishmentCodes !== 'all') query = query.where('establishmentCode', 'in', [...user.establishmentCodes])
  return query.execute()
}
