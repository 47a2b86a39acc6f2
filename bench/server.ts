// The process under test, started by bench/run.ts: Portcullis built with buildApp on the benchmark's database and
// listening on a loopback port, and beside it the floor, the same calls made directly on the same database
// handle. It answers the runner's commands over IPC, so the load generator never shares its event loop or its
// memory with the server it measures.
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { CompiledQuery, sql } from 'kysely'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { syntheticReports } from '../src/demo/intelligence.ts'
import { seedDemo } from '../src/demo/seed.ts'
import { registerIntelligencePanel } from '../src/modules/intelligence/panel.ts'
import { searchSchema, submitSchema } from '../src/modules/intelligence/schema.ts'
import { intelligenceService } from '../src/modules/intelligence/service.ts'
import { peopleService } from '../src/modules/people/service.ts'
import { registerSocPanel } from '../src/modules/soc/panel.ts'
import { socService } from '../src/modules/soc/service.ts'
import { loadCurrentUser } from '../src/platform/access/user.ts'
import { recordAudit } from '../src/platform/audit/audit.ts'
import { findUserByApiToken } from '../src/platform/auth/api-tokens.ts'
import { findSession } from '../src/platform/auth/sessions.ts'
import { type Db, openDatabase } from '../src/platform/db/database.ts'
import { prepareDatabase } from '../src/platform/db/prepare.ts'
import { SESSION_COOKIE } from '../src/platform/http/security.ts'
import { createProfilePanels } from '../src/platform/profile/panels.ts'
import { createUserSchema } from '../src/platform/users/schema.ts'
import { usersService } from '../src/platform/users/service.ts'
import { databaseBytes, generatedDataSet, rowCounts } from './data-size.ts'
import { directLoad, type Load } from './load.ts'
import { describeMachine } from './machine.ts'
import type { CaseResult } from './report.ts'
import { type SqlTrace, sqlTrace } from './sql-trace.ts'
import { HOME_PRISON, REPORTS_END } from './synthetic.ts'

// Search: a six-month window at the end of the generated decade.
const DATES = { from: '2026-05-01', to: '2026-10-31' }
const FILTERS: Record<string, Record<string, string>> = {
  'no filter': {},
  establishment: { establishment: HOME_PRISON },
  dates: DATES,
  'establishment and dates': { establishment: HOME_PRISON, ...DATES },
}
// An analyst sees their own prison and may read original words; the executive director of security sees every
// prison, sanitised: the widest search there is.
const READERS = { analyst: 'analyst', national: 'ed-security' } as const

// The benchmark files its reports as a reporter of its own at Askham Grange, a women's prison no data set holds,
// so that what it submits never joins the reports the read figures search. Askham Grange is in MDI's SOCU region,
// and region scope lets the reporter name MDI prisoners, as submissions about them need.
const BENCH_REPORTER = 'bench-reporter'
const BENCH_REPORTER_PRISON = 'AGI'

/** An HTTP request as the runner sends it; a submission takes the next of `bodies` and a new Idempotency-Key. */
export type CaseRequest = {
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  bodies?: string[]
}
export type CaseSpec = { name: string; group: CaseResult['group']; request: CaseRequest }

type Case = CaseSpec & {
  floor: () => Promise<unknown>
  /** What the floor's answer found, for the table: hits, nodes, reports shown. */
  hits?: (answer: unknown) => string
  /** Before the app's statements and the floor's are recorded, so that both do the same work. */
  rewind?: () => void
}

export type ServerSetup = Awaited<ReturnType<typeof describeData>> & { base: string; cases: CaseSpec[] }

export type Command =
  | { command: 'record'; name: string }
  | { command: 'floor'; name: string; load: Load }
  | { command: 'counters' }
  | { command: 'stage'; name: string }
  | { command: 'memory' }
  | { command: 'explain'; name: string }
  | { command: 'audit-ceiling'; load: Load }
  | { command: 'close' }

async function describeData(db: Db, kind: 'pglite' | 'postgres') {
  const machine = await describeMachine(db, kind)
  const dataSet = await generatedDataSet(db)
  const rows = await rowCounts(db)
  const databaseMb = Math.round((await databaseBytes(db)) / 1024 / 1024)
  // A nominal at the 90th percentile of generated reports about them (reports the benchmark submits are left
  // out, so every run looks at the same person), the newest generated IMEI at MDI, a common word, a phrase.
  const { rows: busy } = await sql<{ ref: string; reports: number }>`
    select n.ref, count(*)::int as reports from people_nominal n
    join intelligence_nominal_link l on l.nominal_id = n.id
    join intelligence_report r on r.id = l.report_id and r.submission_key like 'synthetic-%'
    where n.establishment_code = ${HOME_PRISON} and n.kind = 'prisoner'
    group by n.ref order by reports desc, n.ref
    offset (select count(*) / 10 from people_nominal where establishment_code = ${HOME_PRISON} and kind = 'prisoner')
    limit 1`.execute(db)
  if (!busy[0]) throw new Error('No reports about prisoners at MDI: run `npm run generate -- --scale prison` first.')
  const { rows: imei } = await sql<{ value: string }>`
    select en.value from intelligence_entity en
    join intelligence_report_entity re on re.entity_id = en.id
    join intelligence_report r on r.id = re.report_id
    where en.type = 'imei' and r.establishment_code = ${HOME_PRISON}
      and r.submission_key like 'synthetic-%' and r.submitted_at < ${REPORTS_END}
    order by r.submitted_at desc limit 1`.execute(db)
  return {
    machine,
    dataSet: { scale: dataSet?.scale ?? 'unknown', seed: dataSet?.seed ?? null },
    rows,
    databaseMb,
    nominal: busy[0],
    terms: {
      rare: imei[0]?.value ?? '350000000000000',
      common: 'phone',
      phrase: '"parcel would come over the wall"',
    },
  }
}

/** Signs in through the real form, as a browser does; returns the cookie header and the signed session cookie. */
async function signIn(base: string, username: string, password: string) {
  const jar = new Map<string, string>()
  const remember = (response: Response) => {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';')
      const at = pair.indexOf('=')
      jar.set(pair.slice(0, at), pair.slice(at + 1))
    }
  }
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
  const form = await fetch(`${base}/sign-in`)
  remember(form)
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? ''
  const response = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader() },
    body: new URLSearchParams({ username, password, _csrf: csrf }),
  })
  remember(response)
  if (response.status !== 303) throw new Error(`Signing in as ${username} failed: ${response.status}`)
  return { cookie: cookieHeader(), signed: decodeURIComponent(jar.get(SESSION_COOKIE) ?? '') }
}

/** Synthetic reports about MDI prisoners, as members of staff would submit them through the API. */
async function submissionBodies(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('peopleNominal')
    .select(['id', 'prisonNumber', 'firstName', 'lastName', 'establishmentCode', 'cellLocation'])
    .where('establishmentCode', '=', HOME_PRISON)
    .where('kind', '=', 'prisoner')
    .orderBy('prisonNumber')
    .limit(2000)
    .execute()
  const prisoners = rows.map(p => ({ ...p, prisonNumber: p.prisonNumber! }))
  const numberOf = new Map(prisoners.map(p => [p.id, p.prisonNumber]))
  const now = Date.now()
  return syntheticReports(99, 500, {
    prisoners,
    from: new Date(now - 7 * 86_400_000),
    to: new Date(now - 60_000),
  }).map(d =>
    JSON.stringify({
      text: d.text,
      occurredAt: d.occurredAt.toISOString(),
      location: d.location,
      sourceType: d.sourceType,
      threatAreas: d.threatAreas,
      urgent: d.urgent,
      nominals: d.subjects.map(s => ({ prisonerNumber: numberOf.get(s.nominalId)! })),
    }),
  )
}

type Subjects = Awaited<ReturnType<typeof describeData>>

/** Every figure: the request the runner sends, and the same work done directly (the floor). */
async function benchCases(
  db: Db,
  trace: SqlTrace,
  subjects: Subjects,
  auth: { tokens: Record<'analyst' | 'national' | 'reporter', string>; cookie: string; session: string },
  idleMinutes: number,
): Promise<Case[]> {
  // The floor's own services on the same traced database, composed as app.ts composes them.
  const intelligence = intelligenceService(trace.db)
  const people = peopleService(trace.db)
  const panels = createProfilePanels()
  registerIntelligencePanel(panels, intelligence)
  registerSocPanel(panels, socService(trace.db))
  const viaToken = async (token: string) => {
    const found = await findUserByApiToken(trace.db, token, { maxFailures: 5, lockMinutes: 15 })
    if (found.state !== 'valid') throw new Error(`The benchmark token was refused: ${found.state}`)
    return loadCurrentUser(trace.db, found.user, 'token')
  }
  const viaSession = async () => {
    const found = await findSession(trace.db, auth.session, idleMinutes)
    if (found.state !== 'active') throw new Error('The benchmark session has ended')
    return loadCurrentUser(trace.db, found.user, 'session')
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  const { ref } = subjects.nominal

  const cases: Case[] = [
    {
      name: 'health (HTTP baseline)',
      group: 'baseline',
      request: { method: 'GET', path: '/health', headers: {} },
      floor: () => sql`select 1`.execute(trace.db),
    },
  ]
  for (const [reader, username] of Object.entries(READERS) as [keyof typeof READERS, string][]) {
    for (const [termName, term] of Object.entries(subjects.terms)) {
      for (const [filterName, filter] of Object.entries(FILTERS)) {
        const query = { q: term, ...filter }
        const filters = searchSchema.parse(query)
        cases.push({
          name: `search ${username}: ${termName}, ${filterName}`,
          group: 'search',
          request: {
            method: 'GET',
            path: `/api/v1/intelligence-reports?${new URLSearchParams(query)}`,
            headers: bearer(auth.tokens[reader]),
          },
          floor: async () => intelligence.search(await viaToken(auth.tokens[reader]), filters),
          hits: answer => {
            const found = answer as { total: number; totalCapped: boolean }
            return found.totalCapped ? `${found.total}+` : String(found.total)
          },
        })
      }
    }
  }
  const bodies = await submissionBodies(db)
  let submitted = 0
  cases.push(
    {
      name: `profile page /people/${ref}`,
      group: 'profile',
      request: { method: 'GET', path: `/people/${ref}`, headers: { cookie: auth.cookie } },
      floor: async () => {
        const user = await viaSession()
        const profile = await people.profile(user, ref, randomUUID())
        return panels.load(user, profile.nominal)
      },
      hits: answer => {
        const shown = (answer as { data: { reports?: unknown[] } }[]).find(panel => panel.data.reports)
        return `${shown?.data.reports?.length ?? 0} reports shown`
      },
    },
    {
      name: `two-link network of ${ref}`,
      group: 'network',
      request: { method: 'GET', path: `/intelligence/network/${ref}`, headers: { cookie: auth.cookie } },
      floor: async () => {
        const user = await viaSession()
        const found = await people.findVisible(user, ref)
        if (!found) throw new Error(`${ref} is not visible to the analyst`)
        const label = `${found.firstName} ${found.lastName}`
        return intelligence.network(
          user,
          { id: found.id, ref: found.ref, label, establishmentCode: found.establishmentCode },
          randomUUID(),
        )
      },
      hits: answer => {
        const graph = answer as { nodes: unknown[]; edges: unknown[] }
        return `${graph.nodes.length} nodes, ${graph.edges.length} links`
      },
    },
    {
      name: 'submit a report (API)',
      group: 'submit',
      request: {
        method: 'POST',
        path: '/api/v1/intelligence-reports',
        headers: { ...bearer(auth.tokens.reporter), 'content-type': 'application/json' },
        bodies,
      },
      rewind: () => {
        submitted = 0
      },
      floor: async () => {
        const body = JSON.parse(bodies[submitted++ % bodies.length])
        return intelligence.submit(await viaToken(auth.tokens.reporter), submitSchema.parse(body), randomUUID(), null)
      },
    },
  )
  return cases
}

// Writes that happen at most once a minute (last seen, last used) may fall in one run and not the other.
const occasional = (statement: string) => /^update "(user_session|api_token)"/.test(statement)

/** Statements one side ran and the other did not, as many times as the difference; empty when they agree. */
function statementDifference(app: string[], floor: string[]) {
  const count = (list: string[]) => {
    const counts = new Map<string, number>()
    for (const s of list) if (!occasional(s)) counts.set(s, (counts.get(s) ?? 0) + 1)
    return counts
  }
  const [a, f] = [count(app), count(floor)]
  return [...new Set([...a.keys(), ...f.keys()])].flatMap(s => {
    const more = (a.get(s) ?? 0) - (f.get(s) ?? 0)
    return more === 0 ? [] : [`${more > 0 ? `app +${more}` : `floor +${-more}`}: ${s.slice(0, 160)}`]
  })
}

/** RSS and V8 heap of this process, sampled ten times a second and kept as a peak per stage. */
function memorySampler() {
  let stage = 'start'
  const peaks: Record<string, { rssMb: number; heapMb: number }> = {}
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage()
    const peak = peaks[stage] ?? { rssMb: 0, heapMb: 0 }
    peaks[stage] = { rssMb: Math.max(peak.rssMb, rss / 2 ** 20), heapMb: Math.max(peak.heapMb, heapUsed / 2 ** 20) }
  }
  const timer = setInterval(sample, 100)
  timer.unref()
  return {
    peaks,
    stage(name: string) {
      sample()
      stage = name
    },
  }
}

async function main() {
  const { values } = parseArgs({ options: { database: { type: 'string' } } })
  const config = loadConfig()
  const memory = memorySampler()
  const database = await openDatabase({ databaseUrl: values.database, dataDir: config.dataDir })
  const { db } = database
  await prepareDatabase(db)
  await seedDemo(db, { password: config.demoPassword, people: false })
  const subjects = await describeData(db, database.kind)

  const operator = {
    actor: { userId: null, username: 'bench', establishmentCode: null, correlationId: null },
    user: null,
  }
  if (!(await db.selectFrom('appUser').select('id').where('username', '=', BENCH_REPORTER).executeTakeFirst())) {
    const reporter = {
      username: BENCH_REPORTER,
      displayName: 'Benchmark reporter',
      establishmentCode: BENCH_REPORTER_PRISON,
      roles: ['reporter'],
      scope: 'region',
      password: randomUUID(),
    }
    await usersService(db).create(operator, createUserSchema.parse(reporter))
  }
  const tokenOf = async (username: string) =>
    (await usersService(db).createToken(operator, username, { name: `bench ${new Date().toISOString()}` })).token
  const tokens = {
    analyst: await tokenOf(READERS.analyst),
    national: await tokenOf(READERS.national),
    reporter: await tokenOf(BENCH_REPORTER),
  }

  const trace = sqlTrace(db)
  const app = await buildApp({ config, db: trace.db })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  const session = await signIn(base, READERS.analyst, config.demoPassword)
  const auth = { tokens, cookie: session.cookie, session: app.unsignCookie(session.signed).value ?? '' }
  const cases = await benchCases(db, trace, subjects, auth, config.sessionIdleMinutes)
  const byName = new Map(cases.map(c => [c.name, c]))
  const caseNamed = (name: string) => {
    const found = byName.get(name)
    if (!found) throw new Error(`No case named ${name}`)
    return found
  }

  /** One request to the app, as the runner would send it. */
  const once = async (c: Case) => {
    const response = await fetch(`${base}${c.request.path}`, {
      method: c.request.method,
      headers: { ...c.request.headers, ...(c.request.bodies && { 'idempotency-key': randomUUID() }) },
      body: c.request.bodies?.[0],
    })
    await response.text()
    if (!response.ok) throw new Error(`${c.request.method} ${c.request.path} answered ${response.status}`)
  }

  const handlers = {
    async record({ name }: { name: string }) {
      const c = caseNamed(name)
      c.rewind?.()
      const app = (await trace.record(() => once(c))).map(q => q.sql)
      let answer: unknown
      c.rewind?.()
      const floor = (
        await trace.record(async () => {
          answer = await c.floor()
        })
      ).map(q => q.sql)
      return {
        app: app.length,
        floor: floor.length,
        difference: statementDifference(app, floor),
        hits: c.hits?.(answer),
      }
    },
    /** EXPLAIN (ANALYZE, BUFFERS) of every read the figure's floor runs, with the parameters it ran with. */
    async explain({ name }: { name: string }) {
      const c = caseNamed(name)
      c.rewind?.()
      const statements = await trace.record(() => c.floor())
      const reads = statements.filter(q => /^\s*select/i.test(q.sql) && !/for update\s*$/i.test(q.sql))
      const plans = []
      for (const q of reads) {
        const { rows } = await db.executeQuery<{ 'QUERY PLAN': string }>(
          CompiledQuery.raw(`explain (analyze, buffers) ${q.sql}`, [...q.parameters]),
        )
        const plan = rows.map(row => row['QUERY PLAN']).join('\n')
        const ms = Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? 0)
        plans.push({ sql: q.sql, parameters: q.parameters.map(p => JSON.stringify(p)?.slice(0, 200)), ms, plan })
      }
      return { statements: statements.length, plans }
    },
    floor: ({ name, load }: { name: string; load: Load }) => directLoad(caseNamed(name).floor, load),
    /**
     * The ceiling the audit chain puts on any audited write: events appended alone, each in its own transaction,
     * by as many concurrent callers as submit reports.
     */
    'audit-ceiling': ({ load }: { load: Load }) =>
      directLoad(
        () => recordAudit(db, { ...operator.actor, username: 'bench' }, { action: 'bench.audit-ceiling' }),
        load,
      ),
    /** SQL statements and their time since the last call; this process's CPU time and the WAL written so far. */
    async counters() {
      const counted = { ...trace.totals }
      trace.reset()
      const cpu = process.cpuUsage()
      // Write-ahead log written so far by the whole server (untraced, so not counted as the app's).
      const { rows } = await sql<{ bytes: number; fullPages: number }>`
        select wal_bytes::bigint as bytes, wal_fpi as full_pages from pg_stat_wal`.execute(db)
      return { ...counted, cpuMs: (cpu.user + cpu.system) / 1000, wal: rows[0] }
    },
    stage({ name }: { name: string }) {
      memory.stage(name)
      return null
    },
    memory: () => memory.peaks,
    async close() {
      await app.close()
      await database.close()
      setImmediate(() => process.exit(0))
      return null
    },
  }
  process.on('message', async (message: Command & { id: number }) => {
    try {
      const handler = handlers[message.command] as (m: Command) => unknown
      process.send?.({ id: message.id, result: await handler(message) })
    } catch (error) {
      process.send?.({ id: message.id, error: (error as Error).stack ?? String(error) })
    }
  })
  memory.stage('idle')
  const setup: ServerSetup = {
    ...subjects,
    base,
    cases: cases.map(({ name, group, request }) => ({ name, group, request })),
  }
  process.send?.({ ready: setup })
}

main().catch(error => {
  console.error(error)
  process.exit(1)
})
