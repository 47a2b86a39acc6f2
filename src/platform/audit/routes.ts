import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Db } from '../db/database.ts'
import type { Api } from '../http/api.ts'
import { optional } from '../http/fields.ts'
import { pageQuery, paginationView, queryString } from '../http/forms.ts'
import { createPages } from '../http/pages.ts'
import type { Navigation } from '../views/navigation.ts'
import { AUDIT_PAGE_SIZE, searchEvents } from './repository.ts'

const isoDate = optional(z.iso.date({ error: 'Enter a real date in the format YYYY-MM-DD, like 2026-11-23' }))
const text = optional(z.string().trim().max(200, 'Must be 200 characters or fewer'))

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

/** The audit trail for auditors: filterable page and API. Reading it is itself recorded. */
export function auditRoutes(deps: { db: Db; api: Api; navigation: Navigation }) {
  const { db, api } = deps
  deps.navigation.add({ text: 'Audit', href: '/audit', permission: 'audit:read', order: 95 })

  return async (app: FastifyInstance) => {
    const pages = createPages(app, { views: 'platform/audit/views' })

    pages.get('/audit', {
      permission: 'audit:read',
      query: auditFilterSchema,
      invalid: async ({ render }, { errors, values }) =>
        render('list', { filter: values, events: [], total: 0, errors }),
      handler: async ({ user, query: filter, render }) => {
        const { events, total } = await searchEvents(db, user, filter)
        const { page: _page, ...kept } = filter
        return render('list', {
          filter,
          events,
          total,
          pagination: paginationView(
            filter.page,
            AUDIT_PAGE_SIZE,
            total,
            page => `/audit${queryString({ ...kept, page })}`,
          ),
        })
      },
    })

    api.route(app, {
      operationId: 'searchAuditEvents',
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
