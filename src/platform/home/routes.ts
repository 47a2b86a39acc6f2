import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { COMPARTMENT_NAMES, ROLE_NAMES, SCOPE_NAMES } from '../access/roles.ts'
import { type Db, pingDatabase } from '../db/database.ts'
import type { Deadlines } from '../deadlines/deadlines.ts'
import type { Work } from '../deadlines/work.ts'
import type { Api } from '../http/api.ts'
import { createPages } from '../http/pages.ts'
import type { Navigation } from '../views/navigation.ts'

const meResponse = z.object({
  username: z.string(),
  displayName: z.string(),
  establishmentCode: z.string(),
  roles: z.array(z.string()),
  scope: z.string(),
  compartments: z.array(z.string()),
  establishmentCodes: z.union([z.array(z.string()), z.literal('all')]),
  permissions: z.array(z.string()),
})

/** The home page (your work: what waits for you, and your clocks), who-am-I for the API, and the health endpoints for the platform. */
export function homeRoutes(deps: {
  db: Db
  deadlines: Deadlines
  work: Work
  api: Api
  navigation: Navigation
  version: string
  gitCommit: string
}) {
  const { db, deadlines, work, api } = deps
  deps.navigation.add({ text: 'Home', href: '/', permission: 'home:view', order: 0 })

  return async (app: FastifyInstance) => {
    const pages = createPages(app, { views: 'platform/home/views' })

    pages.get('/', {
      permission: 'home:view',
      handler: async ({ user, render }) => {
        const now = new Date()
        return render('home', {
          sections: await work.forUser(user, now),
          clocks: await deadlines.forUser(user, now),
          hasClocks: deadlines.sourceCount > 0,
          roleNames: user.roles.map(role => ROLE_NAMES[role]),
          scopeName: SCOPE_NAMES[user.scope],
          compartmentNames: user.compartments.map(c => COMPARTMENT_NAMES[c]),
        })
      },
    })

    api.route(app, {
      operationId: 'getMe',
      method: 'GET',
      url: '/api/v1/me',
      summary: 'The user the credentials belong to, with their scope and permissions',
      tag: 'Platform',
      permission: 'home:view',
      response: meResponse,
      handler: async ({ user }) => ({
        username: user.username,
        displayName: user.displayName,
        establishmentCode: user.establishmentCode,
        roles: [...user.roles],
        scope: user.scope,
        compartments: [...user.compartments],
        establishmentCodes: user.establishmentCodes === 'all' ? 'all' : [...user.establishmentCodes],
        permissions: [...user.permissions].sort(),
      }),
    })

    app.get('/ping', { config: { public: true } }, async () => ({ status: 'UP' }))

    app.get('/info', { config: { public: true } }, async () => ({
      name: 'portcullis',
      version: deps.version,
      gitCommit: deps.gitCommit,
    }))

    app.get('/health', { config: { public: true } }, async (request, reply) => {
      try {
        const ms = await pingDatabase(db)
        return { status: 'UP', components: { database: { status: 'UP', ms } } }
      } catch (error) {
        request.log.error({ err: error }, 'health check: database down')
        return reply.code(503).send({ status: 'DOWN', components: { database: { status: 'DOWN' } } })
      }
    })
  }
}
