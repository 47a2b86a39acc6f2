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
    try {
      mkdirSync(dataDir, { recursive: true })
      releaseLock = takeLock(dataDir)
    } catch (error) {
      throw dataDirectoryError(dataDir, error) ?? error
    }
    pgliteDir = path.join(dataDir, 'pglite')
  }
  try {
    const pglite = await PGlite.create({ dataDir: pgliteDir, extensions: { pg_trgm, btree_gin } }).catch(error => {
      throw dataDirectoryError(dataDir, error) ?? error
    })
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

/** The embedded database's directory cannot be used: read-only, not writable, or full. */
export class DataDirectoryError extends Error {
  override name = 'DataDirectoryError'
}

// Node names file-system errors by code; PGlite's file system (Emscripten) by number. ENOENT only ever comes from
// creating the directory: a file missing inside the database is another matter.
const EMSCRIPTEN_ERRNO: Record<number, string> = { 2: 'EACCES', 51: 'ENOSPC', 63: 'EPERM', 69: 'EROFS' }
const DIRECTORY_PROBLEMS: Record<string, string> = {
  EROFS: 'it is on a read-only file system',
  EACCES: 'this process may not write to it',
  EPERM: 'this process may not write to it',
  ENOSPC: 'there is no space left on its disk',
  EDQUOT: 'the disk quota is used up',
  ENOENT: 'it cannot be created',
  ENOTDIR: 'it cannot be created',
}

/** One line a person can act on for a file-system failure on the data directory, or undefined for anything else. */
function dataDirectoryError(dataDir: string, error: unknown): DataDirectoryError | undefined {
  const { code, errno, name } = (error ?? {}) as { code?: string; errno?: number; name?: string }
  const which = code ?? (name === 'ErrnoError' && errno !== undefined ? EMSCRIPTEN_ERRNO[errno] : undefined)
  const problem = which && DIRECTORY_PROBLEMS[which]
  if (!problem) return undefined
  const remedy =
    which === 'ENOSPC' || which === 'EDQUOT'
      ? 'Free some space, then start Portcullis again.'
      : 'Point DATA_DIR at a directory Portcullis can write, or DATABASE_URL at PostgreSQL.'
  return new DataDirectoryError(`The embedded database cannot use ${dataDir}: ${problem} (${which}). ${remedy}`)
}

/** PGlite allows one process per data directory; a lock file says who holds it. */
function takeLock(dataDir: string): () => void {
  const lockFile = path.join(dataDir, 'portcullis.lock')
  if (existsSync(lockFile)) {
    const holder = Number(readFileSync(lockFile, 'utf8').trim())
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processIsAlive(holder)) {
      throw new DatabaseInUseError(
        `The embedded database in ${dataDir} is in use by another Portcullis process (pid ${holder}). ` +
          'Stop that process first, or point DATABASE_URL at PostgreSQL. Nothing was changed.',
      )
    }
    rmSync(lockFile, { force: true })
  }
  const fd = openSync(lockFile, 'wx')
  try {
    writeSync(fd, String(process.pid))
  } catch (error) {
    // A full disk can leave the file empty: it must not be taken for a lock next time.
    rmSync(lockFile, { force: true })
    throw error
  } finally {
    closeSync(fd)
  }
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
