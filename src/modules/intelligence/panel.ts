import type { ProfilePanels } from '../../platform/profile/panels.ts'
import { ENTITY_TYPE_NAMES } from './entities.ts'
import { gradingFromColumns, gradingLabel, STATUS_NAMES, THREAT_AREA_NAMES } from './rules.ts'
import type { IntelligenceService } from './service.ts'

/** The "Intelligence" panel of a nominal's profile: the reports about them and their entities the viewer may see. */
export function registerIntelligencePanel(panels: ProfilePanels, intelligence: IntelligenceService) {
  panels.register({
    name: 'intelligence',
    order: 10,
    async load(user, nominal) {
      if (!user.can('intelligence:read')) return null
      const [reports, entities] = await Promise.all([
        intelligence.reportsAboutNominal(user, nominal.id),
        intelligence.entitiesOfNominal(user, nominal.id),
      ])
      return {
        title: 'Intelligence',
        template: 'modules/intelligence/views/panel.njk',
        data: {
          nominalRef: nominal.ref,
          entityTypeNames: ENTITY_TYPE_NAMES,
          entities: entities.things,
          associates: entities.associates,
          reports: reports.map(report => ({
            ...report,
            statusName: STATUS_NAMES[report.status as keyof typeof STATUS_NAMES] ?? report.status,
            threatNames: report.threatAreas.map(
              area => THREAT_AREA_NAMES[area as keyof typeof THREAT_AREA_NAMES] ?? area,
            ),
            gradingText: gradingLabel(gradingFromColumns(report)),
          })),
        },
      }
    },
  })
}
