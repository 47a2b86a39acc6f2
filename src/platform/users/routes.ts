import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import {
  COMPARTMENT_NAMES,
  COMPARTMENTS,
  DEFAULT_SCOPE,
  ROLE_NAMES,
  ROLES,
  SCOPE_NAMES,
  SCOPES,
} from '../access/roles.ts'
import type { Api } from '../http/api.ts'
import { parseInput } from '../http/errors.ts'
import { formErrors, pageQuery, paginationView, queryString } from '../http/forms.ts'
import type { Navigation } from '../views/navigation.ts'
import { createTokenSchema, createUserSchema, updateUserSchema, usernameParams, userResponse } from './schema.ts'
import type { Operator, UsersService } from './service.ts'

const VIEWS = 'platform/users/views'
const listQuery = pageQuery.extend({ search: z.string().trim().max(100).optional().catch(undefined) })
const tokenParams = usernameParams.extend({ tokenId: z.uuid({ error: 'Token not found' }) })

const choices = {
  roles: ROLES.map(value => ({ value, text: ROLE_NAMES[value] })),
  scopes: SCOPES.map(value => ({ value, text: SCOPE_NAMES[value] })),
  compartments: COMPARTMENTS.map(value => ({ value, text: COMPARTMENT_NAMES[value] })),
  defaultScopes: DEFAULT_SCOPE,
}

function operator(request: FastifyRequest): Operator {
  return { actor: request.actor(), user: request.user }
}

/** Administration of users and API tokens: pages for people, /api/v1/users for systems. */
export function userRoutes(deps: { users: UsersService; api: Api; navigation: Navigation }) {
  const { users, api } = deps
  deps.navigation.add({ text: 'Users', href: '/admin/users', permission: 'users:manage', order: 90 })

  return async (app: FastifyInstance) => {
    const permission = { config: { permission: 'users:manage' as const } }

    app.get('/admin/users', permission, async (request, reply) => {
      const query = parseInput(listQuery, request.query)
      const { users: rows, total } = await users.list(operator(request), query)
      return reply.view(`${VIEWS}/list.njk`, {
        users: rows,
        total,
        search: query.search,
        pagination: paginationView(
          query.page,
          users.pageSize,
          total,
          page => `/admin/users${queryString({ search: query.search, page })}`,
        ),
        roleNames: ROLE_NAMES,
      })
    })

    app.get('/admin/users/new', permission, async (request, reply) =>
      reply.view(`${VIEWS}/form.njk`, {
        mode: 'create',
        values: {
          establishmentCode: request.user!.establishmentCode,
          scope: 'establishment',
          roles: [],
          compartments: [],
        },
        establishments: await users.establishmentOptions(operator(request)),
        choices,
      }),
    )

    app.post('/admin/users/new', permission, async (request, reply) => {
      try {
        const input = parseInput(createUserSchema, request.body)
        await users.create(operator(request), input)
        reply.flash(`User ${input.username} created`)
        return reply.redirect(`/admin/users/${encodeURIComponent(input.username)}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/form.njk`, {
          mode: 'create',
          values: withLists(request.body),
          errors: formErrors(error),
          establishments: await users.establishmentOptions(operator(request)),
          choices,
        })
      }
    })

    app.get('/admin/users/:username', permission, async (request, reply) => {
      const { username } = parseInput(usernameParams, request.params)
      const { user, tokens } = await users.get(operator(request), username)
      return reply.view(`${VIEWS}/show.njk`, {
        subject: user,
        tokens,
        roleNames: ROLE_NAMES,
        scopeNames: SCOPE_NAMES,
        compartmentNames: COMPARTMENT_NAMES,
      })
    })

    app.get('/admin/users/:username/edit', permission, async (request, reply) => {
      const { username } = parseInput(usernameParams, request.params)
      const { user } = await users.get(operator(request), username)
      return reply.view(`${VIEWS}/form.njk`, {
        mode: 'edit',
        username,
        values: user,
        establishments: await users.establishmentOptions(operator(request)),
        choices,
      })
    })

    app.post('/admin/users/:username/edit', permission, async (request, reply) => {
      const { username } = parseInput(usernameParams, request.params)
      try {
        const input = parseInput(updateUserSchema, request.body)
        await users.update(operator(request), username, input)
        reply.flash('Changes saved')
        return reply.redirect(`/admin/users/${encodeURIComponent(username)}`, 303)
      } catch (error) {
        return reply.code(400).view(`${VIEWS}/form.njk`, {
          mode: 'edit',
          username,
          values: withLists(request.body),
          errors: formErrors(error),
          establishments: await users.establishmentOptions(operator(request)),
          choices,
        })
      }
    })

    for (const [path, active] of [
      ['deactivate', false],
      ['reactivate', true],
    ] as const) {
      app.post(`/admin/users/:username/${path}`, permission, async (request, reply) => {
        const { username } = parseInput(usernameParams, request.params)
        await users.setActive(operator(request), username, active)
        reply.flash(active ? `User ${username} reactivated` : `User ${username} deactivated and signed out`)
        return reply.redirect(`/admin/users/${encodeURIComponent(username)}`, 303)
      })
    }

    app.post('/admin/users/:username/tokens', { config: { permission: 'tokens:manage' } }, async (request, reply) => {
      const { username } = parseInput(usernameParams, request.params)
      try {
        const { name } = parseInput(createTokenSchema, request.body)
        const { token } = await users.createToken(operator(request), username, name)
        return reply.view(`${VIEWS}/token-created.njk`, { username, name, token })
      } catch (error) {
        const { user, tokens } = await users.get(operator(request), username)
        return reply.code(400).view(`${VIEWS}/show.njk`, {
          subject: user,
          tokens,
          errors: formErrors(error),
          roleNames: ROLE_NAMES,
          scopeNames: SCOPE_NAMES,
          compartmentNames: COMPARTMENT_NAMES,
        })
      }
    })

    app.post(
      '/admin/users/:username/tokens/:tokenId/revoke',
      { config: { permission: 'tokens:manage' } },
      async (request, reply) => {
        const { username, tokenId } = parseInput(tokenParams, request.params)
        await users.revokeToken(operator(request), username, tokenId)
        reply.flash('Token revoked')
        return reply.redirect(`/admin/users/${encodeURIComponent(username)}`, 303)
      },
    )

    api.route(app, {
      operationId: 'listUsers',
      method: 'GET',
      url: '/api/v1/users',
      summary: 'List users in the administrator’s scope',
      tag: 'Administration',
      permission: 'users:manage',
      query: listQuery,
      response: z.object({ results: z.array(userResponse), total: z.number().int() }),
      handler: async ({ request, query }) => {
        const { users: rows, total } = await users.list(operator(request), query)
        return { results: rows.map(toApiUser), total }
      },
    })

    api.route(app, {
      operationId: 'createUser',
      method: 'POST',
      url: '/api/v1/users',
      summary: 'Create a user',
      tag: 'Administration',
      permission: 'users:manage',
      body: createUserSchema,
      response: userResponse,
      status: 201,
      handler: async ({ request, body }) => {
        await users.create(operator(request), body)
        return toApiUser((await users.get(operator(request), body.username)).user)
      },
    })

    api.route(app, {
      operationId: 'getUser',
      method: 'GET',
      url: '/api/v1/users/:username',
      summary: 'Read a user',
      tag: 'Administration',
      permission: 'users:manage',
      params: usernameParams,
      response: userResponse,
      handler: async ({ request, params }) => toApiUser((await users.get(operator(request), params.username)).user),
    })
  }
}

function toApiUser(user: Awaited<ReturnType<UsersService['get']>>['user']): z.infer<typeof userResponse> {
  return {
    username: user.username,
    displayName: user.displayName,
    email: user.email,
    department: user.department,
    establishmentCode: user.establishmentCode,
    roles: user.roles as z.infer<typeof userResponse>['roles'],
    scope: user.scope,
    compartments: user.compartments as z.infer<typeof userResponse>['compartments'],
    active: user.active,
  }
}

/** A re-shown form needs checkbox answers as lists, as the first render had them. */
function withLists(body: unknown) {
  const values = { ...((body ?? {}) as Record<string, unknown>) }
  for (const key of ['roles', 'compartments']) {
    const value = values[key]
    values[key] = value === undefined ? [] : Array.isArray(value) ? value : [value]
  }
  delete values.password
  delete values._csrf
  return values
}
