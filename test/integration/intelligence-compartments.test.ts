import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

// Counter-terrorism intelligence is need-to-know (DESIGN.md, "Who uses it": "Need-to-know compartments (staff
// corruption, covert human intelligence sources, counter-terrorism) cut across roles: without the compartment a
// record does not exist for that user — not in lists, search, counts or exports"). SMS spec 11: the MOU NOMS/PREVENT
// "provides instruction on the management of intelligence regarding extremism and radicalisation within prisons".

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}

const report = (overrides: Record<string, unknown> = {}) => ({
  text: 'Open report: G4821KT was seen in the gym with a group from C wing.',
  occurredAt: '2026-11-20T14:30:00Z',
  sourceType: 'own-observation',
  threatAreas: ['violence-disorder'],
  nominals: [{ prisonerNumber: 'G4821KT' }],
  ...overrides,
})

async function submit(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/intelligence-reports', body)
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

before(async () => {
  t = await testApp()
  const people = [
    { prisonerNumber: 'G4821KT', firstName: 'DANIEL', lastName: 'OKAFOR', dateOfBirth: '1990-01-01', prisonId: 'MDI' },
    { prisonerNumber: 'C3333CC', firstName: 'KARL', lastName: 'BROWN', dateOfBirth: '1991-02-02', prisonId: 'MDI' },
  ]
  await importTestPrisoners(t.db, people.map(prisonerRecord), 'compartments-test.json')
  // `ct-analyst` is the demo analyst cleared for the counter-terrorism compartment (src/demo/users.ts).
  for (const username of ['reporter', 'analyst', 'head-of-security', 'auditor', 'ct-analyst']) {
    as[username] = t.api(await t.token(username))
  }
})
after(() => t.close())

/** Everything a reader without the compartment could use to learn that a report exists. */
async function assertInvisible(username: string, ref: string, marker: string, phoneDigits: string) {
  const session = await t.signIn(username)
  const client = as[username]
  const apiRead = await client.get(`/api/v1/intelligence-reports/${ref}`)
  const neverIssued = await client.get('/api/v1/intelligence-reports/IR-MDI-2026-999999')
  assert.equal(apiRead.statusCode, 404, `${username}: API read`)
  assert.equal(apiRead.json().detail, neverIssued.json().detail)
  assert.equal((await session.get(`/intelligence/reports/${ref}`)).statusCode, 404, `${username}: page`)
  // Lists and counts.
  assert.doesNotMatch((await session.get('/intelligence/queue')).body, new RegExp(ref))
  const search = (await client.get(`/api/v1/intelligence-reports?q=${marker}`)).json()
  assert.equal(search.total, 0, `${username}: search count`)
  assert.deepEqual(search.results, [])
  const byArea = (await client.get('/api/v1/intelligence-reports?threatArea=extremism')).json()
  assert.ok(!byArea.results.some((r: { ref: string }) => r.ref === ref), `${username}: filter by threat area`)
  assert.doesNotMatch((await session.get(`/intelligence/search?q=${marker}`)).body, new RegExp(ref))
  // Related reports, the profile panel, the network.
  const open = (await client.get('/api/v1/intelligence-reports?nominal=G4821KT')).json()
  assert.ok(open.total > 0, 'the open report about the same person is found')
  for (const result of open.results) {
    assert.notEqual(result.ref, ref)
    const related = (await client.get(`/api/v1/intelligence-reports/${result.ref}`)).json().related
    assert.ok(!related.some((r: { ref: string }) => r.ref === ref), `${username}: related to ${result.ref}`)
  }
  const profile = await session.get('/people/G4821KT')
  assert.equal(profile.statusCode, 200)
  assert.doesNotMatch(profile.body, new RegExp(ref))
  assert.doesNotMatch(profile.body, new RegExp(phoneDigits))
  const network = await session.get('/intelligence/network/G4821KT')
  assert.equal(network.statusCode, 200)
  assert.doesNotMatch(network.body, new RegExp(phoneDigits))
  assert.doesNotMatch(network.body, new RegExp(ref))
}

describe('counter-terrorism intelligence does not exist outside its compartment', () => {
  const MARKER = 'quixoticpangolin'
  let ref: string

  before(async () => {
    ref = await submit(as.reporter, {
      text: `G4821KT handed leaflets to younger prisoners in the library. Code word ${MARKER}. Phone 07700 900556.`,
      occurredAt: '2026-11-19T09:00:00Z',
      sourceType: 'own-observation',
      threatAreas: ['extremism'],
      nominals: [{ prisonerNumber: 'G4821KT' }],
    })
    const linked = await as['ct-analyst'].post(`/api/v1/intelligence-reports/${ref}/links`, {
      entities: [{ type: 'phone', value: '07700 900556' }],
    })
    assert.equal(linked.statusCode, 200, linked.body)
    // An open report about the same person, so a leak through correlation would show.
    await submit(as.reporter, report())
  })

  it('the compartment holder sees it', async () => {
    const read = await as['ct-analyst'].get(`/api/v1/intelligence-reports/${ref}`)
    assert.equal(read.statusCode, 200)
    assert.match(read.json().text, new RegExp(MARKER))
    assert.equal(read.json().compartment, 'counter-terrorism')
    assert.match((await (await t.signIn('ct-analyst')).get('/intelligence/queue')).body, new RegExp(ref))
  })

  it('an analyst and the head of security cannot learn by any route that it exists', async () => {
    await assertInvisible('analyst', ref, MARKER, '900556')
    await assertInvisible('head-of-security', ref, MARKER, '900556')
    // Actions on it are not found either.
    const grading = { scheme: '3x5x2', source: '1', intelligence: 'A', handling: 'P' }
    assert.equal((await as.analyst.post(`/api/v1/intelligence-reports/${ref}/grading`, grading)).statusCode, 404)
  })

  it('nor can an auditor without the compartment find it in the audit trail', async () => {
    const auditor = await t.signIn('auditor')
    const page = await auditor.get(`/audit?subjectId=${ref}`)
    assert.match(page.body, /0 events/)
    const events = (await as.auditor.get(`/api/v1/audit-events?subjectId=${ref}`)).json()
    assert.equal(events.total, 0)
    assert.equal((await as.auditor.get(`/api/v1/intelligence-reports/${ref}`)).statusCode, 404)
  })
})

describe('an analyst restricts a report to counter-terrorism at triage', () => {
  const MARKER = 'velvetmarmoset'

  it('names what is missing, then hides the report from everyone outside the compartment', async () => {
    const ref = await submit(as.reporter, report({ text: `C3333CC and G4821KT talked about ${MARKER} on the wing.` }))
    const analyst = await t.signIn('analyst')
    const path = `/intelligence/reports/${ref}`
    assert.match((await analyst.get(path)).body, /data-qa="restrict-form"/)

    const empty = await analyst.post(`${path}/compartment`, {}, path)
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /Select who needs to know/)
    assert.match(empty.body, /Enter why only they need to know/)
    assert.match(empty.body, /href="#compartment"/)

    const restricted = await analyst.post(
      `${path}/compartment`,
      { compartment: 'counter-terrorism', reason: 'Talk of radicalising others: for the CT lead' },
      path,
    )
    assert.equal(restricted.statusCode, 303)
    assert.equal(restricted.headers.location, '/intelligence/queue', 'the analyst can no longer open it')

    await assertInvisible('analyst', ref, MARKER, 'no-phone-here')
    const held = await as['ct-analyst'].get(`/api/v1/intelligence-reports/${ref}`)
    assert.equal(held.statusCode, 200)
    assert.equal(held.json().compartment, 'counter-terrorism')
    const decision = await t.db
      .selectFrom('auditEvent')
      .select(['actorUsername', 'compartment', 'details'])
      .where('action', '=', 'intelligence.restricted')
      .where('subjectId', '=', ref)
      .executeTakeFirstOrThrow()
    assert.equal(decision.actorUsername, 'analyst')
    assert.equal(decision.compartment, 'counter-terrorism', 'the decision is as need-to-know as the report')
    assert.deepEqual(decision.details, {
      compartment: 'counter-terrorism',
      reason: 'Talk of radicalising others: for the CT lead',
    })
    // Its earlier events (submitted, viewed) were open when written, and the chain keeps them as they were: the
    // audit trail hides every event of a subject that has gone into a compartment the reader lacks.
    const auditor = await t.signIn('auditor')
    assert.match((await auditor.get(`/audit?subjectId=${ref}`)).body, /0 events/)
    assert.equal((await as.auditor.get(`/api/v1/audit-events?subjectId=${ref}`)).json().total, 0)
    const written = await t.db
      .selectFrom('auditEvent')
      .select('action')
      .where('subjectId', '=', ref)
      .where('compartment', 'is', null)
      .execute()
    assert.ok(
      written.some(event => event.action === 'intelligence.submitted'),
      'the open events are kept, only hidden',
    )
  })

  it('through the API too, once: a restricted report stays where it is', async () => {
    const ref = await submit(as.reporter, report())
    const url = `/api/v1/intelligence-reports/${ref}/compartment`
    const missing = await as['ct-analyst'].post(url, { compartment: 'chis' })
    assert.equal(missing.statusCode, 400)
    assert.deepEqual(
      missing.json().errors.map((e: { field: string }) => e.field),
      ['compartment', 'reason'],
    )
    assert.equal((await as.reporter.post(url, { compartment: 'counter-terrorism', reason: 'x' })).statusCode, 403)
    const done = await as['ct-analyst'].post(url, { compartment: 'counter-terrorism', reason: 'Extremist material' })
    assert.equal(done.statusCode, 200, done.body)
    assert.deepEqual(done.json(), { ref, compartment: 'counter-terrorism', stillVisible: true })
    const again = await as['ct-analyst'].post(url, { compartment: 'staff-corruption', reason: 'Second thoughts' })
    assert.equal(again.statusCode, 400)
    assert.match(again.json().errors[0].message, /already restricted to the counter-terrorism compartment/)
    assert.equal((await as.analyst.post(url, { compartment: 'staff-corruption', reason: 'x' })).statusCode, 404)
  })
})
