import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addMonths } from '../../src/modules/soc/rules.ts'
import { londonToday } from '../../src/platform/deadlines/deadlines.ts'
import { type TestApp, testApp } from '../support/app.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

// The JSON twin of every SOC page action: success, 400 naming the field, 403 without the permission, and 404 or
// 409 where the record's state does not allow it. A look outside scope is audited as soc.view-denied.

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}
const today = londonToday(new Date())
const firstError = (response: { json(): { errors: { field: string }[] } }) => response.json().errors[0].field

before(async () => {
  t = await testApp()
  await importTestPrisoners(t.db, [
    prisonerRecord({
      prisonerNumber: 'A1111AA',
      firstName: 'ALAN',
      lastName: 'BANDONE',
      releaseDate: addMonths(today, 20),
      sentenceStartDate: '2022-01-01',
      ethnicity: 'White: British',
    }),
    prisonerRecord({ prisonerNumber: 'B2222BB', firstName: 'BILL', lastName: 'BANDTWO', pncNumber: '2012/0123456Y' }),
    prisonerRecord({ prisonerNumber: 'C3333CC', firstName: 'CARL', lastName: 'NOTSELECTED' }),
    prisonerRecord({ prisonerNumber: 'D4444DD', firstName: 'DAN', lastName: 'DESELECTED' }),
    prisonerRecord({ prisonerNumber: 'F5555FF', firstName: 'FRED', lastName: 'FARAWAY', prisonId: 'FNI' }),
    prisonerRecord({ prisonerNumber: 'G6666GG', firstName: 'GARY', lastName: 'UNMAPPED' }),
  ])
  for (const username of ['analyst', 'socu', 'head-of-security', 'reporter'])
    as[username] = t.api(await t.token(username))
})
after(() => t.close())

async function nominate(prisonerNumber: string, client = as.analyst) {
  const response = await client.post('/api/v1/soc/nominations', {
    prisonerNumber,
    nominatedByType: 'prison',
    nominatorName: 'Security department',
    rationale: 'Directs supply on the wing',
  })
  assert.equal(response.statusCode, 201, response.body)
}

async function meeting(extra: Record<string, unknown> = {}) {
  const response = await as.socu.post('/api/v1/soc/meetings', {
    kind: 'cohort-selection',
    heldOn: today,
    attendees: ['SOCU', 'NIU'],
    ...extra,
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

const audited = (action: string, subjectId: string) =>
  t.db
    .selectFrom('auditEvent')
    .select(['actorUsername', 'subjectType'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .execute()

describe('cohort decisions through the API', () => {
  it('reaches every kind of decision: Band 1, Band 2, not selected and de-selected', async () => {
    for (const prisonerNumber of ['A1111AA', 'B2222BB', 'C3333CC', 'D4444DD']) await nominate(prisonerNumber)
    const ref = await meeting()
    const decide = (body: Record<string, unknown>) => as.socu.post(`/api/v1/soc/meetings/${ref}/decisions`, body)
    assert.equal((await decide({ prisonerNumber: 'A1111AA', decision: 'band-1' })).json().band, '1')
    assert.equal((await decide({ prisonerNumber: 'B2222BB', decision: 'band-2' })).json().band, '2')
    const notSelected = await decide({ prisonerNumber: 'C3333CC', decision: 'not-selected', reason: 'Not evidenced' })
    assert.equal(notSelected.statusCode, 201)
    assert.equal(notSelected.json().status, 'not-selected')
    const early = await decide({ prisonerNumber: 'D4444DD', decision: 'de-selected', reason: 'No longer active' })
    assert.equal(early.statusCode, 400, 'only someone in the cohort is de-selected')
    assert.equal(firstError(early), 'decision')
    await decide({ prisonerNumber: 'D4444DD', decision: 'band-2' })
    const deselected = await decide({ prisonerNumber: 'D4444DD', decision: 'de-selected', reason: 'No longer active' })
    assert.equal(deselected.statusCode, 201)
    assert.equal(deselected.json().status, 'de-selected')
    assert.equal(firstError(await decide({ prisonerNumber: 'A1111AA', decision: 'promoted' })), 'decision')
    assert.equal((await as.analyst.post(`/api/v1/soc/meetings/${ref}/decisions`, {})).statusCode, 403)
  })

  it('reads a meeting with its decisions, and lists meetings', async () => {
    const [latest] = (await as.socu.get('/api/v1/soc/meetings')).json().results
    const read = await as.analyst.get(`/api/v1/soc/meetings/${latest.ref}`)
    assert.equal(read.statusCode, 200)
    assert.deepEqual(
      read.json().decisions.map((d: { decision: string }) => d.decision),
      ['band-1', 'band-2', 'not-selected', 'band-2', 'de-selected'],
    )
    assert.equal((await as.analyst.get('/api/v1/soc/meetings/SOCM-2000-0001')).statusCode, 404)
    assert.equal((await as.reporter.get(`/api/v1/soc/meetings/${latest.ref}`)).statusCode, 403)
  })
})

describe('case management through the API', () => {
  it('records a review: Band 1 is SOCU’s, the date is checked, and only a cohort member is reviewed', async () => {
    const review = { reviewedOn: today, outcome: 'remain' }
    const recorded = await as.socu.post('/api/v1/soc/nominals/A1111AA/reviews', review)
    assert.equal(recorded.statusCode, 201, recorded.body)
    assert.deepEqual(recorded.json(), { kind: 'band-1-quarterly', lastReview: today })
    assert.equal((await as['head-of-security'].post('/api/v1/soc/nominals/A1111AA/reviews', review)).statusCode, 403)
    assert.equal((await as.analyst.post('/api/v1/soc/nominals/B2222BB/reviews', review)).statusCode, 403)
    const noDate = await as.socu.post('/api/v1/soc/nominals/A1111AA/reviews', { outcome: 'remain' })
    assert.equal(noDate.statusCode, 400)
    assert.equal(firstError(noDate), 'reviewedOn')
    assert.equal((await as.socu.post('/api/v1/soc/nominals/G6666GG/reviews', review)).statusCode, 404)
  })

  it('adds a plan action and completes it', async () => {
    const added = await as['head-of-security'].post('/api/v1/soc/nominals/B2222BB/plan-actions', {
      description: 'Monthly cell search',
      owner: 'Security department',
      dueDate: addMonths(today, 1),
      tactic: 'disruption',
    })
    assert.equal(added.statusCode, 201, added.body)
    const url = `/api/v1/soc/nominals/B2222BB/plan-actions/${added.json().id}`
    const done = await as['head-of-security'].post(url, { status: 'done' })
    assert.equal(done.statusCode, 200, done.body)
    assert.deepEqual(done.json(), { id: added.json().id, status: 'done' })
    assert.equal(firstError(await as['head-of-security'].post(url, { status: 'finished' })), 'status')
    assert.equal((await as.analyst.post(url, { status: 'done' })).statusCode, 403)
    const unknown = await as['head-of-security'].post('/api/v1/soc/nominals/B2222BB/plan-actions/999999', {
      status: 'done',
    })
    assert.equal(unknown.statusCode, 404)
  })

  it('records the release hand-off steps', async () => {
    const url = '/api/v1/soc/nominals/A1111AA/milestones'
    const notified = await as.socu.post(url, { milestone: 'community-notified', on: today })
    assert.equal(notified.statusCode, 200, notified.body)
    assert.equal(notified.json().communityNotifiedOn, today)
    const agreed = await as.socu.post(url, { milestone: 'community-plan-agreed', on: today })
    assert.equal(agreed.json().communityPlanAgreedOn, today)
    assert.equal(firstError(await as.socu.post(url, { milestone: 'community-notified', on: '2099-01-01' })), 'on')
    assert.equal((await as.analyst.post(url, { milestone: 'community-notified', on: today })).statusCode, 403)
    const notInCohort = await as.socu.post('/api/v1/soc/nominals/C3333CC/milestones', {
      milestone: 'community-notified',
      on: today,
    })
    assert.equal(notInCohort.statusCode, 400)
    assert.equal(firstError(notInCohort), 'milestone')
  })

  it('puts a trigger point on SOCU’s work list until SOCU has seen it', async () => {
    const trigger = await as.analyst.post('/api/v1/soc/nominals/A1111AA/triggers', {
      code: 'cell-sharing',
      occurredOn: today,
      details: 'Now sharing with B2222BB',
    })
    assert.equal(trigger.statusCode, 201, trigger.body)
    const { id } = trigger.json()
    const list = await as.socu.get('/api/v1/soc/work-list')
    assert.equal(list.statusCode, 200)
    assert.ok(list.json().results.some((r: { id: number }) => r.id === id))
    assert.equal((await as.analyst.get('/api/v1/soc/work-list')).statusCode, 403)
    assert.equal((await as.analyst.post(`/api/v1/soc/triggers/${id}/seen`, {})).statusCode, 403)
    const seen = await as.socu.post(`/api/v1/soc/triggers/${id}/seen`, {})
    assert.equal(seen.statusCode, 200, seen.body)
    assert.ok(!(await as.socu.get('/api/v1/soc/work-list')).json().results.some((r: { id: number }) => r.id === id))
    assert.equal((await as.socu.post('/api/v1/soc/triggers/999999/seen', {})).statusCode, 404)
    const noCode = await as.analyst.post('/api/v1/soc/nominals/A1111AA/triggers', { occurredOn: today, details: 'x' })
    assert.equal(firstError(noCode), 'code')
  })
})

describe('disruptions through the API', () => {
  it('moderates a disruption once', async () => {
    const created = await as.analyst.post('/api/v1/soc/disruptions', {
      prisonerNumber: 'A1111AA',
      occurredOn: today,
      what: 'Phone seized; contacts identified',
      impact: 'moderate',
    })
    assert.equal(created.statusCode, 201)
    const url = `/api/v1/soc/disruptions/${created.json().id}/moderation`
    assert.equal((await as.analyst.post(url, { moderation: 'confirmed' })).statusCode, 403)
    assert.equal(firstError(await as.socu.post(url, { moderation: 'maybe' })), 'moderation')
    const moderated = await as.socu.post(url, { moderation: 'downgraded', moderatedImpact: 'minor' })
    assert.equal(moderated.statusCode, 200, moderated.body)
    assert.equal(moderated.json().moderation, 'downgraded')
    assert.equal((await as.socu.post(url, { moderation: 'confirmed' })).statusCode, 409)
    const unknown = await as.socu.post('/api/v1/soc/disruptions/00000000-0000-4000-8000-000000000000/moderation', {
      moderation: 'confirmed',
    })
    assert.equal(unknown.statusCode, 404)
  })
})

describe('OCGM mapping through the API', () => {
  const csv = [
    'group_ref,group_name,significance,prison_number,pnc,name,date_of_birth,role',
    'OCG-001,Northside crew,High,A1111AA,,,,Principal',
    'OCG-001,Northside crew,High,,2012/0123456Y,,,Courier',
    'OCG-002,Harbour group,Medium,,,John Unknown,1980-05-05,Associate',
    'OCG-002,Harbour group,Medium,NOTANUMBER,,,,Associate',
  ].join('\n')

  it('imports the mapping, names bad lines, and lets a person resolve the unmatched', async () => {
    const imported = await as.socu.post('/api/v1/soc/ocgm-imports', { fileName: 'ocgm.csv', csv })
    assert.equal(imported.statusCode, 201, imported.body)
    const result = imported.json()
    assert.equal(result.matched, 2)
    assert.deepEqual(result.rejected, [{ line: 5, reasons: ['prison_number NOTANUMBER is not a prison number'] }])
    assert.deepEqual(result.flagsAdded.sort(), ['A1111AA', 'B2222BB'])
    assert.equal(result.unmatched[0].line, 4)

    const noColumns = await as.socu.post('/api/v1/soc/ocgm-imports', { fileName: 'x.csv', csv: 'a,b\n1,2' })
    assert.equal(noColumns.statusCode, 400)
    assert.equal(firstError(noColumns), 'file')
    assert.equal(firstError(await as.socu.post('/api/v1/soc/ocgm-imports', { fileName: 'x.csv' })), 'csv')
    assert.equal((await as.analyst.post('/api/v1/soc/ocgm-imports', { fileName: 'ocgm.csv', csv })).statusCode, 403)

    const [member] = await t.db.selectFrom('socGroupMember').select('id').where('nominalId', 'is', null).execute()
    const url = `/api/v1/soc/ocgm-members/${member.id}/resolve`
    assert.equal(firstError(await as.socu.post(url, { prisonerNumber: 'nonsense' })), 'prisonerNumber')
    assert.equal((await as.analyst.post(url, { prisonerNumber: 'G6666GG' })).statusCode, 403)
    const resolved = await as.socu.post(url, { prisonerNumber: 'G6666GG' })
    assert.equal(resolved.statusCode, 200, resolved.body)
    assert.deepEqual(resolved.json(), { added: ['G6666GG'], closed: [] })
    assert.equal((await as.socu.post(url, { prisonerNumber: 'G6666GG' })).statusCode, 409)
    assert.equal(
      (await as.socu.post('/api/v1/soc/ocgm-members/999999/resolve', { prisonerNumber: 'G6666GG' })).statusCode,
      404,
    )
  })
})

describe('equality dip samples and assurance visits through the API', () => {
  it('takes and records a dip sample', async () => {
    const taken = await as.socu.post('/api/v1/soc/dip-samples', { scope: 'MDI', characteristic: 'ethnicity' })
    assert.equal(taken.statusCode, 201, taken.body)
    assert.ok(taken.json().rows.some((r: { group: string }) => r.group === 'White: British'))
    const ages = await as.socu.post('/api/v1/soc/dip-samples', { scope: 'MDI', characteristic: 'age-band' })
    assert.deepEqual(
      ages.json().rows.map((r: { group: string }) => r.group),
      ['35 to 49'],
      'everyone here was born in 1985',
    )
    assert.equal(firstError(await as.socu.post('/api/v1/soc/dip-samples', { scope: 'MDI' })), 'characteristic')
    const outside = await as.socu.post('/api/v1/soc/dip-samples', { scope: 'WWI', characteristic: 'ethnicity' })
    assert.equal(firstError(outside), 'scope')
    const noPermission = await as.analyst.post('/api/v1/soc/dip-samples', { scope: 'MDI', characteristic: 'sex' })
    assert.equal(noPermission.statusCode, 403)
  })

  it('records an assurance visit', async () => {
    const visit = { establishmentCode: 'MDI', visitedOn: today, findings: 'Triggers flagged promptly' }
    assert.equal((await as.socu.post('/api/v1/soc/visits', visit)).statusCode, 201)
    assert.equal(firstError(await as.socu.post('/api/v1/soc/visits', { ...visit, findings: '' })), 'findings')
    assert.equal(
      firstError(await as.socu.post('/api/v1/soc/visits', { ...visit, establishmentCode: 'WWI' })),
      'establishmentCode',
    )
    assert.equal((await as.analyst.post('/api/v1/soc/visits', visit)).statusCode, 403)
  })
})

describe('a look outside scope (soc.view-denied)', () => {
  it('answers 404 for a nominal held elsewhere, and audits the look', async () => {
    await nominate('F5555FF', as.socu)
    const api = await as.analyst.get('/api/v1/soc/nominals/F5555FF')
    assert.equal(api.statusCode, 404)
    const page = await (await t.signIn('analyst')).get('/soc/nominals/F5555FF')
    assert.equal(page.statusCode, 404)
    const events = await audited('soc.view-denied', 'F5555FF')
    assert.deepEqual(
      events.map(e => [e.actorUsername, e.subjectType]),
      [
        ['analyst', 'soc-nominal'],
        ['analyst', 'soc-nominal'],
      ],
    )
    assert.equal((await as.analyst.get('/api/v1/soc/nominals/G6666GG')).statusCode, 404)
    assert.deepEqual(await audited('soc.view-denied', 'G6666GG'), [], 'not a SOC nominal: nothing to deny')
  })

  it('answers 404 for a meeting of a prison outside scope, and audits the look', async () => {
    const ref = await meeting({ establishmentCode: 'FNI' })
    assert.equal((await as.socu.get(`/api/v1/soc/meetings/${ref}`)).statusCode, 200)
    assert.equal((await as.analyst.get(`/api/v1/soc/meetings/${ref}`)).statusCode, 404)
    const events = await audited('soc.view-denied', ref)
    assert.deepEqual(
      events.map(e => [e.actorUsername, e.subjectType]),
      [['analyst', 'soc-meeting']],
    )
  })
})
