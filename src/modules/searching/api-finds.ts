import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import { ForbiddenError } from '../../platform/http/errors.ts'
import type { FindView } from './finds.ts'
import { FIND_CATEGORIES, FIND_HOW, PRISONER_OUTCOMES } from './rules.ts'
import { establishmentQuery, findOutcomeSchema, findRefParams, findSchema, findsQuery } from './schema.ts'
import type { SearchingService } from './service.ts'

// The JSON twin of the finds pages (issue 14): record a find, read the register and one find, its trends, and what
// followed for a prisoner linked to it. The same permissions as the pages.

const TAG = 'Searching, finds and evidence'

const apiFindSummary = z.object({
  ref: z.string(),
  establishment: z.string(),
  category: z.enum(FIND_CATEGORIES),
  description: z.string(),
  foundAt: z.string(),
  location: z.string(),
  wing: z.string(),
  how: z.enum(FIND_HOW),
  foundBy: z.string(),
  searchRef: z.string().nullable(),
  people: z.number().int(),
})

const apiFind = apiFindSummary.extend({
  foundByName: z.string(),
  recordedBy: z.string(),
  recordedAt: z.string(),
  needsInterrogation: z.boolean(),
  interrogations: z.number().int(),
  people: z.array(
    z.object({
      prisonerNumber: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      outcome: z.enum(PRISONER_OUTCOMES).nullable(),
      outcomeReference: z.string().nullable(),
      outcomeAt: z.string().nullable(),
    }),
  ),
  reportRefs: z.array(z.string()),
  exhibits: z.array(z.object({ ref: z.string(), sealNumber: z.string(), disposed: z.boolean() })),
})

function toApiFind(view: FindView): z.infer<typeof apiFind> {
  const { find } = view
  return {
    ref: find.ref,
    establishment: find.establishmentCode,
    category: find.category as z.infer<typeof apiFind>['category'],
    description: find.description,
    foundAt: find.foundAt.toISOString(),
    location: find.location,
    wing: find.wing,
    how: find.how as z.infer<typeof apiFind>['how'],
    foundBy: find.foundBy,
    foundByName: find.foundByName,
    recordedBy: find.recordedBy,
    recordedAt: find.recordedAt.toISOString(),
    searchRef: find.searchRef,
    needsInterrogation: view.needsInterrogation,
    interrogations: view.interrogations,
    people: view.people.map(person => ({
      prisonerNumber: person.prisonerNumber,
      firstName: person.firstName,
      lastName: person.lastName,
      outcome: person.outcome as z.infer<typeof apiFind>['people'][number]['outcome'],
      outcomeReference: person.outcomeReference,
      outcomeAt: person.outcomeAt?.toISOString() ?? null,
    })),
    reportRefs: view.reports.map(report => report.ref),
    exhibits: view.exhibits.map(exhibit => ({
      ref: exhibit.ref,
      sealNumber: exhibit.sealNumber,
      disposed: exhibit.disposedAt !== null,
    })),
  }
}

type RegisterRow = Awaited<ReturnType<SearchingService['finds']>>[number]
const toApiSummary = (row: RegisterRow): z.infer<typeof apiFindSummary> => ({
  ref: row.ref,
  establishment: row.establishmentCode,
  category: row.category as z.infer<typeof apiFindSummary>['category'],
  description: row.description,
  foundAt: row.foundAt.toISOString(),
  location: row.location,
  wing: row.wing,
  how: row.how as z.infer<typeof apiFindSummary>['how'],
  foundBy: row.foundBy,
  searchRef: row.searchRef,
  people: row.people,
})

const trendLine = z.object({
  name: z.string(),
  values: z.array(z.number().int()),
  total: z.number().int(),
  yearBefore: z.number().int(),
})

/** Recording finds, the register and one find, trends, and outcomes for the prisoners linked. */
export function findApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  recordingApi(app, api, searching)
  registerApi(app, api, searching)
}

function recordingApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'recordFind',
    method: 'POST',
    url: '/api/v1/finds',
    summary: 'Record a find: what, when, where, how and by whom, with the people, search and reports it is linked to',
    tag: TAG,
    permission: 'searching:record',
    body: findSchema,
    response: z.object({ ref: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => searching.recordFind(user, body, request.id),
  })

  api.route(app, {
    operationId: 'recordFindOutcome',
    method: 'POST',
    url: '/api/v1/finds/:ref/outcomes',
    summary: 'What followed a find for a prisoner linked to it: adjudication, police referral or no further action',
    tag: TAG,
    permission: 'searching:manage',
    params: findRefParams,
    body: findOutcomeSchema,
    response: z.object({
      ref: z.string(),
      prisonerNumber: z.string(),
      outcome: z.enum(PRISONER_OUTCOMES),
      reference: z.string().nullable(),
    }),
    status: 201,
    handler: async ({ request, user, params, body }) => searching.recordFindOutcome(user, params.ref, body, request.id),
  })
}

function registerApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'listFinds',
    method: 'GET',
    url: '/api/v1/finds',
    summary: 'The finds register in the caller’s scope, newest first, by category, dates found and wing',
    tag: TAG,
    permission: 'searching:read',
    query: findsQuery,
    response: z.object({ results: z.array(apiFindSummary), total: z.number().int() }),
    handler: async ({ user, query }) => {
      const { establishment, ...filter } = query
      const rows = await searching.finds(user, { ...filter, establishmentCode: establishment })
      return { results: rows.map(toApiSummary), total: rows.length }
    },
  })

  api.route(app, {
    operationId: 'getFindTrends',
    method: 'GET',
    url: '/api/v1/finds/trends',
    summary:
      'Finds a month at one prison for the last 12 months, beside the same month a year before, by category and wing',
    tag: TAG,
    permission: 'searching:read',
    query: establishmentQuery,
    response: z.object({
      establishment: z.string(),
      months: z.array(z.string()),
      byMonth: z.array(z.object({ month: z.string(), total: z.number().int(), yearBefore: z.number().int() })),
      byCategory: z.array(trendLine),
      byWing: z.array(trendLine),
    }),
    handler: async ({ user, query }) => {
      const establishment = query.establishment ?? user.establishmentCode
      if (!user.inScope(establishment)) throw new ForbiddenError('That prison is outside your scope.')
      const trends = await searching.findTrends(establishment)
      return {
        establishment,
        months: trends.months.map(m => m.month),
        byMonth: trends.byMonth.map(({ month, total, yearBefore }) => ({ month, total, yearBefore })),
        byCategory: trends.byCategory,
        byWing: trends.byWing,
      }
    },
  })

  api.route(app, {
    operationId: 'getFind',
    method: 'GET',
    url: '/api/v1/finds/:ref',
    summary: 'A find with the people, reports, search and exhibits linked to it, and what followed for each prisoner',
    tag: TAG,
    permission: 'searching:read',
    params: findRefParams,
    response: apiFind,
    handler: async ({ request, user, params }) => toApiFind(await searching.find(user, params.ref, request.id)),
  })
}
