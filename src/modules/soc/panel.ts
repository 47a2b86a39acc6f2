import type { ProfilePanels } from '../../platform/profile/panels.ts'
import { DECISION_NAMES } from './rules.ts'
import type { SocService } from './service.ts'

/** The "Serious and organised crime" panel of a profile: band, status, groups and clocks, to those who may see them. */
export function registerSocPanel(panels: ProfilePanels, soc: SocService) {
  panels.register({
    name: 'soc',
    order: 20,
    async load(user, nominal) {
      if (!user.can('soc:read')) return null
      const { row, groups } = await soc.profileSummary(nominal.id)
      if (!row && groups.length === 0) return null
      return {
        title: 'Serious and organised crime',
        template: 'modules/soc/views/panel.njk',
        data: { prisonerNumber: nominal.ref, nominal: row ?? null, groups, decisionNames: DECISION_NAMES },
      }
    },
  })
}
