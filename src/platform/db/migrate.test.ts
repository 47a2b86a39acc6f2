import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { testDatabase } from '../../../test/support/database.ts'
import { type DatabaseHandle, openDatabase } from './database.ts'
import { loadMigrations, MigrationError, migrate } from './migrate.ts'

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)

describe('loadMigrations', () => {
  it('returns every SQL file in order, with 4-digit versions, names and checksums of their text', () => {
    const migrations = loadMigrations()
    const files = readdirSync(MIGRATIONS_DIR)
      .filter(file => file.endsWith('.sql'))
      .sort()
    assert.ok(migrations.length > 0)
    assert.deepEqual(
      migrations.map(m => `${m.version}_${m.name}.sql`),
      files,
    )
    assert.equal(migrations[0].version, '0001')
    for (const [index, migration] of migrations.entries()) {
      assert.match(migration.version, /^\d{4}$/)
      assert.match(migration.name, /^[a-z0-9_]+$/)
      if (index > 0) assert.ok(migration.version > migrations[index - 1].version, 'versions strictly increase')
      const text = readFileSync(new URL(`${migration.version}_${migration.name}.sql`, MIGRATIONS_DIR), 'utf8')
      assert.equal(migration.sql, text)
      assert.equal(migration.checksum, createHash('sha256').update(text).digest('hex'))
    }
    assert.equal(new Set(migrations.map(m => m.version)).size, migrations.length, 'no version is used twice')
  })
})

describe('migrate', () => {
  let database: DatabaseHandle
  before(async () => {
    database = await testDatabase()
  })
  after(() => database.close())

  it('applies nothing the second time and records every file with its checksum', async () => {
    const lines: string[] = []
    assert.deepEqual(await migrate(database.db, line => lines.push(line)), [])
    assert.deepEqual(lines, [])
    const recorded = await database.db
      .selectFrom('schemaMigration')
      .select(['version', 'name', 'checksum'])
      .orderBy('version')
      .execute()
    assert.deepEqual(
      recorded,
      loadMigrations().map(({ version, name, checksum }) => ({ version, name, checksum })),
    )
  })

  it('refuses, naming the migration, when an applied file no longer matches its recorded checksum', async () => {
    const first = loadMigrations()[0]
    await sql`update schema_migration set checksum = 'x' where version = ${first.version}`.execute(database.db)
    await assert.rejects(migrate(database.db), (error: unknown) => {
      assert.ok(error instanceof MigrationError)
      assert.equal(error.name, 'MigrationError')
      assert.match(
        error.message,
        new RegExp(`Migration ${first.version}_${first.name} was changed after it was applied`),
      )
      return true
    })
    const still = await database.db
      .selectFrom('schemaMigration')
      .select('checksum')
      .where('version', '=', first.version)
      .executeTakeFirstOrThrow()
    assert.equal(still.checksum, 'x', 'nothing was re-applied or re-recorded')
  })
})

describe('migrate on an empty embedded database', () => {
  let database: DatabaseHandle
  before(async () => {
    database = await openDatabase({ dataDir: 'memory://' })
  })
  after(() => database.close())

  it('applies every migration in order, logging each, then nothing on the next run', async () => {
    const names = loadMigrations().map(m => `${m.version}_${m.name}`)
    const lines: string[] = []
    assert.deepEqual(await migrate(database.db, line => lines.push(line)), names)
    assert.deepEqual(
      lines,
      names.map(name => `applied migration ${name}`),
    )
    const head = await database.db.selectFrom('auditChainHead').selectAll().executeTakeFirstOrThrow()
    assert.deepEqual(head, { id: 1, lastId: 0, lastHash: '0'.repeat(64) })
    assert.deepEqual(await migrate(database.db), [])
  })
})
