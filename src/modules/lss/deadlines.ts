import type { CurrentUser } from '../../platform/access/user.ts'
import { addDays, type DeadlineItem, type DeadlineSource, londonToday } from '../../platform/deadlines/deadlines.ts'
import { APPROVER_NAMES, type ApproverRole, assuranceDue, riskAssessmentDue } from './rules.ts'
import type { LssService } from './service.ts'

/** Days an approver has to decide an amendment before it shows as overdue. */
const DECISION_DAYS = 14

/** The LSS clocks for one user: the risk assessment and assurance statement, instruction reviews, decisions. */
export const lssDeadlines = (lss: LssService): DeadlineSource => ({
  name: 'LSS',
  async list(user: CurrentUser, today: string): Promise<DeadlineItem[]> {
    const lists = await Promise.all([
      riskAssessmentClock(lss, user, today),
      assuranceClocks(lss, user, today),
      instructionReviews(lss, user, today),
      decisionsAwaited(lss, user),
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
      title: `Annual LSS assurance statement, ${establishmentCode}`,
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

async function decisionsAwaited(lss: LssService, user: CurrentUser): Promise<DeadlineItem[]> {
  return (await lss.awaiting(user)).map(a => {
    const role = a.status.replace('awaiting-', '') as ApproverRole
    return {
      title: `Decide amendment ${a.ref} (${a.establishmentCode}) as ${APPROVER_NAMES[role]}`,
      dueDate: addDays(londonToday(a.proposedAt), DECISION_DAYS),
      href: `/lss/amendments/${a.ref}`,
      source: 'LSS',
    }
  })
}
