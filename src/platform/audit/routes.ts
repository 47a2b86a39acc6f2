import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { CurrentUser } from '../access/user.ts'
import { visibleTo } from '../access/user.ts'
import type { Db } from '../db/database.ts'
import type { Api } from '../http/api.ts'
import { parseInput } from '../http/errors.ts'
import { formErrors, pageQuery, paginationView, queryString } from '../http/forms.ts'
import type { Navigation } from '../views/navigation.ts'

const PAGE_SIZE = 50
const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)
const isoDate = z.preprocess(
  blankToUndefined,
  z.iso.date({ error: 'Enter a real date in the format YYYY-MM-DD, like 2026-11-23' }).optional(),
)
const text = z.preprocess(blankToUndefined, z.string().trim().max(200, 'Must be 200 characters or fewer').optional())

export const auditFilterSchema = pageQuery
  .extend({
    actor: text,
    action: text,
    subjectType: text,
    subjectId: text,
    establishment: text,
    from: isoDate,
    to: isoDate,
  })
  .refine(f => !f.from || !f.to || f.from <= f.to, {
    path: ['to'],
    message: 'The "to" date must be the same as or after the "from" date',
  })
type AuditFilter = z.output<typeof auditFilterSchema>

const eventResponse = z.object({
  id: z.number().int(),
  occurredAt: z.string(),
  actor: z.string(),
  action: z.string(),
  subjectType: z.string().nullable(),
  subjectId: z.string().nullable(),
  establishmentCode: z.string().nullable(),
  correlationId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
})

/** Events in the auditor's scope; events tied to no establishment are seen only with national scope. */
async function searchEvents(db: Db, user: CurrentUser, filter: AuditFilter) {
  let query = db
    .selectFrom('auditEvent')
    .where(visibleTo(user, { establishment: 'establishmentCode', compartment: 'compartment' }))
  if (user.establishmentCodes !== 'all') query = query.where('establishmentCode', 'is not', null)
  if (filter.actor) query = query.where('actorUsername', '=', filter.actor.toLowerCase())
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
      .limit(PAGE_SIZE)
      .offset((filter.page - 1) * PAGE_SIZE)
      .execute(),
    query.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ])
  return { events, total: count.n }
}

/** The audit trail for auditors: filterable page and API. Reading it is itself recorded. */
export function auditRoutes(deps: { db: Db; api: Api; navigation: Navigation }) {
  const { db, api } = deps
  deps.navigation.add({ text: 'Audit', href: '/audit', permission: 'audit:read', order: 95 })

  return async (app: FastifyInstance) => {
    app.get('/audit', { config: { permission: 'audit:read' } }, async (request, reply) => {
      let filter: AuditFilter
      try {
        filter = parseInput(auditFilterSchema, request.query)
      } catch (error) {
        return reply.code(400).view('platform/audit/views/list.njk', {
          filter: request.query,
          events: [],
          total: 0,
          errors: formErrors(error),
        })
      }
      const { events, total } = await searchEvents(db, request.user!, filter)
      const { page: _page, ...kept } = filter
      return reply.view('platform/audit/views/list.njk', {
        filter,
        events,
        total,
        pagination: paginationView(filter.page, PAGE_SIZE, total, page => `/audit${queryString({ ...kept, page })}`),
      })
    })

    api.route(app, {
      method: 'GET',
      url: '/api/v1/audit-events',
      summary: 'Audit events in the caller’s scope, newest first, 50 a page',
      tag: 'Audit',
      permission: 'audit:read',
      query: auditFilterSchema,
      response: z.object({ results: z.array(eventResponse), total: z.number().int() }),
      handler: async ({ user, query }) => {
        const { events, total } = await searchEvents(db, user, query)
        return {
          total,
          results: events.map(e => ({
            id: e.id,
            occurredAt: e.occurredAt.toISOString(),
            actor: e.actorUsername,
            action: e.action,
            subjectType: e.subjectType,
            subjectId: e.subjectId,
            establishmentCode: e.establishmentCode,
            correlationId: e.correlationId,
            details: e.details,
          })),
        }
      },
    })
  }
}
