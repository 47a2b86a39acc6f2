import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { gunzipSync, gzipSync } from 'node:zlib'
import { sql } from 'kysely'
import pg from 'pg'
import { auditedTransaction, SYSTEM_ACTOR } from '../../src/platform/audit/audit.ts'
import { type BackupHeader, readBackup } from '../../src/platform/db/backup/format.ts'
import { type SequenceValue, sequenceValues, tableCount } from '../../src/platform/db/backup/repository.ts'
import {
  BackupFileError,
  backupDatabase,
  backupToFile,
  restoreFromFile,
  tableDigests,
} from '../../src/platform/db/backup.ts'
import { type DatabaseHandle, openDatabase } from '../../src/platform/db/database.ts'

// `portcullis backup` and `restore`, run as an operator runs them: the demo data and some awkward values in a
// source database, a backup file, and restores into fresh databases that must hold the same rows, value for value.
// The source is PostgreSQL when PORTCULLIS_TEST_DB=postgres, so the embedded restore crosses from one to the other.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const BIN = path.join(ROOT, 'bin', 'portcullis.js')
const ON_POSTGRES = process.env.PORTCULLIS_TEST_DB === 'postgres'

type Place = { env: Record<string, string>; open(): Promise<DatabaseHandle>; remove(): Promise<void> }

const work = mkdtempSync(path.join(tmpdir(), 'portcullis-backup-'))
const places: Place[] = []

function embedded(): Place {
  const dataDir = mkdtempSync(path.join(work, 'data-'))
  const place = {
    env: { DATA_DIR: dataDir },
    open: () => openDatabase({ dataDir }),
    remove: async () => rmSync(dataDir, { recursive: true, force: true }),
  }
  places.push(place)
  return place
}

async function postgres(): Promise<Place> {
  const adminUrl = process.env.TEST_DATABASE_URL
  if (!adminUrl) throw new Error('PORTCULLIS_TEST_DB=postgres needs TEST_DATABASE_URL')
  const name = `portcullis_backup_${randomBytes(6).toString('hex')}`
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    await client.query(statement)
    await client.end()
  }
  await admin(`create database ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  const place = {
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ databaseUrl: url.toString(), poolSize: 2 }),
    remove: () => admin(`drop database if exists ${name} with (force)`),
  }
  places.push(place)
  return place
}

function sumOfRows(header: BackupHeader): number {
  return header.tables.reduce((sum, table) => sum + table.rows, 0)
}

type Result = { code: number | null; stdout: string; stderr: string }

function cli(place: Place, args: string[]): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...place.env }
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'NODE_ENV', 'SESSION_SECRET', 'DEMO_PASSWORD']) {
    if (!(name in place.env)) delete env[name]
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', chunk => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', chunk => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

async function using<T>(place: Place, work: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await place.open()
  try {
    return await work(database)
  } finally {
    await database.close()
  }
}

const AWKWARD_NAME = 'Tricky "quoted", back\\slash,\nnew line, tab\t, ünïcödé 😀'

/** Values a careless backup would change: JSON null in a NOT NULL jsonb, numeric scale and size, microseconds. */
async function addAwkwardValues(database: DatabaseHandle) {
  await sql`insert into establishment (code, name, functions, created_at, updated_at)
    values ('ZZQ', ${AWKWARD_NAME}, array['a,b', null, '"q"', '', '{}'], '2026-03-29 01:30:00.123456+01',
      '1999-12-31 23:59:59.999999-08')`.execute(database.db)
  await sql`insert into soc_dip_sample (scope, characteristic, taken_on, threshold, rows, taken_by, taken_at) values
    ('MDI', 'age', '2024-02-29', 0.10, 'null', 'backup.test', '2026-01-01 00:00:00.000001+00'),
    ('MDI', 'age', '2024-03-01', 123456789012345678901234567890.000001, '[1.50, {"a": null, "b": "\\u00e9"}]',
      'backup.test', '2026-01-01 00:00:00+00')`.execute(database.db)
  const user = await database.db.selectFrom('appUser').select('id').limit(1).executeTakeFirstOrThrow()
  // A live session, which a restore must not bring back.
  await database.db
    .insertInto('userSession')
    .values({
      id: 'backup-test',
      userId: user.id,
      authMethod: 'password',
      createdAt: new Date(),
      lastSeenAt: new Date(),
    })
    .execute()
}

let source: Place
let sourceDigests: Record<string, { rows: number; sha256: string }>
let sourceSequences: SequenceValue[]
const FILE = path.join(work, 'portcullis.backup')

before(async () => {
  source = ON_POSTGRES ? await postgres() : embedded()
  const seeded = await cli(source, ['seed-demo'])
  assert.equal(seeded.code, 0, seeded.stderr)
  await using(source, async database => {
    await addAwkwardValues(database)
    sourceDigests = await tableDigests(database.db)
    sourceSequences = await sequenceValues(database.db)
  })
})

after(async () => {
  for (const place of places) await place.remove()
  rmSync(work, { recursive: true, force: true })
})

/** Every table holds what the source held, row for row; the restore added one audit event, saying so. */
async function assertSameAsSource(place: Place) {
  await using(place, async database => {
    const restored = await tableDigests(database.db, { audit_event: sourceDigests.audit_event?.rows ?? 0 })
    // Tables only a migration newer than the backup creates (the restore applies it) start empty.
    for (const [table, digest] of Object.entries(restored)) {
      if (!(table in sourceDigests)) assert.equal(digest.rows, 0, table)
    }
    for (const [table, digest] of Object.entries(sourceDigests)) {
      // The chain's head moved on by the restore's own event; verify-audit proves it.
      if (table !== 'audit_chain_head') assert.deepEqual(restored[table], digest, table)
    }
    const events = await database.db.selectFrom('auditEvent').select('action').orderBy('id', 'desc').execute()
    assert.equal(events.length, (sourceDigests.audit_event?.rows ?? 0) + 1)
    assert.equal(events[0]?.action, 'database.restored')

    // The restore's own audit event moved the audit sequences on.
    const audited = new Set(['audit_event_id_seq', 'audit_pending_id_seq'])
    const compared = (sequences: SequenceValue[]) =>
      sequences.filter(s => !audited.has(s.name) && sourceSequences.some(source => source.name === s.name))
    assert.deepEqual(compared(await sequenceValues(database.db)), compared(sourceSequences))

    const prison = await sql<{ name: string; functions: string; createdAt: string }>`
      select name, functions::text as functions, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as created_at
      from establishment where code = 'ZZQ'`.execute(database.db)
    assert.deepEqual(prison.rows[0], {
      name: AWKWARD_NAME,
      functions: '{"a,b",NULL,"\\"q\\"","","{}"}',
      createdAt: '2026-03-29 00:30:00.123456',
    })
    const samples = await sql<{ threshold: string; rows: string }>`
      select threshold::text as threshold, rows::text as rows from soc_dip_sample where taken_by = 'backup.test'
      order by taken_on`.execute(database.db)
    assert.deepEqual(samples.rows, [
      { threshold: '0.10', rows: 'null' },
      { threshold: '123456789012345678901234567890.000001', rows: '[1.50, {"a": null, "b": "é"}]' },
    ])
    const sessions = await database.db.selectFrom('userSession').select('id').execute()
    assert.deepEqual(sessions, [], 'everyone signs in again after a restore')
  })
}

describe('portcullis backup and restore', () => {
  it('backup writes one file, for its owner only, and records itself in the audit trail', {
    timeout: 60_000,
  }, async () => {
    const result = await cli(source, ['backup', FILE])
    assert.equal(result.code, 0, result.stderr)
    const rows = Object.values(sourceDigests).reduce((sum, table) => sum + table.rows, 0)
    const tables = Object.keys(sourceDigests).length
    assert.match(result.stdout, new RegExp(`^Backed up ${rows} rows of ${tables} tables to ${FILE}$`, 'm'))
    assert.match(result.stdout, /^Content SHA-256: [0-9a-f]{64}$/m)
    assert.match(result.stderr, new RegExp(`rows backed up: ${rows} of ${rows}`))
    assert.equal(statSync(FILE).mode & 0o777, 0o600, 'it holds intelligence: only its owner may read it')
    assert.ok(!existsSync(`${FILE}.partial`))

    const header = JSON.parse(gunzipSync(readFileSync(FILE)).toString('utf8').split('\n')[0] ?? '')
    assert.equal(header.format, 'portcullis-backup')
    assert.deepEqual(Object.keys(header.leftOut).sort(), ['audit_pending', 'schema_migration', 'user_session'])
    assert.ok(header.migrations.some((m: { version: string }) => m.version === '0001'))

    await using(source, async database => {
      const last = await database.db
        .selectFrom('auditEvent')
        .select(['action', 'actorUsername', 'details'])
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
      assert.equal(last.action, 'database.backed-up')
      assert.equal(last.actorUsername, 'cli')
      const details = last.details as Record<string, unknown>
      assert.equal(details.file, 'portcullis.backup')
      assert.equal(details.rows, rows)
      assert.equal(details.tables, tables)
      assert.match(String(details.sha256), /^[0-9a-f]{64}$/)
      await assert.rejects(
        backupToFile(database, FILE, { version: 'test', actor: SYSTEM_ACTOR }),
        /already exists: a backup never overwrites a file/,
      )
    })
  })

  it('restore into a fresh data directory gives back every row, value for value', { timeout: 90_000 }, async () => {
    const target = embedded()
    const result = await cli(target, ['restore', FILE])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /every table's row count and SHA-256 match the backup/)
    assert.match(result.stdout, /^The audit chain is unbroken: \d+ events verified$/m)

    // Refused twice, changing nothing: the comparison below runs after both.
    const again = await cli(target, ['restore', FILE])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /The database to restore into is not empty: it has \d+ tables\..*Nothing was changed/)
    const truncated = path.join(work, 'truncated.backup')
    const whole = readFileSync(FILE)
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.6)))
    const cut = await cli(target, ['restore', truncated])
    assert.equal(cut.code, 1)
    assert.match(cut.stderr, /truncated\.backup is incomplete: the compressed data stops early/)

    await assertSameAsSource(target)
  })

  it('restore into an empty PostgreSQL database', { timeout: 90_000, skip: !ON_POSTGRES }, async () => {
    const target = await postgres()
    const result = await cli(target, ['restore', FILE])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^The audit chain is unbroken: \d+ events verified$/m)
    await assertSameAsSource(target)
  })

  // The embedded database is one process with one connection: only PostgreSQL serves others during a backup.
  const concurrently = { timeout: 60_000, skip: !ON_POSTGRES }
  it(
    'the server keeps working while a backup runs, and the backup holds the moment it began',
    concurrently,
    async () => {
      await using(source, async database => {
        const count = async (table: 'auditEvent' | 'intelligenceStatusChange') =>
          (await database.db.selectFrom(table).select('id').execute()).length
        const before = { events: await count('auditEvent'), changes: await count('intelligenceStatusChange') }
        // A destination that takes the first chunk and then holds the backup a few thousand rows in, its snapshot open.
        const chunks: Buffer[] = []
        let release = () => {}
        const held = new Promise<void>(resolve => {
          release = resolve
        })
        let started = () => {}
        const firstChunk = new Promise<void>(resolve => {
          started = resolve
        })
        const output = new Writable({
          write(chunk: Buffer, _encoding, done) {
            chunks.push(chunk)
            started()
            held.then(() => done())
          },
        })
        const backup = backupDatabase(database, output, { version: 'test', actor: SYSTEM_ACTOR })
        await firstChunk
        // A status change and its audit event, in a table the backup reads long after the point where it waits.
        await auditedTransaction(database.db, SYSTEM_ACTOR, new Date(), async (trx, audit) => {
          const { id: _id, ...last } = await trx
            .selectFrom('intelligenceStatusChange')
            .selectAll()
            .orderBy('id', 'desc')
            .limit(1)
            .executeTakeFirstOrThrow()
          await trx
            .insertInto('intelligenceStatusChange')
            .values({ ...last, changedAt: new Date() })
            .execute()
          await audit({ action: 'test.during-backup' })
        })
        assert.equal(await count('auditEvent'), before.events + 1, 'a change committed while the backup was under way')
        release()
        // Had it read the tables as they changed, the backup would have failed: a table's rows must match its count.
        const { header } = await backup
        const rowsOf = (name: string) => header.tables.find(table => table.name === name)?.rows
        assert.equal(rowsOf('audit_event'), before.events)
        assert.equal(rowsOf('intelligence_status_change'), before.changes)
        const file = path.join(work, 'during.backup')
        writeFileSync(file, Buffer.concat(chunks))
        const read = await readBackup(file)
        assert.equal(read.trailer.rows, sumOfRows(header), 'the file is whole and matches its header')
      })
    },
  )

  it('restore refuses a damaged file, a file that is not a backup and a newer schema, touching nothing', async () => {
    const lines = gunzipSync(readFileSync(FILE)).toString('utf8').split('\n')
    const write = (name: string, content: string | Buffer) => {
      const file = path.join(work, name)
      writeFileSync(file, content)
      return file
    }
    const rowAt = lines.findIndex((line, index) => index > 1 && line.startsWith('["'))
    const damaged = lines.map((line, index) => (index === rowAt ? line.replace(/[0-9a-f]/, '0') : line))
    const newer = JSON.parse(lines[0] ?? '')
    newer.migrations.push({ version: '9999', name: 'from_the_future', checksum: 'x' })
    const future = [JSON.stringify(newer), ...lines.slice(1, -2)]
    const trailer = JSON.parse(lines.at(-2) ?? '')
    trailer.sha256 = createHash('sha256')
      .update(future.map(line => `${line}\n`).join(''))
      .digest('hex')

    const cases: [string, RegExp][] = [
      [
        write('damaged.backup', gzipSync(damaged.join('\n'))),
        /damaged\.backup is damaged: its content does not match its SHA-256/,
      ],
      [write('plain.backup', 'not a backup at all'), /plain\.backup is damaged or not a Portcullis backup/],
      [write('other.backup', gzipSync('{"hello":"world"}\n')), /other\.backup is not a Portcullis backup/],
      [
        write('future.backup', gzipSync(`${[...future, JSON.stringify(trailer)].join('\n')}\n`)),
        /made by a newer Portcullis \(.+\): its schema has migration 9999_from_the_future/,
      ],
      [path.join(work, 'missing.backup'), /There is no file .*missing\.backup/],
    ]
    const database = await openDatabase({ dataDir: 'memory://' })
    try {
      for (const [file, message] of cases) {
        await assert.rejects(restoreFromFile(database, file, { actor: SYSTEM_ACTOR }), error => {
          assert.ok(error instanceof BackupFileError, String(error))
          assert.match(error.message, message)
          return true
        })
      }
      assert.equal(await tableCount(database.db), 0, 'nothing was created')
    } finally {
      await database.close()
    }
  })
})
