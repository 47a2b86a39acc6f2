import type { StrategySectionSource } from '../../platform/strategy/sections.ts'
import { PROGRAMME_STATE_NAMES, SEARCH_METHOD_NAMES, SEARCH_TARGET_NAMES } from './rules.ts'
import type { SearchingService } from './service.ts'

/** Output 9: the searching strategy "documented in the LSS": the programme's requirements on the strategy page. */
export const searchingStrategySection = (searching: SearchingService): StrategySectionSource => ({
  name: 'searching',
  order: 10,
  async load(user, establishmentCode) {
    if (!user.can('searching:read', { establishmentCode })) return null
    const programme = await searching.programme(user, establishmentCode)
    return {
      name: 'searching',
      title: 'Searching strategy',
      template: 'modules/searching/views/searches/lss-section.njk',
      data: {
        establishmentCode,
        establishmentName: programme.establishment.name,
        requirements: programme.requirements,
        labels: {
          searchTargets: SEARCH_TARGET_NAMES,
          searchMethods: SEARCH_METHOD_NAMES,
          programmeStates: PROGRAMME_STATE_NAMES,
        },
      },
    }
  },
})
