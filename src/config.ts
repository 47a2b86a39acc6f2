import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
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
  bodyLimitBytes: number
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
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 512 * 1_048_576),
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
