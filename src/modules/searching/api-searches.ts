import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import type { Api } from '../../platform/http/api.ts'
import { SEARCH_METHODS, SEARCH_REASONS, SEARCH_RESULTS, SEARCH_TARGETS } from './rules.ts'
import { idParams, programmeQuery, requirementSchema, searchesQuery, searchParams, searchSchema } from './schema.ts'
import type { ClockedRequirement } from './searches.ts'
import type { SearchingService } from './service.ts'

const TAG = 'Searching, finds and evidence'

const apiSearch = z.object({
  ref: z.string(),
  establishmentCode: z.string(),
  type: z.enum(SEARCH_TARGETS),
  location: z.string(),
  wing: z.string().meta({ description: 'The wing or area the search counts on in coverage' }),
  method: z.enum(SEARCH_METHODS),
  reason: z.enum(SEARCH_REASONS),
  requirementId: z.string().nullable(),
  reportRef: z.string().nullable(),
  conductedAt: z.string(),
  conductedBy: z.string(),
  officers: z.string().nullable(),
  result: z.enum(SEARCH_RESULTS),
  notes: z.string().nullable(),
})
type ApiSearch = z.infer<typeof apiSearch>
type SearchView = Awaited<ReturnType<SearchingService['search']>>

function toApiSearch(s: Omit<SearchView, 'conductedByName' | 'recordedByName'>): ApiSearch {
  return {
    ref: s.ref,
    establishmentCode: s.establishmentCode,
    type: s.target as ApiSearch['type'],
    location: s.location,
    wing: s.wing,
    method: s.method as ApiSearch['method'],
    reason: s.reason as ApiSearch['reason'],
    requirementId: s.requirementId,
    reportRef: s.reportRef,
    conductedAt: s.conductedAt.toISOString(),
    conductedBy: s.conductedBy,
    officers: s.officers,
    result: s.result as ApiSearch['result'],
    notes: s.notes,
  }
}

const apiRequirement = z.object({
  id: z.string(),
  establishmentCode: z.string(),
  target: z.enum(SEARCH_TARGETS),
  location: z.string(),
  area: z.string().meta({ description: 'The wing or area the requirement covers' }),
  method: z.enum(SEARCH_METHODS),
  everyDays: z.number().int(),
  startsOn: z.string(),
  notes: z.string().nullable(),
  lastSearchedOn: z.string().nullable(),
  nextDue: z.string(),
  state: z.enum(['overdue', 'due-soon', 'scheduled']),
})

function toApiRequirement(r: ClockedRequirement): z.infer<typeof apiRequirement> {
  return {
    id: r.id,
    establishmentCode: r.establishmentCode,
    target: r.target as (typeof SEARCH_TARGETS)[number],
    location: r.location,
    area: r.area,
    method: r.method as (typeof SEARCH_METHODS)[number],
    everyDays: r.everyDays,
    startsOn: r.startsOn,
    notes: r.notes,
    lastSearchedOn: r.lastSearchedOn,
    nextDue: r.nextDue,
    state: r.state,
  }
}

/** Searches: recording one, reading one, recent searches, and the programme's due and overdue requirements. */
export function searchApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'listSearches',
    method: 'GET',
    url: '/api/v1/searches',
    summary:
      'Recent searches at a prison, filtered; with due=true, the search programme’s due and overdue requirements',
    tag: TAG,
    permission: 'searching:read',
    query: searchesQuery,
    response: z.union([
      z.object({ establishment: z.string(), results: z.array(apiSearch) }),
      z.object({ establishment: z.string(), due: z.array(apiRequirement) }),
    ]),
    handler: async ({ user, query }) => {
      const establishment = query.establishment ?? user.establishmentCode
      if (query.due) {
        const due = await searching.dueRequirements(user, establishment)
        return { establishment, due: due.map(toApiRequirement) }
      }
      const { searches } = await searching.searches(user, query)
      return { establishment, results: searches.map(toApiSearch) }
    },
  })

  api.route(app, {
    operationId: 'recordSearch',
    method: 'POST',
    url: '/api/v1/searches',
    summary: 'Record a search at your prison, done by you: planned, intelligence-led or random',
    tag: TAG,
    permission: 'searching:record',
    body: searchSchema,
    response: z.object({ ref: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => searching.recordSearch(user, body, request.id),
  })

  api.route(app, {
    operationId: 'getSearch',
    method: 'GET',
    url: '/api/v1/searches/:ref',
    summary: 'One search',
    tag: TAG,
    permission: 'searching:read',
    params: searchParams,
    response: apiSearch,
    handler: async ({ request, user, params }) => toApiSearch(await searching.search(user, params.ref, request.id)),
  })

  api.route(app, {
    operationId: 'getSearchCoverage',
    method: 'GET',
    url: '/api/v1/search-coverage',
    summary: 'Searches by wing or area and month over six months, against the search programme where it asks',
    tag: TAG,
    permission: 'searching:read',
    query: programmeQuery,
    response: z.object({
      establishment: z.string(),
      months: z.array(z.string()),
      rows: z.array(
        z.object({
          area: z.string(),
          months: z.array(
            z.object({
              month: z.string(),
              searches: z.number().int(),
              programme: z.object({ planned: z.number().int(), asked: z.number().int() }).nullable(),
            }),
          ),
        }),
      ),
    }),
    handler: async ({ user, query }) => {
      const coverage = await searching.coverage(user, query.establishment ?? user.establishmentCode)
      return { establishment: coverage.establishment.code, months: coverage.months, rows: coverage.rows }
    },
  })
}

/** The search programme's requirements: listing with their clocks, adding, changing and retiring. */
export function programmeApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'listSearchRequirements',
    method: 'GET',
    url: '/api/v1/search-programme',
    summary: 'The live requirements of a prison’s search programme, each with its clock',
    tag: TAG,
    permission: 'searching:read',
    query: programmeQuery,
    response: z.object({ establishment: z.string(), today: z.string(), results: z.array(apiRequirement) }),
    handler: async ({ user, query }) => {
      const programme = await searching.programme(user, query.establishment ?? user.establishmentCode)
      return {
        establishment: programme.establishment.code,
        today: londonToday(new Date()),
        results: programme.requirements.map(toApiRequirement),
      }
    },
  })

  api.route(app, {
    operationId: 'addSearchRequirement',
    method: 'POST',
    url: '/api/v1/search-programme',
    summary: 'Add a requirement to your prison’s search programme (security department)',
    tag: TAG,
    permission: 'searching:manage',
    body: requirementSchema,
    response: z.object({ id: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => searching.addRequirement(user, body, request.id),
  })

  api.route(app, {
    operationId: 'changeSearchRequirement',
    method: 'PUT',
    url: '/api/v1/search-programme/:id',
    summary: 'Change a live requirement of the search programme (security department)',
    tag: TAG,
    permission: 'searching:manage',
    params: idParams,
    body: requirementSchema,
    response: z.object({ id: z.string() }),
    handler: async ({ request, user, params, body }) => searching.changeRequirement(user, params.id, body, request.id),
  })

  api.route(app, {
    operationId: 'retireSearchRequirement',
    method: 'POST',
    url: '/api/v1/search-programme/:id/retire',
    summary: 'Retire a requirement: it leaves the programme; the searches that met it stay',
    tag: TAG,
    permission: 'searching:manage',
    params: idParams,
    response: z.object({ id: z.string() }),
    handler: async ({ request, user, params }) => searching.retireRequirement(user, params.id, request.id),
  })
}
