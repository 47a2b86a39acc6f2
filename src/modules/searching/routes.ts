import type { FastifyInstance } from 'fastify'
import type { Api } from '../../platform/http/api.ts'
import { createPages } from '../../platform/http/pages.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import { controlsApi } from './api-controls.ts'
import { exhibitApi } from './api-exhibits.ts'
import { findApi } from './api-finds.ts'
import { phoneApi } from './api-phones.ts'
import { programmeApi, searchApi } from './api-searches.ts'
import { controlsPages } from './pages-controls.ts'
import { exhibitPages } from './pages-exhibits.ts'
import { findPages } from './pages-finds.ts'
import { phonePages } from './pages-phones.ts'
import { programmePages, searchPages } from './pages-searches.ts'
import {
  CUSTODY_EVENT_KINDS,
  CUSTODY_EVENT_NAMES,
  DISPOSAL_METHOD_NAMES,
  DISPOSAL_METHODS,
  EXHIBIT_STATE_NAMES,
  EXHIBIT_STATES,
  FIND_AREAS,
  FIND_CATEGORIES,
  FIND_CATEGORY_NAMES,
  FIND_HOW,
  FIND_HOW_NAMES,
  FIND_WINGS,
  INTERROGATION_STATE_NAMES,
  ITEM_PERMISSION_STATE_NAMES,
  LAWFUL_BASIS_CODES,
  LAWFUL_BASIS_NAMES,
  PRISONER_OUTCOME_NAMES,
  PRISONER_OUTCOMES,
  PROGRAMME_STATE_NAMES,
  SEARCH_METHOD_NAMES,
  SEARCH_METHODS,
  SEARCH_REASON_NAMES,
  SEARCH_REASONS,
  SEARCH_RESULT_NAMES,
  SEARCH_RESULTS,
  SEARCH_TARGET_NAMES,
  SEARCH_TARGETS,
  VISIT_MEASURE_NAMES,
  VISIT_MEASURE_OUTCOME_NAMES,
  VISIT_MEASURE_STATE_NAMES,
  VISIT_MEASURES,
} from './rules.ts'
import type { SearchingService } from './service.ts'

/** What every searching page may show a code as: given to the views once. */
const LABELS = {
  searchTargets: SEARCH_TARGET_NAMES,
  searchMethods: SEARCH_METHOD_NAMES,
  searchReasons: SEARCH_REASON_NAMES,
  searchResults: SEARCH_RESULT_NAMES,
  programmeStates: PROGRAMME_STATE_NAMES,
  findCategories: FIND_CATEGORY_NAMES,
  findHow: FIND_HOW_NAMES,
  prisonerOutcomes: PRISONER_OUTCOME_NAMES,
  visitMeasures: VISIT_MEASURE_NAMES,
  visitMeasureStates: VISIT_MEASURE_STATE_NAMES,
  visitMeasureOutcomes: VISIT_MEASURE_OUTCOME_NAMES,
  itemPermissionStates: ITEM_PERMISSION_STATE_NAMES,
  custodyEvents: CUSTODY_EVENT_NAMES,
  disposalMethods: DISPOSAL_METHOD_NAMES,
  exhibitStates: EXHIBIT_STATE_NAMES,
  lawfulBases: LAWFUL_BASIS_NAMES,
  interrogationStates: INTERROGATION_STATE_NAMES,
}

/** The options of every searching form: given to the views once. */
const CHOICES = {
  searchTargets: SEARCH_TARGETS,
  searchMethods: SEARCH_METHODS,
  searchReasons: SEARCH_REASONS,
  searchResults: SEARCH_RESULTS,
  findCategories: FIND_CATEGORIES,
  findHow: FIND_HOW,
  findPlaces: [...FIND_WINGS, ...FIND_AREAS],
  prisonerOutcomes: PRISONER_OUTCOMES,
  visitMeasures: VISIT_MEASURES,
  custodyEvents: CUSTODY_EVENT_KINDS,
  disposalMethods: DISPOSAL_METHODS,
  exhibitStates: EXHIBIT_STATES,
  lawfulBases: LAWFUL_BASIS_CODES,
}

/** Searching, finds and evidence: the search programme, searches, finds, exhibits, phones, visitors and permissions. */
export function searchingRoutes(deps: { searching: SearchingService; api: Api; navigation: Navigation }) {
  deps.navigation.add({ text: 'Searching', href: '/searching', permission: 'searching:read', order: 35 })

  return async (app: FastifyInstance) => {
    const pages = createPages(app, { views: 'modules/searching/views', locals: { labels: LABELS, choices: CHOICES } })
    pages.get('/searching', {
      permission: 'searching:read',
      handler: async ({ user, render }) =>
        render('hub', {
          programme: await deps.searching.programmeCounts(user, user.establishmentCode),
          controls: await deps.searching.controlsSummary(user, undefined),
          exhibits: await deps.searching.exhibitFigures(user, user.establishmentCode),
          finds: await deps.searching.findsThisMonth(user),
          phones: await deps.searching.phoneFigures(user),
        }),
    })
    programmePages(pages, deps.searching)
    programmeApi(app, deps.api, deps.searching)
    searchPages(pages, deps.searching)
    searchApi(app, deps.api, deps.searching)
    controlsPages(pages, deps.searching)
    controlsApi(app, deps.api, deps.searching)
    exhibitPages(pages, deps.searching)
    exhibitApi(app, deps.api, deps.searching)
    findPages(pages, deps.searching)
    findApi(app, deps.api, deps.searching)
    phonePages(pages, deps.searching)
    phoneApi(app, deps.api, deps.searching)
  }
}
