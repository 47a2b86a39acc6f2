import { randomUUID } from 'node:crypto'
import fastifyFormbody from '@fastify/formbody'
import fastifyMultipart from '@fastify/multipart'
import Fastify, { type FastifyBaseLogger, type FastifyPluginAsync, type RouteOptions } from 'fastify'
import type { Config } from './config.ts'
import { intelligenceEvidence } from './modules/intelligence/evidence.ts'
import { registerIntelligencePanel } from './modules/intelligence/panel.ts'
import { intelligenceRoutes } from './modules/intelligence/routes.ts'
import { intelligenceService } from './modules/intelligence/service.ts'
import { reportsSentWork, triageWork } from './modules/intelligence/work.ts'
import { lssDeadlines, lssDecisionWork } from './modules/lss/deadlines.ts'
import { lssRoutes } from './modules/lss/routes.ts'
import { lssService } from './modules/lss/service.ts'
import { flagEvidence } from './modules/people/evidence.ts'
import { visibleNominalLabels } from './modules/people/repository.ts'
import { peopleRoutes } from './modules/people/routes.ts'
import { peopleService } from './modules/people/service.ts'
import { socDeadlines } from './modules/soc/deadlines.ts'
import { registerSocPanel } from './modules/soc/panel.ts'
import { socRoutes } from './modules/soc/routes.ts'
import { socService } from './modules/soc/service.ts'
import { auditRoutes } from './platform/audit/routes.ts'
import { authRoutes } from './platform/auth/routes.ts'
import type { Db } from './platform/db/database.ts'
import { createDeadlines } from './platform/deadlines/deadlines.ts'
import { createWork } from './platform/deadlines/work.ts'
import { homeRoutes } from './platform/home/routes.ts'
import { createApi } from './platform/http/api.ts'
import { errorHandling } from './platform/http/error-handling.ts'
import { security } from './platform/http/security.ts'
import { RequestLog } from './platform/logging.ts'
import { createProfilePanels } from './platform/profile/panels.ts'
import { establishmentNames } from './platform/reference/establishments.ts'
import { userRoutes } from './platform/users/routes.ts'
import { usersService } from './platform/users/service.ts'
import { createNavigation } from './platform/views/navigation.ts'
import { views } from './platform/views/views.ts'

export type AppOptions = {
  config: Config
  db: Db
  /** A pino logger; none in tests. */
  logger?: FastifyBaseLogger
  /** Extra routes composed after the modules (tests use this to reach failure paths). */
  plugins?: FastifyPluginAsync[]
}

/** Composes the platform and the modules. The order of registration reads as a table of contents. */
export async function buildApp({ config, db, logger, plugins = [] }: AppOptions) {
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    // One line per request, when answered, carrying the correlation id (src/platform/logging.ts).
    logController: new RequestLog(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.production,
    genReqId: request => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,100}$/.test(given) ? given : randomUUID()
    },
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
  })

  // Every route as registered. Kept by reference and read after start-up, because a plugin's own onRoute hook
  // (the static assets') may complete a route's config after this one has seen it.
  const registered: RouteOptions[] = []
  app.addHook('onRoute', route => {
    registered.push(route)
  })
  app.decorate('routeTable', {
    getter: () =>
      registered.flatMap(route =>
        (Array.isArray(route.method) ? route.method : [route.method]).map(method => ({
          method,
          url: route.url,
          permission: route.config?.permission,
          public: route.config?.public,
        })),
      ),
  })

  const navigation = createNavigation()
  const establishmentNamesOf = (codes: readonly string[]) => establishmentNames(db, codes)
  const deadlines = createDeadlines(establishmentNamesOf)
  const work = createWork(establishmentNamesOf)
  const api = createApi()
  const users = usersService(db)
  const profilePanels = createProfilePanels()
  const people = peopleService(db)
  const intelligence = intelligenceService(db)
  const soc = socService(db)
  const lss = lssService(db, [intelligenceEvidence(intelligence), flagEvidence(people)])

  // Platform: views and assets, who you are and what you may do, errors.
  await app.register(fastifyFormbody)
  // File uploads (prisoner and OCGM imports): fields arrive on the body, so the CSRF check sees them.
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    limits: { fileSize: 100 * 1024 * 1024, files: 1, fields: 10 },
  })
  await app.register(views, { production: config.production })
  await app.register(security, {
    db,
    secret: config.sessionSecret,
    production: config.production,
    sessionIdleMinutes: config.sessionIdleMinutes,
    navigation,
  })
  await app.register(errorHandling)

  // Platform pages and API.
  await app.register(
    authRoutes({ db, policy: config.signIn, production: config.production, idleMinutes: config.sessionIdleMinutes }),
  )
  await app.register(
    homeRoutes({ db, deadlines, work, api, navigation, version: config.version, gitCommit: config.gitCommit }),
  )
  await app.register(userRoutes({ users, api, navigation }))
  await app.register(auditRoutes({ db, api, navigation, personLabels: visibleNominalLabels }))

  // Modules.
  await app.register(peopleRoutes({ people, api, navigation, panels: profilePanels }))
  await app.register(intelligenceRoutes({ intelligence, people, api, navigation }))
  registerIntelligencePanel(profilePanels, intelligence)
  work.register(triageWork(intelligence))
  work.register(reportsSentWork(intelligence))
  await app.register(lssRoutes({ lss, api, navigation }))
  deadlines.register(lssDeadlines(lss))
  work.register(lssDecisionWork(lss))
  await app.register(socRoutes({ soc, api, navigation }))
  registerSocPanel(profilePanels, soc)
  deadlines.register(socDeadlines(soc))

  app.get('/api/v1/openapi.json', { config: { public: true } }, async () => api.document({ version: config.version }))

  for (const plugin of plugins) await app.register(plugin)

  await app.ready()
  return app
}
declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly { method: string; url: string; permission?: string; public?: boolean }[]
  }
}

export type App = Awaited<ReturnType<typeof buildApp>>
