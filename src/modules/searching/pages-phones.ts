import { ConflictError } from '../../platform/http/errors.ts'
import type { FormState, PageContext, Pages } from '../../platform/http/pages.ts'
import {
  establishmentQuery,
  findRefParams,
  interrogationParams,
  interrogationRequestPageSchema,
  interrogationResultPageSchema,
} from './schema.ts'
import type { SearchingService } from './service.ts'

// The seized phones pages (output 15): a find's interrogation (the request, then the result, then what was found,
// each number a way into intelligence), and the security department's list of interrogations awaiting a result and
// of phones found without a request.

/** Which of the page's forms a failed submission came from: its errors and answers show there only. */
type FormOf = { form?: 'request' | 'result'; interrogationRef?: string }

/** A find's interrogation page, with a failed form's errors and answers where that form is. */
async function showInterrogations(
  searching: SearchingService,
  context: Pick<PageContext<unknown, unknown, unknown>, 'user' | 'correlationId' | 'render'>,
  findRef: string,
  form: Partial<FormState> & FormOf = {},
  status?: number,
) {
  const { user, correlationId, render } = context
  const view = await searching.phoneInterrogations(user, findRef, correlationId)
  return render('phones/interrogation', { ...view, values: {}, ...form }, status)
}

/** A refusal of the request (someone asked first) shown on the page, beside the form it refused. */
function conflictState(error: ConflictError, form: FormOf['form'], href: string) {
  return { form, errors: { summary: [{ text: error.message, href }], byField: {} }, values: {} }
}

export function phonePages(pages: Pages, searching: SearchingService) {
  pages.get('/searching/finds/:ref/interrogation', {
    permission: 'searching:read',
    params: findRefParams,
    handler: context => showInterrogations(searching, context, context.params.ref),
  })

  pages.post('/searching/finds/:ref/interrogation', {
    permission: 'searching:interrogate',
    params: findRefParams,
    body: interrogationRequestPageSchema,
    invalid: (context, form) =>
      showInterrogations(searching, context, context.params.ref, { ...form, form: 'request' }),
    handler: async context => {
      const { user, params, body, correlationId, redirect } = context
      try {
        const { ref } = await searching.requestInterrogation(user, params.ref, body, correlationId)
        return redirect(
          `/searching/finds/${encodeURIComponent(params.ref)}/interrogation`,
          `Interrogation ${ref} requested`,
        )
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error
        return showInterrogations(searching, context, params.ref, conflictState(error, 'request', '#lawfulBasis'), 409)
      }
    },
  })

  pages.post('/searching/interrogations/:ref/result', {
    permission: 'searching:interrogate',
    params: interrogationParams,
    body: interrogationResultPageSchema,
    invalid: async (context, form) => {
      const { findRef } = await searching.interrogation(context.user, context.params.ref, context.correlationId)
      return showInterrogations(searching, context, findRef, {
        ...form,
        form: 'result',
        interrogationRef: context.params.ref,
      })
    },
    handler: async context => {
      const { user, params, body, correlationId, redirect } = context
      try {
        const recorded = await searching.recordInterrogationResult(user, params.ref, body, correlationId)
        return redirect(
          `/searching/finds/${encodeURIComponent(recorded.findRef)}/interrogation`,
          `Result of ${recorded.ref} recorded in intelligence report ${recorded.reportRef}`,
        )
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error
        // Someone recorded the result first: the page as it is now, which shows theirs.
        const { findRef } = await searching.interrogation(user, params.ref, correlationId)
        return showInterrogations(searching, context, findRef, conflictState(error, undefined, `#${params.ref}`), 409)
      }
    },
  })

  pages.get('/searching/interrogations', {
    permission: 'searching:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) => {
      const establishment = query.establishment ?? user.establishmentCode
      const [interrogations, withoutRequest, prisons] = await Promise.all([
        searching.interrogations(user, { establishmentCode: establishment }),
        searching.phonesWithoutRequest(user, establishment),
        searching.interrogationPrisons(user),
      ])
      return render('phones/interrogations', {
        awaiting: interrogations.filter(row => row.state === 'awaiting-result'),
        recorded: interrogations.filter(row => row.state === 'result-recorded'),
        withoutRequest,
        prisons: prisons.length > 1 ? prisons : [],
        establishment,
        establishmentName: prisons.find(prison => prison.code === establishment)?.name ?? user.establishmentName,
      })
    },
  })
}
