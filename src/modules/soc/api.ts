import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import {
  actionParams,
  actionSchema,
  actionStatusSchema,
  decisionSchema,
  dipSampleSchema,
  disruptionParams,
  disruptionSchema,
  meetingSchema,
  milestoneSchema,
  moderationSchema,
  nominationSchema,
  numberedParams,
  ocgmImportSchema,
  personParams,
  refParams,
  resolveSchema,
  reviewSchema,
  triggerSchema,
  visitSchema,
} from './schema.ts'
import type { SocService } from './service.ts'

// The JSON twin of every SOC page action, under /api/v1/soc, with the permission the page needs.

const TAG = 'Serious and organised crime'

const apiNominal = z.object({
  prisonerNumber: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  prisonId: z.string(),
  band: z.enum(['1', '2']).nullable(),
  status: z.string(),
  releaseDate: z.iso.date().nullable(),
  lastReview: z.iso.date().nullable(),
  communityNotifiedOn: z.iso.date().nullable(),
  communityPlanAgreedOn: z.iso.date().nullable(),
  dueDates: z.object({
    nextReview: z.iso.date().optional(),
    socuCommunityNotification: z.iso.date().optional(),
    communityPlan: z.iso.date().optional(),
    postReleaseBandingReview: z.iso.date().optional(),
  }),
})

type ListRow = Awaited<ReturnType<SocService['list']>>[number]
const toApi = (row: ListRow): z.infer<typeof apiNominal> => ({
  prisonerNumber: row.prisonerNumber,
  firstName: row.firstName,
  lastName: row.lastName,
  prisonId: row.establishmentCode,
  band: row.status === 'selected' ? (row.band as '1' | '2') : null,
  status: row.status,
  releaseDate: row.releaseDate,
  lastReview: row.lastReview,
  communityNotifiedOn: row.communityNotifiedOn,
  communityPlanAgreedOn: row.communityPlanAgreedOn,
  dueDates: row.dueDates,
})

const created = z.object({ id: z.string() })
const createdNumber = z.object({ id: z.number().int() })
const recorded = z.object({ recorded: z.literal(true) })

export function registerSocApi(app: FastifyInstance, api: Api, soc: SocService) {
  nominalApi(app, api, soc)
  meetingApi(app, api, soc)
  casePlanApi(app, api, soc)
  triggerApi(app, api, soc)
  disruptionApi(app, api, soc)
  ocgmApi(app, api, soc)
  assuranceApi(app, api, soc)
}

function nominalApi(app: FastifyInstance, api: Api, soc: SocService) {
  api.route(app, {
    operationId: 'listSocNominals',
    method: 'GET',
    url: '/api/v1/soc/nominals',
    summary: 'SOC nominals in the caller’s scope, optionally of one band',
    tag: TAG,
    permission: 'soc:read',
    query: z.object({ band: z.enum(['1', '2']).optional() }),
    response: z.object({ results: z.array(apiNominal), total: z.number().int() }),
    handler: async ({ user, query }) => {
      const rows = await soc.list(user, { band: query.band })
      return { results: rows.map(toApi), total: rows.length }
    },
  })

  api.route(app, {
    operationId: 'getSocNominal',
    method: 'GET',
    url: '/api/v1/soc/nominals/:prisonerNumber',
    summary: 'A SOC nominal with band, status and the due date of each clock that applies',
    tag: TAG,
    permission: 'soc:read',
    params: personParams,
    response: apiNominal,
    handler: async ({ request, user, params }) =>
      toApi((await soc.get(user, params.prisonerNumber, request.id)).nominal),
  })

  api.route(app, {
    operationId: 'nominateSocNominal',
    method: 'POST',
    url: '/api/v1/soc/nominations',
    summary: 'Nominate a person to the next cohort selection meeting',
    tag: TAG,
    permission: 'soc:nominate',
    body: nominationSchema,
    response: z.object({ prisonerNumber: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => soc.nominate(user, body, request.id),
  })

  api.route(app, {
    operationId: 'recordSocReleaseHandOffStep',
    method: 'POST',
    url: '/api/v1/soc/nominals/:prisonerNumber/milestones',
    summary: 'Record a release hand-off step: the SOCU community team notified, or the community plan agreed',
    tag: TAG,
    permission: 'soc:case',
    params: personParams,
    body: milestoneSchema,
    response: apiNominal,
    handler: async ({ request, user, params, body }) => {
      await soc.recordMilestone(user, params.prisonerNumber, body, request.id)
      return toApi((await soc.get(user, params.prisonerNumber, request.id)).nominal)
    },
  })
}

const apiMeeting = z.object({
  ref: z.string(),
  kind: z.string(),
  heldOn: z.iso.date(),
  socuRegion: z.string(),
  prisonId: z.string().nullable(),
  attendees: z.array(z.string()),
  notes: z.string().nullable(),
})

function meetingApi(app: FastifyInstance, api: Api, soc: SocService) {
  const toMeeting = (m: Awaited<ReturnType<SocService['meetings']>>[number]): z.infer<typeof apiMeeting> => ({
    ref: m.ref,
    kind: m.kind,
    heldOn: m.heldOn,
    socuRegion: m.socuRegion,
    prisonId: m.establishmentCode,
    attendees: m.attendees,
    notes: m.notes,
  })

  api.route(app, {
    operationId: 'recordSocMeeting',
    method: 'POST',
    url: '/api/v1/soc/meetings',
    summary: 'Record a cohort selection or case management meeting',
    tag: TAG,
    permission: 'soc:manage',
    body: meetingSchema,
    response: z.object({ ref: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => soc.createMeeting(user, body, request.id),
  })

  api.route(app, {
    operationId: 'listSocMeetings',
    method: 'GET',
    url: '/api/v1/soc/meetings',
    summary: 'Meetings of the caller’s prisons and region, latest first',
    tag: TAG,
    permission: 'soc:read',
    response: z.object({ results: z.array(apiMeeting) }),
    handler: async ({ user }) => ({ results: (await soc.meetings(user)).map(toMeeting) }),
  })

  api.route(app, {
    operationId: 'getSocMeeting',
    method: 'GET',
    url: '/api/v1/soc/meetings/:ref',
    summary: 'A meeting with the decisions recorded at it',
    tag: TAG,
    permission: 'soc:read',
    params: refParams,
    response: apiMeeting.extend({
      decisions: z.array(
        z.object({
          prisonerNumber: z.string(),
          decision: z.string(),
          reason: z.string().nullable(),
          decidedBy: z.string(),
        }),
      ),
    }),
    handler: async ({ request, user, params }) => {
      const { meeting, decisions } = await soc.meeting(user, params.ref, request.id)
      return {
        ...toMeeting(meeting),
        decisions: decisions.map(({ prisonerNumber, decision, reason, decidedBy }) => ({
          prisonerNumber,
          decision,
          reason,
          decidedBy,
        })),
      }
    },
  })

  api.route(app, {
    operationId: 'recordSocMeetingDecision',
    method: 'POST',
    url: '/api/v1/soc/meetings/:ref/decisions',
    summary: 'Record a cohort decision at a meeting (Band 1, Band 2, not selected, de-selected with reason)',
    tag: TAG,
    permission: 'soc:manage',
    params: refParams,
    body: decisionSchema,
    response: apiNominal,
    status: 201,
    handler: async ({ request, user, params, body }) => {
      await soc.decide(user, params.ref, body, request.id)
      return toApi((await soc.get(user, body.prisonerNumber, request.id)).nominal)
    },
  })
}

function casePlanApi(app: FastifyInstance, api: Api, soc: SocService) {
  api.route(app, {
    operationId: 'recordSocReview',
    method: 'POST',
    url: '/api/v1/soc/nominals/:prisonerNumber/reviews',
    summary: 'Record a review of a case in the cohort (Band 1: SOCU only)',
    tag: TAG,
    permission: 'soc:case',
    params: personParams,
    body: reviewSchema,
    response: z.object({ kind: z.string(), lastReview: z.iso.date() }),
    status: 201,
    handler: async ({ request, user, params, body }) => soc.review(user, params.prisonerNumber, body, request.id),
  })

  api.route(app, {
    operationId: 'addSocPlanAction',
    method: 'POST',
    url: '/api/v1/soc/nominals/:prisonerNumber/plan-actions',
    summary: 'Add an action to the case plan (Band 1: SOCU only)',
    tag: TAG,
    permission: 'soc:case',
    params: personParams,
    body: actionSchema,
    response: recorded.extend({ id: z.number().int() }),
    status: 201,
    handler: async ({ request, user, params, body }) => {
      const { id } = await soc.addAction(user, params.prisonerNumber, body, request.id)
      return { recorded: true as const, id }
    },
  })

  api.route(app, {
    operationId: 'updateSocPlanActionStatus',
    method: 'POST',
    url: '/api/v1/soc/nominals/:prisonerNumber/plan-actions/:id',
    summary: 'Mark a case plan action done, cancelled or open again',
    tag: TAG,
    permission: 'soc:case',
    params: actionParams,
    body: actionStatusSchema,
    response: z.object({ id: z.number().int(), status: z.enum(['open', 'done', 'cancelled']) }),
    handler: async ({ request, user, params, body }) =>
      soc.setActionStatus(user, params.prisonerNumber, params.id, body.status, request.id),
  })
}

function triggerApi(app: FastifyInstance, api: Api, soc: SocService) {
  api.route(app, {
    operationId: 'recordSocTrigger',
    method: 'POST',
    url: '/api/v1/soc/nominals/:prisonerNumber/triggers',
    summary: 'Record a trigger point; it is flagged to SOCU',
    tag: TAG,
    permission: 'soc:trigger',
    params: personParams,
    body: triggerSchema,
    response: recorded.extend({ id: z.number().int() }),
    status: 201,
    handler: async ({ request, user, params, body }) => {
      const { id } = await soc.trigger(user, params.prisonerNumber, body, request.id)
      return { recorded: true as const, id }
    },
  })

  api.route(app, {
    operationId: 'listSocWorkList',
    method: 'GET',
    url: '/api/v1/soc/work-list',
    summary: 'SOCU’s work list: trigger points not yet seen, Band 1 first',
    tag: TAG,
    permission: 'soc:manage',
    response: z.object({
      results: z.array(
        z.object({
          id: z.number().int(),
          prisonerNumber: z.string(),
          band: z.string().nullable(),
          code: z.string(),
          occurredOn: z.iso.date(),
          details: z.string(),
          recordedBy: z.string(),
          prisonId: z.string(),
        }),
      ),
    }),
    handler: async ({ user }) => ({
      results: (await soc.workList(user)).map(t => ({
        id: t.id,
        prisonerNumber: t.prisonerNumber,
        band: t.band,
        code: t.code,
        occurredOn: t.occurredOn,
        details: t.details,
        recordedBy: t.recordedBy,
        prisonId: t.establishmentCode,
      })),
    }),
  })

  api.route(app, {
    operationId: 'markSocTriggerSeen',
    method: 'POST',
    url: '/api/v1/soc/triggers/:id/seen',
    summary: 'Mark a trigger point as seen by SOCU: it leaves the work list',
    tag: TAG,
    permission: 'soc:manage',
    params: numberedParams,
    response: z.object({ id: z.number().int(), seen: z.literal(true) }),
    handler: async ({ request, user, params }) => {
      await soc.markTriggerSeen(user, params.id, request.id)
      return { id: params.id, seen: true as const }
    },
  })
}

function disruptionApi(app: FastifyInstance, api: Api, soc: SocService) {
  api.route(app, {
    operationId: 'recordSocDisruption',
    method: 'POST',
    url: '/api/v1/soc/disruptions',
    summary: 'Record a disruption (for the moderation panel)',
    tag: TAG,
    permission: 'soc:trigger',
    body: disruptionSchema,
    response: created,
    status: 201,
    handler: async ({ request, user, body }) => soc.disrupt(user, body, request.id),
  })

  api.route(app, {
    operationId: 'moderateSocDisruption',
    method: 'POST',
    url: '/api/v1/soc/disruptions/:id/moderation',
    summary: 'Record the moderation panel’s decision on a disruption; 409 once it is moderated',
    tag: TAG,
    permission: 'soc:manage',
    params: disruptionParams,
    body: moderationSchema,
    response: z.object({ id: z.string(), moderation: z.string() }),
    handler: async ({ request, user, params, body }) => soc.moderate(user, params.id, body, request.id),
  })
}

function ocgmApi(app: FastifyInstance, api: Api, soc: SocService) {
  const line = z.number().int()
  api.route(app, {
    operationId: 'importSocOcgmMapping',
    method: 'POST',
    url: '/api/v1/soc/ocgm-imports',
    summary: 'Import the OCGM mapping (its CSV text) and reconcile the OCG nominal flag (SOC PF 4.8)',
    tag: TAG,
    permission: 'soc:manage',
    body: ocgmImportSchema,
    response: z.object({
      id: z.string(),
      rows: z.number().int(),
      matched: z.number().int(),
      rejected: z.array(z.object({ line, reasons: z.array(z.string()) })),
      unmatched: z.array(
        z.object({
          line,
          name: z.string().nullable(),
          prisonNumber: z.string().nullable(),
          pnc: z.string().nullable(),
          group: z.string(),
        }),
      ),
      flagsAdded: z.array(z.string()),
      flagsClosed: z.array(z.string()),
    }),
    status: 201,
    handler: async ({ request, body }) => soc.importOcgm(request.actor(), { fileName: body.fileName, text: body.csv }),
  })

  api.route(app, {
    operationId: 'resolveSocOcgmMember',
    method: 'POST',
    url: '/api/v1/soc/ocgm-members/:id/resolve',
    summary: 'Match an unmatched OCGM member to a person; the OCG nominal flag follows',
    tag: TAG,
    permission: 'soc:manage',
    params: numberedParams,
    body: resolveSchema,
    response: z.object({ added: z.array(z.string()), closed: z.array(z.string()) }),
    handler: async ({ request, user, params, body }) =>
      soc.resolveMember(user, params.id, body.prisonerNumber, request.id),
  })
}

function assuranceApi(app: FastifyInstance, api: Api, soc: SocService) {
  api.route(app, {
    operationId: 'takeSocDipSample',
    method: 'POST',
    url: '/api/v1/soc/dip-samples',
    summary: 'Take and record an equality dip sample of the cohort by a protected characteristic (SOC PF 5.5)',
    tag: TAG,
    permission: 'soc:manage',
    body: dipSampleSchema,
    response: created.extend({
      scope: z.string(),
      characteristic: z.string(),
      threshold: z.number(),
      rows: z.array(
        z.object({
          group: z.string(),
          cohort: z.number().int(),
          population: z.number().int(),
          relativeRate: z.number(),
          disproportionate: z.boolean(),
        }),
      ),
    }),
    status: 201,
    handler: async ({ request, user, body }) => {
      const { id, scope, characteristic, threshold, rows } = await soc.saveDipSample(user, body, request.id)
      return {
        id,
        scope,
        characteristic,
        threshold,
        rows: rows.map(({ group, cohort, population, relativeRate, disproportionate }) => ({
          group,
          cohort,
          population,
          relativeRate,
          disproportionate,
        })),
      }
    },
  })

  api.route(app, {
    operationId: 'recordSocAssuranceVisit',
    method: 'POST',
    url: '/api/v1/soc/visits',
    summary: 'Record SOCU’s quarterly assurance visit to a prison of its region',
    tag: TAG,
    permission: 'soc:manage',
    body: visitSchema,
    response: createdNumber,
    status: 201,
    handler: async ({ request, user, body }) => soc.recordVisit(user, body, request.id),
  })
}
