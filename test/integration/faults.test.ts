// Faults the real server process must survive: killed with SIGKILL while reports arrive, its PostgreSQL stopped and
// started under it, and the embedded database's directory read-only or full. The crash runs on the database of the
// run (PORTCULLIS_TEST_DB); the outage only in the PostgreSQL run, the data directory only in the PGlite run, and a
// case the machine cannot stage (no PostgreSQL binaries, no root to mount) is skipped saying why.
import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import {
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeSync,
} from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { openDatabase } from '../../src/platform/db/database.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MAIN = path.join(ROOT, 'src', 'main.ts')
const CLI = path.join(ROOT, 'src', 'cli', 'main.ts')
const ON_POSTGRES = process.env.PORTCULLIS_TEST_DB === 'postgres'
const IS_ROOT = process.getuid?.() === 0
const MARKER = `fault-test-${randomBytes(4).toString('hex')}`
const SESSION_SECRET = 'faults-test-session-secret-at-least-32-characters'
const PASSWORD = 'a-long-enough-password'

/** Where a server or command finds its database: DATA_DIR, or DATABASE_URL, with anything else it needs. */
type Target = Record<string, string>

const work = mkdtempSync(path.join(tmpdir(), 'portcullis-faults-'))
const cleanups: (() => Promise<void> | void)[] = []
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
  rmSync(work, { recursive: true, force: true })
})

function environment(target: Target): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'error', PORT: '0', ...target }
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'NODE_ENV', 'SESSION_SECRET', 'DEMO_PASSWORD', 'HOST']) {
    if (!(name in target)) delete env[name]
  }
  return env
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

type Spawned = { child: ChildProcess; output: () => string; exited: Promise<number | null> }
type Server = Spawned & { url: string }

/** Runs a script of ours as its own process, collecting what it prints; killed at the end if still running. */
function spawnScript(script: string, args: string[], target: Target, input?: string): Spawned {
  const stdin = input === undefined ? 'ignore' : 'pipe'
  const child = spawn(process.execPath, [script, ...args], {
    cwd: ROOT,
    env: environment(target),
    stdio: [stdin, 'pipe', 'pipe'],
  })
  let output = ''
  const collect = (chunk: string) => {
    output += chunk
  }
  child.stdout?.setEncoding('utf8').on('data', collect)
  child.stderr?.setEncoding('utf8').on('data', collect)
  child.stdin?.on('error', () => {}).end(input)
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, output: () => output, exited }
}

const spawnServer = (target: Target) => spawnScript(MAIN, [], target)

/** Starts the server and resolves once it prints its address; fails with what it printed if it exits first. */
async function startServer(target: Target): Promise<Server> {
  const server = spawnServer(target)
  const deadline = Date.now() + 90_000
  while (Date.now() < deadline) {
    const match = /Portcullis is running at http:\/\/localhost:(\d+)/.exec(server.output())
    if (match) return { ...server, url: `http://127.0.0.1:${match[1]}` }
    if (server.child.exitCode !== null) break
    await sleep(50)
  }
  server.child.kill('SIGKILL')
  throw new Error(`the server did not start (exit ${server.child.exitCode}):\n${server.output()}`)
}

async function stopServer(server: Spawned): Promise<number | null> {
  server.child.kill('SIGTERM')
  return server.exited
}

/** The `portcullis` command, as an operator runs it: it must succeed, and what it printed is returned. */
async function succeeds(args: string[], target: Target, input?: string): Promise<string> {
  const command = spawnScript(CLI, args, target, input)
  assert.equal(await command.exited, 0, `portcullis ${args.join(' ')}:\n${command.output()}`)
  return command.output()
}

const OFFICER = [
  '--name',
  'Fault Officer',
  ...'--username fault.officer --establishment MDI --role reporter'.split(' '),
]

async function apiToken(target: Target, username: string): Promise<string> {
  const printed = await succeeds(['token', 'create', '--username', username, '--name', 'fault tests'], target)
  const token = /pcl_[A-Za-z0-9_-]+/.exec(printed)
  assert.ok(token, printed)
  return token[0]
}

// The embedded database of the PGlite run, with the demo data (a start on a copy has nothing to seed) and a token of
// the demo reporter: made once, copied for each case.
const template = path.join(work, 'template')
let templateToken: string
before(async () => {
  if (ON_POSTGRES) return
  await succeeds(['seed-demo'], { DATA_DIR: template })
  templateToken = await apiToken({ DATA_DIR: template }, 'reporter')
})

/** A database for one case, the officer's token, and the server's settings: production on PostgreSQL. */
async function prepared(name: string): Promise<{ target: Target; server: Target; token: string }> {
  if (!ON_POSTGRES) {
    const target = { DATA_DIR: path.join(work, name) }
    cpSync(template, target.DATA_DIR, { recursive: true })
    return { target, server: target, token: templateToken }
  }
  return production(await postgresDatabase())
}

/** A PostgreSQL database as production has it: no demo data, and a reporter who signs in with a password. */
async function production(target: Target) {
  await succeeds(['user', 'create', ...OFFICER, '--password-stdin'], target, `${PASSWORD}\n`)
  const token = await apiToken(target, 'fault.officer')
  return { target, server: { ...target, NODE_ENV: 'production', SESSION_SECRET, HOST: '127.0.0.1' }, token }
}

async function verifyAudit(target: Target) {
  assert.match(await succeeds(['verify-audit'], target), /The audit chain is unbroken/)
}

/** A throwaway database on the PostgreSQL server of the run. */
async function postgresDatabase(): Promise<Target> {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) throw new Error('PORTCULLIS_TEST_DB=postgres needs TEST_DATABASE_URL')
  const name = `portcullis_faults_${randomBytes(6).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(statement)
    await client.end()
  }
  await admin(`create database ${name}`)
  cleanups.push(() => admin(`drop database if exists ${name} with (force)`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { DATABASE_URL: url.toString() }
}

/** Each report's text is its own, and long enough to fill pages of the table quickly (the disk-full case). */
function reportBody(n: number) {
  const detail = Array.from({ length: 32 }, (_, i) => createHash('sha256').update(`${MARKER} ${n} ${i}`).digest('hex'))
  return {
    text: `${MARKER} submission ${n}: a parcel is to come over the fence by the gym on Friday. ${detail.join(' ')}`,
    occurredAt: '2026-11-20T14:30:00Z',
    sourceType: 'overheard',
    threatAreas: ['conveyance'],
  }
}

function submit(url: string, token: string, n: number) {
  return fetch(`${url}/api/v1/intelligence-reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(reportBody(n)),
  })
}

async function submitted(url: string, token: string, n: number): Promise<string> {
  const response = await submit(url, token, n)
  const body = (await response.json()) as { ref: string }
  assert.equal(response.status, 201, JSON.stringify(body))
  return body.ref
}

/** The fault-test reports in the database, by their text. */
async function storedReports(target: Target): Promise<{ ref: string; text: string }[]> {
  const database = await openDatabase({ databaseUrl: target.DATABASE_URL, dataDir: target.DATA_DIR })
  try {
    return await database.db
      .selectFrom('intelligenceReport')
      .select(['ref', 'text'])
      .where('text', 'like', `${MARKER}%`)
      .execute()
  } finally {
    await database.close()
  }
}

async function assertProblem(response: Response, status: number, detail: RegExp) {
  const body = (await response.json()) as { status: number; detail: string }
  assert.equal(response.status, status, JSON.stringify(body))
  assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
  assert.equal(body.status, status)
  assert.match(body.detail, detail)
  assert.ok(Number(response.headers.get('retry-after')) > 0, 'Retry-After says when to try again')
}

type Outcome = { n: number; status?: number; ref?: string }

/** Submits from several clients at once and kills the server with SIGKILL once `killAfter` reports are acknowledged. */
async function submitUntilKilled(server: Server, token: string, clients: number, killAfter: number) {
  const outcomes: Outcome[] = []
  let next = 0
  let acknowledged = 0
  const client = async () => {
    for (;;) {
      const n = next++
      try {
        const response = await submit(server.url, token, n)
        const body = (await response.json()) as { ref?: string }
        outcomes.push({ n, status: response.status, ref: body.ref })
        if (response.status === 201 && ++acknowledged === killAfter) server.child.kill('SIGKILL')
      } catch {
        // No answer, or half of one: not acknowledged, so it may or may not have been stored, but at most once.
        outcomes.push({ n })
        return
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, client))
  return outcomes
}

describe('killed with SIGKILL during concurrent submissions', () => {
  it('keeps every acknowledged report, none twice, restarts on the same data, and the audit chain holds', {
    timeout: 240_000,
  }, async () => {
    const { target, server: settings, token } = await prepared('crash')
    const server = await startServer(settings)
    const outcomes = await submitUntilKilled(server, token, 6, 24)
    assert.equal(await server.exited, null, 'killed by the signal')
    assert.equal(server.child.signalCode, 'SIGKILL')

    const answered = outcomes.filter(outcome => outcome.status !== undefined)
    assert.deepEqual(
      answered.filter(outcome => outcome.status !== 201),
      [],
      'every answer before the kill acknowledged the report',
    )
    const acknowledged = answered.filter(outcome => outcome.ref)
    assert.ok(acknowledged.length >= 24, `${acknowledged.length} acknowledged`)
    assert.equal(outcomes.length - answered.length, 6, 'each client lost its connection to the kill')

    // The same data, after a crash: the embedded database's lock names a dead process and must not stop the start.
    const restarted = await startServer(settings)
    const afterwards = await submitted(restarted.url, token, outcomes.length)
    assert.equal(await stopServer(restarted), 0, restarted.output())
    await verifyAudit(target)

    const stored = await storedReports(target)
    const byText = Map.groupBy(stored, report => report.text)
    assert.deepEqual(
      [...byText].filter(([, reports]) => reports.length > 1),
      [],
      'no report is stored twice',
    )
    for (const { n, ref } of [...acknowledged, { n: outcomes.length, ref: afterwards }]) {
      assert.deepEqual(
        byText.get(reportBody(n).text)?.map(report => report.ref),
        [ref],
        `report ${n} is stored`,
      )
    }
    const attempted = new Set(outcomes.map(outcome => reportBody(outcome.n).text))
    assert.ok(
      stored.every(report => attempted.has(report.text) || report.ref === afterwards),
      'nothing but what was sent',
    )
  })
})

/** A PostgreSQL server of our own, from the machine's binaries, on a free port: ours to stop and start. */
type PrivatePostgres = { url: string; stop(): void; start(): void }

function postgresBinaries(): string | undefined {
  const base = '/usr/lib/postgresql'
  if (!existsSync(base)) return undefined
  const versions = readdirSync(base).sort((a, b) => Number(a) - Number(b))
  return versions
    .map(version => path.join(base, version, 'bin'))
    .reverse()
    .find(bin => existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl')))
}

async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise(resolve => server.close(resolve))
  return port
}

async function privatePostgres(bin: string): Promise<PrivatePostgres> {
  // Its own directory, not inside ours: the postgres user must be able to reach it.
  const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-faults-postgres-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  // PostgreSQL refuses to run as root: as root, as CI does, it runs as the postgres user.
  const asOwner = IS_ROOT ? ['runuser', '-u', 'postgres', '--'] : []
  if (IS_ROOT) assert.equal(spawnSync('chown', ['postgres', dir]).status, 0, 'the postgres user owns the directory')
  const attempt = (tool: string, args: string[]) => {
    const [command, ...rest] = [...asOwner, path.join(bin, tool), ...args]
    return spawnSync(command, rest, { encoding: 'utf8', timeout: 60_000 })
  }
  const run = (tool: string, args: string[]) => {
    const result = attempt(tool, args)
    assert.equal(result.status, 0, `${tool} ${args.join(' ')}:\n${result.stdout}\n${result.stderr}`)
  }
  const port = await freePort()
  const data = path.join(dir, 'data')
  run('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`
  const start = () => run('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start'])
  start()
  cleanups.push(() => {
    attempt('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'])
  })
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']),
    start,
  }
}

/** Fills in and sends the sign-in form, as a browser does. */
async function sendSignIn(url: string, username: string): Promise<Response> {
  const form = await fetch(`${url}/sign-in`)
  const cookies = form.headers.getSetCookie().map(cookie => cookie.split(';')[0])
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())
  assert.ok(csrf, 'the sign-in form carries a CSRF token')
  return fetch(`${url}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: new URLSearchParams({ username, password: PASSWORD, _csrf: csrf[1] }).toString(),
  })
}

/** Signs in and returns the session's cookie header. */
async function signIn(url: string, username: string): Promise<string> {
  const response = await sendSignIn(url, username)
  assert.equal(response.status, 303, await response.text())
  const session = response.headers.getSetCookie().find(cookie => cookie.startsWith('portcullis_session='))
  assert.ok(session, 'a session cookie')
  return session.split(';')[0]
}

function page(url: string, cookie: string) {
  return fetch(`${url}/`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' })
}

/** Polls /health until it answers 200, for at most a minute. */
async function recovered(url: string): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/health`).catch(() => undefined)
    await response?.arrayBuffer()
    if (response?.status === 200) return
    await sleep(200)
  }
  assert.fail('the server did not recover within a minute of PostgreSQL coming back')
}

describe('PostgreSQL stopped and started while the server runs', () => {
  it('answers 503 during the outage, says DOWN, and recovers by itself', { timeout: 180_000 }, async t => {
    const bin = postgresBinaries()
    if (!ON_POSTGRES) return t.skip('PostgreSQL-only: it runs in the PostgreSQL run (PORTCULLIS_TEST_DB=postgres)')
    if (!bin) return t.skip('no PostgreSQL binaries under /usr/lib/postgresql/*/bin to start a server of our own')
    const postgres = await privatePostgres(bin)
    const { target, server: settings, token } = await production({ DATABASE_URL: postgres.url })
    const server = await startServer(settings)
    const cookie = await signIn(server.url, 'fault.officer')
    assert.equal((await page(server.url, cookie)).status, 200)
    await submitted(server.url, token, 1)

    postgres.stop()
    await assertProblem(await submit(server.url, token, 2), 503, /database cannot be reached/)
    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })
    await assertProblem(me, 503, /database cannot be reached/)
    const home = await page(server.url, cookie)
    assert.equal(home.status, 503, 'the session lookup fails as unavailable, not as an error')
    assert.match(home.headers.get('content-type') ?? '', /^text\/html/)
    assert.match(await home.text(), /Sorry, the service is unavailable/)
    const signingIn = await sendSignIn(server.url, 'fault.officer')
    assert.equal(signingIn.status, 503, 'signing in fails as unavailable, not as a wrong password')
    assert.match(await signingIn.text(), /Sorry, the service is unavailable/)
    const health = await fetch(`${server.url}/health`)
    assert.equal(health.status, 503)
    assert.equal(((await health.json()) as { status: string }).status, 'DOWN')
    assert.equal(server.child.exitCode, null, 'the server keeps running')

    postgres.start()
    await recovered(server.url)
    await submitted(server.url, token, 3)
    assert.equal((await page(server.url, cookie)).status, 200, 'the session outlived the outage')
    assert.equal(await stopServer(server), 0, server.output())
    assert.deepEqual(
      (await storedReports(target)).map(report => report.text).sort(),
      [reportBody(1).text, reportBody(3).text],
      'what was refused during the outage was not stored',
    )
  })
})

/** Mounts, as root can: undefined when it worked, otherwise why not. */
function mount(args: string[]): string | undefined {
  if (!IS_ROOT) return 'mounting a file system needs root'
  const result = spawnSync('mount', args, { encoding: 'utf8' })
  if (result.status !== 0) return `mount ${args.join(' ')} is not allowed here: ${result.stderr.trim()}`
  cleanups.push(() => {
    spawnSync('umount', ['-l', args.at(-1) as string])
  })
  return undefined
}

/**
 * The directory seen read-only: through a read-only bind mount as root (who may write anywhere else), by its
 * permissions otherwise; with the problem Portcullis names for the directory in it, and for one to be created in it.
 */
function readOnlyView(writable: string): { dir: string; existing: string; created: string } | { skip: string } {
  if (!IS_ROOT) {
    for (const dir of [writable, path.join(writable, 'data')]) chmodSync(dir, 0o555)
    cleanups.push(() => chmodSync(writable, 0o755))
    cleanups.push(() => chmodSync(path.join(writable, 'data'), 0o755))
    const denied = 'this process may not write to it (EACCES)'
    return { dir: writable, existing: denied, created: denied }
  }
  const dir = path.join(work, 'read-only')
  mkdirSync(dir)
  const refused = mount(['--bind', '-o', 'ro', writable, dir])
  if (refused) return { skip: refused }
  return { dir, existing: 'it is on a read-only file system (EROFS)', created: 'it cannot be created (ENOENT)' }
}

/** Writes until the disk is full. */
function fillDisk(file: string) {
  const fd = openSync(file, 'w')
  try {
    for (const size of [1 << 20, 4096, 1]) {
      const chunk = Buffer.alloc(size)
      try {
        for (;;) writeSync(fd, chunk)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      }
    }
  } finally {
    closeSync(fd)
  }
}

function directorySize(dir: string): number {
  const du = spawnSync('du', ['-sb', dir], { encoding: 'utf8' })
  return Number(du.stdout.split('\t')[0])
}

const ONE_LINE_REFUSAL = /^Portcullis cannot start: The embedded database cannot use (\S+): ([^\n]+)\n$/

describe('the embedded database on a read-only or full data directory', () => {
  it('will not start on a read-only directory, saying so in one line naming it, and changes nothing', {
    timeout: 120_000,
  }, async t => {
    if (ON_POSTGRES) return t.skip('the embedded database only: it runs in the PGlite run')
    const writable = path.join(work, 'writable')
    cpSync(template, path.join(writable, 'data'), { recursive: true })
    const readOnly = readOnlyView(writable)
    if ('skip' in readOnly) return t.skip(readOnly.skip)
    const before = readdirSync(path.join(writable, 'data')).sort()

    for (const [dir, problem] of [
      [path.join(readOnly.dir, 'data'), readOnly.existing],
      [path.join(readOnly.dir, 'new'), readOnly.created],
    ]) {
      const server = spawnServer({ DATA_DIR: dir })
      assert.equal(await server.exited, 1)
      const message = ONE_LINE_REFUSAL.exec(server.output())
      assert.ok(message, `one line, no stack trace:\n${server.output()}`)
      assert.equal(message[1], dir)
      assert.ok(message[2].startsWith(problem), message[2])
      assert.match(message[2], /Point DATA_DIR at a directory Portcullis can write, or DATABASE_URL at PostgreSQL\.$/)
    }
    assert.deepEqual(readdirSync(path.join(writable, 'data')).sort(), before, 'no lock or file left behind')
  })

  it('refuses what it cannot store while the disk is full, then goes on once there is space', {
    timeout: 180_000,
  }, async t => {
    if (ON_POSTGRES) return t.skip('the embedded database only: it runs in the PGlite run')
    const disk = path.join(work, 'small-disk')
    mkdirSync(disk)
    const megabytes = Math.ceil(directorySize(template) / 1_048_576) + 40
    const refused = mount(['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', disk])
    if (refused) return t.skip(`a full disk is staged on a small tmpfs, and ${refused}`)
    const target = { DATA_DIR: path.join(disk, 'data') }
    cpSync(template, target.DATA_DIR, { recursive: true })
    const token = templateToken
    const server = await startServer(target)
    const before = await submitted(server.url, token, 1)

    fillDisk(path.join(disk, 'filler'))
    // What fits in pages the table already has is still stored; what needs more is refused.
    const accepted = new Map([[before, reportBody(1).text]])
    let refusals = 0
    for (let n = 2; refusals < 3 && n < 60; n++) {
      const response = await submit(server.url, token, n)
      if (response.status === 201) {
        accepted.set(((await response.json()) as { ref: string }).ref, reportBody(n).text)
        continue
      }
      await assertProblem(response, 503, /no space to store this/)
      refusals++
    }
    assert.equal(refusals, 3, 'the full disk refused reports')
    const fresh = spawnServer({ DATA_DIR: path.join(disk, 'fresh') })
    assert.equal(await fresh.exited, 1)
    const message = ONE_LINE_REFUSAL.exec(fresh.output())
    assert.ok(message, `one line, no stack trace:\n${fresh.output()}`)
    assert.match(message[2], /^there is no space left on its disk \(ENOSPC\)\. Free some space, then start/)

    rmSync(path.join(disk, 'filler'))
    accepted.set(await submitted(server.url, token, 60), reportBody(60).text)
    assert.equal(await stopServer(server), 0, server.output())

    const restarted = await startServer(target)
    assert.equal((await fetch(`${restarted.url}/health`)).status, 200)
    assert.equal(await stopServer(restarted), 0, restarted.output())
    await verifyAudit(target)
    const stored = await storedReports(target)
    assert.deepEqual(
      stored.map(report => [report.ref, report.text]).sort(),
      [...accepted].sort(),
      'what was acknowledged is there once, and what was refused left nothing behind',
    )
  })
})
