import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { CurrentUser } from '../../platform/access/user.ts'
import { waitedInWords } from '../../platform/deadlines/deadlines.ts'
import { foldDateInputs } from '../../platform/http/dates.ts'
import { NotFoundError, parseInput } from '../../platform/http/errors.ts'
import { pageQuery, paginationView, queryString } from '../../platform/http/forms.ts'
import type { FormState, Pages } from '../../platform/http/pages.ts'
import type { PeopleService } from '../people/service.ts'
import { networkRows } from './network.ts'
import { refParams } from './page-locals.ts'
import { gradingFromColumns, gradingLabel } from './rules.ts'
import { searchSchema, submitFormSchema, submitPageSchema } from './schema.ts'
import { type IntelligenceService, SEARCH_PAGE_SIZE } from './service.ts'

/** Errors about people go to the field they came from: prison numbers, or typed names. */
function nominalField(message: string) {
  return /name/i.test(message) && !/prison number|reference/i.test(message) ? '#names' : '#prisonNumbers'
}

/** The form's errors on the form's own fields: "in the past" goes to the date's boxes, and people are two lists. */
function onFormFields({ errors }: FormState): FormState['errors'] {
  const summary = errors.summary.map(item => ({
    ...item,
    href:
      item.href === '#occurredAt'
        ? '#occurredDate-day'
        : item.href.startsWith('#nominals')
          ? nominalField(item.text)
          : item.href,
  }))
  const byField = { ...errors.byField }
  if (byField.occurredAt) byField.occurredDate = byField.occurredAt
  const nominalError = Object.entries(byField).find(([field]) => field.startsWith('nominals'))
  if (nominalError) byField[nominalField(nominalError[1].text).slice(1)] = nominalError[1]
  return { summary, byField }
}

/** Reporting intelligence, the reporter's own reports, the triage queue, search and the network of a person. */
export function reportingPages(pages: Pages, intelligence: IntelligenceService, people: PeopleService) {
  pages.get('/intelligence/report', {
    permission: 'intelligence:submit',
    handler: async ({ render }) => render('submit', { values: { submissionKey: randomUUID() } }),
  })

  pages.post('/intelligence/report', {
    permission: 'intelligence:submit',
    body: submitFormSchema,
    invalid: async ({ render }, form) => {
      const values = (form.values ?? {}) as Record<string, unknown>
      return render('submit', {
        values: { ...values, threatAreas: [values.threatAreas ?? []].flat() },
        errors: onFormFields(form),
      })
    },
    handler: async ({ request, user, body: form, correlationId, redirect }) => {
      // The date's three boxes are one value, as the page helper gives them to `body` (platform/http/dates.ts).
      const body = foldDateInputs(request.body ?? {}) as Record<string, unknown>
      const input = parseInput(submitPageSchema, {
        ...body,
        nominals: [
          ...form.prisonNumbers.map(prisonerNumber => ({ prisonerNumber })),
          ...form.names.map(name => ({ name })),
        ],
      })
      const result = await intelligence.submit(user, input, form.submissionKey, correlationId)
      return redirect(`/intelligence/submitted/${result.ref}`)
    },
  })

  pages.get('/intelligence/submitted/:ref', {
    permission: 'intelligence:submit',
    params: refParams,
    handler: async ({ user, params: { ref }, render }) => {
      const mine = await intelligence.mine(user, 1)
      if (!mine.some(report => report.ref === ref)) throw new NotFoundError()
      return render('submitted', { ref })
    },
  })

  pages.get('/intelligence/mine', {
    permission: 'intelligence:submit',
    query: pageQuery,
    handler: async ({ user, query: { page }, render }) =>
      render('mine', { reports: await intelligence.mine(user, page), page }),
  })

  pages.get('/intelligence/mine/:ref', {
    permission: 'intelligence:submit',
    params: refParams,
    handler: async ({ user, params: { ref }, correlationId, render }) =>
      render('sent', await intelligence.sentReport(user, ref, correlationId)),
  })

  pages.get('/intelligence/queue', {
    permission: 'intelligence:assess',
    handler: async ({ user, render }) => {
      const now = new Date()
      const reports = (await intelligence.queue(user)).map(r => ({ ...r, waited: waitedInWords(r.submittedAt, now) }))
      // A column that would repeat one prison on every row says it once, above the table.
      const prisons = [...new Set(reports.map(r => r.establishmentName))]
      return render('queue', { reports, onePrison: prisons.length === 1 ? prisons[0] : null })
    },
  })

  searchPage(pages, intelligence, people)

  networkPage(pages, intelligence, people)
}

/** Search: full text and filters over the reports the user may read. */
function searchPage(pages: Pages, intelligence: IntelligenceService, people: PeopleService) {
  const establishmentsOf = async (user: CurrentUser) =>
    (await people.establishments(user)).filter(e => user.inScope(e.code))

  pages.get('/intelligence/search', {
    permission: 'intelligence:read',
    query: searchSchema,
    invalid: async ({ user, render }, { errors, values }) =>
      render('search', { filters: values, errors, establishments: await establishmentsOf(user) }),
    handler: async ({ user, query: filters, render }) => {
      const { page: _page, ...kept } = filters
      const searched = Object.values(kept).some(Boolean)
      const result = searched ? await intelligence.search(user, filters) : { rows: [], total: 0, totalCapped: false }
      return render('search', {
        filters,
        searched,
        ...result,
        rows: result.rows.map(row => ({ ...row, gradingText: gradingLabel(gradingFromColumns(row)) })),
        establishments: await establishmentsOf(user),
        pagination: paginationView(
          filters.page,
          SEARCH_PAGE_SIZE,
          result.total,
          page => `/intelligence/search${queryString({ ...kept, page })}`,
        ),
      })
    },
  })
}

/** Rows of the network's table a page: a busy person's network runs to hundreds. */
const NETWORK_PAGE_SIZE = 20

/** The network of a person: the chart where JavaScript runs, and the table, a page at a time, which is the network. */
function networkPage(pages: Pages, intelligence: IntelligenceService, people: PeopleService) {
  pages.get('/intelligence/network/:ref', {
    permission: 'intelligence:read',
    params: z.object({ ref: z.string().trim().toUpperCase().max(20) }),
    query: pageQuery,
    handler: async ({ user, params, query: { page }, correlationId, render }) => {
      const nominal = await people.findVisible(user, params.ref)
      if (!nominal) throw new NotFoundError()
      const label = `${nominal.firstName} ${nominal.lastName}`
      const { id, ref, establishmentCode } = nominal
      const graph = await intelligence.network(user, { id, ref, label, establishmentCode }, correlationId)
      const { near, far } = networkRows(graph)
      const shown = [...near, ...far].slice((page - 1) * NETWORK_PAGE_SIZE, page * NETWORK_PAGE_SIZE)
      return render('network', {
        nominal,
        label,
        graph,
        graphJson: JSON.stringify(graph),
        counts: { near: near.length, far: far.length },
        layers: { 1: shown.filter(row => row.node.depth === 1), 2: shown.filter(row => row.node.depth === 2) },
        pagination: paginationView(
          page,
          NETWORK_PAGE_SIZE,
          near.length + far.length,
          n => `/intelligence/network/${encodeURIComponent(ref)}${queryString({ page: n })}`,
        ),
      })
    },
  })
}
