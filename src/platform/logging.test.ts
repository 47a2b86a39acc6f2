import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createLogger, readableLines } from './logging.ts'

function terminal() {
  const written: string[] = []
  const output = { isTTY: true, fd: 1, write: (text: string) => written.push(text) > 0 }
  return { output: output as unknown as NodeJS.WriteStream & { fd: number }, written }
}

describe('the log on a terminal', () => {
  it('reads as one line per entry: time, level, message and the correlation id', () => {
    const { output, written } = terminal()
    const logger = createLogger('info', output)
    logger
      .child({ correlationId: 'abc-123-def' })
      .info(
        { method: 'GET', route: '/people/:ref', status: 200, responseTime: 12.5 },
        'GET /people/:ref 200 in 12.5 ms',
      )
    assert.equal(written.length, 1)
    assert.match(
      written[0],
      /^\d{2}:\d{2}:\d{2} INFO {2}GET \/people\/:ref 200 in 12\.5 ms {2}correlationId=abc-123-def\n$/,
    )
  })

  it('shows an error with its stack below the line, and leaves out what is below its level', () => {
    const { output, written } = terminal()
    const logger = createLogger('info', output)
    logger.debug('not shown')
    logger.error({ err: new Error('the database went away') }, 'request failed')
    assert.equal(written.length, 1)
    const [first, ...stack] = written[0].trimEnd().split('\n')
    assert.match(first, /^\d{2}:\d{2}:\d{2} ERROR request failed$/)
    assert.match(stack[0], /^ {4}Error: the database went away$/)
    assert.ok(stack.length > 1)
  })

  it('names the fields a message does not already show', () => {
    const written: string[] = []
    readableLines({ write: (text: string) => written.push(text) }).write(
      `${JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 31, 14, 30), msg: 'slow', table: 'x', rows: 3 })}\n`,
    )
    assert.match(written[0], /^\d{2}:\d{2}:\d{2} WARN {2}slow {2}table=x rows=3\n$/)
  })
})
