import { createHash, type Hash } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream } from 'node:fs'
import type { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import type { SequenceValue } from './repository.ts'

// A Portcullis backup is one gzip file of JSON lines, written and read as a stream so that no table has to fit in
// memory:
//
//   {"format":"portcullis-backup","formatVersion":1, …header: version, migrations, tables with row counts…}
//   {"table":"establishment","rows":120}          one section per table, parents before children
//   ["ACI","Altcourse",…]                         one line per row: the columns' PostgreSQL text forms
//   …
//   {"end":"portcullis-backup","rows":…,"tables":{name: SHA-256 of its rows},"sha256":…}
//
// The SHA-256 covers every line before the last; it closes the file rather than opening it because it is known only
// once every row has been written.

export const BACKUP_FORMAT = 'portcullis-backup'
export const FORMAT_VERSION = 1

export type BackupHeader = {
  format: typeof BACKUP_FORMAT
  formatVersion: number
  portcullisVersion: string
  createdAt: string
  database: 'pglite' | 'postgres'
  /** The migrations applied to the database backed up, in order: a restore runs exactly these. */
  migrations: { version: string; name: string; checksum: string }[]
  /** In load order: every table after the tables it refers to. */
  tables: { name: string; columns: string[]; rows: number }[]
  sequences: SequenceValue[]
  /** Tables left out on purpose, and why. */
  leftOut: Record<string, string>
}

export type BackupTrailer = {
  end: typeof BACKUP_FORMAT
  rows: number
  tables: Record<string, string>
  sha256: string
}

/** The file is not a backup this version can read, or not the file that was written. Nothing was restored. */
export class BackupFileError extends Error {
  override name = 'BackupFileError'
}

export type BackupWriter = {
  header(header: BackupHeader): Promise<void>
  table(name: string, rows: number): Promise<void>
  rows(lines: string[]): Promise<void>
  finish(): Promise<BackupTrailer>
  abort(error: Error): Promise<void>
}

/** Writes a backup to `output` through gzip, hashing as it goes. */
export function backupWriter(output: Writable): BackupWriter {
  const gzip = createGzip()
  // process.stdout is never ended: other output may follow, and Node keeps it open for the process's lifetime.
  const written = pipeline(gzip, output, { end: output !== process.stdout })
  written.catch(() => {}) // awaited in finish and abort; a failure must not surface twice
  const whole = createHash('sha256')
  const digests: Record<string, string> = {}
  let section: { name: string; hash: Hash } | undefined
  let total = 0

  async function write(text: string) {
    whole.update(text)
    if (!gzip.write(text)) await Promise.race([once(gzip, 'drain'), written])
  }
  function closeSection() {
    if (section) digests[section.name] = section.hash.digest('hex')
    section = undefined
  }
  return {
    header: header => write(`${JSON.stringify(header)}\n`),
    async table(name, rows) {
      closeSection()
      section = { name, hash: createHash('sha256') }
      await write(`${JSON.stringify({ table: name, rows })}\n`)
    },
    async rows(lines) {
      if (!section || lines.length === 0) return
      const text = `${lines.join('\n')}\n`
      section.hash.update(text)
      total += lines.length
      await write(text)
    },
    async finish() {
      closeSection()
      const trailer: BackupTrailer = { end: BACKUP_FORMAT, rows: total, tables: digests, sha256: whole.digest('hex') }
      gzip.end(`${JSON.stringify(trailer)}\n`)
      await written
      if (output === process.stdout) await new Promise(resolve => process.stdout.write('', resolve))
      return trailer
    },
    async abort(error) {
      gzip.destroy(error)
      await written.catch(() => {})
    },
  }
}

export type ReadHandlers = {
  header?(header: BackupHeader): void | Promise<void>
  rows?(table: string, lines: string[]): Promise<void>
}

type Expecting =
  | { kind: 'header' }
  | { kind: 'section'; index: number }
  | { kind: 'row'; index: number; left: number; hash: Hash }
  | { kind: 'trailer' }
  | { kind: 'nothing' }

/**
 * Reads a backup from start to end, handing its rows to `rows` in batches, and proves it whole: every section in
 * the header's order with the header's row count, each table's rows and the whole content matching the SHA-256
 * values the file ends with. Throws BackupFileError naming what is wrong.
 */
export async function readBackup(
  file: string,
  handlers: ReadHandlers = {},
  batchSize = 1000,
): Promise<{ header: BackupHeader; trailer: BackupTrailer }> {
  const reader = new BackupReader(file, handlers, batchSize)
  const gunzip = createGunzip()
  const input = createReadStream(file)
  input.on('error', error => gunzip.destroy(error))
  input.pipe(gunzip).setEncoding('utf8')
  let pending = ''
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const lines = (pending + chunk).split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) await reader.line(line)
    }
  } catch (error) {
    if (error instanceof BackupFileError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new BackupFileError(`There is no file ${file}.`)
    if (code === 'Z_BUF_ERROR') throw new BackupFileError(`${file} is incomplete: the compressed data stops early.`)
    throw new BackupFileError(`${file} is damaged or not a Portcullis backup: ${(error as Error).message}.`)
  }
  if (pending) await reader.line(pending)
  return reader.end()
}

/** The state of one read: what line must come next, and the hashes so far. */
class BackupReader {
  readonly file: string
  readonly handlers: ReadHandlers
  readonly batchSize: number
  readonly whole = createHash('sha256')
  readonly digests: Record<string, string> = {}
  expecting: Expecting = { kind: 'header' }
  header: BackupHeader | undefined
  trailer: BackupTrailer | undefined
  batch: string[] = []

  constructor(file: string, handlers: ReadHandlers, batchSize: number) {
    this.file = file
    this.handlers = handlers
    this.batchSize = batchSize
  }

  damaged(what: string): BackupFileError {
    return new BackupFileError(`${this.file} is damaged: ${what}.`)
  }

  async line(line: string) {
    const expecting = this.expecting
    if (expecting.kind !== 'trailer') this.whole.update(`${line}\n`)
    if (expecting.kind === 'header') return this.readHeader(line)
    if (expecting.kind === 'section') return this.readSection(line, expecting.index)
    if (expecting.kind === 'row') return this.readRow(line, expecting)
    if (expecting.kind === 'trailer') return this.readTrailer(line)
    throw this.damaged('there is more after its final line')
  }

  async readHeader(line: string) {
    const header = parse(line) as Partial<BackupHeader> | undefined
    if (header?.format !== BACKUP_FORMAT) throw new BackupFileError(`${this.file} is not a Portcullis backup.`)
    if (header.formatVersion !== FORMAT_VERSION) {
      throw new BackupFileError(
        `${this.file} is in backup format ${header.formatVersion}, made by Portcullis ${header.portcullisVersion}; ` +
          `this version reads format ${FORMAT_VERSION}. Restore it with Portcullis ${header.portcullisVersion} or later.`,
      )
    }
    this.header = header as BackupHeader
    await this.handlers.header?.(this.header)
    this.nextSection(0)
  }

  nextSection(index: number) {
    this.expecting = index < (this.header?.tables.length ?? 0) ? { kind: 'section', index } : { kind: 'trailer' }
  }

  async readSection(line: string, index: number) {
    const table = this.header?.tables[index]
    const section = parse(line) as { table?: string; rows?: number } | undefined
    if (!table || section?.table !== table.name || section.rows !== table.rows) {
      throw this.damaged(`table ${table?.name} was expected where the file has ${line.slice(0, 80)}`)
    }
    this.expecting = { kind: 'row', index, left: table.rows, hash: createHash('sha256') }
    if (table.rows === 0) await this.endSection()
  }

  async readRow(line: string, expecting: Extract<Expecting, { kind: 'row' }>) {
    if (!line.startsWith('[')) throw this.damaged(`a row of ${this.tableName(expecting.index)} is not a row`)
    expecting.hash.update(`${line}\n`)
    this.batch.push(line)
    expecting.left--
    if (this.batch.length >= this.batchSize) await this.flush(expecting.index)
    if (expecting.left === 0) await this.endSection()
  }

  tableName(index: number): string {
    return this.header?.tables[index]?.name ?? '?'
  }

  async flush(index: number) {
    const lines = this.batch
    this.batch = []
    if (lines.length) await this.handlers.rows?.(this.tableName(index), lines)
  }

  async endSection() {
    const expecting = this.expecting
    if (expecting.kind !== 'row') return
    await this.flush(expecting.index)
    this.digests[this.tableName(expecting.index)] = expecting.hash.digest('hex')
    this.nextSection(expecting.index + 1)
  }

  readTrailer(line: string) {
    const trailer = parse(line) as Partial<BackupTrailer> | undefined
    if (trailer?.end !== BACKUP_FORMAT) throw this.damaged('its final line is not the end of a backup')
    this.trailer = trailer as BackupTrailer
    this.expecting = { kind: 'nothing' }
  }

  end(): { header: BackupHeader; trailer: BackupTrailer } {
    const { header, trailer, expecting } = this
    if (!header) throw new BackupFileError(`${this.file} is empty.`)
    if (!trailer) {
      const where = expecting.kind === 'row' ? `in table ${this.tableName(expecting.index)}` : 'before its final line'
      throw new BackupFileError(`${this.file} is incomplete: it stops ${where}.`)
    }
    if (trailer.sha256 !== this.whole.digest('hex')) throw this.damaged('its content does not match its SHA-256')
    for (const table of header.tables) {
      if (trailer.tables[table.name] !== this.digests[table.name]) {
        throw this.damaged(`the rows of ${table.name} do not match their SHA-256`)
      }
    }
    return { header, trailer }
  }
}

function parse(line: string): unknown {
  try {
    return JSON.parse(line)
  } catch {
    return undefined
  }
}
