import assert from 'node:assert/strict'
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { DEMO_USERS } from '../../src/demo/users.ts'
import { openDatabase } from '../../src/platform/db/database.ts'

// The real `portcullis` command, run as a user would run it, on the embedded database in a fresh directory.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = path.join(ROOT, 'bin', 'portcullis.js')
const PASSWORD = 'a-long-enough-password'
const JO = ['--username', 'jo.bloggs', '--name', 'Jo Bloggs', '--establishment', 'MDI', '--role', 'analyst']

let dataDir: string
let server: ChildProcess | undefined

/** The environment of a user with nothing set but DATA_DIR: never DATABASE_URL, never production. */
function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, ...extra }
  for (const name of ['DATABASE_URL', 'NODE_ENV', 'SESSION_SECRET', 'DEMO_PASSWORD', 'PORT', 'HOST', 'LOG_LEVEL']) {
    if (!(name in extra)) delete env[name]
  }
  return env
}

type Result = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

function cli(args: string[], input = ''): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv() })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', chunk => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', chunk => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
    child.stdin.on('error', () => {}) // a command that never reads stdin may exit before we finish writing
    child.stdin.end(input)
  })
}

/** Starts the web server on the same data directory and resolves once it says it is running. */
function startServer(): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'src', 'main.ts')], {
      cwd: ROOT,
      env: cliEnv({ PORT: '0', LOG_LEVEL: 'silent' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const onData = (chunk: string) => {
      output += chunk
      if (output.includes('Portcullis is running at')) resolve(child)
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', onData)
    child.on('error', reject)
    child.on('exit', code => reject(new Error(`the server exited with ${code} before it was running:\n${output}`)))
  })
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise(resolve => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode)
    child.once('exit', code => resolve(code))
    child.kill('SIGTERM')
  })
}

before(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'portcullis-cli-'))
})
after(async () => {
  if (server) await stop(server)
  rmSync(dataDir, { recursive: true, force: true })
})

describe('the portcullis command on the embedded database', () => {
  it('migrate applies the migrations, and says so', { timeout: 60_000 }, async () => {
    const result = await cli(['migrate'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /applied migration 0001_platform/)
    assert.match(result.stdout, /\d+ migration\(s\) applied/)
    assert.ok(existsSync(path.join(dataDir, 'pglite')), 'the embedded database is in DATA_DIR')
    assert.ok(!existsSync(path.join(dataDir, 'portcullis.lock')), 'the lock is released on exit')
  })

  it('seed-demo creates the demo data', { timeout: 60_000 }, async () => {
    const result = await cli(['seed-demo'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, new RegExp(`created ${DEMO_USERS.length} demo accounts`))
    assert.match(result.stdout, /Demo data created/)
  })

  it('user create reads the password from stdin and creates the user, once', { timeout: 60_000 }, async () => {
    const created = await cli(['user', 'create', ...JO, '--password-stdin'], `${PASSWORD}\n`)
    assert.equal(created.code, 0, created.stderr)
    assert.match(created.stdout, /User jo\.bloggs created/)
    assert.ok(!created.stdout.includes(PASSWORD) && !created.stderr.includes(PASSWORD), 'the password is never echoed')

    const again = await cli(['user', 'create', ...JO, '--password-stdin'], `${PASSWORD}\n`)
    assert.notEqual(again.code, 0)
    assert.match(again.stderr, /^username: A user with this username already exists$/m)
  })

  it('user create names each invalid field and exits 2', { timeout: 60_000 }, async () => {
    const invalid = await cli(
      [
        'user',
        'create',
        '--username',
        'sam.smith',
        '--name',
        'Sam Smith',
        '--establishment',
        'nowhere',
        '--role',
        'wizard',
        '--password-stdin',
      ],
      `${PASSWORD}\n`,
    )
    assert.equal(invalid.code, 2, invalid.stderr)
    assert.match(invalid.stderr, /^establishmentCode: Select an establishment$/m)
    assert.match(invalid.stderr, /^roles\.0: Select a role from the list$/m)
    assert.doesNotMatch(invalid.stderr, /^username:/m)

    const unknownPrison = await cli(
      [
        'user',
        'create',
        '--username',
        'sam.smith',
        '--name',
        'Sam Smith',
        '--establishment',
        'ZZZ',
        '--role',
        'analyst',
        '--password-stdin',
      ],
      `${PASSWORD}\n`,
    )
    assert.equal(unknownPrison.code, 2, unknownPrison.stderr)
    assert.match(unknownPrison.stderr, /^establishmentCode: Select an establishment from the list$/m)
  })

  it('token create prints a new API token once', { timeout: 60_000 }, async () => {
    const result = await cli(['token', 'create', '--username', 'jo.bloggs', '--name', 'test system'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout.trim(), /^pcl_[A-Za-z0-9_-]{20,}$/)
  })

  it('import prisoners counts what it accepted and names what it rejected', { timeout: 60_000 }, async () => {
    const file = path.join(ROOT, 'test', 'fixtures', 'prisoner-search-current.json')
    const result = await cli(['import', 'prisoners', file])
    assert.equal(result.code, 0, result.stderr)
    assert.match(
      result.stdout,
      /^record 4 \(G2750TB\) rejected: prisonId: OUT for a prisoner Portcullis does not yet hold/m,
    )
    assert.match(result.stdout, /^flag codes not held, ignored: HA, MFL$/m)
    assert.match(
      result.stdout,
      /^imported 3 of 4 records; 1 rejected \(3 created, 0 updated of which 0 moved, 0 unchanged\) in \d+\.\ds$/m,
    )
    assert.match(result.stderr, /^records processed: 4 of 4$/m, 'progress says what it went through, not "imported"')
  })

  it('verify-audit proves the chain unbroken', { timeout: 60_000 }, async () => {
    const result = await cli(['verify-audit'])
    assert.equal(result.code, 0, result.stderr)
    const match = /The audit chain is unbroken: (\d+) events verified/.exec(result.stdout)
    assert.ok(match, result.stdout)
    // The demo seeding, jo.bloggs and the token; the refused duplicate left nothing.
    assert.ok(Number(match[1]) >= 3, result.stdout)
  })

  it('an unknown command prints the usage and exits 2', { timeout: 60_000 }, async () => {
    const result = await cli(['frobnicate'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /unknown command "frobnicate"/)
    assert.match(result.stderr, /Usage: portcullis <command>/)
    assert.match(result.stderr, /verify-audit/)
  })

  it('refuses, changing nothing, while a server holds the embedded database', { timeout: 60_000 }, async () => {
    server = await startServer()
    const result = await cli(
      [
        'user',
        'create',
        '--username',
        'while.locked',
        '--name',
        'While Locked',
        '--establishment',
        'MDI',
        '--role',
        'analyst',
        '--password-stdin',
      ],
      `${PASSWORD}\n`,
    )
    assert.notEqual(result.code, 0)
    assert.match(result.stderr, /in use by another Portcullis process/)
    assert.match(result.stderr, new RegExp(`pid ${server.pid}`))
    assert.ok(existsSync(path.join(dataDir, 'portcullis.lock')), 'the refused command left the server’s lock alone')

    assert.equal(await stop(server), 0)
    server = undefined
    assert.ok(!existsSync(path.join(dataDir, 'portcullis.lock')), 'the server released the lock')

    const database = await openDatabase({ dataDir })
    try {
      const users = await database.db.selectFrom('appUser').select('username').execute()
      const usernames = users.map(u => u.username)
      assert.ok(!usernames.includes('while.locked'), 'the refused command created no user')
      assert.ok(usernames.includes('jo.bloggs'))
      for (const demo of DEMO_USERS) assert.ok(usernames.includes(demo.username), `demo account ${demo.username}`)
      const seeded = await database.db
        .selectFrom('auditEvent')
        .select('id')
        .where('action', '=', 'demo.seeded')
        .execute()
      assert.equal(seeded.length, 1, 'the server did not seed the demo data again')
    } finally {
      await database.close()
    }
  })

  it("npx portcullis on the machine's own older Node warns of nothing", { timeout: 60_000 }, async t => {
    const machineNode = ['/usr/local/bin/node', '/usr/bin/node'].find(
      node => existsSync(node) && Number(spawnSync(node, ['-p', 'process.versions.node.split(".")[0]']).stdout) < 24,
    )
    const npx = machineNode && path.join(path.dirname(machineNode), 'npx')
    if (!machineNode || !npx || !existsSync(npx)) {
      t.skip('no Node older than 24 with npx on this machine')
      return
    }
    // A newcomer's shell: the machine's Node first, not the project's, and none of npm's own variables.
    const env = Object.fromEntries(Object.entries(cliEnv()).filter(([name]) => !/^npm_/i.test(name)))
    env.PATH = `${path.dirname(machineNode)}:/usr/bin:/bin`
    const result = spawnSync(npx, ['portcullis', '--help'], { cwd: ROOT, env, encoding: 'utf8' })
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /Usage: portcullis <command>/)
    assert.equal(result.stderr, '', 'no EBADENGINE or other warning')
  })

  it('verify-audit exits 1 naming the event that was altered', { timeout: 60_000 }, async () => {
    assert.equal(server, undefined)
    const database = await openDatabase({ dataDir })
    let altered: number
    try {
      const event = await database.db
        .selectFrom('auditEvent')
        .select('id')
        .where('action', '=', 'user.created')
        .where('subjectId', '=', 'jo.bloggs')
        .executeTakeFirstOrThrow()
      altered = event.id
      await sql`alter table audit_event disable trigger audit_event_no_update`.execute(database.db)
      await sql`update audit_event set details = jsonb_set(details, '{roles}', '["admin"]') where id = ${altered}`.execute(
        database.db,
      )
      await sql`alter table audit_event enable trigger audit_event_no_update`.execute(database.db)
    } finally {
      await database.close()
    }

    const result = await cli(['verify-audit'])
    assert.equal(result.code, 1, result.stdout)
    assert.match(
      result.stderr,
      new RegExp(`The audit chain is broken at event ${altered}: audit event ${altered} does not match its hash`),
    )
    assert.doesNotMatch(result.stdout, /unbroken/)
  })
})
