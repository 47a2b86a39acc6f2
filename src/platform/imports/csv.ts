/** One parsed CSV record with the line it started on, for error messages that point at the file. */
export type CsvRecord = { line: number; values: string[] }

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. A leading BOM is ignored. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = []
  let values: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let recordLine = 1
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  for (let i = 0; i < source.length; i++) {
    const c = source[i]
    if (quoted) {
      if (c === '"' && source[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') {
        quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
      continue
    }
    if (c === '"' && field === '') {
      quoted = true
    } else if (c === ',') {
      values.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && source[i + 1] === '\n') i++
      values.push(field)
      if (values.length > 1 || values[0] !== '') records.push({ line: recordLine, values })
      values = []
      field = ''
      line++
      recordLine = line
    } else {
      field += c
    }
  }
  if (field !== '' || values.length > 0) {
    values.push(field)
    records.push({ line: recordLine, values })
  }
  return records
}

/** Records as objects keyed by the header row (trimmed, case kept). */
export function csvObjects(text: string): {
  header: string[]
  rows: { line: number; fields: Record<string, string> }[]
} {
  const [head, ...rest] = parseCsv(text)
  const header = (head?.values ?? []).map(name => name.trim())
  return {
    header,
    rows: rest.map(record => ({
      line: record.line,
      fields: Object.fromEntries(header.map((name, index) => [name, (record.values[index] ?? '').trim()])),
    })),
  }
}
