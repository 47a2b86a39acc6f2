import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import {
  FIND_CATEGORIES,
  ITEM_PERMISSION_STATES,
  VISIT_MEASURE_OUTCOMES,
  VISIT_MEASURE_STATES,
  VISIT_MEASURES,
} from './rules.ts'
import {
  idParams,
  itemPermissionListQuery,
  itemPermissionSchema,
  revocationSchema,
  visitMeasureListQuery,
  visitMeasureReviewSchema,
  visitMeasureSchema,
} from './schema.ts'
import type { SearchingService } from './service.ts'

// The JSON twins of the pages of measures on visitors (output 13) and permissions for items (output 14), with the
// permissions the pages need.

const TAG = 'Searching, finds and evidence'

const apiVisitMeasure = z.object({
  id: z.uuid(),
  establishmentCode: z.string(),
  visitorName: z.string(),
  visitorDateOfBirth: z.iso.date().nullable(),
  prisonerNumber: z.string(),
  measure: z.enum(VISIT_MEASURES),
  reason: z.string(),
  findRef: z.string().nullable(),
  startsOn: z.iso.date(),
  reviewOn: z.iso.date().describe('The next review: set by the last review, or the first'),
  endsOn: z.iso.date().nullable(),
  state: z.enum(VISIT_MEASURE_STATES),
  decidedBy: z.string(),
  decidedAt: z.iso.datetime(),
  endedAt: z.iso.datetime().nullable(),
})

type MeasureRow = Awaited<ReturnType<SearchingService['visitMeasures']>>[number]
const toApiMeasure = (row: MeasureRow): z.input<typeof apiVisitMeasure> => ({
  id: row.id,
  establishmentCode: row.establishmentCode,
  visitorName: row.visitorName,
  visitorDateOfBirth: row.visitorDateOfBirth,
  prisonerNumber: row.prisonerNumber,
  measure: row.measure as (typeof VISIT_MEASURES)[number],
  reason: row.reason,
  findRef: row.findRef,
  startsOn: row.startsOn,
  reviewOn: row.reviewOn,
  endsOn: row.endsOn,
  state: row.state,
  decidedBy: row.decidedBy,
  decidedAt: row.decidedAt.toISOString(),
  endedAt: row.endedAt?.toISOString() ?? null,
})

const apiReview = z.object({
  reviewedOn: z.iso.date(),
  outcome: z.enum(VISIT_MEASURE_OUTCOMES),
  nextReviewOn: z.iso.date().nullable(),
  notes: z.string(),
  reviewedBy: z.string(),
  reviewedAt: z.iso.datetime(),
})

const apiPermission = z.object({
  id: z.uuid(),
  establishmentCode: z.string(),
  category: z.enum(FIND_CATEGORIES),
  description: z.string(),
  holder: z.string(),
  location: z.string().nullable().describe('Where it may be held; null for anywhere in the prison'),
  validFrom: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  state: z.enum(ITEM_PERMISSION_STATES),
  authorisedBy: z.string(),
  authorisedAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  revocationReason: z.string().nullable(),
})

type PermissionRow = Awaited<ReturnType<SearchingService['itemPermissions']>>[number]
const toApiPermission = (row: PermissionRow): z.input<typeof apiPermission> => ({
  id: row.id,
  establishmentCode: row.establishmentCode,
  category: row.category as (typeof FIND_CATEGORIES)[number],
  description: row.description,
  holder: row.holder,
  location: row.location,
  validFrom: row.validFrom.toISOString(),
  validUntil: row.validUntil.toISOString(),
  state: row.state,
  authorisedBy: row.authorisedBy,
  authorisedAt: row.authorisedAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
  revocationReason: row.revocationReason,
})

const created = z.object({ id: z.uuid() })

export function controlsApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  visitMeasureApi(app, api, searching)
  itemPermissionApi(app, api, searching)
}

function visitMeasureApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'listVisitorMeasures',
    method: 'GET',
    url: '/api/v1/visitor-measures',
    summary: 'Bans and closed visits on visitors at a prison: live ones, the most pressing review first, or ended ones',
    tag: TAG,
    permission: 'searching:read',
    query: visitMeasureListQuery,
    response: z.object({ results: z.array(apiVisitMeasure), total: z.number().int() }),
    handler: async ({ user, query }) => {
      const rows = await searching.visitMeasures(user, query)
      return { results: rows.map(toApiMeasure), total: rows.length }
    },
  })

  api.route(app, {
    operationId: 'recordVisitorMeasure',
    method: 'POST',
    url: '/api/v1/visitor-measures',
    summary: 'Ban a visitor, or allow them closed visits only, with the reason and a review within three months',
    tag: TAG,
    permission: 'searching:manage',
    body: visitMeasureSchema,
    response: created,
    status: 201,
    handler: async ({ request, user, body }) => searching.recordVisitMeasure(user, body, request.id),
  })

  api.route(app, {
    operationId: 'getVisitorMeasure',
    method: 'GET',
    url: '/api/v1/visitor-measures/:id',
    summary: 'A measure on a visitor with its reviews, latest first',
    tag: TAG,
    permission: 'searching:read',
    params: idParams,
    response: apiVisitMeasure.extend({ reviews: z.array(apiReview) }),
    handler: async ({ request, user, params }) => {
      const { measure, reviews } = await searching.visitMeasure(user, params.id, request.id)
      return {
        ...toApiMeasure(measure),
        reviews: reviews.map(r => ({
          reviewedOn: r.reviewedOn,
          outcome: r.outcome,
          nextReviewOn: r.nextReviewOn,
          notes: r.notes,
          reviewedBy: r.reviewedBy,
          reviewedAt: r.reviewedAt.toISOString(),
        })),
      }
    },
  })

  api.route(app, {
    operationId: 'reviewVisitorMeasure',
    method: 'POST',
    url: '/api/v1/visitor-measures/:id/reviews',
    summary: 'Review a measure: continue it to a new review within three months, or end it',
    tag: TAG,
    permission: 'searching:manage',
    params: idParams,
    body: visitMeasureReviewSchema,
    response: z.object({
      id: z.uuid(),
      outcome: z.enum(VISIT_MEASURE_OUTCOMES),
      nextReviewOn: z.iso.date().nullable(),
    }),
    status: 201,
    handler: async ({ request, user, params, body }) => searching.reviewVisitMeasure(user, params.id, body, request.id),
  })
}

function itemPermissionApi(app: FastifyInstance, api: Api, searching: SearchingService) {
  api.route(app, {
    operationId: 'listItemPermissions',
    method: 'GET',
    url: '/api/v1/item-permissions',
    summary: 'Permissions to bring in or hold an otherwise prohibited item at a prison: live, expired and revoked',
    tag: TAG,
    permission: 'searching:read',
    query: itemPermissionListQuery,
    response: z.object({ results: z.array(apiPermission), total: z.number().int() }),
    handler: async ({ user, query }) => {
      const rows = (await searching.itemPermissions(user, query)).filter(p => !query.state || p.state === query.state)
      return { results: rows.map(toApiPermission), total: rows.length }
    },
  })

  api.route(app, {
    operationId: 'grantItemPermission',
    method: 'POST',
    url: '/api/v1/item-permissions',
    summary: 'Record a permission, authorised by the caller, to bring in or hold an item from one day to another',
    tag: TAG,
    permission: 'searching:manage',
    body: itemPermissionSchema,
    response: created,
    status: 201,
    handler: async ({ request, user, body }) => searching.grantItemPermission(user, body, request.id),
  })

  api.route(app, {
    operationId: 'getItemPermission',
    method: 'GET',
    url: '/api/v1/item-permissions/:id',
    summary: 'A permission for an item, with the finds it covers',
    tag: TAG,
    permission: 'searching:read',
    params: idParams,
    response: apiPermission.extend({
      covers: z.array(z.object({ ref: z.string(), location: z.string(), foundAt: z.iso.datetime() })),
    }),
    handler: async ({ request, user, params }) => {
      const { permission, covers } = await searching.itemPermission(user, params.id, request.id)
      return {
        ...toApiPermission(permission),
        covers: covers.map(f => ({ ref: f.ref, location: f.location, foundAt: f.foundAt.toISOString() })),
      }
    },
  })

  api.route(app, {
    operationId: 'revokeItemPermission',
    method: 'POST',
    url: '/api/v1/item-permissions/:id/revocation',
    summary: 'Revoke a permission before it runs out, saying why',
    tag: TAG,
    permission: 'searching:manage',
    params: idParams,
    body: revocationSchema,
    response: z.object({ id: z.uuid(), state: z.literal('revoked') }),
    handler: async ({ request, user, params, body }) =>
      searching.revokeItemPermission(user, params.id, body, request.id),
  })
}
