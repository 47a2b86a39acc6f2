// The people pages' actions through /api/v1: each with its success, a 400 naming the field, a 403 without the
// permission, and a 404 outside the caller's scope (or for what does not exist, where scope does not apply).
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'
import { auditActors, importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

let t: TestApp
let analyst: ReturnType<TestApp['api']>
let reporter: ReturnType<TestApp['api']>
let admin: ReturnType<TestApp['api']>
let pio: ReturnType<TestApp['api']>
const tokens: Record<string, string> = {}

const XEL = { alertType: 'X', alertCode: 'XEL', active: true, expired: false }

before(async () => {
  t = await testApp()
  const summary = await importTestPrisoners(
    t.db,
    [
      prisonerRecord({
        prisonerNumber: 'A1234BC',
        firstName: 'MOHAMMED',
        lastName: 'HUSSAIN',
        aliases: [{ firstName: 'MO', lastName: 'KHAN', dateOfBirth: null }],
        alerts: [XEL],
        gender: 'Male',
      }),
      prisonerRecord({
        prisonerNumber: 'D4444DD',
        firstName: 'ANDREI',
        lastName: 'POPESCU',
        prisonId: 'WWI',
        alerts: [XEL],
      }),
    ],
    'people-api-test.json',
  )
  assert.equal(summary.created, 2)
  for (const role of ['analyst', 'reporter', 'admin', 'pio']) tokens[role] = await t.token(role)
  analyst = t.api(tokens.analyst)
  reporter = t.api(tokens.reporter)
  admin = t.api(tokens.admin)
  pio = t.api(tokens.pio)
})
after(() => t.close())

const fields = (response: { json(): { errors?: { field: string }[] } }) =>
  (response.json().errors ?? []).map(e => e.field)

async function alertIdOf(prisonNumber: string, alertCode: string) {
  const row = await t.db
    .selectFrom('peopleAlert as a')
    .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
    .select('a.id')
    .where('n.prisonNumber', '=', prisonNumber)
    .where('a.alertCode', '=', alertCode)
    .executeTakeFirstOrThrow()
  return row.id
}

describe('a profile as JSON', () => {
  it('gives identity, aliases and flags with their history, and audits the read', async () => {
    const response = await analyst.get('/api/v1/people/A1234BC')
    assert.equal(response.statusCode, 200)
    const profile = response.json()
    assert.equal(profile.ref, 'A1234BC')
    assert.equal(profile.kind, 'prisoner')
    assert.equal(profile.establishmentCode, 'MDI')
    assert.deepEqual(profile.aliases, [{ firstName: 'MO', lastName: 'KHAN', dateOfBirth: null }])
    assert.equal(profile.activeAlerts[0].alertCode, 'XEL')
    assert.equal(profile.activeAlerts[0].history[0].change, 'created')
    assert.equal(profile.transfers[0].to, 'MDI')
    assert.equal(profile.protectedCharacteristics, null, 'an analyst lacks the permission')
    assert.ok((await auditActors(t.db, 'nominal.viewed', 'A1234BC')).includes('analyst'))
  })

  it('shows protected characteristics to the roles that need them', async () => {
    const head = t.api(await t.token('head-of-security'))
    assert.equal((await head.get('/api/v1/people/A1234BC')).json().protectedCharacteristics.sex, 'Male')
  })

  it('400 names the reference, 403 without people:read, 404 outside scope (audited)', async () => {
    const bad = await analyst.get(`/api/v1/people/${'X'.repeat(30)}`)
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fields(bad), ['ref'])
    assert.equal((await pio.get('/api/v1/people/A1234BC')).statusCode, 403)
    assert.equal((await analyst.get('/api/v1/people/D4444DD')).statusCode, 404)
    assert.ok((await auditActors(t.db, 'nominal.view-denied', 'D4444DD')).includes('analyst'))
  })
})

describe('adding a person', () => {
  it('creates a visitor under a new reference, readable at once', async () => {
    const created = await analyst.post('/api/v1/people', {
      kind: 'visitor',
      establishmentCode: 'MDI',
      firstName: 'Shannon',
      lastName: 'Matthews',
      dateOfBirth: '1979-11-02',
    })
    assert.equal(created.statusCode, 201)
    const { ref } = created.json()
    assert.match(ref, /^N-\d{7}$/)
    const read = await analyst.get(`/api/v1/people/${ref}`)
    assert.equal(read.json().kind, 'visitor')
  })

  it('400 names each wrong field, an establishment outside scope among them; 403 without people:manage', async () => {
    const bad = await analyst.post('/api/v1/people', { kind: 'visitor', establishmentCode: 'MDI', lastName: 'X' })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fields(bad), ['firstName'])
    const outside = await analyst.post('/api/v1/people', {
      kind: 'visitor',
      establishmentCode: 'WWI',
      firstName: 'V',
      lastName: 'W',
    })
    assert.equal(outside.statusCode, 400)
    assert.deepEqual(fields(outside), ['establishmentCode'])
    const refused = await reporter.post('/api/v1/people', {
      kind: 'visitor',
      establishmentCode: 'MDI',
      firstName: 'V',
      lastName: 'W',
    })
    assert.equal(refused.statusCode, 403)
  })
})

describe('closing a flag', () => {
  it('closes a flag as a new version, and a second close is a 409', async () => {
    const created = await analyst.post('/api/v1/prisoners/A1234BC/alerts', { alertCode: 'XC', authorisedBy: 'HoS' })
    assert.equal(created.statusCode, 201)
    const { id } = created.json()
    const closed = await analyst.post(`/api/v1/alerts/${id}/close`, { comment: 'Moved to the ground floor' })
    assert.equal(closed.statusCode, 200)
    assert.equal(closed.json().isActive, false)
    const versions = await t.db
      .selectFrom('peopleAlertVersion')
      .select(['version', 'change', 'comment'])
      .where('alertId', '=', id)
      .orderBy('version')
      .execute()
    assert.deepEqual(
      versions.map(v => [v.version, v.change]),
      [
        [1, 'created'],
        [2, 'closed'],
      ],
    )
    assert.equal(versions[1].comment, 'Moved to the ground floor')
    assert.equal((await analyst.post(`/api/v1/alerts/${id}/close`, { comment: 'again' })).statusCode, 409)
  })

  it('400 names the reason, 403 without flags:manage, 404 outside scope', async () => {
    const id = await alertIdOf('A1234BC', 'XEL')
    const bad = await analyst.post(`/api/v1/alerts/${id}/close`, { comment: ' ' })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fields(bad), ['comment'])
    assert.equal((await reporter.post(`/api/v1/alerts/${id}/close`, { comment: 'x' })).statusCode, 403)
    const outside = await alertIdOf('D4444DD', 'XEL')
    assert.equal((await analyst.post(`/api/v1/alerts/${outside}/close`, { comment: 'x' })).statusCode, 404)
    assert.equal((await analyst.patch(`/api/v1/alerts/${outside}`, { comment: 'x' })).statusCode, 404)
    assert.equal((await analyst.get('/api/v1/prisoners/A1234BC/alerts')).json().results[0].isActive, true)
  })
})

describe('flag codes', () => {
  it('lists the codes the caller may see; 403 without people:read', async () => {
    const codes = (await analyst.get('/api/v1/alert-codes')).json().results.map((c: { code: string }) => c.code)
    assert.ok(codes.includes('XEL'))
    assert.ok(codes.includes('XCO'), 'an analyst sees Corruptor')
    const theirs = (await reporter.get('/api/v1/alert-codes')).json().results.map((c: { code: string }) => c.code)
    assert.ok(!theirs.includes('XCO'), 'a reporter does not')
    assert.equal((await pio.get('/api/v1/alert-codes')).statusCode, 403)
  })
})

describe('establishments', () => {
  // The test client has no PUT: the same call through inject.
  const put = (role: string, code: string, payload: object) =>
    t.app.inject({
      method: 'PUT',
      url: `/api/v1/establishments/${code}`,
      headers: { authorization: `Bearer ${tokens[role]}` },
      payload,
    })

  it('an administrator changes one and the changed fields are audited', async () => {
    const response = await put('admin', 'LEI', {
      name: 'Leeds (HMP)',
      prisonGroup: 'Yorkshire',
      socuRegion: 'North East / Yorks and Humber',
      highSecurity: false,
      active: true,
      functions: ['Reception', 'Local'],
    })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json().functions, ['Reception', 'Local'])
    const event = await t.db
      .selectFrom('auditEvent')
      .select('details')
      .where('action', '=', 'establishment.updated')
      .where('subjectId', '=', 'LEI')
      .executeTakeFirstOrThrow()
    assert.ok((event.details.changed as string[]).includes('functions'))
  })

  it('400 names the field, 403 without reference:manage, 404 for an establishment that does not exist', async () => {
    const bad = await put('admin', 'LEI', { name: '', active: true })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fields(bad), ['name'])
    assert.equal((await put('analyst', 'LEI', { name: 'Leeds', active: true })).statusCode, 403)
    assert.equal((await put('admin', 'QQQ', { name: 'Nowhere', active: true })).statusCode, 404)
  })
})

describe('the prisoner import', () => {
  it('imports a Prisoner Search page, rejecting a malformed record with its reasons', async () => {
    const response = await admin.post('/api/v1/imports/prisoners', {
      fileName: 'nightly.json',
      content: [
        prisonerRecord({ prisonerNumber: 'F6666FF', firstName: 'OWEN', lastName: 'DAVIES' }),
        prisonerRecord({ prisonerNumber: 'G7777GG', firstName: 'NO', lastName: '' }),
      ],
    })
    assert.equal(response.statusCode, 200)
    const summary = response.json()
    assert.equal(summary.created, 1)
    assert.equal(summary.rejected, 1)
    assert.match(summary.rejections[0].reasons.join(), /lastName is missing/)
    assert.equal((await analyst.get('/api/v1/prisoners/F6666FF')).statusCode, 200)
    const again = await admin.post('/api/v1/imports/prisoners', {
      content: [prisonerRecord({ prisonerNumber: 'F6666FF', firstName: 'OWEN', lastName: 'DAVIES' })],
    })
    assert.equal(again.json().unchanged, 1, 'the same record twice changes nothing')
  })

  it('400 names content, 403 without people:import', async () => {
    const bad = await admin.post('/api/v1/imports/prisoners', { content: 'not a list' })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fields(bad), ['content'])
    assert.equal((await analyst.post('/api/v1/imports/prisoners', { content: [] })).statusCode, 403)
  })
})
