import { z } from 'zod'
import type { CurrentUser } from '../../platform/access/user.ts'
import { ForbiddenError } from '../../platform/http/errors.ts'
import { optional } from '../../platform/http/fields.ts'
import type { FormState, PageContext, Pages } from '../../platform/http/pages.ts'
import { horizontalBars, monthColumns } from './finds/chart.ts'
import { FIND_CATEGORY_NAMES, type FindCategory } from './rules.ts'
import {
  establishmentQuery,
  findOutcomeSchema,
  findPageSchema,
  findRefParams,
  findsQuery,
  searchReference,
} from './schema.ts'
import type { SearchingService } from './service.ts'

// The finds pages (output 11): the register and its filters, recording a find, a find with everything linked to it
// and what followed for each prisoner (output 13), and the trends with their charts and tables.

const newFindQuery = z.object({ search: optional(searchReference).catch(undefined) })

/** The find's page, with the errors and answers of the outcome form when it failed. */
async function showFind(
  searching: SearchingService,
  context: PageContext<{ ref: string }, unknown, unknown>,
  form: Partial<FormState> = {},
) {
  const { user, params, correlationId, render } = context
  const view = await searching.find(user, params.ref, correlationId)
  return render('finds/find', { ...view, values: {}, ...form })
}

/** The register's page: its filters, the wings to filter by, and the finds. */
async function showRegister(
  searching: SearchingService,
  user: CurrentUser,
  render: PageContext<unknown, unknown, unknown>['render'],
  filter: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const [wings, establishments] = await Promise.all([searching.findWings(user), searching.findEstablishments(user)])
  return render('finds/list', { filter, wings, establishments, ...extra })
}

export function findPages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/finds', {
    permission: 'searching:read',
    query: findsQuery,
    invalid: async ({ user, render }, { errors, values }) =>
      showRegister(searching, user, render, values as Record<string, unknown>, { errors, finds: [] }),
    handler: async ({ user, query, render }) => {
      const { establishment, ...filter } = query
      const finds = await searching.finds(user, { ...filter, establishmentCode: establishment })
      return showRegister(searching, user, render, query, { finds })
    },
  })

  pages.get('/searching/finds/new', {
    permission: 'searching:record',
    query: newFindQuery,
    handler: async ({ query, render }) => render('finds/new', { values: { searchRef: query.search } }),
  })

  pages.post('/searching/finds', {
    permission: 'searching:record',
    body: findPageSchema,
    invalid: 'finds/new',
    handler: async ({ user, body, correlationId, redirect }) => {
      const { ref } = await searching.recordFind(user, body, correlationId)
      return redirect(`/searching/finds/${ref}`, `Find ${ref} recorded`)
    },
  })

  pages.get('/searching/finds/trends', {
    permission: 'searching:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) => {
      const establishment = query.establishment ?? user.establishmentCode
      if (!user.inScope(establishment)) throw new ForbiddenError('That prison is outside your scope.')
      const [trends, establishments] = await Promise.all([
        searching.findTrends(establishment),
        searching.findEstablishments(user),
      ])
      const categoryName = (code: string) => FIND_CATEGORY_NAMES[code as FindCategory] ?? code
      return render('finds/trends', {
        trends,
        establishment,
        establishmentName: establishments.find(e => e.code === establishment)?.name ?? establishment,
        establishments,
        monthChartData: monthColumns(trends.byMonth),
        categoryChart: horizontalBars(trends.byCategory.map(line => ({ ...line, name: categoryName(line.name) }))),
        wingChart: horizontalBars(trends.byWing),
      })
    },
  })

  pages.get('/searching/finds/:ref', {
    permission: 'searching:read',
    params: findRefParams,
    handler: context => showFind(searching, context),
  })

  pages.post('/searching/finds/:ref/outcomes', {
    permission: 'searching:manage',
    params: findRefParams,
    body: findOutcomeSchema,
    invalid: (context, form) => showFind(searching, context, form),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await searching.recordFindOutcome(user, params.ref, body, correlationId)
      return redirect(`/searching/finds/${params.ref}`, `What followed for ${body.prisonerNumber} recorded`)
    },
  })
}
