import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import { AMENDMENT_STATUSES, APPROVER_ROLES, RELATES_TO } from './rules.ts'
import {
  acknowledgeSchema,
  amendmentSchema,
  decisionSchema,
  establishmentQuery,
  idParams,
  instructionSchema,
  logQuery,
  reviseSchema,
  withdrawSchema,
} from './schema.ts'
import type { LssService } from './service.ts'

export const TAG = 'Local Security Strategy'

const apiDecision = z.object({
  role: z.string(),
  decision: z.enum(['approve', 'reject', 'withdraw']),
  decidedBy: z.string(),
  decidedAt: z.string(),
  notes: z.string().nullable(),
  textHash: z.string(),
})

/** An amendment as the API shows it: its route still to go, its text, and every decision on it. */
const apiAmendment = z.object({
  id: z.string(),
  ref: z.string(),
  status: z.enum(AMENDMENT_STATUSES),
  requiredApprovals: z.array(z.enum(APPROVER_ROLES)),
  instructionId: z.string(),
  instructionRef: z.string(),
  establishmentCode: z.string(),
  relatesTo: z.enum(RELATES_TO),
  proposer: z.string(),
  proposedAt: z.string(),
  baseVersion: z.number().int(),
  publishedVersion: z.number().int().nullable(),
  rowVersion: z.number().int(),
  change: z.string(),
  reasoning: z.string(),
  aimAndPurpose: z.string(),
  nationalReference: z.string(),
  localReference: z.string(),
  procedures: z.string(),
  textHash: z.string(),
  decisions: z.array(apiDecision),
})
type ApiAmendment = z.infer<typeof apiAmendment>

function toApiAmendment(view: Awaited<ReturnType<LssService['amendment']>>): ApiAmendment {
  const { amendment: a } = view
  return {
    id: a.id,
    ref: a.ref,
    status: a.status as ApiAmendment['status'],
    requiredApprovals: view.requiredApprovals,
    instructionId: a.instructionId,
    instructionRef: a.instructionRef,
    establishmentCode: a.establishmentCode,
    relatesTo: a.relatesTo as ApiAmendment['relatesTo'],
    proposer: a.proposer,
    proposedAt: a.proposedAt.toISOString(),
    baseVersion: a.baseVersion,
    publishedVersion: a.publishedVersion,
    rowVersion: a.rowVersion,
    change: a.change,
    reasoning: a.reasoning,
    aimAndPurpose: a.aimAndPurpose,
    nationalReference: a.nationalReference,
    localReference: a.localReference,
    procedures: a.procedures,
    textHash: a.textHash,
    decisions: view.decisions.map(d => ({
      role: d.role,
      decision: d.decision as ApiAmendment['decisions'][number]['decision'],
      decidedBy: d.decidedBy,
      decidedAt: d.decidedAt.toISOString(),
      notes: d.notes,
      textHash: d.textHash,
    })),
  }
}

const apiVersion = z.object({
  version: z.number().int(),
  aimAndPurpose: z.string(),
  nationalReference: z.string(),
  localReference: z.string(),
  procedures: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  amendmentId: z.string().nullable(),
})

/** The strategy's instructions: listing, publishing, their versions, and confirming one has been read. */
export function instructionApi(app: FastifyInstance, api: Api, lss: LssService) {
  api.route(app, {
    operationId: 'listLssInstructions',
    method: 'GET',
    url: '/api/v1/lss/instructions',
    summary: 'The current instructions of an establishment’s Local Security Strategy',
    tag: TAG,
    permission: 'lss:read',
    query: establishmentQuery,
    response: z.object({
      establishment: z.string(),
      hash: z.string(),
      results: z.array(
        z.object({
          id: z.string(),
          ref: z.string(),
          riskArea: z.string(),
          title: z.string(),
          owner: z.string(),
          version: z.number().int(),
        }),
      ),
    }),
    handler: async ({ user, query }) => {
      const strategy = await lss.strategy(user, query.establishment ?? user.establishmentCode)
      return {
        establishment: strategy.establishment.code,
        hash: strategy.hash,
        results: strategy.instructions.map(i => ({
          id: i.id,
          ref: i.ref,
          riskArea: i.riskArea,
          title: i.title,
          owner: i.owner,
          version: i.currentVersion,
        })),
      }
    },
  })

  api.route(app, {
    operationId: 'createLssInstruction',
    method: 'POST',
    url: '/api/v1/lss/instructions',
    summary: 'Publish a new local instruction (LSS owner or nominated editor)',
    tag: TAG,
    permission: 'lss:read',
    body: instructionSchema,
    response: z.object({ id: z.string(), ref: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => lss.createInstruction(user, body, request.id),
  })

  instructionVersionsApi(app, api, lss)
}

function instructionVersionsApi(app: FastifyInstance, api: Api, lss: LssService) {
  api.route(app, {
    operationId: 'listLssInstructionVersions',
    method: 'GET',
    url: '/api/v1/lss/instructions/:id/versions',
    summary: 'Every published version of an instruction, newest first',
    tag: TAG,
    permission: 'lss:read',
    params: idParams,
    response: z.object({ results: z.array(apiVersion) }),
    handler: async ({ request, user, params }) => ({
      results: (await lss.instruction(user, params.id, request.id)).versions.map(v => ({
        version: v.version,
        aimAndPurpose: v.aimAndPurpose,
        nationalReference: v.nationalReference,
        localReference: v.localReference,
        procedures: v.procedures,
        publishedAt: v.publishedAt.toISOString(),
        publishedBy: v.publishedBy,
        amendmentId: v.amendmentId,
      })),
    }),
  })

  api.route(app, {
    operationId: 'acknowledgeLssInstruction',
    method: 'POST',
    url: '/api/v1/lss/instructions/:id/acknowledgements',
    summary:
      'Confirm you have read the current version of an instruction (LSS PF 4.6); give the version you read, and ' +
      'a newer one answers 409',
    tag: TAG,
    permission: 'lss:read',
    params: idParams,
    body: acknowledgeSchema,
    response: z.object({ instructionId: z.string(), ref: z.string(), version: z.number().int() }),
    handler: async ({ request, user, params, body }) =>
      lss.acknowledge(user, params.id, { correlationId: request.id, version: body.version }),
  })
}

/** Amendments: proposing, reading, deciding (final approval publishes), changing the text, withdrawing, the log. */
export function amendmentApi(app: FastifyInstance, api: Api, lss: LssService) {
  api.route(app, {
    operationId: 'proposeLssAmendment',
    method: 'POST',
    url: '/api/v1/lss/amendments',
    summary: 'Propose an amendment (Notification of Amendment); the answer lists the approvals required, in order',
    tag: TAG,
    permission: 'lss:read',
    body: amendmentSchema,
    response: apiAmendment,
    status: 201,
    handler: async ({ request, user, body }) => toApiAmendment(await lss.propose(user, body, request.id)),
  })

  api.route(app, {
    operationId: 'getLssAmendment',
    method: 'GET',
    url: '/api/v1/lss/amendments/:id',
    summary: 'An amendment with its proposed text, the approvals still required and every decision',
    tag: TAG,
    permission: 'lss:read',
    params: idParams,
    response: apiAmendment,
    handler: async ({ request, user, params }) => toApiAmendment(await lss.amendment(user, params.id, request.id)),
  })

  api.route(app, {
    operationId: 'decideLssAmendment',
    method: 'POST',
    url: '/api/v1/lss/amendments/:id/decisions',
    summary:
      'Approve or reject as the approver whose turn it is; the final approval publishes the new version of the ' +
      'instruction (publishedVersion)',
    tag: TAG,
    permission: 'lss:decide',
    params: idParams,
    body: decisionSchema,
    response: apiAmendment,
    handler: async ({ request, user, params, body }) =>
      toApiAmendment(await lss.decide(user, params.id, body, request.id)),
  })

  amendmentChangeApi(app, api, lss)
}

function amendmentChangeApi(app: FastifyInstance, api: Api, lss: LssService) {
  api.route(app, {
    operationId: 'reviseLssAmendment',
    method: 'POST',
    url: '/api/v1/lss/amendments/:id/revisions',
    summary: 'Change the proposed text of an open amendment: approvals given on the old text stop counting',
    tag: TAG,
    permission: 'lss:read',
    params: idParams,
    body: reviseSchema,
    response: apiAmendment,
    handler: async ({ request, user, params, body }) =>
      toApiAmendment(await lss.revise(user, params.id, body, body.seenVersion, request.id)),
  })

  api.route(app, {
    operationId: 'withdrawLssAmendment',
    method: 'POST',
    url: '/api/v1/lss/amendments/:id/withdrawal',
    summary: 'Withdraw an open amendment (its proposer or the LSS owner); it stays in the log as withdrawn',
    tag: TAG,
    permission: 'lss:read',
    params: idParams,
    body: withdrawSchema,
    response: apiAmendment,
    handler: async ({ request, user, params, body }) =>
      toApiAmendment(await lss.withdraw(user, params.id, request.id, { seenVersion: body.seenVersion })),
  })

  api.route(app, {
    operationId: 'getLssAmendmentLog',
    method: 'GET',
    url: '/api/v1/lss/amendment-log',
    summary: 'The amendment log (LSS PF 4.17): every amendment in the caller’s scope with its decisions',
    tag: TAG,
    permission: 'lss:read',
    query: logQuery.omit({ format: true }),
    response: z.object({ results: z.array(z.record(z.string(), z.unknown())) }),
    handler: async ({ user, query }) => ({
      results: (await lss.log(user, query)).map(({ decisions: _decisions, ...row }) => ({
        ...row,
        proposedAt: row.proposedAt.toISOString(),
      })),
    }),
  })
}
