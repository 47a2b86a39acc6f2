// What every use case on one report shares: finding it as the user may see it, the audited denial of a look outside
// scope, and moving it through the workflow.
import { auditingDenials, NotVisibleError } from '../../platform/access/denials.ts'
import type { Permission } from '../../platform/access/roles.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts'
import * as repo from './repository.ts'
import { nextStatus, type ReportStatus, type WorkflowAction } from './rules.ts'

/** A look at a real report outside the user's scope: "not found" for them, and an audited event. */
function notVisible(report: { ref: string; establishmentCode: string }) {
  return new NotVisibleError({
    action: 'intelligence.view-denied',
    subjectType: 'intelligence-report',
    subjectId: report.ref,
    establishmentCode: report.establishmentCode,
  })
}

/** The report if the user may see it; otherwise "not found", a look at a real report outside scope denied. */
export async function visibleOr404(trx: Executor, user: CurrentUser, ref: string) {
  const report = await repo.findVisibleReport(trx, user, ref)
  if (report) return report
  const exists = await repo.findReportByRef(trx, ref)
  // A report in a compartment the user lacks does not exist for them at all, so nothing is recorded that could
  // show up beside its reference.
  throw exists && user.holds(exists.compartment) ? notVisible(exists) : new NotFoundError()
}

/** Reads need intelligence:read; a reporter may always see the status of what they submitted. */
export function assertMayRead(user: CurrentUser, report: repo.ReportRow) {
  if (!user.can('intelligence:read') && report.reporterId !== user.id) throw notVisible(report)
}

export function canReadOriginal(
  user: CurrentUser,
  report: { establishmentCode: string; compartment: string | null; originalCompartment: string | null },
) {
  return (
    user.can('intelligence:read-original', {
      establishmentCode: report.establishmentCode,
      compartment: report.compartment,
    }) && user.holds(report.originalCompartment)
  )
}

/** Runs a use case, answering "not found" to a look outside scope and auditing it. */
export function deniedAsNotFound<T>(db: Db, user: CurrentUser, correlationId: string | null, work: () => Promise<T>) {
  return auditingDenials(db, actorOf(user, correlationId), work)
}

/**
 * What a step on a report did: its audit action and details, and what the caller is answered (if anything). A step
 * that puts the report in a compartment names it, so that its own event is as need-to-know as the report now is.
 */
export type StepDone<T> = {
  action: string
  details?: Record<string, unknown>
  compartment?: string
} & (T extends undefined ? { result?: undefined } : { result: T })

/**
 * A step on one report (assessing it, disseminating it): scope, compartment and permission checked, one
 * transaction, one audit event about the report.
 */
export function stepOnReport<T = undefined>(
  db: Db,
  step: { user: CurrentUser; ref: string; correlationId: string | null; permission: Permission },
  work: (trx: Executor, report: repo.ReportRow, now: Date) => Promise<StepDone<T>>,
  now = new Date(),
): Promise<T> {
  const { user, ref, correlationId, permission } = step
  return deniedAsNotFound(db, user, correlationId, () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const report = await visibleOr404(trx, user, ref)
      const where = { establishmentCode: report.establishmentCode, compartment: report.compartment }
      if (!user.can(permission, where)) throw new ForbiddenError()
      const done = await work(trx, report, now)
      await audit({
        action: done.action,
        subjectType: 'intelligence-report',
        subjectId: report.ref,
        establishmentCode: report.establishmentCode,
        compartment: done.compartment ?? report.compartment,
        details: done.details,
      })
      return done.result as T
    }),
  )
}

/** Moves a report through the workflow table, or a 409 when its status does not allow the action. */
export async function changeStatus(
  trx: Executor,
  report: { id: string; status: string },
  action: WorkflowAction,
  change: { by: string; now: Date; note?: string | null },
): Promise<ReportStatus> {
  const to = nextStatus(report.status as ReportStatus, action)
  if (!to)
    throw new ConflictError(`This report is ${report.status.replace(/-/g, ' ')}: it cannot be changed that way now.`)
  if (!(await repo.moveReport(trx, report, to, { ...change, note: change.note ?? null })))
    throw new ConflictError('Someone else changed this report while you were working on it. Reload it and try again.')
  return to
}
