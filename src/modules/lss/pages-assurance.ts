import type { CurrentUser } from '../../platform/access/user.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import type { Pages } from '../../platform/http/pages.ts'
import { assessmentSupportsAssurance } from './rules.ts'
import { establishmentQuery, idParams, settingsForm, signSchema, statementSchema } from './schema.ts'
import type { LssService } from './service.ts'

/** The statements of an establishment, and whether its last assessment supports a new one (LSS PF 4.21). */
async function assuranceView(lss: LssService, user: CurrentUser, establishmentCode: string) {
  const lastAssessment = await lss.lastCompletedAssessment(establishmentCode)
  const lastDay = lastAssessment?.completedAt ? londonToday(lastAssessment.completedAt) : null
  return {
    statements: await lss.statements(user, establishmentCode),
    lastAssessment,
    assessmentCurrent: assessmentSupportsAssurance(lastDay, londonToday(new Date())),
    establishmentCode,
    establishmentName: await lss.establishmentName(establishmentCode),
  }
}

/** The annual assurance statement: preparing it and signing it. */
export function assurancePages(pages: Pages, lss: LssService) {
  pages.get('/lss/assurance', {
    permission: 'lss:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) =>
      render('assurance', {
        ...(await assuranceView(lss, user, query.establishment ?? user.establishmentCode)),
        values: {},
      }),
  })

  pages.post('/lss/assurance', {
    permission: 'lss:set-assurance-level',
    body: statementSchema,
    invalid: async ({ user, render }, form) => {
      // The page again for the establishment chosen, if it is a code the user oversees; their own otherwise. What was
      // sent has been refused, so it reaches the database only when it has the shape of a code.
      const chosen = String((form.values as { establishmentCode?: unknown })?.establishmentCode ?? '').toUpperCase()
      const code = /^[A-Z]{3}$/.test(chosen) && user.inScope(chosen) ? chosen : user.establishmentCode
      return render('assurance', { ...(await assuranceView(lss, user, code)), ...form })
    },
    handler: async ({ user, body, correlationId, redirect }) => {
      const { id } = await lss.prepareStatement(user, body, correlationId)
      return redirect(`/lss/assurance/${id}`)
    },
  })

  pages.get('/lss/assurance/:id', {
    permission: 'lss:read',
    params: idParams,
    handler: async ({ user, params, correlationId, render }) =>
      render('statement', { statement: await lss.statement(user, params.id, correlationId) }),
  })

  pages.post('/lss/assurance/:id/sign', {
    permission: 'lss:assure',
    params: idParams,
    body: signSchema,
    invalid: async ({ user, params, correlationId, render }, form) =>
      render('statement', { statement: await lss.statement(user, params.id, correlationId), ...form }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await lss.sign(user, params.id, body.role, correlationId)
      return redirect(`/lss/assurance/${params.id}`, 'Statement signed')
    },
  })
}

/** The LSS owner's settings: PGD agreement (LSS PF 4.16) and nominated editors (LSS PF 4.2). */
export function settingsPages(pages: Pages, lss: LssService) {
  const settingsView = async (user: CurrentUser) => ({
    pgdRequired: await lss.settings(user.establishmentCode),
    editors: await lss.editors(user),
    staff: await lss.editorCandidates(user),
  })

  pages.get('/lss/settings', {
    permission: 'lss:manage',
    handler: async ({ user, render }) => render('settings', await settingsView(user)),
  })

  pages.post('/lss/settings', {
    permission: 'lss:manage',
    body: settingsForm,
    invalid: async ({ user, render }, form) => render('settings', { ...(await settingsView(user)), ...form }),
    handler: async ({ user, body, correlationId, redirect }) => {
      // Two forms post here: the editor form always sends an "editor" field, the PGD form never does.
      if (body.editor === undefined) {
        await lss.setPgdRequired(user, body.pgdRequired === 'yes', correlationId)
        return redirect('/lss/settings', 'Setting saved')
      }
      const editor = body.editor.trim()
      if (!editor) throw ValidationError.field('editor', 'Select who to nominate as an editor')
      const nominated = await lss.nominateEditor(user, editor, correlationId)
      const [named] = await lss.editorNames([nominated.username])
      return redirect('/lss/settings', `${named.name} can now edit the LSS`)
    },
  })
}
