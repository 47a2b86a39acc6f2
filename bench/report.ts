import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { ImportResult } from './import.ts'
import type { Latency } from './load.ts'
import type { Machine } from './machine.ts'

// The benchmark's results: the targets of issue 7, the table printed after a run, the JSON kept for it, and the
// generated part of bench/RESULTS.md.

export type CaseResult = {
  name: string
  group: 'baseline' | 'search' | 'profile' | 'network' | 'submit'
  path: string
  connections: number
  /** Search results found (the application counts to 1,000 at most). */
  hits?: string
  app: Latency & {
    statuses: Record<string, number>
    /** Time from compiling each statement to its result, waiting for a connection included. */
    sqlMsPerRequest: number
    statementsPerRequest: number
    /** CPU time per request of the server process, of PostgreSQL (local server only), of the load generator. */
    cpuMsPerRequest: { server: number; postgres: number | null; loadGenerator: number; othersShare: number }
    /** Write-ahead log per request (cluster-wide): kB, and full-page images (many right after a checkpoint). */
    wal: { kbPerRequest: number; fullPagesPerRequest: number }
  }
  /** The floor, with the share of the machine other work took while it ran. */
  floor: Latency & { othersShare?: number }
  statements: { app: number; floor: number; same: boolean }
  /** Attempts made: a figure disturbed by other work on the machine is measured again. */
  attempts?: number
}

export type BenchResult = {
  date: string
  quick: boolean
  /** Concurrent clients of the read figures. */
  readConnections: number
  machine: Machine
  dataSet: { scale: string; seed: number | null }
  rows: Record<string, number>
  databaseMb: number
  nominal: { ref: string; reports: number }
  terms: Record<string, string>
  cases: CaseResult[]
  importResult: ImportResult | null
  /** recordAudit alone from the submission's concurrent callers: the ceiling of any audited write. */
  auditCeiling: Latency | null
  memory: {
    idleMb: number
    peakMb: number
    peakHeapMb: number
    peakImportMb: number
    /** Peak RSS while each figure's HTTP load ran (the server's RSS only grows until V8 gives memory back). */
    peakRssMbByFigure: Record<string, number>
  }
  /** One-minute load average before and after: other work on the machine shows here. */
  loadAverage: { start: number; end: number }
}

// Issue 7, "Tune": on PostgreSQL with the national data on a 2-core machine.
export const TARGETS = {
  searchP95: 50,
  profileP95: 30,
  networkP95: 100,
  submitPerSecond: 300,
  submitP99: 100,
  overhead: 1.25,
  rssMb: 300,
}

const RESULTS_DIR = new URL('./results/', import.meta.url)
const RESULTS_MD = new URL('./RESULTS.md', import.meta.url)
const START = '<!-- generated:start -->'
const END = '<!-- generated:end -->'

/** The application's overhead over the floor, at the median: tails are too noisy to compare. */
export const overhead = (c: CaseResult) => (c.floor.p50 > 0 ? c.app.p50 / c.floor.p50 : 0)

export function verdict(c: CaseResult): { target: string; met: boolean | null } {
  const { app } = c
  switch (c.group) {
    case 'search':
      return { target: `p95 ≤ ${TARGETS.searchP95}`, met: app.p95 <= TARGETS.searchP95 }
    case 'profile':
      return { target: `p95 ≤ ${TARGETS.profileP95}`, met: app.p95 <= TARGETS.profileP95 }
    case 'network':
      return { target: `p95 ≤ ${TARGETS.networkP95}`, met: app.p95 <= TARGETS.networkP95 }
    case 'submit':
      return {
        target: `≥ ${TARGETS.submitPerSecond}/s, p99 ≤ ${TARGETS.submitP99}`,
        met: app.perSecond >= TARGETS.submitPerSecond && app.p99 <= TARGETS.submitP99,
      }
    default:
      return { target: '', met: null }
  }
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1))
const yesNo = (met: boolean | null) => (met === null ? '' : met ? 'yes' : 'NO')

function rowsOf(result: BenchResult) {
  return result.cases.map(c => {
    const { target, met } = verdict(c)
    const ratio = overhead(c)
    return {
      name: c.name,
      connections: String(c.connections),
      hits: c.hits ?? '',
      requests: String(c.app.requests),
      errors: String(c.app.errors),
      p50: ms(c.app.p50),
      p95: ms(c.app.p95),
      p99: ms(c.app.p99),
      rps: c.app.perSecond.toFixed(0),
      sql: ms(c.app.sqlMsPerRequest),
      others: `${Math.round(Math.max(c.app.cpuMsPerRequest.othersShare, c.floor.othersShare ?? 0) * 100)}%`,
      cpu: `${ms(c.app.cpuMsPerRequest.server)} / ${c.app.cpuMsPerRequest.postgres === null ? '–' : ms(c.app.cpuMsPerRequest.postgres)}`,
      floorP50: ms(c.floor.p50),
      floorP95: ms(c.floor.p95),
      floorP99: ms(c.floor.p99),
      floorRps: c.floor.perSecond.toFixed(0),
      ratio: ratio.toFixed(2),
      target,
      met: yesNo(met),
      overheadMet: yesNo(c.group === 'baseline' ? null : ratio <= TARGETS.overhead),
    }
  })
}

const COLUMNS: [keyof ReturnType<typeof rowsOf>[number], string][] = [
  ['name', 'case'],
  ['connections', 'conns'],
  ['hits', 'hits'],
  ['requests', 'n'],
  ['errors', 'err'],
  ['p50', 'p50 ms'],
  ['p95', 'p95 ms'],
  ['p99', 'p99 ms'],
  ['rps', 'req/s'],
  ['sql', 'SQL ms/req'],
  ['cpu', 'CPU ms/req app / pg'],
  ['others', 'others'],
  ['floorP50', 'floor p50'],
  ['floorP95', 'floor p95'],
  ['floorP99', 'floor p99'],
  ['floorRps', 'floor/s'],
  ['ratio', 'app/floor p50'],
  ['target', 'target'],
  ['met', 'met'],
  ['overheadMet', '≤1.25×'],
]

function summaryLines(result: BenchResult): string[] {
  const rows = Object.entries(result.rows)
    .map(([table, n]) => `${table} ${n.toLocaleString('en-GB')}`)
    .join(', ')
  const imp = result.importResult
  return [
    `Machine: ${result.machine.cores} cores, ${result.machine.cpu}, ${result.machine.memoryGb} GB; Node ${result.machine.node}; ${result.machine.postgres} (${result.machine.database}); load average ${result.loadAverage.start} before, ${result.loadAverage.end} after`,
    `Data set: ${result.dataSet.scale} (seed ${result.dataSet.seed ?? 'n/a'}), ${result.databaseMb.toLocaleString('en-GB')} MB; ${rows}`,
    `Profile and network of ${result.nominal.ref} (${result.nominal.reports} reports). Search terms: ${Object.entries(
      result.terms,
    )
      .map(([k, v]) => `${k} = ${v}`)
      .join('; ')}`,
    imp
      ? `Prisoner import: ${imp.records.toLocaleString('en-GB')} records in ${imp.seconds} s (${imp.perSecond}/s), ${imp.statements.toLocaleString('en-GB')} statements taking ${imp.sqlSeconds} s in the database (app/floor ${(imp.seconds / imp.sqlSeconds).toFixed(2)})`
      : 'Prisoner import: not measured',
    result.auditCeiling
      ? `Audit chain alone (recordAudit from ${result.cases.find(c => c.group === 'submit')?.connections ?? 32} callers, one transaction each): ${result.auditCeiling.perSecond}/s, p50 ${result.auditCeiling.p50} ms, p99 ${result.auditCeiling.p99} ms`
      : 'Audit chain alone: not measured',
    `Memory of the server process: RSS ${result.memory.idleMb} MB idle, ${result.memory.peakMb} MB peak under load (target ≤ ${TARGETS.rssMb}: ${yesNo(result.memory.peakMb <= TARGETS.rssMb)}; V8 heap peak ${result.memory.peakHeapMb} MB). The import's process peaked at ${result.memory.peakImportMb} MB RSS`,
  ]
}

export function printTable(result: BenchResult) {
  const rows = rowsOf(result)
  const widths = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map(r => r[key].length)))
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
  console.log(`\n${line(COLUMNS.map(([, title]) => title))}`)
  for (const row of rows) console.log(line(COLUMNS.map(([key]) => row[key])))
  console.log('')
  for (const text of summaryLines(result)) console.log(text)
}

// RESULTS.md leaves out what the terminal shows for diagnosis (connections, time in SQL).
const MARKDOWN_COLUMNS = COLUMNS.filter(([key]) => !['connections', 'sql'].includes(key))

function markdownOf(result: BenchResult): string {
  const clients = (result.readConnections ?? 1) > 1 ? `, reads from ${result.readConnections} clients` : ''
  const database = result.machine.database === 'postgres' ? 'PostgreSQL' : 'PGlite'
  const title = `${database}, ${result.dataSet.scale} data set${clients}${result.quick ? ' (quick run)' : ''}`
  const rows = rowsOf(result)
  return [
    `### ${title}: ${result.date.slice(0, 10)}`,
    '',
    ...summaryLines(result).map(text => `- ${text}`),
    '',
    `| ${MARKDOWN_COLUMNS.map(([, t]) => t).join(' | ')} |`,
    `|${MARKDOWN_COLUMNS.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map(row => `| ${MARKDOWN_COLUMNS.map(([key]) => row[key]).join(' | ')} |`),
    '',
  ].join('\n')
}

const SCALE_ORDER = ['national', 'region', 'prison']

/** Writes bench/results/latest.json and, when kept, the run's own file beside those of the other data sets. */
export function saveResult(result: BenchResult, keep: boolean) {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const json = `${JSON.stringify(result, null, 2)}\n`
  writeFileSync(new URL('latest.json', RESULTS_DIR), json)
  if (!keep) return
  const clients = result.readConnections > 1 ? `-c${result.readConnections}` : ''
  writeFileSync(
    new URL(
      `${result.machine.database}-${result.dataSet.scale}${clients}${result.quick ? '-quick' : ''}.json`,
      RESULTS_DIR,
    ),
    json,
  )
}

/** Regenerates the measured part of RESULTS.md (between its markers) from every kept result. */
export function renderResults() {
  const kept = readdirSync(RESULTS_DIR)
    .filter(file => file.endsWith('.json') && file !== 'latest.json')
    .map(file => JSON.parse(readFileSync(new URL(file, RESULTS_DIR), 'utf8')) as BenchResult)
    .sort(
      (a, b) =>
        b.machine.database.localeCompare(a.machine.database) ||
        SCALE_ORDER.indexOf(a.dataSet.scale) - SCALE_ORDER.indexOf(b.dataSet.scale) ||
        (a.readConnections ?? 1) - (b.readConnections ?? 1) ||
        Number(a.quick) - Number(b.quick),
    )
  const generated = [START, '', ...kept.map(markdownOf), END].join('\n')
  const current = existsSync(RESULTS_MD)
    ? readFileSync(RESULTS_MD, 'utf8')
    : `# Benchmark results\n\n${START}\n${END}\n`
  const start = current.indexOf(START)
  const end = current.indexOf(END)
  if (start < 0 || end < 0) throw new Error(`bench/RESULTS.md has lost its ${START} and ${END} markers`)
  writeFileSync(RESULTS_MD, `${current.slice(0, start)}${generated}${current.slice(end + END.length)}`)
}
