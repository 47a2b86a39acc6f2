// The workflow and every page action of intelligence through /api/v1: success, the field named on bad input, the
// page's permission, the report's status, and need-to-know compartments.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}
const tokens: Record<string, string> = {}

const REPORT = {
  text: 'A1234BC says the parcel comes Friday; his contact abroad is +353 87 123 4567, here 07700 900123.',
  occurredAt: '2026-11-20T14:30:00Z',
  sourceType: 'overheard',
  threatAreas: ['conveyance'],
  nominals: [{ prisonerNumber: 'A1234BC' }],
}

async function submitted(client: Client = as.reporter, body: Record<string, unknown> = REPORT) {
  const response = await client.post('/api/v1/intelligence-reports', body)
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

const act = (client: Client, ref: string, body: Record<string, unknown>) =>
  client.post(`/api/v1/intelligence-reports/${ref}/actions`, body)

const fieldsOf = (response: { json(): { errors?: { field: string }[] } }) =>
  (response.json().errors ?? []).map(e => e.field)

/** A call with a method the test client lacks (PUT, DELETE). */
const send = (method: 'PUT' | 'DELETE', url: string, username: string, payload?: object) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[username]}` }, payload })

before(async () => {
  t = await testApp()
  await importTestPrisoners(t.db, [prisonerRecord({ prisonerNumber: 'A1234BC', firstName: 'MO', lastName: 'HUSSAIN' })])
  for (const username of ['reporter', 'analyst', 'head-of-security', 'counter-corruption', 'auditor']) {
    tokens[username] = await t.token(username)
    as[username] = t.api(tokens[username])
  }
})
after(() => t?.close())

describe('the workflow through POST /api/v1/intelligence-reports/{ref}/actions', () => {
  it('starts an assessment and closes with no further action, each answering the new status', async () => {
    const ref = await submitted()
    const before = (await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).json()
    assert.deepEqual(before.actions, ['start-assessment'])

    const started = await act(as.analyst, ref, { action: 'start-assessment' })
    assert.equal(started.statusCode, 200, started.body)
    assert.deepEqual(started.json(), { ref, status: 'in-assessment' })
    const open = (await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).json()
    assert.deepEqual(open.actions, ['grade', 'no-further-action', 'link-to-existing'])

    const closed = await act(as.analyst, ref, { action: 'no-further-action', note: 'Nothing to act on' })
    assert.equal(closed.statusCode, 200, closed.body)
    assert.deepEqual(closed.json(), { ref, status: 'no-further-action' })
    assert.deepEqual((await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).json().actions, [])
  })

  it('links a report to an existing one', async () => {
    const [earlier, ref] = [await submitted(), await submitted()]
    await act(as.analyst, ref, { action: 'start-assessment' })
    const linked = await act(as.analyst, ref, { action: 'link-to-existing', note: 'Adds to it', linkedToRef: earlier })
    assert.equal(linked.statusCode, 200, linked.body)
    assert.deepEqual(linked.json(), { ref, status: 'linked-to-existing' })
  })

  it('names the field at fault: an unknown action, a missing reason, a missing report, an action with its own call', async () => {
    const ref = await submitted()
    await act(as.analyst, ref, { action: 'start-assessment' })
    const unknown = await act(as.analyst, ref, { action: 'shred' })
    assert.equal(unknown.statusCode, 400)
    assert.deepEqual(fieldsOf(unknown), ['action'])
    const noReason = await act(as.analyst, ref, { action: 'no-further-action' })
    assert.equal(noReason.statusCode, 400)
    assert.deepEqual(fieldsOf(noReason), ['note'])
    const noTarget = await act(as.analyst, ref, { action: 'link-to-existing', note: 'Adds to it' })
    assert.equal(noTarget.statusCode, 400)
    assert.deepEqual(fieldsOf(noTarget), ['linkedToRef'])
    const grade = await act(as.analyst, ref, { action: 'grade' })
    assert.equal(grade.statusCode, 400)
    assert.deepEqual(fieldsOf(grade), ['action'])
  })

  it('needs intelligence:assess (403), and a status that allows the action (409)', async () => {
    const ref = await submitted()
    assert.equal((await act(as.reporter, ref, { action: 'start-assessment' })).statusCode, 403)
    assert.equal((await act(as.auditor, ref, { action: 'start-assessment' })).statusCode, 403)
    const early = await act(as.analyst, ref, { action: 'no-further-action', note: 'Too soon' })
    assert.equal(early.statusCode, 409, early.body)
    assert.equal((await act(as.analyst, ref, { action: 'start-assessment' })).statusCode, 200)
    assert.equal((await act(as.analyst, ref, { action: 'start-assessment' })).statusCode, 409)
  })

  it('a report in a compartment the caller lacks is not found, whatever the action', async () => {
    const ref = await submitted(as['counter-corruption'], { ...REPORT, threatAreas: ['staff-corruption'] })
    assert.equal((await act(as.analyst, ref, { action: 'start-assessment' })).statusCode, 404)
    assert.equal(
      (await as.analyst.post(`/api/v1/intelligence-reports/${ref}/sanitised-text`, { sanitisedText: 'x' })).statusCode,
      404,
    )
    assert.equal((await as.analyst.get(`/api/v1/intelligence-reports/${ref}/readers`)).statusCode, 403)
    assert.equal((await as['head-of-security'].get(`/api/v1/intelligence-reports/${ref}/readers`)).statusCode, 404)
    const own = await act(as['counter-corruption'], ref, { action: 'start-assessment' })
    assert.equal(own.statusCode, 200, own.body)
  })
})

describe('the other page actions through the API', () => {
  it('sanitises: the new text, 400 naming sanitisedText, 403 without assess, 404 for no such report', async () => {
    const ref = await submitted()
    const url = `/api/v1/intelligence-reports/${ref}/sanitised-text`
    const saved = await as.analyst.post(url, { sanitisedText: 'A prisoner expects a parcel.' })
    assert.equal(saved.statusCode, 200, saved.body)
    assert.equal(saved.json().sanitisedText, 'A prisoner expects a parcel.')
    const blank = await as.analyst.post(url, { sanitisedText: ' ' })
    assert.equal(blank.statusCode, 400)
    assert.deepEqual(fieldsOf(blank), ['sanitisedText'])
    assert.equal((await as.reporter.post(url, { sanitisedText: 'x' })).statusCode, 403)
    const missing = '/api/v1/intelligence-reports/IR-MDI-2026-999999/sanitised-text'
    assert.equal((await as.analyst.post(missing, { sanitisedText: 'x' })).statusCode, 404)
  })

  it('decides a suggested entity; a do-not-link value cannot be accepted (409)', async () => {
    const ref = await submitted()
    const read = (await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).json()
    const phones = read.entities.filter((e: { type: string }) => e.type === 'phone')
    assert.deepEqual(phones.map((e: { value: string }) => e.value).sort(), ['+353871234567', '+447700900123'])
    const url = `/api/v1/intelligence-reports/${ref}/entity-decisions`
    const accepted = await as.analyst.post(url, { entityId: phones[0].id, decision: 'accepted' })
    assert.equal(accepted.statusCode, 200, accepted.body)
    const entity = accepted.json().entities.find((e: { id: number }) => e.id === phones[0].id)
    assert.equal(entity.status, 'accepted')
    const bad = await as.analyst.post(url, { entityId: phones[0].id, decision: 'maybe' })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fieldsOf(bad), ['decision'])
    assert.equal((await as.reporter.post(url, { entityId: phones[0].id, decision: 'accepted' })).statusCode, 403)

    const listed = await as['head-of-security'].post('/api/v1/intelligence-do-not-link', {
      type: 'phone',
      value: '+353 87 123 4567',
      reason: 'A helpline',
    })
    assert.equal(listed.statusCode, 201, listed.body)
    const irish = phones.find((e: { value: string }) => e.value === '+353871234567')
    const blocked = await as.analyst.post(url, { entityId: irish.id, decision: 'accepted' })
    assert.equal(blocked.statusCode, 409, blocked.body)
  })

  it('keeps the do-not-link list: add, list, remove; 400 naming the field; 403 for an analyst', async () => {
    const added = await as['head-of-security'].post('/api/v1/intelligence-do-not-link', {
      type: 'phone',
      value: '0800 123 4567',
      reason: 'Samaritans helpline',
    })
    assert.equal(added.statusCode, 201, added.body)
    const entry = added.json().values.find((v: { value: string }) => v.value === '+448001234567')
    assert.ok(entry)
    const again = await as['head-of-security'].post('/api/v1/intelligence-do-not-link', {
      type: 'phone',
      value: '0800 123 4567',
      reason: 'Twice',
    })
    assert.equal(again.statusCode, 400)
    assert.deepEqual(fieldsOf(again), ['value'])
    assert.equal((await as.analyst.get('/api/v1/intelligence-do-not-link')).statusCode, 403)
    const removed = await send('DELETE', `/api/v1/intelligence-do-not-link/${entry.id}`, 'head-of-security')
    assert.equal(removed.statusCode, 200, removed.body)
    assert.ok(!removed.json().values.some((v: { id: number }) => v.id === entry.id))
    const gone = await send('DELETE', `/api/v1/intelligence-do-not-link/${entry.id}`, 'head-of-security')
    assert.equal(gone.statusCode, 404)
  })

  it('sets the grading scheme; 400 naming gradingScheme; 403 for an analyst', async () => {
    const set = await send('PUT', '/api/v1/intelligence-settings', 'head-of-security', { gradingScheme: '5x5x5' })
    assert.equal(set.statusCode, 200, set.body)
    const read = await as['head-of-security'].get('/api/v1/intelligence-settings')
    assert.deepEqual(read.json(), { gradingScheme: '5x5x5' })
    const bad = await send('PUT', '/api/v1/intelligence-settings', 'head-of-security', { gradingScheme: '4x4' })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fieldsOf(bad), ['gradingScheme'])
    assert.equal(
      (await send('PUT', '/api/v1/intelligence-settings', 'analyst', { gradingScheme: '3x5x2' })).statusCode,
      403,
    )
    await send('PUT', '/api/v1/intelligence-settings', 'head-of-security', { gradingScheme: '3x5x2' })
  })

  it('lists who has read a report, for those who may see readers', async () => {
    const ref = await submitted()
    await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)
    const readers = await as['head-of-security'].get(`/api/v1/intelligence-reports/${ref}/readers`)
    assert.equal(readers.statusCode, 200, readers.body)
    assert.ok(readers.json().readers.some((r: { username: string }) => r.username === 'analyst'))
    assert.equal((await as.analyst.get(`/api/v1/intelligence-reports/${ref}/readers`)).statusCode, 403)
  })
})

describe('search through the API (issue 12, point 8)', () => {
  it('says when the words are too common to search for, and otherwise that they were searched', async () => {
    const common = (await as.analyst.get('/api/v1/intelligence-reports?q=the')).json()
    assert.deepEqual(
      { total: common.total, results: common.results, onlyCommonWords: common.onlyCommonWords },
      { total: 0, results: [], onlyCommonWords: true },
    )
    const searched = (await as.analyst.get('/api/v1/intelligence-reports?q=drone')).json()
    assert.equal(searched.onlyCommonWords, false)
  })
})

describe('a reporter’s own reports through /api/v1/me/intelligence-reports (issue 12)', () => {
  it('lists the caller’s reports and reads one as sent, with the person they named; another’s is not found', async () => {
    const ref = await submitted()
    const list = await as.reporter.get('/api/v1/me/intelligence-reports')
    assert.equal(list.statusCode, 200)
    assert.ok(list.json().results.some((r: { ref: string }) => r.ref === ref))

    const sent = await as.reporter.get(`/api/v1/me/intelligence-reports/${ref}`)
    assert.equal(sent.statusCode, 200, sent.body)
    assert.equal(sent.json().text, REPORT.text)
    assert.equal(sent.json().status, 'submitted')
    assert.deepEqual(
      sent.json().people.map((p: { ref: string }) => p.ref),
      ['A1234BC'],
    )
    const audited = await t.db
      .selectFrom('auditEvent')
      .select('details')
      .where('action', '=', 'intelligence.viewed')
      .where('subjectId', '=', ref)
      .execute()
    assert.ok(
      audited.some(e => (e.details as { asSent?: boolean }).asSent === true),
      'the read is audited',
    )

    assert.equal((await as.analyst.get(`/api/v1/me/intelligence-reports/${ref}`)).statusCode, 404)
    const bad = await as.reporter.get('/api/v1/me/intelligence-reports/not-a-ref')
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fieldsOf(bad), ['ref'])
  })
})
