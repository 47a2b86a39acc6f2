import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { Permission } from '../access/roles.ts'
import type { CurrentUser } from '../access/user.ts'
import { errorView } from '../views/views.ts'
import { foldDateInputs } from './dates.ts'
import { parseInput, UnauthenticatedError, ValidationError } from './errors.ts'

/** What a page handler is given: the typed input, the signed-in user, and the module's ways to answer. */
export type PageContext<P, Q, B> = {
  request: FastifyRequest
  reply: FastifyReply
  user: CurrentUser
  params: P
  query: Q
  body: B
  /** The request's id, carried into audit events. */
  correlationId: string
  /** Renders one of the module's views ('report' is `<views>/report.njk`) with the module's labels and choices. */
  render(view: string, model?: Record<string, unknown>, status?: number): FastifyReply
  /** After a change: a one-line confirmation on the next page, and a 303 to it. */
  redirect(href: string, banner?: string): FastifyReply
}

/** The GOV.UK error pattern for a form, with what the person typed so they need not type it again. */
export type FormState = { errors: ReturnType<typeof errorView>; values: unknown }

export type PageSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  /** Deny by default: every page declares the permission it needs. */
  permission: Permission
  params?: P
  query?: Q
  body?: B
  /**
   * What a person sees when the query or body is invalid, or the use case refuses it with a ValidationError: the
   * name of a view re-rendered with the error summary and their values, or a function that shows the page again.
   * Without it, invalid input is the error page.
   */
  invalid?: string | ((context: PageContext<z.output<P>, unknown, unknown>, form: FormState) => Promise<unknown>)
  handler(context: PageContext<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>
}

/**
 * An error about a whole date (not one of its boxes) links to its day box, the first to fix, as GOV.UK asks; the box
 * an error names (`#heldOn-month`) stays as it is.
 */
function linkDatesToDay(errors: FormState['errors'], sent: unknown): FormState['errors'] {
  const folded = foldDateInputs(sent)
  if (!folded || typeof folded !== 'object' || folded === sent) return errors
  const dates = Object.entries(folded).filter(([, value]) => value && typeof value === 'object' && 'day' in value)
  const names = new Set(dates.map(([name]) => `#${name}`))
  return {
    ...errors,
    summary: errors.summary.map(item => (names.has(item.href) ? { ...item, href: `${item.href}-day` } : item)),
  }
}

/**
 * The page twin of `api.route`: one declaration per page with its permission, its input schemas and what invalid
 * input shows, so that no route hand-writes parsing, `request.user!` or a try / catch / 400 block.
 */
export function createPages(app: FastifyInstance, options: { views: string; locals?: Record<string, unknown> }) {
  const locals = options.locals ?? {}

  function context<P, Q, B>(
    request: FastifyRequest,
    reply: FastifyReply,
    input: { params: P; query: Q; body: B },
    defaultStatus = 200,
    form: Partial<FormState> = {},
  ): PageContext<P, Q, B> {
    const user = request.user
    if (!user) throw new UnauthenticatedError()
    return {
      request,
      reply,
      user,
      ...input,
      correlationId: request.id,
      render: (view, model = {}, status = defaultStatus) =>
        reply.code(status).view(`${options.views}/${view}.njk`, { ...locals, ...model, ...form }),
      redirect: (href, banner) => {
        if (banner) reply.flash(banner)
        return reply.redirect(href, 303)
      },
    }
  }

  function route<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(
    method: 'GET' | 'POST',
    url: string,
    spec: PageSpec<P, Q, B>,
  ) {
    app.route({
      method,
      url,
      config: { permission: spec.permission },
      handler: async (request, reply) => {
        const params = (spec.params ? parseInput(spec.params, request.params) : {}) as z.output<P>
        const filter = method === 'GET' && !spec.invalid && spec.query ? readFilter(spec.query, request.query) : null
        if (filter && !filter.ok) {
          // A filter that cannot be read: the page as it is unfiltered, with the error summary naming the filter.
          const form = { errors: errorView(filter.fields), values: request.query }
          const input = { params, query: filter.unfiltered as z.output<Q>, body: undefined as z.output<B> }
          return spec.handler(context(request, reply, input, 400, form))
        }
        try {
          // A GOV.UK date input sends a date as three boxes: the schema sees one value (platform/http/dates.ts).
          const query = (
            filter?.ok ? filter.query : spec.query ? parseInput(spec.query, foldDateInputs(request.query)) : {}
          ) as z.output<Q>
          const body = (spec.body ? parseInput(spec.body, foldDateInputs(request.body)) : undefined) as z.output<B>
          return await spec.handler(context(request, reply, { params, query, body }))
        } catch (error) {
          if (!(error instanceof ValidationError) || !spec.invalid) throw error
          const sent = method === 'GET' ? request.query : request.body
          const form = { errors: linkDatesToDay(errorView(error.fields), sent), values: sent }
          const again = context(request, reply, { params, query: request.query, body: request.body }, 400)
          if (typeof spec.invalid === 'string') return again.render(spec.invalid, form)
          reply.code(400)
          return spec.invalid(again, form)
        }
      },
    })
  }

  /**
   * A GET page's query, or, when it cannot be read and the page has no `invalid` of its own, the fields at fault and
   * the query the page has with no filter at all (when it has one: otherwise the error is the error page's).
   */
  function readFilter(schema: z.ZodType, sent: unknown) {
    try {
      return { ok: true as const, query: parseInput(schema, foldDateInputs(sent)) as unknown }
    } catch (error) {
      const empty = schema.safeParse({})
      if (!(error instanceof ValidationError) || !empty.success) throw error
      return { ok: false as const, fields: error.fields, unfiltered: empty.data as unknown }
    }
  }

  return {
    get<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(
      url: string,
      spec: PageSpec<P, Q, B>,
    ) {
      route('GET', url, spec)
    },
    post<P extends z.ZodType = z.ZodObject, Q extends z.ZodType = z.ZodObject, B extends z.ZodType = z.ZodUnknown>(
      url: string,
      spec: PageSpec<P, Q, B>,
    ) {
      route('POST', url, spec)
    },
  }
}
export type Pages = ReturnType<typeof createPages>
