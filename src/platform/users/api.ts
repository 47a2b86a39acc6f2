import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Api } from '../http/api.ts'
import {
  createTokenSchema,
  createUserSchema,
  tokenParams,
  updateUserSchema,
  userListQuery,
  usernameParams,
  userResponse,
} from './schema.ts'
import { operatorOf, type UsersService } from './service.ts'

const TAG = 'Administration'

const tokenResponse = z.object({
  id: z.string(),
  name: z.string(),
  tokenPrefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
})

/** The user pages' actions as JSON, with the same permissions. */
export function usersApi(app: FastifyInstance, deps: { users: UsersService; api: Api }) {
  accountApi(app, deps)
  tokenApi(app, deps)
}

function accountApi(app: FastifyInstance, { users, api }: { users: UsersService; api: Api }) {
  api.route(app, {
    operationId: 'listUsers',
    method: 'GET',
    url: '/api/v1/users',
    summary: 'List users in the administrator’s scope',
    tag: TAG,
    permission: 'users:manage',
    query: userListQuery,
    response: z.object({ results: z.array(userResponse), total: z.number().int() }),
    handler: async ({ request, user, query }) => {
      const { users: rows, total } = await users.list(operatorOf(user, request.id), query)
      return { results: rows.map(toApiUser), total }
    },
  })

  api.route(app, {
    operationId: 'createUser',
    method: 'POST',
    url: '/api/v1/users',
    summary: 'Create a user',
    tag: TAG,
    permission: 'users:manage',
    body: createUserSchema,
    response: userResponse,
    status: 201,
    handler: async ({ request, user, body }) => {
      await users.create(operatorOf(user, request.id), body)
      return toApiUser((await users.get(operatorOf(user, request.id), body.username)).user)
    },
  })

  api.route(app, {
    operationId: 'getUser',
    method: 'GET',
    url: '/api/v1/users/:username',
    summary: 'Read a user',
    tag: TAG,
    permission: 'users:manage',
    params: usernameParams,
    response: userResponse,
    handler: async ({ request, user, params }) =>
      toApiUser((await users.get(operatorOf(user, request.id), params.username)).user),
  })

  api.route(app, {
    operationId: 'updateUser',
    method: 'PUT',
    url: '/api/v1/users/:username',
    summary: 'Change a user; a new password signs them out everywhere',
    tag: TAG,
    permission: 'users:manage',
    params: usernameParams,
    body: updateUserSchema,
    response: userResponse,
    handler: async ({ request, user, params, body }) => {
      await users.update(operatorOf(user, request.id), params.username, body)
      return toApiUser((await users.get(operatorOf(user, request.id), params.username)).user)
    },
  })

  for (const [action, active] of [
    ['deactivate', false],
    ['reactivate', true],
  ] as const) {
    api.route(app, {
      operationId: `${action}User`,
      method: 'POST',
      url: `/api/v1/users/:username/${action}`,
      summary: active ? 'Reactivate a user' : 'Deactivate a user, ending their sessions (409 for your own account)',
      tag: TAG,
      permission: 'users:manage',
      params: usernameParams,
      response: userResponse,
      handler: async ({ request, user, params }) => {
        await users.setActive(operatorOf(user, request.id), params.username, active)
        return toApiUser((await users.get(operatorOf(user, request.id), params.username)).user)
      },
    })
  }
}

function tokenApi(app: FastifyInstance, { users, api }: { users: UsersService; api: Api }) {
  api.route(app, {
    operationId: 'listUserTokens',
    method: 'GET',
    url: '/api/v1/users/:username/tokens',
    summary: 'A user’s API tokens (never the secret itself)',
    tag: TAG,
    permission: 'users:manage',
    params: usernameParams,
    response: z.object({ results: z.array(tokenResponse) }),
    handler: async ({ request, user, params }) => {
      const { tokens } = await users.get(operatorOf(user, request.id), params.username)
      return {
        results: tokens.map(t => ({
          id: t.id,
          name: t.name,
          tokenPrefix: t.tokenPrefix,
          createdAt: t.createdAt.toISOString(),
          lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
          expiresAt: t.expiresAt.toISOString(),
          revokedAt: t.revokedAt?.toISOString() ?? null,
        })),
      }
    },
  })

  api.route(app, {
    operationId: 'createUserToken',
    method: 'POST',
    url: '/api/v1/users/:username/tokens',
    summary: 'Issue an API token for a system to act as this user; the token is in this answer only',
    tag: TAG,
    permission: 'tokens:manage',
    params: usernameParams,
    body: createTokenSchema,
    response: z.object({ id: z.string(), name: z.string(), token: z.string(), expiresAt: z.iso.datetime() }),
    status: 201,
    handler: async ({ request, user, params, body }) => {
      const { id, token, expiresAt } = await users.createToken(operatorOf(user, request.id), params.username, body)
      return { id, name: body.name, token, expiresAt: expiresAt.toISOString() }
    },
  })

  api.route(app, {
    operationId: 'revokeUserToken',
    method: 'POST',
    url: '/api/v1/users/:username/tokens/:tokenId/revoke',
    summary: 'Revoke an API token; it stops working at once',
    tag: TAG,
    permission: 'tokens:manage',
    params: tokenParams,
    response: z.object({ id: z.string(), revoked: z.literal(true) }),
    handler: async ({ request, user, params }) => {
      await users.revokeToken(operatorOf(user, request.id), params.username, params.tokenId)
      return { id: params.tokenId, revoked: true as const }
    },
  })
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
