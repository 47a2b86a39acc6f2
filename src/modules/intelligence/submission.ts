import { randomBytes } from 'node:crypto'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { linkNominals, suggestEntities } from './linking.ts'
import * as repo from './repository.ts'
import { compartmentsFor, drawReportRef, type SourceType, type ThreatArea } from './rules.ts'
import type { SubmitInput } from './schema.ts'

/** Reporting intelligence: any member of staff, and their own reports. */
export function submissionUseCases(db: Db) {
  return {
    /**
     * Any member of staff reports what they know. The same submission twice (a double click, a retried request)
     * is stored once: the second answer is the first report.
     */
    async submit(
      user: CurrentUser,
      input: SubmitInput,
      submissionKey: string,
      correlationId: string | null,
      now = new Date(),
    ) {
      const occurredAt = new Date(input.occurredAt)
      if (occurredAt.getTime() > now.getTime() + 5 * 60_000)
        throw ValidationError.field('occurredAt', 'When it happened must be in the past')
      const previous = await repo.previousSubmission(db, user.id, submissionKey)
      if (previous) return { ...previous, repeated: true }
      return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
        const establishmentCode = user.establishmentCode
        const drawRef = () => drawReportRef(establishmentCode, now.getUTCFullYear(), randomBytes)
        const { compartment, originalCompartment } = compartmentsFor({
          threatAreas: input.threatAreas as ThreatArea[],
          sourceType: input.sourceType as SourceType,
        })
        const named = input.nominals.filter((n): n is { name: string } => 'name' in n).map(n => n.name)
        const inserted = await repo.insertReport(
          trx,
          {
            establishmentCode,
            compartment,
            originalCompartment,
            reporterId: user.id,
            reporterUsername: user.username,
            submissionKey,
            submittedAt: now,
            occurredAt,
            location: input.location ?? null,
            sourceType: input.sourceType,
            threatAreas: input.threatAreas,
            urgent: input.urgent,
            text: input.text,
            namedPeople: named,
            status: 'submitted',
            linkedToRef: null,
            sanitisedText: null,
            gradingScheme: null,
            gradingSource: null,
            gradingIntelligence: null,
            gradingHandling: null,
            gradingConditions: null,
          },
          drawRef,
          user.username,
          now,
        )
        if (inserted.previous) return { ...inserted.previous, repeated: true }
        const { id, ref } = inserted.created
        const report = { id, establishmentCode }
        const picked = input.nominals.filter((n): n is { prisonerNumber: string } => 'prisonerNumber' in n)
        const subjects = picked.map(n => ({ prisonerNumber: n.prisonerNumber, role: 'subject' }))
        await linkNominals(trx, user, report, subjects, now)
        await suggestEntities(trx, report, input.text)
        await audit({
          action: 'intelligence.submitted',
          subjectType: 'intelligence-report',
          subjectId: ref,
          establishmentCode,
          compartment,
          details: {
            urgent: input.urgent,
            threatAreas: input.threatAreas,
            sourceType: input.sourceType,
            nominals: picked.length,
          },
        })
        return { ref, status: 'submitted', repeated: false }
      })
    },

    /** A reporter's own reports, newest first, 25 a page. */
    mine(user: CurrentUser, page: number) {
      return repo.reportsBy(db, user.id, 25, (page - 1) * 25)
    },

    /** One of the reporter's own reports as they sent it, and where it stands. */
    sentReport: (user: CurrentUser, ref: string, correlationId: string | null) =>
      sentReport(db, user, ref, correlationId),
  }
}

/**
 * One of the reporter's own reports as they sent it, and where it stands: no intelligence:read needed, since they
 * wrote it. Another's report is "not found". The look is audited as every view of a report's words is.
 */
function sentReport(db: Db, user: CurrentUser, ref: string, correlationId: string | null, now = new Date()) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const report = await repo.reportSentBy(trx, user.id, ref)
    if (!report) throw new NotFoundError()
    const people = await repo.nominalsLinkedBy(trx, report.id, report.reporterUsername)
    await audit({
      action: 'intelligence.viewed',
      subjectType: 'intelligence-report',
      subjectId: report.ref,
      establishmentCode: report.establishmentCode,
      compartment: report.compartment,
      details: { original: true, asSent: true },
    })
    return { report, people }
  })
}
