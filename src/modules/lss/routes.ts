import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import type { Api } from '../../platform/http/api.ts'
import { ForbiddenError, parseInput, ValidationError } from '../../platform/http/errors.ts'
import { formErrors } from '../../platform/http/forms.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import { pdfField, renderPdf } from '../../platform/views/pdf.ts'
import {
  ADDITIONAL_CHECKS,
  AMENDMENT_STATUS_NAMES,
  AMENDMENT_STATUSES,
  APPROVER_NAMES,
  APPROVER_ROLES,
  ASSURANCE_LEVELS,
  assessmentSupportsAssurance,
  COMPONENT_NAMES,
  COMPONENTS,
  EVIDENCE_SOURCES,
  RELATES_TO,
  RISK_AREA_NAMES,
  RISK_AREAS,
  THREAT_AREAS,
  wordDiff,
} from './rules.ts'
import {
  actionSchema,
  amendmentSchema,
  completeSchema,
  contributorSchema,
  decisionSchema,
  evidenceSchema,
  findingSchema,
  instructionSchema,
  logQuery,
  reviseSchema,
  significantChangeSchema,
  signSchema,
  startAssessmentSchema,
  statementSchema,
} from './schema.ts'
import type { LssService } from './service.ts'

const VIEWS = 'modules/lss/views'
const idParams = z.object({ id: z.uuid({ error: 'Not found' }) })
const refParams = z.object({ ref: z.string().trim().toUpperCase().max(40) })
const establishmentQuery = z.object({
  establishment: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
})

const RELATES_TO_NAMES = {
  'category-a': 'Category A prisoners',
  'restricted-status': 'Restricted Status prisoners',
  none: 'Neither',
} as const

const LABELS = {
  riskAreas: RISK_AREA_NAMES,
  statuses: AMENDMENT_STATUS_NAMES,
  approvers: APPROVER_NAMES,
  components: COMPONENT_NAMES,
  relatesTo: RELATES_TO_NAMES,
}
const CHOICES = {
  riskAreas: RISK_AREAS,
  statuses: AMENDMENT_STATUSES,
  approvers: APPROVER_ROLES,
  components: COMPONENTS,
  threatAreas: THREAT_AREAS,
  relatesTo: RELATES_TO,
  evidenceSources: EVIDENCE_SOURCES,
  assuranceLevels: ASSURANCE_LEVELS,
  additionalChecks: ADDITIONAL_CHECKS,
}

const apiAmendment = z.object({
  id: z.string(),
  ref: z.string(),
  status: z.enum(AMENDMENT_STATUSES),
  requiredApprovals: z.array(z.enum(APPROVER_ROLES)),
  instructionId: z.string(),
  relatesTo: z.enum(RELATES_TO),
})

/** The Local Security Strategy: the document, amendments, awareness, risk assessment and assurance. */
export function lssRoutes(deps: { lss: LssService; api: Api; navigation: Navigation }) {
  const { lss, api } = deps
  deps.navigation.add({ text: 'Security strategy', href: '/lss', permission: 'lss:read', order: 30 })

  const cid = (request: FastifyRequest) => request.id
  const home = (request: FastifyRequest) =>
    parseInput(establishmentQuery, request.query).establishment ?? request.user!.establishmentCode

  function toApiAmendment(view: Awaited<ReturnType<LssService['amendment']>>): z.infer<typeof apiAmendment> {
    return {
      id: view.amendment.id,
      ref: view.amendment.ref,
      status: view.amendment.status as z.infer<typeof apiAmendment>['status'],
      requiredApprovals: view.requiredApprovals,
      instructionId: view.amendment.instructionId,
      relatesTo: view.amendment.relatesTo as z.infer<typeof apiAmendment>['relatesTo'],
    }
  }

  async function showAmendment(
    request: FastifyRequest,
    reply: FastifyReply,
    ref: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const view = await lss.amendmentByRef(request.user!, ref)
    const { amendment, base } = view
    const diff = {
      aimAndPurpose: wordDiff(base.aimAndPurpose, amendment.aimAndPurpose),
      nationalReference: wordDiff(base.nationalReference, amendment.nationalReference),
      localReference: wordDiff(base.localReference, amendment.localReference),
      procedures: wordDiff(base.procedures, amendment.procedures),
    }
    const nextApprover = view.requiredApprovals[0]
    return reply.code(status).view(`${VIEWS}/amendment.njk`, {
      ...view,
      diff,
      canDecide: nextApprover !== undefined && request.user!.roles.includes(nextApprover),
      nextApprover,
      labels: LABELS,
      ...extra,
    })
  }

  return async (app: FastifyInstance) => {
    const read = { config: { permission: 'lss:read' as const } }

    // ---- The strategy ----

    app.get('/lss', read, async (request, reply) => {
      const strategy = await lss.strategy(request.user!, home(request))
      return reply.view(`${VIEWS}/strategy.njk`, {
        ...strategy,
        byArea: RISK_AREAS.map(area => ({
          area,
          name: RISK_AREA_NAMES[area],
          instructions: strategy.instructions.filter(i => i.riskArea === area),
        })),
        unread: strategy.instructions.filter(i => !i.acknowledgedAt).length,
        awaiting: await lss.awaiting(request.user!),
        canEdit: await lss.canEdit(request.user!, strategy.establishment.code),
        labels: LABELS,
      })
    })

    app.get('/lss/print', read, async (request, reply) => {
      const strategy = await lss.strategy(request.user!, home(request))
      return reply.view(`${VIEWS}/print.njk`, {
        ...strategy,
        byArea: RISK_AREAS.map(area => ({
          area,
          name: RISK_AREA_NAMES[area],
          instructions: strategy.instructions.filter(i => i.riskArea === area),
        })),
      })
    })

    app.get('/lss/print.pdf', read, async (request, reply) => {
      const strategy = await lss.strategy(request.user!, home(request))
      const pdf = await strategyPdf(strategy)
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="lss-${strategy.establishment.code}.pdf"`)
        .send(pdf)
    })

    app.get('/lss/instructions/new', read, async (request, reply) => {
      if (!(await lss.canEdit(request.user!, request.user!.establishmentCode))) throw new ForbiddenError()
      return reply.view(`${VIEWS}/instruction-new.njk`, { values: {}, labels: LABELS, choices: CHOICES })
    })

    app.post('/lss/instructions/new', read, async (request, reply) => {
      try {
        const { id } = await lss.createInstruction(
          request.user!,
          parseInput(instructionSchema, request.body),
          cid(request),
        )
        reply.flash('Instruction published')
        return reply.redirect(`/lss/instructions/${id}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/instruction-new.njk`, {
          values: request.body,
          errors: formErrors(error),
          labels: LABELS,
          choices: CHOICES,
        })
      }
    })

    app.get('/lss/instructions/:id', read, async (request, reply) => {
      const { id } = parseInput(idParams, request.params)
      const view = await lss.instruction(request.user!, id)
      const query = z
        .object({
          from: z.coerce.number().int().positive().optional().catch(undefined),
          to: z.coerce.number().int().positive().optional().catch(undefined),
        })
        .parse(request.query)
      const current = view.versions[0]
      const fromVersion = view.versions.find(v => v.version === query.from)
      const toVersion = view.versions.find(v => v.version === (query.to ?? current.version)) ?? current
      const changedSinceRead =
        view.acknowledged && view.acknowledged.version < current.version
          ? view.versions.find(v => v.version === view.acknowledged!.version)
          : undefined
      const compareWith = fromVersion ?? changedSinceRead
      const diff = compareWith
        ? {
            from: compareWith.version,
            to: toVersion.version,
            aimAndPurpose: wordDiff(compareWith.aimAndPurpose, toVersion.aimAndPurpose),
            nationalReference: wordDiff(compareWith.nationalReference, toVersion.nationalReference),
            localReference: wordDiff(compareWith.localReference, toVersion.localReference),
            procedures: wordDiff(compareWith.procedures, toVersion.procedures),
          }
        : null
      return reply.view(`${VIEWS}/instruction.njk`, { ...view, current, diff, labels: LABELS })
    })

    app.post('/lss/instructions/:id/acknowledge', read, async (request, reply) => {
      const { id } = parseInput(idParams, request.params)
      await lss.acknowledge(request.user!, id)
      reply.flash('Thank you: you have confirmed you have read this instruction')
      return reply.redirect(`/lss/instructions/${id}`, 303)
    })

    // ---- Amendments ----

    app.get('/lss/instructions/:id/amend', read, async (request, reply) => {
      const { id } = parseInput(idParams, request.params)
      const view = await lss.instruction(request.user!, id)
      if (!view.canEdit) throw new ForbiddenError()
      return reply.view(`${VIEWS}/amend.njk`, {
        ...view,
        current: view.versions[0],
        values: view.versions[0],
        labels: LABELS,
        choices: CHOICES,
      })
    })

    app.post('/lss/instructions/:id/amend', read, async (request, reply) => {
      const { id } = parseInput(idParams, request.params)
      try {
        const input = parseInput(amendmentSchema, { ...(request.body as object), instructionId: id })
        const view = await lss.propose(request.user!, input, cid(request))
        reply.flash(`Amendment ${view.amendment.ref} submitted for authorisation`)
        return reply.redirect(`/lss/amendments/${view.amendment.ref}`, 303)
      } catch (error) {
        const view = await lss.instruction(request.user!, id)
        return reply.code(400).view(`${VIEWS}/amend.njk`, {
          ...view,
          current: view.versions[0],
          values: request.body,
          errors: formErrors(error),
          labels: LABELS,
          choices: CHOICES,
        })
      }
    })

    app.get('/lss/amendments/:ref', read, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      return showAmendment(request, reply, ref)
    })

    app.post('/lss/amendments/:ref/decisions', { config: { permission: 'lss:decide' } }, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      try {
        const input = parseInput(decisionSchema, request.body)
        const { amendment } = await lss.amendmentByRef(request.user!, ref)
        const view = await lss.decide(request.user!, amendment.id, input, cid(request))
        reply.flash(
          view.amendment.status === 'approved'
            ? 'Amendment approved and the new version published'
            : `Decision recorded: ${AMENDMENT_STATUS_NAMES[view.amendment.status as 'approved'].toLowerCase()}`,
        )
        return reply.redirect(`/lss/amendments/${ref}`, 303)
      } catch (error) {
        if (error instanceof ValidationError)
          return showAmendment(request, reply, ref, { errors: formErrors(error), values: request.body }, 400)
        if ((error as { status?: number }).status === 409) {
          return showAmendment(
            request,
            reply,
            ref,
            { errors: { summary: [{ text: (error as Error).message, href: '#decision' }], byField: {} } },
            409,
          )
        }
        throw error
      }
    })

    app.post('/lss/amendments/:ref/revise', read, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      try {
        const input = parseInput(reviseSchema, request.body)
        const { amendment } = await lss.amendmentByRef(request.user!, ref)
        await lss.revise(request.user!, amendment.id, input, input.seenVersion, cid(request))
        reply.flash('Proposed text changed: the amendment goes back for authorisation')
        return reply.redirect(`/lss/amendments/${ref}`, 303)
      } catch (error) {
        if (error instanceof ValidationError)
          return showAmendment(request, reply, ref, { errors: formErrors(error), values: request.body }, 400)
        throw error
      }
    })

    app.post('/lss/amendments/:ref/withdraw', read, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      const { amendment } = await lss.amendmentByRef(request.user!, ref)
      await lss.withdraw(request.user!, amendment.id, cid(request))
      reply.flash('Amendment withdrawn')
      return reply.redirect(`/lss/amendments/${ref}`, 303)
    })

    app.get('/lss/amendments', read, async (request, reply) => {
      let filter: z.output<typeof logQuery>
      try {
        filter = parseInput(logQuery, request.query)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/log.njk`, {
          filter: request.query,
          rows: [],
          errors: formErrors(error),
          labels: LABELS,
          choices: CHOICES,
        })
      }
      const rows = await lss.log(request.user!, filter)
      if (filter.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="lss-amendment-log.csv"')
          .send(amendmentLogCsv(rows))
      }
      return reply.view(`${VIEWS}/log.njk`, {
        filter,
        rows,
        csvQuery: new URLSearchParams({ ...stripUndefined(filter), format: 'csv' }).toString(),
        labels: LABELS,
        choices: CHOICES,
      })
    })

    app.get('/lss/acknowledgements', read, async (request, reply) =>
      reply.view(`${VIEWS}/acknowledgements.njk`, await lss.acknowledgements(request.user!, home(request))),
    )

    // ---- Risk assessment ----

    app.get('/lss/assessments', read, async (request, reply) =>
      reply.view(`${VIEWS}/assessments.njk`, { ...(await lss.assessments(request.user!, home(request))), values: {} }),
    )

    app.post('/lss/assessments', { config: { permission: 'lss:assess' } }, async (request, reply) => {
      try {
        const { ref } = await lss.startAssessment(
          request.user!,
          parseInput(startAssessmentSchema, request.body),
          cid(request),
        )
        return reply.redirect(`/lss/assessments/${ref}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/assessments.njk`, {
          ...(await lss.assessments(request.user!, request.user!.establishmentCode)),
          values: request.body,
          errors: formErrors(error),
        })
      }
    })

    app.post('/lss/significant-changes', { config: { permission: 'lss:assess' } }, async (request, reply) => {
      try {
        await lss.recordSignificantChange(
          request.user!,
          parseInput(significantChangeSchema, request.body),
          cid(request),
        )
        reply.flash('Significant change recorded: a new risk assessment is now due')
        return reply.redirect('/lss/assessments', 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/assessments.njk`, {
          ...(await lss.assessments(request.user!, request.user!.establishmentCode)),
          values: request.body,
          errors: formErrors(error),
        })
      }
    })

    app.get('/lss/assessments/:ref', read, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      return reply.view(`${VIEWS}/assessment.njk`, await assessmentView(request, ref))
    })

    const ADDITIONS = {
      findings: { schema: findingSchema, kind: 'finding' },
      evidence: { schema: evidenceSchema, kind: 'evidence' },
      contributors: { schema: contributorSchema, kind: 'contributor' },
      actions: { schema: actionSchema, kind: 'action' },
    } as const
    for (const [path, { schema, kind }] of Object.entries(ADDITIONS)) {
      app.post(`/lss/assessments/:ref/${path}`, { config: { permission: 'lss:assess' } }, async (request, reply) => {
        const { ref } = parseInput(refParams, request.params)
        try {
          const input = parseInput(schema as z.ZodType, request.body) as Record<string, unknown>
          await lss.addToAssessment(
            request.user!,
            ref,
            { kind, ...input } as Parameters<LssService['addToAssessment']>[2],
            cid(request),
          )
          reply.flash('Added to the assessment')
          return reply.redirect(`/lss/assessments/${ref}#${path}`, 303)
        } catch (error) {
          return reply.code(400).view(`${VIEWS}/assessment.njk`, {
            ...(await assessmentView(request, ref)),
            form: path,
            values: request.body,
            errors: formErrors(error),
          })
        }
      })
    }

    app.post('/lss/assessments/:ref/complete', { config: { permission: 'lss:assess' } }, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      try {
        await lss.completeAssessment(request.user!, ref, parseInput(completeSchema, request.body).summary, cid(request))
        reply.flash('Risk assessment completed')
        return reply.redirect(`/lss/assessments/${ref}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/assessment.njk`, {
          ...(await assessmentView(request, ref)),
          form: 'complete',
          values: request.body,
          errors: formErrors(error),
        })
      }
    })

    async function assessmentView(request: FastifyRequest, ref: string) {
      const view = await lss.assessment(request.user!, ref)
      const grid = THREAT_AREAS.map(area => ({
        area,
        name: RISK_AREA_NAMES[area],
        components: COMPONENTS.map(component => ({
          component,
          name: COMPONENT_NAMES[component],
          findings: view.findings.filter(f => f.threatArea === area && f.component === component),
        })),
      }))
      return { ...view, grid, values: {}, labels: LABELS, choices: CHOICES }
    }

    // ---- Assurance ----

    app.get('/lss/assurance', read, async (request, reply) => {
      const establishmentCode = home(request)
      return reply.view(`${VIEWS}/assurance.njk`, {
        statements: await lss.statements(request.user!, establishmentCode),
        ...(await assessmentCurrency(establishmentCode)),
        establishmentCode,
        values: {},
        choices: CHOICES,
      })
    })

    app.post('/lss/assurance', { config: { permission: 'lss:assure' } }, async (request, reply) => {
      try {
        const { id } = await lss.prepareStatement(
          request.user!,
          parseInput(statementSchema, request.body),
          cid(request),
        )
        return reply.redirect(`/lss/assurance/${id}`, 303)
      } catch (error) {
        const establishmentCode = String(
          (request.body as { establishmentCode?: string })?.establishmentCode ?? request.user!.establishmentCode,
        ).toUpperCase()
        const safeCode = request.user!.inScope(establishmentCode) ? establishmentCode : request.user!.establishmentCode
        return reply.code(400).view(`${VIEWS}/assurance.njk`, {
          statements: await lss.statements(request.user!, safeCode),
          ...(await assessmentCurrency(safeCode)),
          establishmentCode: safeCode,
          values: request.body,
          errors: formErrors(error),
          choices: CHOICES,
        })
      }
    })

    app.get('/lss/assurance/:id', read, async (request, reply) => {
      const { id } = parseInput(idParams, request.params)
      return reply.view(`${VIEWS}/statement.njk`, { statement: await lss.statement(request.user!, id) })
    })

    app.post('/lss/assurance/:id/sign', { config: { permission: 'lss:assure' } }, async (request, reply) => {
      const { id } = parseInput(idParams, request.params)
      try {
        await lss.sign(request.user!, id, parseInput(signSchema, request.body).role, cid(request))
        reply.flash('Statement signed')
        return reply.redirect(`/lss/assurance/${id}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/statement.njk`, {
          statement: await lss.statement(request.user!, id),
          errors: formErrors(error),
        })
      }
    })

    /** The last completed assessment, and whether it is recent enough to support a statement (LSS PF 4.21). */
    async function assessmentCurrency(establishmentCode: string) {
      const lastAssessment = await lss.lastCompletedAssessment(establishmentCode)
      const lastDay = lastAssessment?.completedAt ? londonToday(lastAssessment.completedAt) : null
      return { lastAssessment, assessmentCurrent: assessmentSupportsAssurance(lastDay, londonToday(new Date())) }
    }

    // ---- Settings ----

    app.get('/lss/settings', { config: { permission: 'lss:manage' } }, async (request, reply) =>
      reply.view(`${VIEWS}/settings.njk`, {
        pgdRequired: await lss.settings(request.user!.establishmentCode),
        editors: await lss.editors(request.user!),
      }),
    )

    app.post('/lss/settings', { config: { permission: 'lss:manage' } }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>
      try {
        // Two forms post here: the editor form always sends an "editor" field, the PGD form never does.
        if ('editor' in body) {
          const editor = typeof body.editor === 'string' ? body.editor.trim() : ''
          if (!editor) throw ValidationError.field('editor', 'Enter the username of the person to nominate')
          await lss.nominateEditor(request.user!, editor, cid(request))
          reply.flash(`${editor} can now edit the LSS`)
        } else {
          await lss.setPgdRequired(request.user!, body.pgdRequired === 'yes', cid(request))
          reply.flash('Setting saved')
        }
        return reply.redirect('/lss/settings', 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/settings.njk`, {
          pgdRequired: await lss.settings(request.user!.establishmentCode),
          editors: await lss.editors(request.user!),
          values: body,
          errors: formErrors(error),
        })
      }
    })

    // ---- API ----

    api.route(app, {
      operationId: 'listLssInstructions',
      method: 'GET',
      url: '/api/v1/lss/instructions',
      summary: 'The current instructions of an establishment’s Local Security Strategy',
      tag: 'Local Security Strategy',
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
      tag: 'Local Security Strategy',
      permission: 'lss:read',
      body: instructionSchema,
      response: z.object({ id: z.string(), ref: z.string() }),
      status: 201,
      handler: async ({ request, user, body }) => lss.createInstruction(user, body, cid(request)),
    })

    api.route(app, {
      operationId: 'listLssInstructionVersions',
      method: 'GET',
      url: '/api/v1/lss/instructions/:id/versions',
      summary: 'Every published version of an instruction, newest first',
      tag: 'Local Security Strategy',
      permission: 'lss:read',
      params: idParams,
      response: z.object({
        results: z.array(
          z.object({
            version: z.number().int(),
            aimAndPurpose: z.string(),
            nationalReference: z.string(),
            localReference: z.string(),
            procedures: z.string(),
            publishedAt: z.string(),
            publishedBy: z.string(),
            amendmentId: z.string().nullable(),
          }),
        ),
      }),
      handler: async ({ user, params }) => ({
        results: (await lss.instruction(user, params.id)).versions.map(v => ({
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
      operationId: 'proposeLssAmendment',
      method: 'POST',
      url: '/api/v1/lss/amendments',
      summary: 'Propose an amendment (Notification of Amendment); the answer lists the approvals required, in order',
      tag: 'Local Security Strategy',
      permission: 'lss:read',
      body: amendmentSchema,
      response: apiAmendment,
      status: 201,
      handler: async ({ request, user, body }) => toApiAmendment(await lss.propose(user, body, cid(request))),
    })

    api.route(app, {
      operationId: 'decideLssAmendment',
      method: 'POST',
      url: '/api/v1/lss/amendments/:id/decisions',
      summary: 'Approve or reject as the approver whose turn it is; final approval publishes the new version',
      tag: 'Local Security Strategy',
      permission: 'lss:decide',
      params: idParams,
      body: decisionSchema,
      response: apiAmendment,
      handler: async ({ request, user, params, body }) =>
        toApiAmendment(await lss.decide(user, params.id, body, cid(request))),
    })

    api.route(app, {
      operationId: 'getLssAmendmentLog',
      method: 'GET',
      url: '/api/v1/lss/amendment-log',
      summary: 'The amendment log (LSS PF 4.17): every amendment in the caller’s scope with its decisions',
      tag: 'Local Security Strategy',
      permission: 'lss:read',
      query: logQuery.omit({ format: true }),
      response: z.object({ results: z.array(z.record(z.string(), z.unknown())) }),
      handler: async ({ user, query }) => ({
        results: (await lss.log(user, query)).map(row => ({ ...row, proposedAt: row.proposedAt.toISOString() })),
      }),
    })
  }
}

function stripUndefined(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [k, String(v)]),
  )
}

const LOG_COLUMNS = [
  ['ref', 'Reference'],
  ['establishmentCode', 'Establishment'],
  ['instructionRef', 'Instruction'],
  ['instructionTitle', 'Instruction title'],
  ['riskArea', 'Risk area'],
  ['proposer', 'Proposed by'],
  ['proposedAt', 'Proposed at'],
  ['baseVersion', 'Amends version'],
  ['change', 'Change'],
  ['reasoning', 'Reasoning'],
  ['relatesTo', 'Relates to'],
  ['requiredApprovals', 'Authorisation route'],
  ['status', 'Status'],
  ['publishedVersion', 'Published as version'],
  ['textHash', 'Hash of the proposed text'],
  ['decisionSummary', 'Decisions'],
] as const

/** CSV of the log, with formula-looking cells neutralised for spreadsheets. */
export function amendmentLogCsv(rows: readonly Record<string, unknown>[]): string {
  const cell = (value: unknown) => {
    let text =
      value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(' → ') : String(value ?? '')
    if (/^[=+\-@]/.test(text)) text = `'${text}`
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const lines = [LOG_COLUMNS.map(([, header]) => cell(header)).join(',')]
  for (const row of rows) lines.push(LOG_COLUMNS.map(([key]) => cell(row[key])).join(','))
  return `${lines.join('\r\n')}\r\n`
}

/** The whole LSS as one PDF: a title, then each risk area's instructions with the template's fields. */
function strategyPdf(strategy: Awaited<ReturnType<LssService['strategy']>>): Promise<Buffer> {
  return renderPdf(`Local Security Strategy: ${strategy.establishment.name}`, doc => {
    doc.font('Helvetica-Bold').fontSize(22).text('Local Security Strategy')
    doc.font('Helvetica').fontSize(14).text(strategy.establishment.name)
    doc
      .fontSize(9)
      .fillColor('#505a5f')
      .text(`Printed ${new Date().toISOString().slice(0, 10)}. Version hash ${strategy.hash.slice(0, 16)}.`)
    doc.fillColor('#0b0c0c')
    for (const area of RISK_AREAS) {
      const instructions = strategy.instructions.filter(i => i.riskArea === area)
      if (instructions.length === 0) continue
      doc.moveDown(1.5).font('Helvetica-Bold').fontSize(16).text(RISK_AREA_NAMES[area])
      for (const i of instructions) {
        doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(`${i.ref}  ${i.title} (version ${i.currentVersion})`)
        doc.font('Helvetica').fontSize(9).fillColor('#505a5f').text(`Owner: ${i.owner}`).fillColor('#0b0c0c')
        pdfField(doc, 'Aim and purpose', i.aimAndPurpose)
        pdfField(doc, 'National reference', i.nationalReference)
        pdfField(doc, 'Local reference', i.localReference)
        pdfField(doc, 'Local system procedures and requirements', i.procedures)
      }
    }
  })
}
