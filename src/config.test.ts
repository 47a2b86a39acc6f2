import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { ConfigError, loadConfig } from './config.ts'

const SECRET = 'a-session-secret-of-at-least-32-characters'
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://portcullis@db/portcullis',
  SESSION_SECRET: SECRET,
}

/** Asserts loadConfig refuses env with a ConfigError and returns its message. */
function refused(env: NodeJS.ProcessEnv): string {
  let message = ''
  assert.throws(
    () => loadConfig(env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`)
      assert.equal(error.name, 'ConfigError')
      message = error.message
      return true
    },
  )
  return message
}

describe('loadConfig', () => {
  it('has working defaults for embedded mode', () => {
    const config = loadConfig({ GIT_COMMIT: 'abc123' })
    assert.equal(config.production, false)
    assert.equal(config.port, 3000)
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.dataDir, path.resolve('./data'))
    assert.ok(path.isAbsolute(config.dataDir))
    assert.equal(config.databaseUrl, undefined)
    assert.equal(config.sessionIdleMinutes, 30)
    assert.equal(config.demoPassword, 'portcullis-demo')
    assert.equal(config.logLevel, 'info')
    assert.ok(config.sessionSecret.length >= 32)
    assert.deepEqual(config.signIn, { maxFailures: 5, lockMinutes: 15, maxPerIpPer15Minutes: 50 })
    assert.equal(config.bodyLimitBytes, 1_048_576)
    assert.equal(config.gitCommit, 'abc123')
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    assert.equal(config.version, pkg.version)
  })

  it('reads the git commit when GIT_COMMIT is not set', () => {
    assert.match(loadConfig({}).gitCommit, /^([0-9a-f]{40}|unknown)$/)
  })

  it('reads the settings it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATA_DIR: 'somewhere/else',
      DATABASE_URL: 'postgres://localhost/x',
      SESSION_IDLE_MINUTES: '45',
      DEMO_PASSWORD: 'another-password',
      LOG_LEVEL: 'silent',
      GIT_COMMIT: 'abc123',
    })
    assert.equal(config.port, 8080)
    assert.equal(config.host, '0.0.0.0')
    assert.equal(config.dataDir, path.resolve('somewhere/else'))
    assert.equal(config.databaseUrl, 'postgres://localhost/x')
    assert.equal(config.sessionIdleMinutes, 45)
    assert.equal(config.demoPassword, 'another-password')
    assert.equal(config.logLevel, 'silent')
  })

  it('treats an empty number setting as unset, and PORT=0 as “any free port”', () => {
    assert.equal(loadConfig({ PORT: '', GIT_COMMIT: 'x' }).port, 3000)
    assert.equal(loadConfig({ PORT: '0', GIT_COMMIT: 'x' }).port, 0)
    assert.equal(loadConfig({ DATABASE_URL: '', GIT_COMMIT: 'x' }).databaseUrl, undefined)
  })

  it('starts in production with a database URL and a long session secret', () => {
    const config = loadConfig({ ...PRODUCTION, GIT_COMMIT: 'x' })
    assert.equal(config.production, true)
    assert.equal(config.host, '0.0.0.0')
    assert.equal(config.databaseUrl, PRODUCTION.DATABASE_URL)
    assert.equal(config.sessionSecret, SECRET)
  })

  it('refuses production without DATABASE_URL and SESSION_SECRET, naming both', () => {
    const message = refused({ NODE_ENV: 'production' })
    assert.match(message, /DATABASE_URL/)
    assert.match(message, /SESSION_SECRET/)
    // Empty counts as missing.
    const empty = refused({ NODE_ENV: 'production', DATABASE_URL: '', SESSION_SECRET: '' })
    assert.match(empty, /DATABASE_URL/)
    assert.match(empty, /SESSION_SECRET/)
  })

  it('names only the production setting that is missing', () => {
    const noDatabase = refused({ NODE_ENV: 'production', SESSION_SECRET: SECRET })
    assert.match(noDatabase, /DATABASE_URL/)
    assert.doesNotMatch(noDatabase, /SESSION_SECRET/)
    const noSecret = refused({ NODE_ENV: 'production', DATABASE_URL: PRODUCTION.DATABASE_URL })
    assert.match(noSecret, /SESSION_SECRET/)
    assert.doesNotMatch(noSecret, /DATABASE_URL/)
  })

  it('refuses a short SESSION_SECRET in production', () => {
    assert.match(refused({ ...PRODUCTION, SESSION_SECRET: 'short' }), /SESSION_SECRET must be at least 32 characters/)
    assert.match(refused({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(31) }), /SESSION_SECRET/)
    assert.equal(
      loadConfig({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(32), GIT_COMMIT: 'x' }).sessionSecret.length,
      32,
    )
  })

  it('allows a short SESSION_SECRET outside production', () => {
    assert.equal(loadConfig({ SESSION_SECRET: 'short', GIT_COMMIT: 'x' }).sessionSecret, 'short')
  })

  it('refuses a PORT that is not a port number, naming PORT', () => {
    for (const port of ['abc', '1.5', '-1', '65536', '3000abc']) {
      const message = refused({ PORT: port })
      assert.match(message, /^PORT must be a whole number from 0 to 65535/)
      assert.ok(message.includes(`"${port}"`), message)
    }
  })

  it('refuses other out-of-range numbers, naming the setting', () => {
    assert.match(refused({ SESSION_IDLE_MINUTES: '0' }), /^SESSION_IDLE_MINUTES/)
    assert.match(refused({ SIGN_IN_MAX_FAILURES: 'many' }), /^SIGN_IN_MAX_FAILURES/)
    assert.match(refused({ BODY_LIMIT_BYTES: '10' }), /^BODY_LIMIT_BYTES/)
  })

  it('refuses an unknown LOG_LEVEL, naming LOG_LEVEL and the choices', () => {
    const message = refused({ LOG_LEVEL: 'loud' })
    assert.match(message, /^LOG_LEVEL must be one of/)
    assert.match(message, /"loud"/)
    for (const level of ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) {
      assert.ok(message.includes(level))
      assert.equal(loadConfig({ LOG_LEVEL: level, GIT_COMMIT: 'x' }).logLevel, level)
    }
  })
})
