import type { CurrentUser } from '../../platform/access/user.ts'
import type { DeadlineItem, DeadlineSource } from '../../platform/deadlines/deadlines.ts'
import type { SearchingService } from './service.ts'

/**
 * Output 9: the planned searches of the programme that are overdue, for the security department of each prison in
 * the user's scope. One line per prison ("4 planned searches overdue"), grouped across prisons like the other clocks.
 */
export const searchingDeadlines = (searching: SearchingService): DeadlineSource => ({
  name: 'Searching',
  async list(user: CurrentUser, today: string): Promise<DeadlineItem[]> {
    const codes = user.establishmentCodes === 'all' ? [user.establishmentCode] : user.establishmentCodes
    const items: DeadlineItem[] = []
    for (const establishmentCode of codes) {
      if (!user.can('searching:manage', { establishmentCode })) continue
      const counts = await searching.programmeCounts(user, establishmentCode, today)
      if (!counts.firstOverdue) continue
      items.push({
        title: `${counts.overdue} planned ${counts.overdue === 1 ? 'search' : 'searches'} overdue`,
        group: 'Planned searches overdue',
        establishmentCode,
        dueDate: counts.firstOverdue,
        href: `/searching/programme?establishment=${establishmentCode}`,
        source: 'Searching',
      })
    }
    return items
  },
})
