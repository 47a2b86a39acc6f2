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

  // Issue 13, defect 3: trusting every proxy let a client write its own address into X-Forwarded-For.
  it('trusts no proxy unless TRUST_PROXY says which, in production too', () => {
    assert.equal(loadConfig({ ...PRODUCTION, GIT_COMMIT: 'x' }).trustProxy, false)
    assert.equal(loadConfig({ TRUST_PROXY: 'false', GIT_COMMIT: 'x' }).trustProxy, false)
    assert.equal(loadConfig({ TRUST_PROXY: '2', GIT_COMMIT: 'x' }).trustProxy, 2)
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.10,::1', GIT_COMMIT: 'x' }).trustProxy, [
      '10.0.0.0/8',
      '192.168.1.10',
      '::1',
    ])
  })

  it('refuses a TRUST_PROXY that is neither a hop count nor addresses, naming TRUST_PROXY', () => {
    for (const value of ['true', '0', '11', 'proxy.local', '10.0.0.0/33', '10.0.0.1/8/1']) {
      assert.match(refused({ TRUST_PROXY: value }), /TRUST_PROXY/, value)
    }
  })

  describe('single sign-on', () => {
    const OIDC = {
      OIDC_ISSUER: 'https://sign-in.example.gov.uk/auth/issuer',
      OIDC_CLIENT_ID: 'portcullis',
      OIDC_CLIENT_SECRET: 'a-client-secret',
      OIDC_REDIRECT_URL: 'https://portcullis.example.gov.uk/sign-in/oidc/callback',
      GIT_COMMIT: 'x',
    }

    it('is off, with password sign-in on, unless OIDC_ISSUER is set', () => {
      const config = loadConfig({ GIT_COMMIT: 'x' })
      assert.equal(config.oidc, undefined)
      assert.equal(config.passwordSignIn, true)
    })

    it('reads the provider, the client and the claims, with defaults for the claims', () => {
      const config = loadConfig(OIDC)
      assert.deepEqual(config.oidc, {
        issuer: OIDC.OIDC_ISSUER,
        clientId: 'portcullis',
        clientSecret: 'a-client-secret',
        redirectUrl: OIDC.OIDC_REDIRECT_URL,
        scopes: 'openid profile email',
        label: 'Sign in with single sign-on',
        claims: { username: 'preferred_username', name: 'name', roles: 'roles', establishment: 'establishment' },
        rolePrefix: '',
      })
      const hmpps = loadConfig({
        ...OIDC,
        OIDC_LABEL: 'Sign in with HMPPS Auth',
        OIDC_USERNAME_CLAIM: 'user_name',
        OIDC_ROLES_CLAIM: 'authorities',
        OIDC_ESTABLISHMENT_CLAIM: 'active_caseload',
        OIDC_ROLE_PREFIX: 'ROLE_PORTCULLIS_',
        OIDC_SCOPES: 'openid read',
        PASSWORD_SIGN_IN: 'false',
      })
      assert.equal(hmpps.passwordSignIn, false)
      assert.equal(hmpps.oidc?.label, 'Sign in with HMPPS Auth')
      assert.deepEqual(hmpps.oidc?.claims, {
        username: 'user_name',
        name: 'name',
        roles: 'authorities',
        establishment: 'active_caseload',
      })
      assert.equal(hmpps.oidc?.rolePrefix, 'ROLE_PORTCULLIS_')
      assert.equal(hmpps.oidc?.scopes, 'openid read')
    })

    it('refuses PASSWORD_SIGN_IN=false without a provider, since nobody could sign in', () => {
      assert.match(
        refused({ PASSWORD_SIGN_IN: 'false' }),
        /^PASSWORD_SIGN_IN=false leaves no way to sign in.*OIDC_ISSUER/,
      )
      assert.match(refused({ PASSWORD_SIGN_IN: 'no' }), /^PASSWORD_SIGN_IN must be true or false; it is "no"/)
      assert.equal(loadConfig({ PASSWORD_SIGN_IN: 'TRUE', GIT_COMMIT: 'x' }).passwordSignIn, true)
    })

    it('refuses a setting for single sign-on without OIDC_ISSUER, naming it', () => {
      assert.match(refused({ OIDC_CLIENT_ID: 'portcullis' }), /^OIDC_CLIENT_ID is set but OIDC_ISSUER is not/)
    })

    it('refuses an issuer that is not https, unless it is on this machine', () => {
      assert.match(
        refused({ ...OIDC, OIDC_ISSUER: 'http://sign-in.example.gov.uk' }),
        /^OIDC_ISSUER must be an https URL/,
      )
      assert.match(refused({ ...OIDC, OIDC_ISSUER: 'not a url' }), /^OIDC_ISSUER .*"not a url"/)
      assert.equal(loadConfig({ ...OIDC, OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer, 'http://127.0.0.1:9000')
    })

    it('refuses a missing client id or a redirect URL that is not Portcullis’s callback, naming the setting', () => {
      assert.match(refused({ ...OIDC, OIDC_CLIENT_ID: '' }), /^OIDC_CLIENT_ID must be set/)
      assert.match(refused({ ...OIDC, OIDC_REDIRECT_URL: '' }), /^OIDC_REDIRECT_URL must be/)
      assert.match(
        refused({ ...OIDC, OIDC_REDIRECT_URL: 'https://portcullis.example.gov.uk/callback' }),
        /^OIDC_REDIRECT_URL must be .*\/sign-in\/oidc\/callback/,
      )
      assert.match(
        refused({
          ...PRODUCTION,
          ...OIDC,
          OIDC_REDIRECT_URL: 'http://portcullis.example.gov.uk/sign-in/oidc/callback',
        }),
        /^OIDC_REDIRECT_URL .*https in production/,
      )
    })

    it('refuses a claim name with spaces, and a label too long for a button, naming the setting', () => {
      assert.match(refused({ ...OIDC, OIDC_ROLES_CLAIM: 'my roles' }), /^OIDC_ROLES_CLAIM must be the name of a claim/)
      assert.match(refused({ ...OIDC, OIDC_LABEL: 'x'.repeat(61) }), /^OIDC_LABEL must be 60 characters or fewer/)
    })
  })
})
