// `npm run generate -- --scale prison|region|national [--seed N] [--database URL]`: a deterministic synthetic data
// set for the benchmark, written through the application's own import and the bulk report path that writes the
// application's rows. Without --database it writes to the embedded database in DATA_DIR (default ./data).
// Run again after an interruption, it carries on where it stopped.
import { parseArgs } from 'node:util'
import { type SqlBool, sql } from 'kysely'
import { generatedDataSet, rowCounts } from '../bench/data-size.ts'
import { duration, progressBar } from '../bench/progress.ts'
import {
  type EstablishmentRow,
  type Plan,
  planFor,
  REPORTS_END,
  reportWindows,
  SCALES,
  type Scale,
  syntheticPrisoners,
  windowDrafts,
} from '../bench/synthetic.ts'
import { loadConfig } from '../src/config.ts'
import { insertReports, type SyntheticPrisoner } from '../src/demo/intelligence.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { importPrisoners } from '../src/modules/people/imports.ts'
import { recordAudit, SYSTEM_ACTOR } from '../src/platform/audit/audit.ts'
import { type Db, openDatabase } from '../src/platform/db/database.ts'
import { prepareDatabase } from '../src/platform/db/prepare.ts'

const USAGE = 'Usage: npm run generate -- --scale prison|region|national [--seed N] [--database URL]'
const GENERATOR = { ...SYSTEM_ACTOR, username: 'generator' }
// Reports per transaction: the largest batch whose inserts stay well inside PostgreSQL's 65,535 parameters.
const REPORT_BATCH = 1000

const say = (line: string) => console.error(line)

function options() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string' },
      seed: { type: 'string', default: '1' },
      database: { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  if (!SCALES.includes(values.scale as Scale)) throw new UsageError(`Choose a scale: ${SCALES.join(', ')}.`)
  if (!/^\d{1,9}$/.test(values.seed)) throw new UsageError('The seed must be a whole number, like 1.')
  return { scale: values.scale as Scale, seed: Number(values.seed), databaseUrl: values.database }
}

class UsageError extends Error {}

/** One data set per database: a second scale or seed on top of the first would be neither. */
async function assertSameDataSet(db: Db, scale: Scale, seed: number) {
  const previous = await generatedDataSet(db)
  if (previous && (previous.scale !== scale || previous.seed !== seed)) {
    throw new UsageError(
      `This database holds the ${previous.scale} data set of seed ${previous.seed}. ` +
        'Generate into a new database (--database) or an empty DATA_DIR.',
    )
  }
}

/** Imports the prisoners as a Prisoner Search file, unless every one of them is already here. */
async function generatePrisoners(db: Db, plan: Plan): Promise<Map<string, SyntheticPrisoner[]>> {
  const records = syntheticPrisoners(plan)
  const numbers = records.map(r => r.prisonerNumber)
  const inNumbers = sql<SqlBool>`prison_number = any(${numbers}::text[])`
  const held = await db
    .selectFrom('peopleNominal')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where(inNumbers)
    .executeTakeFirstOrThrow()
  if (held.n < records.length) {
    const bar = progressBar('prisoners', records.length)
    const summary = await importPrisoners(
      db,
      GENERATOR,
      { fileName: `synthetic-${plan.scale}-seed-${plan.seed}.json`, records },
      { now: REPORTS_END, onProgress: done => bar.update(done) },
    )
    const ms = bar.finish()
    say(`Imported ${summary.created.toLocaleString('en-GB')} prisoners in ${duration(ms)}.`)
    if (summary.rejected > 0) {
      throw new Error(`The import rejected ${summary.rejected} records, first ${JSON.stringify(summary.rejections[0])}`)
    }
  } else {
    say(`All ${records.length.toLocaleString('en-GB')} prisoners are already here.`)
  }
  const rows = await db
    .selectFrom('peopleNominal')
    .select(['id', 'prisonNumber', 'firstName', 'lastName', 'establishmentCode', 'cellLocation'])
    .where(inNumbers)
    .execute()
  const byNumber = new Map(rows.map(row => [row.prisonNumber!, { ...row, prisonNumber: row.prisonNumber! }]))
  // In the order they were generated, so the same seed picks the same people for the same reports.
  const prisonersOf = new Map<string, SyntheticPrisoner[]>()
  for (const record of records) {
    const prisoner = byNumber.get(record.prisonerNumber)!
    const list = prisonersOf.get(prisoner.establishmentCode) ?? []
    list.push(prisoner)
    prisonersOf.set(prisoner.establishmentCode, list)
  }
  return prisonersOf
}

/** Writes the reports window by window, skipping those an earlier run committed (counted from its audit events). */
async function generateReports(db: Db, plan: Plan, prisonersOf: Map<string, SyntheticPrisoner[]>) {
  const windows = reportWindows(plan)
  const sizes = windows.map(w => w.counts.reduce((a, b) => a + b, 0))
  const total = sizes.reduce((a, b) => a + b, 0)
  const { rows } = await sql<{ n: number }>`
    select coalesce(sum((details->>'reports')::int), 0)::int as n from audit_event
    where action = 'intelligence.synthetic-batch' and actor_username = ${GENERATOR.username}`.execute(db)
  const done = rows[0].n
  if (done >= total) {
    say(`All ${total.toLocaleString('en-GB')} reports are already here.`)
    return
  }
  if (done > 0) say(`Carrying on after the ${done.toLocaleString('en-GB')} reports of an earlier run.`)
  const reporter = await db
    .selectFrom('appUser')
    .select(['id', 'username'])
    .where('username', '=', 'reporter')
    .executeTakeFirst()
  if (!reporter) throw new Error('The demo account "reporter" is missing: reports need someone who submitted them.')
  const bar = progressBar('reports', total)
  let before = 0
  for (const [index, window] of windows.entries()) {
    const after = before + sizes[index]
    if (after > done) {
      const drafts = windowDrafts(plan, window, prisonersOf).slice(Math.max(0, done - before))
      const offset = after - drafts.length
      await insertReports(db, drafts, reporter, GENERATOR, {
        batchSize: REPORT_BATCH,
        onProgress: n => bar.update(offset + n),
      })
    }
    before = after
  }
  const ms = bar.finish()
  say(`Wrote ${(total - done).toLocaleString('en-GB')} reports in ${duration(ms)}.`)
}

async function main() {
  const { scale, seed, databaseUrl } = options()
  const config = loadConfig()
  if (config.production) throw new UsageError('Synthetic data is never generated in production (NODE_ENV=production).')
  const started = performance.now()
  const database = await openDatabase({ databaseUrl, dataDir: config.dataDir })
  const where = databaseUrl ? `PostgreSQL at ${redacted(databaseUrl)}` : `the embedded database in ${config.dataDir}`
  say(`Generating the ${scale} data set (seed ${seed}) in ${where}.`)
  try {
    const { db } = database
    await prepareDatabase(db, say)
    await seedDemo(db, { password: config.demoPassword, people: false, log: say })
    await assertSameDataSet(db, scale, seed)
    await recordAudit(db, GENERATOR, {
      action: 'synthetic.generate-started',
      subjectType: 'system',
      details: { scale, seed },
    })
    const establishments: EstablishmentRow[] = await db
      .selectFrom('establishment')
      .select(['code', 'socuRegion', 'gender'])
      .execute()
    const plan = planFor(scale, seed, establishments)
    say(`${plan.establishments.length} establishments: ${plan.establishments.join(' ')}`)
    const prisonersOf = await generatePrisoners(db, plan)
    await generateReports(db, plan, prisonersOf)
    // What autovacuum would do after a bulk load: planner statistics, and GIN pending lists merged.
    const vacuumStarted = performance.now()
    await sql`vacuum analyze`.execute(db)
    say(`Vacuumed and analysed in ${duration(performance.now() - vacuumStarted)}.`)
    for (const [table, n] of Object.entries(await rowCounts(db))) {
      say(`  ${table.padEnd(28)} ${n.toLocaleString('en-GB').padStart(12)}`)
    }
    say(`Generated the ${scale} data set in ${duration(performance.now() - started)}.`)
  } finally {
    await database.close()
  }
}

function redacted(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}

main().catch(error => {
  console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : error)
  process.exit(1)
})
