import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { activeStaffAt, findUserHome, withDisplayNames } from '../../platform/users/repository.ts'
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
      throw ValidationError.field('editor', 'Select someone at your establishment to nominate as an editor')
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

/** People's names by username, for a page to say who was nominated. */
function editorNames(db: Db, usernames: readonly string[]) {
  return withDisplayNames(
    db,
    usernames.map(username => ({ username })),
    ['username'],
  )
}

/** The active staff of the user's establishment, by name, who could be nominated to edit the LSS. */
async function editorCandidates(db: Db, user: CurrentUser) {
  const staff = await activeStaffAt(db, user.establishmentCode)
  return staff
    .map(person => ({ username: person.username, name: person.displayName }))
    .sort((a, b) => a.name.localeCompare(b.name))
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
    editorCandidates: editorCandidates.bind(null, db),
    editorNames: editorNames.bind(null, db),
    settings: settings.bind(null, db),
  }
}
