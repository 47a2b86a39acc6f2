import type { Pages } from '../../platform/http/pages.ts'
import {
  establishmentQuery,
  idParams,
  requirementSchema,
  searchesQuery,
  searchPageSchema,
  searchParams,
} from './schema.ts'
import type { SearchingService } from './service.ts'

const SHORT_DAY = new Intl.DateTimeFormat('en-GB', {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
})
const shortDay = (day: string) => SHORT_DAY.format(new Date(`${day}T12:00:00Z`))

type Programme = Awaited<ReturnType<SearchingService['programme']>>

/** The four weeks' plan in words: each week's heading, and the days each requirement is due in it. */
function planInWords(plan: Programme['plan']) {
  return {
    weeks: plan.weeks.map(week => `${shortDay(week.from)} to ${shortDay(week.to)}`),
    rows: plan.rows.map(row => ({
      requirement: row.requirement,
      weeks: row.weeks.map(days => (days.length === 7 ? 'Every day' : days.map(shortDay).join(', '))),
    })),
  }
}

/** The search programme (output 9): its requirements and their clocks, and adding, changing and retiring them. */
export function programmePages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/programme', {
    permission: 'searching:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) => {
      const programme = await searching.programme(user, query.establishment ?? user.establishmentCode)
      return render('searches/programme', { ...programme, plan: planInWords(programme.plan) })
    },
  })

  pages.get('/searching/programme/new', {
    permission: 'searching:manage',
    handler: async ({ render }) => render('searches/requirement', { values: {} }),
  })

  pages.post('/searching/programme/new', {
    permission: 'searching:manage',
    body: requirementSchema,
    invalid: 'searches/requirement',
    handler: async ({ user, body, correlationId, redirect }) => {
      await searching.addRequirement(user, body, correlationId)
      return redirect('/searching/programme', 'Requirement added to the search programme')
    },
  })

  pages.get('/searching/programme/:id', {
    permission: 'searching:manage',
    params: idParams,
    handler: async ({ user, params, render }) => {
      const { requirement, establishment } = await searching.requirement(user, params.id)
      return render('searches/requirement', { requirement, establishment, values: requirement })
    },
  })

  pages.post('/searching/programme/:id', {
    permission: 'searching:manage',
    params: idParams,
    body: requirementSchema,
    invalid: async ({ user, params, render }, form) => {
      const { requirement, establishment } = await searching.requirement(user, params.id)
      return render('searches/requirement', { requirement, establishment, ...form })
    },
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await searching.changeRequirement(user, params.id, body, correlationId)
      return redirect('/searching/programme', 'Requirement changed')
    },
  })

  pages.post('/searching/programme/:id/retire', {
    permission: 'searching:manage',
    params: idParams,
    handler: async ({ user, params, correlationId, redirect }) => {
      await searching.retireRequirement(user, params.id, correlationId)
      return redirect('/searching/programme', 'Requirement retired: it is no longer part of the search programme')
    },
  })
}

/** Searches (outputs 9 and 10): recording one, reading one, the list of recent searches, and coverage. */
export function searchPages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/searches', {
    permission: 'searching:read',
    query: searchesQuery,
    invalid: async ({ user, render }, form) =>
      render('searches/list', { ...(await searching.searches(user, { due: false })), filter: form.values, ...form }),
    handler: async ({ user, query, render }) =>
      render('searches/list', { ...(await searching.searches(user, query)), filter: query }),
  })

  pages.get('/searching/searches/new', {
    permission: 'searching:record',
    handler: async ({ user, render }) =>
      render('searches/record', { ...(await searching.recordingChoices(user)), values: {} }),
  })

  pages.post('/searching/searches/new', {
    permission: 'searching:record',
    body: searchPageSchema,
    invalid: async ({ user, render }, form) =>
      render('searches/record', { ...(await searching.recordingChoices(user)), ...form }),
    handler: async ({ user, body, correlationId, redirect }) => {
      const { ref } = await searching.recordSearch(user, body, correlationId)
      return redirect(`/searching/searches/${ref}`, `Search ${ref} recorded`)
    },
  })

  pages.get('/searching/searches/:ref', {
    permission: 'searching:read',
    params: searchParams,
    handler: async ({ user, params, correlationId, render }) =>
      render('searches/search', { search: await searching.search(user, params.ref, correlationId) }),
  })

  pages.get('/searching/coverage', {
    permission: 'searching:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) =>
      render('searches/coverage', await searching.coverage(user, query.establishment ?? user.establishmentCode)),
  })
}
