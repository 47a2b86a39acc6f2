import type { FastifyInstance } from 'fastify'
import type { Api } from '../../platform/http/api.ts'
import { createPages } from '../../platform/http/pages.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import type { PeopleService } from '../people/service.ts'
import { intelligenceApi } from './api.ts'
import { PAGE_LOCALS } from './page-locals.ts'
import { reportPages } from './pages-report.ts'
import { reportingPages } from './pages-reporting.ts'
import { settingsPages } from './pages-settings.ts'
import type { IntelligenceService } from './service.ts'

type Deps = { intelligence: IntelligenceService; people: PeopleService; api: Api; navigation: Navigation }

/** Intelligence: report, triage, grade, sanitise, link, search, disseminate, network; pages and /api/v1. */
export function intelligenceRoutes(deps: Deps) {
  const { intelligence, people, api, navigation } = deps
  navigation.add({
    text: 'Report intelligence',
    href: '/intelligence/report',
    permission: 'intelligence:submit',
    order: 5,
  })
  navigation.add({ text: 'Triage', href: '/intelligence/queue', permission: 'intelligence:assess', order: 20 })
  navigation.add({ text: 'Intelligence', href: '/intelligence/search', permission: 'intelligence:read', order: 21 })

  return async (app: FastifyInstance) => {
    const pages = createPages(app, PAGE_LOCALS)
    reportingPages(pages, intelligence, people)
    reportPages(pages, intelligence)
    settingsPages(pages, intelligence)
    intelligenceApi(api, intelligence)(app)
  }
}
