import type { CurrentUser } from '../../../platform/access/user.ts'
import type { Executor } from '../../../platform/db/database.ts'
import { allNominals } from '../../people/repository.ts'
import { visibleReport } from '../repository.ts'

// The intelligence module's reads of work waiting and of what a reporter sent: the triage queue, a reporter's own
// reports, and one of them as it was sent. Kept apart from ../repository.ts (reports, workflow, settings) so that
// each file can be read whole; that file re-exports these, so the module still has one repository to import.

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

/**
 * The triage queue: reports waiting for the security department, urgent first, then oldest, each with the username
 * of whoever last started its assessment (null while nobody has).
 */
export function queue(db: Executor, viewer: Viewer, limit = 100) {
  return db
    .selectFrom('intelligenceReport as r')
    .innerJoin('establishment as e', 'e.code', 'r.establishmentCode')
    .select(eb => [
      'r.ref',
      'r.status',
      'r.urgent',
      'r.submittedAt',
      'r.threatAreas',
      'r.sourceType',
      'r.establishmentCode',
      'e.name as establishmentName',
      eb
        .selectFrom('intelligenceStatusChange as c')
        .select('c.changedBy')
        .whereRef('c.reportId', '=', 'r.id')
        .where('c.toStatus', '=', 'in-assessment')
        .orderBy('c.id', 'desc')
        .limit(1)
        .as('assessor'),
    ])
    .where('r.status', 'in', ['submitted', 'in-assessment'])
    .where(visibleReport(viewer))
    .orderBy('r.urgent', 'desc')
    .orderBy('r.submittedAt', 'asc')
    .limit(limit)
    .execute()
}

/** How many reports wait for triage in the viewer's scope, and how many of them are urgent. */
export async function queueCounts(db: Executor, viewer: Viewer) {
  const row = await db
    .selectFrom('intelligenceReport as r')
    .select(eb => [
      eb.fn.countAll<string>().as('total'),
      eb.fn.countAll<string>().filterWhere('r.urgent', '=', true).as('urgent'),
    ])
    .where('r.status', 'in', ['submitted', 'in-assessment'])
    .where(visibleReport(viewer))
    .executeTakeFirstOrThrow()
  return { total: Number(row.total), urgent: Number(row.urgent) }
}

export function reportsBy(db: Executor, reporterId: string, limit: number, offset: number) {
  return db
    .selectFrom('intelligenceReport as r')
    .select(['r.ref', 'r.status', 'r.submittedAt', 'r.threatAreas', 'r.urgent'])
    .where('r.reporterId', '=', reporterId)
    .orderBy('r.submittedAt', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

/**
 * One report as its reporter sent it, found only among that reporter's own reports: their words, what they chose
 * on the form, and where it stands now. Nothing the security department added.
 */
export function reportSentBy(db: Executor, reporterId: string, ref: string) {
  return db
    .selectFrom('intelligenceReport as r')
    .innerJoin('establishment as e', 'e.code', 'r.establishmentCode')
    .select([
      'r.id',
      'r.ref',
      'r.establishmentCode',
      'r.compartment',
      'r.reporterUsername',
      'r.submittedAt',
      'r.occurredAt',
      'r.location',
      'r.sourceType',
      'r.threatAreas',
      'r.urgent',
      'r.text',
      'r.namedPeople',
      'r.status',
      'e.name as establishmentName',
    ])
    .where('r.reporterId', '=', reporterId)
    .where('r.ref', '=', ref)
    .executeTakeFirst()
}

/** The people a user linked to a report themselves (a reporter's picks on the form), by prison number and name. */
export function nominalsLinkedBy(db: Executor, reportId: string, username: string) {
  return db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin(allNominals(db).as('n'), 'n.id', 'l.nominalId')
    .select(['n.ref', 'n.firstName', 'n.lastName'])
    .where('l.reportId', '=', reportId)
    .where('l.linkedBy', '=', username)
    .orderBy('l.linkedAt')
    .execute()
}
