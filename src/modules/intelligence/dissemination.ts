import type { CurrentUser } from '../../platform/access/user.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { findUserByUsername } from '../../platform/users/repository.ts'
import type { ReadingUseCases } from './reading.ts'
import { changeStatus, stepOnReport } from './report-access.ts'
import * as repo from './repository.ts'
import {
  disseminationBlockers,
  type Grading,
  gradingFromColumns,
  handlingCheck,
  originatesOutsideHmpps,
  type RecipientType,
  type ReportStatus,
} from './rules.ts'
import type { DisseminationInput } from './schema.ts'

type HandlingCheckResult = 'within-terms' | 'overridden'

/** Sharing a report's sanitised text outside the security department, within its handling terms. */
export function disseminationUseCases(db: Db, read: ReadingUseCases['read']) {
  /**
   * Within the handling terms, or overridden by a head of security with reasons; otherwise the field at fault. Code 5
   * from outside HMPPS goes back to its originator: no one here may override it.
   */
  async function handlingFor(
    trx: Executor,
    user: CurrentUser,
    report: repo.ReportRow,
    grading: Grading,
    input: DisseminationInput,
  ) {
    const reporter = await findUserByUsername(trx, report.reporterUsername)
    const outside = originatesOutsideHmpps({ sourceType: report.sourceType, reporterRoles: reporter?.roles ?? [] })
    const verdict = handlingCheck(grading, input.recipientType as RecipientType, input.conditionsMet, outside)
    if (verdict.withinTerms) return 'within-terms' as const
    if (!verdict.overridable) throw ValidationError.field('recipientType', `${verdict.reason}.`)
    if (!user.can('intelligence:override-handling', { establishmentCode: report.establishmentCode }))
      throw ValidationError.field('recipientType', `${verdict.reason}. Only the head of security can override this.`)
    if (!input.overrideReason)
      throw ValidationError.field(
        'overrideReason',
        `${verdict.reason}. Enter the reasons for overriding the handling code`,
      )
    return 'overridden' as const
  }

  return {
    /**
     * Records a dissemination of the current sanitised text. Outside the grading's handling terms it needs a head
     * of security's override with reasons.
     */
    disseminate(user: CurrentUser, ref: string, input: DisseminationInput, correlationId: string | null) {
      const step = { user, ref, correlationId, permission: 'intelligence:disseminate' as const }
      return stepOnReport<{ id: string; handlingCheck: HandlingCheckResult }>(db, step, async (trx, report, now) => {
        const grading = gradingFromColumns(report)
        const status = report.status as ReportStatus
        const blockers = disseminationBlockers({ status, sanitisedText: report.sanitisedText, grading })
        if (blockers.length || !grading) throw new ValidationError(blockers)
        const handling = await handlingFor(trx, user, report, grading, input)
        const [current] = await repo.sanitisedVersions(trx, report.id)
        const created = await repo.insertDissemination(trx, {
          reportId: report.id,
          establishmentCode: report.establishmentCode,
          recipientType: input.recipientType,
          recipientName: input.recipientName,
          purpose: input.purpose,
          sanitisedVersion: current.version,
          sanitisedText: current.text,
          gradingScheme: grading.scheme,
          gradingSource: grading.source,
          gradingIntelligence: grading.intelligence,
          gradingHandling: grading.handling,
          handlingCheck: handling,
          overrideReason: handling === 'overridden' ? (input.overrideReason ?? null) : null,
          authorisedBy: user.username,
          disseminatedAt: now,
        })
        await changeStatus(trx, report, 'disseminate', { by: user.username, now })
        return {
          action: 'intelligence.disseminated',
          details: {
            disseminationId: created.id,
            recipientType: input.recipientType,
            recipientName: input.recipientName,
            purpose: input.purpose,
            handlingCheck: handling,
          },
          result: { id: created.id, handlingCheck: handling },
        }
      })
    },

    /** One dissemination of a report, with the report as the user may see it (the read is audited). */
    async dissemination(user: CurrentUser, ref: string, id: string, correlationId: string) {
      const report = await read(user, ref, correlationId)
      const found = report.disseminations.find(d => d.id === id)
      if (!found) throw new NotFoundError()
      return { ...report, dissemination: found }
    },
  }
}
