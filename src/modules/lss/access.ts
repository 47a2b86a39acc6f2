import { auditingDenials, NotVisibleError } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import {
  findAmendment,
  findAssessment,
  findInstruction,
  findStatement,
  isNominatedEditor,
  lockAmendment,
  lockStatement,
} from './repository.ts'

// Who may see and change what in the LSS: a record of another establishment is "not found", and the look is
// audited as lss.view-denied (through `withDenials`, around each use case).

/** Runs a use case; a look at a record outside the user's scope is audited and answered "not found". */
export function withDenials<T>(db: Db, user: CurrentUser, correlationId: string | null, work: () => Promise<T>) {
  return auditingDenials(db, actorOf(user, correlationId), work)
}

function outOfScope(subjectType: string, subjectId: string, establishmentCode: string, message: string) {
  return new NotVisibleError({ action: 'lss.view-denied', subjectType, subjectId, establishmentCode }, message)
}

export async function visibleInstruction(db: Executor, user: CurrentUser, id: string) {
  const found = await findInstruction(db, id)
  const message = 'That instruction does not exist'
  if (!found) throw new NotFoundError(message)
  if (!user.inScope(found.establishmentCode))
    throw outOfScope('lss-instruction', found.ref, found.establishmentCode, message)
  return found
}

/** The amendment, locked for this transaction when `lock`, if it is in the user's scope. */
export async function visibleAmendment(db: Executor, user: CurrentUser, id: string, options: { lock?: boolean } = {}) {
  const found = options.lock ? await lockAmendment(db, id) : await findAmendment(db, id)
  const message = 'That amendment does not exist'
  if (!found) throw new NotFoundError(message)
  if (!user.inScope(found.establishmentCode))
    throw outOfScope('lss-amendment', found.ref, found.establishmentCode, message)
  return found
}

export async function visibleAssessment(
  db: Executor,
  user: CurrentUser,
  ref: string,
  options: { lock?: boolean } = {},
) {
  const found = await findAssessment(db, ref, options)
  if (!found) throw new NotFoundError()
  if (!user.inScope(found.establishmentCode))
    throw outOfScope('lss-assessment', found.ref, found.establishmentCode, 'Page not found')
  return found
}

export async function visibleStatement(db: Executor, user: CurrentUser, id: string) {
  const found = await findStatement(db, id)
  if (!found) throw new NotFoundError()
  if (!user.inScope(found.establishmentCode))
    throw outOfScope('lss-assurance', found.id, found.establishmentCode, 'Page not found')
  return found
}

export async function lockedStatement(db: Executor, user: CurrentUser, id: string) {
  const found = await lockStatement(db, id)
  if (!found) throw new NotFoundError()
  if (!user.inScope(found.establishmentCode))
    throw outOfScope('lss-assurance', found.id, found.establishmentCode, 'Page not found')
  return found
}

/** The LSS owner, or a member of staff the owner nominated, may add instructions and propose amendments. */
export async function mayEdit(db: Executor, user: CurrentUser, establishmentCode: string) {
  if (user.can('lss:manage', { establishmentCode })) return true
  return isNominatedEditor(db, establishmentCode, user.username)
}
