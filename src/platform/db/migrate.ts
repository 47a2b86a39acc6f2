import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { sql } from 'kysely'
import type { Db } from './database.ts'

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url)
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/

export type Migration = { version: string; name: string; sql: string; checksum: string }

export class MigrationError extends Error {
  override name = 'MigrationError'
}

/** The numbered SQL files, in order. The same files run on PGlite and PostgreSQL. */
export function loadMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter(file => file.endsWith('.sql'))
    .sort()
    .map(file => {
      const match = FILE_NAME.exec(file)
      if (!match) throw new MigrationError(`Migration file ${file} must be named NNNN_lower_snake_name.sql`)
      const text = readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8')
      return {
        version: match[1],
        name: match[2],
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      }
    })
}

/** Applies every migration not yet recorded, each in its own transaction; refuses if an applied file was edited. */
export async function migrate(db: Db, log: (line: string) => void = () => {}): Promise<string[]> {
  await db.transaction().execute(async trx => {
    await sql`select pg_advisory_xact_lock(7240311)`.execute(trx)
    await sql`create table if not exists schema_migration (
      version text primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(trx)
  })
  const applied: string[] = []
  for (const migration of loadMigrations()) {
    const done = await db.transaction().execute(async trx => {
      // Two servers starting together against one PostgreSQL must not both migrate.
      await sql`select pg_advisory_xact_lock(7240311)`.execute(trx)
      const existing = await trx
        .selectFrom('schemaMigration')
        .select(['checksum'])
        .where('version', '=', migration.version)
        .executeTakeFirst()
      if (existing) {
        if (existing.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.version}_${migration.name} was changed after it was applied. ` +
              'Add a new migration instead of editing an applied one.',
          )
        }
        return false
      }
      await sql.raw(migration.sql).execute(trx)
      await trx
        .insertInto('schemaMigration')
        .values({ version: migration.version, name: migration.name, checksum: migration.checksum })
        .execute()
      return true
    })
    if (done) {
      applied.push(`${migration.version}_${migration.name}`)
      log(`applied migration ${migration.version}_${migration.name}`)
    }
  }
  return applied
}
