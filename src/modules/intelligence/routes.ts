import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import { NotFoundError, parseInput, ValidationError } from '../../platform/http/errors.ts'
import { formErrors, paginationView, queryString } from '../../platform/http/forms.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import { pdfField, renderPdf } from '../../platform/views/pdf.ts'
import type { PeopleService } from '../people/service.ts'
import { ENTITY_TYPE_NAMES, ENTITY_TYPES } from './entities.ts'
import {
  actionsFrom,
  GRADING_SCALES,
  gradingLabel,
  NOMINAL_ROLES,
  PURPOSE_NAMES,
  PURPOSES,
  RECIPIENT_TYPE_NAMES,
  RECIPIENT_TYPES,
  type ReportStatus,
  SOURCE_TYPE_NAMES,
  SOURCE_TYPES,
  STATUS_NAMES,
  STATUSES,
  THREAT_AREA_NAMES,
  THREAT_AREAS,
} from './rules.ts'
import {
  closeSchema,
  disseminationSchema,
  doNotLinkSchema,
  entityDecisionSchema,
  gradingSchema,
  linksSchema,
  nominalLinkFormSchema,
  sanitiseSchema,
  searchSchema,
  settingSchema,
  submitFormSchema,
  submitSchema,
} from './schema.ts'
import { type IntelligenceService, SEARCH_PAGE_SIZE } from './service.ts'

const VIEWS = 'modules/intelligence/views'
const refParams = z.object({
  ref: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^IR-[A-Z]{3}-\d{4}-\d{6}$/, 'Enter a report reference like IR-MDI-2026-000123'),
})

/** Names for every code a template shows, in one place. */
const LABELS = {
  sourceTypes: SOURCE_TYPE_NAMES,
  threatAreas: THREAT_AREA_NAMES,
  statuses: STATUS_NAMES,
  recipientTypes: RECIPIENT_TYPE_NAMES,
  purposes: PURPOSE_NAMES,
  entityTypes: ENTITY_TYPE_NAMES,
}
const CHOICES = {
  sourceTypes: SOURCE_TYPES,
  threatAreas: THREAT_AREAS,
  statuses: STATUSES,
  recipientTypes: RECIPIENT_TYPES,
  purposes: PURPOSES,
  entityTypes: ENTITY_TYPES,
  roles: NOMINAL_ROLES,
  scales: GRADING_SCALES,
}

/** Errors about people go to the field they came from: prison numbers, or typed names. */
function nominalField(message: string) {
  return /name/i.test(message) && !/prison number|reference/i.test(message) ? '#names' : '#prisonNumbers'
}

/** "2026-11-23T14:30" typed on the form is a time in Europe/London; the API sends ISO 8601 with an offset. */
function londonLocalToIso(date: string, time: string): string {
  const guess = new Date(`${date}T${time}:00Z`)
  if (Number.isNaN(guess.getTime())) return `${date}T${time}`
  const inLondon = new Date(guess.toLocaleString('en-US', { timeZone: 'Europe/London' }))
  const inUtc = new Date(guess.toLocaleString('en-US', { timeZone: 'UTC' }))
  return new Date(guess.getTime() - (inLondon.getTime() - inUtc.getTime())).toISOString()
}

const apiReport = z.object({
  ref: z.string(),
  status: z.enum(STATUSES),
  establishment: z.string(),
  submittedAt: z.string(),
  occurredAt: z.string(),
  threatAreas: z.array(z.enum(THREAT_AREAS)),
  urgent: z.boolean(),
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
  entities: z.array(z.object({ type: z.string(), value: z.string(), status: z.string() })),
  related: z.array(z.object({ ref: z.string(), submittedAt: z.string() })),
})

type Deps = { intelligence: IntelligenceService; people: PeopleService; api: Api; navigation: Navigation }

/** Intelligence: report, triage, grade, sanitise, link, search, disseminate, network; pages and /api/v1. */
export function intelligenceRoutes(deps: Deps) {
  const { intelligence, people, api } = deps
  deps.navigation.add({
    text: 'Report intelligence',
    href: '/intelligence/report',
    permission: 'intelligence:submit',
    order: 5,
  })
  deps.navigation.add({ text: 'Triage', href: '/intelligence/queue', permission: 'intelligence:assess', order: 20 })
  deps.navigation.add({
    text: 'Intelligence',
    href: '/intelligence/search',
    permission: 'intelligence:read',
    order: 21,
  })

  const cid = (request: FastifyRequest) => request.id

  async function showReport(
    request: FastifyRequest,
    reply: FastifyReply,
    ref: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const user = request.user!
    const view = await intelligence.read(user, ref, cid(request))
    const report = view.report
    const scheme = report.grading?.scheme ?? (await intelligence.gradingScheme(report.establishmentCode))
    const canAssess = user.can('intelligence:assess', {
      establishmentCode: report.establishmentCode,
      compartment: report.compartment,
    })
    return reply.code(status).view(`${VIEWS}/report.njk`, {
      ...view,
      gradingText: gradingLabel(report.grading),
      scheme,
      actions: canAssess ? actionsFrom(report.status as ReportStatus) : [],
      canAssess,
      canDisseminate: user.can('intelligence:disseminate', {
        establishmentCode: report.establishmentCode,
        compartment: report.compartment,
      }),
      canSeeReaders: user.can('intelligence:view-readers', { establishmentCode: report.establishmentCode }),
      labels: LABELS,
      choices: CHOICES,
      ...extra,
    })
  }

  /** Runs an assessment step from the report page: success redirects back; bad input re-shows the page with errors. */
  async function assessStep(
    request: FastifyRequest,
    reply: FastifyReply,
    step: (ref: string) => Promise<unknown>,
    banner: string,
  ) {
    const { ref } = parseInput(refParams, request.params)
    try {
      await step(ref)
      reply.flash(banner)
      return reply.redirect(`/intelligence/reports/${ref}`, 303)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      return showReport(request, reply, ref, { errors: formErrors(error), values: request.body }, 400)
    }
  }

  return async (app: FastifyInstance) => {
    // ---- Reporting ----

    app.get('/intelligence/report', { config: { permission: 'intelligence:submit' } }, async (_request, reply) =>
      reply.view(`${VIEWS}/submit.njk`, {
        values: { submissionKey: randomUUID(), urgent: 'no' },
        labels: LABELS,
        choices: CHOICES,
      }),
    )

    app.post('/intelligence/report', { config: { permission: 'intelligence:submit' } }, async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>
      try {
        const form = parseInput(submitFormSchema, body)
        const input = parseInput(submitSchema, {
          ...body,
          occurredAt:
            body.occurredDate && body.occurredTime
              ? londonLocalToIso(String(body.occurredDate), String(body.occurredTime))
              : '',
          nominals: [
            ...form.prisonNumbers.map(prisonerNumber => ({ prisonerNumber })),
            ...form.names.map(name => ({ name })),
          ],
        })
        const result = await intelligence.submit(request.user!, input, form.submissionKey, cid(request))
        return reply.redirect(`/intelligence/submitted/${result.ref}`, 303)
      } catch (error) {
        const errors = formErrors(error)
        // Field names of the form: the date and time are two inputs, and people are two lists.
        errors.summary = errors.summary.map(item => ({
          ...item,
          href:
            item.href === '#occurredAt'
              ? '#occurredDate'
              : item.href.startsWith('#nominals')
                ? nominalField(item.text)
                : item.href,
        }))
        if (errors.byField.occurredAt) errors.byField.occurredDate = errors.byField.occurredAt
        const nominalError = Object.entries(errors.byField).find(([field]) => field.startsWith('nominals'))
        if (nominalError) errors.byField[nominalField(nominalError[1].text).slice(1)] = nominalError[1]
        return reply.code(400).view(`${VIEWS}/submit.njk`, {
          values: { ...body, threatAreas: [body.threatAreas ?? []].flat() },
          errors,
          labels: LABELS,
          choices: CHOICES,
        })
      }
    })

    app.get(
      '/intelligence/submitted/:ref',
      { config: { permission: 'intelligence:submit' } },
      async (request, reply) => {
        const { ref } = parseInput(refParams, request.params)
        const mine = await intelligence.mine(request.user!, 1)
        if (!mine.some(report => report.ref === ref)) throw new NotFoundError()
        return reply.view(`${VIEWS}/submitted.njk`, { ref })
      },
    )

    app.get('/intelligence/mine', { config: { permission: 'intelligence:submit' } }, async (request, reply) => {
      const page = z.coerce
        .number()
        .int()
        .min(1)
        .catch(1)
        .parse((request.query as { page?: string }).page)
      return reply.view(`${VIEWS}/mine.njk`, {
        reports: await intelligence.mine(request.user!, page),
        page,
        labels: LABELS,
      })
    })

    // ---- Triage and search ----

    app.get('/intelligence/queue', { config: { permission: 'intelligence:assess' } }, async (request, reply) =>
      reply.view(`${VIEWS}/queue.njk`, { reports: await intelligence.queue(request.user!), labels: LABELS }),
    )

    app.get('/intelligence/search', { config: { permission: 'intelligence:read' } }, async (request, reply) => {
      const user = request.user!
      const establishments = (await people.establishments(user)).filter(e => user.inScope(e.code))
      let filters: z.output<typeof searchSchema>
      try {
        filters = parseInput(searchSchema, request.query)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/search.njk`, {
          filters: request.query,
          errors: formErrors(error),
          establishments,
          labels: LABELS,
          choices: CHOICES,
        })
      }
      const { page: _page, ...kept } = filters
      const searched = Object.values(kept).some(Boolean)
      const result = searched ? await intelligence.search(user, filters) : { rows: [], total: 0, totalCapped: false }
      return reply.view(`${VIEWS}/search.njk`, {
        filters,
        searched,
        ...result,
        rows: result.rows.map(row => ({
          ...row,
          gradingText: gradingLabel(
            row.gradingScheme
              ? {
                  scheme: row.gradingScheme as '3x5x2',
                  source: row.gradingSource!,
                  intelligence: row.gradingIntelligence!,
                  handling: row.gradingHandling!,
                }
              : null,
          ),
        })),
        establishments,
        labels: LABELS,
        choices: CHOICES,
        pagination: paginationView(
          filters.page,
          SEARCH_PAGE_SIZE,
          result.total,
          page => `/intelligence/search${queryString({ ...kept, page })}`,
        ),
      })
    })

    // ---- One report ----

    app.get('/intelligence/reports/:ref', { config: { permission: 'intelligence:read' } }, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      return showReport(request, reply, ref)
    })

    app.post('/intelligence/reports/:ref/start', { config: { permission: 'intelligence:assess' } }, (request, reply) =>
      assessStep(
        request,
        reply,
        ref => intelligence.startAssessment(request.user!, ref, cid(request)),
        'Assessment started',
      ),
    )

    app.post(
      '/intelligence/reports/:ref/grading',
      { config: { permission: 'intelligence:assess' } },
      (request, reply) =>
        assessStep(
          request,
          reply,
          ref => intelligence.grade(request.user!, ref, parseInput(gradingSchema, request.body), cid(request)),
          'Report graded',
        ),
    )

    app.post(
      '/intelligence/reports/:ref/sanitised',
      { config: { permission: 'intelligence:assess' } },
      (request, reply) =>
        assessStep(
          request,
          reply,
          ref =>
            intelligence.sanitise(
              request.user!,
              ref,
              parseInput(sanitiseSchema, request.body).sanitisedText,
              cid(request),
            ),
          'Sanitised text saved',
        ),
    )

    app.post('/intelligence/reports/:ref/close', { config: { permission: 'intelligence:assess' } }, (request, reply) =>
      assessStep(
        request,
        reply,
        ref => intelligence.close(request.user!, ref, parseInput(closeSchema, request.body), cid(request)),
        'Report closed',
      ),
    )

    app.post(
      '/intelligence/reports/:ref/nominals',
      { config: { permission: 'intelligence:assess' } },
      (request, reply) =>
        assessStep(
          request,
          reply,
          ref => {
            const link = parseInput(nominalLinkFormSchema, request.body)
            return intelligence
              .links(request.user!, ref, { nominals: [{ prisonerNumber: link.ref, role: link.role }] }, cid(request))
              .catch(error => {
                if (error instanceof ValidationError) throw ValidationError.field('ref', error.fields[0].message)
                throw error
              })
          },
          'Person linked',
        ),
    )

    app.post(
      '/intelligence/reports/:ref/entities',
      { config: { permission: 'intelligence:assess' } },
      (request, reply) =>
        assessStep(
          request,
          reply,
          ref => {
            const entity = parseInput(linksSchema.shape.entities.unwrap().element, request.body)
            return intelligence.links(request.user!, ref, { entities: [entity] }, cid(request)).catch(error => {
              if (error instanceof ValidationError) throw ValidationError.field('value', error.fields[0].message)
              throw error
            })
          },
          'Entity linked',
        ),
    )

    app.post(
      '/intelligence/reports/:ref/entity-decisions',
      { config: { permission: 'intelligence:assess' } },
      (request, reply) =>
        assessStep(
          request,
          reply,
          ref => {
            const decision = parseInput(entityDecisionSchema, request.body)
            return intelligence.decideEntity(request.user!, ref, decision.entityId, decision.decision, cid(request))
          },
          'Entity decision saved',
        ),
    )

    app.get(
      '/intelligence/reports/:ref/disseminate',
      { config: { permission: 'intelligence:disseminate' } },
      async (request, reply) => {
        const { ref } = parseInput(refParams, request.params)
        const view = await intelligence.read(request.user!, ref, cid(request))
        return reply.view(`${VIEWS}/disseminate.njk`, {
          ...view,
          gradingText: gradingLabel(view.report.grading),
          canOverride: request.user!.can('intelligence:override-handling', {
            establishmentCode: view.report.establishmentCode,
          }),
          values: {},
          labels: LABELS,
          choices: CHOICES,
        })
      },
    )

    app.post(
      '/intelligence/reports/:ref/disseminate',
      { config: { permission: 'intelligence:disseminate' } },
      async (request, reply) => {
        const { ref } = parseInput(refParams, request.params)
        try {
          const input = parseInput(disseminationSchema, request.body)
          const { id } = await intelligence.disseminate(request.user!, ref, input, cid(request))
          reply.flash('Dissemination recorded')
          return reply.redirect(`/intelligence/reports/${ref}/disseminations/${id}`, 303)
        } catch (error) {
          const errors = formErrors(error)
          const view = await intelligence.read(request.user!, ref, cid(request))
          return reply.code(400).view(`${VIEWS}/disseminate.njk`, {
            ...view,
            gradingText: gradingLabel(view.report.grading),
            canOverride: request.user!.can('intelligence:override-handling', {
              establishmentCode: view.report.establishmentCode,
            }),
            values: request.body,
            errors,
            labels: LABELS,
            choices: CHOICES,
          })
        }
      },
    )

    app.get(
      '/intelligence/reports/:ref/disseminations/:id',
      { config: { permission: 'intelligence:read' } },
      async (request, reply) => {
        const { ref, id } = parseInput(refParams.extend({ id: z.uuid() }), request.params)
        const view = await intelligence.dissemination(request.user!, ref, id, cid(request))
        const shared = view.dissemination
        // The grade as it was when shared: a later re-grading does not rewrite what the recipient received.
        const gradingAtSharing = {
          scheme: shared.gradingScheme as '3x5x2' | '5x5x5',
          source: shared.gradingSource,
          intelligence: shared.gradingIntelligence,
          handling: shared.gradingHandling,
          conditions: view.report.grading?.conditions ?? null,
        }
        return reply.view(`${VIEWS}/dissemination.njk`, {
          ...view,
          report: { ...view.report, grading: gradingAtSharing },
          gradingText: gradingLabel(gradingAtSharing),
          labels: LABELS,
          choices: CHOICES,
        })
      },
    )

    app.get(
      '/intelligence/reports/:ref/disseminations/:id.pdf',
      { config: { permission: 'intelligence:read' } },
      async (request, reply) => {
        const { ref, id } = parseInput(refParams.extend({ id: z.uuid() }), request.params)
        const view = await intelligence.dissemination(request.user!, ref, id, cid(request))
        const d = view.dissemination
        const grading = {
          scheme: d.gradingScheme as '3x5x2' | '5x5x5',
          source: d.gradingSource,
          intelligence: d.gradingIntelligence,
          handling: d.gradingHandling,
        }
        const handling = `Grading: ${gradingLabel(grading)}. Handling: ${GRADING_SCALES[grading.scheme].handling.find(h => h.code === grading.handling)?.meaning ?? grading.handling}.`
        const pdf = await renderPdf(`Intelligence report ${ref}`, doc => {
          doc.font('Helvetica-Bold').fontSize(10).text(handling)
          doc.moveDown().font('Helvetica-Bold').fontSize(18).text(`Intelligence report ${ref}`)
          pdfField(doc, 'From', view.report.establishmentName)
          pdfField(
            doc,
            'Recipient',
            `${d.recipientName} (${RECIPIENT_TYPE_NAMES[d.recipientType as keyof typeof RECIPIENT_TYPE_NAMES] ?? d.recipientType})`,
          )
          pdfField(doc, 'Lawful purpose', PURPOSE_NAMES[d.purpose as keyof typeof PURPOSE_NAMES] ?? d.purpose)
          pdfField(
            doc,
            'Disseminated',
            `${d.disseminatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC by ${d.authorisedBy}`,
          )
          pdfField(doc, 'Intelligence', d.sanitisedText)
          doc.moveDown().font('Helvetica-Bold').fontSize(10).text(handling)
        })
        return reply
          .type('application/pdf')
          .header('content-disposition', `inline; filename="${ref}-dissemination.pdf"`)
          .send(pdf)
      },
    )

    app.get(
      '/intelligence/reports/:ref/readers',
      { config: { permission: 'intelligence:view-readers' } },
      async (request, reply) => {
        const { ref } = parseInput(refParams, request.params)
        return reply.view(`${VIEWS}/readers.njk`, { ref, readers: await intelligence.readers(request.user!, ref) })
      },
    )

    // ---- Network ----

    app.get('/intelligence/network/:ref', { config: { permission: 'intelligence:read' } }, async (request, reply) => {
      const { ref } = parseInput(z.object({ ref: z.string().trim().toUpperCase().max(20) }), request.params)
      const nominal = await people.findVisible(request.user!, ref)
      if (!nominal) throw new NotFoundError()
      const label = `${nominal.firstName} ${nominal.lastName}`
      const graph = await intelligence.network(
        request.user!,
        { id: nominal.id, ref: nominal.ref, label, establishmentCode: nominal.establishmentCode },
        cid(request),
      )
      // The tables take each link's two ends and each depth's nodes ready-made: looking nodes up in the template
      // costs a pass over every node for every link.
      const byId = new Map(graph.nodes.map(node => [node.id, node]))
      return reply.view(`${VIEWS}/network.njk`, {
        nominal,
        label,
        graph,
        graphJson: JSON.stringify(graph),
        layers: { 1: graph.nodes.filter(n => n.depth === 1), 2: graph.nodes.filter(n => n.depth === 2) },
        links: graph.edges.map(edge => ({ from: byId.get(edge.from), to: byId.get(edge.to), reports: edge.reports })),
        labels: LABELS,
      })
    })

    // ---- Settings: grading scheme and do-not-link list ----

    app.get('/intelligence/settings', { config: { permission: 'intelligence:configure' } }, async (request, reply) =>
      reply.view(`${VIEWS}/settings.njk`, await settingsView(request)),
    )

    app.post(
      '/intelligence/settings/grading-scheme',
      { config: { permission: 'intelligence:configure' } },
      async (request, reply) => {
        try {
          const { gradingScheme } = parseInput(settingSchema, request.body)
          await intelligence.setGradingScheme(request.user!, gradingScheme, cid(request))
          reply.flash(`New reports will be graded under ${gradingScheme}`)
          return reply.redirect('/intelligence/settings', 303)
        } catch (error) {
          return reply
            .code(400)
            .view(`${VIEWS}/settings.njk`, { ...(await settingsView(request)), errors: formErrors(error) })
        }
      },
    )

    app.post(
      '/intelligence/settings/do-not-link',
      { config: { permission: 'intelligence:configure' } },
      async (request, reply) => {
        try {
          await intelligence.addDoNotLink(request.user!, parseInput(doNotLinkSchema, request.body), cid(request))
          reply.flash('Added to the do-not-link list')
          return reply.redirect('/intelligence/settings', 303)
        } catch (error) {
          return reply.code(400).view(`${VIEWS}/settings.njk`, {
            ...(await settingsView(request)),
            values: request.body,
            errors: formErrors(error),
          })
        }
      },
    )

    app.post(
      '/intelligence/settings/do-not-link/:id/remove',
      { config: { permission: 'intelligence:configure' } },
      async (request, reply) => {
        const { id } = parseInput(z.object({ id: z.coerce.number().int().positive() }), request.params)
        await intelligence.removeDoNotLink(request.user!, id, cid(request))
        reply.flash('Removed from the do-not-link list')
        return reply.redirect('/intelligence/settings', 303)
      },
    )

    async function settingsView(request: FastifyRequest) {
      const user = request.user!
      return {
        scheme: await intelligence.gradingScheme(user.establishmentCode),
        doNotLink: await intelligence.doNotLinkList(user),
        labels: LABELS,
        choices: CHOICES,
      }
    }

    // ---- API ----

    api.route(app, {
      operationId: 'submitIntelligenceReport',
      method: 'POST',
      url: '/api/v1/intelligence-reports',
      summary: 'Submit an intelligence report. Send an Idempotency-Key header to make a retry safe.',
      tag: 'Intelligence',
      permission: 'intelligence:submit',
      body: submitSchema,
      response: z.object({ ref: z.string(), status: z.enum(STATUSES) }),
      status: 201,
      handler: async ({ request, reply, user, body }) => {
        const key = String(request.headers['idempotency-key'] ?? randomUUID()).slice(0, 100)
        const result = await intelligence.submit(user, body, key, cid(request))
        if (result.repeated) reply.code(200)
        return { ref: result.ref, status: result.status as ReportStatus }
      },
    })

    api.route(app, {
      operationId: 'searchIntelligenceReports',
      method: 'GET',
      url: '/api/v1/intelligence-reports',
      summary: 'Search reports the caller may read: full text (q) and filters; ranked, 20 a page',
      tag: 'Intelligence',
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
      }),
      handler: async ({ user, query }) => {
        const result = await intelligence.search(user, query)
        return {
          total: result.total,
          totalCapped: result.totalCapped,
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
      url: '/api/v1/intelligence-reports/:ref',
      summary: 'Read a report as the caller may see it (original text only where permitted); the read is audited',
      tag: 'Intelligence',
      permission: 'intelligence:read',
      params: refParams,
      response: apiReport,
      handler: async ({ request, user, params }) =>
        toApiReport(await intelligence.read(user, params.ref, cid(request))),
    })

    api.route(app, {
      operationId: 'gradeIntelligenceReport',
      method: 'POST',
      url: '/api/v1/intelligence-reports/:ref/grading',
      summary: 'Grade or re-grade a report (3x5x2 or 5x5x5); every grading is kept',
      tag: 'Intelligence',
      permission: 'intelligence:assess',
      params: refParams,
      body: gradingSchema,
      response: apiReport,
      handler: async ({ request, user, params, body }) => {
        await intelligence.grade(user, params.ref, body, cid(request))
        return toApiReport(await intelligence.read(user, params.ref, cid(request)))
      },
    })

    api.route(app, {
      operationId: 'linkIntelligenceReport',
      method: 'POST',
      url: '/api/v1/intelligence-reports/:ref/links',
      summary: 'Link people (with a role) and entities to a report',
      tag: 'Intelligence',
      permission: 'intelligence:assess',
      params: refParams,
      body: linksSchema,
      response: apiReport,
      handler: async ({ request, user, params, body }) => {
        await intelligence.links(user, params.ref, body, cid(request))
        return toApiReport(await intelligence.read(user, params.ref, cid(request)))
      },
    })

    api.route(app, {
      operationId: 'disseminateIntelligenceReport',
      method: 'POST',
      url: '/api/v1/intelligence-reports/:ref/disseminations',
      summary: 'Record a dissemination of the sanitised text, with its lawful purpose; handling codes are enforced',
      tag: 'Intelligence',
      permission: 'intelligence:disseminate',
      params: refParams,
      body: disseminationSchema,
      response: z.object({ id: z.string(), handlingCheck: z.enum(['within-terms', 'overridden']) }),
      status: 201,
      handler: async ({ request, user, params, body }) =>
        intelligence.disseminate(user, params.ref, body, cid(request)),
    })
  }
}

function toApiReport(view: Awaited<ReturnType<IntelligenceService['read']>>): z.infer<typeof apiReport> {
  const { report } = view
  return {
    ref: report.ref,
    status: report.status as ReportStatus,
    establishment: report.establishmentCode,
    submittedAt: report.submittedAt.toISOString(),
    occurredAt: report.occurredAt.toISOString(),
    threatAreas: report.threatAreas as z.infer<typeof apiReport>['threatAreas'],
    urgent: report.urgent,
    ...(report.grading ? { grading: report.grading } : {}),
    ...(report.sanitisedText ? { sanitisedText: report.sanitisedText } : {}),
    ...(report.text !== null ? { text: report.text } : {}),
    nominals: view.nominals.map(n =>
      'ref' in n
        ? { prisonerNumber: n.prisonNumber, ref: n.ref, role: n.role, withheld: false }
        : { role: n.role, withheld: true },
    ),
    entities: view.entities.map(e => ({ type: e.type, value: e.value, status: e.status })),
    related: view.related.map(r => ({ ref: r.ref, submittedAt: r.submittedAt.toISOString() })),
  }
}
