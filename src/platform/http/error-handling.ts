import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, type FieldError, ValidationError } from './errors.ts'

type Problem = { status: number; title: string; detail: string; fields?: FieldError[] }

/** RFC 9457 problem details; `errors` names each invalid field. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
  return reply
    .code(problem.status)
    .type('application/problem+json')
    .send({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance: request.url,
      correlationId: request.id,
      ...(problem.fields ? { errors: problem.fields } : {}),
    })
}

const PAGE_TEXT: Record<number, { title: string; paragraphs: string[] }> = {
  400: { title: 'There is a problem with what was sent', paragraphs: [] },
  401: { title: 'Sign in to continue', paragraphs: ['Your session has ended. Sign in again to continue.'] },
  403: {
    title: 'You do not have permission to view this page',
    paragraphs: ['If you need access, ask your head of security or a Portcullis administrator.'],
  },
  404: {
    title: 'Page not found',
    paragraphs: [
      'If you typed the web address, check it is correct.',
      'If you pasted the web address, check you copied the entire address.',
    ],
  },
  409: { title: 'This has changed', paragraphs: [] },
  413: { title: 'What you sent is too large', paragraphs: ['Send a smaller file or less text.'] },
  415: { title: 'This kind of content cannot be accepted', paragraphs: [] },
  429: { title: 'Too many attempts', paragraphs: ['Wait a few minutes and try again.'] },
  500: {
    title: 'Sorry, there is a problem with the service',
    paragraphs: ['Try again later. Nothing you were doing has been half-saved.'],
  },
  503: {
    title: 'Sorry, the service is unavailable',
    paragraphs: [
      'Try again in a few minutes.',
      'If you were saving something, check whether it was saved before you send it again.',
    ],
  },
}

/** Seconds a client is asked to wait when the database is unavailable. */
const RETRY_AFTER_SECONDS = '10'

/** Turns any failure into the right status and a GOV.UK page or problem+json; never a stack trace. */
export const errorHandling = fp(async (app: FastifyInstance) => {
  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    const problem = toProblem(error)
    // The request's own line (src/platform/logging.ts) carries its status: only a server failure adds a line of its own.
    if (problem.status >= 500) {
      request.log.error({ err: error }, 'request failed')
    } else {
      request.log.debug({ status: problem.status, code: (error as FastifyError).code }, problem.title)
    }
    if (problem.status === 429) reply.header('retry-after', '60')
    if (problem.status === 503) reply.header('retry-after', RETRY_AFTER_SECONDS)
    return respond(request, reply, problem)
  })

  app.setNotFoundHandler(async (request, reply) =>
    respond(request, reply, {
      status: 404,
      title: 'Not found',
      detail: `Nothing is at ${request.method} ${request.url.split('?')[0]}`,
    }),
  )

  function respond(request: FastifyRequest, reply: FastifyReply, problem: Problem) {
    if (request.wantsJson()) return sendProblem(request, reply, problem)
    app.setPageLocals(request, reply)
    const text = PAGE_TEXT[problem.status] ?? PAGE_TEXT[problem.status >= 500 ? 500 : 400]
    const paragraphs =
      problem.status >= 500 || problem.status === 404 || problem.status === 401
        ? text.paragraphs
        : [problem.detail, ...text.paragraphs]
    return reply.code(problem.status).view('error.njk', {
      title: text.title,
      paragraphs: problem.fields ? [] : paragraphs,
      fieldErrors: problem.fields,
    })
  }
})

// SQLSTATE 08 (connection exception), 53 (insufficient resources: disk full, out of memory, too many connections) and
// 57P01-57P03 (shutting down, crashed, starting up): the database is unavailable, the request is not at fault.
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0[1-3])/
const UNREACHABLE_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])
// What node-postgres says, without a code, when it loses or cannot get a connection.
const LOST_CONNECTION =
  /^(Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/

/** Whether the database could not be reached ('unreachable') or could not store the change ('full'). */
function databaseUnavailable(error: unknown, depth = 0): 'unreachable' | 'full' | undefined {
  if (!(error instanceof Error) || depth > 3) return undefined
  const code = String((error as NodeJS.ErrnoException).code ?? '')
  if (code === '53100') return 'full'
  if (UNAVAILABLE_SQLSTATE.test(code) || UNREACHABLE_SOCKET.has(code) || LOST_CONNECTION.test(error.message)) {
    return 'unreachable'
  }
  // A connection refused on every address arrives as an AggregateError; a wrapped failure as a cause.
  const inner = [...(error instanceof AggregateError ? error.errors : []), error.cause]
  return inner.map(item => databaseUnavailable(item, depth + 1)).find(Boolean)
}

const UNAVAILABLE_DETAIL = {
  unreachable: 'The database cannot be reached just now. Try again after the time in Retry-After.',
  full: 'The database has no space to store this just now, so nothing was saved. Try again later.',
} as const

function toProblem(error: FastifyError | AppError): Problem {
  const unavailable = databaseUnavailable(error)
  if (unavailable) return { status: 503, title: 'Service unavailable', detail: UNAVAILABLE_DETAIL[unavailable] }
  if (error instanceof ValidationError) {
    return { status: 400, title: error.title, detail: 'Some fields are not valid', fields: error.fields }
  }
  if (error instanceof AppError) return { status: error.status, title: error.title, detail: error.message }
  const status = (error as FastifyError).statusCode
  if (error instanceof SyntaxError || (error as FastifyError).code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return { status: 400, title: 'Malformed JSON', detail: 'The request body is not valid JSON.' }
  }
  switch ((error as FastifyError).code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        title: 'Request body too large',
        detail: 'The request body is larger than this service accepts.',
      }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        title: 'Unsupported media type',
        detail: 'Send application/json to the API, or submit the form from the page.',
      }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, title: 'Empty JSON body', detail: 'The request says it is JSON but has no body.' }
  }
  if (status && status >= 400 && status < 500) {
    return { status, title: 'Bad request', detail: 'The request could not be understood.' }
  }
  return { status: 500, title: 'Internal server error', detail: 'Something went wrong. It has been logged.' }
}
