import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import type { InterrogationView } from './phones.ts'
import { FIND_CATEGORIES, INTERROGATION_STATES, LAWFUL_BASIS_CODES } from './rules.ts'
import {
  establishmentQuery,
  interrogationParams,
  interrogationRequestSchema,
  interrogationResultSchema,
  interrogationsQuery,
  phoneParams,
} from './schema.ts'
import type { SearchingService } from './service.ts'

// The JSON twin of the seized phones pages (issue 14, output 15): ask for a phone or SIM card to be interrogated,
// record the result (which becomes an intelligence report whose numbers and IMEIs are entities), and read them.

const TAG = 'Searching, finds and evidence'

const found = z.object({
  imeis: z.array(z.string()).describe('IMEIs, 15 digits each'),
  numbers: z.array(z.string()).describe('Phone numbers in E.164'),
  contacts: z.array(z.object({ name: z.string(), number: z.string().describe('In E.164') })),
})

const apiInterrogationSummary = z.object({
  ref: z.string(),
  findRef: z.string(),
  establishment: z.string(),
  category: z.enum(FIND_CATEGORIES),
  imei: z.string().nullable(),
  iccid: z.string().nullable(),
  lawfulBasis: z.enum(LAWFUL_BASIS_CODES),
  authorisationRef: z.string().nullable(),
  requestedBy: z.string(),
  requestedAt: z.string(),
  state: z.enum(INTERROGATION_STATES),
  resultAt: z.string().nullable(),
  resultBy: z.string().nullable(),
  reportRef: z
    .string()
    .nullable()
    .describe('The intelligence report the result was recorded in, where the caller may see it'),
})

const apiInterrogation = apiInterrogationSummary.extend({
  found: found.nullable().describe('What the interrogation found: for those who read intelligence, with its report'),
})

type Summary = Omit<InterrogationView, 'found'>

function toApiSummary(row: Summary): z.infer<typeof apiInterrogationSummary> {
  return {
    ref: row.ref,
    findRef: row.findRef,
    establishment: row.establishmentCode,
    category: row.category as z.infer<typeof apiInterrogationSummary>['category'],
    imei: row.imei,
    iccid: row.iccid,
    lawfulBasis: row.lawfulBasis as z.infer<typeof apiInterrogationSummary>['lawfulBasis'],
    authorisationRef: row.authorisationRef,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    state: row.state,
    resultAt: row.resultAt?.toISOString() ?? null,
    resultBy: row.resultBy,
    reportRef: row.reportRef,
  }
}

/** Asking for interrogations, recording their results, and reading them. */
export function phoneApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  interrogationChangeApi(app, api, searching)
  interrogationReadApi(app, api, searching)
}

function interrogationChangeApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'requestPhoneInterrogation',
    method: 'POST',
    url: '/api/v1/phones/:findRef/interrogations',
    summary:
      'Ask for a seized mobile phone or SIM card (a find) to be interrogated, under a lawful basis and, where it needs one, an authorisation',
    tag: TAG,
    permission: 'searching:interrogate',
    params: phoneParams,
    body: interrogationRequestSchema,
    response: z.object({ ref: z.string(), findRef: z.string() }),
    status: 201,
    handler: async ({ request, user, params, body }) =>
      searching.requestInterrogation(user, params.findRef, body, request.id),
  })

  api.route(app, {
    operationId: 'recordInterrogationResult',
    method: 'POST',
    url: '/api/v1/interrogations/:ref/result',
    summary:
      'Record what an interrogation found: IMEIs, numbers and contacts. It becomes an intelligence report about the people linked to the find, whose numbers (E.164) and IMEIs are entities',
    tag: TAG,
    permission: 'searching:interrogate',
    params: interrogationParams,
    body: interrogationResultSchema,
    response: found.extend({ ref: z.string(), findRef: z.string(), reportRef: z.string() }),
    status: 201,
    handler: async ({ request, user, params, body }) =>
      searching.recordInterrogationResult(user, params.ref, body, request.id),
  })
}

function interrogationReadApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'listInterrogations',
    method: 'GET',
    url: '/api/v1/interrogations',
    summary:
      'Interrogations of seized phones in the caller’s scope: those awaiting a result oldest first, then results',
    tag: TAG,
    permission: 'searching:read',
    query: interrogationsQuery,
    response: z.object({ results: z.array(apiInterrogationSummary), total: z.number().int() }),
    handler: async ({ user, query }) => {
      const rows = await searching.interrogations(user, {
        establishmentCode: query.establishment,
        findRef: query.findRef,
        awaiting: query.awaiting === undefined ? undefined : query.awaiting === 'true',
      })
      return { results: rows.map(toApiSummary), total: rows.length }
    },
  })

  api.route(app, {
    operationId: 'getInterrogation',
    method: 'GET',
    url: '/api/v1/interrogations/:ref',
    summary:
      'One interrogation, and what it found where the caller reads intelligence; the read of what was found is audited',
    tag: TAG,
    permission: 'searching:read',
    params: interrogationParams,
    response: apiInterrogation,
    handler: async ({ request, user, params }) => {
      const view = await searching.interrogation(user, params.ref, request.id)
      return { ...toApiSummary(view), found: view.found }
    },
  })

  api.route(app, {
    operationId: 'listPhonesWithoutInterrogation',
    method: 'GET',
    url: '/api/v1/phones/without-interrogation',
    summary:
      'Mobile phones and SIM cards found this month at a prison (the caller’s own unless chosen) with no interrogation asked for',
    tag: TAG,
    permission: 'searching:read',
    query: establishmentQuery,
    response: z.object({
      results: z.array(
        z.object({
          findRef: z.string(),
          category: z.enum(FIND_CATEGORIES),
          description: z.string(),
          foundAt: z.string(),
          location: z.string(),
        }),
      ),
    }),
    handler: async ({ user, query }) => {
      const rows = await searching.phonesWithoutRequest(user, query.establishment ?? user.establishmentCode)
      return {
        results: rows.map(row => ({
          findRef: row.ref,
          category: row.category as (typeof FIND_CATEGORIES)[number],
          description: row.description,
          foundAt: row.foundAt.toISOString(),
          location: row.location,
        })),
      }
    },
  })
}
