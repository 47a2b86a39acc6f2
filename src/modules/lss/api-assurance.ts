import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import { TAG } from './api.ts'
import type { AssessmentItem } from './risk-assessment.ts'
import {
  ASSESSMENT_ADDITIONS,
  completeSchema,
  editorSchema,
  idParams,
  pgdRequiredSchema,
  refParams,
  significantChangeSchema,
  signSchema,
  startAssessmentSchema,
  statementSchema,
} from './schema.ts'
import type { LssService } from './service.ts'

const iso = (date: Date | null) => date?.toISOString() ?? null

/** A risk assessment as the API shows it: its state and everything gathered in it. */
const apiAssessment = z.object({
  ref: z.string(),
  establishmentCode: z.string(),
  reason: z.string(),
  reasonNote: z.string().nullable(),
  status: z.enum(['in-progress', 'completed']),
  startedAt: z.string(),
  startedBy: z.string(),
  completedAt: z.string().nullable(),
  completedBy: z.string().nullable(),
  summary: z.string().nullable(),
  findings: z.array(
    z.object({
      threatArea: z.string(),
      component: z.string(),
      kind: z.string(),
      text: z.string(),
      evidence: z.array(z.string()),
    }),
  ),
  evidence: z.array(
    z.object({
      source: z.string(),
      title: z.string(),
      link: z.string().nullable(),
      figures: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
  contributors: z.array(z.object({ name: z.string(), department: z.string() })),
  actions: z.array(z.object({ description: z.string(), owner: z.string(), dueDate: z.string(), status: z.string() })),
})

function toApiAssessment(view: Awaited<ReturnType<LssService['assessment']>>): z.infer<typeof apiAssessment> {
  const a = view.assessment
  return {
    ref: a.ref,
    establishmentCode: a.establishmentCode,
    reason: a.reason,
    reasonNote: a.reasonNote,
    status: a.status as 'in-progress' | 'completed',
    startedAt: a.startedAt.toISOString(),
    startedBy: a.startedBy,
    completedAt: iso(a.completedAt),
    completedBy: a.completedBy,
    summary: a.summary,
    findings: view.findings.map(({ threatArea, component, kind, text, evidence }) => ({
      threatArea,
      component,
      kind,
      text,
      evidence,
    })),
    evidence: view.evidence.map(({ source, title, link, figures }) => ({ source, title, link, figures })),
    contributors: view.contributors.map(({ name, department }) => ({ name, department })),
    actions: view.actions.map(({ description, owner, dueDate, status }) => ({ description, owner, dueDate, status })),
  }
}

/** The risk assessment (LSS PF 6): starting, reading, adding to and completing one; significant changes in risk. */
export function assessmentApi(app: FastifyInstance, api: Api, lss: LssService) {
  api.route(app, {
    operationId: 'startLssAssessment',
    method: 'POST',
    url: '/api/v1/lss/assessments',
    summary: 'Start a risk assessment at your establishment, with figures from Portcullis as its first evidence',
    tag: TAG,
    permission: 'lss:assess',
    body: startAssessmentSchema,
    response: z.object({ ref: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => lss.startAssessment(user, body, request.id),
  })

  api.route(app, {
    operationId: 'getLssAssessment',
    method: 'GET',
    url: '/api/v1/lss/assessments/:ref',
    summary: 'A risk assessment with its findings, evidence, contributors and actions',
    tag: TAG,
    permission: 'lss:read',
    params: refParams,
    response: apiAssessment,
    handler: async ({ request, user, params }) => toApiAssessment(await lss.assessment(user, params.ref, request.id)),
  })

  for (const [path, { schema, kind }] of Object.entries(ASSESSMENT_ADDITIONS)) {
    const name = `${kind[0].toUpperCase()}${kind.slice(1)}`
    api.route(app, {
      operationId: `addLssAssessment${name}`,
      method: 'POST',
      url: `/api/v1/lss/assessments/:ref/${path}`,
      summary: `Add a ${kind} to a risk assessment in progress; a completed one answers 409`,
      tag: TAG,
      permission: 'lss:assess',
      params: refParams,
      body: schema as z.ZodType<Record<string, unknown>>,
      response: z.object({ ref: z.string(), kind: z.string() }),
      status: 201,
      handler: async ({ request, user, params, body }) =>
        lss.addToAssessment(user, params.ref, { kind, ...body } as AssessmentItem, request.id),
    })
  }

  assessmentOutcomeApi(app, api, lss)
}

function assessmentOutcomeApi(app: FastifyInstance, api: Api, lss: LssService) {
  api.route(app, {
    operationId: 'completeLssAssessment',
    method: 'POST',
    url: '/api/v1/lss/assessments/:ref/completion',
    summary:
      'Complete a risk assessment: it needs a finding and contributors from two departments; a completed one ' +
      'answers 409',
    tag: TAG,
    permission: 'lss:assess',
    params: refParams,
    body: completeSchema,
    response: z.object({ ref: z.string(), status: z.literal('completed') }),
    handler: async ({ request, user, params, body }) =>
      lss.completeAssessment(user, params.ref, body.summary, request.id),
  })

  api.route(app, {
    operationId: 'recordLssSignificantChange',
    method: 'POST',
    url: '/api/v1/lss/significant-changes',
    summary: 'Record a significant change in risk at your establishment: a new risk assessment falls due at once',
    tag: TAG,
    permission: 'lss:assess',
    body: significantChangeSchema,
    response: z.object({ establishmentCode: z.string(), recordedOn: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => lss.recordSignificantChange(user, body, request.id),
  })
}

const apiStatement = z.object({
  id: z.string(),
  establishmentCode: z.string(),
  establishmentName: z.string(),
  year: z.number().int(),
  statement: z.string(),
  levelOfAssurance: z.string(),
  additionalChecks: z.array(z.string()),
  lssHash: z.string(),
  riskAssessmentRef: z.string(),
  preparedBy: z.string(),
  preparedAt: z.string(),
  governorUsername: z.string().nullable(),
  governorSignedAt: z.string().nullable(),
  pgdUsername: z.string().nullable(),
  pgdSignedAt: z.string().nullable(),
})

async function statementOf(lss: LssService, user: Parameters<LssService['statement']>[0], id: string, cid: string) {
  const s = await lss.statement(user, id, cid)
  return {
    ...s,
    preparedAt: s.preparedAt.toISOString(),
    governorSignedAt: iso(s.governorSignedAt),
    pgdSignedAt: iso(s.pgdSignedAt),
  }
}

/** The annual assurance statement (LSS PF 4.18–4.21) and the LSS owner's settings. */
export function assuranceApi(app: FastifyInstance, api: Api, lss: LssService) {
  api.route(app, {
    operationId: 'prepareLssAssuranceStatement',
    method: 'POST',
    url: '/api/v1/lss/assurance-statements',
    summary:
      'The PGD prepares this year’s assurance statement on the LSS as published, with the level of assurance and the additional checks (LSS PF 4.19–4.20; needs an assessment in the last twelve months)',
    tag: TAG,
    permission: 'lss:set-assurance-level',
    body: statementSchema,
    response: apiStatement,
    status: 201,
    handler: async ({ request, user, body }) => {
      const { id } = await lss.prepareStatement(user, body, request.id)
      return statementOf(lss, user, id, request.id)
    },
  })

  api.route(app, {
    operationId: 'getLssAssuranceStatement',
    method: 'GET',
    url: '/api/v1/lss/assurance-statements/:id',
    summary: 'An assurance statement with who signed it and when',
    tag: TAG,
    permission: 'lss:read',
    params: idParams,
    response: apiStatement,
    handler: async ({ request, user, params }) => statementOf(lss, user, params.id, request.id),
  })

  api.route(app, {
    operationId: 'signLssAssuranceStatement',
    method: 'POST',
    url: '/api/v1/lss/assurance-statements/:id/signatures',
    summary: 'Sign as the Governor or the PGD: two different people, once each',
    tag: TAG,
    permission: 'lss:assure',
    params: idParams,
    body: signSchema,
    response: apiStatement,
    handler: async ({ request, user, params, body }) => {
      await lss.sign(user, params.id, body.role, request.id)
      return statementOf(lss, user, params.id, request.id)
    },
  })

  settingsApi(app, api, lss)
}

function settingsApi(app: FastifyInstance, api: Api, lss: LssService) {
  api.route(app, {
    operationId: 'setLssPgdRequired',
    method: 'PUT',
    url: '/api/v1/lss/settings/pgd-required',
    summary: 'Whether every amendment at your establishment needs the PGD’s agreement (LSS PF 4.16)',
    tag: TAG,
    permission: 'lss:manage',
    body: pgdRequiredSchema,
    response: z.object({ establishmentCode: z.string(), pgdRequired: z.boolean() }),
    handler: async ({ request, user, body }) => lss.setPgdRequired(user, body.pgdRequired, request.id),
  })

  api.route(app, {
    operationId: 'nominateLssEditor',
    method: 'POST',
    url: '/api/v1/lss/editors',
    summary: 'Nominate a member of staff at your establishment to edit the LSS (LSS PF 4.2)',
    tag: TAG,
    permission: 'lss:manage',
    body: editorSchema,
    response: z.object({ establishmentCode: z.string(), username: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => lss.nominateEditor(user, body.editor, request.id),
  })
}
