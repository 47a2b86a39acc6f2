import { type Expression, type ExpressionBuilder, type Insertable, type SqlBool, sql } from 'kysely'
import { type CurrentUser, visibleTo } from '../../platform/access/user.ts'
import type { Executor } from '../../platform/db/database.ts'
import type { Database } from '../../platform/db/tables.ts'
import { allNominals, visibleNominalsSql } from '../people/repository.ts'
import type { IntelligenceDisseminationTable, IntelligenceReportTable } from './tables.ts'

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

/** Scope and need-to-know for reports: outside them a report does not exist for the viewer. */
export const visibleReport = (viewer: Viewer, alias = 'r') =>
  visibleTo(viewer, { establishment: `${alias}.establishmentCode`, compartment: `${alias}.compartment` })

/** Whether the viewer may read the original (unsanitised) words of a report, as SQL. */
export const originalReadable = (viewer: Viewer, canReadOriginal: boolean, alias = 'r'): Expression<SqlBool> =>
  canReadOriginal
    ? sql<SqlBool>`(${sql.ref(`${alias}.originalCompartment`)} is null or ${sql.ref(`${alias}.originalCompartment`)} = any(${[
        ...viewer.compartments,
      ]}::text[]))`
    : sql<SqlBool>`false`

const REPORT_COLUMNS = [
  'r.id',
  'r.ref',
  'r.establishmentCode',
  'r.compartment',
  'r.originalCompartment',
  'r.reporterId',
  'r.reporterUsername',
  'r.submittedAt',
  'r.occurredAt',
  'r.location',
  'r.sourceType',
  'r.threatAreas',
  'r.urgent',
  'r.text',
  'r.namedPeople',
  'r.status',
  'r.linkedToRef',
  'r.sanitisedText',
  'r.gradingScheme',
  'r.gradingSource',
  'r.gradingIntelligence',
  'r.gradingHandling',
  'r.gradingConditions',
] as const

export function findVisibleReport(db: Executor, viewer: Viewer, ref: string) {
  return db
    .selectFrom('intelligenceReport as r')
    .innerJoin('establishment as e', 'e.code', 'r.establishmentCode')
    .select([...REPORT_COLUMNS, 'e.name as establishmentName'])
    .where('r.ref', '=', ref)
    .where(visibleReport(viewer))
    .executeTakeFirst()
}
export type ReportRow = NonNullable<Awaited<ReturnType<typeof findVisibleReport>>>

export function findReportByRef(db: Executor, ref: string) {
  return db
    .selectFrom('intelligenceReport')
    .select(['id', 'ref', 'establishmentCode', 'compartment'])
    .where('ref', '=', ref)
    .executeTakeFirst()
}

/**
 * The references of these reports that the viewer may see, by id: another module shows the report it made (a phone
 * interrogation's) only to those for whom it exists.
 */
export async function visibleReportRefs(db: Executor, viewer: Viewer, reportIds: readonly string[]) {
  if (reportIds.length === 0) return new Map<string, string>()
  const rows = await db
    .selectFrom('intelligenceReport as r')
    .select(['r.id', 'r.ref'])
    .where('r.id', 'in', [...reportIds])
    .where(visibleReport(viewer))
    .execute()
  return new Map(rows.map(row => [row.id, row.ref]))
}

/** The report a reporter already made with this submission key, if any. */
export function previousSubmission(db: Executor, reporterId: string, submissionKey: string) {
  return db
    .selectFrom('intelligenceReport')
    .select(['ref', 'status'])
    .where('reporterId', '=', reporterId)
    .where('submissionKey', '=', submissionKey)
    .executeTakeFirst()
}

// ---- Submission ----

/** Draws of a reference before giving up: with 86 million codes a prison and year, a second draw is already rare. */
const REFERENCE_DRAWS = 10

/**
 * A new report under a reference from `drawRef`, and its first status; or the report the reporter already made with
 * this submission key. A reference already taken (even by a report committed meanwhile) is drawn again: a try that
 * conflicts writes nothing and raises nothing, so the transaction carries on.
 */
export async function insertReport(
  db: Executor,
  report: Omit<Insertable<IntelligenceReportTable>, 'ref'>,
  drawRef: () => string,
  by: string,
  now: Date,
) {
  for (let draw = 0; draw < REFERENCE_DRAWS; draw++) {
    const ref = drawRef()
    const inserted = await insertReportAs(db, { ...report, ref }, by, now)
    if (inserted) return { created: { id: inserted.id, ref } }
    const previous = await previousSubmission(db, report.reporterId, report.submissionKey)
    if (previous) return { previous }
  }
  throw new Error(`No free report reference in ${REFERENCE_DRAWS} draws`)
}

/** The report and its first status in one statement; nothing when a unique key (reference, submission) is taken. */
function insertReportAs(db: Executor, report: Insertable<IntelligenceReportTable>, by: string, now: Date) {
  return db
    .with('report', db =>
      db
        .insertInto('intelligenceReport')
        .values(report)
        .onConflict(oc => oc.doNothing())
        .returning(['id']),
    )
    .insertInto('intelligenceStatusChange')
    .columns(['reportId', 'fromStatus', 'toStatus', 'note', 'changedBy', 'changedAt'])
    .expression(eb =>
      eb
        .selectFrom('report')
        .select([
          'report.id',
          sql<null>`null::text`.as('fromStatus'),
          sql<string>`'submitted'::text`.as('toStatus'),
          sql<null>`null::text`.as('note'),
          sql<string>`${by}::text`.as('changedBy'),
          sql<Date>`${now}::timestamptz`.as('changedAt'),
        ]),
    )
    .returning(['reportId as id'])
    .executeTakeFirst()
}

/**
 * Links people to a report by reference, one row per person, only those the viewer may see: found, checked for
 * scope and linked in one statement. Answers the references linked.
 */
export async function linkNominals(
  db: Executor,
  viewer: Viewer,
  report: { id: string; establishmentCode: string },
  roles: ReadonlyMap<string, string>,
  by: { username: string; now: Date },
) {
  const { rows } = await sql<{ ref: string }>`
    with wanted (ref, role) as (select * from unnest(${[...roles.keys()]}::text[], ${[...roles.values()]}::text[])),
    linked as (
      insert into intelligence_nominal_link (report_id, nominal_id, role, establishment_code, linked_by, linked_at)
      select ${report.id}::uuid, n.id, w.role, ${report.establishmentCode}, ${by.username}, ${by.now}::timestamptz
      from wanted w join ${visibleNominalsSql(viewer)} n on n.ref = w.ref
      on conflict (report_id, nominal_id)
        do update set role = excluded.role, linked_by = excluded.linked_by, linked_at = excluded.linked_at
      returning nominal_id)
    select n.ref from linked join ${visibleNominalsSql(viewer)} n on n.id = linked.nominal_id`.execute(db)
  return new Set(rows.map(row => row.ref))
}

/**
 * Entities found in a report's text, as suggestions; values on the do-not-link list are marked so. The do-not-link
 * check is made by the insert itself: one statement, not a read of the whole list.
 */
export async function suggestEntities(
  db: Executor,
  report: { id: string; establishmentCode: string },
  found: readonly { entityId: number; type: string; value: string; raw: string }[],
) {
  await sql`
    insert into intelligence_report_entity (report_id, entity_id, status, establishment_code, raw)
    select ${report.id}::uuid, f.entity_id,
      case when exists (
        select 1 from intelligence_do_not_link d
        where d.removed_at is null and d.type = f.type and d.value = f.value
          and (d.establishment_code = ${report.establishmentCode} or d.establishment_code is null)
      ) then 'do-not-link' else 'suggested' end,
      ${report.establishmentCode}, f.raw
    from unnest(
      ${found.map(e => e.entityId)}::bigint[],
      ${found.map(e => e.type)}::text[],
      ${found.map(e => e.value)}::text[],
      ${found.map(e => e.raw.slice(0, 200))}::text[]
    ) as f (entity_id, type, value, raw)
    on conflict (report_id, entity_id) do nothing`.execute(db)
}

// ---- Assessment ----

/**
 * Moves a report on, guarded on the status read: a second person acting on the old status finds nothing to update
 * (false). A change of status is recorded as a row of its own.
 */
export async function moveReport(
  db: Executor,
  report: { id: string; status: string },
  to: string,
  change: { by: string; now: Date; note: string | null },
) {
  const updated = await db
    .updateTable('intelligenceReport')
    .set({ status: to })
    .where('id', '=', report.id)
    .where('status', '=', report.status)
    .returning('id')
    .executeTakeFirst()
  if (updated && to !== report.status) {
    await db
      .insertInto('intelligenceStatusChange')
      .values({
        reportId: report.id,
        fromStatus: report.status,
        toStatus: to,
        note: change.note,
        changedBy: change.by,
        changedAt: change.now,
      })
      .execute()
  }
  return Boolean(updated)
}

/** A new grading version, and the report's current grading. */
export async function recordGrading(
  db: Executor,
  reportId: string,
  grading: { version: number; scheme: string; source: string; intelligence: string; handling: string },
  by: { conditions: string | null; gradedBy: string; gradedAt: Date },
) {
  await db
    .insertInto('intelligenceGrading')
    .values({ reportId, ...grading, ...by })
    .execute()
  await db
    .updateTable('intelligenceReport')
    .set({
      gradingScheme: grading.scheme,
      gradingSource: grading.source,
      gradingIntelligence: grading.intelligence,
      gradingHandling: grading.handling,
      gradingConditions: by.conditions,
    })
    .where('id', '=', reportId)
    .execute()
}

/** A new sanitised version, and the report's current sanitised text. */
export async function recordSanitisedText(
  db: Executor,
  reportId: string,
  version: { version: number; text: string; writtenBy: string; writtenAt: Date },
) {
  await db
    .insertInto('intelligenceSanitisedVersion')
    .values({ reportId, ...version })
    .execute()
  await db.updateTable('intelligenceReport').set({ sanitisedText: version.text }).where('id', '=', reportId).execute()
}

export function setLinkedTo(db: Executor, reportId: string, linkedToRef: string) {
  return db.updateTable('intelligenceReport').set({ linkedToRef }).where('id', '=', reportId).execute()
}

/** Puts an open report in a compartment; false when it is no longer open (someone restricted it first). */
export async function restrictReport(db: Executor, reportId: string, compartment: string) {
  const moved = await db
    .updateTable('intelligenceReport')
    .set({ compartment })
    .where('id', '=', reportId)
    .where('compartment', 'is', null)
    .returning('id')
    .executeTakeFirst()
  return moved !== undefined
}

/** An entity linked by an analyst (accepted, or marked do-not-link), replacing any earlier decision. */
export function decideLinkedEntity(
  db: Executor,
  link: { reportId: string; entityId: number; establishmentCode: string },
  decision: { status: string; decidedBy: string; decidedAt: Date },
) {
  return db
    .insertInto('intelligenceReportEntity')
    .values({ ...link, ...decision, raw: null })
    .onConflict(oc => oc.columns(['reportId', 'entityId']).doUpdateSet(decision))
    .execute()
}

export function reportEntityStatus(db: Executor, reportId: string, entityId: number) {
  return db
    .selectFrom('intelligenceReportEntity')
    .select('status')
    .where('reportId', '=', reportId)
    .where('entityId', '=', entityId)
    .executeTakeFirst()
}

export function setReportEntityStatus(
  db: Executor,
  link: { reportId: string; entityId: number },
  decision: { status: string; decidedBy: string; decidedAt: Date },
) {
  return db
    .updateTable('intelligenceReportEntity')
    .set(decision)
    .where('reportId', '=', link.reportId)
    .where('entityId', '=', link.entityId)
    .execute()
}

export function insertDissemination(db: Executor, dissemination: Insertable<IntelligenceDisseminationTable>) {
  return db.insertInto('intelligenceDissemination').values(dissemination).returning('id').executeTakeFirstOrThrow()
}

// ---- Settings: grading scheme and do-not-link list ----

export function gradingSchemeOf(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('intelligenceSetting')
    .select('gradingScheme')
    .where('establishmentCode', '=', establishmentCode)
    .executeTakeFirst()
    .then(row => row?.gradingScheme ?? '3x5x2')
}

export function saveGradingScheme(
  db: Executor,
  establishmentCode: string,
  change: { gradingScheme: '3x5x2' | '5x5x5'; updatedAt: Date; updatedBy: string },
) {
  return db
    .insertInto('intelligenceSetting')
    .values({ establishmentCode, ...change })
    .onConflict(oc => oc.column('establishmentCode').doUpdateSet(change))
    .execute()
}

/**
 * Adds a value to an establishment's do-not-link list (false when it is there already), and flags the links
 * already made to it there rather than leaving them standing.
 */
export async function addDoNotLink(
  db: Executor,
  entry: { establishmentCode: string; type: string; value: string; reason: string },
  by: { username: string; now: Date },
) {
  const existing = await db
    .selectFrom('intelligenceDoNotLink')
    .select('id')
    .where('establishmentCode', '=', entry.establishmentCode)
    .where('type', '=', entry.type)
    .where('value', '=', entry.value)
    .where('removedAt', 'is', null)
    .executeTakeFirst()
  if (existing) return false
  await db
    .insertInto('intelligenceDoNotLink')
    .values({ ...entry, addedBy: by.username, addedAt: by.now, removedAt: null, removedBy: null })
    .execute()
  const entity = await db
    .selectFrom('intelligenceEntity')
    .select('id')
    .where('type', '=', entry.type)
    .where('value', '=', entry.value)
    .executeTakeFirst()
  if (entity) {
    await db
      .updateTable('intelligenceReportEntity')
      .set({ status: 'do-not-link', decidedBy: by.username, decidedAt: by.now })
      .where('entityId', '=', entity.id)
      .where('establishmentCode', '=', entry.establishmentCode)
      .execute()
  }
  return true
}

/** Takes a value off an establishment's list; the value removed, or undefined when there was none. */
export function removeDoNotLink(
  db: Executor,
  id: number,
  establishmentCode: string,
  by: { username: string; now: Date },
) {
  return db
    .updateTable('intelligenceDoNotLink')
    .set({ removedAt: by.now, removedBy: by.username })
    .where('id', '=', id)
    .where('establishmentCode', '=', establishmentCode)
    .where('removedAt', 'is', null)
    .returning(['type', 'value'])
    .executeTakeFirst()
}

// ---- Reading ----

const PRISON_NUMBER = /^[A-Z]\d{4}[A-Z]{2}$/

/**
 * Everyone linked to a report, whoever is asking: the use case withholds those outside the viewer's scope. A
 * prisoner's reference is their prison number (people gives other nominals an N- reference).
 */
export async function linkedNominals(db: Executor, reportId: string) {
  const rows = await db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin(allNominals(db).as('n'), 'n.id', 'l.nominalId')
    .select(['l.role', 'n.id', 'n.ref', 'n.kind', 'n.firstName', 'n.lastName', 'n.establishmentCode', 'n.compartment'])
    .where('l.reportId', '=', reportId)
    .orderBy('l.linkedAt')
    .execute()
  return rows.map(row => ({ ...row, prisonNumber: PRISON_NUMBER.test(row.ref) ? row.ref : null }))
}

export function reportEntities(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceReportEntity as re')
    .innerJoin('intelligenceEntity as en', 'en.id', 're.entityId')
    .select(['en.id', 'en.type', 'en.value', 're.status', 're.raw', 're.decidedBy', 're.decidedAt'])
    .where('re.reportId', '=', reportId)
    .orderBy('en.type')
    .orderBy('en.value')
    .execute()
}

export function statusHistory(db: Executor, reportId: string) {
  return db.selectFrom('intelligenceStatusChange').selectAll().where('reportId', '=', reportId).orderBy('id').execute()
}

export function gradings(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceGrading')
    .selectAll()
    .where('reportId', '=', reportId)
    .orderBy('version', 'desc')
    .execute()
}

export function sanitisedVersions(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceSanitisedVersion')
    .selectAll()
    .where('reportId', '=', reportId)
    .orderBy('version', 'desc')
    .execute()
}

export function disseminations(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceDissemination')
    .selectAll()
    .where('reportId', '=', reportId)
    .orderBy('disseminatedAt', 'desc')
    .execute()
}

/** Upserts entity values and returns their ids. */
export async function entityIds(db: Executor, entities: readonly { type: string; value: string }[]) {
  if (entities.length === 0) return new Map<string, number>()
  // New values are inserted and known values read, in one statement. Known values are not rewritten: an upsert
  // would lock each shared entity (a phone number named in many reports) until commit, and queue every submission
  // that names it.
  const types = entities.map(e => e.type)
  const values = entities.map(e => e.value)
  const { rows } = await sql<{ id: string; type: string; value: string }>`
    with wanted (type, value) as (select * from unnest(${types}::text[], ${values}::text[])),
    added as (
      insert into intelligence_entity (type, value) select type, value from wanted
      on conflict (type, value) do nothing returning id, type, value)
    select id, type, value from added
    union all
    select e.id, e.type, e.value from intelligence_entity e join wanted w on w.type = e.type and w.value = e.value`.execute(
    db,
  )
  const ids = new Map(rows.map(row => [`${row.type}:${row.value}`, Number(row.id)]))
  // A value another submission added after this statement began is neither added nor seen by it: read it again.
  const late = entities.filter(e => !ids.has(`${e.type}:${e.value}`))
  if (late.length > 0) {
    const again = await db
      .selectFrom('intelligenceEntity')
      .select(['id', 'type', 'value'])
      .where(eb => eb.or(late.map(e => eb.and([eb('type', '=', e.type), eb('value', '=', e.value)]))))
      .execute()
    for (const row of again) ids.set(`${row.type}:${row.value}`, Number(row.id))
  }
  return ids
}

/** The do-not-link values that apply to an establishment (its own and the national ones). */
export function doNotLinkValues(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('intelligenceDoNotLink')
    .select(['id', 'establishmentCode', 'type', 'value', 'reason', 'addedBy', 'addedAt'])
    .where('removedAt', 'is', null)
    .where(eb => eb.or([eb('establishmentCode', '=', establishmentCode), eb('establishmentCode', 'is', null)]))
    .orderBy('type')
    .orderBy('value')
    .execute()
}

/** Other visible reports sharing a nominal or an accepted entity with this one, newest first. */
export function relatedReports(db: Executor, viewer: Viewer, reportId: string, limit = 20) {
  return db
    .selectFrom('intelligenceReport as r')
    .select(['r.ref', 'r.submittedAt', 'r.status', 'r.threatAreas', 'r.sanitisedText', 'r.establishmentCode'])
    .select(eb => [
      sharedNominals(eb, reportId)
        .innerJoin(allNominals(db).as('n'), 'n.id', 'a.nominalId')
        .select(sql<string[]>`array_agg(distinct n.ref)`.as('refs'))
        .as('sharedNominals'),
      sharedEntities(eb, reportId)
        .innerJoin('intelligenceEntity as en', 'en.id', 'a.entityId')
        .select(sql<string[]>`array_agg(distinct en.value)`.as('values'))
        .as('sharedEntities'),
    ])
    .where('r.id', '!=', reportId)
    .where(visibleReport(viewer))
    .where(eb =>
      eb.or([
        eb.exists(sharedNominals(eb, reportId).select(sql`1`.as('one'))),
        eb.exists(sharedEntities(eb, reportId).select(sql`1`.as('one'))),
      ]),
    )
    .orderBy('r.submittedAt', 'desc')
    .limit(limit)
    .execute()
}

type ReportScope = ExpressionBuilder<Database & { r: Database['intelligenceReport'] }, 'r'>

/** The nominal links report r shares with another report. */
const sharedNominals = (eb: ReportScope, reportId: string) =>
  eb
    .selectFrom('intelligenceNominalLink as a')
    .innerJoin('intelligenceNominalLink as b', 'b.nominalId', 'a.nominalId')
    .whereRef('a.reportId', '=', 'r.id')
    .where('b.reportId', '=', reportId)

/** The accepted entities report r shares with another report. */
const sharedEntities = (eb: ReportScope, reportId: string) =>
  eb
    .selectFrom('intelligenceReportEntity as a')
    .innerJoin('intelligenceReportEntity as b', 'b.entityId', 'a.entityId')
    .whereRef('a.reportId', '=', 'r.id')
    .where('b.reportId', '=', reportId)
    .where('a.status', '=', 'accepted')
    .where('b.status', '=', 'accepted')

/** Open (non-compartmented) reports received at a prison since a date, counted by threat area: LSS evidence. */
export async function reportsByThreatArea(db: Executor, establishmentCode: string, since: Date) {
  const { rows } = await sql<{ area: string; n: number }>`
    select area, count(*)::int as n
    from intelligence_report r, unnest(r.threat_areas) as area
    where r.establishment_code = ${establishmentCode} and r.submitted_at >= ${since} and r.compartment is null
    group by area order by n desc`.execute(db)
  return rows
}

/** The sanitised text of reports already found (a page of search results), by id: none for one not yet sanitised. */
export async function sanitisedTexts(db: Executor, reportIds: readonly string[]) {
  if (reportIds.length === 0) return new Map<string, string>()
  const rows = await db
    .selectFrom('intelligenceReport')
    .select(['id', 'sanitisedText'])
    .where('id', 'in', [...reportIds])
    .where('sanitisedText', 'is not', null)
    .execute()
  return new Map(rows.map(row => [row.id, row.sanitisedText as string]))
}

export { visibleNominalLabels } from '../people/repository.ts'
export * from './reporting/repository.ts'
export * from './search/repository.ts'
