import type { FastifyInstance } from 'fastify'
import type { Api } from '../../platform/http/api.ts'
import { createPages } from '../../platform/http/pages.ts'
import type { StrategySections } from '../../platform/strategy/sections.ts'
import type { Navigation } from '../../platform/views/navigation.ts'
import { amendmentApi, instructionApi } from './api.ts'
import { assessmentApi, assuranceApi } from './api-assurance.ts'
import { amendmentPages } from './pages-amendments.ts'
import { assessmentPages } from './pages-assessment.ts'
import { assurancePages, settingsPages } from './pages-assurance.ts'
import { instructionPages, strategyPages } from './pages-strategy.ts'
import {
  ADDITIONAL_CHECKS,
  AMENDMENT_STATUS_NAMES,
  AMENDMENT_STATUSES,
  APPROVER_NAMES,
  APPROVER_ROLES,
  ASSURANCE_LEVELS,
  COMPONENT_NAMES,
  COMPONENTS,
  EVIDENCE_SOURCES,
  RELATES_TO,
  RISK_AREA_NAMES,
  RISK_AREAS,
  THREAT_AREAS,
} from './rules.ts'
import type { LssService } from './service.ts'

const RELATES_TO_NAMES = {
  'category-a': 'Category A prisoners',
  'restricted-status': 'Restricted Status prisoners',
  none: 'Neither',
} as const

/** What every LSS page may show a code as: given to the views once. */
const LABELS = {
  riskAreas: RISK_AREA_NAMES,
  statuses: AMENDMENT_STATUS_NAMES,
  approvers: APPROVER_NAMES,
  components: COMPONENT_NAMES,
  relatesTo: RELATES_TO_NAMES,
}

/** The options of every LSS form: given to the views once. */
const CHOICES = {
  riskAreas: RISK_AREAS,
  statuses: AMENDMENT_STATUSES,
  approvers: APPROVER_ROLES,
  components: COMPONENTS,
  threatAreas: THREAT_AREAS,
  relatesTo: RELATES_TO,
  evidenceSources: EVIDENCE_SOURCES,
  assuranceLevels: ASSURANCE_LEVELS,
  additionalChecks: ADDITIONAL_CHECKS,
}

/** The Local Security Strategy: the document, amendments, awareness, risk assessment and assurance. */
export function lssRoutes(deps: { lss: LssService; api: Api; navigation: Navigation; sections: StrategySections }) {
  const { lss, api } = deps
  deps.navigation.add({ text: 'Security strategy', href: '/lss', permission: 'lss:read', order: 30 })

  return async (app: FastifyInstance) => {
    const pages = createPages(app, { views: 'modules/lss/views', locals: { labels: LABELS, choices: CHOICES } })
    strategyPages(pages, lss, deps.sections)
    instructionPages(pages, lss)
    amendmentPages(pages, lss)
    assessmentPages(pages, lss)
    assurancePages(pages, lss)
    settingsPages(pages, lss)

    instructionApi(app, api, lss)
    amendmentApi(app, api, lss)
    assessmentApi(app, api, lss)
    assuranceApi(app, api, lss)
  }
}
