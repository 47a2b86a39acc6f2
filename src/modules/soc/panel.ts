import type { ProfilePanels } from '../people/panels.ts'
import { DECISION_NAMES } from './rules.ts'

/** The "Serious and organised crime" panel of a profile: band, status, groups and clocks, to those who may see them. */
export function registerSocPanel(panels: ProfilePanels) {
  panels.register({
    name: 'soc',
    order: 20,
    async load(db, user, nominal) {
      if (!user.can('soc:read')) return null
      const row = await db
        .selectFrom('socNominal')
        .select(['band', 'status', 'selectedOn', 'lastReview'])
        .where('nominalId', '=', nominal.id)
        .executeTakeFirst()
      const groups = await db
        .selectFrom('socGroupMember as m')
        .innerJoin('socGroup as g', 'g.id', 'm.groupId')
        .select(['g.ref', 'g.name', 'm.role'])
        .where('m.nominalId', '=', nominal.id)
        .execute()
      if (!row && groups.length === 0) return null
      return {
        title: 'Serious and organised crime',
        template: 'modules/soc/views/panel.njk',
        data: { prisonerNumber: nominal.ref, nominal: row ?? null, groups, decisionNames: DECISION_NAMES },
      }
    },
  })
}
