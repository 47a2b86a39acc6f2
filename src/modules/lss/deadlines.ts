import type { CurrentUser } from '../../platform/access/user.ts'
import type { Db } from '../../platform/db/database.ts'
import { addDays, type DeadlineItem, type DeadlineSource, londonToday } from '../../platform/deadlines/deadlines.ts'
import { APPROVER_NAMES, type ApproverRole, assuranceDue, riskAssessmentDue } from './rules.ts'

/** Days an approver has to decide an amendment before it shows as overdue. */
const DECISION_DAYS = 14

/** The LSS clocks for one user: the risk assessment and assurance statement, instruction reviews, decisions. */
export const lssDeadlines = (db: Db): DeadlineSource => ({
  name: 'LSS',
  async list(user: CurrentUser, today: string): Promise<DeadlineItem[]> {
    const items: DeadlineItem[] = []
    const own = user.establishmentCode
    if (user.can('lss:assess', { establishmentCode: own })) {
      const last = await db
        .selectFrom('lssRiskAssessment')
        .select('completedAt')
        .where('establishmentCode', '=', own)
        .where('status', '=', 'completed')
        .orderBy('completedAt', 'desc')
        .executeTakeFirst()
      const change = await db
        .selectFrom('lssSignificantChange')
        .select('recordedOn')
        .where('establishmentCode', '=', own)
        .orderBy('recordedOn', 'desc')
        .executeTakeFirst()
      const lastDay = last?.completedAt ? londonToday(last.completedAt) : null
      items.push({
        title:
          change && (!lastDay || change.recordedOn >= lastDay)
            ? 'Risk assessment after a significant change in risk'
            : 'Annual evidence-based risk assessment',
        dueDate: riskAssessmentDue(lastDay, change?.recordedOn ?? null, today),
        href: '/lss/assessments',
        source: 'LSS',
      })
    }
    if (user.can('lss:assure')) {
      const codes = user.establishmentCodes === 'all' ? [own] : user.establishmentCodes
      const withLss = await db
        .selectFrom('lssInstruction')
        .select('establishmentCode')
        .distinct()
        .where('establishmentCode', 'in', [...codes])
        .execute()
      for (const { establishmentCode } of withLss) {
        const last = await db
          .selectFrom('lssAssuranceStatement')
          .select(['pgdSignedAt', 'governorSignedAt'])
          .where('establishmentCode', '=', establishmentCode)
          .where('governorSignedAt', 'is not', null)
          .where('pgdSignedAt', 'is not', null)
          .orderBy('year', 'desc')
          .executeTakeFirst()
        // Complete when the second of the two signs.
        const signed = last
          ? londonToday(new Date(Math.max(last.pgdSignedAt!.getTime(), last.governorSignedAt!.getTime())))
          : null
        items.push({
          title: `Annual LSS assurance statement, ${establishmentCode}`,
          dueDate: assuranceDue(signed, today),
          href: `/lss/assurance?establishment=${establishmentCode}`,
          source: 'LSS',
        })
      }
    }
    if (user.can('lss:manage', { establishmentCode: own })) {
      const reviews = await db
        .selectFrom('lssInstruction')
        .select(['id', 'title', 'reviewDue'])
        .where('establishmentCode', '=', own)
        .where('reviewDue', 'is not', null)
        .where('reviewDue', '<=', addDays(today, 14))
        .execute()
      for (const r of reviews)
        items.push({
          title: `Review the instruction “${r.title}”`,
          dueDate: r.reviewDue!,
          href: `/lss/instructions/${r.id}`,
          source: 'LSS',
        })
    }
    const approverRoles = user.roles.filter(
      (r): r is ApproverRole => r === 'governor' || r === 'pgd' || r === 'ed-security',
    )
    if (approverRoles.length) {
      let query = db
        .selectFrom('lssAmendment')
        .select(['ref', 'status', 'proposedAt', 'establishmentCode'])
        .where(
          'status',
          'in',
          approverRoles.map(role => `awaiting-${role}`),
        )
      if (user.establishmentCodes !== 'all')
        query = query.where('establishmentCode', 'in', [...user.establishmentCodes])
      for (const a of await query.execute()) {
        const role = a.status.replace('awaiting-', '') as ApproverRole
        items.push({
          title: `Decide amendment ${a.ref} (${a.establishmentCode}) as ${APPROVER_NAMES[role]}`,
          dueDate: addDays(londonToday(a.proposedAt), DECISION_DAYS),
          href: `/lss/amendments/${a.ref}`,
          source: 'LSS',
        })
      }
    }
    return items
  },
})
