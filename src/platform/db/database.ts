import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { createPgConfig } from '@electric-sql/pglite/node-postgres'
import { CamelCasePlugin, Kysely, PostgresDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import type { Database } from './tables.ts'

export type Db = Kysely<Database>
/** Anything a repository can run SQL on: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>

export type DatabaseHandle = {
  db: Db
  kind: 'pglite' | 'postgres'
  close(): Promise<void>
}

// Calendar dates stay 'YYYY-MM-DD' strings: a release date is a day, not an instant in a time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, value => value)
// Counts and identities fit in a JavaScript number at any scale this system will see.
pg.types.setTypeParser(pg.types.builtins.INT8, value => Number(value))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, value => Number(value))

/** Whether the database answers, and how fast: the health check's one query. Throws when it does not. */
export async function pingDatabase(db: Db): Promise<number> {
  const started = performance.now()
  await sql`select 1`.execute(db)
  return Math.round(performance.now() - started)
}

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError'
}

export type OpenOptions = { databaseUrl?: string; dataDir?: string; poolSize?: number }

/** Opens PostgreSQL when a URL is given, otherwise the embedded PGlite database under dataDir. One code path. */
export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10)
  if (!options.dataDir) throw new Error('openDatabase needs a databaseUrl or a dataDir')
  return openPglite(options.dataDir)
}

function kysely(pool: pg.Pool): Db {
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] })
}

async function openPostgres(url: string, poolSize: number): Promise<DatabaseHandle> {
  // No JIT: it compiles a plan for tens of milliseconds to save less than that on the short queries an application
  // runs (seen at 56 ms on a 390 ms search in bench/results).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off' })
  // An idle connection dropped by the server (restart, failover) is replaced by the pool; it must not end the process.
  pool.on('error', error => console.error(`PostgreSQL connection lost: ${error.message}`))
  const db = kysely(pool)
  return { db, kind: 'postgres', close: () => db.destroy() }
}

/** 'memory://' gives a throwaway database (tests); any other value is a directory kept on disk. */
async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir.startsWith('memory://')
  let releaseLock = () => {}
  let pgliteDir = dataDir
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true })
    releaseLock = takeLock(dataDir)
    pgliteDir = path.join(dataDir, 'pglite')
  }
  try {
    const pglite = await PGlite.create({ dataDir: pgliteDir, extensions: { pg_trgm, btree_gin } })
    const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig)
    const db = kysely(pool)
    return {
      db,
      kind: 'pglite',
      async close() {
        await db.destroy()
        await pglite.close()
        releaseLock()
      },
    }
  } catch (error) {
    releaseLock()
    throw error
  }
}

/** PGlite allows one process per data directory; a lock file says who holds it. */
function takeLock(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'portcullis.lock')
  if (existsSync(lockFile)) {
    const holder = Number(readFileSync(lockFile, 'utf8').trim())
    if (Number.isInteger(holder) && holder !== process.pid && processIsAlive(holder)) {
      throw new DatabaseInUseError(
        `The embedded database in ${dataDir} is in use by another Portcullis process (pid ${holder}). ` +
          'Stop that process first, or point DATABASE_URL at PostgreSQL. Nothing was changed.',
      )
    }
    rmSync(lockFile, { force: true })
  }
  const fd = openSync(lockFile, 'wx')
  writeSync(fd, String(process.pid))
  closeSync(fd)
  return () => rmSync(lockFile, { force: true })
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
