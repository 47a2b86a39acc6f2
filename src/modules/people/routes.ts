import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { CurrentUser } from '../../platform/access/user.ts'
import type { Db } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import type { Api } from '../../platform/http/api.ts'
import { NotFoundError, parseInput, ValidationError } from '../../platform/http/errors.ts'
import { formErrors, paginationView, queryString } from '../../platform/http/forms.ts'
import type { ProfilePanels } from '../../platform/profile/panels.ts'
import { SOCU_REGIONS } from '../../platform/reference/establishment-areas.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import { importPrisoners, parsePrisonerFile } from './imports.ts'
import type { CurrentAlert } from './repository.ts'
import {
  categoryDescription,
  fullName,
  listName,
  NOMINAL_KIND_NAMES,
  NOMINAL_KINDS,
  SECURITY_CATEGORIES,
} from './rules.ts'
import {
  alertChangeSchema,
  alertSchema,
  ESTABLISHMENT_FUNCTIONS,
  establishmentSchema,
  nominalSchema,
  prisonNumber,
  searchQuery,
} from './schema.ts'
import { type PeopleService, SEARCH_PAGE_SIZE } from './service.ts'

const VIEWS = 'modules/people/views'
const today = () => londonToday(new Date())
const refParams = z.object({ ref: z.string().trim().toUpperCase().max(20) })
const alertParams = z.object({ id: z.uuid({ error: 'Flag not found' }) })
const prisonerParams = z.object({ prisonNumber })

const apiAlert = z.object({
  id: z.string(),
  alertCode: z.string(),
  description: z.string(),
  authorisedBy: z.string().nullable(),
  activeFrom: z.iso.date(),
  activeTo: z.iso.date().nullable(),
  isActive: z.boolean(),
})
const apiPrisoner = z.object({
  prisonerNumber: z.string(),
  bookingId: z.string().nullable(),
  firstName: z.string(),
  middleNames: z.string().nullable(),
  lastName: z.string(),
  dateOfBirth: z.iso.date().nullable(),
  prisonId: z.string(),
  prisonName: z.string(),
  cellLocation: z.string().nullable(),
  category: z.string().nullable(),
  releaseDate: z.iso.date().nullable(),
  pncNumber: z.string().nullable(),
  croNumber: z.string().nullable(),
  inCustody: z.boolean(),
  aliases: z.array(z.object({ firstName: z.string(), lastName: z.string(), dateOfBirth: z.iso.date().nullable() })),
  alerts: z.array(apiAlert),
})

type Deps = { db: Db; people: PeopleService; api: Api; navigation: Navigation; panels: ProfilePanels }

function toApiAlert(alert: CurrentAlert & { isActive: boolean }): z.infer<typeof apiAlert> {
  return {
    id: alert.id,
    alertCode: alert.alertCode,
    description: alert.description ?? alert.codeDescription,
    authorisedBy: alert.authorisedBy,
    activeFrom: alert.activeFrom,
    activeTo: alert.activeTo,
    isActive: alert.isActive,
  }
}

/** People: search, profiles, flags, establishments and the prisoner import; pages and /api/v1. */
export function peopleRoutes(deps: Deps) {
  const { db, people, api, panels } = deps
  deps.navigation.add({ text: 'People', href: '/people', permission: 'people:read', order: 10 })
  deps.navigation.add({
    text: 'Establishments',
    href: '/admin/establishments',
    permission: 'reference:manage',
    order: 91,
  })
  deps.navigation.add({ text: 'Import', href: '/admin/imports/prisoners', permission: 'people:import', order: 92 })

  const correlation = (request: FastifyRequest) => request.id

  return async (app: FastifyInstance) => {
    app.get('/people', { config: { permission: 'people:read' } }, async (request, reply) => {
      const user = request.user!
      const establishments = await people.establishments(user)
      const inScope = establishments.filter(e => user.inScope(e.code))
      let query: z.output<typeof searchQuery>
      try {
        query = parseInput(searchQuery, request.query)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/search.njk`, {
          query: request.query,
          errors: formErrors(error),
          establishments: inScope,
          kinds: kindItems(),
        })
      }
      const searched = Boolean(query.q || query.kind || query.establishment || query.dateOfBirth)
      const { results, total } = searched ? await people.search(user, query) : { results: [], total: 0 }
      const { page: _page, ...kept } = query
      return reply.view(`${VIEWS}/search.njk`, {
        query,
        searched,
        results: results.map(row => ({
          ...row,
          listName: listName(row),
          category: categoryDescription(row.securityCategory),
        })),
        total,
        establishments: inScope,
        kinds: kindItems(),
        pagination: paginationView(
          query.page,
          SEARCH_PAGE_SIZE,
          total,
          page => `/people${queryString({ ...kept, page })}`,
        ),
      })
    })

    app.get('/people/new', { config: { permission: 'people:manage' } }, async (request, reply) =>
      reply.view(`${VIEWS}/new.njk`, {
        values: { kind: 'prisoner', establishmentCode: request.user!.establishmentCode },
        ...(await formChoices(request.user!)),
      }),
    )

    app.post('/people/new', { config: { permission: 'people:manage' } }, async (request, reply) => {
      try {
        const input = parseInput(nominalSchema(today), request.body)
        const { ref } = await people.create(request.user!, input, correlation(request))
        reply.flash(`${fullName(input)} added`)
        return reply.redirect(`/people/${encodeURIComponent(ref)}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/new.njk`, {
          values: request.body,
          errors: formErrors(error),
          ...(await formChoices(request.user!)),
        })
      }
    })

    app.get('/people/:ref', { config: { permission: 'people:read' } }, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      const user = request.user!
      const profile = await people.profile(user, ref, correlation(request))
      return reply.view(`${VIEWS}/profile.njk`, {
        ...profile,
        name: fullName(profile.nominal),
        kindName: NOMINAL_KIND_NAMES[profile.nominal.kind],
        category: categoryDescription(profile.nominal.securityCategory),
        canManageFlags: user.can('flags:manage', { establishmentCode: profile.nominal.establishmentCode }),
        panels: await panels.load(user, profile.nominal),
      })
    })

    app.get('/people/:ref/flags/new', { config: { permission: 'flags:manage' } }, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      const nominal = await people.findVisible(request.user!, ref)
      if (!nominal) throw new NotFoundError()
      return reply.view(`${VIEWS}/flag-new.njk`, {
        nominal,
        name: fullName(nominal),
        codes: await people.alertCodes(request.user!),
        values: { activeFrom: today() },
      })
    })

    app.post('/people/:ref/flags/new', { config: { permission: 'flags:manage' } }, async (request, reply) => {
      const { ref } = parseInput(refParams, request.params)
      const user = request.user!
      try {
        const input = parseInput(alertSchema(today), request.body)
        await people.addAlert(user, ref, input, correlation(request))
        reply.flash('Flag added')
        return reply.redirect(`/people/${encodeURIComponent(ref)}`, 303)
      } catch (error) {
        const nominal = await people.findVisible(user, ref)
        if (!nominal) throw new NotFoundError()
        return reply.code(400).view(`${VIEWS}/flag-new.njk`, {
          nominal,
          name: fullName(nominal),
          codes: await people.alertCodes(user),
          values: request.body,
          errors: formErrors(error),
        })
      }
    })

    app.get('/flags/:id/change', { config: { permission: 'flags:manage' } }, async (request, reply) => {
      const { id } = parseInput(alertParams, request.params)
      return reply.view(`${VIEWS}/flag-change.njk`, await flagForChange(request.user!, id))
    })

    app.post('/flags/:id/change', { config: { permission: 'flags:manage' } }, async (request, reply) => {
      const { id } = parseInput(alertParams, request.params)
      try {
        const change = parseInput(alertChangeSchema, request.body)
        const result = await people.changeAlert(request.user!, id, change, correlation(request))
        reply.flash(
          change.action === 'close'
            ? `${result.codeDescription} flag closed`
            : `${result.codeDescription} flag changed`,
        )
        return reply.redirect(`/people/${encodeURIComponent(result.ref)}`, 303)
      } catch (error) {
        return reply.code(error instanceof ValidationError ? 400 : 409).view(`${VIEWS}/flag-change.njk`, {
          ...(await flagForChange(request.user!, id)),
          values: request.body,
          errors:
            error instanceof ValidationError
              ? formErrors(error)
              : { summary: [{ text: (error as Error).message, href: '#comment' }], byField: {} },
        })
      }
    })

    app.get('/admin/imports/prisoners', { config: { permission: 'people:import' } }, async (_request, reply) =>
      reply.view(`${VIEWS}/import.njk`, {}),
    )

    app.post('/admin/imports/prisoners', { config: { permission: 'people:import' } }, async (request, reply) => {
      const upload = (request.body as { file?: { filename?: string; toBuffer?: () => Promise<Buffer> } } | undefined)
        ?.file
      const fail = (message: string) =>
        reply.code(400).view(`${VIEWS}/import.njk`, { errors: formErrors(ValidationError.field('file', message)) })
      if (!upload?.toBuffer || !upload.filename) return fail('Select a Prisoner Search JSON file')
      const text = (await upload.toBuffer()).toString('utf8')
      const parsed = parsePrisonerFile(text)
      if ('error' in parsed) return fail(parsed.error)
      const summary = await importPrisoners(db, request.actor(), { fileName: upload.filename, records: parsed.records })
      return reply.view(`${VIEWS}/import.njk`, { summary, fileName: upload.filename })
    })

    app.get('/admin/establishments', { config: { permission: 'reference:manage' } }, async (request, reply) =>
      reply.view(`${VIEWS}/establishments.njk`, { establishments: await people.establishments(request.user!) }),
    )

    const codeParams = z.object({
      code: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, 'Establishment not found'),
    })

    app.get(
      '/admin/establishments/:code/edit',
      { config: { permission: 'reference:manage' } },
      async (request, reply) => {
        const { code } = parseInput(codeParams, request.params)
        return reply.view(`${VIEWS}/establishment-edit.njk`, {
          code,
          values: await people.establishment(code),
          functions: ESTABLISHMENT_FUNCTIONS,
          regions: SOCU_REGIONS,
        })
      },
    )

    app.post(
      '/admin/establishments/:code/edit',
      { config: { permission: 'reference:manage' } },
      async (request, reply) => {
        const { code } = parseInput(codeParams, request.params)
        try {
          const input = parseInput(establishmentSchema, request.body)
          await people.updateEstablishment(request.user!, code, input, correlation(request))
          reply.flash(`${input.name} saved`)
          return reply.redirect('/admin/establishments', 303)
        } catch (error) {
          const body = (request.body ?? {}) as Record<string, unknown>
          return reply.code(400).view(`${VIEWS}/establishment-edit.njk`, {
            code,
            values: {
              ...body,
              highSecurity: body.highSecurity === 'true',
              active: body.active === 'true',
              functions: [body.functions ?? []].flat(),
            },
            errors: formErrors(error),
            functions: ESTABLISHMENT_FUNCTIONS,
            regions: SOCU_REGIONS,
          })
        }
      },
    )

    // ---- API ----

    api.route(app, {
      operationId: 'listEstablishments',
      method: 'GET',
      url: '/api/v1/establishments',
      summary: 'Establishments, the caller’s own first',
      tag: 'People',
      permission: 'home:view',
      response: z.object({
        results: z.array(
          z.object({
            code: z.string(),
            name: z.string(),
            prisonGroup: z.string().nullable(),
            socuRegion: z.string().nullable(),
            highSecurity: z.boolean(),
          }),
        ),
      }),
      handler: async ({ user }) => ({
        results: (await people.establishments(user)).map(e => ({
          code: e.code,
          name: e.name,
          prisonGroup: e.prisonGroup,
          socuRegion: e.socuRegion,
          highSecurity: e.highSecurity,
        })),
      }),
    })

    api.route(app, {
      operationId: 'searchPrisoners',
      method: 'GET',
      url: '/api/v1/prisoners',
      summary:
        'Search prisoners in the caller’s scope by name (misspellings and aliases), prison number or PNC; best match first',
      tag: 'People',
      permission: 'people:read',
      query: searchQuery.omit({ kind: true }),
      response: z.object({ results: z.array(apiPrisoner), total: z.number().int() }),
      handler: async ({ user, query }) => {
        const { results, total } = await people.search(user, { ...query, kind: 'prisoner' })
        return {
          total,
          results: results.map(row =>
            toApiPrisoner(
              row,
              row.aliases,
              row.activeAlerts.map(a => ({ ...a, isActive: true })),
            ),
          ),
        }
      },
    })

    api.route(app, {
      operationId: 'getPrisoner',
      method: 'GET',
      url: '/api/v1/prisoners/:prisonNumber',
      summary: 'A prisoner, with aliases and flags (the read is audited)',
      tag: 'People',
      permission: 'people:read',
      params: prisonerParams,
      response: apiPrisoner,
      handler: async ({ request, user, params }) => {
        const profile = await people.profile(user, params.prisonNumber, correlation(request))
        if (profile.nominal.kind !== 'prisoner') throw new NotFoundError()
        return toApiPrisoner(profile.nominal, profile.aliases, [...profile.activeAlerts, ...profile.inactiveAlerts])
      },
    })

    api.route(app, {
      operationId: 'listPrisonerAlerts',
      method: 'GET',
      url: '/api/v1/prisoners/:prisonNumber/alerts',
      summary: 'A prisoner’s security flags, active and closed',
      tag: 'People',
      permission: 'people:read',
      params: prisonerParams,
      response: z.object({ results: z.array(apiAlert) }),
      handler: async ({ user, params }) => ({
        results: (await people.alerts(user, params.prisonNumber)).alerts.map(toApiAlert),
      }),
    })

    api.route(app, {
      operationId: 'createPrisonerAlert',
      method: 'POST',
      url: '/api/v1/prisoners/:prisonNumber/alerts',
      summary: 'Set a security flag',
      tag: 'People',
      permission: 'flags:manage',
      params: prisonerParams,
      body: alertSchema(today),
      response: apiAlert,
      status: 201,
      handler: async ({ request, user, params, body }) => {
        const { id } = await people.addAlert(user, params.prisonNumber, body, correlation(request))
        const { alerts } = await people.alerts(user, params.prisonNumber)
        return toApiAlert(alerts.find(a => a.id === id)!)
      },
    })

    api.route(app, {
      operationId: 'changeAlert',
      method: 'PATCH',
      url: '/api/v1/alerts/:id',
      summary: 'Amend or close a security flag; the change is kept as a new version',
      tag: 'People',
      permission: 'flags:manage',
      params: alertParams,
      body: alertChangeSchema,
      response: apiAlert,
      handler: async ({ request, user, params, body }) => {
        const result = await people.changeAlert(user, params.id, body, correlation(request))
        return {
          id: params.id,
          alertCode: result.alertCode,
          description: result.description ?? result.codeDescription,
          authorisedBy: result.authorisedBy,
          activeFrom: result.activeFrom,
          activeTo: result.activeTo,
          isActive: result.isActive,
        }
      },
    })
  }

  async function formChoices(user: CurrentUser) {
    const establishments = (await people.establishments(user)).filter(e => user.inScope(e.code))
    return { establishments, kinds: kindItems(), categories: SECURITY_CATEGORIES }
  }

  async function flagForChange(user: CurrentUser, id: string) {
    const { alerts, nominal } = await findAlertForUser(user, id)
    return { alert: alerts, nominal, name: fullName(nominal) }
  }

  async function findAlertForUser(user: CurrentUser, id: string) {
    const alertRow = await db
      .selectFrom('peopleAlert as a')
      .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
      .select(['n.ref'])
      .where('a.id', '=', id)
      .executeTakeFirst()
    if (!alertRow) throw new NotFoundError('That flag does not exist')
    const { nominal, alerts } = await people.alerts(user, alertRow.ref)
    const alert = alerts.find(a => a.id === id)
    if (!alert || !user.can('flags:manage', { establishmentCode: nominal.establishmentCode })) throw new NotFoundError()
    return { alerts: alert, nominal }
  }
}

function kindItems() {
  return NOMINAL_KINDS.map(value => ({ value, text: NOMINAL_KIND_NAMES[value] }))
}

function toApiPrisoner(
  row: {
    prisonNumber: string | null
    bookingId: string | null
    firstName: string
    middleNames: string | null
    lastName: string
    dateOfBirth: string | null
    establishmentCode: string
    establishmentName: string
    cellLocation: string | null
    securityCategory: string | null
    releaseDate: string | null
    pncNumber: string | null
    croNumber: string | null
    inCustody: boolean
  },
  aliases: { firstName: string; lastName: string; dateOfBirth: string | null }[],
  alerts: (CurrentAlert & { isActive: boolean })[],
): z.infer<typeof apiPrisoner> {
  return {
    prisonerNumber: row.prisonNumber!,
    bookingId: row.bookingId,
    firstName: row.firstName,
    middleNames: row.middleNames,
    lastName: row.lastName,
    dateOfBirth: row.dateOfBirth,
    prisonId: row.establishmentCode,
    prisonName: row.establishmentName,
    cellLocation: row.cellLocation,
    category: row.securityCategory,
    releaseDate: row.releaseDate,
    pncNumber: row.pncNumber,
    croNumber: row.croNumber,
    inCustody: row.inCustody,
    aliases: aliases.map(a => ({ firstName: a.firstName, lastName: a.lastName, dateOfBirth: a.dateOfBirth })),
    alerts: alerts.map(toApiAlert),
  }
}
