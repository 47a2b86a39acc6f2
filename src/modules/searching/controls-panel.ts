import type { ProfilePanels } from '../../platform/profile/panels.ts'
import { VISIT_MEASURE_NAMES, VISIT_MEASURE_STATE_NAMES } from './rules.ts'
import type { SearchingService } from './service.ts'

/** "Measures on visitors" on a prisoner's profile (output 13): the bans and closed visits on the people who visit them. */
export function registerVisitMeasuresPanel(panels: ProfilePanels, searching: SearchingService) {
  panels.register({
    name: 'searching-visit-measures',
    order: 36,
    async load(user, subject) {
      if (!user.can('searching:read')) return null
      const measures = await searching.visitMeasuresOnPrisoner(user, subject.id)
      if (measures.length === 0) return null
      return {
        title: 'Measures on visitors',
        template: 'modules/searching/views/controls/panel.njk',
        data: {
          prisonerNumber: subject.ref,
          measures,
          labels: { visitMeasures: VISIT_MEASURE_NAMES, visitMeasureStates: VISIT_MEASURE_STATE_NAMES },
        },
      }
    },
  })
}
