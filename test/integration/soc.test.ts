import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { addMonths } from '../../src/modules/soc/rules.ts'
import { socService } from '../../src/modules/soc/service.ts'
import { londonToday } from '../../src/platform/deadlines/deadlines.ts'
import { type TestApp, testApp } from '../support/app.ts'
import { importTestPrisoners, prisonerRecord, TEST_IMPORTER } from '../support/fixtures.ts'

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}
const today = londonToday(new Date())
const SYSTEM = TEST_IMPORTER

/** A date as the GOV.UK date input sends it: day, month and year boxes. */
function dateBoxes(name: string, iso: string) {
  const [year, month, day] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

const prisoner = (prisonerNumber: string, firstName: string, lastName: string, extra: object = {}) =>
  prisonerRecord({
    prisonerNumber,
    firstName,
    lastName,
    dateOfBirth: '1985-01-01',
    gender: 'Male',
    ethnicity: 'White: Eng./Welsh/Scot./N.Irish/British',
    ...extra,
  })

async function cohortMember(prisonerNumber: string, decision: 'band-1' | 'band-2') {
  assert.equal(
    (
      await as.analyst.post('/api/v1/soc/nominations', {
        prisonerNumber,
        nominatedByType: 'prison',
        nominatorName: 'Security department',
        rationale: 'Directs supply on the wing',
      })
    ).statusCode,
    201,
  )
  const meeting = await as.socu.post('/api/v1/soc/meetings', {
    kind: 'cohort-selection',
    heldOn: today,
    attendees: ['SOCU', 'NIU', 'Prison security'],
  })
  const response = await as.socu.post(`/api/v1/soc/meetings/${meeting.json().ref}/decisions`, {
    prisonerNumber,
    decision,
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json()
}

before(async () => {
  t = await testApp()
  await importTestPrisoners(
    t.db,
    [
      prisoner('A1234BC', 'MOHAMMED', 'HUSSAIN', {
        releaseDate: addMonths(today, 8),
        sentenceStartDate: '2022-01-01',
        ethnicity: 'Asian/Asian British: Pakistani',
      }),
      prisoner('G4821KT', 'DANIEL', 'OKAFOR', {
        releaseDate: addMonths(today, 20),
        sentenceStartDate: '2023-01-01',
        pncNumber: '2012/0123456Y',
      }),
      prisoner('H1111HH', 'HARRY', 'SHORT', {
        releaseDate: addMonths(today, 4),
        sentenceStartDate: addMonths(today, -1),
      }),
      prisoner('C3333CC', 'KARL', 'BROWN', { prisonId: 'FNI', category: 'A' }),
      prisoner('D4444DD', 'ANDREI', 'POPESCU', { prisonId: 'WWI' }),
      prisoner('E5555EE', 'LEE', 'OUTSIDER'),
    ],
    'soc.json',
  )
  for (const username of ['analyst', 'socu', 'head-of-security', 'governor', 'reporter'])
    as[username] = t.api(await t.token(username))
})
after(() => t.close())

describe('nomination, selection and the clocks', () => {
  it('selects a Band 1 nominal at a meeting and names each clock', async () => {
    const nominal = await cohortMember('A1234BC', 'band-1')
    assert.equal(nominal.band, '1')
    assert.equal(nominal.status, 'selected')
    // SOC PF 4.39: release exactly 8 months away → notify today. 4.47: review in 3 months. 4.52: plan at 6 months.
    assert.equal(nominal.dueDates.socuCommunityNotification, today)
    assert.equal(nominal.dueDates.nextReview, addMonths(today, 3))
    assert.equal(nominal.dueDates.communityPlan, addMonths(addMonths(today, 8), -6))
    const list = (await as.socu.get('/api/v1/soc/nominals?band=1')).json()
    assert.deepEqual(
      list.results.map((n: { prisonerNumber: string }) => n.prisonerNumber),
      ['A1234BC'],
    )
  })

  it('notifies SOCU at once for a sentence under six months (SOC PF 4.39)', async () => {
    const nominal = await cohortMember('H1111HH', 'band-2')
    assert.equal(nominal.dueDates.socuCommunityNotification, today)
    assert.equal(nominal.dueDates.nextReview, addMonths(today, 1), 'Band 2: monthly (SOC PF 4.61)')
  })

  it('refuses a decision without a meeting, and a de-selection without a reason', async () => {
    await as.analyst.post('/api/v1/soc/nominations', {
      prisonerNumber: 'G4821KT',
      nominatedByType: 'law-enforcement',
      nominatorName: 'ROCU',
      rationale: 'Associate of Band 1',
    })
    const noMeeting = await as.socu.post('/api/v1/soc/meetings/SOCM-2026-9999/decisions', {
      prisonerNumber: 'G4821KT',
      decision: 'band-2',
    })
    assert.equal(noMeeting.statusCode, 400)
    assert.equal(noMeeting.json().errors[0].field, 'meetingRef')
    const meeting = (
      await as.socu.post('/api/v1/soc/meetings', {
        kind: 'cohort-selection',
        heldOn: today,
        attendees: ['SOCU', 'NIU'],
      })
    ).json()
    const noReason = await as.socu.post(`/api/v1/soc/meetings/${meeting.ref}/decisions`, {
      prisonerNumber: 'G4821KT',
      decision: 'not-selected',
    })
    assert.equal(noReason.json().errors[0].field, 'reason')
    const fewAttendees = await as.socu.post('/api/v1/soc/meetings', {
      kind: 'cohort-selection',
      heldOn: today,
      attendees: ['SOCU'],
    })
    assert.equal(fewAttendees.json().errors[0].field, 'attendees')
  })

  it('refuses a review dated before the nomination, and a trigger for someone not in the cohort', async () => {
    const socu = await t.signIn('socu')
    const early = await socu.post(
      '/soc/nominals/A1234BC/reviews',
      { ...dateBoxes('reviewedOn', '2020-01-01'), outcome: 'remain' },
      '/soc/nominals/A1234BC',
    )
    assert.equal(early.statusCode, 400)
    assert.match(early.body, /cannot be before the nomination/)
    const notInCohort = await as.analyst.post('/api/v1/soc/nominals/E5555EE/triggers', {
      code: 'cell-sharing',
      occurredOn: today,
      details: 'Moved in with A1234BC',
    })
    assert.equal(notInCohort.statusCode, 400)
    assert.match(notInCohort.json().errors[0].message, /SOC cohort only/)
  })

  it('flags a trigger on a Band 1 nominal to SOCU’s work list and home page', async () => {
    const response = await as.analyst.post('/api/v1/soc/nominals/A1234BC/triggers', {
      code: 'cell-sharing',
      occurredOn: today,
      details: 'Now sharing with G4821KT',
    })
    assert.equal(response.statusCode, 201)
    const socu = await t.signIn('socu')
    const page = await socu.get('/soc')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Now sharing with G4821KT/)
    assert.match((await socu.get('/')).body, /Trigger point for Band 1/)
  })

  it('lets only SOCU own Band 1 plans (SOC PF 4.41)', async () => {
    const action = {
      description: 'Restrict visits from associates',
      owner: 'SOCU North East',
      dueDate: addMonths(today, 1),
      tactic: 'restriction',
    }
    assert.equal(
      (await as['head-of-security'].post('/api/v1/soc/nominals/A1234BC/plan-actions', action)).statusCode,
      403,
    )
    assert.equal((await as.socu.post('/api/v1/soc/nominals/A1234BC/plan-actions', action)).statusCode, 201)
    assert.equal(
      (await as['head-of-security'].post('/api/v1/soc/nominals/H1111HH/plan-actions', action)).statusCode,
      201,
      'Band 2 is local',
    )
  })

  it('keeps plan details need-to-know and the cohort inside scope', async () => {
    const governor = await t.signIn('governor')
    const page = await governor.get('/soc/nominals/A1234BC')
    assert.equal(page.statusCode, 200)
    assert.doesNotMatch(page.body, /Restrict visits from associates/)
    assert.equal((await as.reporter.get('/api/v1/soc/nominals')).statusCode, 403)
    assert.equal((await as.analyst.get('/api/v1/soc/nominals/D4444DD')).statusCode, 404)
  })

  it('records a disruption and its moderation', async () => {
    const created = await as.analyst.post('/api/v1/soc/disruptions', {
      prisonerNumber: 'A1234BC',
      occurredOn: today,
      what: 'Phone seized; contacts identified',
      impact: 'moderate',
    })
    assert.equal(created.statusCode, 201)
    const socu = await t.signIn('socu')
    const moderated = await socu.post(
      `/soc/disruptions/${created.json().id}/moderation`,
      { moderation: 'confirmed', notes: 'Consistent with the NCA manual' },
      '/soc/disruptions',
    )
    assert.equal(moderated.statusCode, 303)
    const noWho = await as.analyst.post('/api/v1/soc/disruptions', { occurredOn: today, what: 'x', impact: 'minor' })
    assert.equal(noWho.statusCode, 400)
  })
})

describe('OCGM mapping and the OCG nominal flag (SOC PF 4.8)', () => {
  const csv = (rows: string[]) =>
    ['group_ref,group_name,significance,prison_number,pnc,name,date_of_birth,role', ...rows].join('\n')
  const flagged = async (prisonNumber: string) => {
    const response = await as.analyst.get(`/api/v1/prisoners/${prisonNumber}/alerts`)
    return response
      .json()
      .results.filter((a: { alertCode: string; isActive: boolean }) => a.alertCode === 'DOCGM' && a.isActive).length
  }

  it('matches on strong identifiers, lists the unmatched, reports bad lines, and adds the flag', async () => {
    const soc = socService(t.db)
    const result = await soc.importOcgm(SYSTEM, {
      fileName: 'ocgm.csv',
      text: csv([
        'OCG-001,Northside crew,High,A1234BC,,,,Principal',
        'OCG-001,Northside crew,High,,2012/0123456Y,,,Courier',
        'OCG-002,Harbour group,Medium,,,John Unknown,1980-05-05,Associate',
        'OCG-002,Harbour group,Medium,NOTANUMBER,,,,Associate',
      ]),
    })
    assert.equal(result.matched, 2)
    assert.deepEqual(
      result.unmatched.map(u => u.line),
      [4],
    )
    assert.deepEqual(
      result.rejected.map(r => r.line),
      [5],
    )
    assert.match(result.rejected[0].reasons[0], /prison_number NOTANUMBER/)
    assert.deepEqual(result.flagsAdded.sort(), ['A1234BC', 'G4821KT'])
    assert.equal(await flagged('A1234BC'), 1)
  })

  it('is idempotent, and closes the flag of someone no longer mapped', async () => {
    const soc = socService(t.db)
    const again = await soc.importOcgm(SYSTEM, {
      fileName: 'ocgm.csv',
      text: csv([
        'OCG-001,Northside crew,High,A1234BC,,,,Principal',
        'OCG-001,Northside crew,High,,2012/0123456Y,,,Courier',
      ]),
    })
    assert.deepEqual(again.flagsAdded, [])
    assert.deepEqual(again.flagsClosed, [])
    const dropped = await soc.importOcgm(SYSTEM, {
      fileName: 'ocgm-2.csv',
      text: csv(['OCG-001,Northside crew,High,A1234BC,,,,Principal']),
    })
    assert.deepEqual(dropped.flagsClosed, ['G4821KT'])
    assert.equal(await flagged('G4821KT'), 0)
    assert.equal(await flagged('A1234BC'), 1)
  })

  it('refuses a file without the required columns', async () => {
    await assert.rejects(
      socService(t.db).importOcgm(SYSTEM, { fileName: 'x.csv', text: 'a,b\n1,2' }),
      /group_ref, group_name/,
    )
  })
})

describe('equality dip sample (SOC PF 5.5)', () => {
  it('compares the cohort with the population by a protected characteristic', async () => {
    const socu = await t.signIn('socu')
    const page = await socu.get('/soc/dip-samples?scope=MDI&characteristic=ethnicity')
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /Asian\/Asian British: Pakistani/)
    const recorded = await socu.post(
      '/soc/dip-samples',
      { scope: 'MDI', characteristic: 'ethnicity', correctiveAction: 'None needed: numbers too small' },
      '/soc/dip-samples',
    )
    assert.equal(recorded.statusCode, 303)
    const row = await t.db.selectFrom('socDipSample').selectAll().executeTakeFirstOrThrow()
    assert.ok(Array.isArray(row.rows) && row.rows.length >= 1)
    const outside = await socu.get('/soc/dip-samples?scope=WWI&characteristic=ethnicity')
    assert.equal(outside.statusCode, 400, 'WWI is outside the SOCU officer’s region')
  })
})

describe('release hand-off', () => {
  it('stops the notification clock once the SOCU community team is told', async () => {
    const socu = await t.signIn('socu')
    const before = (await as.socu.get('/api/v1/soc/nominals/A1234BC')).json()
    assert.ok(before.dueDates.socuCommunityNotification)
    const future = await socu.post(
      '/soc/nominals/A1234BC/milestones',
      { milestone: 'community-notified', ...dateBoxes('on', '2099-01-01') },
      '/soc/nominals/A1234BC',
    )
    assert.equal(future.statusCode, 400)
    assert.match(future.body, /cannot be in the future/)
    const recorded = await socu.post(
      '/soc/nominals/A1234BC/milestones',
      { milestone: 'community-notified', ...dateBoxes('on', today) },
      '/soc/nominals/A1234BC',
    )
    assert.equal(recorded.statusCode, 303)
    const after = (await as.socu.get('/api/v1/soc/nominals/A1234BC')).json()
    assert.equal(after.dueDates.socuCommunityNotification, undefined)
    assert.ok(after.dueDates.communityPlan, 'the plan is still due')
  })
})

describe('dates on the GOV.UK date input (day, month, year)', () => {
  const nominal = '/soc/nominals/A1234BC'

  /** The message names the part, the error summary links to its box, and the box is marked as the one to fix. */
  function assertPartError(body: string, box: string, message: RegExp) {
    assert.match(body, message)
    assert.match(body, new RegExp(`href="#${box}"`), `the error summary links to #${box}`)
    assert.match(body, new RegExp(`govuk-input--error"[^>]*id="${box}"`), `#${box} is marked`)
  }

  it('shows the error and the typed boxes on the one nominal form that failed', async () => {
    const socu = await t.signIn('socu')
    const review = await socu.post(
      `${nominal}/reviews`,
      { 'reviewedOn-day': '3', 'reviewedOn-month': '', 'reviewedOn-year': '2026', outcome: 'remain' },
      nominal,
    )
    assert.equal(review.statusCode, 400)
    assertPartError(review.body, 'reviewedOn-month', /The date of the review must include a month/)
    assert.match(review.body, /name="reviewedOn-day"[^>]*value="3"/)
    assert.doesNotMatch(review.body, /name="dueDate-day"[^>]*value="3"/, 'the other forms keep their own boxes')

    const action = await socu.post(
      `${nominal}/actions`,
      {
        description: 'Restrict visits',
        owner: 'SOCU',
        'dueDate-day': '31',
        'dueDate-month': '2',
        'dueDate-year': '2027',
        tactic: 'restriction',
      },
      nominal,
    )
    assert.equal(action.statusCode, 400)
    assertPartError(action.body, 'dueDate-day', /The due date must be a real date/)
    assert.match(action.body, /name="dueDate-month"[^>]*value="2"/)

    const milestone = await socu.post(
      `${nominal}/milestones`,
      { milestone: 'community-notified', 'on-day': '', 'on-month': '', 'on-year': '' },
      nominal,
    )
    assert.equal(milestone.statusCode, 400)
    assertPartError(milestone.body, 'on-day', /Enter the date it was done/)

    const trigger = await (await t.signIn('analyst')).post(
      `${nominal}/triggers`,
      { code: 'cell-sharing', 'occurredOn-day': '1', 'occurredOn-month': '1', 'occurredOn-year': '26', details: 'x' },
      nominal,
    )
    assert.equal(trigger.statusCode, 400)
    assertPartError(trigger.body, 'occurredOn-year', /must include a year with 4 numbers/)
  })

  it('names the wrong part of the dates of meetings, disruptions and visits', async () => {
    const socu = await t.signIn('socu')
    const meeting = await socu.post(
      '/soc/meetings',
      { kind: 'cohort-selection', 'heldOn-day': '', 'heldOn-month': '11', 'heldOn-year': '', attendees: 'SOCU\nNIU' },
      '/soc/meetings',
    )
    assert.equal(meeting.statusCode, 400)
    assertPartError(meeting.body, 'heldOn-day', /The date of the meeting must include a day and year/)
    assert.match(meeting.body, /name="heldOn-month"[^>]*value="11"/)
    const held = await socu.post(
      '/soc/meetings',
      { kind: 'cohort-selection', ...dateBoxes('heldOn', today), attendees: 'SOCU\nNIU' },
      '/soc/meetings',
    )
    assert.equal(held.statusCode, 303)

    const disruption = await (await t.signIn('analyst')).post(
      '/soc/disruptions',
      {
        prisonerNumber: 'A1234BC',
        'occurredOn-day': '5',
        'occurredOn-month': '',
        'occurredOn-year': '2026',
        what: 'Phone seized',
        impact: 'minor',
      },
      '/soc/disruptions',
    )
    assert.equal(disruption.statusCode, 400)
    assertPartError(disruption.body, 'occurredOn-month', /The date of the disruption must include a month/)

    const visit = await socu.post(
      '/soc/visits',
      {
        establishmentCode: 'MDI',
        'visitedOn-day': 'x',
        'visitedOn-month': '1',
        'visitedOn-year': '2026',
        findings: 'x',
      },
      '/soc/visits',
    )
    assert.equal(visit.statusCode, 400)
    assertPartError(visit.body, 'visitedOn-day', /The date of the visit must be a real date/)
  })
})
