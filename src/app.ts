import { randomUUID } from 'node:crypto'
import fastifyFormbody from '@fastify/formbody'
import fastifyMultipart from '@fastify/multipart'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type RouteOptions,
} from 'fastify'
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
import { visitMeasureDeadlines } from './modules/searching/controls-deadlines.ts'
import { registerVisitMeasuresPanel } from './modules/searching/controls-panel.ts'
import { searchingDeadlines } from './modules/searching/deadlines.ts'
import { findsEvidence } from './modules/searching/evidence.ts'
import { searchingStrategySection } from './modules/searching/lss-section.ts'
import { registerFindsPanel } from './modules/searching/panel.ts'
import { interrogationWork } from './modules/searching/phones-work.ts'
import { searchingRoutes } from './modules/searching/routes.ts'
import { searchingService } from './modules/searching/service.ts'
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
import { clientProblem, routingProblem } from './platform/http/client-errors.ts'
import { errorHandling } from './platform/http/error-handling.ts'
import { security } from './platform/http/security.ts'
import { RequestLog } from './platform/logging.ts'
import { createProfilePanels } from './platform/profile/panels.ts'
import { establishmentNames } from './platform/reference/establishments.ts'
import { createStrategySections } from './platform/strategy/sections.ts'
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
    // Off unless configured: X-Forwarded-For is the client's to write (src/config.ts, TRUST_PROXY).
    trustProxy: trustedProxies(config.trustProxy),
    genReqId: request => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && /^[A-Za-z0-9._-]{8,100}$/.test(given) ? given : randomUUID()
    },
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    frameworkErrors: routingProblem,
    clientErrorHandler: clientProblem,
  })

  keepRouteTable(app)
  const parts = platformParts(db)
  const services = moduleServices(db)
  await registerPlatform(app, config, db, parts)
  await registerModules(app, parts, services)

  app.get('/api/v1/openapi.json', { config: { public: true } }, async () =>
    parts.api.document({ version: config.version }),
  )

  for (const plugin of plugins) await app.register(plugin)

  await app.ready()
  return app
}

/** Every route as registered, for the deny-by-default test and the crawl. */
function keepRouteTable(app: FastifyInstance) {
  // Kept by reference and read after start-up, because a plugin's own onRoute hook (the static assets') may complete
  // a route's config after this one has seen it.
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
}

/** The platform's registries that modules extend: navigation, the API, due dates, work, panels, LSS sections. */
function platformParts(db: Db) {
  const establishmentNamesOf = (codes: readonly string[]) => establishmentNames(db, codes)
  return {
    navigation: createNavigation(),
    api: createApi(db),
    deadlines: createDeadlines(establishmentNamesOf),
    work: createWork(establishmentNamesOf),
    profilePanels: createProfilePanels(),
    strategySections: createStrategySections(),
  }
}
type PlatformParts = ReturnType<typeof platformParts>

function moduleServices(db: Db) {
  const people = peopleService(db)
  const intelligence = intelligenceService(db)
  const searching = searchingService(db, { intelligence })
  const evidence = [intelligenceEvidence(intelligence), flagEvidence(people), findsEvidence(searching)]
  return {
    people,
    intelligence,
    soc: socService(db),
    searching,
    lss: lssService(db, evidence),
  }
}
type ModuleServices = ReturnType<typeof moduleServices>

/** Views and assets, who you are and what you may do, errors; then the platform's own pages and API. */
async function registerPlatform(app: FastifyInstance, config: Config, db: Db, parts: PlatformParts) {
  const { navigation, api, deadlines, work } = parts
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
    signInPolicy: config.signIn,
    navigation,
  })
  await app.register(errorHandling)

  await app.register(
    authRoutes({
      db,
      policy: config.signIn,
      production: config.production,
      idleMinutes: config.sessionIdleMinutes,
      passwordSignIn: config.passwordSignIn,
      oidc: config.oidc,
    }),
  )
  await app.register(
    homeRoutes({ db, deadlines, work, api, navigation, version: config.version, gitCommit: config.gitCommit }),
  )
  await app.register(userRoutes({ users: usersService(db), api, navigation }))
  await app.register(auditRoutes({ db, api, navigation, personLabels: visibleNominalLabels }))
}

/** Each module's pages and API, then what it adds to the platform's registries. */
async function registerModules(app: FastifyInstance, parts: PlatformParts, services: ModuleServices) {
  const { navigation, api, deadlines, work, profilePanels, strategySections } = parts
  const { people, intelligence, lss, soc, searching } = services
  await app.register(peopleRoutes({ people, api, navigation, panels: profilePanels }))

  await app.register(intelligenceRoutes({ intelligence, people, api, navigation }))
  registerIntelligencePanel(profilePanels, intelligence)
  work.register(triageWork(intelligence))
  work.register(reportsSentWork(intelligence))

  await app.register(lssRoutes({ lss, api, navigation, sections: strategySections }))
  deadlines.register(lssDeadlines(lss))
  work.register(lssDecisionWork(lss))

  await app.register(socRoutes({ soc, api, navigation }))
  registerSocPanel(profilePanels, soc)
  deadlines.register(socDeadlines(soc))

  await app.register(searchingRoutes({ searching, api, navigation }))
  deadlines.register(searchingDeadlines(searching))
  deadlines.register(visitMeasureDeadlines(searching))
  work.register(interrogationWork(searching))
  registerFindsPanel(profilePanels, searching)
  registerVisitMeasuresPanel(profilePanels, searching)
  strategySections.register(searchingStrategySection(searching))
}

/** A hop count trusts that many proxies nearest the server; a list trusts those addresses; false trusts none. */
function trustedProxies(setting: Config['trustProxy']) {
  if (typeof setting !== 'number') return setting
  return (_address: string, hop: number) => hop < setting
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly { method: string; url: string; permission?: string; public?: boolean }[]
  }
}

export type App = Awaited<ReturnType<typeof buildApp>>
