import type { FastifyInstance } from 'fastify'
import {
  COMPARTMENT_NAMES,
  COMPARTMENTS,
  DEFAULT_SCOPE,
  ROLE_NAMES,
  ROLES,
  SCOPE_NAMES,
  SCOPES,
} from '../access/roles.ts'
import type { CurrentUser } from '../access/user.ts'
import type { Api } from '../http/api.ts'
import { asList } from '../http/fields.ts'
import { paginationView, queryString } from '../http/forms.ts'
import { createPages, type Pages } from '../http/pages.ts'
import type { Navigation } from '../views/navigation.ts'
import { usersApi } from './api.ts'
import {
  createTokenSchema,
  createUserSchema,
  tokenParams,
  updateUserSchema,
  userListQuery,
  usernameParams,
} from './schema.ts'
import { operatorOf, type UsersService } from './service.ts'

/** What the user pages show: names of roles, scopes and compartments, and the form's choices, given once. */
const LOCALS = {
  roleNames: ROLE_NAMES,
  scopeNames: SCOPE_NAMES,
  compartmentNames: COMPARTMENT_NAMES,
  choices: {
    roles: ROLES.map(value => ({ value, text: ROLE_NAMES[value] })),
    scopes: SCOPES.map(value => ({ value, text: SCOPE_NAMES[value] })),
    compartments: COMPARTMENTS.map(value => ({ value, text: COMPARTMENT_NAMES[value] })),
    defaultScopes: DEFAULT_SCOPE,
  },
}

const userHref = (username: string) => `/admin/users/${encodeURIComponent(username)}`

/** A re-shown form needs checkbox answers as lists, as the first render had them, and never the password. */
function formValues(body: unknown) {
  const { password: _password, _csrf, ...values } = (body ?? {}) as Record<string, unknown>
  return { ...values, roles: asList(values.roles), compartments: asList(values.compartments) }
}

/** Administration of users and API tokens: pages for people, /api/v1/users for systems. */
export function userRoutes(deps: { users: UsersService; api: Api; navigation: Navigation }) {
  deps.navigation.add({ text: 'Users', href: '/admin/users', permission: 'users:manage', order: 90 })

  return async (app: FastifyInstance) => {
    const pages = createPages(app, { views: 'platform/users/views', locals: LOCALS })
    accountPages(pages, deps.users)
    tokenPages(pages, deps.users)
    usersApi(app, deps)
  }
}

function accountPages(pages: Pages, users: UsersService) {
  const form = async (user: CurrentUser, correlationId: string, model: Record<string, unknown>) => ({
    ...model,
    establishments: await users.establishmentOptions(operatorOf(user, correlationId)),
  })

  pages.get('/admin/users', {
    permission: 'users:manage',
    query: userListQuery,
    invalid: async ({ render }, { errors, values }) =>
      render('list', { users: [], total: 0, search: (values as { search?: unknown })?.search, errors }),
    handler: async ({ user, query, correlationId, render }) => {
      const { users: rows, total } = await users.list(operatorOf(user, correlationId), query)
      const href = (page: number) => `/admin/users${queryString({ search: query.search, page })}`
      return render('list', {
        users: rows,
        total,
        search: query.search,
        pagination: paginationView(query.page, users.pageSize, total, href),
      })
    },
  })

  pages.get('/admin/users/new', {
    permission: 'users:manage',
    handler: async ({ user, correlationId, render }) => {
      const values = { establishmentCode: user.establishmentCode, scope: 'establishment', roles: [], compartments: [] }
      return render('form', await form(user, correlationId, { mode: 'create', values }))
    },
  })

  pages.post('/admin/users/new', {
    permission: 'users:manage',
    body: createUserSchema,
    invalid: async ({ user, correlationId, render }, { errors, values }) =>
      render('form', await form(user, correlationId, { mode: 'create', values: formValues(values), errors })),
    handler: async ({ user, body, correlationId, redirect }) => {
      await users.create(operatorOf(user, correlationId), body)
      return redirect(userHref(body.username), `User ${body.username} created`)
    },
  })

  pages.get('/admin/users/:username', {
    permission: 'users:manage',
    params: usernameParams,
    handler: async ({ user, params, correlationId, render }) => {
      const { user: subject, tokens } = await users.get(operatorOf(user, correlationId), params.username)
      return render('show', { subject, tokens, now: new Date() })
    },
  })

  pages.get('/admin/users/:username/edit', {
    permission: 'users:manage',
    params: usernameParams,
    handler: async ({ user, params, correlationId, render }) => {
      const { user: values } = await users.get(operatorOf(user, correlationId), params.username)
      return render('form', await form(user, correlationId, { mode: 'edit', username: params.username, values }))
    },
  })

  pages.post('/admin/users/:username/edit', {
    permission: 'users:manage',
    params: usernameParams,
    body: updateUserSchema,
    invalid: async ({ user, params, correlationId, render }, { errors, values }) =>
      render(
        'form',
        await form(user, correlationId, {
          mode: 'edit',
          username: params.username,
          values: formValues(values),
          errors,
        }),
      ),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await users.update(operatorOf(user, correlationId), params.username, body)
      return redirect(userHref(params.username), 'Changes saved')
    },
  })
}

function tokenPages(pages: Pages, users: UsersService) {
  for (const [path, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    pages.post(`/admin/users/:username/${path}`, {
      permission: 'users:manage',
      params: usernameParams,
      handler: async ({ user, params, correlationId, redirect }) => {
        await users.setActive(operatorOf(user, correlationId), params.username, active)
        const done = active ? 'reactivated' : 'deactivated and signed out'
        return redirect(userHref(params.username), `User ${params.username} ${done}`)
      },
    })
  }

  pages.post('/admin/users/:username/tokens', {
    permission: 'tokens:manage',
    params: usernameParams,
    body: createTokenSchema,
    invalid: async ({ user, params, correlationId, render }, form) => {
      const { user: subject, tokens } = await users.get(operatorOf(user, correlationId), params.username)
      return render('show', { subject, tokens, now: new Date(), ...form })
    },
    handler: async ({ user, params, body, correlationId, render }) => {
      const { token, expiresAt } = await users.createToken(operatorOf(user, correlationId), params.username, body)
      return render('token-created', { username: params.username, name: body.name, token, expiresAt })
    },
  })

  pages.post('/admin/users/:username/tokens/:tokenId/revoke', {
    permission: 'tokens:manage',
    params: tokenParams,
    handler: async ({ user, params, correlationId, redirect }) => {
      await users.revokeToken(operatorOf(user, correlationId), params.username, params.tokenId)
      return redirect(userHref(params.username), 'Token revoked')
    },
  })
}
