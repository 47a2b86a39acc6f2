import { sql } from 'kysely'
import { type CurrentUser, visibleTo } from '../../platform/access/user.ts'
import type { Executor } from '../../platform/db/database.ts'
import type { SearchQuery } from './schema.ts'

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

/** The current version of each flag on these nominals whose code the viewer's roles may see. */
export function listCurrentAlerts(db: Executor, viewer: Viewer, nominalIds: readonly string[]) {
  if (nominalIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('peopleAlert as a')
    .innerJoin('peopleAlertCode as c', 'c.code', 'a.alertCode')
    .innerJoinLateral(
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
  return db
    .selectFrom('peopleAlert as a')
    .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
    .innerJoin('peopleAlertCode as c', 'c.code', 'a.alertCode')
    .innerJoinLateral(
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
export async function flaggedPrisonerCounts(db: Executor, establishmentCode: string) {
  const { rows } = await sql<{ description: string; n: number }>`
    select c.description, count(distinct a.nominal_id)::int as n
    from people_alert a
    join people_alert_code c on c.code = a.alert_code
    join people_nominal n on n.id = a.nominal_id
    join lateral (select * from people_alert_version v where v.alert_id = a.id order by v.version desc limit 1) v on true
    where n.establishment_code = ${establishmentCode} and n.in_custody and n.compartment is null
      and c.visible_to_roles is null
      and v.active_from <= current_date and (v.active_to is null or v.active_to > current_date)
    group by c.description order by n desc`.execute(db)
  return rows
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
