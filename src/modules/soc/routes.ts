import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../../platform/http/api.ts'
import { parseInput, ValidationError } from '../../platform/http/errors.ts'
import { createPages, type FormState, type PageContext, type Pages } from '../../platform/http/pages.ts'
import { SOCU_REGIONS } from '../../platform/reference/establishment-areas.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import { registerSocApi } from './api.ts'
import { NOMINAL_STEPS } from './nominal-steps.ts'
import {
  BANDING_CRITERIA,
  CHARACTERISTICS,
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
  decisionSchema,
  dipSampleQuery,
  dipSampleSchema,
  disruptionParams,
  disruptionSchema,
  meetingSchema,
  moderationSchema,
  nominationSchema,
  numberedParams,
  personParams,
  refParams,
  resolveSchema,
  visitSchema,
} from './schema.ts'
import type { SocService } from './service.ts'

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

const bandQuery = z.object({ band: z.enum(['1', '2']).optional().catch(undefined) })
const briefingQuery = z.object({
  establishment: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
})

/** Serious and organised crime: the cohort, meetings, case plans, triggers, disruptions, OCGM, dip samples. */
export function socRoutes(deps: { soc: SocService; api: Api; navigation: Navigation }) {
  const { soc, api } = deps
  deps.navigation.add({ text: 'SOC', href: '/soc', permission: 'soc:read', order: 40 })
  return async (app: FastifyInstance) => {
    const pages = createPages(app, { views: 'modules/soc/views', locals: { choices: CHOICES } })
    cohortPages(pages, soc)
    nominalPages(pages, soc)
    meetingPages(pages, soc)
    disruptionPages(pages, soc)
    ocgmPages(pages, soc)
    assurancePages(pages, soc)
    registerSocApi(app, api, soc)
  }
}

function cohortPages(pages: Pages, soc: SocService) {
  pages.get('/soc', {
    permission: 'soc:read',
    query: bandQuery,
    handler: async ({ user, query: { band }, render }) => {
      const [cohort, nominated, workList] = await Promise.all([
        soc.list(user, { band, status: band ? undefined : 'selected' }),
        soc.list(user, { status: 'nominated' }),
        user.can('soc:manage') ? soc.workList(user) : [],
      ])
      return render('cohort', { cohort, nominated, band, workList })
    },
  })

  pages.get('/soc/nominate', {
    permission: 'soc:nominate',
    handler: async ({ render }) => render('nominate', { values: {} }),
  })

  pages.post('/soc/nominate', {
    permission: 'soc:nominate',
    body: nominationSchema,
    invalid: 'nominate',
    handler: async ({ user, body, correlationId, redirect }) => {
      const { prisonerNumber } = await soc.nominate(user, body, correlationId)
      return redirect(`/soc/nominals/${prisonerNumber}`, 'Nomination recorded for the next cohort selection meeting')
    },
  })

  pages.post('/soc/triggers/:id/seen', {
    permission: 'soc:manage',
    params: numberedParams,
    handler: async ({ user, params, correlationId, redirect }) => {
      await soc.markTriggerSeen(user, params.id, correlationId)
      return redirect('/soc', 'Trigger point marked as seen')
    },
  })

  pages.get('/soc/briefing', {
    permission: 'soc:read',
    query: briefingQuery,
    handler: async ({ user, query, render }) =>
      render('briefing', await soc.briefing(user, query.establishment ?? user.establishmentCode)),
  })
}

/** The nominal's page, and its forms declared once in NOMINAL_STEPS. */
function nominalPages(pages: Pages, soc: SocService) {
  pages.get('/soc/nominals/:prisonerNumber', {
    permission: 'soc:read',
    params: personParams,
    handler: async ({ user, params, correlationId, render }) =>
      render('nominal', { ...(await soc.get(user, params.prisonerNumber, correlationId)), values: {} }),
  })

  /** The page again with the errors of the one form that failed; someone outside the cohort has no page. */
  async function showAgain(
    { user, params, correlationId, render }: PageContext<{ prisonerNumber: string }, unknown, unknown>,
    form: string,
    { errors, values }: FormState,
  ) {
    if (!(await soc.isVisible(user, params.prisonerNumber)))
      throw new ValidationError(Object.entries(errors.byField).map(([field, { text }]) => ({ field, message: text })))
    return render('nominal', { ...(await soc.get(user, params.prisonerNumber, correlationId)), form, values, errors })
  }

  for (const step of NOMINAL_STEPS) {
    pages.post(`/soc/nominals/:prisonerNumber/${step.path}`, {
      permission: step.permission,
      params: step.params,
      body: step.body,
      invalid: (context, form) => showAgain(context, step.form, form),
      handler: async context => {
        await step.perform(soc, context)
        return context.redirect(`/soc/nominals/${context.params.prisonerNumber}`, step.banner)
      },
    })
  }
}

function meetingPages(pages: Pages, soc: SocService) {
  pages.get('/soc/meetings', {
    permission: 'soc:read',
    handler: async ({ user, render }) => render('meetings', { ...(await meetingLists(soc, user)), values: {} }),
  })

  pages.post('/soc/meetings', {
    permission: 'soc:manage',
    body: meetingSchema,
    invalid: async ({ user, render }, form) => render('meetings', { ...(await meetingLists(soc, user)), ...form }),
    handler: async ({ user, body, correlationId, redirect }) => {
      const { ref } = await soc.createMeeting(user, body, correlationId)
      return redirect(`/soc/meetings/${ref}`, `Meeting ${ref} recorded`)
    },
  })

  pages.get('/soc/meetings/:ref', {
    permission: 'soc:read',
    params: refParams,
    handler: async ({ user, params, correlationId, render }) =>
      render('meeting', { ...(await soc.meeting(user, params.ref, correlationId)), values: {} }),
  })

  pages.post('/soc/meetings/:ref/decisions', {
    permission: 'soc:manage',
    params: refParams,
    body: decisionSchema,
    invalid: async ({ user, params, correlationId, render }, form) =>
      render('meeting', { ...(await soc.meeting(user, params.ref, correlationId)), ...form }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await soc.decide(user, params.ref, body, correlationId)
      return redirect(`/soc/meetings/${params.ref}`, 'Decision recorded')
    },
  })
}

function disruptionPages(pages: Pages, soc: SocService) {
  pages.get('/soc/disruptions', {
    permission: 'soc:read',
    handler: async ({ user, render }) => render('disruptions', { ...(await disruptionLists(soc, user)), values: {} }),
  })

  pages.post('/soc/disruptions', {
    permission: 'soc:trigger',
    body: disruptionSchema,
    invalid: async ({ user, render }, form) =>
      render('disruptions', { ...(await disruptionLists(soc, user)), ...form }),
    handler: async ({ user, body, correlationId, redirect }) => {
      await soc.disrupt(user, body, correlationId)
      return redirect('/soc/disruptions', 'Disruption recorded for moderation')
    },
  })

  pages.post('/soc/disruptions/:id/moderation', {
    permission: 'soc:manage',
    params: disruptionParams,
    body: moderationSchema,
    invalid: async ({ user, params, render }, form) =>
      render('disruptions', { ...(await disruptionLists(soc, user)), moderating: params.id, ...form }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await soc.moderate(user, params.id, body, correlationId)
      return redirect('/soc/disruptions', 'Moderation recorded')
    },
  })
}

type PageUser = PageContext<unknown, unknown, unknown>['user']

/** What each list page shows, with the choices its form offers (prisons and regions by name, groups). */
const meetingLists = async (soc: SocService, user: PageUser) => ({
  meetings: await soc.meetings(user),
  prisons: (await soc.prisonChoices(user)).prisons,
})
const disruptionLists = async (soc: SocService, user: PageUser) => ({
  disruptions: await soc.disruptions(user),
  ...(await soc.groupChoices(user)),
})
const sampleLists = async (soc: SocService, user: PageUser) => ({
  samples: await soc.dipSamples(),
  ...(await soc.prisonChoices(user)),
})
const visitLists = async (soc: SocService, user: PageUser) => ({
  visits: await soc.visits(user),
  prisons: (await soc.prisonChoices(user)).prisons,
})

type Upload = { file?: { filename?: string; toBuffer?: () => Promise<Buffer> } } | undefined

function ocgmPages(pages: Pages, soc: SocService) {
  const lists = async (user: PageContext<unknown, unknown, unknown>['user']) => ({
    imports: await soc.imports(),
    unmatched: await soc.unmatchedMembers(user),
    groups: await soc.groups(user),
  })

  pages.get('/soc/ocgm', {
    permission: 'soc:manage',
    handler: async ({ user, render }) => render('ocgm', await lists(user)),
  })

  pages.post('/soc/ocgm', {
    permission: 'soc:manage',
    invalid: async ({ user, render }, { errors }) => render('ocgm', { errors, ...(await lists(user)) }),
    handler: async ({ request, user, render }) => {
      const upload = (request.body as Upload)?.file
      if (!upload?.toBuffer || !upload.filename) throw ValidationError.field('file', 'Select an OCGM mapping CSV file')
      const result = await soc.importOcgm(request.actor(), { fileName: upload.filename, text: await upload.toBuffer() })
      return render('ocgm', { result, ...(await lists(user)) })
    },
  })

  pages.post('/soc/ocgm/members/:id/resolve', {
    permission: 'soc:manage',
    params: numberedParams,
    body: resolveSchema,
    invalid: async ({ user, params, render }, { errors }) =>
      render('ocgm', { errors, resolving: params.id, ...(await lists(user)) }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await soc.resolveMember(user, params.id, body.prisonerNumber, correlationId)
      return redirect('/soc/ocgm', 'Member matched and the OCG nominal flag reconciled')
    },
  })
}

function assurancePages(pages: Pages, soc: SocService) {
  pages.get('/soc/dip-samples', {
    permission: 'soc:manage',
    query: dipSampleQuery,
    invalid: async ({ user, render }, form) =>
      render('dip-samples', { sample: null, ...(await sampleLists(soc, user)), ...form }),
    handler: async ({ user, query, request, render }) => {
      const asked = query.scope || query.characteristic
      const sample = asked ? await soc.dipSample(user, parseInput(dipSampleSchema, query)) : null
      return render('dip-samples', { sample, ...(await sampleLists(soc, user)), values: request.query })
    },
  })

  pages.post('/soc/dip-samples', {
    permission: 'soc:manage',
    body: dipSampleSchema,
    invalid: async ({ user, render }, form) =>
      render('dip-samples', { sample: null, ...(await sampleLists(soc, user)), ...form }),
    handler: async ({ user, body, correlationId, redirect }) => {
      await soc.saveDipSample(user, body, correlationId)
      return redirect('/soc/dip-samples', 'Dip sample recorded')
    },
  })

  pages.get('/soc/visits', {
    permission: 'soc:read',
    handler: async ({ user, render }) => render('visits', { ...(await visitLists(soc, user)), values: {} }),
  })

  pages.post('/soc/visits', {
    permission: 'soc:manage',
    body: visitSchema,
    invalid: async ({ user, render }, form) => render('visits', { ...(await visitLists(soc, user)), ...form }),
    handler: async ({ user, body, correlationId, redirect }) => {
      await soc.recordVisit(user, body, correlationId)
      return redirect('/soc/visits', 'Assurance visit recorded')
    },
  })
}
