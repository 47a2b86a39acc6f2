import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { CurrentUser } from '../../platform/access/user.ts'
import type { Api } from '../../platform/http/api.ts'
import { pageQuery } from '../../platform/http/forms.ts'
import { refParams } from './page-locals.ts'
import {
  actionsOpen,
  GRADING_SCHEMES,
  RECORDED_SOURCE_TYPES,
  REPORT_COMPARTMENTS,
  type ReportStatus,
  SOURCE_TYPES,
  type SourceType,
  STATUSES,
  THREAT_AREAS,
  type ThreatArea,
  WORKFLOW_ACTIONS,
} from './rules.ts'
import {
  disseminationSchema,
  doNotLinkSchema,
  entityDecisionSchema,
  gradingSchema,
  linksSchema,
  restrictSchema,
  sanitiseSchema,
  searchSchema,
  settingSchema,
  submitSchema,
  workflowActionSchema,
} from './schema.ts'
import type { IntelligenceService } from './service.ts'

const apiReport = z.object({
  ref: z.string(),
  status: z.enum(STATUSES),
  establishment: z.string(),
  submittedAt: z.string(),
  occurredAt: z.string(),
  threatAreas: z.array(z.enum(THREAT_AREAS)),
  urgent: z.boolean(),
  /** The need-to-know compartment the report is in, or null when it is open to every reader in scope. */
  compartment: z.string().nullable(),
  grading: z
    .object({
      scheme: z.string(),
      source: z.string(),
      intelligence: z.string(),
      handling: z.string(),
      conditions: z.string().nullable().optional(),
    })
    .optional(),
  sanitisedText: z.string().optional(),
  text: z.string().optional(),
  nominals: z.array(
    z.object({
      prisonerNumber: z.string().nullable().optional(),
      ref: z.string().optional(),
      role: z.string(),
      withheld: z.boolean(),
    }),
  ),
  entities: z.array(z.object({ id: z.number().int(), type: z.string(), value: z.string(), status: z.string() })),
  related: z.array(z.object({ ref: z.string(), submittedAt: z.string() })),
  /** The workflow actions open to the caller now (rules.ts TRANSITIONS). */
  actions: z.array(z.enum(WORKFLOW_ACTIONS)),
})

type ReportView = Awaited<ReturnType<IntelligenceService['read']>>

function toApiReport(view: ReportView, user: CurrentUser): z.infer<typeof apiReport> {
  const { report } = view
  const where = { establishmentCode: report.establishmentCode, compartment: report.compartment }
  const status = report.status as ReportStatus
  return {
    ref: report.ref,
    status,
    establishment: report.establishmentCode,
    submittedAt: report.submittedAt.toISOString(),
    occurredAt: report.occurredAt.toISOString(),
    threatAreas: report.threatAreas as ThreatArea[],
    urgent: report.urgent,
    compartment: report.compartment,
    ...(report.grading ? { grading: report.grading } : {}),
    ...(report.sanitisedText ? { sanitisedText: report.sanitisedText } : {}),
    ...(report.text !== null ? { text: report.text } : {}),
    nominals: view.nominals.map(n =>
      'ref' in n
        ? { prisonerNumber: n.prisonNumber, ref: n.ref, role: n.role, withheld: false }
        : { role: n.role, withheld: true },
    ),
    entities: view.entities.map(e => ({ id: e.id, type: e.type, value: e.value, status: e.status })),
    related: view.related.map(r => ({ ref: r.ref, submittedAt: r.submittedAt.toISOString() })),
    actions: actionsOpen(status, {
      assess: user.can('intelligence:assess', where),
      disseminate: user.can('intelligence:disseminate', where),
    }),
  }
}

const TAG = 'Intelligence'
const REPORT = '/api/v1/intelligence-reports/:ref'

/** /api/v1 for intelligence: every action the pages offer, with the page's permission. */
export function intelligenceApi(api: Api, intelligence: IntelligenceService) {
  return (app: FastifyInstance) => {
    reportApi(app, api, intelligence)
    sentApi(app, api, intelligence)
    assessmentApi(app, api, intelligence)
    readersApi(app, api, intelligence)
    settingsApi(app, api, intelligence)
  }
}

const apiSentReport = z.object({
  ref: z.string(),
  status: z.enum(STATUSES),
  establishment: z.string(),
  establishmentName: z.string(),
  submittedAt: z.string(),
  occurredAt: z.string(),
  location: z.string().nullable(),
  sourceType: z.enum([...SOURCE_TYPES, ...RECORDED_SOURCE_TYPES]),
  threatAreas: z.array(z.enum(THREAT_AREAS)),
  urgent: z.boolean(),
  text: z.string(),
  people: z.array(z.object({ ref: z.string(), name: z.string() })),
})

/** A reporter's own reports, as the "Reports you sent" pages show them: no intelligence:read needed. */
function sentApi(app: FastifyInstance, api: Api, intelligence: IntelligenceService) {
  api.route(app, {
    operationId: 'listMySentIntelligenceReports',
    method: 'GET',
    url: '/api/v1/me/intelligence-reports',
    summary: 'The reports the caller sent, newest first, 25 a page, with where each stands',
    tag: TAG,
    permission: 'intelligence:submit',
    query: pageQuery,
    response: z.object({
      results: z.array(
        z.object({
          ref: z.string(),
          status: z.enum(STATUSES),
          submittedAt: z.string(),
          threatAreas: z.array(z.enum(THREAT_AREAS)),
          urgent: z.boolean(),
        }),
      ),
    }),
    handler: async ({ user, query }) => ({
      results: (await intelligence.mine(user, query.page)).map(r => ({
        ref: r.ref,
        status: r.status as ReportStatus,
        submittedAt: r.submittedAt.toISOString(),
        threatAreas: r.threatAreas as ThreatArea[],
        urgent: r.urgent,
      })),
    }),
  })

  api.route(app, {
    operationId: 'getMySentIntelligenceReport',
    method: 'GET',
    url: '/api/v1/me/intelligence-reports/:ref',
    summary: 'One report the caller sent, in their words as sent, and where it stands; the read is audited',
    tag: TAG,
    permission: 'intelligence:submit',
    params: refParams,
    response: apiSentReport,
    handler: async ({ request, user, params }) => {
      const { report, people } = await intelligence.sentReport(user, params.ref, request.id)
      return {
        ref: report.ref,
        status: report.status as ReportStatus,
        establishment: report.establishmentCode,
        establishmentName: report.establishmentName,
        submittedAt: report.submittedAt.toISOString(),
        occurredAt: report.occurredAt.toISOString(),
        location: report.location,
        sourceType: report.sourceType as SourceType,
        threatAreas: report.threatAreas as ThreatArea[],
        urgent: report.urgent,
        text: report.text,
        people: people.map(p => ({ ref: p.ref, name: `${p.firstName} ${p.lastName}` })),
      }
    },
  })
}

/** Submitting, searching, reading and disseminating reports. */
function reportApi(app: FastifyInstance, api: Api, intelligence: IntelligenceService) {
  api.route(app, {
    operationId: 'submitIntelligenceReport',
    method: 'POST',
    url: '/api/v1/intelligence-reports',
    summary: 'Submit an intelligence report. Send an Idempotency-Key header to make a retry safe.',
    tag: TAG,
    permission: 'intelligence:submit',
    body: submitSchema,
    response: z.object({ ref: z.string(), status: z.enum(STATUSES) }),
    status: 201,
    // The submission key is the Idempotency-Key: a retry finds the report it made, even after a crash.
    rerunnable: true,
    handler: async ({ request, user, body }) => {
      const key = String(request.headers['idempotency-key'] ?? randomUUID()).slice(0, 255)
      const result = await intelligence.submit(user, body, key, request.id)
      return { ref: result.ref, status: result.status as ReportStatus }
    },
  })

  api.route(app, {
    operationId: 'searchIntelligenceReports',
    method: 'GET',
    url: '/api/v1/intelligence-reports',
    summary: 'Search reports the caller may read: full text (q) and filters; ranked, 20 a page',
    tag: TAG,
    permission: 'intelligence:read',
    query: searchSchema,
    response: z.object({
      results: z.array(
        z.object({
          ref: z.string(),
          status: z.string(),
          establishment: z.string(),
          submittedAt: z.string(),
          threatAreas: z.array(z.string()),
          snippet: z.string().nullable(),
        }),
      ),
      total: z.number().int(),
      totalCapped: z.boolean(),
      onlyCommonWords: z
        .boolean()
        .describe('True when every word of q is too common to search for ("the", "and"): nothing was searched'),
    }),
    handler: async ({ user, query }) => {
      const result = await intelligence.search(user, query)
      return {
        total: result.total,
        totalCapped: result.totalCapped,
        onlyCommonWords: result.onlyCommonWords,
        results: result.rows.map(row => ({
          ref: row.ref,
          status: row.status,
          establishment: row.establishmentCode,
          submittedAt: row.submittedAt.toISOString(),
          threatAreas: row.threatAreas,
          snippet: row.snippet,
        })),
      }
    },
  })

  api.route(app, {
    operationId: 'getIntelligenceReport',
    method: 'GET',
    url: REPORT,
    summary:
      'Read a report as the caller may see it (original text only where permitted), with the workflow actions open to the caller; the read is audited',
    tag: TAG,
    permission: 'intelligence:read',
    params: refParams,
    response: apiReport,
    handler: async ({ request, user, params }) =>
      toApiReport(await intelligence.read(user, params.ref, request.id), user),
  })

  api.route(app, {
    operationId: 'disseminateIntelligenceReport',
    method: 'POST',
    url: `${REPORT}/disseminations`,
    summary: 'Record a dissemination of the sanitised text, with its lawful purpose; handling codes are enforced',
    tag: TAG,
    permission: 'intelligence:disseminate',
    params: refParams,
    body: disseminationSchema,
    response: z.object({ id: z.string(), handlingCheck: z.enum(['within-terms', 'overridden']) }),
    status: 201,
    handler: async ({ request, user, params, body }) => intelligence.disseminate(user, params.ref, body, request.id),
  })
}

/** Who has read a report. */
function readersApi(app: FastifyInstance, api: Api, intelligence: IntelligenceService) {
  api.route(app, {
    operationId: 'listIntelligenceReportReaders',
    method: 'GET',
    url: `${REPORT}/readers`,
    summary: 'Who has viewed a report, newest first, from the audit trail',
    tag: TAG,
    permission: 'intelligence:view-readers',
    params: refParams,
    response: z.object({
      readers: z.array(z.object({ username: z.string(), viewedAt: z.string(), original: z.boolean() })),
    }),
    handler: async ({ user, params }) => ({
      readers: (await intelligence.readers(user, params.ref)).map(event => ({
        username: event.actorUsername,
        viewedAt: event.occurredAt.toISOString(),
        original: (event.details as { original?: unknown }).original === true,
      })),
    }),
  })
}

/** The analyst's steps, each answering the report as the caller now sees it. */
function assessmentApi(app: FastifyInstance, api: Api, intelligence: IntelligenceService) {
  api.route(app, {
    operationId: 'actOnIntelligenceReport',
    method: 'POST',
    url: `${REPORT}/actions`,
    summary:
      'Move a report through its workflow by the action’s name (start-assessment, no-further-action with a note, link-to-existing with a note and linkedToRef); 409 when its status does not allow it. Grading and dissemination have their own calls.',
    tag: TAG,
    permission: 'intelligence:assess',
    params: refParams,
    body: workflowActionSchema,
    response: z.object({ ref: z.string(), status: z.enum(STATUSES) }),
    handler: async ({ request, user, params, body }) => intelligence.takeAction(user, params.ref, body, request.id),
  })

  api.route(app, {
    operationId: 'restrictIntelligenceReport',
    method: 'POST',
    url: `${REPORT}/compartment`,
    summary:
      'Triage decision: put an open report in a need-to-know compartment (staff-corruption or counter-terrorism), with the reason. From then on only the compartment’s holders can find it; stillVisible says whether the caller is one.',
    tag: TAG,
    permission: 'intelligence:assess',
    params: refParams,
    body: restrictSchema,
    response: z.object({ ref: z.string(), compartment: z.enum(REPORT_COMPARTMENTS), stillVisible: z.boolean() }),
    handler: async ({ request, user, params, body }) => {
      const restricted = await intelligence.restrict(user, params.ref, body, request.id)
      return { ...restricted, compartment: body.compartment }
    },
  })

  /** A step that answers the report as the caller now sees it. */
  function step<B extends z.ZodType>(spec: {
    operationId: string
    path: string
    summary: string
    body: B
    run(user: CurrentUser, ref: string, body: z.output<B>, cid: string): Promise<unknown>
  }) {
    api.route(app, {
      operationId: spec.operationId,
      method: 'POST',
      url: `${REPORT}/${spec.path}`,
      summary: spec.summary,
      tag: TAG,
      permission: 'intelligence:assess',
      params: refParams,
      body: spec.body,
      response: apiReport,
      handler: async ({ request, user, params, body }) => {
        await spec.run(user, params.ref, body, request.id)
        return toApiReport(await intelligence.read(user, params.ref, request.id), user)
      },
    })
  }

  step({
    operationId: 'gradeIntelligenceReport',
    path: 'grading',
    summary: 'Grade or re-grade a report (3x5x2 or 5x5x5); every grading is kept',
    body: gradingSchema,
    run: (user, ref, body, cid) => intelligence.grade(user, ref, body, cid),
  })
  step({
    operationId: 'sanitiseIntelligenceReport',
    path: 'sanitised-text',
    summary: 'Write a new sanitised version of a report: the text everyone else sees and every dissemination carries',
    body: sanitiseSchema,
    run: (user, ref, body, cid) => intelligence.sanitise(user, ref, body.sanitisedText, cid),
  })
  step({
    operationId: 'linkIntelligenceReport',
    path: 'links',
    summary: 'Link people (with a role) and entities to a report',
    body: linksSchema,
    run: (user, ref, body, cid) => intelligence.links(user, ref, body, cid),
  })
  step({
    operationId: 'decideIntelligenceReportEntity',
    path: 'entity-decisions',
    summary: 'Accept or reject an entity suggested from the text; a do-not-link value cannot be accepted (409)',
    body: entityDecisionSchema,
    run: (user, ref, body, cid) => intelligence.decideEntity(user, ref, body.entityId, body.decision, cid),
  })
}

const doNotLinkEntry = z.object({
  id: z.number().int(),
  establishmentCode: z.string().nullable(),
  type: z.string(),
  value: z.string(),
  reason: z.string(),
  addedBy: z.string(),
  addedAt: z.string(),
})

/** The establishment's grading scheme and do-not-link list. */
function settingsApi(app: FastifyInstance, api: Api, intelligence: IntelligenceService) {
  const schemeResponse = z.object({ gradingScheme: z.enum(GRADING_SCHEMES) })
  api.route(app, {
    operationId: 'getIntelligenceSettings',
    method: 'GET',
    url: '/api/v1/intelligence-settings',
    summary: 'The grading scheme new reports of the caller’s establishment are graded under',
    tag: TAG,
    permission: 'intelligence:configure',
    response: schemeResponse,
    handler: async ({ user }) => ({ gradingScheme: await intelligence.gradingScheme(user.establishmentCode) }),
  })

  api.route(app, {
    operationId: 'setIntelligenceGradingScheme',
    method: 'PUT',
    url: '/api/v1/intelligence-settings',
    summary: 'Set the grading scheme of new reports at the caller’s establishment; graded reports keep theirs',
    tag: TAG,
    permission: 'intelligence:configure',
    body: settingSchema,
    response: schemeResponse,
    handler: async ({ request, user, body }) => {
      await intelligence.setGradingScheme(user, body.gradingScheme, request.id)
      return { gradingScheme: body.gradingScheme }
    },
  })

  const listed = async (user: CurrentUser) => ({
    values: (await intelligence.doNotLinkList(user)).map(entry => ({ ...entry, addedAt: entry.addedAt.toISOString() })),
  })
  const listResponse = z.object({ values: z.array(doNotLinkEntry) })

  api.route(app, {
    operationId: 'listIntelligenceDoNotLink',
    method: 'GET',
    url: '/api/v1/intelligence-do-not-link',
    summary: 'Values never linked to a report at the caller’s establishment (its own and the national ones)',
    tag: TAG,
    permission: 'intelligence:configure',
    response: listResponse,
    handler: async ({ user }) => listed(user),
  })

  api.route(app, {
    operationId: 'addIntelligenceDoNotLink',
    method: 'POST',
    url: '/api/v1/intelligence-do-not-link',
    summary: 'Put a value on the do-not-link list; links already made to it are flagged',
    tag: TAG,
    permission: 'intelligence:configure',
    body: doNotLinkSchema,
    response: listResponse,
    status: 201,
    handler: async ({ request, user, body }) => {
      await intelligence.addDoNotLink(user, body, request.id)
      return listed(user)
    },
  })

  api.route(app, {
    operationId: 'removeIntelligenceDoNotLink',
    method: 'DELETE',
    url: '/api/v1/intelligence-do-not-link/:id',
    summary: 'Take a value off the do-not-link list',
    tag: TAG,
    permission: 'intelligence:configure',
    params: z.object({ id: z.coerce.number().int().positive() }),
    response: listResponse,
    handler: async ({ request, user, params }) => {
      await intelligence.removeDoNotLink(user, params.id, request.id)
      return listed(user)
    },
  })
}
