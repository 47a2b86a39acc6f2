import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { insertReport } from '../../src/modules/intelligence/repository.ts'
import { type TestApp, testApp } from '../support/app.ts'

// Issue 13, defect 6: "References reveal what is hidden. Report references are one sequence per prison and year, so an
// analyst sees gaps where compartmented reports sit, and roughly when they were made. A report in a compartment must
// not be inferable from the references that others see."

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}

const OPEN = {
  text: 'Open report: a group from C wing gathered by the gym door at free flow.',
  occurredAt: '2026-11-20T14:30:00Z',
  sourceType: 'own-observation',
  threatAreas: ['violence-disorder'],
}
// Extremism puts a report in the counter-terrorism compartment at submission, which `analyst` does not hold.
const HIDDEN = { ...OPEN, text: 'Leaflets passed round in the library after chapel.', threatAreas: ['extremism'] }

async function submit(body: Record<string, unknown>) {
  const response = await as.reporter.post('/api/v1/intelligence-reports', body)
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

/** Every reference of the prison that a user can list, through the search API, a page at a time. */
async function listedRefs(client: Client) {
  const refs: string[] = []
  for (let page = 1; ; page++) {
    const found = (await client.get(`/api/v1/intelligence-reports?establishment=MDI&page=${page}`)).json()
    refs.push(...found.results.map((r: { ref: string }) => r.ref))
    if (refs.length >= found.total || found.results.length === 0) return refs
  }
}

/** The part of a reference after the establishment and year. */
const codeOf = (ref: string) => ref.split('-')[3]

before(async () => {
  t = await testApp()
  for (const username of ['reporter', 'analyst', 'ct-analyst']) as[username] = t.api(await t.token(username))
})
after(() => t.close())

describe('report references reveal nothing that is hidden', () => {
  it('leave no gap where a compartmented report sits: no reference is a number', async () => {
    const a = await submit(OPEN)
    const c = await submit(HIDDEN)
    const b = await submit(OPEN)
    const seen = await listedRefs(as.analyst)
    assert.ok(seen.includes(a) && seen.includes(b))
    assert.ok(!seen.includes(c), 'the compartmented report is not listed')
    assert.ok((await listedRefs(as['ct-analyst'])).includes(c), 'the compartment holder lists it')
    // Numbered references put A and B two apart, and the missing one between them is C.
    for (const ref of [a, b]) assert.match(codeOf(ref), /[A-Z]/, `${ref} carries no number to count from`)
  })

  it('follow no order: fifty references sorted are not the order the reports were made in', async () => {
    const made: string[] = []
    for (let n = 0; n < 50; n++) made.push(await submit(n % 5 === 2 ? HIDDEN : OPEN))
    // One moved into the compartment after it was submitted: its reference was one others could see.
    const moved = made[10]
    const restricted = await as['ct-analyst'].post(`/api/v1/intelligence-reports/${moved}/compartment`, {
      compartment: 'counter-terrorism',
      reason: 'Names a known extremist contact.',
    })
    assert.equal(restricted.statusCode, 200, restricted.body)
    const seen = new Set(await listedRefs(as.analyst))
    assert.ok(!seen.has(moved))
    const visible = made.filter(ref => seen.has(ref))
    assert.equal(visible.length, 39)
    assert.equal(new Set(made).size, made.length, 'every reference is new')
    assert.notDeepEqual([...visible].sort(), visible, 'sorted by reference, the reports are not in the order made')
    for (const ref of visible) assert.match(ref, /^IR-MDI-\d{4}-[34679CDFGHJKMNPQRTWXY]{6}$/)
  })
})

describe('a reference typed by a person', () => {
  it('finds its report from the search box in lower case or spaced, and only where the report may be seen', async () => {
    const open = await submit(OPEN)
    const hidden = await submit(HIDDEN)
    const [, prison, year, code] = open.split('-')
    const spaced = `${prison} ${year} ${code.slice(0, 3)} ${code.slice(3)}`
    for (const typed of [open.toLowerCase(), `ir ${spaced}`, ` IR-${prison}-${year}-${code.toLowerCase()} `]) {
      const found = (await as.analyst.get(`/api/v1/intelligence-reports?q=${encodeURIComponent(typed)}`)).json()
      assert.deepEqual(
        found.results.map((r: { ref: string }) => r.ref),
        [open],
        `"${typed}" finds ${open}`,
      )
    }
    const session = await t.signIn('analyst')
    const page = await session.get(`/intelligence/search?q=${encodeURIComponent(open.toLowerCase())}`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, new RegExp(`/intelligence/reports/${open}`))
    const lookedFor = `/api/v1/intelligence-reports?q=${encodeURIComponent(hidden.toLowerCase())}`
    assert.equal((await as.analyst.get(lookedFor)).json().total, 0, 'a hidden report is not found by its reference')
    assert.equal((await as['ct-analyst'].get(lookedFor)).json().total, 1)
  })

  it('opens its report in any case; a numbered reference is still one; anything else is refused by name', async () => {
    const ref = await submit(OPEN)
    const read = await as.analyst.get(`/api/v1/intelligence-reports/${ref.toLowerCase()}`)
    assert.equal(read.statusCode, 200)
    assert.equal(read.json().ref, ref)
    assert.equal((await as.analyst.get('/api/v1/intelligence-reports/IR-MDI-2026-000123')).statusCode, 404)
    // O is not in the alphabet of a drawn code, so this is no reference at all.
    const bad = await as.analyst.get('/api/v1/intelligence-reports/IR-MDI-2026-K7QX4O')
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8')
    assert.deepEqual(bad.json().errors, [{ field: 'ref', message: 'Enter a report reference like IR-MDI-2026-K7QX4M' }])
  })
})

describe('a reference already taken', () => {
  it('is drawn again in the same transaction, and the report written once under the new one', async () => {
    const taken = await submit(OPEN)
    const reporter = await t.db
      .selectFrom('appUser')
      .select(['id', 'username'])
      .where('username', '=', 'reporter')
      .executeTakeFirstOrThrow()
    const draws = [taken, 'IR-MDI-2026-K7QX4M']
    const now = new Date()
    const report = {
      establishmentCode: 'MDI',
      compartment: null,
      originalCompartment: null,
      reporterId: reporter.id,
      reporterUsername: reporter.username,
      submissionKey: 'drawn-again',
      submittedAt: now,
      occurredAt: now,
      sourceType: 'own-observation',
      threatAreas: ['safety'],
      text: 'Written under a second draw.',
      namedPeople: [],
      urgent: false,
      status: 'submitted',
    }
    const inserted = await t.db
      .transaction()
      .execute(trx => insertReport(trx, report, () => draws.shift()!, reporter.username, now))
    const created = inserted.created ?? assert.fail('the report is written')
    assert.equal(created.ref, 'IR-MDI-2026-K7QX4M')
    assert.deepEqual(draws, [], 'both references were drawn')
    const again = await t.db
      .transaction()
      .execute(trx => insertReport(trx, report, () => 'IR-MDI-2026-CCCCCC', reporter.username, now))
    assert.deepEqual(again, { previous: { ref: 'IR-MDI-2026-K7QX4M', status: 'submitted' } })
    const rows = await t.db
      .selectFrom('intelligenceReport')
      .select('ref')
      .where('submissionKey', '=', 'drawn-again')
      .execute()
    assert.deepEqual(rows, [{ ref: 'IR-MDI-2026-K7QX4M' }])
  })
})
