import type { FastifyInstance } from 'fastify'
import type { CurrentUser } from '../../platform/access/user.ts'
import type { Api } from '../../platform/http/api.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import { paginationView, queryString } from '../../platform/http/forms.ts'
import { createPages, type Pages } from '../../platform/http/pages.ts'
import type { ProfilePanels } from '../../platform/profile/panels.ts'
import { SOCU_REGIONS } from '../../platform/reference/establishment-areas.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import { peopleApi } from './api.ts'
import { fullName, listName } from './names.ts'
import { adminPages } from './pages-admin.ts'
import { categoryDescription, NOMINAL_KIND_NAMES, NOMINAL_KINDS, SECURITY_CATEGORIES } from './rules.ts'
import {
  alertChangeSchema,
  alertParams,
  alertSchema,
  ESTABLISHMENT_FUNCTIONS,
  nominalSchema,
  refParams,
  searchQuery,
  today,
} from './schema.ts'
import { type PeopleService, SEARCH_PAGE_SIZE } from './service.ts'

/** What every people page may show: the choices of its forms, given once. */
const LOCALS = {
  kinds: NOMINAL_KINDS.map(value => ({ value, text: NOMINAL_KIND_NAMES[value] })),
  categories: SECURITY_CATEGORIES,
  functions: ESTABLISHMENT_FUNCTIONS,
  regions: SOCU_REGIONS,
}

export type PeopleRouteDeps = { people: PeopleService; api: Api; navigation: Navigation; panels: ProfilePanels }

/** People: search, profiles, flags, establishments and the prisoner import; pages and /api/v1. */
export function peopleRoutes(deps: PeopleRouteDeps) {
  deps.navigation.add({ text: 'People', href: '/people', permission: 'people:read', order: 10 })
  deps.navigation.add({
    text: 'Establishments',
    href: '/admin/establishments',
    permission: 'reference:manage',
    order: 91,
  })
  deps.navigation.add({ text: 'Import', href: '/admin/imports/prisoners', permission: 'people:import', order: 92 })

  return async (app: FastifyInstance) => {
    const pages = createPages(app, { views: 'modules/people/views', locals: LOCALS })
    personPages(pages, deps)
    flagPages(pages, deps.people)
    adminPages(pages, deps.people)
    peopleApi(app, deps)
  }
}

/** Establishments a user may place a person in, for the forms' lists. */
async function establishmentsInScope(people: PeopleService, user: CurrentUser) {
  return (await people.establishments(user)).filter(e => user.inScope(e.code))
}

function personPages(pages: Pages, { people, panels }: PeopleRouteDeps) {
  pages.get('/people', {
    permission: 'people:read',
    query: searchQuery,
    invalid: async ({ user, render }, { errors, values }) =>
      render('search', { query: values, errors, establishments: await establishmentsInScope(people, user) }),
    handler: async ({ user, query, render }) => {
      const searched = Boolean(query.q || query.kind || query.establishment || query.dateOfBirth)
      const { results, total } = searched ? await people.search(user, query) : { results: [], total: 0 }
      const { page: _page, ...kept } = query
      return render('search', {
        query,
        searched,
        results: results.map(row => ({
          ...row,
          listName: listName(row),
          category: categoryDescription(row.securityCategory),
        })),
        total,
        establishments: await establishmentsInScope(people, user),
        pagination: paginationView(
          query.page,
          SEARCH_PAGE_SIZE,
          total,
          page => `/people${queryString({ ...kept, page })}`,
        ),
      })
    },
  })

  pages.get('/people/new', {
    permission: 'people:manage',
    handler: async ({ user, render }) =>
      render('new', {
        values: { kind: 'prisoner', establishmentCode: user.establishmentCode },
        establishments: await establishmentsInScope(people, user),
      }),
  })

  pages.post('/people/new', {
    permission: 'people:manage',
    body: nominalSchema(today),
    invalid: async ({ user, render }, { errors, values }) =>
      render('new', { values, errors, establishments: await establishmentsInScope(people, user) }),
    handler: async ({ user, body, correlationId, redirect }) => {
      const { ref } = await people.create(user, body, correlationId)
      return redirect(`/people/${encodeURIComponent(ref)}`, `${fullName(body)} added`)
    },
  })

  pages.get('/people/:ref', {
    permission: 'people:read',
    params: refParams,
    handler: async ({ user, params, correlationId, render }) => {
      const profile = await people.profile(user, params.ref, correlationId)
      return render('profile', {
        ...profile,
        name: fullName(profile.nominal),
        kindName: NOMINAL_KIND_NAMES[profile.nominal.kind],
        category: categoryDescription(profile.nominal.securityCategory),
        canManageFlags: user.can('flags:manage', { establishmentCode: profile.nominal.establishmentCode }),
        panels: await panels.load(user, profile.nominal),
      })
    },
  })
}

function flagPages(pages: Pages, people: PeopleService) {
  async function newFlagForm(user: CurrentUser, ref: string) {
    const nominal = await people.findVisible(user, ref)
    if (!nominal) throw new NotFoundError()
    return { nominal, name: fullName(nominal), codes: await people.alertCodes(user) }
  }

  async function changeFlagForm(user: CurrentUser, id: string) {
    const { alert, nominal } = await people.alertForChange(user, id)
    return { alert, nominal, name: fullName(nominal) }
  }

  pages.get('/people/:ref/flags/new', {
    permission: 'flags:manage',
    params: refParams,
    handler: async ({ user, params, render }) =>
      render('flag-new', { ...(await newFlagForm(user, params.ref)), values: { activeFrom: today() } }),
  })

  pages.post('/people/:ref/flags/new', {
    permission: 'flags:manage',
    params: refParams,
    body: alertSchema(today),
    invalid: async ({ user, params, render }, form) =>
      render('flag-new', { ...(await newFlagForm(user, params.ref)), ...form }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await people.addAlert(user, params.ref, body, correlationId)
      return redirect(`/people/${encodeURIComponent(params.ref)}`, 'Flag added')
    },
  })

  pages.get('/flags/:id/change', {
    permission: 'flags:manage',
    params: alertParams,
    handler: async ({ user, params, render }) => render('flag-change', await changeFlagForm(user, params.id)),
  })

  pages.post('/flags/:id/change', {
    permission: 'flags:manage',
    params: alertParams,
    body: alertChangeSchema,
    invalid: async ({ user, params, render }, form) =>
      render('flag-change', { ...(await changeFlagForm(user, params.id)), ...form }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      const result = await people.changeAlert(user, params.id, body, correlationId)
      const done = body.action === 'close' ? 'closed' : 'changed'
      return redirect(`/people/${encodeURIComponent(result.ref)}`, `${result.codeDescription} flag ${done}`)
    },
  })
}
