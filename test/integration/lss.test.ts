import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { usersService } from '../../src/platform/users/service.ts'
import { type TestApp, testApp } from '../support/app.ts'
import { TEST_IMPORTER } from '../support/fixtures.ts'

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}

const text = (procedures: string) => ({
  aimAndPurpose: 'To stop illicit items being conveyed into the prison.',
  nationalReference: 'NSF 6.3',
  localReference: 'LSS-CON-01',
  procedures,
})

/** A date as the GOV.UK date input sends it: day, month and year boxes. */
function dateBoxes(name: string, iso: string) {
  const [year, month, day] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

async function instruction(client: Client, title = `Gate searching ${Math.random().toString(36).slice(2, 7)}`) {
  const response = await client.post('/api/v1/lss/instructions', {
    riskArea: 'conveyance',
    title,
    owner: 'Head of Operations',
    ...text('Search one in five.'),
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json().id as string
}

async function propose(client: Client, instructionId: string, body: Record<string, unknown> = {}) {
  return client.post('/api/v1/lss/amendments', {
    instructionId,
    ...text(`Search one in three. ${Math.random()}`),
    change: 'More searching at the gate',
    reasoning: 'Finds have risen',
    relatesTo: 'none',
    ...body,
  })
}

before(async () => {
  t = await testApp()
  const cli = { actor: TEST_IMPORTER, user: null }
  const users = usersService(t.db)
  const make = (
    username: string,
    roles: string[],
    establishmentCode: string,
    scope: 'establishment' | 'group' | 'national' = 'establishment',
  ) =>
    users.create(cli, {
      username,
      displayName: username,
      establishmentCode,
      roles: roles as never,
      scope,
      compartments: [],
      password: 'a-long-enough-password',
      email: undefined,
      department: undefined,
    })
  await make('fsl-head', ['head-of-security'], 'FNI')
  await make('fsl-governor', ['governor'], 'FNI')
  await make('double-hat', ['governor', 'pgd'], 'MDI', 'group')
  for (const username of [
    'head-of-security',
    'governor',
    'pgd',
    'ed-security',
    'reporter',
    'fsl-head',
    'fsl-governor',
    'double-hat',
    'analyst',
  ]) {
    as[username] = t.api(await t.token(username))
  }
})
after(() => t.close())

describe('amendment routing through the API', () => {
  it('an ordinary amendment needs the Governor only; the PGD joins when the Governor chooses', async () => {
    const id = await instruction(as['head-of-security'])
    const plain = await propose(as['head-of-security'], id)
    assert.equal(plain.statusCode, 201)
    assert.deepEqual(plain.json().requiredApprovals, ['governor'])
    assert.equal(plain.json().status, 'awaiting-governor')
    const other = await instruction(as['head-of-security'])
    assert.deepEqual((await propose(as['head-of-security'], other, { pgdAgreement: true })).json().requiredApprovals, [
      'governor',
      'pgd',
    ])
  })

  it('Restricted Status outside the high security estate goes on to the Executive Director (LSS PF 4.15)', async () => {
    const id = await instruction(as['head-of-security'])
    assert.deepEqual(
      (await propose(as['head-of-security'], id, { relatesTo: 'restricted-status' })).json().requiredApprovals,
      ['governor', 'ed-security'],
    )
  })

  it('Category A in the high security estate goes on to the Executive Director (LSS PF 4.14)', async () => {
    const id = await instruction(as['fsl-head'])
    assert.deepEqual((await propose(as['fsl-head'], id, { relatesTo: 'category-a' })).json().requiredApprovals, [
      'governor',
      'ed-security',
    ])
  })

  it('follows a local requirement for PGD agreement (LSS PF 4.16)', async () => {
    const governor = await t.signIn('governor')
    assert.equal((await governor.post('/lss/settings', { pgdRequired: 'yes' }, '/lss/settings')).statusCode, 303)
    const id = await instruction(as['head-of-security'])
    assert.deepEqual((await propose(as['head-of-security'], id)).json().requiredApprovals, ['governor', 'pgd'])
    await governor.post('/lss/settings', { pgdRequired: 'no' }, '/lss/settings')
  })

  it('refuses an amendment without reasoning, and a second open amendment to the same instruction', async () => {
    const id = await instruction(as['head-of-security'])
    const noReasoning = await propose(as['head-of-security'], id, { reasoning: '' })
    assert.equal(noReasoning.statusCode, 400)
    assert.equal(noReasoning.json().errors[0].field, 'reasoning')
    assert.equal((await propose(as['head-of-security'], id)).statusCode, 201)
    const second = await propose(as['head-of-security'], id)
    assert.equal(second.statusCode, 400)
    assert.match(second.json().errors[0].message, /still open/)
  })

  it('a reporter may not propose amendments', async () => {
    const id = await instruction(as['head-of-security'])
    assert.equal((await propose(as.reporter, id)).statusCode, 403)
  })
})

describe('decisions', () => {
  it('refuses approval by someone without the authority, and changes nothing', async () => {
    const id = await instruction(as['head-of-security'])
    const amendment = (await propose(as['head-of-security'], id, { relatesTo: 'restricted-status' })).json()
    const pgdAsGovernor = await as.pgd.post(`/api/v1/lss/amendments/${amendment.id}/decisions`, { decision: 'approve' })
    assert.equal(pgdAsGovernor.statusCode, 400)
    assert.match(pgdAsGovernor.json().errors[0].message, /Only the governor/)
    const approved = await as.governor.post(`/api/v1/lss/amendments/${amendment.id}/decisions`, { decision: 'approve' })
    assert.deepEqual(approved.json().requiredApprovals, ['ed-security'])
    const governorAsEd = await as.governor.post(`/api/v1/lss/amendments/${amendment.id}/decisions`, {
      decision: 'approve',
    })
    assert.equal(governorAsEd.statusCode, 400)
    assert.match(governorAsEd.json().errors[0].message, /executive director of security/)
    const final = await as['ed-security'].post(`/api/v1/lss/amendments/${amendment.id}/decisions`, {
      decision: 'approve',
    })
    assert.equal(final.json().status, 'approved')
    const versions = (await as.reporter.get(`/api/v1/lss/instructions/${id}/versions`)).json().results
    assert.equal(versions.length, 2, 'approval published version 2')
    assert.match(versions[0].procedures, /one in three/)
  })

  it('needs a reason to reject', async () => {
    const id = await instruction(as['head-of-security'])
    const amendment = (await propose(as['head-of-security'], id)).json()
    const noReason = await as.governor.post(`/api/v1/lss/amendments/${amendment.id}/decisions`, { decision: 'reject' })
    assert.equal(noReason.json().errors[0].field, 'reason')
    const rejected = await as.governor.post(`/api/v1/lss/amendments/${amendment.id}/decisions`, {
      decision: 'reject',
      reason: 'Not evidenced',
    })
    assert.equal(rejected.json().status, 'rejected')
  })

  it('two people deciding at once: one decision stands, the other is told it changed', async () => {
    const id = await instruction(as['head-of-security'])
    const amendment = (await propose(as['head-of-security'], id)).json()
    const seen = await t.db
      .selectFrom('lssAmendment')
      .select('rowVersion')
      .where('id', '=', amendment.id)
      .executeTakeFirstOrThrow()
    const [a, b] = await Promise.all([
      as.governor.post(`/api/v1/lss/amendments/${amendment.id}/decisions`, {
        decision: 'approve',
        seenVersion: seen.rowVersion,
      }),
      as['double-hat'].post(`/api/v1/lss/amendments/${amendment.id}/decisions`, {
        decision: 'reject',
        reason: 'No',
        seenVersion: seen.rowVersion,
      }),
    ])
    const codes = [a.statusCode, b.statusCode].sort()
    assert.deepEqual(codes, [200, 409])
    const decisions = await t.db
      .selectFrom('lssAmendmentDecision')
      .select('decision')
      .where('amendmentId', '=', amendment.id)
      .execute()
    assert.equal(decisions.length, 1)
  })

  it('a change to the proposed text after an approval sends it back, and stores the hash of each decided text', async () => {
    const id = await instruction(as['head-of-security'])
    const amendment = (await propose(as['head-of-security'], id, { pgdAgreement: true })).json()
    await as.governor.post(`/api/v1/lss/amendments/${amendment.id}/decisions`, { decision: 'approve' })
    const head = await t.signIn('head-of-security')
    const revised = await head.post(
      `/lss/amendments/${amendment.ref}/revise`,
      text('Search everyone.'),
      `/lss/amendments/${amendment.ref}`,
    )
    assert.equal(revised.statusCode, 303)
    const row = await t.db
      .selectFrom('lssAmendment')
      .select(['status', 'textHash'])
      .where('id', '=', amendment.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.status, 'awaiting-governor')
    const decision = await t.db
      .selectFrom('lssAmendmentDecision')
      .select('textHash')
      .where('amendmentId', '=', amendment.id)
      .executeTakeFirstOrThrow()
    assert.notEqual(decision.textHash, row.textHash, 'the earlier approval was of other text')
  })

  it('a published version cannot be edited in place', async () => {
    const id = await instruction(as['head-of-security'])
    await assert.rejects(
      sql`update lss_instruction_version set procedures = 'tampered' where instruction_id = ${id}`.execute(t.db),
      /never changed/,
    )
  })
})

describe('amendment log', () => {
  it('lists every amendment with its decisions and exports CSV', async () => {
    const governor = await t.signIn('governor')
    const page = await governor.get('/lss/amendments?status=approved')
    assert.equal(page.statusCode, 200)
    const csv = await governor.get('/lss/amendments?format=csv')
    assert.match(String(csv.headers['content-type']), /text\/csv/)
    const [header, ...lines] = csv.body.trim().split('\r\n')
    assert.match(header, /Reference,Establishment,Instruction,.*Reasoning,Relates to,Authorisation route,Status/)
    assert.ok(lines.length >= 5)
    const api = (await as.governor.get('/api/v1/lss/amendment-log?status=rejected')).json()
    assert.ok(api.results.every((r: { status: string }) => r.status === 'rejected'))
    const noSuchDay = await governor.get(
      `/lss/amendments?${new URLSearchParams({ ...dateBoxes('from', '2026-02-31'), ...dateBoxes('to', '2026-03-01') })}`,
    )
    assert.equal(noSuchDay.statusCode, 400)
    assert.match(noSuchDay.body, /The “proposed from” date must be a real date/)
  })

  it('names people and writes decisions in words, in five columns, with no fingerprint of the text', async () => {
    const id = await instruction(as['head-of-security'])
    const amendment = (await propose(as['head-of-security'], id)).json()
    await as.governor.post(`/api/v1/lss/amendments/${amendment.id}/decisions`, { decision: 'approve' })
    const governor = await t.signIn('governor')
    const log = (await governor.get(`/lss/amendments?status=approved`)).body
    const row = log.slice(log.indexOf(amendment.ref), log.indexOf('</tr>', log.indexOf(amendment.ref)))
    assert.match(row, /Hannah Hughes/)
    assert.match(row, /Approved by Gareth Gordon, Governor, \d{1,2} \w+ \d{4}/)
    assert.doesNotMatch(row, /head-of-security|approve by|Neither/)
    const head = log.slice(log.indexOf('<thead'), log.indexOf('</thead>'))
    assert.equal(head.match(/<th /g)?.length, 5, 'five columns fit the page')

    const page = (await governor.get(`/lss/amendments/${amendment.ref}`)).body
    assert.match(page, /Hannah Hughes, \d{1,2} \w+ \d{4}/)
    assert.match(page, /Approved by Gareth Gordon, Governor, /)
    assert.doesNotMatch(page, new RegExp(amendment.textHash.slice(0, 12)), 'no fingerprint on the page')
    assert.doesNotMatch(page, /Relates to/, 'nothing said of a change that concerns neither group')
    assert.equal((await as.governor.get(`/api/v1/lss/amendments/${amendment.id}`)).json().textHash, amendment.textHash)

    const csv = (await governor.get('/lss/amendments?status=approved&format=csv')).body
    const line = csv.split('\r\n').find(l => l.startsWith(amendment.ref)) ?? ''
    assert.match(line, /,Hannah Hughes,/)
    assert.match(line, /Approved by Gareth Gordon, Governor, \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)
  })
})

describe('risk assessment and assurance', () => {
  it('cannot sign an assurance statement without a risk assessment completed in the last twelve months', async () => {
    const pgd = await t.signIn('pgd')
    const response = await pgd.post(
      '/lss/assurance',
      { establishmentCode: 'MDI', levelOfAssurance: 'reasonable' },
      '/lss/assurance',
    )
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /risk assessment must have been completed in the last twelve months/)
  })

  it('completes an assessment from several departments, then the Governor and the PGD sign, once each', async () => {
    const head = await t.signIn('head-of-security')
    const started = await head.post('/lss/assessments', { reason: 'annual' }, '/lss/assessments')
    assert.equal(started.statusCode, 303)
    const ref = String(started.headers.location).split('/').pop()!
    const path = `/lss/assessments/${ref}`
    const early = await head.post(`${path}/complete`, { summary: 'Done' }, path)
    assert.equal(early.statusCode, 400)
    assert.match(early.body, /at least one strength or vulnerability/)
    assert.equal(
      (
        await head.post(
          `${path}/findings`,
          {
            threatArea: 'conveyance',
            component: 'physical',
            finding: 'vulnerability',
            text: 'No netting behind the workshops',
            evidence: ['Finds'],
          },
          path,
        )
      ).statusCode,
      303,
    )
    assert.equal(
      (await head.post(`${path}/contributors`, { name: 'Hannah Hughes', department: 'Security' }, path)).statusCode,
      303,
    )
    const oneDepartment = await head.post(`${path}/complete`, { summary: 'Done' }, path)
    assert.match(oneDepartment.body, /at least two departments/)
    await head.post(`${path}/contributors`, { name: 'Sam Rivers', department: 'Residential' }, path)
    await head.post(
      `${path}/actions`,
      { description: 'Install netting', owner: 'Head of Estates', ...dateBoxes('dueDate', '2027-02-01') },
      path,
    )
    assert.equal((await head.post(`${path}/complete`, { summary: 'Netting is the priority' }, path)).statusCode, 303)
    const evidence = await t.db
      .selectFrom('lssAssessmentEvidence as e')
      .innerJoin('lssRiskAssessment as a', 'a.id', 'e.assessmentId')
      .select('e.source')
      .where('a.ref', '=', ref)
      .execute()
    assert.ok(
      evidence.some(e => e.source === 'Intelligence system'),
      'figures were pulled from the intelligence module',
    )

    // LSS PF 4.19: "The PGD must satisfy themselves on the level of assurance they wish to apply to the LSS";
    // 4.20: "PGDs may also specify additional levels of assurance checks". The Governor may not set them.
    const governor = await t.signIn('governor')
    const pgd = await t.signIn('pgd')
    const byGovernor = await governor.post(
      '/lss/assurance',
      { establishmentCode: 'MDI', levelOfAssurance: 'substantial' },
      '/lss/assurance',
    )
    assert.equal(byGovernor.statusCode, 403)
    assert.equal(await t.db.selectFrom('lssAssuranceStatement').select('id').executeTakeFirst(), undefined)
    assert.doesNotMatch((await governor.get('/lss/assurance')).body, /data-qa="prepare-form"/)
    assert.match((await pgd.get('/lss/assurance')).body, /data-qa="prepare-form"/)
    const prepared = await pgd.post(
      '/lss/assurance',
      {
        establishmentCode: 'MDI',
        levelOfAssurance: 'reasonable',
        additionalChecks: ['Examining some or all locally agreed amendments'],
      },
      '/lss/assurance',
    )
    assert.equal(prepared.statusCode, 303)
    const statement = String(prepared.headers.location)
    assert.equal((await governor.post(`${statement}/sign`, { role: 'governor' }, statement)).statusCode, 303)
    const twice = await governor.post(`${statement}/sign`, { role: 'governor' }, statement)
    assert.equal(twice.statusCode, 400)
    assert.match(twice.body, /already been signed/)
    const asPgd = await governor.post(`${statement}/sign`, { role: 'pgd' }, statement)
    assert.equal(asPgd.statusCode, 400)
    assert.match(asPgd.body, /Only a prison group director/)
    const doubleHat = await t.signIn('double-hat', 'a-long-enough-password')
    // Someone holding both roles still cannot be the second signatory after signing as the first: here the Governor
    // signed, so double-hat may sign as PGD; but the same person could not sign both.
    assert.equal((await pgd.post(`${statement}/sign`, { role: 'pgd' }, statement)).statusCode, 303)
    const row = await t.db
      .selectFrom('lssAssuranceStatement')
      .selectAll()
      .where('id', '=', statement.split('/').pop()!)
      .executeTakeFirstOrThrow()
    assert.equal(row.governorUsername, 'governor')
    assert.equal(row.pgdUsername, 'pgd')
    assert.match(row.lssHash, /^[0-9a-f]{64}$/)
    assert.equal((await doubleHat.post(`${statement}/sign`, { role: 'pgd' }, statement)).statusCode, 400)
    const again = await pgd.post(
      '/lss/assurance',
      { establishmentCode: 'MDI', levelOfAssurance: 'reasonable' },
      '/lss/assurance',
    )
    assert.match(again.body, /already an assurance statement/)
  })
})

describe('staff awareness and deadlines', () => {
  it('staff acknowledge an instruction, and the home page lists the LSS clocks', async () => {
    const id = await instruction(as['head-of-security'], 'Awareness test')
    const reporter = await t.signIn('reporter')
    assert.equal(
      (await reporter.post(`/lss/instructions/${id}/acknowledge`, {}, `/lss/instructions/${id}`)).statusCode,
      303,
    )
    const row = await t.db
      .selectFrom('lssAcknowledgement')
      .selectAll()
      .where('instructionId', '=', id)
      .where('username', '=', 'reporter')
      .executeTakeFirstOrThrow()
    assert.equal(row.version, 1)
    const governorHome = await (await t.signIn('governor')).get('/')
    assert.match(governorHome.body, /Decide amendment AMD-MDI-/)
  })
})

describe('dates on the GOV.UK date input (day, month, year)', () => {
  /** The message names the part, the error summary links to its box, and the box is marked as the one to fix. */
  function assertPartError(body: string, box: string, message: RegExp) {
    assert.match(body, message)
    assert.match(body, new RegExp(`href="#${box}"`), `the error summary links to #${box}`)
    assert.match(body, new RegExp(`govuk-input--error"[^>]*id="${box}"`), `#${box} is marked`)
  }

  it('names the missing part of the review date of a new instruction, and keeps what was typed', async () => {
    const head = await t.signIn('head-of-security')
    const response = await head.post(
      '/lss/instructions/new',
      {
        riskArea: 'conveyance',
        title: 'Dates test',
        owner: 'Head of Operations',
        ...text('Search one in five.'),
        'reviewDue-day': '31',
        'reviewDue-month': '',
        'reviewDue-year': '2027',
      },
      '/lss/instructions/new',
    )
    assert.equal(response.statusCode, 400)
    assertPartError(response.body, 'reviewDue-month', /The date the review is due must include a month/)
    assert.match(response.body, /name="reviewDue-day"[^>]*value="31"/)
    const empty = await head.post(
      '/lss/instructions/new',
      {
        riskArea: 'conveyance',
        title: `Dates test ${Math.random().toString(36).slice(2, 7)}`,
        owner: 'Head of Operations',
        ...text('Search one in five.'),
        'reviewDue-day': '',
        'reviewDue-month': '',
        'reviewDue-year': '',
      },
      '/lss/instructions/new',
    )
    assert.equal(empty.statusCode, 303, 'the review date is optional')
  })

  it('names the wrong part of the date of a significant change, and of an action’s due date', async () => {
    const head = await t.signIn('head-of-security')
    const change = await head.post(
      '/lss/significant-changes',
      { 'recordedOn-day': '1', 'recordedOn-month': '10', 'recordedOn-year': '26', description: 'A new wing' },
      '/lss/assessments',
    )
    assert.equal(change.statusCode, 400)
    assertPartError(change.body, 'recordedOn-year', /must include a year with 4 numbers/)
    assert.match(change.body, /name="recordedOn-year"[^>]*value="26"/)
    const noDate = await head.post(
      '/lss/significant-changes',
      { 'recordedOn-day': '', 'recordedOn-month': '', 'recordedOn-year': '', description: 'A new wing' },
      '/lss/assessments',
    )
    assert.match(noDate.body, /Enter the date of the change/)
    assert.match(noDate.body, /href="#recordedOn-day"/)

    const started = await head.post('/lss/assessments', { reason: 'annual' }, '/lss/assessments')
    assert.equal(started.statusCode, 303)
    const path = String(started.headers.location)
    const action = await head.post(
      `${path}/actions`,
      {
        description: 'Install netting',
        owner: 'Head of Estates',
        'dueDate-day': '',
        'dueDate-month': '2',
        'dueDate-year': '2027',
      },
      path,
    )
    assert.equal(action.statusCode, 400)
    assertPartError(action.body, 'dueDate-day', /The due date must include a day/)
    assert.match(action.body, /name="dueDate-month"[^>]*value="2"/)
  })

  it('names the wrong part of the amendment log’s dates', async () => {
    const governor = await t.signIn('governor')
    const query = new URLSearchParams({
      ...dateBoxes('from', '2026-01-01'),
      'to-day': '31',
      'to-month': '',
      'to-year': '',
    })
    const response = await governor.get(`/lss/amendments?${query}`)
    assert.equal(response.statusCode, 400)
    assertPartError(response.body, 'to-month', /The “proposed to” date must include a month and year/)
    assert.match(response.body, /name="from-year"[^>]*value="2026"/)
    const csv = await governor.get(
      `/lss/amendments?${new URLSearchParams({ ...dateBoxes('from', '2026-01-01'), ...dateBoxes('to', '2099-12-31') })}`,
    )
    assert.equal(csv.statusCode, 200)
    assert.match(csv.body, /from=2026-01-01&amp;to=2099-12-31/)
  })
})
