import { z } from 'zod'
import type { Pages } from '../../platform/http/pages.ts'
import { doNotLinkSchema, settingSchema } from './schema.ts'
import type { IntelligenceService } from './service.ts'

/** An establishment's intelligence settings: the grading scheme of new reports and the do-not-link list. */
export function settingsPages(pages: Pages, intelligence: IntelligenceService) {
  const settingsView = async (user: Parameters<IntelligenceService['doNotLinkList']>[0]) => ({
    scheme: await intelligence.gradingScheme(user.establishmentCode),
    doNotLink: await intelligence.doNotLinkList(user),
  })

  pages.get('/intelligence/settings', {
    permission: 'intelligence:configure',
    handler: async ({ user, render }) => render('settings', await settingsView(user)),
  })

  pages.post('/intelligence/settings/grading-scheme', {
    permission: 'intelligence:configure',
    body: settingSchema,
    invalid: async ({ user, render }, { errors }) => render('settings', { ...(await settingsView(user)), errors }),
    handler: async ({ user, body: { gradingScheme }, correlationId, redirect }) => {
      await intelligence.setGradingScheme(user, gradingScheme, correlationId)
      return redirect('/intelligence/settings', `New reports will be graded under ${gradingScheme}`)
    },
  })

  pages.post('/intelligence/settings/do-not-link', {
    permission: 'intelligence:configure',
    body: doNotLinkSchema,
    invalid: async ({ user, render }, form) => render('settings', { ...(await settingsView(user)), ...form }),
    handler: async ({ user, body, correlationId, redirect }) => {
      await intelligence.addDoNotLink(user, body, correlationId)
      return redirect('/intelligence/settings', 'Added to the do-not-link list')
    },
  })

  pages.post('/intelligence/settings/do-not-link/:id/remove', {
    permission: 'intelligence:configure',
    params: z.object({ id: z.coerce.number().int().positive() }),
    handler: async ({ user, params: { id }, correlationId, redirect }) => {
      await intelligence.removeDoNotLink(user, id, correlationId)
      return redirect('/intelligence/settings', 'Removed from the do-not-link list')
    },
  })
}
