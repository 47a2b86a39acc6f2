import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addDays, londonToday } from '../../src/platform/deadlines/deadlines.ts'
import { type TestApp, testApp } from '../support/app.ts'
import { auditActors } from '../support/fixtures.ts'

// The search programme and searches (issue 14, item 1; outputs 9 and 10), through the pages and /api/v1: the
// programme's clocks, the due list, recording searches of every reason, coverage, the LSS section, bad input in
// every field, another prison's user and a user without the permission.

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}
const today = londonToday(new Date())
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString()
const fieldsOf = (response: { json(): { errors?: { field: string }[] } }) =>
  (response.json().errors ?? []).map(e => e.field)

const REQUIREMENT = {
  target: 'cell',
  location: 'A wing',
  method: 'standard',
  everyDays: 7,
  startsOn: addDays(today, -30),
}
const SEARCH = {
  type: 'cell',
  location: 'A-2-014',
  method: 'standard',
  reason: 'random',
  result: 'nothing-found',
}

async function addRequirement(body: Record<string, unknown> = REQUIREMENT) {
  const response = await as['head-of-security'].post('/api/v1/search-programme', body)
  assert.equal(response.statusCode, 201, response.body)
  return response.json().id as string
}

async function record(body: Record<string, unknown>, client = as.reporter) {
  const response = await client.post('/api/v1/searches', { conductedAt: hourAgo(), ...body })
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

async function report(client: Client) {
  const response = await client.post('/api/v1/intelligence-reports', {
    text: 'Heard that a phone is kept in a cell on A wing, wrapped in a sock.',
    occurredAt: hourAgo(),
    sourceType: 'overheard',
    threatAreas: ['conveyance'],
    nominals: [],
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

before(async () => {
  t = await testApp()
  for (const username of ['head-of-security', 'reporter', 'reporter-lei', 'pio', 'auditor', 'analyst'])
    as[username] = t.api(await t.token(username))
})
after(() => t.close())

describe('the search programme through the API', () => {
  it('adds a requirement whose clock is overdue until a planned search meets it, then due again later', async () => {
    const id = await addRequirement()
    const due = await as.reporter.get('/api/v1/searches?due=true')
    assert.equal(due.statusCode, 200, due.body)
    const mine = due.json().due.find((r: { id: string }) => r.id === id)
    assert.equal(mine.state, 'overdue', 'started 30 days ago every 7 days and never searched')
    assert.equal(mine.area, 'A wing')

    await record({ ...SEARCH, reason: 'planned', requirementId: id })
    const after = await as.reporter.get('/api/v1/search-programme')
    const met = after.json().results.find((r: { id: string }) => r.id === id)
    assert.equal(met.lastSearchedOn, today)
    assert.equal(met.nextDue, addDays(today, 7))
    assert.equal(met.state, 'scheduled')
    const dueNow = (await as.reporter.get('/api/v1/searches?due=true')).json().due
    assert.ok(!dueNow.some((r: { id: string }) => r.id === id), 'met today: neither overdue nor due soon')
    assert.deepEqual(await auditActors(t.db, 'searching.requirement-added', id), ['head-of-security'])
  })

  it('names the field of every bad requirement, and refuses arms and explosives tests outside the high security estate', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ target: 'roof' }, 'target'],
      [{ location: ' ' }, 'location'],
      [{ location: 'x'.repeat(101) }, 'location'],
      [{ method: 'psychic' }, 'method'],
      [{ everyDays: 0 }, 'everyDays'],
      [{ everyDays: 'often' }, 'everyDays'],
      [{ everyDays: 400 }, 'everyDays'],
      [{ startsOn: '2026-02-30' }, 'startsOn'],
      [{ notes: 'x'.repeat(1001) }, 'notes'],
      [{ method: 'arms-explosives-test' }, 'method'],
    ]
    for (const [change, field] of cases) {
      const response = await as['head-of-security'].post('/api/v1/search-programme', { ...REQUIREMENT, ...change })
      assert.equal(response.statusCode, 400, `${JSON.stringify(change)}: ${response.body}`)
      assert.deepEqual(fieldsOf(response), [field], JSON.stringify(change))
    }
  })

  it('lets only the security department change the programme, and only at its own prison', async () => {
    const id = await addRequirement({ ...REQUIREMENT, location: 'B wing', everyDays: 28 })
    assert.equal((await as.reporter.post('/api/v1/search-programme', REQUIREMENT)).statusCode, 403)
    assert.equal((await as.auditor.post(`/api/v1/search-programme/${id}/retire`, {})).statusCode, 403)
    assert.equal((await as.pio.get('/api/v1/search-programme')).statusCode, 403)
    const other = await as['reporter-lei'].get('/api/v1/search-programme?establishment=MDI')
    assert.equal(other.statusCode, 404)
    assert.equal((await as['reporter-lei'].get('/api/v1/search-programme?establishment=mdi1')).statusCode, 400)

    const changed = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/search-programme/${id}`,
      headers: { authorization: `Bearer ${await t.token('head-of-security')}` },
      payload: { ...REQUIREMENT, location: 'B wing', everyDays: 14 },
    })
    assert.equal(changed.statusCode, 200, changed.body)
    const listed = (await as.reporter.get('/api/v1/search-programme')).json().results
    assert.equal(listed.find((r: { id: string }) => r.id === id).everyDays, 14)

    assert.equal((await as['head-of-security'].post(`/api/v1/search-programme/${id}/retire`, {})).statusCode, 200)
    const again = await as['head-of-security'].post(`/api/v1/search-programme/${id}/retire`, {})
    assert.equal(again.statusCode, 409)
    const live = (await as.reporter.get('/api/v1/search-programme')).json().results
    assert.ok(!live.some((r: { id: string }) => r.id === id), 'a retired requirement leaves the programme')
    assert.deepEqual(await auditActors(t.db, 'searching.requirement-retired', id), ['head-of-security'])
  })
})

describe('recording searches through the API', () => {
  it('records a random search by the caller, readable by reference, with its audit event', async () => {
    const ref = await record({ ...SEARCH, officers: 'Connor Tate', notes: 'Landing 2 end cell' })
    assert.match(ref, /^SR-MDI-\d{4}-[0-9A-Z]{6}$/)
    const found = await as.auditor.get(`/api/v1/searches/${ref}`)
    assert.equal(found.statusCode, 200, found.body)
    assert.equal(found.json().wing, 'A wing', 'the wing comes from the cell location')
    assert.equal(found.json().conductedBy, 'reporter')
    assert.equal(found.json().officers, 'Connor Tate')
    assert.deepEqual(await auditActors(t.db, 'searching.search-recorded', ref), ['reporter'])
    const listed = await as.reporter.get('/api/v1/searches?type=cell&reason=random')
    assert.ok(listed.json().results.some((s: { ref: string }) => s.ref === ref))
    const filtered = await as.reporter.get('/api/v1/searches?reason=planned&wing=Gate')
    assert.ok(!filtered.json().results.some((s: { ref: string }) => s.ref === ref))
  })

  it('links an intelligence-led search to a report the officer can read at the same prison, and no other', async () => {
    const mdiReport = await report(as.reporter)
    const leiReport = await report(as['reporter-lei'])
    const ref = await record({
      ...SEARCH,
      reason: 'intelligence-led',
      reportRef: mdiReport.toLowerCase(),
      result: 'finds',
    })
    assert.equal((await as.analyst.get(`/api/v1/searches/${ref}`)).json().reportRef, mdiReport)
    const elsewhere = await as.reporter.post('/api/v1/searches', {
      ...SEARCH,
      conductedAt: hourAgo(),
      reason: 'intelligence-led',
      reportRef: leiReport,
    })
    assert.deepEqual(fieldsOf(elsewhere), ['reportRef'])
    const page = await (await t.signIn('reporter')).get(`/searching/searches/${ref}`)
    assert.match(
      page.body,
      new RegExp(`/searching/finds/new\\?search=${ref}`),
      'a search with finds offers to record one',
    )
  })

  it('names the field of every bad search', async () => {
    const leiOnly = await addRequirement({ ...REQUIREMENT, target: 'workshop', location: 'Works department' })
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'car park' }, 'type'],
      [{ location: '' }, 'location'],
      [{ method: 'guesswork' }, 'method'],
      [{ method: 'arms-explosives-test' }, 'method'],
      [{ reason: 'boredom' }, 'reason'],
      [{ reason: 'intelligence-led' }, 'reportRef'],
      [{ reportRef: 'IR-NOT-A-REF' }, 'reportRef'],
      [{ conductedAt: 'yesterday' }, 'conductedAt'],
      [{ conductedAt: new Date(Date.now() + 86_400_000).toISOString() }, 'conductedAt'],
      [{ result: 'maybe' }, 'result'],
      [{ reason: 'planned', location: 'Kitchen' }, 'requirementId'],
      [{ reason: 'planned', requirementId: leiOnly }, 'requirementId'],
      [{ requirementId: leiOnly }, 'requirementId'],
      [{ officers: 'x'.repeat(501) }, 'officers'],
      [{ notes: 'x'.repeat(2001) }, 'notes'],
    ]
    for (const [change, field] of cases) {
      const response = await as.reporter.post('/api/v1/searches', { ...SEARCH, conductedAt: hourAgo(), ...change })
      assert.equal(response.statusCode, 400, `${JSON.stringify(change)}: ${response.body}`)
      assert.deepEqual(fieldsOf(response), [field], JSON.stringify(change))
    }
  })

  it('keeps searches to their prison: another prison’s user is told not found, and the look is audited', async () => {
    const ref = await record(SEARCH)
    assert.equal((await as['reporter-lei'].get(`/api/v1/searches/${ref}`)).statusCode, 404)
    assert.deepEqual(await auditActors(t.db, 'searching.view-denied', ref), ['reporter-lei'])
    assert.equal((await as['reporter-lei'].get('/api/v1/searches?establishment=MDI')).statusCode, 404)
    const theirs = (await as['reporter-lei'].get('/api/v1/searches')).json()
    assert.equal(theirs.establishment, 'LEI')
    assert.ok(!theirs.results.some((s: { ref: string }) => s.ref === ref))
    assert.equal((await as.pio.post('/api/v1/searches', { ...SEARCH, conductedAt: hourAgo() })).statusCode, 403)
    assert.equal((await as.auditor.post('/api/v1/searches', { ...SEARCH, conductedAt: hourAgo() })).statusCode, 403)
  })
})

describe('the search pages', () => {
  it('records a search on the page with the date input and a 24-hour time, and shows each error by its field', async () => {
    const reporter = await t.signIn('reporter')
    const bad = await reporter.post(
      '/searching/searches/new',
      {
        type: 'cell',
        location: '',
        reason: 'intelligence-led',
        'conductedAt-day': '31',
        'conductedAt-month': '2',
        'conductedAt-year': '2026',
        conductedTime: '25:00',
      },
      '/searching/searches/new',
    )
    assert.equal(bad.statusCode, 400)
    for (const href of ['#location', '#method', '#conductedAt', '#conductedTime', '#result'])
      assert.ok(bad.body.includes(`href="${href}`), `the summary links to ${href}`)
    const [day, month, year] = [today.slice(8), today.slice(5, 7), today.slice(0, 4)]
    const good = await reporter.post(
      '/searching/searches/new',
      {
        type: 'area',
        location: 'Servery',
        wing: 'C wing',
        method: 'dog',
        reason: 'random',
        'conductedAt-day': day,
        'conductedAt-month': month,
        'conductedAt-year': year,
        conductedTime: '00:05',
        officers: '',
        result: 'nothing-found',
        notes: '',
      },
      '/searching/searches/new',
    )
    assert.equal(good.statusCode, 303, good.body)
    const ref = good.headers.location?.toString().split('/').pop() ?? ''
    const page = await reporter.get(`/searching/searches/${ref}`)
    assert.match(page.body, /Dog search/)
    assert.match(page.body, /C wing/)
    assert.match(page.body, /Rachel Reporter/, 'the officer by name')
    const list = await reporter.get('/searching/searches?method=dog')
    assert.ok(list.body.includes(ref))
    const badFilter = await reporter.get('/searching/searches?method=psychic&from-day=40&from-month=1&from-year=2026')
    assert.equal(badFilter.statusCode, 400)
    assert.match(badFilter.body, /href="#method"/)
    assert.match(badFilter.body, /href="#from-day"/)
  })

  it('shows the programme with the overdue first and four weeks of planned searches, and manages it on the page', async () => {
    const head = await t.signIn('head-of-security')
    const added = await head.post(
      '/searching/programme/new',
      {
        target: 'vehicle',
        location: 'Gate',
        method: 'standard',
        everyDays: '1',
        'startsOn-day': '',
        'startsOn-month': '',
        'startsOn-year': '',
      },
      '/searching/programme/new',
    )
    assert.equal(added.statusCode, 400)
    assert.match(added.body, /href="#startsOn-day"/)
    const [day, month, year] = [today.slice(8), today.slice(5, 7), today.slice(0, 4)]
    const ok = await head.post(
      '/searching/programme/new',
      {
        target: 'vehicle',
        location: 'Gate',
        method: 'standard',
        everyDays: '1',
        'startsOn-day': day,
        'startsOn-month': month,
        'startsOn-year': year,
        notes: '',
      },
      '/searching/programme/new',
    )
    assert.equal(ok.statusCode, 303, ok.body)
    const page = await head.get('/searching/programme')
    assert.equal(page.statusCode, 200)
    const overdueAt = page.body.indexOf('data-qa="overdue"')
    assert.ok(overdueAt > 0 && overdueAt < page.body.indexOf('data-qa="plan"'), 'the overdue come before the plan')
    assert.match(page.body, /Every day/, 'a daily requirement is planned every day of a week')
    const id = /href="\/searching\/programme\/([0-9a-f-]{36})"/.exec(page.body)?.[1]
    assert.ok(id, 'the security department can open a requirement to change it')
    const form = await head.get(`/searching/programme/${id}`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /Retire the requirement/)
    assert.equal((await (await t.signIn('reporter')).get(`/searching/programme/${id}`)).statusCode, 403)
    assert.equal((await (await t.signIn('reporter-lei')).get('/searching/programme?establishment=MDI')).statusCode, 404)
  })

  it('shows overdue planned searches in the security department’s due list, not a reporter’s', async () => {
    const head = await (await t.signIn('head-of-security')).get('/')
    assert.match(head.body, /planned search(es)? overdue/)
    const reporter = await (await t.signIn('reporter')).get('/')
    assert.doesNotMatch(reporter.body, /planned search(es)? overdue/)
  })

  it('counts coverage by wing and month against the programme, and shows the searching strategy in the LSS and the hub', async () => {
    const reporter = await t.signIn('reporter')
    const coverage = await reporter.get('/searching/coverage')
    assert.equal(coverage.statusCode, 200)
    const aWing =
      /<th scope="row" class="govuk-table__header">A wing<\/th>([\s\S]*?)<\/tr>/.exec(coverage.body)?.[1] ?? ''
    const cells = [...aWing.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(cell => cell[1].replace(/<[^>]+>/g, ' ').trim())
    assert.equal(cells.length, 6, 'six months')
    assert.match(cells[5], /^[1-9]\d*\s+\d+ of \d+ planned$/, `this month on A wing: ${cells[5]}`)
    const api = (await as.reporter.get('/api/v1/search-coverage')).json()
    assert.equal(api.months.length, 6)
    const row = api.rows.find((r: { area: string }) => r.area === 'A wing')
    assert.ok(row.months.at(-1).programme.planned >= 1)

    const lss = await reporter.get('/lss')
    assert.match(lss.body, /Searching strategy/)
    assert.match(lss.body, /data-qa="lss-searching-requirements"/)
    const hub = await reporter.get('/searching')
    assert.match(hub.body, /data-qa="hub-searches"/)
    assert.match(hub.body, /planned search(es)? overdue|No planned search is overdue/)
    assert.equal((await (await t.signIn('pio')).get('/searching/coverage')).statusCode, 403)
  })
})
