import { createHash } from 'node:crypto'
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs'
import path from 'node:path'
import type { Writable } from 'node:stream'
import { type Actor, auditedTransaction, type ChainVerdict, verifyAuditChain } from '../audit/audit.ts'
import {
  BACKUP_FORMAT,
  BackupFileError,
  type BackupHeader,
  type BackupTrailer,
  backupWriter,
  FORMAT_VERSION,
  readBackup,
} from './backup/format.ts'
import {
  appliedMigrations,
  applyMigration,
  closeRows,
  deleteRows,
  fetchRows,
  insertRows,
  openRows,
  pinTextFormats,
  rowCount,
  sequenceValues,
  setSequence,
  type TableShape,
  tableCount,
  tableShapes,
} from './backup/repository.ts'
import type { DatabaseHandle, Db, Executor } from './database.ts'
import { loadMigrations, type Migration, migrate } from './migrate.ts'

export { BackupFileError } from './backup/format.ts'

/**
 * What a backup leaves out, and why. Everything else in the schema is backed up, including sign-in attempts (a
 * restore keeps account lock-outs in force) and idempotency keys (written with the records they created, so a retry
 * after a restore still gets the first answer rather than a duplicate).
 */
export const LEFT_OUT: Record<string, string> = {
  schema_migration: 'a restore recreates it by running the migrations the backup names',
  user_session:
    'a restored system makes everyone sign in again: a session signed out after the backup must not come back',
  audit_pending: 'audit events wait there only until their transaction commits, so it is empty in any snapshot',
}

const BATCH = 1000

/** The database cannot take this restore: it holds tables already. Nothing was changed. */
export class RestoreRefusedError extends Error {
  override name = 'RestoreRefusedError'
}

type Progress = (done: number, total: number) => void

export type BackupOptions = { version: string; actor: Actor; now?: Date; onProgress?: Progress }
export type BackupSummary = {
  tables: number
  rows: number
  sha256: string
  /** False when the database is read-only (a standby), so the backup could not be written to its audit trail. */
  audited: boolean
}

/**
 * Writes a backup of the whole database to FILE (never over an existing file: it is written beside it and renamed
 * when complete, readable by its owner only), or to standard output for FILE '-'. The backup is then recorded in
 * the audit trail: it is a read of everything the system holds.
 */
export async function backupToFile(
  database: DatabaseHandle,
  file: string,
  options: BackupOptions,
): Promise<BackupSummary> {
  let written: { header: BackupHeader; trailer: BackupTrailer }
  if (file === '-') {
    written = await backupDatabase(database, process.stdout, options)
  } else {
    if (existsSync(file)) throw new BackupFileError(`${file} already exists: a backup never overwrites a file.`)
    const partial = `${file}.partial`
    rmSync(partial, { force: true })
    try {
      written = await backupDatabase(database, createWriteStream(partial, { flags: 'wx', mode: 0o600 }), options)
      renameSync(partial, file)
    } catch (error) {
      rmSync(partial, { force: true })
      throw error
    }
  }
  const { header, trailer } = written
  const summary = { tables: header.tables.length, rows: trailer.rows, sha256: trailer.sha256 }
  try {
    await auditedTransaction(database.db, options.actor, options.now ?? new Date(), (_trx, audit) =>
      audit({ action: 'database.backed-up', details: { file: file === '-' ? null : path.basename(file), ...summary } }),
    )
  } catch (error) {
    if ((error as { code?: string }).code !== READ_ONLY) throw error
    return { ...summary, audited: false }
  }
  return { ...summary, audited: true }
}

const READ_ONLY = '25006'

/**
 * Streams every table of one consistent snapshot (REPEATABLE READ, read only) to `output`, so the server may go on
 * working meanwhile.
 */
export async function backupDatabase(
  database: DatabaseHandle,
  output: Writable,
  options: BackupOptions,
): Promise<{ header: BackupHeader; trailer: BackupTrailer }> {
  const writer = backupWriter(output)
  try {
    return await database.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async trx => {
        await pinTextFormats(trx)
        const shapes = await tableShapes(trx)
        const header = await backupHeader(trx, shapes, database.kind, options)
        await writer.header(header)
        const byName = new Map(shapes.map(shape => [shape.name, shape]))
        const counter = progressCounter(
          header.tables.reduce((sum, table) => sum + table.rows, 0),
          options.onProgress,
        )
        for (const table of header.tables) {
          await writer.table(table.name, table.rows)
          const written = await eachRow(trx, byName.get(table.name) as TableShape, async lines => {
            await writer.rows(lines)
            counter(lines.length)
          })
          if (written !== table.rows) throw new Error(`${table.name} changed while it was read`)
        }
        return { header, trailer: await writer.finish() }
      })
  } catch (error) {
    await writer.abort(error as Error)
    throw error
  }
}

async function backupHeader(
  trx: Executor,
  shapes: TableShape[],
  kind: DatabaseHandle['kind'],
  options: BackupOptions,
): Promise<BackupHeader> {
  if (!shapes.some(shape => shape.name === 'schema_migration')) {
    throw new BackupFileError('There is nothing to back up: this database holds no Portcullis tables.')
  }
  const kept = shapes.filter(shape => !(shape.name in LEFT_OUT))
  for (const shape of kept) {
    const lost = shape.references.find(parent => parent in LEFT_OUT)
    if (lost) throw new Error(`${shape.name} refers to ${lost}, which a backup leaves out: it could not be restored`)
  }
  const tables = []
  for (const shape of loadOrder(kept)) {
    tables.push({ name: shape.name, columns: shape.columns.map(c => c.name), rows: await rowCount(trx, shape.name) })
  }
  return {
    format: BACKUP_FORMAT,
    formatVersion: FORMAT_VERSION,
    portcullisVersion: options.version,
    createdAt: (options.now ?? new Date()).toISOString(),
    database: kind,
    migrations: await appliedMigrations(trx),
    tables,
    sequences: await sequenceValues(trx),
    leftOut: LEFT_OUT,
  }
}

/** Every table after the tables it refers to, so that rows load in file order without breaking a foreign key. */
export function loadOrder(shapes: TableShape[]): TableShape[] {
  const names = new Set(shapes.map(shape => shape.name))
  const placed = new Set<string>()
  const ordered: TableShape[] = []
  let waiting = [...shapes].sort((a, b) => (a.name < b.name ? -1 : 1))
  while (waiting.length) {
    const ready = waiting.filter(shape => shape.references.every(parent => placed.has(parent) || !names.has(parent)))
    if (!ready.length) {
      throw new Error(`Tables ${waiting.map(s => s.name).join(', ')} refer to each other: they cannot be ordered`)
    }
    for (const shape of ready) placed.add(shape.name)
    ordered.push(...ready)
    waiting = waiting.filter(shape => !placed.has(shape.name))
  }
  return ordered
}

/** Reads a table's rows in key order, in batches, through a cursor in the caller's transaction. */
async function eachRow(trx: Executor, shape: TableShape, use: (lines: string[]) => Promise<void>): Promise<number> {
  await openRows(trx, shape)
  let count = 0
  for (;;) {
    const lines = await fetchRows(trx, BATCH)
    if (lines.length) await use(lines)
    count += lines.length
    if (lines.length < BATCH) break
  }
  await closeRows(trx)
  return count
}

/** Calls onProgress at every twentieth of the way, not once per batch: a log file gets twenty lines, not thousands. */
function progressCounter(total: number, onProgress: Progress | undefined): (rows: number) => void {
  let done = 0
  let shown = -1
  return rows => {
    done += rows
    const step = total ? Math.floor((done * 20) / total) : 20
    if (step !== shown || done === total) onProgress?.(done, total)
    shown = step
  }
}

export type RestoreOptions = { actor: Actor; now?: Date; log?: (line: string) => void; onProgress?: Progress }
export type RestoreSummary = { header: BackupHeader; rows: number; newerMigrations: string[]; audit: ChainVerdict }

/**
 * Restores FILE into an empty database: proves the file whole before touching anything, runs the migrations the
 * backup was taken at, loads every row and sequence in one transaction that commits only if each table's count and
 * SHA-256 match the backup's, applies this version's later migrations, then verifies the audit chain.
 */
export async function restoreFromFile(
  database: DatabaseHandle,
  file: string,
  options: RestoreOptions,
): Promise<RestoreSummary> {
  const log = options.log ?? (() => {})
  const { header, trailer } = await readBackup(file)
  const migrations = migrationsOf(header)
  await database.db.transaction().execute(async trx => {
    const tables = await tableCount(trx)
    if (tables > 0) {
      throw new RestoreRefusedError(
        `The database to restore into is not empty: it has ${tables} tables. Restore into a fresh DATA_DIR or a ` +
          'new, empty PostgreSQL database. Nothing was changed.',
      )
    }
    log(
      `Restoring ${trailer.rows} rows of ${header.tables.length} tables, backed up from ${header.database} at ` +
        `${header.createdAt} by Portcullis ${header.portcullisVersion}`,
    )
    for (const migration of migrations) await applyMigration(trx, migration)
    log(`applied the backup's ${migrations.length} migrations, up to ${header.migrations.at(-1)?.version}`)
    await loadBackup(trx, file, header, trailer, options.onProgress)
  })
  log(`Restored ${trailer.rows} rows: every table's row count and SHA-256 match the backup`)
  const newerMigrations = await migrate(database.db, log)
  await auditedTransaction(database.db, options.actor, options.now ?? new Date(), (_trx, audit) =>
    audit({
      action: 'database.restored',
      details: { backedUpAt: header.createdAt, from: header.database, rows: trailer.rows, sha256: trailer.sha256 },
    }),
  )
  return { header, rows: trailer.rows, newerMigrations, audit: await verifyAuditChain(database.db) }
}

/** The migrations to run before loading: the backup's own, each known to this version and unchanged. */
function migrationsOf(header: BackupHeader): Migration[] {
  const known = loadMigrations()
  header.migrations.forEach((migration, index) => {
    const mine = known[index]
    const name = `${migration.version}_${migration.name}`
    if (!known.some(k => k.version === migration.version)) {
      throw new BackupFileError(
        `The backup was made by a newer Portcullis (${header.portcullisVersion}): its schema has migration ${name}, ` +
          `which this version does not know. Restore it with Portcullis ${header.portcullisVersion} or later.`,
      )
    }
    if (mine?.version !== migration.version || mine.checksum !== migration.checksum) {
      throw new BackupFileError(
        `The backup's migration ${name} is not the one this version holds: it cannot be loaded.`,
      )
    }
  })
  return known.slice(0, header.migrations.length)
}

/** Loads every row and sequence, then proves each table restored exactly; throwing rolls the whole restore back. */
async function loadBackup(
  trx: Executor,
  file: string,
  header: BackupHeader,
  trailer: BackupTrailer,
  onProgress: Progress | undefined,
): Promise<void> {
  await pinTextFormats(trx)
  const shapes = matchingShapes(await tableShapes(trx), header)
  // The migrations fill some tables with reference data; the backup's rows, as the source held them, replace it.
  for (const table of [...header.tables].reverse()) {
    if ((await rowCount(trx, table.name)) > 0) await deleteRows(trx, table.name)
  }
  const counter = progressCounter(trailer.rows, onProgress)
  await readBackup(
    file,
    {
      async rows(table, lines) {
        await insertRows(trx, shapes.get(table) as TableShape, lines)
        counter(lines.length)
      },
    },
    BATCH,
  )
  for (const sequence of header.sequences) await setSequence(trx, sequence)
  for (const table of header.tables) {
    const restored = await digestOf(trx, shapes.get(table.name) as TableShape)
    if (restored.rows !== table.rows || restored.sha256 !== trailer.tables[table.name]) {
      throw new Error(
        `${table.name} did not restore exactly (${restored.rows} of ${table.rows} rows): nothing was restored`,
      )
    }
  }
}

/** The target's tables, checked against the backup's: the same migrations must give the same columns. */
function matchingShapes(shapes: TableShape[], header: BackupHeader): Map<string, TableShape> {
  const byName = new Map(shapes.map(shape => [shape.name, shape]))
  for (const table of header.tables) {
    const columns = byName.get(table.name)?.columns.map(column => column.name)
    if (columns?.join() !== table.columns.join()) {
      throw new BackupFileError(
        `The backup's table ${table.name} (${table.columns.join(', ')}) is not the table its migrations create ` +
          `(${columns?.join(', ') ?? 'none'}): the source database was changed outside the migrations.`,
      )
    }
  }
  const missing = shapes.filter(shape => !(shape.name in LEFT_OUT) && !header.tables.some(t => t.name === shape.name))
  if (missing.length) {
    throw new BackupFileError(`The backup has no section for ${missing.map(shape => shape.name).join(', ')}.`)
  }
  return byName
}

async function digestOf(trx: Executor, shape: TableShape, limit = Infinity): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256')
  let rows = 0
  await eachRow(trx, shape, async lines => {
    const taken = lines.slice(0, Math.max(0, limit - rows))
    if (taken.length) hash.update(`${taken.join('\n')}\n`)
    rows += taken.length
  })
  return { rows, sha256: hash.digest('hex') }
}

/**
 * Each backed-up table's row count and SHA-256, as a backup of this database would record them: two databases with
 * the same digests hold the same rows, value for value. `limit` hashes only a table's first rows in key order.
 */
export async function tableDigests(
  db: Db,
  limit: Record<string, number> = {},
): Promise<Record<string, { rows: number; sha256: string }>> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async trx => {
      await pinTextFormats(trx)
      const digests: Record<string, { rows: number; sha256: string }> = {}
      for (const shape of await tableShapes(trx)) {
        if (!(shape.name in LEFT_OUT)) digests[shape.name] = await digestOf(trx, shape, limit[shape.name])
      }
      return digests
    })
}
