import type { ProfilePanels } from '../../platform/profile/panels.ts'
import { FIND_CATEGORY_NAMES, PRISONER_OUTCOME_NAMES } from './rules.ts'
import type { SearchingService } from './service.ts'

/** The "Finds" panel of a profile: the finds a person is linked to and what followed, to those who read the register. */
export function registerFindsPanel(panels: ProfilePanels, searching: SearchingService) {
  panels.register({
    name: 'finds',
    order: 30,
    async load(user, nominal) {
      if (!user.can('searching:read')) return null
      const finds = await searching.findsOfNominal(user, nominal.id)
      if (finds.length === 0) return null
      return {
        title: 'Finds',
        template: 'modules/searching/views/finds/panel.njk',
        data: { finds, categoryNames: FIND_CATEGORY_NAMES, outcomeNames: PRISONER_OUTCOME_NAMES },
      }
    },
  })
}
