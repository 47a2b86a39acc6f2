import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { findsEvidence } from '../../src/modules/searching/evidence.ts'
import { shiftMonth } from '../../src/modules/searching/rules.ts'
import { searchingService } from '../../src/modules/searching/service.ts'
import { londonToday } from '../../src/platform/deadlines/deadlines.ts'
import { type TestApp, testApp } from '../support/app.ts'
import { auditActors, importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

// The finds register (issue 14, output 11) and what followed for the prisoners linked (output 13): the API and the
// pages, filters, trends and their figures, the LSS evidence and the profile panel; bad input in every field, scope,
// permission, and people and reports the user may not see.

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}
const FIND_REF = /^FD-MDI-\d{4}-[34679CDFGHJKMNPQRTWXY]{6}$/
const now = new Date()
const thisMonth = londonToday(now).slice(0, 7)
/** Noon on the 10th of a month this many months ago, as the API takes it: always in the past. */
const monthsAgo = (months: number) => `${shiftMonth(thisMonth, -months)}-10T12:00:00Z`
const hourAgo = new Date(now.getTime() - 3_600_000).toISOString()
let searchRef = ''
let reportRef = ''
let otherReportRef = ''
let phoneRef = ''

const fields = (response: { json(): { errors?: { field: string }[] } }) =>
  (response.json().errors ?? []).map(error => error.field)

const phoneFind = (extra: Record<string, unknown> = {}) => ({
  category: 'mobile-phone',
  description: 'Black Samsung handset wrapped in cling film inside a sock',
  foundAt: hourAgo,
  location: 'B-2-014',
  people: [{ prisonerNumber: 'A1111AA' }],
  ...extra,
})

async function record(body: Record<string, unknown>, client = as.reporter) {
  const response = await client.post('/api/v1/finds', body)
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

before(async () => {
  t = await testApp()
  await importTestPrisoners(t.db, [
    prisonerRecord({ prisonerNumber: 'A1111AA', firstName: 'ALAN', lastName: 'FINDER', cellLocation: 'B-2-014' }),
    prisonerRecord({ prisonerNumber: 'B2222BB', firstName: 'BILL', lastName: 'SHARER' }),
    prisonerRecord({ prisonerNumber: 'F5555FF', firstName: 'FRED', lastName: 'FARAWAY', prisonId: 'FNI' }),
  ])
  for (const username of ['reporter', 'analyst', 'pio', 'reporter-lei', 'pgd', 'admin', 'auditor'])
    as[username] = t.api(await t.token(username))
  const submit = async (client: Client, text: string) => {
    const response = await client.post('/api/v1/intelligence-reports', {
      text,
      occurredAt: hourAgo,
      sourceType: 'own-observation',
      threatAreas: ['conveyance'],
    })
    assert.equal(response.statusCode, 201, response.body)
    return response.json().ref as string
  }
  reportRef = await submit(as.reporter, 'A1111AA keeps a phone in his cell on B wing.')
  otherReportRef = await submit(as.analyst, 'Visits hall table 12 used for passing items.')
  // A search recorded at MDI, as the searches part records one.
  const officer = await t.db
    .selectFrom('appUser')
    .select('username')
    .where('username', '=', 'reporter')
    .executeTakeFirstOrThrow()
  searchRef = 'SR-MDI-2026-TTTTTT'
  await t.db
    .insertInto('searchingSearch')
    .values({
      ref: searchRef,
      establishmentCode: 'MDI',
      target: 'cell',
      location: 'B-2-014',
      wing: 'B wing',
      method: 'full',
      reason: 'intelligence-led',
      conductedAt: new Date(hourAgo),
      conductedBy: officer.username,
      result: 'finds',
      recordedBy: officer.username,
      recordedAt: now,
    })
    .execute()
})
after(() => t.close())

describe('recording a find through the API', () => {
  it('records a phone with the person, the search and the report, and reads it back', async () => {
    phoneRef = await record(phoneFind({ searchRef: searchRef.toLowerCase(), reportRefs: [reportRef] }))
    assert.match(phoneRef, FIND_REF)
    const read = await as.reporter.get(`/api/v1/finds/${phoneRef}`)
    assert.equal(read.statusCode, 200, read.body)
    const find = read.json()
    assert.equal(find.wing, 'B wing', 'the wing of a cell location')
    assert.equal(find.how, 'search', 'found in a search unless said')
    assert.equal(find.searchRef, searchRef)
    assert.equal(find.foundBy, 'reporter')
    assert.equal(find.foundByName, 'Rachel Reporter')
    assert.equal(find.needsInterrogation, true)
    assert.deepEqual(find.reportRefs, [reportRef])
    assert.deepEqual(
      find.people.map((p: { prisonerNumber: string }) => p.prisonerNumber),
      ['A1111AA'],
    )
    assert.deepEqual(await auditActors(t.db, 'searching.find-recorded', phoneRef), ['reporter'])
  })

  it('takes the wing chosen for a place off the wings, and who found it by name', async () => {
    const ref = await record({
      category: 'drugs',
      description: 'Paper soaked in a psychoactive substance, in a letter',
      foundAt: hourAgo,
      location: 'Post room',
      wing: 'post room',
      how: 'post',
      foundBy: 'Officer Gary Hollis',
    })
    const find = (await as.reporter.get(`/api/v1/finds/${ref}`)).json()
    assert.equal(find.wing, 'Post room')
    assert.equal(find.foundByName, 'Officer Gary Hollis')
    assert.equal(find.needsInterrogation, false)
    assert.deepEqual(find.people, [])
  })

  it('refuses bad input in every field with a 400 naming it', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ category: 'drone' }, 'category'],
      [{ description: '  ' }, 'description'],
      [{ description: 'x'.repeat(2001) }, 'description'],
      [{ foundAt: 'yesterday' }, 'foundAt'],
      [{ foundAt: new Date(now.getTime() + 86_400_000).toISOString() }, 'foundAt'],
      [{ location: '' }, 'location'],
      [{ location: 'Visits hall' }, 'wing'],
      [{ wing: 'w'.repeat(61) }, 'wing'],
      [{ how: 'drone' }, 'how'],
      [{ foundBy: 'n'.repeat(101) }, 'foundBy'],
      [{ searchRef: 'search 12' }, 'searchRef'],
      [{ searchRef: 'SR-MDI-2026-KKKKKK' }, 'searchRef'],
      [{ people: [{ prisonerNumber: 'not a number' }] }, 'people.0.prisonerNumber'],
      [{ people: 'A1111AA' }, 'people'],
      [{ people: [{ prisonerNumber: 'Z9999ZZ' }] }, 'people'],
      [{ reportRefs: ['report 1'] }, 'reportRefs.0'],
      [{ reportRefs: ['IR-MDI-2026-KKKKKK'] }, 'reportRefs'],
    ]
    for (const [change, field] of cases) {
      const response = await as.reporter.post('/api/v1/finds', phoneFind(change))
      assert.equal(response.statusCode, 400, `${JSON.stringify(change).slice(0, 60)}: ${response.body}`)
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
      assert.deepEqual(fields(response), [field], JSON.stringify(change).slice(0, 60))
    }
    const empty = await as.reporter.post('/api/v1/finds', {})
    assert.deepEqual(fields(empty), ['category', 'description', 'foundAt', 'location'])
  })

  it('refuses people and reports the user may not see', async () => {
    const away = await as.reporter.post('/api/v1/finds', phoneFind({ people: [{ prisonerNumber: 'F5555FF' }] }))
    assert.equal(away.statusCode, 400)
    assert.deepEqual(fields(away), ['people'])
    assert.match(away.json().errors[0].message, /F5555FF/)
    // A member of staff links the reports they made; another's report is the security department's to link.
    const notTheirs = await as.reporter.post('/api/v1/finds', phoneFind({ reportRefs: [otherReportRef] }))
    assert.deepEqual(fields(notTheirs), ['reportRefs'])
    assert.equal((await as.analyst.post('/api/v1/finds', phoneFind({ reportRefs: [otherReportRef] }))).statusCode, 201)
    const elsewhere = await as['reporter-lei'].post('/api/v1/finds', phoneFind({ people: [], searchRef }))
    assert.deepEqual(fields(elsewhere), ['searchRef'], 'a search at another prison')
  })

  it('needs searching:record to record and searching:read to read', async () => {
    assert.equal((await as.pio.post('/api/v1/finds', phoneFind())).statusCode, 403)
    assert.equal((await as.admin.post('/api/v1/finds', phoneFind())).statusCode, 403)
    assert.equal((await as.pio.get('/api/v1/finds')).statusCode, 403)
    assert.equal((await as.pio.get(`/api/v1/finds/${phoneRef}`)).statusCode, 403)
    assert.equal((await as.auditor.post('/api/v1/finds', phoneFind())).statusCode, 403, 'an auditor changes nothing')
    assert.equal((await as.auditor.get(`/api/v1/finds/${phoneRef}`)).statusCode, 200)
  })

  it('keeps a find to its prison: another prison’s reporter is told not found, and the look is audited', async () => {
    const look = await as['reporter-lei'].get(`/api/v1/finds/${phoneRef}`)
    assert.equal(look.statusCode, 404)
    assert.deepEqual(await auditActors(t.db, 'searching.view-denied', phoneRef), ['reporter-lei'])
    const theirs = (await as['reporter-lei'].get('/api/v1/finds')).json()
    assert.equal(theirs.total, 0)
    assert.equal((await as.pgd.get(`/api/v1/finds/${phoneRef}`)).statusCode, 200, 'the group director oversees MDI')
    assert.equal((await as.reporter.get('/api/v1/finds/FD-MDI-2026-KKKKKK')).statusCode, 404)
  })
})

describe('the register’s filters', () => {
  before(async () => {
    await record({
      category: 'weapon',
      description: 'Sharpened toothbrush',
      foundAt: monthsAgo(2),
      location: 'C-1-003',
    })
    await record({
      category: 'weapon',
      description: 'Blade in a mattress',
      foundAt: monthsAgo(13),
      location: 'C-3-021',
    })
  })

  it('filters by category, dates found and wing, in the API and on the page', async () => {
    const list = (query: string) => as.reporter.get(`/api/v1/finds${query}`).then(r => r.json())
    const weapons = await list('?category=weapon')
    assert.equal(weapons.total, 2)
    const from = `${shiftMonth(thisMonth, -3)}-01`
    const recent = await list(`?category=weapon&from=${from}&to=${londonToday(now)}`)
    assert.deepEqual(
      recent.results.map((r: { description: string }) => r.description),
      ['Sharpened toothbrush'],
    )
    const bWing = await list('?wing=b%20wing')
    assert.ok(bWing.results.length >= 1)
    assert.ok(bWing.results.every((r: { wing: string }) => r.wing === 'B wing'))
    assert.equal((await as.reporter.get('/api/v1/finds?category=drone')).statusCode, 400)
    assert.deepEqual(fields(await as.reporter.get('/api/v1/finds?from=2026-02-31')), ['from'])

    const session = await t.signIn('reporter')
    const page = await session.get('/searching/finds?category=weapon&wing=C+wing')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /2 finds/)
    assert.match(page.body, /Sharpened toothbrush/)
    assert.doesNotMatch(page.body, /cling film/)
    const bad = await session.get('/searching/finds?from-day=31&from-month=2&from-year=2026')
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /govuk-error-summary/)
    assert.match(bad.body, /href="#from-day"/)
  })
})

describe('what followed for each prisoner (output 13)', () => {
  it('records an adjudication with its reference, and refuses what is wrong', async () => {
    const url = `/api/v1/finds/${phoneRef}/outcomes`
    const noRef = await as.analyst.post(url, { prisonerNumber: 'A1111AA', outcome: 'adjudication' })
    assert.deepEqual(fields(noRef), ['reference'])
    assert.deepEqual(fields(await as.analyst.post(url, { prisonerNumber: 'A1111AA', outcome: 'caution' })), ['outcome'])
    const notLinked = await as.analyst.post(url, { prisonerNumber: 'B2222BB', outcome: 'no-further-action' })
    assert.deepEqual(fields(notLinked), ['prisonerNumber'])
    const done = await as.analyst.post(url, {
      prisonerNumber: 'A1111AA',
      outcome: 'adjudication',
      reference: 'MDI-2026-0457',
    })
    assert.equal(done.statusCode, 201, done.body)
    const [person] = (await as.reporter.get(`/api/v1/finds/${phoneRef}`)).json().people
    assert.equal(person.outcome, 'adjudication')
    assert.equal(person.outcomeReference, 'MDI-2026-0457')
    assert.deepEqual(await auditActors(t.db, 'searching.find-outcome', phoneRef), ['analyst'])
    assert.equal(
      (await as.reporter.post(url, { prisonerNumber: 'A1111AA', outcome: 'no-further-action' })).statusCode,
      403,
    )
    assert.equal(
      (
        await as.analyst.post('/api/v1/finds/FD-MDI-2026-KKKKKK/outcomes', {
          prisonerNumber: 'A1111AA',
          outcome: 'no-further-action',
        })
      ).statusCode,
      404,
    )
  })

  it('records it on the page, with the error summary when the reference is missing', async () => {
    const session = await t.signIn('analyst')
    const from = `/searching/finds/${phoneRef}`
    const missing = await session.post(
      `${from}/outcomes`,
      { prisonerNumber: 'A1111AA', outcome: 'police-referral' },
      from,
    )
    assert.equal(missing.statusCode, 400)
    assert.match(missing.body, /Enter the police crime reference/)
    assert.match(missing.body, /href="#reference"/)
    const done = await session.post(
      `${from}/outcomes`,
      { prisonerNumber: 'A1111AA', outcome: 'police-referral', reference: '13/44521/26' },
      from,
    )
    assert.equal(done.statusCode, 303)
    const page = await session.get(from)
    assert.match(page.body, /Referred to the police: <span class="app-nowrap">13\/44521\/26<\/span>/)
    assert.match(page.body, /Recorded by Adam Analyst/)
  })
})

describe('the find pages', () => {
  it('records a find on the page, after naming each missing answer', async () => {
    const session = await t.signIn('reporter')
    const form = await session.get(`/searching/finds/new?search=${searchRef}`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, new RegExp(`name="searchRef"[^>]*value="${searchRef}"`))
    const boxes = { 'foundAt-day': '', 'foundAt-month': '', 'foundAt-year': '' }
    const empty = await session.post('/searching/finds', boxes, '/searching/finds/new')
    assert.equal(empty.statusCode, 400)
    for (const href of ['category', 'description', 'foundAt-day', 'foundTime', 'location', 'how'])
      assert.match(empty.body, new RegExp(`href="#${href}"`), href)
    const [day, month, year] = [now.getUTCDate(), now.getUTCMonth() + 1, now.getUTCFullYear()]
    const answers = {
      category: 'sim-card',
      description: 'Two SIM cards taped under a table',
      'foundAt-day': String(day),
      'foundAt-month': String(month),
      'foundAt-year': String(year),
      foundTime: '00:01',
      location: 'Visits hall, table 12',
      wing: '',
      how: 'visit',
      foundBy: 'n'.repeat(101),
      people: 'a1111aa, B2222BB, Q0000QQ',
      reportRefs: 'not-a-ref',
    }
    const wrong = await session.post('/searching/finds', answers, '/searching/finds/new')
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /The name of who found it must be 100 characters or fewer/)
    assert.match(wrong.body, /Enter report references like IR-MDI-2026-K7QX4M/)
    const unknown = await session.post(
      '/searching/finds',
      { ...answers, foundBy: 'Gary Hollis', reportRefs: '' },
      '/searching/finds/new',
    )
    assert.equal(unknown.statusCode, 400)
    assert.match(unknown.body, /No prisoner you can see has the prison number Q0000QQ/)
    assert.match(unknown.body, /Select the wing or area where it was found/)
    assert.match(unknown.body, /value="Visits hall, table 12"/, 'the answers are kept')
    const done = await session.post(
      '/searching/finds',
      { ...answers, foundBy: 'Gary Hollis', reportRefs: reportRef, people: 'a1111aa, B2222BB', wing: 'Visits' },
      '/searching/finds/new',
    )
    assert.equal(done.statusCode, 303, done.body)
    const ref = String(done.headers.location).split('/').pop() ?? ''
    assert.match(ref, FIND_REF)
    const page = await session.get(`/searching/finds/${ref}`)
    assert.match(page.body, /SIM card/)
    assert.match(page.body, /Needs interrogation/)
    assert.match(page.body, /<a class="govuk-link" href="\/people\/A1111AA">Alan Finder<\/a>/)
    assert.match(page.body, /Bill Sharer/)
    assert.match(page.body, /Gary Hollis/)
    assert.match(page.body, new RegExp(`/intelligence/mine/${reportRef}`))
    assert.doesNotMatch(page.body, /outcome-form/, 'a member of staff does not record what followed')
  })

  it('shows the exhibits made from a find, and links its search', async () => {
    const find = await t.db
      .selectFrom('searchingFind')
      .select('id')
      .where('ref', '=', phoneRef)
      .executeTakeFirstOrThrow()
    await t.db
      .insertInto('searchingExhibit')
      .values({
        ref: 'EX-MDI-2026-TTTTTT',
        findId: find.id,
        establishmentCode: 'MDI',
        sealNumber: 'S0012345',
        seizedByKind: 'person',
        seizedByName: 'Rachel Reporter',
        seizedAt: now,
        storedAt: 'Security evidence store',
        createdBy: 'analyst',
        createdAt: now,
      })
      .execute()
    const page = await (await t.signIn('analyst')).get(`/searching/finds/${phoneRef}`)
    assert.match(page.body, /href="\/searching\/exhibits\/EX-MDI-2026-TTTTTT"/)
    assert.match(page.body, /S0012345/)
    assert.match(page.body, new RegExp(`href="/searching/searches/${searchRef}"`))
    assert.match(page.body, new RegExp(`/intelligence/reports/${reportRef}`))
  })

  it('shows the hub’s finds this month and a person’s finds on their profile', async () => {
    const session = await t.signIn('analyst')
    const hub = await session.get('/searching')
    assert.equal(hub.statusCode, 200)
    assert.match(hub.body, /data-qa="hub-finds"/)
    assert.match(hub.body, /href="\/searching\/finds\/new"/)
    assert.match(hub.body, /Mobile phone/)
    const profile = await session.get('/people/A1111AA')
    assert.match(profile.body, /data-qa="finds-panel"/)
    assert.match(profile.body, new RegExp(phoneRef))
    const unlinked = await session.get('/people/B2222BB')
    assert.match(unlinked.body, /data-qa="finds-panel"/, 'linked on the page journey')
  })
})

describe('trends and the LSS evidence', () => {
  it('counts finds a month beside the same month a year before, by category and wing', async () => {
    const response = await as.reporter.get('/api/v1/finds/trends')
    assert.equal(response.statusCode, 200, response.body)
    const trends = response.json()
    assert.equal(trends.months.length, 12)
    assert.equal(trends.months[11], thisMonth)
    const month = (m: string) => trends.byMonth.find((line: { month: string }) => line.month === m)
    const twoAgo = month(shiftMonth(thisMonth, -2))
    assert.equal(twoAgo.total, 1)
    assert.equal(month(shiftMonth(thisMonth, -1)).yearBefore, 1, 'the weapon of 13 months ago')
    const weapons = trends.byCategory.find((line: { name: string }) => line.name === 'weapon')
    assert.equal(weapons.total, 1)
    assert.equal(weapons.yearBefore, 1)
    const cWing = trends.byWing.find((line: { name: string }) => line.name === 'C wing')
    assert.equal(cWing.total, 1)
    assert.equal((await as.reporter.get('/api/v1/finds/trends?establishment=WWI')).statusCode, 403)
  })

  it('draws the trends as accessible charts, each with a table of the same figures', async () => {
    const page = await (await t.signIn('reporter')).get('/searching/finds/trends')
    assert.equal(page.statusCode, 200)
    const charts = page.body.match(/<svg class="app-finds-chart"[^>]*role="img"[^>]*aria-labelledby="[^"]+"/g) ?? []
    assert.equal(charts.length, 3)
    assert.match(page.body, /<title id="month-chart-title">Finds a month at Moorland/)
    assert.match(page.body, /<desc id="month-chart-desc">/)
    for (const table of ['by-month', 'by-category', 'by-wing'])
      assert.match(page.body, new RegExp(`data-qa="${table}"`))
  })

  it('gives the LSS risk assessment finds by category for the period, nil returns included', async () => {
    const evidence = findsEvidence(searchingService(t.db))
    assert.equal(evidence.source, 'Finds')
    const since = new Date(`${shiftMonth(thisMonth, -3)}-01T00:00:00Z`)
    const figures = await evidence.figures('MDI', since)
    const value = (label: string) => figures.find(f => f.label === label)?.value
    assert.equal(value('Finds: weapon'), 1, 'the weapon of two months ago, not the one of thirteen')
    assert.ok((value('Finds: mobile phone') ?? 0) >= 2)
    assert.equal(value('Finds: cash'), 0)
    assert.equal(figures.length, 10)
    assert.ok((await evidence.figures('LEI', since)).every(f => f.value === 0))
  })
})
