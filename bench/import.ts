import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { importPrisoners } from '../src/modules/people/imports.ts'
import { SYSTEM_ACTOR } from '../src/platform/audit/audit.ts'
import { type DatabaseHandle, openDatabase } from '../src/platform/db/database.ts'
import { prepareDatabase } from '../src/platform/db/prepare.ts'
import { progressBar } from './progress.ts'
import { sqlTrace } from './sql-trace.ts'
import { REPORTS_END, type SyntheticRecord } from './synthetic.ts'

// The prisoner import timed on a fresh database: a new PostgreSQL database beside the benchmark's, or a new
// embedded database in a temporary directory. The floor is the time its own statements took in the database.

const IMPORT_DATABASE = 'portcullis_bench_import'

export type ImportResult = {
  records: number
  created: number
  seconds: number
  perSecond: number
  statements: number
  sqlSeconds: number
}

async function freshDatabase(databaseUrl: string | undefined) {
  if (!databaseUrl) {
    const dir = mkdtempSync(path.join(tmpdir(), 'portcullis-bench-import-'))
    const handle = await openDatabase({ dataDir: dir })
    return { handle, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  }
  await admin(`drop database if exists ${IMPORT_DATABASE} with (force)`)
  await admin(`create database ${IMPORT_DATABASE}`)
  const url = new URL(databaseUrl)
  url.pathname = `/${IMPORT_DATABASE}`
  const handle: DatabaseHandle = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 })
  return { handle, drop: () => admin(`drop database if exists ${IMPORT_DATABASE} with (force)`) }
}

export async function timeImport(databaseUrl: string | undefined, records: SyntheticRecord[]): Promise<ImportResult> {
  const { handle, drop } = await freshDatabase(databaseUrl)
  try {
    await prepareDatabase(handle.db)
    const trace = sqlTrace(handle.db)
    const bar = progressBar('import', records.length)
    const summary = await importPrisoners(
      trace.db,
      { ...SYSTEM_ACTOR, username: 'bench' },
      { fileName: 'bench-prisoners.json', records },
      { now: REPORTS_END, onProgress: done => bar.update(done) },
    )
    const seconds = bar.finish() / 1000
    return {
      records: records.length,
      created: summary.created,
      seconds: Math.round(seconds * 10) / 10,
      perSecond: Math.round(records.length / seconds),
      statements: trace.totals.statements,
      sqlSeconds: Math.round(trace.totals.ms / 100) / 10,
    }
  } finally {
    await handle.close()
    await drop()
  }
}
