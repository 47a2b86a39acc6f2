import type { CurrentUser } from '../../platform/access/user.ts'
import type { WorkSection, WorkSource } from '../../platform/deadlines/work.ts'
import { formatDateTime } from '../../platform/views/views.ts'
import { type ReportStatus, STATUS_NAMES } from './rules.ts'
import type { IntelligenceService } from './service.ts'

const RECENT_REPORTS = 5

/** The triage queue on the home page of those who assess intelligence: how many wait, and how many are urgent. */
export const triageWork = (intelligence: IntelligenceService): WorkSource => ({
  name: 'Triage queue',
  order: 10,
  async list(user: CurrentUser): Promise<WorkSection | null> {
    if (!user.can('intelligence:assess')) return null
    const { total, urgent } = await intelligence.queueCounts(user)
    const waiting = `${total} ${total === 1 ? 'report is' : 'reports are'} waiting for triage`
    return {
      title: 'Triage queue',
      summary: total === 0 ? 'No reports are waiting for triage.' : `${waiting}${urgent ? `, ${urgent} urgent` : ''}.`,
      href: '/intelligence/queue',
      linkText: 'Open the triage queue',
    }
  },
})

const STATUS_COLOURS = {
  submitted: 'blue',
  'in-assessment': 'light-blue',
  graded: 'turquoise',
  disseminated: 'green',
  'no-further-action': 'grey',
  'linked-to-existing': 'grey',
} as const

/**
 * A reporter's own recent reports and where each stands. Shown to anyone who has sent one; to a member of staff who
 * reads no intelligence, also before their first, with the way to report.
 */
export const reportsSentWork = (intelligence: IntelligenceService): WorkSource => ({
  name: 'Your reports',
  order: 90,
  async list(user: CurrentUser): Promise<WorkSection | null> {
    if (!user.can('intelligence:submit')) return null
    const recent = (await intelligence.mine(user, 1)).slice(0, RECENT_REPORTS)
    if (recent.length === 0 && user.can('intelligence:read')) return null
    return {
      title: 'Your recent reports',
      summary:
        recent.length === 0
          ? 'You have not submitted any intelligence reports.'
          : 'The intelligence you reported most recently, and what the security department has done with it.',
      href: recent.length === 0 ? '/intelligence/report' : '/intelligence/mine',
      linkText: recent.length === 0 ? 'Report intelligence' : 'See all your reports',
      lines: recent.map(report => ({
        text: report.ref,
        href: `/intelligence/mine/${encodeURIComponent(report.ref)}`,
        detail: `Submitted ${formatDateTime(report.submittedAt)}`,
        tag: {
          text: STATUS_NAMES[report.status as ReportStatus] ?? report.status,
          colour: STATUS_COLOURS[report.status as ReportStatus] ?? 'grey',
        },
      })),
    }
  },
})
