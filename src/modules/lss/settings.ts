import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { findUserHome, withDisplayNames } from '../../platform/users/repository.ts'
import { editorsOf, insertEditor, pgdRequiredAt, savePgdRequired } from './repository.ts'

// The LSS owner's settings for their establishment: whether amendments need the PGD (LSS PF 4.16), and the staff
// nominated to edit the strategy.

async function setPgdRequired(
  db: Db,
  user: CurrentUser,
  pgdRequired: boolean,
  correlationId: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const establishmentCode = user.establishmentCode
    await savePgdRequired(trx, { establishmentCode, pgdRequired, updatedAt: now, updatedBy: user.username })
    await audit({
      action: 'lss.pgd-required-set',
      subjectType: 'establishment',
      subjectId: establishmentCode,
      details: { pgdRequired },
    })
    return { establishmentCode, pgdRequired }
  })
}

async function editors(db: Db, user: CurrentUser) {
  return withDisplayNames(db, await editorsOf(db, user.establishmentCode), ['username', 'nominatedBy'])
}

/** Nominates a member of staff of the same establishment to edit the LSS. */
async function nominateEditor(db: Db, user: CurrentUser, username: string, correlationId: string, now = new Date()) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const person = await findUserHome(trx, username)
    if (!person || person.establishmentCode !== user.establishmentCode)
      throw ValidationError.field('editor', 'Enter the username of someone at your establishment')
    await insertEditor(trx, {
      establishmentCode: user.establishmentCode,
      username: person.username,
      nominatedBy: user.username,
      nominatedAt: now,
    })
    await audit({ action: 'lss.editor-nominated', subjectType: 'user', subjectId: person.username })
    return { establishmentCode: user.establishmentCode, username: person.username }
  })
}

/** Whether amendments at this establishment need the PGD's agreement. */
function settings(db: Db, establishmentCode: string) {
  return pgdRequiredAt(db, establishmentCode)
}

/** The LSS owner's settings. */
export function settingsUseCases(db: Db) {
  return {
    setPgdRequired: setPgdRequired.bind(null, db),
    editors: editors.bind(null, db),
    nominateEditor: nominateEditor.bind(null, db),
    settings: settings.bind(null, db),
  }
}
