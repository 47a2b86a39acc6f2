import { importPrisoners } from '../../src/modules/people/imports.ts'
import type { Actor } from '../../src/platform/audit/audit.ts'
import type { Db } from '../../src/platform/db/database.ts'

/** The actor of a test's own set-up, as the command line's import is the system's. */
export const TEST_IMPORTER: Actor = { userId: null, username: 'test', establishmentCode: null, correlationId: null }

/**
 * A Prisoner Search record (the shape `portcullis import prisoners` reads) with what no test is about filled in:
 * a test names the fields it depends on, and nothing else.
 */
export function prisonerRecord<F extends { prisonerNumber: string; firstName: string; lastName: string }>(fields: F) {
  return {
    bookingId: 1,
    dateOfBirth: '1985-05-05',
    prisonId: 'MDI',
    category: 'C',
    aliases: [] as unknown[],
    alerts: [] as unknown[],
    ...fields,
  }
}

/** Brings prisoners in through the real import, as a test's set-up. */
export function importTestPrisoners(db: Db, records: ReturnType<typeof prisonerRecord>[], fileName = 'test.json') {
  return importPrisoners(db, TEST_IMPORTER, { fileName, records })
}

/** Who the audit trail says did `action` to a subject: a test's check that a read or a denied look was recorded. */
export async function auditActors(db: Db, action: string, subjectId: string) {
  const events = await db
    .selectFrom('auditEvent')
    .select('actorUsername')
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .execute()
  return events.map(event => event.actorUsername)
}
