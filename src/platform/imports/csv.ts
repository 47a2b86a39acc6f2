import { Readable } from 'node:stream'
import { type Options, parse } from 'csv-parse'
import { parse as parseSync } from 'csv-parse/sync'

// CSV through csv-parse (RFC 4180: quoted fields may hold commas, quotes and line breaks; a leading BOM is ignored),
// as objects keyed by the header row, each with the line it starts on so that errors point into the file.

/** One record of a CSV file: its fields by (trimmed) header name, and the line of the file it starts on. */
export type CsvRow = { line: number; fields: Record<string, string> }
export type CsvObjects = { header: string[]; rows: CsvRow[] }

const OPTIONS = {
  bom: true,
  relax_column_count: true,
  // A quote inside an unquoted field is a character, as people type it: 5'10" tall, O"Neill.
  relax_quotes: true,
  skip_empty_lines: true,
  raw: true,
  info: true,
} satisfies Options

type Parsed = { record: string[]; raw: string }

const BREAK = /\r\n|\r|\n/g

/**
 * Turns parsed records into rows keyed by the header. csv-parse counts lines at the end of a record (and counts a
 * CRLF inside quotes twice), so the starting line is counted here from the raw text, skipped blank lines included.
 */
function collector() {
  let header: string[] | null = null
  let linesBefore = 0
  const rows: CsvRow[] = []
  return {
    add({ record, raw }: Parsed) {
      const leadingBlank = (/^(?:\r\n|\r|\n)*/.exec(raw)?.[0].match(BREAK) ?? []).length
      const line = linesBefore + leadingBlank + 1
      linesBefore += (raw.match(BREAK) ?? []).length
      if (!header) {
        header = record.map(name => name.trim())
        return
      }
      const names = header
      rows.push({ line, fields: Object.fromEntries(names.map((name, i) => [name, (record[i] ?? '').trim()])) })
    },
    result: (): CsvObjects => ({ header: header ?? [], rows }),
  }
}

/** Streams a CSV file (text, bytes or a stream) through the parser, record by record. */
export async function readCsvObjects(source: string | Buffer | Readable): Promise<CsvObjects> {
  const input = source instanceof Readable ? source : Readable.from([Buffer.from(source)])
  const rows = collector()
  const parser = parse(OPTIONS)
  // A file that cannot be read fails the parse, rather than the process.
  input.once('error', error => parser.destroy(error))
  for await (const parsed of input.pipe(parser)) rows.add(parsed as Parsed)
  return rows.result()
}

/** The same, at once, for a small file read at start-up (the prison register). */
export function csvObjects(text: string): CsvObjects {
  const rows = collector()
  for (const parsed of parseSync(text, OPTIONS) as unknown as Parsed[]) rows.add(parsed)
  return rows.result()
}
