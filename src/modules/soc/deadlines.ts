import type { CurrentUser } from '../../platform/access/user.ts'
import { addDays, type DeadlineItem, type DeadlineSource, londonToday } from '../../platform/deadlines/deadlines.ts'
import { nameCase } from '../../platform/views/text.ts'
import { assuranceVisitDue, COMMUNITY_TRIGGERS, CUSTODY_TRIGGERS, dipSampleDue } from './rules.ts'
import type { SocService } from './service.ts'

const CLOCK_TITLES = {
  nextReview: 'Review',
  socuCommunityNotification: 'Notify the SOCU community team of release',
  communityPlan: 'Community management plan',
  postReleaseBandingReview: 'Post-release banding review',
} as const

/** The SOC clocks (SOC PF 4.39–4.69, 5.3, 5.5) and SOCU's unseen trigger points, for one user. */
export const socDeadlines = (soc: SocService): DeadlineSource => ({
  name: 'SOC',
  async list(user: CurrentUser, today: string): Promise<DeadlineItem[]> {
    if (!user.can('soc:case')) return []
    const items: DeadlineItem[] = []
    for (const nominal of await soc.list(user, { status: 'selected' })) {
      // Band 1 clocks are SOCU's; a prison keeps its Band 2 reviews.
      if (nominal.band === '1' && !user.can('soc:manage')) continue
      for (const [clock, date] of Object.entries(nominal.dueDates)) {
        items.push({
          title: `${CLOCK_TITLES[clock as keyof typeof CLOCK_TITLES]}: Band ${nominal.band} ${nameCase(nominal.firstName)} ${nameCase(nominal.lastName)} (${nominal.prisonerNumber})`,
          dueDate: date,
          href: `/soc/nominals/${nominal.prisonerNumber}`,
          source: 'SOC',
        })
      }
    }
    if (user.can('soc:manage')) {
      for (const trigger of await soc.workList(user)) {
        items.push({
          title: `Trigger point for Band ${trigger.band} ${nameCase(trigger.firstName)} ${nameCase(trigger.lastName)}: ${triggerText(trigger.code)}`,
          dueDate: addDays(trigger.occurredOn, 2),
          href: `/soc/nominals/${trigger.prisonerNumber}`,
          source: 'SOC',
        })
      }
      const codes = user.establishmentCodes === 'all' ? [] : user.establishmentCodes
      const visits = await soc.visits(user)
      for (const code of codes) {
        const last = visits.find(v => v.establishmentCode === code)
        items.push({
          title: 'Quarterly SOCU assurance visit',
          group: 'Quarterly SOCU assurance visits',
          establishmentCode: code,
          dueDate: assuranceVisitDue(last?.visitedOn ?? null, today),
          href: '/soc/visits',
          source: 'SOC',
        })
      }
      const lastSample = (await soc.dipSamples())[0]
      items.push({
        title: 'Six-monthly equality dip sample',
        dueDate: dipSampleDue(lastSample ? londonToday(lastSample.takenAt) : null, today),
        href: '/soc/dip-samples',
        source: 'SOC',
      })
    }
    return items
  },
})

function triggerText(code: string) {
  return [...CUSTODY_TRIGGERS, ...COMMUNITY_TRIGGERS].find(t => t.code === code)?.text.toLowerCase() ?? code
}
