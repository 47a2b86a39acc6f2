import { randomUUID } from 'node:crypto'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'

// Requests refused before routing (an over-long path parameter, a malformed URL) or before Fastify sees them at all
// (a request line or headers over Node's limit) still answer in RFC 9457 problem details, like every other refusal.

const PROBLEM = 'application/problem+json'

type EdgeProblem = { status: number; title: string; detail: string }

const ROUTING_PROBLEMS: Record<string, EdgeProblem> = {
  FST_ERR_MAX_PARAM_LENGTH: {
    status: 414,
    title: 'URI too long',
    detail: 'A part of the address is longer than any identifier Portcullis uses.',
  },
  FST_ERR_BAD_URL: {
    status: 400,
    title: 'Malformed address',
    detail: 'The address is not valid: check its percent-encoding.',
  },
}

const SOCKET_PROBLEMS: Record<string, EdgeProblem> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    title: 'Request header fields too large',
    detail: 'The address or the headers are longer than 16 KB. Send a shorter query, or search with fewer words.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, title: 'Request timeout', detail: 'The request took too long to arrive.' },
}

const BAD_REQUEST: EdgeProblem = { status: 400, title: 'Bad request', detail: 'The request is not valid HTTP.' }

function problemBody(problem: EdgeProblem, correlationId: string): string {
  return JSON.stringify({ type: 'about:blank', ...problem, correlationId })
}

/** Fastify's `frameworkErrors`: refusals made by the router, before any route or hook runs. */
export function routingProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = ROUTING_PROBLEMS[error.code] ?? BAD_REQUEST
  request.log.debug({ code: error.code, status: problem.status }, problem.title)
  return reply
    .code(problem.status)
    .header('content-type', PROBLEM)
    .header('cache-control', 'no-store')
    .send(problemBody(problem, request.id))
}

/** Node's `clientError`: a request the HTTP parser refused, answered on the raw socket and then closed. */
export function clientProblem(error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const problem = SOCKET_PROBLEMS[error.code ?? ''] ?? BAD_REQUEST
  const body = problemBody(problem, randomUUID())
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: ${PROBLEM}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}
