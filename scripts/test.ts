// `npm test`: typecheck, lint, unit and integration tests on PGlite, again on PostgreSQL when TEST_DATABASE_URL
// is set, then browser tests in Chromium (skipped with a reason when it is missing, never when CI=true).
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const bin = (name: string) => `node_modules/.bin/${name}`

type Step = { name: string; command: string; args: string[]; env?: Record<string, string> }

const suites = ['src/**/*.test.ts', 'test/integration/**/*.test.ts']
const steps: Step[] = [
  { name: 'typecheck', command: bin('tsc'), args: ['--noEmit', '-p', '.'] },
  { name: 'lint and format', command: bin('biome'), args: ['check', '.'] },
  {
    name: 'unit and integration tests on PGlite',
    command: process.execPath,
    args: ['--test', '--test-concurrency=2', ...suites],
    env: { PORTCULLIS_TEST_DB: 'pglite' },
  },
]

if (process.env.TEST_DATABASE_URL) {
  steps.push({
    name: 'unit and integration tests on PostgreSQL',
    command: process.execPath,
    args: ['--test', '--test-concurrency=2', ...suites],
    env: { PORTCULLIS_TEST_DB: 'postgres' },
  })
} else {
  console.log('Skipping the PostgreSQL run: TEST_DATABASE_URL is not set.')
}

if (existsSync(CHROMIUM)) {
  steps.push({
    name: 'browser tests in Chromium',
    command: process.execPath,
    args: ['--test', '--test-concurrency=1', 'test/browser/**/*.test.ts'],
    env: { PORTCULLIS_TEST_DB: 'pglite' },
  })
} else if (process.env.CI === 'true') {
  console.error(`Browser tests cannot be skipped in CI, and Chromium is not at ${CHROMIUM}.`)
  process.exit(1)
} else {
  console.log(`Skipping browser tests: Chromium is not at ${CHROMIUM} (apt-get install -y chromium).`)
}

for (const step of steps) {
  console.log(`\n== ${step.name}`)
  const started = Date.now()
  const result = spawnSync(step.command, step.args, { stdio: 'inherit', env: { ...process.env, ...step.env } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (result.status !== 0) {
    console.error(`\n== ${step.name} failed after ${seconds}s`)
    process.exit(result.status ?? 1)
  }
  console.log(`== ${step.name} passed in ${seconds}s`)
}
