import { type Actor, recordAudit } from '../audit/audit.ts'
import type { Db } from '../db/database.ts'
import { NotFoundError } from '../http/errors.ts'

/** What a denied look was at: the audit event written for it names the subject, never its content. */
export type DeniedSubject = {
  /** The audit action, `<module>.view-denied` (e.g. 'intelligence.view-denied'). */
  action: `${string}.view-denied`
  subjectType: string
  subjectId: string
  establishmentCode: string
}

/**
 * A real record outside the user's scope: the person is told "not found" (they learn nothing of its existence),
 * and the look is audited. A record in a compartment the user lacks is a plain NotFoundError instead: it does not
 * exist for them, so nothing is recorded that could show up beside its reference.
 */
export class NotVisibleError extends NotFoundError {
  override name = 'NotVisibleError'
  readonly subject: DeniedSubject
  constructor(subject: DeniedSubject, message?: string) {
    super(message)
    this.subject = subject
  }
}

/**
 * Runs a use case, and audits a look at a record outside the user's scope in a transaction of its own (the use
 * case's own has rolled back), answering "not found".
 */
export async function auditingDenials<T>(db: Db, actor: Actor, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof NotVisibleError)) throw error
    const { action, ...subject } = error.subject
    await db.transaction().execute(trx => recordAudit(trx, actor, { action, ...subject }))
    throw new NotFoundError(error.message)
  }
}

/**
 * The record a query found for the user, or why there is none: a record at a prison outside their scope is a denied
 * look (NotVisibleError, audited by `auditingDenials`); anything else is simply not found.
 */
export async function visibleOr404<T>(
  user: { inScope(establishmentCode: string): boolean },
  found: T | undefined | null,
  placing: () => Promise<{ establishmentCode: string } | undefined>,
  subject: Omit<DeniedSubject, 'establishmentCode'>,
): Promise<T> {
  if (found !== undefined && found !== null) return found
  const placed = await placing()
  if (placed && !user.inScope(placed.establishmentCode)) {
    throw new NotVisibleError({ ...subject, establishmentCode: placed.establishmentCode })
  }
  throw new NotFoundError()
}
