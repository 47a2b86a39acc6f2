import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import pino, { type DestinationStream, type LoggerOptions } from 'pino'

/**
 * Logs to stdout: JSON lines, or readable lines when stdout is a terminal. Writes are synchronous, so a log line and a
 * `console.log` come out in the order they were made (start-up prints its address after the start-up log). Request
 * bodies are never logged and authorisation and cookie headers are redacted: intelligence text and credentials must
 * not reach a log.
 */
export function createLogger(level: string, output: NodeJS.WriteStream & { fd: number } = process.stdout) {
  const options: LoggerOptions = {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
  }
  return pino(options, output.isTTY ? readableLines(output) : pino.destination({ dest: output.fd, sync: true }))
}

/**
 * One line per request, when it has been answered: method, route pattern (never the URL, whose path and query may
 * carry names or search words), status, time taken and, through Fastify's child logger, the correlation id.
 * Fastify's own "incoming request" and "request completed" pair is not written.
 */
export class RequestLog extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'correlationId' })
  }

  override incomingRequest() {}

  override routeNotFound() {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const route = request.routeOptions.url ?? null
    const line = {
      method: request.method,
      route,
      status: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
    }
    const message = `${line.method} ${route ?? '(no route)'} ${line.status} in ${line.responseTime} ms`
    if (error) reply.log.error({ ...line, err: error }, message)
    else reply.log.info(line, message)
  }
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
}
/** Fields a readable line already shows in its message, or leaves out as noise on a terminal. */
const IN_THE_MESSAGE = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  'err',
  'method',
  'route',
  'status',
  'responseTime',
])

/** `14:30:05 INFO  GET /people/:ref 200 in 12.5 ms  correlationId=…`, and an error's stack below it. */
export function readableLines(output: { write(text: string): unknown }): DestinationStream {
  return {
    write(json: string) {
      const entry = JSON.parse(json) as Record<string, unknown> & { level: number; time: number; msg?: string }
      const time = new Date(entry.time).toTimeString().slice(0, 8)
      const level = (LEVEL_NAMES[entry.level] ?? String(entry.level)).padEnd(5)
      const fields = Object.entries(entry)
        .filter(([name]) => !IN_THE_MESSAGE.has(name))
        .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      const stack = (entry.err as { stack?: string } | undefined)?.stack
      output.write(
        `${time} ${level} ${entry.msg ?? ''}${fields.length ? `  ${fields.join(' ')}` : ''}\n` +
          (stack ? `${stack.replace(/^/gm, '    ')}\n` : ''),
      )
    },
  }
}
