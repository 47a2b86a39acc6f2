import type { CurrentUser } from '../../platform/access/user.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { linkNominals, normalisedEntities } from './linking.ts'
import { canReadOriginal, changeStatus, type StepDone, stepOnReport } from './report-access.ts'
import type { ReportRow } from './repository.ts'
import * as repo from './repository.ts'
import { gradingProblems, type ReportStatus, restrictionProblem, type WorkflowAction } from './rules.ts'
import type { CloseInput, GradingInput, LinksInput, RestrictInput, WorkflowActionInput } from './schema.ts'

/** Where a report stands after a workflow action. */
type Moved = { ref: string; status: ReportStatus }

/** Grading and dissemination carry a grade or a recipient, so the API takes them by their own calls. */
const TAKEN_ELSEWHERE: Partial<Record<WorkflowAction, string>> = {
  grade: 'Grade a report with its grade: POST /api/v1/intelligence-reports/{ref}/grading',
  disseminate: 'Disseminate a report to its recipient: POST /api/v1/intelligence-reports/{ref}/disseminations',
}

/** Closes a report: no further action, or linked to an existing report the user can see. */
async function closeReport(
  trx: Executor,
  user: CurrentUser,
  report: ReportRow,
  input: CloseInput,
  now: Date,
): Promise<StepDone<Moved>> {
  if (input.action === 'link-to-existing') {
    if (!input.linkedToRef)
      throw ValidationError.field('linkedToRef', 'Enter the reference of the report this one adds to')
    const target = await repo.findVisibleReport(trx, user, input.linkedToRef)
    if (!target || target.id === report.id)
      throw ValidationError.field('linkedToRef', 'Enter the reference of another report you can see')
    await repo.setLinkedTo(trx, report.id, target.ref)
  }
  const status = await changeStatus(trx, report, input.action, { by: user.username, now, note: input.note })
  return {
    action: `intelligence.${input.action}`,
    details: input.linkedToRef ? { linkedToRef: input.linkedToRef } : {},
    result: { ref: report.ref, status },
  }
}

type Restricted = { ref: string; compartment: string; stillVisible: boolean }

/**
 * Puts an open report in a compartment: from now on it exists only for the compartment's holders, as if it had been
 * submitted there, and the decision's own event is as need-to-know. Whether the analyst still sees it is answered,
 * so a page knows where to go next.
 */
async function restrictTo(
  trx: Executor,
  user: CurrentUser,
  report: ReportRow,
  input: RestrictInput,
): Promise<StepDone<Restricted>> {
  const problem = restrictionProblem(report.compartment)
  if (problem || !(await repo.restrictReport(trx, report.id, input.compartment)))
    throw ValidationError.field('compartment', problem ?? 'Someone else restricted this report first')
  return {
    action: 'intelligence.restricted',
    compartment: input.compartment,
    details: { compartment: input.compartment, reason: input.reason },
    result: { ref: report.ref, compartment: input.compartment, stillVisible: user.holds(input.compartment) },
  }
}

/** Entities an analyst links: accepted, or marked do-not-link when the establishment's list holds the value. */
async function linkEntities(
  trx: Executor,
  user: CurrentUser,
  report: ReportRow,
  typed: LinksInput['entities'] & object,
  now: Date,
) {
  const entities = normalisedEntities(typed)
  if (entities.length === 0) return entities
  const ids = await repo.entityIds(trx, entities)
  const blocked = new Set((await repo.doNotLinkValues(trx, report.establishmentCode)).map(d => `${d.type}:${d.value}`))
  for (const entity of entities) {
    const key = `${entity.type}:${entity.value}`
    await repo.decideLinkedEntity(
      trx,
      { reportId: report.id, entityId: ids.get(key) ?? 0, establishmentCode: report.establishmentCode },
      { status: blocked.has(key) ? 'do-not-link' : 'accepted', decidedBy: user.username, decidedAt: now },
    )
  }
  return entities
}

/** The analyst's steps on a report: start, grade, sanitise, link, decide entities, close. */
export function assessmentUseCases(db: Db) {
  /** One step under intelligence:assess, in its own transaction with its audit event. */
  const assess = <T = undefined>(
    user: CurrentUser,
    ref: string,
    correlationId: string | null,
    work: (trx: Executor, report: ReportRow, now: Date) => Promise<StepDone<T>>,
  ) => stepOnReport<T>(db, { user, ref, correlationId, permission: 'intelligence:assess' }, work)

  function startAssessment(user: CurrentUser, ref: string, correlationId: string | null, note: string | null = null) {
    return assess<Moved>(user, ref, correlationId, async (trx, report, now) => {
      const status = await changeStatus(trx, report, 'start-assessment', { by: user.username, now, note })
      return { action: 'intelligence.assessment-started', result: { ref: report.ref, status } }
    })
  }

  return {
    startAssessment,

    /** A workflow action by its own name (rules.ts TRANSITIONS), as the API takes it: where the report now stands. */
    takeAction(user: CurrentUser, ref: string, input: WorkflowActionInput, correlationId: string | null) {
      const elsewhere = TAKEN_ELSEWHERE[input.action]
      if (elsewhere) throw ValidationError.field('action', elsewhere)
      if (input.action === 'start-assessment') return startAssessment(user, ref, correlationId, input.note ?? null)
      const { note, linkedToRef } = input
      if (!note) throw ValidationError.field('note', 'Enter the reason')
      const action = input.action === 'link-to-existing' ? input.action : 'no-further-action'
      return assess<Moved>(user, ref, correlationId, (trx, report, now) =>
        closeReport(trx, user, report, { action, note, linkedToRef }, now),
      )
    },

    /** Grades (or re-grades) under a scheme; every grading is kept. */
    grade(user: CurrentUser, ref: string, input: GradingInput, correlationId: string | null) {
      return assess(user, ref, correlationId, async (trx, report, now) => {
        const problems = gradingProblems(input)
        if (problems.length) throw new ValidationError(problems)
        const previous = await repo.gradings(trx, report.id)
        const { scheme, source, intelligence, handling } = input
        await repo.recordGrading(
          trx,
          report.id,
          { version: (previous[0]?.version ?? 0) + 1, scheme, source, intelligence, handling },
          { conditions: input.conditions ?? null, gradedBy: user.username, gradedAt: now },
        )
        await changeStatus(trx, report, 'grade', { by: user.username, now })
        return {
          action: previous.length ? 'intelligence.regraded' : 'intelligence.graded',
          details: { scheme, source, intelligence, handling },
        }
      })
    },

    /** Writes a new sanitised version: the text everything and everyone else sees. */
    sanitise(user: CurrentUser, ref: string, sanitisedText: string, correlationId: string | null) {
      return assess(user, ref, correlationId, async (trx, report, now) => {
        if (!canReadOriginal(user, report))
          throw new ForbiddenError('Only someone who can read the original may sanitise it.')
        const previous = await repo.sanitisedVersions(trx, report.id)
        const version = (previous[0]?.version ?? 0) + 1
        await repo.recordSanitisedText(trx, report.id, {
          version,
          text: sanitisedText,
          writtenBy: user.username,
          writtenAt: now,
        })
        return { action: 'intelligence.sanitised', details: { version } }
      })
    },

    /** A triage decision that the report is need-to-know (see restrictTo). */
    restrict(user: CurrentUser, ref: string, input: RestrictInput, correlationId: string | null) {
      return assess<Restricted>(user, ref, correlationId, (trx, report) => restrictTo(trx, user, report, input))
    },

    close(user: CurrentUser, ref: string, input: CloseInput, correlationId: string | null) {
      return assess(user, ref, correlationId, (trx, report, now) => closeReport(trx, user, report, input, now))
    },

    /** Links people (with a role) and entities to a report. */
    links(user: CurrentUser, ref: string, input: LinksInput, correlationId: string | null) {
      return assess(user, ref, correlationId, async (trx, report, now) => {
        await linkNominals(trx, user, report, input.nominals ?? [], now)
        const entities = await linkEntities(trx, user, report, input.entities ?? [], now)
        return {
          action: 'intelligence.linked',
          details: {
            nominals: (input.nominals ?? []).map(n => `${n.prisonerNumber}:${n.role}`),
            entities: entities.length,
          },
        }
      })
    },

    /** Accepts or rejects a suggested entity. A do-not-link value can never be accepted. */
    decideEntity(
      user: CurrentUser,
      ref: string,
      entityId: number,
      decision: 'accepted' | 'rejected',
      correlationId: string | null,
    ) {
      return assess(user, ref, correlationId, async (trx, report, now) => {
        const current = await repo.reportEntityStatus(trx, report.id, entityId)
        if (!current) throw new NotFoundError('That entity is not on this report')
        if (current.status === 'do-not-link' && decision === 'accepted')
          throw new ConflictError('This value is on the do-not-link list and cannot be linked.')
        await repo.setReportEntityStatus(
          trx,
          { reportId: report.id, entityId },
          { status: decision, decidedBy: user.username, decidedAt: now },
        )
        return { action: `intelligence.entity-${decision}`, details: { entityId } }
      })
    },
  }
}
