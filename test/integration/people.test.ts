import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'
import { auditActors, importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

let t: TestApp

/** A date as a person types it into the GOV.UK date input's three boxes: ('activeFrom', '20 11 2026'). */
const dateBoxes = (name: string, typed: string) => {
  const [day = '', month = '', year = ''] = typed.split(' ')
  return { [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year }
}

before(async () => {
  t = await testApp()
  const summary = await importTestPrisoners(
    t.db,
    [
      prisonerRecord({
        prisonerNumber: 'A1234BC',
        firstName: 'MOHAMMED',
        lastName: 'HUSSAIN',
        dateOfBirth: '1988-04-12',
        cellLocation: 'B-2-014',
        pncNumber: '12/123456Y',
        aliases: [{ firstName: 'MO', lastName: 'KHAN', dateOfBirth: null }],
        alerts: [{ alertType: 'X', alertCode: 'XEL', active: true, expired: false }],
        gender: 'Male',
        ethnicity: 'Asian/Asian British: Pakistani',
        religion: 'Muslim',
      }),
      prisonerRecord({ prisonerNumber: 'B2222BB', firstName: 'JAMES', lastName: 'SMITH', prisonId: 'LEI' }),
      prisonerRecord({
        prisonerNumber: 'C3333CC',
        firstName: 'KARL',
        lastName: 'BROWN',
        prisonId: 'FNI',
        category: 'H',
      }),
      prisonerRecord({ prisonerNumber: 'D4444DD', firstName: 'ANDREI', lastName: 'POPESCU', prisonId: 'WWI' }),
      prisonerRecord({
        prisonerNumber: 'E5555EE',
        firstName: 'LIAM',
        lastName: 'CORR',
        alerts: [{ alertType: 'X', alertCode: 'XCO', active: true, expired: false }],
      }),
    ],
    'people-test.json',
  )
  assert.equal(summary.rejected, 0)
  assert.equal(summary.created, 5)
})
after(() => t.close())

describe('search', () => {
  it('finds Mohammed Hussain from a misspelling and from an alias, best match first', async () => {
    const analyst = await t.signIn('analyst')
    for (const q of ['Mohamed Husain', 'mohammed hussain', 'Mo Khan', 'Husain']) {
      const page = await analyst.get(`/people?q=${encodeURIComponent(q)}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Hussain, Mohammed/, q)
    }
    const byNumber = await analyst.get('/people?q=a1234bc')
    assert.match(byNumber.body, /1 person found/)
    const byPnc = await analyst.get(`/people?q=${encodeURIComponent('2012/0123456Y')}`)
    assert.match(byPnc.body, /Hussain, Mohammed/)
  })

  it('respects establishment scope in the query', async () => {
    const analyst = await t.signIn('analyst') // MDI only
    assert.doesNotMatch((await analyst.get('/people?q=James+Smith')).body, /Smith, James/)
    const pgd = await t.signIn('pgd') // Yorkshire group: MDI and LEI
    assert.match((await pgd.get('/people?q=James+Smith')).body, /Smith, James/)
    assert.doesNotMatch((await pgd.get('/people?q=Karl+Brown')).body, /Brown, Karl/)
    const socu = await t.signIn('socu') // North East / Yorks and Humber: MDI, LEI, FNI, not WWI
    assert.match((await socu.get('/people?q=Karl+Brown')).body, /Brown, Karl/)
    assert.doesNotMatch((await socu.get('/people?q=Andrei+Popescu')).body, /Popescu, Andrei/)
    const ed = await t.signIn('ed-security') // national
    assert.match((await ed.get('/people?q=Andrei+Popescu')).body, /Popescu, Andrei/)
  })

  it('names a bad date of birth filter', async () => {
    const analyst = await t.signIn('analyst')
    // Issue 12.6: the date of birth is the GOV.UK date input, and its messages name the part that is wrong.
    const page = await analyst.get('/people?dateOfBirth-day=31&dateOfBirth-month=2&dateOfBirth-year=1988')
    assert.equal(page.statusCode, 400)
    assert.match(page.body, /href="#dateOfBirth-day">Date of birth must be a real date</)
    const half = await analyst.get('/people?dateOfBirth-day=12&dateOfBirth-month=4&dateOfBirth-year=')
    assert.match(half.body, /href="#dateOfBirth-year">Date of birth must include a year</)
    assert.match(half.body, /name="dateOfBirth-month"[^>]*value="4"/)
    const found = await analyst.get('/people?dateOfBirth-day=12&dateOfBirth-month=4&dateOfBirth-year=1988')
    assert.equal(found.statusCode, 200)
    assert.match(found.body, /Hussain, Mohammed/)
    assert.match(found.body, /name="dateOfBirth-year"[^>]*value="1988"/)
    // The links to further pages of results carry the date as one ISO value, which the filter also takes.
    assert.match((await analyst.get('/people?dateOfBirth=1988-04-12')).body, /Hussain, Mohammed/)
  })
})

describe('profile', () => {
  it('shows identity, location, category and flags, and audits the read', async () => {
    const analyst = await t.signIn('analyst')
    const page = await analyst.get('/people/A1234BC')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Mohammed Hussain/)
    assert.match(page.body, /B-2-014/)
    assert.match(page.body, /Category C/)
    assert.match(page.body, /Escape List/)
    assert.doesNotMatch(page.body, /Protected characteristics/, 'analyst lacks the permission')
    assert.ok((await auditActors(t.db, 'nominal.viewed', 'A1234BC')).includes('analyst'))
  })

  it('shows protected characteristics only to roles that need them', async () => {
    const head = await t.signIn('head-of-security')
    assert.match((await head.get('/people/A1234BC')).body, /Asian\/Asian British: Pakistani/)
    const reporter = await t.signIn('reporter')
    assert.doesNotMatch((await reporter.get('/people/A1234BC')).body, /Pakistani/)
  })

  it('outside scope is a 404 that is audited, not a 403', async () => {
    const analyst = await t.signIn('analyst')
    const page = await analyst.get('/people/D4444DD')
    assert.equal(page.statusCode, 404)
    assert.ok((await auditActors(t.db, 'nominal.view-denied', 'D4444DD')).includes('analyst'))
    const api = await analyst.get('/api/v1/prisoners/D4444DD')
    assert.equal(api.statusCode, 404)
  })

  it('restricted flag codes are visible only to named roles', async () => {
    const reporter = await t.signIn('reporter')
    assert.doesNotMatch((await reporter.get('/people/E5555EE')).body, /Corruptor/)
    const analyst = await t.signIn('analyst')
    assert.match((await analyst.get('/people/E5555EE')).body, /Corruptor/)
  })
})

describe('staff nominals are need-to-know', () => {
  it('exist only for the staff-corruption compartment', async () => {
    const counter = await t.signIn('counter-corruption')
    const created = await counter.post(
      '/people/new',
      { kind: 'staff', establishmentCode: 'MDI', firstName: 'Peter', lastName: 'Grafton', staffNumber: 'S12345' },
      '/people/new',
    )
    assert.equal(created.statusCode, 303)
    const ref = decodeURIComponent(String(created.headers.location).split('/').pop()!)
    assert.match(ref, /^N-\d{7}$/)
    assert.equal((await counter.get(`/people/${ref}`)).statusCode, 200)
    assert.match((await counter.get('/people?q=Peter+Grafton')).body, /Grafton, Peter/)
    const analyst = await t.signIn('analyst')
    assert.equal((await analyst.get(`/people/${ref}`)).statusCode, 404)
    const search = await analyst.get('/people?q=Peter+Grafton')
    assert.doesNotMatch(search.body, /Grafton, Peter/)
    assert.match(search.body, /0 people found/)
  })
})

describe('adding a person', () => {
  it('names each wrong field and writes nothing', async () => {
    const analyst = await t.signIn('analyst')
    const response = await analyst.post(
      '/people/new',
      {
        kind: 'prisoner',
        establishmentCode: 'MDI',
        firstName: '',
        lastName: 'X',
        ...dateBoxes('dateOfBirth', '1 1 2999'),
        ...dateBoxes('releaseDate', '30 6 27'),
        prisonNumber: '12345',
        pncNumber: '12/123456X',
        cellLocation: 'nowhere!',
      },
      '/people/new',
    )
    assert.equal(response.statusCode, 400)
    for (const message of [
      'Enter the first name',
      'Date of birth must be in the past',
      'must include a year with 4 numbers',
      'Enter a prison number in the correct format',
      'Enter a PNC number in the correct format',
      'Enter a cell location like A-1-002',
    ]) {
      assert.ok(response.body.includes(message), message)
    }
  })

  it('names the missing part of a half-filled date of birth, and keeps what was typed (issue 12.6)', async () => {
    const analyst = await t.signIn('analyst')
    const response = await analyst.post(
      '/people/new',
      {
        kind: 'visitor',
        establishmentCode: 'MDI',
        firstName: 'Vera',
        lastName: 'Visitor',
        ...dateBoxes('dateOfBirth', '3  1975'),
      },
      '/people/new',
    )
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#dateOfBirth-month">Date of birth must include a month</)
    assert.match(response.body, /name="dateOfBirth-year"[^>]*value="1975"/)
    const added = await analyst.post(
      '/people/new',
      {
        kind: 'visitor',
        establishmentCode: 'MDI',
        firstName: 'Vera',
        lastName: 'Visitor',
        ...dateBoxes('dateOfBirth', '3 9 1975'),
        ...dateBoxes('releaseDate', ''),
      },
      '/people/new',
    )
    assert.equal(added.statusCode, 303, added.body)
    const vera = await t.db
      .selectFrom('peopleNominal')
      .select('dateOfBirth')
      .where('lastName', '=', 'Visitor')
      .executeTakeFirstOrThrow()
    assert.equal(String(vera.dateOfBirth).slice(0, 10), '1975-09-03')
  })

  it('refuses a duplicate prison number and an establishment outside scope', async () => {
    const analyst = await t.signIn('analyst')
    const duplicate = await analyst.post(
      '/people/new',
      { kind: 'prisoner', establishmentCode: 'MDI', firstName: 'Another', lastName: 'Person', prisonNumber: 'A1234BC' },
      '/people/new',
    )
    assert.equal(duplicate.statusCode, 400)
    assert.match(duplicate.body, /A person with this prison number already exists/)
    const outside = await analyst.post(
      '/people/new',
      { kind: 'visitor', establishmentCode: 'WWI', firstName: 'V', lastName: 'W' },
      '/people/new',
    )
    assert.equal(outside.statusCode, 400)
    assert.match(outside.body, /Select an establishment from the list/)
  })
})

describe('flags', () => {
  it('adds, amends and closes a flag, keeping every version', async () => {
    const analyst = await t.signIn('analyst')
    const bad = await analyst.post(
      '/people/A1234BC/flags/new',
      { alertCode: 'XC', authorisedBy: '', ...dateBoxes('activeFrom', '20 11 2026'), ...dateBoxes('activeTo', '') },
      '/people/A1234BC/flags/new',
    )
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Enter who authorised the flag/)
    const badDates = await analyst.post(
      '/people/A1234BC/flags/new',
      {
        alertCode: 'XC',
        authorisedBy: 'H. Hughes, Head of Security',
        ...dateBoxes('activeFrom', '20 11 2026'),
        ...dateBoxes('activeTo', '1 11 2026'),
      },
      '/people/A1234BC/flags/new',
    )
    assert.match(badDates.body, /The end date must be the same as or after the start date/)
    const unknown = await analyst.post(
      '/people/A1234BC/flags/new',
      { alertCode: 'NOPE', authorisedBy: 'x' },
      '/people/A1234BC/flags/new',
    )
    assert.match(unknown.body, /Select a flag from the list/)
    const duplicate = await analyst.post(
      '/people/A1234BC/flags/new',
      { alertCode: 'XEL', authorisedBy: 'x' },
      '/people/A1234BC/flags/new',
    )
    assert.match(duplicate.body, /already has an active Escape List flag/)

    const added = await analyst.post(
      '/people/A1234BC/flags/new',
      { alertCode: 'XC', description: 'Climbed netting on B wing', authorisedBy: 'H. Hughes, Head of Security' },
      '/people/A1234BC/flags/new',
    )
    assert.equal(added.statusCode, 303)
    const flag = await t.db
      .selectFrom('peopleAlert')
      .select('id')
      .where('alertCode', '=', 'XC')
      .executeTakeFirstOrThrow()
    const noReason = await analyst.post(
      `/flags/${flag.id}/change`,
      { action: 'amend', description: 'x' },
      `/flags/${flag.id}/change`,
    )
    assert.equal(noReason.statusCode, 400)
    assert.match(noReason.body, /Enter the reason for the change/)
    assert.equal(
      (
        await analyst.post(
          `/flags/${flag.id}/change`,
          { action: 'amend', description: 'Climbed netting twice', comment: 'Second incident' },
          `/flags/${flag.id}/change`,
        )
      ).statusCode,
      303,
    )
    assert.equal(
      (
        await analyst.post(
          `/flags/${flag.id}/change`,
          { action: 'close', comment: 'Moved to ground floor' },
          `/flags/${flag.id}/change`,
        )
      ).statusCode,
      303,
    )
    const versions = await t.db
      .selectFrom('peopleAlertVersion')
      .select(['version', 'change', 'description'])
      .where('alertId', '=', flag.id)
      .orderBy('version')
      .execute()
    assert.deepEqual(
      versions.map(v => [v.version, v.change]),
      [
        [1, 'created'],
        [2, 'amended'],
        [3, 'closed'],
      ],
    )
    assert.equal(versions[0].description, 'Climbed netting on B wing', 'the first version is unchanged')
    const again = await analyst.post(
      `/flags/${flag.id}/change`,
      { action: 'close', comment: 'again' },
      `/flags/${flag.id}/change`,
    )
    assert.equal(again.statusCode, 409)
  })

  it('names the missing part of a flag’s dates, on adding and on changing (issue 12.6)', async () => {
    const analyst = await t.signIn('analyst')
    const form = await analyst.get('/people/A1234BC/flags/new')
    assert.match(form.body, /name="activeFrom-year"[^>]*value="20\d\d"/, 'the start date is today, in the boxes')
    const half = await analyst.post(
      '/people/A1234BC/flags/new',
      {
        alertCode: 'XRF',
        authorisedBy: 'H. Hughes',
        ...dateBoxes('activeFrom', ' 11 2026'),
        ...dateBoxes('activeTo', ''),
      },
      '/people/A1234BC/flags/new',
    )
    assert.equal(half.statusCode, 400)
    assert.match(half.body, /href="#activeFrom-day">The start date must include a day</)
    assert.match(half.body, /name="activeFrom-month"[^>]*value="11"/)
    const added = await analyst.post(
      '/people/A1234BC/flags/new',
      {
        alertCode: 'XRF',
        authorisedBy: 'H. Hughes',
        ...dateBoxes('activeFrom', ''),
        ...dateBoxes('activeTo', '31 12 2027'),
      },
      '/people/A1234BC/flags/new',
    )
    assert.equal(added.statusCode, 303, added.body)
    const flag = await t.db
      .selectFrom('peopleAlert')
      .select('id')
      .where('alertCode', '=', 'XRF')
      .executeTakeFirstOrThrow()
    const created = await t.db
      .selectFrom('peopleAlertVersion')
      .select('activeTo')
      .where('alertId', '=', flag.id)
      .executeTakeFirstOrThrow()
    assert.equal(String(created.activeTo).slice(0, 10), '2027-12-31')
    const change = await analyst.post(
      `/flags/${flag.id}/change`,
      { action: 'amend', comment: 'Review', ...dateBoxes('activeFrom', ''), ...dateBoxes('activeTo', '31 13 2027') },
      `/flags/${flag.id}/change`,
    )
    assert.equal(change.statusCode, 400)
    assert.match(change.body, /href="#activeTo-day">The end date must be a real date</)
    const changed = await analyst.post(
      `/flags/${flag.id}/change`,
      { action: 'amend', comment: 'Review', ...dateBoxes('activeFrom', ''), ...dateBoxes('activeTo', '30 6 2027') },
      `/flags/${flag.id}/change`,
    )
    assert.equal(changed.statusCode, 303, changed.body)
  })

  it('a reporter cannot set flags', async () => {
    const reporter = await t.signIn('reporter')
    assert.equal((await reporter.get('/people/A1234BC/flags/new')).statusCode, 403)
  })
})

describe('API', () => {
  async function tokenFor(username: string) {
    const admin = await t.signIn('admin')
    const issued = await admin.post(
      `/admin/users/${username}/tokens`,
      { name: `api ${Math.random()}` },
      `/admin/users/${username}`,
    )
    return /data-qa="token">([^<]+)</.exec(issued.body)![1]
  }

  it('lists establishments with the caller’s own first', async () => {
    const token = await tokenFor('analyst')
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/establishments',
      headers: { authorization: `Bearer ${token}` },
    })
    const { results } = response.json()
    assert.equal(results[0].code, 'MDI')
    assert.deepEqual(Object.keys(results[0]).sort(), ['code', 'highSecurity', 'name', 'prisonGroup', 'socuRegion'])
    assert.ok(results.find((e: { code: string; highSecurity: boolean }) => e.code === 'FNI').highSecurity)
  })

  it('searches, reads, and sets and closes flags in the Prisoner Search shape', async () => {
    const token = await tokenFor('analyst')
    const headers = { authorization: `Bearer ${token}` }
    const search = (await t.app.inject({ method: 'GET', url: '/api/v1/prisoners?q=Mohamed%20Husain', headers })).json()
    assert.ok(search.total >= 1)
    assert.equal(search.results[0].prisonerNumber, 'A1234BC')
    const prisonerJson = (await t.app.inject({ method: 'GET', url: '/api/v1/prisoners/A1234BC', headers })).json()
    assert.equal(prisonerJson.prisonId, 'MDI')
    assert.equal(prisonerJson.cellLocation, 'B-2-014')
    assert.deepEqual(prisonerJson.aliases, [{ firstName: 'MO', lastName: 'KHAN', dateOfBirth: null }])

    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/prisoners/A1234BC/alerts',
      headers,
      payload: { alertCode: 'XSA', authorisedBy: 'Governor', activeFrom: '2026-12-01', activeTo: '2026-11-01' },
    })
    assert.equal(bad.statusCode, 400)
    assert.equal(bad.json().errors[0].field, 'activeTo')
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/prisoners/A1234BC/alerts',
      headers,
      payload: { alertCode: 'XSA', authorisedBy: 'Governor', description: 'Assaulted an officer' },
    })
    assert.equal(created.statusCode, 201)
    const alert = created.json()
    assert.deepEqual(Object.keys(alert).sort(), [
      'activeFrom',
      'activeTo',
      'alertCode',
      'authorisedBy',
      'description',
      'id',
      'isActive',
    ])
    assert.equal(alert.isActive, true)
    const closed = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/alerts/${alert.id}`,
      headers,
      payload: { action: 'close', comment: 'Expired' },
    })
    assert.equal(closed.statusCode, 200)
    assert.equal(closed.json().isActive, false)
    const list = (await t.app.inject({ method: 'GET', url: '/api/v1/prisoners/A1234BC/alerts', headers })).json()
    assert.ok(list.results.some((a: { alertCode: string; isActive: boolean }) => a.alertCode === 'XSA' && !a.isActive))
    const invalid = await t.app.inject({ method: 'GET', url: '/api/v1/prisoners/not-a-number', headers })
    assert.equal(invalid.statusCode, 400)
    assert.equal(invalid.json().errors[0].field, 'prisonNumber')
  })
})

describe('administration of establishments and imports', () => {
  it('an administrator edits an establishment, and the change is audited', async () => {
    const admin = await t.signIn('admin')
    const bad = await admin.post(
      '/admin/establishments/MDI/edit',
      { name: '', socuRegion: 'Mars' },
      '/admin/establishments/MDI/edit',
    )
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Enter the establishment’s name/)
    assert.match(bad.body, /Select a SOCU region from the list/)
    const ok = await admin.post(
      '/admin/establishments/MDI/edit',
      {
        name: 'Moorland (HMP & YOI)',
        prisonGroup: 'Yorkshire',
        socuRegion: 'North East / Yorks and Humber',
        functions: ['Training', 'Resettlement'],
        active: 'true',
      },
      '/admin/establishments/MDI/edit',
    )
    assert.equal(ok.statusCode, 303)
    const row = await t.db.selectFrom('establishment').selectAll().where('code', '=', 'MDI').executeTakeFirstOrThrow()
    assert.deepEqual(row.functions, ['Training', 'Resettlement'])
    const event = await t.db
      .selectFrom('auditEvent')
      .select('details')
      .where('action', '=', 'establishment.updated')
      .executeTakeFirstOrThrow()
    assert.deepEqual(event.details, { changed: ['functions'] })
  })

  /** Uploads a file through the import page, as the form sends it. */
  async function uploadThroughPage(admin: Awaited<ReturnType<TestApp['signIn']>>, fileName: string, file: string) {
    const page = await admin.get('/admin/imports/prisoners')
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]
    const boundary = '----portcullis'
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/json\r\n\r\n${file}\r\n` +
      `--${boundary}--\r\n`
    return t.app.inject({
      method: 'POST',
      url: '/admin/imports/prisoners',
      headers: { cookie: admin.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: body,
    })
  }

  it('uploads a Prisoner Search file through the page', async () => {
    const admin = await t.signIn('admin')
    const file = JSON.stringify([prisonerRecord({ prisonerNumber: 'F6666FF', firstName: 'OWEN', lastName: 'DAVIES' })])
    const response = await uploadThroughPage(admin, 'nomis.json', file)
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /Import finished/)
    assert.match(response.body, /Imported 1 of 1 records<\/span>/)
    const boundary = '----portcullis'
    const csrf = await admin.csrf()
    assert.ok(
      await t.db.selectFrom('peopleNominal').select('id').where('prisonNumber', '=', 'F6666FF').executeTakeFirst(),
    )
    const noFile = await t.app.inject({
      method: 'POST',
      url: '/admin/imports/prisoners',
      headers: { cookie: admin.cookieHeader(), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--${boundary}--\r\n`,
    })
    assert.equal(noFile.statusCode, 400)
    assert.match(noFile.body, /Select a Prisoner Search JSON file/)
  })

  it('imports a Prisoner Search page of today: current alerts, released people and restricted patients', async () => {
    const current = readFileSync(new URL('../fixtures/prisoner-search-current.json', import.meta.url), 'utf8')
    const response = await uploadThroughPage(await t.signIn('admin'), 'prisoner-search-current.json', current)
    assert.equal(response.statusCode, 200)
    assert.match(response.body, /Imported 3 of 4 records; 1 rejected/)
    assert.match(response.body, /G2750TB.*names no supportingPrisonId or lastPrisonId to hold them under/s)

    // The restricted patient supported by Moorland is in a Moorland analyst's scope; the man released from Leeds is not.
    const analyst = await t.signIn('analyst')
    const patient = await analyst.get('/people/A0919KP')
    assert.equal(patient.statusCode, 200)
    assert.match(patient.body, /Staff Assaulter/)
    assert.equal((await analyst.get('/people/G6137UV')).statusCode, 404)

    const api = t.api(await t.token('admin'))
    const again = await api.post('/api/v1/imports/prisoners', { fileName: 'again.json', ...JSON.parse(current) })
    assert.equal(again.statusCode, 200)
    const summary = again.json()
    assert.deepEqual(
      [summary.records, summary.imported, summary.unchanged, summary.rejected],
      [4, 3, 3, 1],
      'the API answer counts what was accepted',
    )
  })
})
