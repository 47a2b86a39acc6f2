import type { CurrentUser } from '../../platform/access/user.ts'
import type { Pages } from '../../platform/http/pages.ts'
import {
  establishmentQuery,
  idParams,
  itemPermissionSchema,
  revocationSchema,
  visitMeasurePageQuery,
  visitMeasurePrefill,
  visitMeasureReviewSchema,
  visitMeasureSchema,
} from './schema.ts'
import type { SearchingService } from './service.ts'

// The pages of measures on visitors (output 13) and permissions for items (output 14). Staff who enforce them at the
// gate and in visits read them; the security department imposes, reviews, gives and revokes them.

/** The prisons a list may be of, offered only to someone who works in or oversees more than one. */
async function prisonFilter(searching: SearchingService, user: CurrentUser, asked: string | undefined) {
  const prisons = await searching.controlPrisonChoices(user)
  return { prisons: prisons.length > 1 ? prisons : [], establishment: asked ?? user.establishmentCode }
}

export function controlsPages(pages: Pages, searching: SearchingService) {
  visitMeasurePages(pages, searching)
  itemPermissionPages(pages, searching)
}

function visitMeasurePages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/visitors', {
    permission: 'searching:read',
    query: visitMeasurePageQuery,
    // A filter that cannot be read shows the live measures of the user's prison, with the error summary.
    invalid: async ({ user, render }, form) =>
      render('controls/visitors', {
        measures: await searching.visitMeasures(user, {}),
        state: 'live',
        ...(await prisonFilter(searching, user, undefined)),
        ...form,
      }),
    handler: async ({ user, query, render }) =>
      render('controls/visitors', {
        measures: await searching.visitMeasures(user, query),
        state: query.state ?? 'live',
        ...(await prisonFilter(searching, user, query.establishment)),
      }),
  })

  pages.get('/searching/visitors/new', {
    permission: 'searching:manage',
    query: visitMeasurePrefill,
    handler: async ({ query, render }) => render('controls/visitor-new', { values: query }),
  })

  pages.post('/searching/visitors', {
    permission: 'searching:manage',
    body: visitMeasureSchema,
    invalid: 'controls/visitor-new',
    handler: async ({ user, body, correlationId, redirect }) => {
      const { id } = await searching.recordVisitMeasure(user, body, correlationId)
      return redirect(`/searching/visitors/${id}`, 'Measure on the visitor recorded')
    },
  })

  pages.get('/searching/visitors/:id', {
    permission: 'searching:read',
    params: idParams,
    handler: async ({ user, params, correlationId, render }) =>
      render('controls/visitor', { ...(await searching.visitMeasure(user, params.id, correlationId)), values: {} }),
  })

  pages.post('/searching/visitors/:id/reviews', {
    permission: 'searching:manage',
    params: idParams,
    body: visitMeasureReviewSchema,
    invalid: async ({ user, params, correlationId, render }, form) =>
      render('controls/visitor', { ...(await searching.visitMeasure(user, params.id, correlationId)), ...form }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      const { outcome } = await searching.reviewVisitMeasure(user, params.id, body, correlationId)
      return redirect(
        `/searching/visitors/${params.id}`,
        outcome === 'end' ? 'Review recorded: the measure has ended' : 'Review recorded',
      )
    },
  })
}

function itemPermissionPages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/permissions', {
    permission: 'searching:read',
    query: establishmentQuery,
    invalid: async ({ user, render }, form) =>
      render('controls/permissions', {
        permissions: await searching.itemPermissions(user, {}),
        ...(await prisonFilter(searching, user, undefined)),
        ...form,
      }),
    handler: async ({ user, query, render }) =>
      render('controls/permissions', {
        permissions: await searching.itemPermissions(user, query),
        ...(await prisonFilter(searching, user, query.establishment)),
      }),
  })

  const newPermission = async (user: CurrentUser) => ({ prisons: await searching.controlPrisonChoices(user) })

  pages.get('/searching/permissions/new', {
    permission: 'searching:manage',
    handler: async ({ user, render }) =>
      render('controls/permission-new', { ...(await newPermission(user)), values: {} }),
  })

  pages.post('/searching/permissions', {
    permission: 'searching:manage',
    body: itemPermissionSchema,
    invalid: async ({ user, render }, form) =>
      render('controls/permission-new', { ...(await newPermission(user)), ...form }),
    handler: async ({ user, body, correlationId, redirect }) => {
      const { id } = await searching.grantItemPermission(user, body, correlationId)
      return redirect(`/searching/permissions/${id}`, 'Permission recorded')
    },
  })

  pages.get('/searching/permissions/:id', {
    permission: 'searching:read',
    params: idParams,
    handler: async ({ user, params, correlationId, render }) =>
      render('controls/permission', {
        ...(await searching.itemPermission(user, params.id, correlationId)),
        values: {},
      }),
  })

  pages.post('/searching/permissions/:id/revocation', {
    permission: 'searching:manage',
    params: idParams,
    body: revocationSchema,
    invalid: async ({ user, params, correlationId, render }, form) =>
      render('controls/permission', { ...(await searching.itemPermission(user, params.id, correlationId)), ...form }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await searching.revokeItemPermission(user, params.id, body, correlationId)
      return redirect(`/searching/permissions/${params.id}`, 'Permission revoked')
    },
  })
}
