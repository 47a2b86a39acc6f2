import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { usersService } from '../../src/platform/users/service.ts'
import { type TestApp, testApp } from '../support/app.ts'
import { auditActors, importTestPrisoners, prisonerRecord, TEST_IMPORTER } from '../support/fixtures.ts'

// Seized phones (issue 14, output 15): a phone or SIM card found is sent for interrogation under a lawful basis, and
// the result becomes an intelligence report whose numbers and IMEIs are entities, so that an analyst's correlation and
// network see them. The rules of a request, the result reaching intelligence, scope, permission, audit and the pages.

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}

const IMEI = '490154203237518'
const ICCID = '8944110068256270054'

type Problem = { statusCode: number; json(): { errors?: { field: string }[]; detail?: string } }

/** Asserts a 400 problem naming the field. */
function assertField(response: Problem, field: string) {
  assert.equal(response.statusCode, 400, JSON.stringify(response.json()))
  const fields = (response.json().errors ?? []).map(e => e.field)
  assert.ok(fields.includes(field), `errors name ${field}: ${fields.join(', ')}`)
}

async function find(category: string, people: string[] = ['A1111AA']) {
  const response = await as.reporter.post('/api/v1/finds', {
    category,
    description: `A ${category} wrapped in cling film`,
    foundAt: new Date(Date.now() - 3_600_000).toISOString(),
    location: 'B-2-014',
    how: 'search',
    people: people.map(prisonerNumber => ({ prisonerNumber })),
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

async function request(findRef: string, body: Record<string, unknown> = { lawfulBasis: 'security-examination' }) {
  const response = await as['head-of-security'].post(`/api/v1/phones/${findRef}/interrogations`, body)
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

before(async () => {
  t = await testApp()
  await importTestPrisoners(t.db, [
    prisonerRecord({ prisonerNumber: 'A1111AA', firstName: 'XAVIER', lastName: 'HOLT' }),
    prisonerRecord({ prisonerNumber: 'B2222BB', firstName: 'YUSUF', lastName: 'DRAKE' }),
  ])
  await usersService(t.db).create(
    { actor: TEST_IMPORTER, user: null },
    {
      username: 'lei-security',
      displayName: 'LEI head of security',
      establishmentCode: 'LEI',
      roles: ['head-of-security'],
      scope: 'establishment',
      compartments: [],
      password: 'a-long-enough-password',
      email: undefined,
      department: undefined,
    },
  )
  for (const username of ['head-of-security', 'analyst', 'reporter', 'lei-security']) {
    as[username] = t.api(await t.token(username))
  }
})

after(() => t.close())

describe('asking for an interrogation', () => {
  it('refuses a find that is not a phone or a SIM card, in words', async () => {
    const ref = await find('drugs')
    const response = await as['head-of-security'].post(`/api/v1/phones/${ref}/interrogations`, {
      lawfulBasis: 'security-examination',
    })
    assert.equal(response.statusCode, 409)
    assert.match(
      response.json().detail,
      /Only a mobile phone or a SIM card is interrogated: this find is recorded as drugs/,
    )
  })

  it('asks for the authorisation a lawful basis needs, and checks IMEI and ICCID', async () => {
    const ref = await find('mobile-phone')
    const url = `/api/v1/phones/${ref}/interrogations`
    const client = as['head-of-security']
    assertField(await client.post(url, {}), 'lawfulBasis')
    assertField(await client.post(url, { lawfulBasis: 'stored-communications' }), 'authorisationRef')
    assertField(await client.post(url, { lawfulBasis: 'police-request', authorisationRef: '  ' }), 'authorisationRef')
    assertField(await client.post(url, { lawfulBasis: 'security-examination', imei: '490154203237519' }), 'imei')
    assertField(await client.post(url, { lawfulBasis: 'security-examination', imei: '4901542' }), 'imei')
    assertField(await client.post(url, { lawfulBasis: 'security-examination', iccid: '8944110068256270055' }), 'iccid')
    assertField(await client.post(url, { lawfulBasis: 'security-examination', iccid: 'not a sim' }), 'iccid')
    const made = await client.post(url, {
      lawfulBasis: 'police-request',
      authorisationRef: 'NYP-2026-0142',
      imei: '49 015420 323751 8',
      iccid: ICCID,
    })
    assert.equal(made.statusCode, 201, made.body)
    assert.match(made.json().ref, /^PH-MDI-\d{4}-[34679CDFGHJKMNPQRTWXY]{6}$/)
    const again = await client.post(url, { lawfulBasis: 'security-examination' })
    assert.equal(again.statusCode, 409, 'one request awaits its result at a time')
    const read = await client.get(`/api/v1/interrogations/${made.json().ref}`)
    assert.equal(read.json().imei, IMEI)
    assert.equal(read.json().state, 'awaiting-result')
    assert.deepEqual(await auditActors(t.db, 'searching.interrogation-requested', made.json().ref), [
      'head-of-security',
    ])
  })

  it('asks for no IMEI of a SIM card', async () => {
    const ref = await find('sim-card')
    const url = `/api/v1/phones/${ref}/interrogations`
    assertField(await as['head-of-security'].post(url, { lawfulBasis: 'security-examination', imei: IMEI }), 'imei')
    assert.equal(
      (await as['head-of-security'].post(url, { lawfulBasis: 'security-examination', iccid: ICCID })).statusCode,
      201,
    )
  })

  it('is for the security department, at their own prison', async () => {
    const ref = await find('mobile-phone')
    const body = { lawfulBasis: 'security-examination' }
    assert.equal((await as.reporter.post(`/api/v1/phones/${ref}/interrogations`, body)).statusCode, 403)
    assert.equal((await as['lei-security'].post(`/api/v1/phones/${ref}/interrogations`, body)).statusCode, 404)
    assert.deepEqual(await auditActors(t.db, 'searching.view-denied', ref), ['lei-security'])
    assert.equal(
      (await as['head-of-security'].post('/api/v1/phones/FD-MDI-2026-KKKKKK/interrogations', body)).statusCode,
      404,
    )
  })
})

describe('recording the result', () => {
  it('refuses a number that is not one, naming the item, and a result with nothing in it', async () => {
    const ref = await request(await find('mobile-phone'))
    const url = `/api/v1/interrogations/${ref}/result`
    const client = as['head-of-security']
    assertField(await client.post(url, { numbers: ['07700 900123', '07700 900456', 'call me'] }), 'numbers.2')
    assertField(await client.post(url, { imeis: ['123'] }), 'imeis.0')
    assertField(await client.post(url, { contacts: [{ name: 'Big Man', number: '12' }] }), 'contacts.0.number')
    assertField(await client.post(url, { contacts: [{ name: ' ', number: '07700 900123' }] }), 'contacts.0.name')
    assertField(await client.post(url, {}), 'imeis')
    assert.equal((await as.reporter.post(url, { numbers: ['07700 900123'] })).statusCode, 403)
    assert.equal((await as['lei-security'].post(url, { numbers: ['07700 900123'] })).statusCode, 404)
    assert.deepEqual(await auditActors(t.db, 'searching.view-denied', ref), ['lei-security'])
  })

  it('reaches intelligence: a report about the person whose numbers an analyst correlates and sees in the network', async () => {
    // Earlier intelligence about Yusuf Drake names a number; the analyst confirms it.
    const earlier = await as.reporter.post('/api/v1/intelligence-reports', {
      text: 'Drake told his cousin to ring 07700 900123 when the parcel is thrown over.',
      occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
      sourceType: 'overheard',
      threatAreas: ['conveyance'],
      nominals: [{ prisonerNumber: 'B2222BB' }],
    })
    assert.equal(earlier.statusCode, 201, earlier.body)
    const earlierRef = earlier.json().ref as string
    const linked = await as.analyst.post(`/api/v1/intelligence-reports/${earlierRef}/links`, {
      entities: [{ type: 'phone', value: '07700 900123' }],
    })
    assert.equal(linked.statusCode, 200, linked.body)

    // A phone found on Xavier Holt holds that number.
    const findRef = await find('mobile-phone', ['A1111AA'])
    const ref = await request(findRef)
    const result = await as['head-of-security'].post(`/api/v1/interrogations/${ref}/result`, {
      imeis: [IMEI],
      numbers: ['07700 900123', '+44 7700 900123'],
      contacts: [{ name: 'Big Man', number: '07700 900456' }],
    })
    assert.equal(result.statusCode, 201, result.body)
    const recorded = result.json()
    assert.deepEqual(recorded.numbers, ['+447700900123'], 'numbers in E.164, each once')
    assert.deepEqual(recorded.contacts, [{ name: 'Big Man', number: '+447700900456' }])
    assert.match(recorded.reportRef, /^IR-MDI-/)

    // The report: about Xavier Holt, its entities confirmed, correlated with the earlier report.
    const report = (await as.analyst.get(`/api/v1/intelligence-reports/${recorded.reportRef}`)).json()
    assert.deepEqual(
      report.nominals.map((n: { prisonerNumber: string; role: string }) => [n.prisonerNumber, n.role]),
      [['A1111AA', 'subject']],
    )
    const entities = report.entities.map(
      (e: { type: string; value: string; status: string }) => `${e.type}:${e.value}:${e.status}`,
    )
    assert.deepEqual(entities.sort(), [
      `imei:${IMEI}:accepted`,
      'phone:+447700900123:accepted',
      'phone:+447700900456:accepted',
    ])
    assert.ok(
      report.related.some((r: { ref: string }) => r.ref === earlierRef),
      'correlated with the earlier report',
    )

    // The number's reports, and Yusuf Drake's network, show Xavier Holt through it.
    const search = (await as.analyst.get('/api/v1/intelligence-reports?entity=%2B447700900123')).json()
    assert.deepEqual(search.results.map((r: { ref: string }) => r.ref).sort(), [earlierRef, recorded.reportRef].sort())
    const network = await (await t.signIn('analyst')).get('/intelligence/network/B2222BB')
    assert.equal(network.statusCode, 200)
    assert.match(network.body, /\+447700900123/)
    assert.match(network.body, /Xavier Holt/)

    // The interrogation shows what was found to those who read intelligence, and its report; to a reporter, neither.
    const read = (await as.analyst.get(`/api/v1/interrogations/${ref}`)).json()
    assert.equal(read.state, 'result-recorded')
    assert.equal(read.reportRef, recorded.reportRef)
    assert.deepEqual(read.found.numbers, ['+447700900123'])
    const byReporter = (await as.reporter.get(`/api/v1/interrogations/${ref}`)).json()
    assert.equal(byReporter.found, null)
    assert.equal(byReporter.reportRef, null)

    assert.deepEqual(await auditActors(t.db, 'searching.interrogation-result', ref), ['head-of-security'])
    assert.deepEqual(await auditActors(t.db, 'intelligence.submitted', recorded.reportRef), ['head-of-security'])
    assert.deepEqual(await auditActors(t.db, 'searching.interrogation-viewed', ref), ['analyst'])

    const twice = await as['head-of-security'].post(`/api/v1/interrogations/${ref}/result`, {
      numbers: ['07700 900999'],
    })
    assert.equal(twice.statusCode, 409)
  })

  it('keeps what was found with its report: restricted to a compartment, it is withheld from those outside it', async () => {
    const ref = await request(await find('sim-card', ['B2222BB']))
    const result = await as['head-of-security'].post(`/api/v1/interrogations/${ref}/result`, {
      numbers: ['07700 900777'],
    })
    assert.equal(result.statusCode, 201, result.body)
    const restricted = await as.analyst.post(`/api/v1/intelligence-reports/${result.json().reportRef}/compartment`, {
      compartment: 'staff-corruption',
      reason: 'The number is an officer’s',
    })
    assert.equal(restricted.statusCode, 200, restricted.body)
    const read = (await as.analyst.get(`/api/v1/interrogations/${ref}`)).json()
    assert.equal(read.reportRef, null)
    assert.equal(read.found, null)
  })
})

describe('the pages', () => {
  it('walks a phone from its request to its result, and lists what awaits a result', async () => {
    const findRef = await find('mobile-phone', ['A1111AA'])
    const security = await t.signIn('head-of-security')
    const page = `/searching/finds/${findRef}/interrogation`
    const empty = await security.get(page)
    assert.equal(empty.statusCode, 200)
    assert.match(empty.body, /data-qa="request-form"/)

    const invalid = await security.post(page, { lawfulBasis: 'stored-communications', imei: '12' }, page)
    assert.equal(invalid.statusCode, 400)
    assert.match(invalid.body, /govuk-error-summary/)
    assert.match(invalid.body, /href="#authorisationRef"/)
    assert.match(invalid.body, /href="#imei"/)

    const requested = await security.post(page, { lawfulBasis: 'security-examination', imei: IMEI }, page)
    assert.equal(requested.statusCode, 303)
    const awaiting = await security.get(page)
    const ref = /Interrogation (PH-MDI-\d{4}-\w{6}) requested/.exec(awaiting.body)?.[1]
    assert.ok(ref, 'the banner names the interrogation')
    assert.match(awaiting.body, /data-qa="result-form"/)

    const list = await security.get('/searching/interrogations')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, new RegExp(`data-qa="awaiting"[\\s\\S]*${ref}`))
    const hub = await security.get('/searching')
    assert.match(hub.body, /data-qa="hub-phones"/)
    const home = await security.get('/')
    assert.match(home.body, new RegExp(`Record the result of ${ref}`))

    const action = `/searching/interrogations/${ref}/result`
    const bad = await security.post(action, { numbers: '07700 900123\nnot a number', contacts: '' }, page)
    assert.equal(bad.statusCode, 400)
    assert.match(bad.body, /Line 2: Enter a phone number as it is stored/)
    assert.match(bad.body, /not a number/, 'what was typed is kept')

    const done = await security.post(
      action,
      { imeis: IMEI, numbers: '07700 900123', contacts: 'Big Man, 07700 900456\nTiny 07700 900789' },
      page,
    )
    assert.equal(done.statusCode, 303)
    const shown = await security.get(page)
    assert.match(shown.body, /recorded in intelligence report IR-MDI-/)
    assert.match(shown.body, /href="\/intelligence\/search\?entity=%2B447700900789"/)
    assert.match(shown.body, /Tiny/)
    assert.match(shown.body, /href="\/intelligence\/network\/A1111AA"/)

    const reporter = await t.signIn('reporter')
    const seen = await reporter.get(page)
    assert.equal(seen.statusCode, 200)
    assert.match(seen.body, /data-qa="found-withheld"/)
    assert.doesNotMatch(seen.body, /data-qa="request-form"/)
    assert.equal((await reporter.post(page, { lawfulBasis: 'security-examination' }, page)).statusCode, 403)
  })

  it('explains that a find other than a phone is not interrogated', async () => {
    const findRef = await find('weapon')
    const page = await (await t.signIn('head-of-security')).get(`/searching/finds/${findRef}/interrogation`)
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /data-qa="interrogation-refusal"/)
    assert.doesNotMatch(page.body, /data-qa="request-form"/)
  })
})
