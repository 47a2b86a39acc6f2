import pino from 'pino'

/**
 * JSON logs to stdout. Request bodies are never logged and authorisation and cookie headers are redacted:
 * intelligence text and credentials must not reach a log.
 */
export function createLogger(level: string) {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
  })
}
