import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import { parseInput, ValidationError } from '../../platform/http/errors.ts'
import { formErrors } from '../../platform/http/forms.ts'
import { SOCU_REGIONS } from '../../platform/reference/establishment-areas.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import { prisonNumber } from '../people/schema.ts'
import {
  BANDING_CRITERIA,
  COMMUNITY_TRIGGERS,
  CUSTODY_TRIGGERS,
  DECISION_NAMES,
  DECISIONS,
  DISRUPTION_IMPACTS,
  NOMINATED_BY,
  NOMINATED_BY_NAMES,
  TACTICS,
} from './rules.ts'
import {
  actionSchema,
  actionStatusSchema,
  decisionSchema,
  dipSampleSchema,
  disruptionSchema,
  meetingSchema,
  milestoneSchema,
  moderationSchema,
  nominationSchema,
  resolveSchema,
  reviewSchema,
  triggerSchema,
  visitSchema,
} from './schema.ts'
import { CHARACTERISTICS, type SocService } from './service.ts'

const VIEWS = 'modules/soc/views'
const personParams = z.object({ prisonerNumber: prisonNumber })
const refParams = z.object({ ref: z.string().trim().toUpperCase().max(30) })

const CHOICES = {
  criteria: BANDING_CRITERIA,
  nominatedBy: NOMINATED_BY,
  nominatedByNames: NOMINATED_BY_NAMES,
  decisions: DECISIONS,
  decisionNames: DECISION_NAMES,
  custodyTriggers: CUSTODY_TRIGGERS,
  communityTriggers: COMMUNITY_TRIGGERS,
  tactics: TACTICS,
  impacts: DISRUPTION_IMPACTS,
  characteristics: CHARACTERISTICS,
  regions: SOCU_REGIONS,
}

const apiNominal = z.object({
  prisonerNumber: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  prisonId: z.string(),
  band: z.enum(['1', '2']).nullable(),
  status: z.string(),
  releaseDate: z.iso.date().nullable(),
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
  dueDates: row.dueDates,
})

/** Serious and organised crime: the cohort, meetings, case plans, triggers, disruptions, OCGM, dip samples. */
export function socRoutes(deps: { soc: SocService; api: Api; navigation: Navigation }) {
  const { soc, api } = deps
  deps.navigation.add({ text: 'SOC', href: '/soc', permission: 'soc:read', order: 40 })
  const cid = (request: FastifyRequest) => request.id

  async function showNominal(
    request: FastifyRequest,
    reply: FastifyReply,
    prisonerNumber: string,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const view = await soc.get(request.user!, prisonerNumber, cid(request))
    return reply.code(status).view(`${VIEWS}/nominal.njk`, { ...view, choices: CHOICES, values: {}, ...extra })
  }

  /** A form on the nominal page: success redirects back; bad input re-shows the page with the form's errors. */
  async function nominalStep(
    request: FastifyRequest,
    reply: FastifyReply,
    form: string,
    step: (prisonerNumber: string) => Promise<unknown>,
    banner: string,
  ) {
    const { prisonerNumber } = parseInput(personParams, request.params)
    try {
      await step(prisonerNumber)
      reply.flash(banner)
      return reply.redirect(`/soc/nominals/${prisonerNumber}`, 303)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      // Someone outside the cohort has no SOC page to show the error on: the error page names it instead.
      const showable = await soc
        .list(request.user!, {})
        .then(rows => rows.some(row => row.prisonerNumber === prisonerNumber))
      if (!showable) throw error
      return showNominal(request, reply, prisonerNumber, { form, values: request.body, errors: formErrors(error) }, 400)
    }
  }

  return async (app: FastifyInstance) => {
    const read = { config: { permission: 'soc:read' as const } }
    const manage = { config: { permission: 'soc:manage' as const } }

    app.get('/soc', read, async (request, reply) => {
      const band = z
        .enum(['1', '2'])
        .optional()
        .catch(undefined)
        .parse((request.query as { band?: string }).band)
      const [cohort, nominated] = await Promise.all([
        soc.list(request.user!, { band, status: band ? undefined : 'selected' }),
        soc.list(request.user!, { status: 'nominated' }),
      ])
      return reply.view(`${VIEWS}/cohort.njk`, {
        cohort,
        nominated,
        band,
        workList: request.user!.can('soc:manage') ? await soc.workList(request.user!) : [],
        choices: CHOICES,
      })
    })

    app.get('/soc/nominate', { config: { permission: 'soc:nominate' } }, async (_request, reply) =>
      reply.view(`${VIEWS}/nominate.njk`, { values: {}, choices: CHOICES }),
    )

    app.post('/soc/nominate', { config: { permission: 'soc:nominate' } }, async (request, reply) => {
      try {
        const { prisonerNumber } = await soc.nominate(
          request.user!,
          parseInput(nominationSchema, request.body),
          cid(request),
        )
        reply.flash('Nomination recorded for the next cohort selection meeting')
        return reply.redirect(`/soc/nominals/${prisonerNumber}`, 303)
      } catch (error) {
        return reply
          .code(400)
          .view(`${VIEWS}/nominate.njk`, { values: request.body, errors: formErrors(error), choices: CHOICES })
      }
    })

    app.get('/soc/nominals/:prisonerNumber', read, async (request, reply) => {
      const { prisonerNumber } = parseInput(personParams, request.params)
      return showNominal(request, reply, prisonerNumber)
    })

    app.post('/soc/nominals/:prisonerNumber/reviews', { config: { permission: 'soc:case' } }, (request, reply) =>
      nominalStep(
        request,
        reply,
        'review',
        n => soc.review(request.user!, n, parseInput(reviewSchema, request.body), cid(request)),
        'Review recorded',
      ),
    )
    app.post('/soc/nominals/:prisonerNumber/actions', { config: { permission: 'soc:case' } }, (request, reply) =>
      nominalStep(
        request,
        reply,
        'action',
        n => soc.addAction(request.user!, n, parseInput(actionSchema, request.body), cid(request)),
        'Action added to the case plan',
      ),
    )
    app.post('/soc/nominals/:prisonerNumber/actions/:id', { config: { permission: 'soc:case' } }, (request, reply) => {
      const { id } = z
        .object({ id: z.coerce.number().int().positive() })
        .parse({ id: (request.params as { id: string }).id })
      return nominalStep(
        request,
        reply,
        'action-status',
        n =>
          soc.setActionStatus(request.user!, n, id, parseInput(actionStatusSchema, request.body).status, cid(request)),
        'Action updated',
      )
    })
    app.post('/soc/nominals/:prisonerNumber/milestones', { config: { permission: 'soc:case' } }, (request, reply) =>
      nominalStep(
        request,
        reply,
        'milestone',
        n => soc.recordMilestone(request.user!, n, parseInput(milestoneSchema, request.body), cid(request)),
        'Release hand-off recorded',
      ),
    )
    app.post('/soc/nominals/:prisonerNumber/triggers', { config: { permission: 'soc:trigger' } }, (request, reply) =>
      nominalStep(
        request,
        reply,
        'trigger',
        n => soc.trigger(request.user!, n, parseInput(triggerSchema, request.body), cid(request)),
        'Trigger point recorded and flagged to SOCU',
      ),
    )

    app.post('/soc/triggers/:id/seen', manage, async (request, reply) => {
      const { id } = z.object({ id: z.coerce.number().int().positive() }).parse(request.params)
      await soc.markTriggerSeen(request.user!, id)
      reply.flash('Trigger point marked as seen')
      return reply.redirect('/soc', 303)
    })

    // ---- Meetings ----

    app.get('/soc/meetings', read, async (request, reply) =>
      reply.view(`${VIEWS}/meetings.njk`, {
        meetings: await soc.meetings(request.user!),
        values: {},
        choices: CHOICES,
      }),
    )

    app.post('/soc/meetings', manage, async (request, reply) => {
      try {
        const { ref } = await soc.createMeeting(request.user!, parseInput(meetingSchema, request.body), cid(request))
        reply.flash(`Meeting ${ref} recorded`)
        return reply.redirect(`/soc/meetings/${ref}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/meetings.njk`, {
          meetings: await soc.meetings(request.user!),
          values: request.body,
          errors: formErrors(error),
          choices: CHOICES,
        })
      }
    })

    app.get('/soc/meetings/:ref', read, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      return reply.view(`${VIEWS}/meeting.njk`, {
        ...(await soc.meeting(request.user!, ref)),
        values: {},
        choices: CHOICES,
      })
    })

    app.post('/soc/meetings/:ref/decisions', manage, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      try {
        await soc.decide(request.user!, ref, parseInput(decisionSchema, request.body), cid(request))
        reply.flash('Decision recorded')
        return reply.redirect(`/soc/meetings/${ref}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/meeting.njk`, {
          ...(await soc.meeting(request.user!, ref)),
          values: request.body,
          errors: formErrors(error),
          choices: CHOICES,
        })
      }
    })

    app.get('/soc/briefing', read, async (request, reply) => {
      const establishment = z
        .string()
        .regex(/^[A-Z]{3}$/)
        .catch(request.user!.establishmentCode)
        .parse((request.query as { establishment?: string }).establishment)
      return reply.view(`${VIEWS}/briefing.njk`, {
        ...(await soc.briefing(request.user!, establishment)),
        choices: CHOICES,
      })
    })

    // ---- Disruptions ----

    app.get('/soc/disruptions', read, async (request, reply) =>
      reply.view(`${VIEWS}/disruptions.njk`, {
        disruptions: await soc.disruptions(request.user!),
        values: {},
        choices: CHOICES,
      }),
    )

    app.post('/soc/disruptions', { config: { permission: 'soc:trigger' } }, async (request, reply) => {
      try {
        await soc.disrupt(request.user!, parseInput(disruptionSchema, request.body), cid(request))
        reply.flash('Disruption recorded for moderation')
        return reply.redirect('/soc/disruptions', 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/disruptions.njk`, {
          disruptions: await soc.disruptions(request.user!),
          values: request.body,
          errors: formErrors(error),
          choices: CHOICES,
        })
      }
    })

    app.post('/soc/disruptions/:id/moderation', manage, async (request, reply) => {
      const { id } = z.object({ id: z.uuid() }).parse(request.params)
      try {
        await soc.moderate(request.user!, id, parseInput(moderationSchema, request.body), cid(request))
        reply.flash('Moderation recorded')
        return reply.redirect('/soc/disruptions', 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/disruptions.njk`, {
          disruptions: await soc.disruptions(request.user!),
          values: request.body,
          errors: formErrors(error),
          moderating: id,
          choices: CHOICES,
        })
      }
    })

    // ---- OCGM ----

    app.get('/soc/ocgm', manage, async (request, reply) =>
      reply.view(`${VIEWS}/ocgm.njk`, {
        imports: await soc.imports(),
        unmatched: await soc.unmatchedMembers(request.user!),
        groups: await soc.groups(request.user!),
      }),
    )

    app.post('/soc/ocgm', manage, async (request, reply) => {
      const upload = (request.body as { file?: { filename?: string; toBuffer?: () => Promise<Buffer> } } | undefined)
        ?.file
      try {
        if (!upload?.toBuffer || !upload.filename)
          throw ValidationError.field('file', 'Select an OCGM mapping CSV file')
        const result = await soc.importOcgm(request.actor(), {
          fileName: upload.filename,
          text: (await upload.toBuffer()).toString('utf8'),
        })
        return reply.view(`${VIEWS}/ocgm.njk`, {
          result,
          imports: await soc.imports(),
          unmatched: await soc.unmatchedMembers(request.user!),
          groups: await soc.groups(request.user!),
        })
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/ocgm.njk`, {
          errors: formErrors(error),
          imports: await soc.imports(),
          unmatched: await soc.unmatchedMembers(request.user!),
          groups: await soc.groups(request.user!),
        })
      }
    })

    app.post('/soc/ocgm/members/:id/resolve', manage, async (request, reply) => {
      const { id } = z.object({ id: z.coerce.number().int().positive() }).parse(request.params)
      try {
        await soc.resolveMember(request.user!, id, parseInput(resolveSchema, request.body).prisonerNumber, cid(request))
        reply.flash('Member matched and the OCG nominal flag reconciled')
        return reply.redirect('/soc/ocgm', 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/ocgm.njk`, {
          errors: formErrors(error),
          resolving: id,
          imports: await soc.imports(),
          unmatched: await soc.unmatchedMembers(request.user!),
          groups: await soc.groups(request.user!),
        })
      }
    })

    // ---- Equality dip sample and assurance ----

    app.get('/soc/dip-samples', manage, async (request, reply) => {
      const query = request.query as Record<string, string>
      let sample = null
      let errors: ReturnType<typeof formErrors> | undefined
      if (query.scope || query.characteristic) {
        try {
          sample = await soc.dipSample(request.user!, parseInput(dipSampleSchema, query))
        } catch (error) {
          errors = formErrors(error)
        }
      }
      return reply.code(errors ? 400 : 200).view(`${VIEWS}/dip-samples.njk`, {
        sample,
        samples: await soc.dipSamples(),
        values: query,
        errors,
        choices: CHOICES,
      })
    })

    app.post('/soc/dip-samples', manage, async (request, reply) => {
      try {
        await soc.saveDipSample(request.user!, parseInput(dipSampleSchema, request.body), cid(request))
        reply.flash('Dip sample recorded')
        return reply.redirect('/soc/dip-samples', 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/dip-samples.njk`, {
          sample: null,
          samples: await soc.dipSamples(),
          values: request.body,
          errors: formErrors(error),
          choices: CHOICES,
        })
      }
    })

    app.get('/soc/visits', read, async (request, reply) =>
      reply.view(`${VIEWS}/visits.njk`, { visits: await soc.visits(request.user!), values: {} }),
    )

    app.post('/soc/visits', manage, async (request, reply) => {
      try {
        await soc.recordVisit(request.user!, parseInput(visitSchema, request.body), cid(request))
        reply.flash('Assurance visit recorded')
        return reply.redirect('/soc/visits', 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/visits.njk`, {
          visits: await soc.visits(request.user!),
          values: request.body,
          errors: formErrors(error),
        })
      }
    })

    // ---- API ----

    api.route(app, {
      operationId: 'listSocNominals',
      method: 'GET',
      url: '/api/v1/soc/nominals',
      summary: 'SOC nominals in the caller’s scope, optionally of one band',
      tag: 'Serious and organised crime',
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
      tag: 'Serious and organised crime',
      permission: 'soc:read',
      params: personParams,
      response: apiNominal,
      handler: async ({ request, user, params }) =>
        toApi((await soc.get(user, params.prisonerNumber, cid(request))).nominal),
    })

    api.route(app, {
      operationId: 'nominateSocNominal',
      method: 'POST',
      url: '/api/v1/soc/nominations',
      summary: 'Nominate a person to the next cohort selection meeting',
      tag: 'Serious and organised crime',
      permission: 'soc:nominate',
      body: nominationSchema,
      response: z.object({ prisonerNumber: z.string() }),
      status: 201,
      handler: async ({ request, user, body }) => soc.nominate(user, body, cid(request)),
    })

    api.route(app, {
      operationId: 'recordSocMeeting',
      method: 'POST',
      url: '/api/v1/soc/meetings',
      summary: 'Record a cohort selection or case management meeting',
      tag: 'Serious and organised crime',
      permission: 'soc:manage',
      body: meetingSchema,
      response: z.object({ ref: z.string() }),
      status: 201,
      handler: async ({ request, user, body }) => soc.createMeeting(user, body, cid(request)),
    })

    api.route(app, {
      operationId: 'recordSocMeetingDecision',
      method: 'POST',
      url: '/api/v1/soc/meetings/:ref/decisions',
      summary: 'Record a cohort decision at a meeting (Band 1, Band 2, not selected, de-selected with reason)',
      tag: 'Serious and organised crime',
      permission: 'soc:manage',
      params: refParams,
      body: decisionSchema,
      response: apiNominal,
      status: 201,
      handler: async ({ request, user, params, body }) => {
        await soc.decide(user, params.ref, body, cid(request))
        return toApi((await soc.get(user, body.prisonerNumber, cid(request))).nominal)
      },
    })

    api.route(app, {
      operationId: 'recordSocTrigger',
      method: 'POST',
      url: '/api/v1/soc/nominals/:prisonerNumber/triggers',
      summary: 'Record a trigger point; it is flagged to SOCU',
      tag: 'Serious and organised crime',
      permission: 'soc:trigger',
      params: personParams,
      body: triggerSchema,
      response: z.object({ recorded: z.literal(true) }),
      status: 201,
      handler: async ({ request, user, params, body }) => {
        await soc.trigger(user, params.prisonerNumber, body, cid(request))
        return { recorded: true as const }
      },
    })

    api.route(app, {
      operationId: 'addSocPlanAction',
      method: 'POST',
      url: '/api/v1/soc/nominals/:prisonerNumber/plan-actions',
      summary: 'Add an action to the case plan (Band 1: SOCU only)',
      tag: 'Serious and organised crime',
      permission: 'soc:case',
      params: personParams,
      body: actionSchema,
      response: z.object({ recorded: z.literal(true) }),
      status: 201,
      handler: async ({ request, user, params, body }) => {
        await soc.addAction(user, params.prisonerNumber, body, cid(request))
        return { recorded: true as const }
      },
    })

    api.route(app, {
      operationId: 'recordSocDisruption',
      method: 'POST',
      url: '/api/v1/soc/disruptions',
      summary: 'Record a disruption (for the moderation panel)',
      tag: 'Serious and organised crime',
      permission: 'soc:trigger',
      body: disruptionSchema,
      response: z.object({ id: z.string() }),
      status: 201,
      handler: async ({ request, user, body }) => soc.disrupt(user, body, cid(request)),
    })
  }
}
