import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { isIP } from 'node:net'
import path from 'node:path'

export type Config = {
  production: boolean
  port: number
  host: string
  /** Where the embedded database lives when there is no DATABASE_URL. */
  dataDir: string
  databaseUrl: string | undefined
  sessionSecret: string
  sessionIdleMinutes: number
  /** Password of the demo accounts; demo accounts are never created in production. */
  demoPassword: string
  logLevel: string
  signIn: { maxFailures: number; lockMinutes: number; maxPerIpPer15Minutes: number }
  /** Whether the username and password form is offered; off when single sign-on is the only way in. */
  passwordSignIn: boolean
  /** OpenID Connect single sign-on (HMPPS Auth, Entra ID), when OIDC_ISSUER is set. */
  oidc: OidcConfig | undefined
  bodyLimitBytes: number
  /**
   * Which proxies may say who the client is through X-Forwarded-For: none (false), the nearest N hops, or the
   * addresses and ranges listed. Trusting every hop would let a client choose its own address.
   */
  trustProxy: false | number | string[]
  version: string
  gitCommit: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** Reads the environment once; a setting production needs and lacks stops start-up naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production'
  const missing: string[] = []
  if (production && !env.DATABASE_URL) missing.push('DATABASE_URL')
  if (production && !env.SESSION_SECRET) missing.push('SESSION_SECRET')
  if (missing.length > 0) {
    throw new ConfigError(`Portcullis will not start in production without ${missing.join(' and ')}.`)
  }
  if (production && (env.SESSION_SECRET ?? '').length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters in production.')
  }
  const logLevel = env.LOG_LEVEL ?? 'info'
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; it is "${logLevel}".`)
  }
  return {
    production,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    sessionSecret: env.SESSION_SECRET ?? 'portcullis-embedded-mode-session-secret-not-for-production',
    sessionIdleMinutes: integer(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    demoPassword: env.DEMO_PASSWORD ?? 'portcullis-demo',
    logLevel,
    signIn: {
      maxFailures: integer(env, 'SIGN_IN_MAX_FAILURES', 5, 1, 100),
      lockMinutes: integer(env, 'SIGN_IN_LOCK_MINUTES', 15, 1, 24 * 60),
      maxPerIpPer15Minutes: integer(env, 'SIGN_IN_MAX_PER_IP', 50, 1, 100_000),
    },
    ...signInMethods(env),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 512 * 1_048_576),
    trustProxy: trustedProxies(env.TRUST_PROXY),
    version: packageVersion(),
    gitCommit: env.GIT_COMMIT ?? gitCommit(),
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; it is "${raw}".`)
  }
  return value
}

/** TRUST_PROXY: unset, empty or "false" trusts no proxy; a whole number trusts that many hops; else a list. */
function trustedProxies(raw: string | undefined): false | number | string[] {
  const value = raw?.trim() ?? ''
  if (value === '' || value.toLowerCase() === 'false') return false
  if (/^\d+$/.test(value)) {
    const hops = Number(value)
    if (hops < 1 || hops > 10) throw new ConfigError(`TRUST_PROXY as a hop count must be from 1 to 10; it is "${raw}".`)
    return hops
  }
  const entries = value.split(',').map(entry => entry.trim())
  const wrong = entries.filter(entry => !isAddressOrRange(entry))
  if (wrong.length > 0) {
    throw new ConfigError(
      `TRUST_PROXY must be a hop count or a comma-separated list of proxy addresses or ranges (10.0.0.0/8); "${wrong[0]}" is neither.`,
    )
  }
  return entries
}

function isAddressOrRange(entry: string): boolean {
  const [address, bits, extra] = entry.split('/')
  if (extra !== undefined || !address) return false
  const version = isIP(address)
  if (version === 0) return false
  if (bits === undefined) return true
  return /^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128)
}

export type OidcConfig = {
  issuer: string
  clientId: string
  /** None for a public client, which PKCE alone protects. */
  clientSecret: string | undefined
  /** Where the provider sends people back: registered with the provider, ending /sign-in/oidc/callback. */
  redirectUrl: string
  scopes: string
  /** The words on the sign-in button: "Sign in with HMPPS Auth". */
  label: string
  /** The claims (in the ID token, user info or a JWT access token) that carry each part of a Portcullis user. */
  claims: { username: string; name: string; roles: string; establishment: string }
  /** Stripped from each role value before it is matched to a Portcullis role: "ROLE_PORTCULLIS_" for HMPPS Auth. */
  rolePrefix: string
}

const OIDC_CALLBACK_PATH = '/sign-in/oidc/callback'

/** PASSWORD_SIGN_IN and the OIDC_ settings; turning passwords off without a provider would lock everyone out. */
function signInMethods(env: NodeJS.ProcessEnv): { passwordSignIn: boolean; oidc: OidcConfig | undefined } {
  const rawPassword = (env.PASSWORD_SIGN_IN ?? '').trim().toLowerCase()
  if (!['', 'true', 'false'].includes(rawPassword)) {
    throw new ConfigError(`PASSWORD_SIGN_IN must be true or false; it is "${env.PASSWORD_SIGN_IN}".`)
  }
  const passwordSignIn = rawPassword !== 'false'
  const issuer = env.OIDC_ISSUER?.trim()
  if (!issuer) {
    const stray = Object.keys(env).find(name => name.startsWith('OIDC_') && env[name])
    if (stray) throw new ConfigError(`${stray} is set but OIDC_ISSUER is not: set OIDC_ISSUER to use single sign-on.`)
    if (!passwordSignIn) {
      throw new ConfigError('PASSWORD_SIGN_IN=false leaves no way to sign in: set OIDC_ISSUER for single sign-on.')
    }
    return { passwordSignIn, oidc: undefined }
  }
  const production = env.NODE_ENV === 'production'
  if (!isSecureUrl(issuer, false)) {
    throw new ConfigError(
      `OIDC_ISSUER must be an https URL (http only for a provider on this machine); it is "${issuer}".`,
    )
  }
  const clientId = env.OIDC_CLIENT_ID?.trim()
  if (!clientId)
    throw new ConfigError('OIDC_CLIENT_ID must be set when OIDC_ISSUER is: the client id the provider gave Portcullis.')
  const redirectUrl = env.OIDC_REDIRECT_URL?.trim() ?? ''
  if (!isSecureUrl(redirectUrl, !production) || new URL(redirectUrl).pathname !== OIDC_CALLBACK_PATH) {
    throw new ConfigError(
      `OIDC_REDIRECT_URL must be Portcullis's own address ending ${OIDC_CALLBACK_PATH} (https in production); it is "${redirectUrl}".`,
    )
  }
  const label = env.OIDC_LABEL?.trim() || 'Sign in with single sign-on'
  if (label.length > 60) throw new ConfigError('OIDC_LABEL must be 60 characters or fewer.')
  return {
    passwordSignIn,
    oidc: {
      issuer,
      clientId,
      clientSecret: env.OIDC_CLIENT_SECRET || undefined,
      redirectUrl,
      scopes: env.OIDC_SCOPES?.trim() || 'openid profile email',
      label,
      claims: {
        username: claimName(env, 'OIDC_USERNAME_CLAIM', 'preferred_username'),
        name: claimName(env, 'OIDC_NAME_CLAIM', 'name'),
        roles: claimName(env, 'OIDC_ROLES_CLAIM', 'roles'),
        establishment: claimName(env, 'OIDC_ESTABLISHMENT_CLAIM', 'establishment'),
      },
      rolePrefix: env.OIDC_ROLE_PREFIX?.trim() ?? '',
    },
  }
}

/** https, or http to this machine (a provider in a test, or a developer's own); plain http elsewhere only if allowed. */
function isSecureUrl(value: string, allowHttp: boolean): boolean {
  if (!URL.canParse(value)) return false
  const url = new URL(value)
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  return url.protocol === 'https:' || (url.protocol === 'http:' && (loopback || allowHttp))
}

function claimName(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name]?.trim() || fallback
  if (!/^[A-Za-z0-9_.:/-]{1,100}$/.test(value)) {
    throw new ConfigError(`${name} must be the name of a claim (letters, digits and _ . : / -); it is "${value}".`)
  }
  return value
}

function packageVersion(): string {
  const file = new URL('../package.json', import.meta.url)
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim()
  } catch {
    return 'unknown'
  }
}
