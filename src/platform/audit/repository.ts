import { sql } from 'kysely'
import type { CurrentUser } from '../access/user.ts'
import { visibleTo } from '../access/user.ts'
import type { Executor } from '../db/database.ts'

export const AUDIT_PAGE_SIZE = 50

export type AuditFilter = {
  page: number
  actor?: string
  action?: string
  subjectType?: string
  subjectId?: string
  establishment?: string
  /** Calendar dates, 'YYYY-MM-DD', inclusive. */
  from?: string
  to?: string
}

/** Events in the auditor's scope, newest first; events tied to no establishment are seen only with national scope. */
export async function searchEvents(db: Executor, user: CurrentUser, filter: AuditFilter) {
  let query = db
    .selectFrom('auditEvent')
    .where(visibleTo(user, { establishment: 'establishmentCode', compartment: 'compartment' }))
  if (user.establishmentCodes !== 'all') query = query.where('establishmentCode', 'is not', null)
  // A subject restricted after some of its events were written (a report put in a compartment at triage) keeps those
  // events as they were, since the chain cannot be rewritten: all of its events are hidden from a reader without
  // the compartment, so the trail cannot show that it exists.
  query = query.where(
    sql<boolean>`not exists (select 1 from audit_event restricted
      where restricted.subject_type = audit_event.subject_type and restricted.subject_id = audit_event.subject_id
        and restricted.compartment is not null and not (restricted.compartment = any(${[...user.compartments]}::text[])))`,
  )
  if (filter.actor) {
    // A username, or any part of a name as people are shown by it ("Aisha Ahmed", "ahmed").
    const actor = filter.actor
    const like = `%${actor.replace(/[\\%_]/g, '\\$&')}%`
    query = query.where(eb =>
      eb.or([
        eb('actorUsername', '=', actor.toLowerCase()),
        eb('actorUsername', 'in', eb.selectFrom('appUser').select('username').where('displayName', 'ilike', like)),
      ]),
    )
  }
  if (filter.action) query = query.where('action', 'like', `${filter.action.replace(/[\\%_]/g, '\\$&')}%`)
  if (filter.subjectType) query = query.where('subjectType', '=', filter.subjectType)
  if (filter.subjectId) query = query.where('subjectId', '=', filter.subjectId)
  if (filter.establishment) query = query.where('establishmentCode', '=', filter.establishment.toUpperCase())
  if (filter.from) query = query.where('occurredAt', '>=', new Date(`${filter.from}T00:00:00Z`))
  if (filter.to)
    query = query.where('occurredAt', '<', new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000))
  const [events, count] = await Promise.all([
    query
      .select([
        'id',
        'occurredAt',
        'actorUsername',
        'action',
        'subjectType',
        'subjectId',
        'establishmentCode',
        'correlationId',
        'details',
      ])
      .orderBy('id', 'desc')
      .limit(AUDIT_PAGE_SIZE)
      .offset((filter.page - 1) * AUDIT_PAGE_SIZE)
      .execute(),
    query.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { events, total: count.n }
}

/**
 * Who did `action` to one subject, newest first, from the audit trail: the readers of a report, say. Modules ask
 * this rather than reading audit_event themselves; the caller has already decided the user may see the subject.
 */
export function eventsAbout(db: Executor, subject: { subjectType: string; subjectId: string; action: string }) {
  return db
    .selectFrom('auditEvent')
    .select(['actorUsername', 'occurredAt', 'details'])
    .where('subjectType', '=', subject.subjectType)
    .where('subjectId', '=', subject.subjectId)
    .where('action', '=', subject.action)
    .orderBy('id', 'desc')
    .limit(200)
    .execute()
}

/** The names of establishments, by code, for the subjects of events. */
export async function establishmentNames(db: Executor, codes: readonly string[]) {
  if (codes.length === 0) return new Map<string, string>()
  const rows = await db
    .selectFrom('establishment')
    .select(['code', 'name'])
    .where('code', 'in', [...codes])
    .execute()
  return new Map(rows.map(row => [row.code, row.name]))
}
