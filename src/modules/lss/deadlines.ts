import type { CurrentUser } from '../../platform/access/user.ts'
import {
  addDays,
  type DeadlineItem,
  type DeadlineSource,
  londonToday,
  waitedInWords,
} from '../../platform/deadlines/deadlines.ts'
import type { WorkSection, WorkSource } from '../../platform/deadlines/work.ts'
import { APPROVER_NAMES, type ApproverRole, assuranceDue, riskAssessmentDue } from './rules.ts'
import type { LssService } from './service.ts'

/** Days an approver has to decide an amendment before it shows as overdue. */
const DECISION_DAYS = 14

/** The LSS clocks for one user: the risk assessment, assurance statements and instruction reviews. */
export const lssDeadlines = (lss: LssService): DeadlineSource => ({
  name: 'LSS',
  async list(user: CurrentUser, today: string): Promise<DeadlineItem[]> {
    const lists = await Promise.all([
      riskAssessmentClock(lss, user, today),
      assuranceClocks(lss, user, today),
      instructionReviews(lss, user, today),
    ])
    return lists.flat()
  },
})

/** LSS PF 4.12: the annual risk assessment, or one at once after a significant change in risk. */
async function riskAssessmentClock(lss: LssService, user: CurrentUser, today: string): Promise<DeadlineItem[]> {
  const own = user.establishmentCode
  if (!user.can('lss:assess', { establishmentCode: own })) return []
  const last = await lss.lastCompletedAssessment(own)
  const change = await lss.lastSignificantChange(own)
  const lastDay = last?.completedAt ? londonToday(last.completedAt) : null
  return [
    {
      title:
        change && (!lastDay || change >= lastDay)
          ? 'Risk assessment after a significant change in risk'
          : 'Annual evidence-based risk assessment',
      dueDate: riskAssessmentDue(lastDay, change, today),
      href: '/lss/assessments',
      source: 'LSS',
    },
  ]
}

/** LSS PF 4.18: an assurance statement a year after the last, for each establishment with an LSS in scope. */
async function assuranceClocks(lss: LssService, user: CurrentUser, today: string): Promise<DeadlineItem[]> {
  if (!user.can('lss:assure')) return []
  const codes = user.establishmentCodes === 'all' ? [user.establishmentCode] : user.establishmentCodes
  const items: DeadlineItem[] = []
  for (const establishmentCode of await lss.establishmentsWithLss(codes)) {
    items.push({
      title: 'Annual LSS assurance statement',
      group: 'Annual LSS assurance statements',
      establishmentCode,
      dueDate: assuranceDue(await lss.lastSigned(establishmentCode), today),
      href: `/lss/assurance?establishment=${establishmentCode}`,
      source: 'LSS',
    })
  }
  return items
}

async function instructionReviews(lss: LssService, user: CurrentUser, today: string): Promise<DeadlineItem[]> {
  const own = user.establishmentCode
  if (!user.can('lss:manage', { establishmentCode: own })) return []
  const reviews = await lss.reviewsDue(own, addDays(today, 14))
  return reviews.map(r => ({
    title: `Review the instruction “${r.title}”`,
    dueDate: r.reviewDue!,
    href: `/lss/instructions/${r.id}`,
    source: 'LSS',
  }))
}

/**
 * Amendments waiting for the user's decision as Governor, PGD or Executive Director (LSS PF 4.13–4.16), oldest first;
 * one waiting longer than the days an approver has is marked overdue.
 */
export const lssDecisionWork = (lss: LssService): WorkSource => ({
  name: 'LSS decisions',
  order: 20,
  async list(user: CurrentUser, now: Date): Promise<WorkSection | null> {
    if (!user.can('lss:decide')) return null
    const awaited = await lss.awaiting(user)
    const today = londonToday(now)
    return {
      title: 'LSS amendments awaiting your decision',
      summary:
        awaited.length === 0
          ? 'No amendment to the Local Security Strategy is waiting for your decision.'
          : `${awaited.length} ${awaited.length === 1 ? 'amendment is' : 'amendments are'} waiting for your decision.`,
      href: '/lss/amendments',
      linkText: 'See the amendment log',
      lines: awaited.map(a => {
        const role = a.status.replace('awaiting-', '') as ApproverRole
        const overdue = addDays(londonToday(a.proposedAt), DECISION_DAYS) < today
        return {
          text: `Decide amendment ${a.ref}: ${a.instructionTitle}`,
          href: `/lss/amendments/${a.ref}`,
          detail: `As ${APPROVER_NAMES[role]}, proposed ${waitedInWords(a.proposedAt, now).toLowerCase()} ago`,
          establishmentCode: a.establishmentCode,
          ...(overdue ? { tag: { text: 'Overdue', colour: 'red' as const } } : {}),
        }
      }),
    }
  },
})
