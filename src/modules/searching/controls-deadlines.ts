import type { CurrentUser } from '../../platform/access/user.ts'
import type { DeadlineItem, DeadlineSource } from '../../platform/deadlines/deadlines.ts'
import { nameCase } from '../../platform/views/text.ts'
import type { SearchingService } from './service.ts'

const REVIEW_TITLES: Record<string, string> = {
  ban: 'Review the visiting ban on',
  'closed-visits': 'Review closed visits for',
}

/** Output 13: the review of each live measure on a visitor, due to the security department of its prison. */
export const visitMeasureDeadlines = (searching: SearchingService): DeadlineSource => ({
  name: 'Searching',
  async list(user: CurrentUser, today: string): Promise<DeadlineItem[]> {
    if (!user.can('searching:manage')) return []
    const due = await searching.visitMeasureReviewsDue(user, today)
    return due.flatMap(measure => {
      if (!measure.reviewDue || !user.can('searching:manage', { establishmentCode: measure.establishmentCode }))
        return []
      const prisoner = `${nameCase(measure.firstName)} ${nameCase(measure.lastName)} (${measure.prisonerNumber})`
      return [
        {
          title: `${REVIEW_TITLES[measure.measure] ?? 'Review the measure on'} ${measure.visitorName}, visitor of ${prisoner}`,
          dueDate: measure.reviewDue,
          href: `/searching/visitors/${measure.id}`,
          source: 'Searching',
          establishmentCode: measure.establishmentCode,
        },
      ]
    })
  },
})
