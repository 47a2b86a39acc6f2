import { type Insertable, sql, type Updateable } from 'kysely'
import { type CurrentUser, visibleTo } from '../../platform/access/user.ts'
import type { Executor } from '../../platform/db/database.ts'
import type { EstablishmentTable } from '../../platform/db/tables.ts'
import { alertIsActive } from './rules.ts'
import type { SearchQuery } from './schema.ts'
import type {
  PeopleAlertVersionTable,
  PeopleImportRunTable,
  PeopleNominalTable,
  PeopleProtectedCharacteristicsTable,
  PeopleTransferTable,
} from './tables.ts'

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments' | 'roles'>

const NOMINAL_COLUMNS = [
  'n.id',
  'n.ref',
  'n.kind',
  'n.establishmentCode',
  'n.compartment',
  'n.firstName',
  'n.middleNames',
  'n.lastName',
  'n.dateOfBirth',
  'n.prisonNumber',
  'n.bookingId',
  'n.pncNumber',
  'n.croNumber',
  'n.staffNumber',
  'n.cellLocation',
  'n.securityCategory',
  'n.incentiveLevel',
  'n.sentenceStartDate',
  'n.releaseDate',
  'n.conditionalReleaseDate',
  'n.inCustody',
  'n.notes',
  'n.source',
  'n.createdAt',
  'n.updatedAt',
] as const

const visibleNominal = (viewer: Viewer) =>
  visibleTo(viewer, { establishment: 'n.establishmentCode', compartment: 'n.compartment' })

/** One nominal by reference, only if the viewer's scope and compartments allow it. */
export function findVisibleNominal(db: Executor, viewer: Viewer, ref: string) {
  return db
    .selectFrom('peopleNominal as n')
    .innerJoin('establishment as e', 'e.code', 'n.establishmentCode')
    .select([...NOMINAL_COLUMNS, 'e.name as establishmentName'])
    .where('n.ref', '=', ref)
    .where(visibleNominal(viewer))
    .executeTakeFirst()
}
export type NominalRow = NonNullable<Awaited<ReturnType<typeof findVisibleNominal>>>

/** Whether a reference exists at all: used only to audit a denied look, never shown. */
export async function nominalExists(db: Executor, ref: string) {
  const row = await db
    .selectFrom('peopleNominal')
    .select(['id', 'establishmentCode'])
    .where('ref', '=', ref)
    .executeTakeFirst()
  return row ?? null
}

export function findNominalByPrisonNumber(db: Executor, prisonNumber: string) {
  return db.selectFrom('peopleNominal').selectAll().where('prisonNumber', '=', prisonNumber).executeTakeFirst()
}

const PRISON_NUMBER_QUERY = /^[A-Z][0-9]{4}[A-Z]{2}$/i
const PNC_QUERY = /^\d{2,4}\/\d{1,7}[A-Z]$/i

/**
 * Search in the viewer's scope. A prison number or PNC number matches exactly; a name matches by trigram
 * similarity against the name and every alias, so misspellings ("Mohamed Husain") still find the person,
 * best match first.
 */
export async function searchNominals(db: Executor, viewer: Viewer, query: SearchQuery, limit: number) {
  const offset = (query.page - 1) * limit
  const text = (query.q ?? '').trim()
  let base = db.selectFrom('peopleNominal as n').where(visibleNominal(viewer))
  if (query.kind) base = base.where('n.kind', '=', query.kind)
  if (query.establishment) base = base.where('n.establishmentCode', '=', query.establishment)
  if (query.dateOfBirth) base = base.where('n.dateOfBirth', '=', query.dateOfBirth)

  const nameText = text.toLowerCase().replace(/\s+/g, ' ')
  const nameExpression = sql<string>`lower(n.first_name || ' ' || n.last_name)`
  let score = sql<number>`1`
  if (PRISON_NUMBER_QUERY.test(text)) {
    base = base.where('n.prisonNumber', '=', text.toUpperCase())
  } else if (PNC_QUERY.test(text)) {
    base = base.where(eb =>
      eb.or([
        eb('n.pncNumber', '=', text.toUpperCase()),
        eb('n.pncNumber', 'like', `%/${text.split('/')[1].toUpperCase().padStart(8, '0')}`),
      ]),
    )
  } else if (nameText) {
    const aliasName = sql<string>`lower(a.first_name || ' ' || a.last_name)`
    base = base.where(
      sql<boolean>`(${nameExpression} % ${nameText} or ${nameText} <% ${nameExpression} or exists (
        select 1 from people_alias a where a.nominal_id = n.id and (${aliasName} % ${nameText} or ${nameText} <% ${aliasName})
      ))`,
    )
    score = sql<number>`greatest(
      similarity(${nameExpression}, ${nameText}),
      word_similarity(${nameText}, ${nameExpression}),
      coalesce((select max(greatest(similarity(${aliasName}, ${nameText}), word_similarity(${nameText}, ${aliasName})))
        from people_alias a where a.nominal_id = n.id), 0)
    )`
  }

  const [rows, count] = await Promise.all([
    base
      .innerJoin('establishment as e', 'e.code', 'n.establishmentCode')
      .select([...NOMINAL_COLUMNS, 'e.name as establishmentName', score.as('score')])
      .orderBy(sql`score`, 'desc')
      .orderBy('n.lastName')
      .orderBy('n.firstName')
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { rows, total: count.n }
}

export function listAliases(db: Executor, nominalIds: readonly string[]) {
  if (nominalIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('peopleAlias')
    .select(['nominalId', 'firstName', 'lastName', 'dateOfBirth'])
    .where('nominalId', 'in', [...nominalIds])
    .orderBy('lastName')
    .orderBy('firstName')
    .execute()
}

export function findProtectedCharacteristics(db: Executor, nominalId: string) {
  return db
    .selectFrom('peopleProtectedCharacteristics')
    .selectAll()
    .where('nominalId', '=', nominalId)
    .executeTakeFirst()
}

/**
 * Flags (`a`) joined to their latest version (`v`): the one place that knows a flag's current state is its
 * highest version. Every read of current flags starts here.
 */
export function alertsWithLatestVersion(db: Executor) {
  return db.selectFrom('peopleAlert as a').innerJoinLateral(
    eb =>
      eb
        .selectFrom('peopleAlertVersion as v')
        .selectAll('v')
        .whereRef('v.alertId', '=', 'a.id')
        .orderBy('v.version', 'desc')
        .limit(1)
        .as('v'),
    join => join.onTrue(),
  )
}

/** The current version of each flag on these nominals whose code the viewer's roles may see. */
export function listCurrentAlerts(db: Executor, viewer: Viewer, nominalIds: readonly string[]) {
  if (nominalIds.length === 0) return Promise.resolve([])
  return alertsWithLatestVersion(db)
    .innerJoin('peopleAlertCode as c', 'c.code', 'a.alertCode')
    .select([
      'a.id',
      'a.nominalId',
      'a.alertCode',
      'a.source',
      'a.createdAt',
      'a.createdBy',
      'c.description as codeDescription',
      'c.alertType',
      'v.version',
      'v.description',
      'v.authorisedBy',
      'v.activeFrom',
      'v.activeTo',
      'v.changedBy',
      'v.changedAt',
    ])
    .where('a.nominalId', 'in', [...nominalIds])
    .where(sql<boolean>`(c.visible_to_roles is null or c.visible_to_roles && ${[...viewer.roles]}::text[])`)
    .orderBy('v.activeFrom', 'desc')
    .execute()
}
export type CurrentAlert = Awaited<ReturnType<typeof listCurrentAlerts>>[number]

export function listAlertHistory(db: Executor, alertIds: readonly string[]) {
  if (alertIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('peopleAlertVersion')
    .selectAll()
    .where('alertId', 'in', [...alertIds])
    .orderBy('alertId')
    .orderBy('version', 'desc')
    .execute()
}

export function findAlert(db: Executor, alertId: string) {
  return alertsWithLatestVersion(db)
    .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
    .innerJoin('peopleAlertCode as c', 'c.code', 'a.alertCode')
    .select([
      'a.id',
      'a.nominalId',
      'a.alertCode',
      'c.visibleToRoles',
      'c.description as codeDescription',
      'n.ref',
      'n.establishmentCode',
      'n.compartment',
      'v.version',
      'v.description',
      'v.authorisedBy',
      'v.activeFrom',
      'v.activeTo',
    ])
    .where('a.id', '=', alertId)
    .executeTakeFirst()
}

export function listAlertCodes(db: Executor) {
  return db.selectFrom('peopleAlertCode').selectAll().where('active', '=', true).orderBy('description').execute()
}

export function findAlertCode(db: Executor, code: string) {
  return db.selectFrom('peopleAlertCode').selectAll().where('code', '=', code).executeTakeFirst()
}

export function listTransfers(db: Executor, nominalId: string) {
  return db
    .selectFrom('peopleTransfer as t')
    .leftJoin('establishment as f', 'f.code', 't.fromEstablishment')
    .innerJoin('establishment as d', 'd.code', 't.toEstablishment')
    .select([
      't.occurredAt',
      't.source',
      't.fromEstablishment',
      'f.name as fromName',
      't.toEstablishment',
      'd.name as toName',
    ])
    .where('t.nominalId', '=', nominalId)
    .orderBy('t.occurredAt', 'desc')
    .execute()
}

export function listEstablishments(db: Executor) {
  return db.selectFrom('establishment').selectAll().orderBy('name').execute()
}

export async function nextNominalRef(db: Executor): Promise<string> {
  const { rows } = await sql<{ n: number }>`select nextval('people_nominal_ref_seq') as n`.execute(db)
  return `N-${String(rows[0].n).padStart(7, '0')}`
}

/** Prisoners in custody at a prison with each active, open flag (codes every role may see), today: LSS evidence. */
export function flaggedPrisonerCounts(db: Executor, establishmentCode: string) {
  return alertsWithLatestVersion(db)
    .innerJoin('peopleAlertCode as c', 'c.code', 'a.alertCode')
    .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
    .select(['c.description', sql<number>`count(distinct a.nominal_id)::int`.as('n')])
    .where('n.establishmentCode', '=', establishmentCode)
    .where('n.inCustody', '=', true)
    .where('n.compartment', 'is', null)
    .where('c.visibleToRoles', 'is', null)
    .where(sql<boolean>`v.active_from <= current_date and (v.active_to is null or v.active_to > current_date)`)
    .groupBy('c.description')
    .orderBy(sql`n`, 'desc')
    .execute()
}

/** The nominal a flag belongs to, in any scope: the flag pages then read it through the scoped use cases. */
export async function findAlertNominalRef(db: Executor, alertId: string) {
  const row = await db
    .selectFrom('peopleAlert as a')
    .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
    .select('n.ref')
    .where('a.id', '=', alertId)
    .executeTakeFirst()
  return row?.ref ?? null
}

/** A flag's versions are its history: a change is a new version, never an update. */
export function insertAlertVersion(db: Executor, version: Insertable<PeopleAlertVersionTable>) {
  return db.insertInto('peopleAlertVersion').values(version).execute()
}

export async function insertAlert(
  trx: Executor,
  alert: {
    nominalId: string
    alertCode: string
    source: 'manual' | 'import' | 'ocgm'
    description: string | null
    authorisedBy: string | null
    activeFrom: string
    activeTo: string | null
    changedBy: string
    comment?: string
    now: Date
  },
): Promise<string> {
  const created = await trx
    .insertInto('peopleAlert')
    .values({
      nominalId: alert.nominalId,
      alertCode: alert.alertCode,
      source: alert.source,
      createdAt: alert.now,
      createdBy: alert.changedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await insertAlertVersion(trx, {
    alertId: created.id,
    version: 1,
    change: 'created',
    description: alert.description,
    authorisedBy: alert.authorisedBy,
    activeFrom: alert.activeFrom,
    activeTo: alert.activeTo,
    comment: alert.comment ?? null,
    changedBy: alert.changedBy,
    changedAt: alert.now,
  })
  return created.id
}

export type AlertVersion = {
  alertId: string
  version: number
  description: string | null
  authorisedBy: string | null
  activeFrom: string
  activeTo: string | null
}

/** Closes a flag today (or on its first day, if that is later) as a new version; the earlier ones stay. */
export function closeAlert(trx: Executor, latest: AlertVersion, by: string, comment: string, today: string, now: Date) {
  return insertAlertVersion(trx, {
    alertId: latest.alertId,
    version: latest.version + 1,
    change: 'closed',
    description: latest.description,
    authorisedBy: latest.authorisedBy,
    activeFrom: latest.activeFrom,
    activeTo: today < latest.activeFrom ? latest.activeFrom : today,
    comment,
    changedBy: by,
    changedAt: now,
  })
}

/** Every flag of one code that is active today, with its latest version and whose it is. */
export async function activeAlertsWithCode(trx: Executor, alertCode: string, today: string) {
  const rows = await alertsWithLatestVersion(trx)
    .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
    .select([
      'a.id',
      'a.nominalId',
      'a.source',
      'n.ref',
      'v.alertId',
      'v.version',
      'v.activeFrom',
      'v.activeTo',
      'v.description',
      'v.authorisedBy',
    ])
    .where('a.alertCode', '=', alertCode)
    .execute()
  return rows.filter(row => alertIsActive(row, today))
}

/** Every flag of these nominals with its latest version, whoever may see its code: for the import's reconciling. */
export function listAlertsWithLatestVersion(db: Executor, nominalIds: readonly string[]) {
  if (nominalIds.length === 0) return Promise.resolve([])
  return alertsWithLatestVersion(db)
    .select([
      'a.id',
      'a.nominalId',
      'a.alertCode',
      'a.source',
      'v.alertId',
      'v.version',
      'v.description',
      'v.authorisedBy',
      'v.activeFrom',
      'v.activeTo',
    ])
    .where('a.nominalId', 'in', [...nominalIds])
    .execute()
}

export async function insertNominal(db: Executor, nominal: Insertable<PeopleNominalTable>) {
  const created = await db.insertInto('peopleNominal').values(nominal).returning('id').executeTakeFirstOrThrow()
  return created.id
}

export function updateNominal(db: Executor, id: string, fields: Updateable<PeopleNominalTable>) {
  return db.updateTable('peopleNominal').set(fields).where('id', '=', id).execute()
}

export function findNominalsByPrisonNumbers(db: Executor, prisonNumbers: readonly string[]) {
  if (prisonNumbers.length === 0) return Promise.resolve([])
  return db
    .selectFrom('peopleNominal')
    .selectAll()
    .where('prisonNumber', 'in', [...prisonNumbers])
    .execute()
}

type AliasName = { firstName: string; lastName: string; dateOfBirth: string | null }

export async function insertAliases(db: Executor, nominalId: string, aliases: readonly AliasName[]) {
  if (aliases.length)
    await db
      .insertInto('peopleAlias')
      .values(aliases.map(a => ({ ...a, nominalId })))
      .execute()
}

export async function replaceAliases(db: Executor, nominalId: string, aliases: readonly AliasName[]) {
  await db.deleteFrom('peopleAlias').where('nominalId', '=', nominalId).execute()
  await insertAliases(db, nominalId, aliases)
}

export function insertTransfer(db: Executor, transfer: Insertable<PeopleTransferTable>) {
  return db.insertInto('peopleTransfer').values(transfer).execute()
}

export function listProtectedCharacteristics(db: Executor, nominalIds: readonly string[]) {
  if (nominalIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('peopleProtectedCharacteristics')
    .selectAll()
    .where('nominalId', 'in', [...nominalIds])
    .execute()
}

type Characteristics = Pick<
  PeopleProtectedCharacteristicsTable,
  'sex' | 'ethnicity' | 'religion' | 'nationality' | 'sexualOrientation'
>

/** Records what the file says; a disability recorded in Portcullis is kept. */
export function saveProtectedCharacteristics(
  db: Executor,
  nominalId: string,
  fields: Characteristics,
  disability: boolean | null,
  now: Date,
) {
  return db
    .insertInto('peopleProtectedCharacteristics')
    .values({ nominalId, ...fields, disability, updatedAt: now })
    .onConflict(oc => oc.column('nominalId').doUpdateSet({ ...fields, updatedAt: now }))
    .execute()
}

export function listAliasesOf(db: Executor, nominalIds: readonly string[]) {
  if (nominalIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('peopleAlias')
    .selectAll()
    .where('nominalId', 'in', [...nominalIds])
    .execute()
}

export async function startImportRun(db: Executor, run: { fileName: string; startedAt: Date; startedBy: string }) {
  const created = await db.insertInto('peopleImportRun').values(run).returning('id').executeTakeFirstOrThrow()
  return created.id
}

export function finishImportRun(
  db: Executor,
  runId: string,
  counts: Omit<Updateable<PeopleImportRunTable>, 'rejections'> & { rejections: unknown[] },
) {
  return db
    .updateTable('peopleImportRun')
    .set({ ...counts, rejections: JSON.stringify(counts.rejections) })
    .where('id', '=', runId)
    .execute()
}

export async function activeAlertCodes(db: Executor) {
  const rows = await db.selectFrom('peopleAlertCode').select('code').where('active', '=', true).execute()
  return rows.map(row => row.code)
}

// ---- Establishments (a platform table, whose reference data this module edits) ----

export function findEstablishment(db: Executor, code: string) {
  return db.selectFrom('establishment').selectAll().where('code', '=', code).executeTakeFirst()
}

export function updateEstablishment(db: Executor, code: string, fields: Updateable<EstablishmentTable>) {
  return db.updateTable('establishment').set(fields).where('code', '=', code).execute()
}

// ---- People's data as other modules read it ----
// Other modules never name people_nominal: they join these, so scope and compartments stay decided here, in SQL.

const SHARED_NOMINAL_COLUMNS = [
  'id',
  'ref',
  'kind',
  'establishmentCode',
  'compartment',
  'firstName',
  'lastName',
  'dateOfBirth',
  'pncNumber',
  'securityCategory',
  'sentenceStartDate',
  'releaseDate',
  'inCustody',
] as const

/**
 * The nominals a user may see, as a derived table to join:
 * `.innerJoin(visibleNominals(trx, user).as('n'), 'n.id', 'l.nominalId')`. PostgreSQL folds it into the join.
 */
export function visibleNominals(db: Executor, viewer: Pick<CurrentUser, 'establishmentCodes' | 'compartments'>) {
  return db
    .selectFrom('peopleNominal')
    .select(SHARED_NOMINAL_COLUMNS)
    .where(visibleTo(viewer, { establishment: 'establishmentCode', compartment: 'compartment' }))
}

/** Every nominal, whoever is asking: for use cases that decide scope themselves (a national import, a panel). */
export function allNominals(db: Executor) {
  return db.selectFrom('peopleNominal').select(SHARED_NOMINAL_COLUMNS)
}

/** `visibleNominals` for raw SQL: `join ${visibleNominalsSql(user)} n on n.ref = w.ref`. */
export function visibleNominalsSql(viewer: Pick<CurrentUser, 'establishmentCodes' | 'compartments'>) {
  return sql`(select id, ref, establishment_code, compartment from people_nominal where ${visibleTo(viewer, {
    establishment: 'establishment_code',
    compartment: 'compartment',
  })})`
}

/** The nominal with this PNC number (normalised), whoever holds them: the OCGM import matches on it. */
export async function nominalIdByPnc(db: Executor, pncNumber: string) {
  const row = await db.selectFrom('peopleNominal').select('id').where('pncNumber', '=', pncNumber).executeTakeFirst()
  return row?.id ?? null
}

/**
 * Prisoners in custody at these prisons, each with their group by one protected characteristic ('Not recorded'
 * when unknown), as a derived table (columns id, group) that an equality dip sample joins and counts.
 */
export function prisonersByCharacteristic(
  db: Executor,
  establishmentCodes: readonly string[],
  characteristic: 'ethnicity' | 'religion' | 'nationality' | 'sex' | 'age-band',
  today: string,
) {
  const age = sql`date_part('year', age(${today}::date, n.date_of_birth))`
  const group =
    characteristic === 'age-band'
      ? sql<string>`case when n.date_of_birth is null then 'Not recorded' when ${age} < 25 then '18 to 24'
          when ${age} < 35 then '25 to 34' when ${age} < 50 then '35 to 49' else '50 and over' end`
      : sql<string>`coalesce(${sql.ref(`pc.${characteristic}`)}, 'Not recorded')`
  return db
    .selectFrom('peopleNominal as n')
    .leftJoin('peopleProtectedCharacteristics as pc', 'pc.nominalId', 'n.id')
    .select(['n.id', group.as('group')])
    .where('n.kind', '=', 'prisoner')
    .where('n.inCustody', '=', true)
    .where('n.establishmentCode', '=', sql<string>`any(${[...establishmentCodes]}::text[])`)
}

export { visibleNominalLabels } from './labels/repository.ts'
