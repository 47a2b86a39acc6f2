import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import type { ExhibitView } from './exhibits.ts'
import { CUSTODY_EVENT_KINDS, DISPOSAL_METHODS, EXHIBIT_STATES, HOLDER_KINDS } from './rules.ts'
import {
  custodyEventSchema,
  disposalSchema,
  exhibitListQuery,
  exhibitParams,
  exhibitSchema,
  policeHoldSchema,
} from './schema.ts'
import type { SearchingService } from './service.ts'

// The JSON twin of every exhibit page action (output 12), with the permission the page needs.

const TAG = 'Searching, finds and evidence'

const holder = z.object({ kind: z.enum(HOLDER_KINDS), name: z.string() })
const gap = z.object({
  afterEvent: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'The movement (0 first) the gap follows; null: before the first' }),
  text: z.string(),
})

const apiExhibit = z.object({
  ref: z.string(),
  establishmentCode: z.string(),
  findRef: z.string(),
  findCategory: z.string(),
  sealNumber: z.string().meta({ description: 'The seal it was first sealed under' }),
  currentSeal: z.string(),
  seizedBy: z.string(),
  seizedAt: z.string(),
  storedAt: z.string(),
  state: z.enum(EXHIBIT_STATES),
  custodian: holder,
  policeHold: z
    .object({
      officer: z.string(),
      force: z.string(),
      crimeReference: z.string(),
      reason: z.string(),
      placedAt: z.string(),
    })
    .nullable(),
  disposal: z
    .object({ method: z.enum(DISPOSAL_METHODS), disposedAt: z.string(), disposedBy: z.string(), witness: z.string() })
    .nullable(),
  chain: z.array(
    z.object({
      kind: z.enum(CUSTODY_EVENT_KINDS),
      at: z.string(),
      from: holder,
      to: holder,
      location: z.string(),
      reason: z.string(),
      sealIntact: z.boolean(),
      sealNumber: z.string(),
      witness: z.string().nullable(),
      police: z.object({ officer: z.string(), force: z.string(), crimeReference: z.string() }).nullable(),
      recordedBy: z.string(),
    }),
  ),
  gaps: z.array(gap),
})

function toApiExhibit(view: ExhibitView): z.infer<typeof apiExhibit> {
  const { exhibit: x, liveHold } = view
  return {
    ref: x.ref,
    establishmentCode: x.establishmentCode,
    findRef: x.findRef,
    findCategory: x.findCategory,
    sealNumber: x.sealNumber,
    currentSeal: view.seal,
    seizedBy: x.seizedBy,
    seizedAt: x.seizedAt.toISOString(),
    storedAt: x.storedAt,
    state: view.state,
    custodian: view.custodian,
    policeHold: liveHold && {
      officer: liveHold.officer,
      force: liveHold.force,
      crimeReference: liveHold.crimeReference,
      reason: liveHold.reason,
      placedAt: liveHold.placedAt.toISOString(),
    },
    disposal:
      x.disposedAt && x.disposalMethod
        ? {
            method: x.disposalMethod as (typeof DISPOSAL_METHODS)[number],
            disposedAt: x.disposedAt.toISOString(),
            disposedBy: x.disposedByName ?? '',
            witness: x.disposalWitnessName ?? '',
          }
        : null,
    chain: view.events.map(e => ({
      kind: e.kind as (typeof CUSTODY_EVENT_KINDS)[number],
      at: e.at.toISOString(),
      from: e.from,
      to: e.to,
      location: e.location,
      reason: e.reason,
      sealIntact: e.sealIntact,
      sealNumber: e.sealNumber,
      witness: e.witnessName,
      police: e.policeOfficer
        ? { officer: e.policeOfficer, force: e.policeForce ?? '', crimeReference: e.crimeReference ?? '' }
        : null,
      recordedBy: e.recordedByName ?? e.recordedBy,
    })),
    gaps: view.gaps,
  }
}

const refOnly = z.object({ ref: z.string() })

/** Exhibits: made from a find, listed, read with their chain, moved, held by the police, disposed of. */
export function exhibitApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'createExhibit',
    method: 'POST',
    url: '/api/v1/exhibits',
    summary: 'Make an exhibit of a find: its seal number and where it is stored; seized by the finder unless said',
    tag: TAG,
    permission: 'searching:manage',
    body: exhibitSchema,
    response: refOnly,
    status: 201,
    handler: ({ request, user, body }) => searching.createExhibit(user, body, request.id),
  })

  api.route(app, {
    operationId: 'listExhibits',
    method: 'GET',
    url: '/api/v1/exhibits',
    summary: 'A prison’s exhibits with their state, custodian and the gaps in their chain',
    tag: TAG,
    permission: 'searching:read',
    query: exhibitListQuery,
    response: z.object({
      establishment: z.string(),
      results: z.array(
        z.object({
          ref: z.string(),
          findRef: z.string(),
          findCategory: z.string(),
          state: z.enum(EXHIBIT_STATES),
          custodian: holder,
          seal: z.string(),
          policeHold: z.boolean(),
          gaps: z.array(gap),
        }),
      ),
    }),
    handler: async ({ user, query }) => {
      const { establishment, exhibits } = await searching.exhibitsAt(
        user,
        query.establishment ?? user.establishmentCode,
      )
      const results = exhibits
        .filter(x => !query.state || x.state === query.state)
        .filter(x => query.gaps === undefined || x.gaps.length > 0 === (query.gaps === 'true'))
        .map(x => ({
          ref: x.ref,
          findRef: x.findRef,
          findCategory: x.findCategory,
          state: x.state,
          custodian: x.custodian,
          seal: x.seal,
          policeHold: x.onHold,
          gaps: x.gaps,
        }))
      return { establishment: establishment.code, results }
    },
  })

  api.route(app, {
    operationId: 'getExhibit',
    method: 'GET',
    url: '/api/v1/exhibits/:ref',
    summary: 'An exhibit with its chain of custody and any gaps in it',
    tag: TAG,
    permission: 'searching:read',
    params: exhibitParams,
    response: apiExhibit,
    handler: async ({ request, user, params }) => toApiExhibit(await searching.exhibit(user, params.ref, request.id)),
  })

  custodyApi(app, api, searching)
}

function custodyApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'recordCustodyEvent',
    method: 'POST',
    url: '/api/v1/exhibits/:ref/custody-events',
    summary:
      'Record a movement: to a member of staff (username), "evidence-store" or "police"; a re-seal needs a witness, a ' +
      'hand-over the officer, force and crime reference. A movement that breaks the chain is recorded and its gap shown',
    tag: TAG,
    permission: 'searching:manage',
    params: exhibitParams,
    body: custodyEventSchema,
    response: z.object({ ref: z.string(), event: z.number().int() }),
    status: 201,
    handler: ({ request, user, params, body }) => searching.recordCustodyEvent(user, params.ref, body, request.id),
  })

  api.route(app, {
    operationId: 'placePoliceHold',
    method: 'POST',
    url: '/api/v1/exhibits/:ref/police-hold',
    summary: 'Place a police hold, which stops disposal until it is lifted; 409 while one stands',
    tag: TAG,
    permission: 'searching:manage',
    params: exhibitParams,
    body: policeHoldSchema,
    response: z.object({ ref: z.string(), hold: z.string() }),
    status: 201,
    handler: ({ request, user, params, body }) => searching.placePoliceHold(user, params.ref, body, request.id),
  })

  api.route(app, {
    operationId: 'liftPoliceHold',
    method: 'POST',
    url: '/api/v1/exhibits/:ref/police-hold/lift',
    summary: 'Lift the police hold; 409 when there is none',
    tag: TAG,
    permission: 'searching:manage',
    params: exhibitParams,
    response: z.object({ ref: z.string(), hold: z.string() }),
    handler: ({ request, user, params }) => searching.liftPoliceHold(user, params.ref, request.id),
  })

  api.route(app, {
    operationId: 'disposeOfExhibit',
    method: 'POST',
    url: '/api/v1/exhibits/:ref/disposal',
    summary:
      'Dispose of an exhibit, in front of a witness (a username); 409 under a police hold, while the police have it, ' +
      'or when the person disposing of it is its custodian',
    tag: TAG,
    permission: 'searching:manage',
    params: exhibitParams,
    body: disposalSchema,
    response: z.object({ ref: z.string(), disposedAt: z.string() }),
    status: 201,
    handler: async ({ request, user, params, body }) => {
      const disposed = await searching.dispose(user, params.ref, body, request.id)
      return { ref: disposed.ref, disposedAt: disposed.disposedAt.toISOString() }
    },
  })
}
