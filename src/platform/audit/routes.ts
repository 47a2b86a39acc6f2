import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { CurrentUser } from '../access/user.ts'
import type { Db } from '../db/database.ts'
import type { Api } from '../http/api.ts'
import { optionalDateInput } from '../http/dates.ts'
import { optional } from '../http/fields.ts'
import { pageQuery, paginationView, queryString } from '../http/forms.ts'
import { createPages } from '../http/pages.ts'
import { displayNames, listEstablishmentOptions } from '../users/repository.ts'
import type { Navigation } from '../views/navigation.ts'
import { actionInWords, detailsInWords, subjectInWords } from './describe.ts'
import { AUDIT_PAGE_SIZE, establishmentNames, searchEvents } from './repository.ts'

const text = optional(z.string().trim().max(200, 'Must be 200 characters or fewer'))

export const auditFilterSchema = pageQuery
  .extend({
    actor: text,
    action: text,
    subjectType: text,
    subjectId: text,
    establishment: text,
    // Day, month and year boxes on the page, ISO dates from the API; each message names its date (issue 12.13).
    from: optionalDateInput('the from date'),
    to: optionalDateInput('the to date'),
  })
  .refine(f => !f.from || !f.to || f.from <= f.to, {
    path: ['to'],
    message: 'The to date must be the same as or after the from date',
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

/**
 * The people a user may see, by reference or prison number, as "Lee King (G4600RO)": the people module supplies it
 * (the platform does not read a module's tables). A person the auditor may not see keeps only their reference.
 */
export type PersonLabels = (
  db: Db,
  user: CurrentUser,
  refs: readonly string[],
) => Promise<ReadonlyMap<string, { label: string }>>

/** The events as the page shows them: people and prisons by name, actions, subjects and details in words. */
async function inWords(
  db: Db,
  user: CurrentUser,
  events: Awaited<ReturnType<typeof searchEvents>>['events'],
  personLabels?: PersonLabels,
) {
  const users = await displayNames(db, [
    ...events.map(e => e.actorUsername),
    ...events.filter(e => e.subjectType === 'user').map(e => e.subjectId),
  ])
  const codes = [
    ...events.filter(e => e.subjectType === 'establishment' && e.subjectId).map(e => e.subjectId as string),
    ...events.flatMap(e => (e.establishmentCode ? [e.establishmentCode] : [])),
  ]
  const refs = events.filter(e => e.subjectType === 'nominal' && e.subjectId).map(e => e.subjectId as string)
  const people = personLabels ? await personLabels(db, user, refs) : new Map<string, { label: string }>()
  const names = { users, establishments: await establishmentNames(db, [...new Set(codes)]) }
  return events.map(e => ({
    ...e,
    actorName: users.get(e.actorUsername) ?? e.actorUsername,
    actionText: actionInWords(e.action),
    establishmentName: e.establishmentCode
      ? (names.establishments.get(e.establishmentCode) ?? e.establishmentCode)
      : '',
    // "Signed in", not "Signed in Aisha Ahmed" beside Aisha Ahmed's own name.
    subjectText:
      e.subjectType === 'user' && e.subjectId === e.actorUsername
        ? ''
        : e.subjectType === 'nominal' && e.subjectId && people.has(e.subjectId)
          ? (people.get(e.subjectId)?.label ?? '')
          : subjectInWords(e, names),
    detailLines: detailsInWords(e.details),
  }))
}

/** The audit trail for auditors: filterable page and API. Reading it is itself recorded. */
export function auditRoutes(deps: { db: Db; api: Api; navigation: Navigation; personLabels?: PersonLabels }) {
  const { db, api } = deps
  deps.navigation.add({ text: 'Audit', href: '/audit', permission: 'audit:read', order: 95 })

  return async (app: FastifyInstance) => {
    const pages = createPages(app, { views: 'platform/audit/views' })

    pages.get('/audit', {
      permission: 'audit:read',
      query: auditFilterSchema,
      invalid: async ({ user, render }, { errors, values }) =>
        render('list', {
          filter: values,
          events: [],
          total: 0,
          errors,
          establishments: await listEstablishmentOptions(db, user.establishmentCodes),
        }),
      handler: async ({ user, query: filter, render }) => {
        const { events, total } = await searchEvents(db, user, filter)
        const { page: _page, ...kept } = filter
        return render('list', {
          filter,
          establishments: await listEstablishmentOptions(db, user.establishmentCodes),
          events: await inWords(db, user, events, deps.personLabels),
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
