import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'
import { auditActors, importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}

// The fields the assertions rely on: the prison (LEI for the out-of-scope prisoner) and a date of birth.
const prisoner = (prisonerNumber: string, firstName: string, lastName: string, prisonId = 'MDI') => {
  const fields = { prisonerNumber, firstName, lastName, dateOfBirth: '1990-01-01', prisonId }
  return prisonerRecord(fields)
}

const report = (overrides: Record<string, unknown> = {}) => ({
  text: 'Prisoner A1234BC was overheard on B wing saying a drone drop is planned for Friday. He gave the number 07700 900123.',
  occurredAt: '2026-11-20T14:30:00Z',
  location: 'B wing, landing 2',
  sourceType: 'overheard',
  threatAreas: ['conveyance'],
  nominals: [{ prisonerNumber: 'A1234BC' }],
  ...overrides,
})

/** The report form's date and time as a browser sends them when left empty: three date boxes and the time. */
const EMPTY_DATE_AND_TIME = {
  'occurredDate-day': '',
  'occurredDate-month': '',
  'occurredDate-year': '',
  occurredTime: '',
}

async function submit(client: Client, body: Record<string, unknown>) {
  const response = await client.post('/api/v1/intelligence-reports', body)
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

async function assessed(
  ref: string,
  grading: Record<string, unknown> = { scheme: '3x5x2', source: '1', intelligence: 'B', handling: 'P' },
) {
  const analyst = await t.signIn('analyst')
  assert.equal(
    (await analyst.post(`/intelligence/reports/${ref}/start`, {}, `/intelligence/reports/${ref}`)).statusCode,
    303,
  )
  assert.equal((await as.analyst.post(`/api/v1/intelligence-reports/${ref}/grading`, grading)).statusCode, 200)
  const sanitised = await analyst.post(
    `/intelligence/reports/${ref}/sanitised`,
    { sanitisedText: 'A prisoner on B wing is believed to be planning a drone delivery.' },
    `/intelligence/reports/${ref}`,
  )
  assert.equal(sanitised.statusCode, 303)
}

before(async () => {
  t = await testApp()
  await importTestPrisoners(
    t.db,
    [
      prisoner('A1234BC', 'MOHAMMED', 'HUSSAIN'),
      prisoner('G4821KT', 'DANIEL', 'OKAFOR'),
      prisoner('C3333CC', 'KARL', 'BROWN'),
      prisoner('L1111LL', 'LEEDS', 'PRISONER', 'LEI'),
    ],
    'intelligence-test.json',
  )
  for (const username of [
    'reporter',
    'analyst',
    'head-of-security',
    'governor',
    'counter-corruption',
    'auditor',
    'pgd',
    'pio',
  ]) {
    as[username] = t.api(await t.token(username))
  }
})
after(() => t.close())

describe('submitting', () => {
  it('any member of staff submits and gets a reference; entities are suggested from the text', async () => {
    const response = await as.reporter.post('/api/v1/intelligence-reports', report())
    assert.equal(response.statusCode, 201)
    const { ref, status } = response.json()
    assert.match(ref, /^IR-MDI-\d{4}-[34679CDFGHJKMNPQRTWXY]{6}$/)
    assert.equal(status, 'submitted')
    const read = (await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).json()
    assert.deepEqual(
      read.nominals.map((n: { prisonerNumber: string }) => n.prisonerNumber),
      ['A1234BC'],
    )
    assert.ok(
      read.entities.some(
        (e: { type: string; value: string; status: string }) =>
          e.type === 'phone' && e.value === '+447700900123' && e.status === 'suggested',
      ),
    )
    // The linked person's own prison number is that person: it is not suggested again as a thing to link (polish).
    assert.ok(
      !read.entities.some((e: { type: string; value: string }) => e.type === 'prison-number' && e.value === 'A1234BC'),
    )
  })

  it('names each wrong field', async () => {
    const response = await as.reporter.post('/api/v1/intelligence-reports', {
      text: '',
      occurredAt: 'yesterday-ish',
      sourceType: 'gossip',
      threatAreas: ['weather'],
      nominals: [{ prisonerNumber: 'not-one' }],
    })
    assert.equal(response.statusCode, 400)
    const fields = response.json().errors.map((e: { field: string }) => e.field)
    for (const field of ['text', 'occurredAt', 'sourceType', 'threatAreas.0'])
      assert.ok(fields.includes(field), `${field} in ${fields}`)
    const huge = await as.reporter.post('/api/v1/intelligence-reports', report({ text: 'x'.repeat(50_000) }))
    assert.equal(huge.statusCode, 400)
    assert.match(huge.json().errors[0].message, /10,000 characters or fewer/)
    const unknown = await as.reporter.post(
      '/api/v1/intelligence-reports',
      report({ nominals: [{ prisonerNumber: 'Z9999ZZ' }] }),
    )
    assert.equal(unknown.statusCode, 400)
    assert.equal(unknown.json().errors[0].field, 'nominals.0.prisonerNumber')
    const future = await as.reporter.post(
      '/api/v1/intelligence-reports',
      report({ occurredAt: '2099-01-01T10:00:00Z' }),
    )
    assert.equal(future.json().errors[0].field, 'occurredAt')
  })

  it('stores a report submitted twice once (idempotency key, or the form’s submission key)', async () => {
    const first = await as.reporter.post('/api/v1/intelligence-reports', report(), {
      'idempotency-key': 'retry-me-123',
    })
    const second = await as.reporter.post('/api/v1/intelligence-reports', report(), {
      'idempotency-key': 'retry-me-123',
    })
    assert.equal(first.statusCode, 201)
    assert.equal(second.statusCode, 201, 'a retry gets the first answer again')
    assert.equal(second.headers['idempotency-replayed'], 'true')
    assert.equal(second.json().ref, first.json().ref)

    const reporter = await t.signIn('reporter')
    const form = {
      text: 'Two visitors passed something at table 4 during visits.',
      ...{ 'occurredDate-day': '21', 'occurredDate-month': '11', 'occurredDate-year': '2026', occurredTime: '15:10' },
      sourceType: 'own-observation',
      threatAreas: ['conveyance'],
      urgent: 'no',
      submissionKey: 'double-click-key-1',
    }
    const a = await reporter.post('/intelligence/report', form, '/intelligence/report')
    const b = await reporter.post('/intelligence/report', form, '/intelligence/report')
    assert.equal(a.statusCode, 303)
    assert.equal(b.headers.location, a.headers.location)
    const count = await t.db
      .selectFrom('intelligenceReport')
      .select(t.db.fn.countAll<number>().as('n'))
      .where('submissionKey', '=', 'double-click-key-1')
      .executeTakeFirstOrThrow()
    assert.equal(count.n, 1)
    const mine = await reporter.get('/intelligence/mine')
    assert.ok(mine.body.includes(String(a.headers.location).split('/').pop()!))
  })

  it('the form names its fields too, and keeps the answers', async () => {
    const reporter = await t.signIn('reporter')
    const response = await reporter.post(
      '/intelligence/report',
      { text: '', submissionKey: 'empty-form-1', threatAreas: ['violence-disorder'], ...EMPTY_DATE_AND_TIME },
      '/intelligence/report',
    )
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /Enter what you know/)
    // Issue 12.6: the date and the time are two questions, each with its own error linked to its own box.
    assert.match(response.body, /href="#occurredDate-day">Enter the date it happened</)
    assert.match(response.body, /href="#occurredTime">Enter the time it happened</)
    assert.match(response.body, /Select how you know this/)
    // Issue 12.7: "Is it urgent?" has no answer chosen for the reporter, so leaving it is named as its own error.
    assert.match(response.body, /Select yes if it is urgent/)
    assert.match(response.body, /href="#urgent"/)
  })
})

describe('triage, grading and sanitisation', () => {
  it('queues urgent reports first, then oldest', async () => {
    const older = await submit(as.reporter, report({ text: 'Older, not urgent.' }))
    const urgent = await submit(
      as.reporter,
      report({ text: 'Urgent: an escape attempt tonight.', urgent: true, threatAreas: ['escape-abscond'] }),
    )
    const analyst = await t.signIn('analyst')
    const page = await analyst.get('/intelligence/queue')
    assert.equal(page.statusCode, 200)
    assert.ok(page.body.indexOf(urgent) < page.body.indexOf(older), 'urgent first')
  })

  it('grades under the scheme, requires conditions for C, and keeps every grading', async () => {
    const ref = await submit(as.reporter, report())
    const analyst = await t.signIn('analyst')
    const early = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/grading`, {
      scheme: '3x5x2',
      source: '1',
      intelligence: 'A',
      handling: 'P',
    })
    assert.equal(early.statusCode, 409, 'assessment starts first')
    await analyst.post(`/intelligence/reports/${ref}/start`, {}, `/intelligence/reports/${ref}`)
    const outside = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/grading`, {
      scheme: '3x5x2',
      source: 'A',
      intelligence: '9',
      handling: 'X',
    })
    assert.equal(outside.statusCode, 400)
    assert.deepEqual(
      outside
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
      ['handling', 'intelligence', 'source'],
    )
    const noConditions = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/grading`, {
      scheme: '3x5x2',
      source: '2',
      intelligence: 'C',
      handling: 'C',
    })
    assert.equal(noConditions.statusCode, 400)
    assert.equal(noConditions.json().errors[0].field, 'conditions')
    assert.equal(
      (
        await as.analyst.post(`/api/v1/intelligence-reports/${ref}/grading`, {
          scheme: '3x5x2',
          source: '2',
          intelligence: 'C',
          handling: 'P',
        })
      ).statusCode,
      200,
    )
    const regraded = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/grading`, {
      scheme: '5x5x5',
      source: 'B',
      intelligence: '2',
      handling: '1',
    })
    assert.equal(regraded.json().grading.scheme, '5x5x5')
    const history = await t.db
      .selectFrom('intelligenceGrading as g')
      .innerJoin('intelligenceReport as r', 'r.id', 'g.reportId')
      .select(['g.version', 'g.scheme'])
      .where('r.ref', '=', ref)
      .orderBy('g.version')
      .execute()
    assert.deepEqual(
      history.map(h => h.scheme),
      ['3x5x2', '5x5x5'],
    )
  })

  it('shows the original only to those who may read it; others see the sanitised text', async () => {
    const ref = await submit(as.reporter, report({ text: 'Original words: FALCON will bring it through visits.' }))
    await assessed(ref)
    const analyst = (await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).json()
    assert.match(analyst.text, /FALCON/)
    const governor = (await as.governor.get(`/api/v1/intelligence-reports/${ref}`)).json()
    assert.equal(governor.text, undefined)
    assert.match(governor.sanitisedText, /drone delivery/)
    const page = await (await t.signIn('governor')).get(`/intelligence/reports/${ref}`)
    assert.doesNotMatch(page.body, /FALCON/)
  })

  it('keeps the words of a CHIS inside the CHIS compartment', async () => {
    const ref = await submit(
      as.reporter,
      report({ text: 'Source KESTREL says the phone is in the chapel.', sourceType: 'chis' }),
    )
    const analyst = (await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).json()
    assert.equal(analyst.text, undefined, 'the analyst holds no CHIS compartment')
    const search = (await as.analyst.get('/api/v1/intelligence-reports?q=KESTREL')).json()
    assert.equal(search.total, 0, 'nor can the words be searched')
  })

  it('a reporter sees the status of their own reports but not the intelligence pages', async () => {
    const reporter = await t.signIn('reporter')
    assert.equal((await reporter.get('/intelligence/search')).statusCode, 403)
    assert.equal((await reporter.get('/intelligence/mine')).statusCode, 200)
  })

  it('another establishment’s report is a 404, and the look is audited', async () => {
    const leedsToken = await t.token('pgd')
    const ref = await submit(t.api(leedsToken), report({ nominals: [] }))
    // The PGD works at MDI too; move the report to LEI to stand for another prison's.
    await t.db.updateTable('intelligenceReport').set({ establishmentCode: 'WWI' }).where('ref', '=', ref).execute()
    assert.equal((await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).statusCode, 404)
    assert.ok((await auditActors(t.db, 'intelligence.view-denied', ref)).includes('analyst'))
  })

  it('every view of a report is audited, and the head of security sees who viewed it', async () => {
    const ref = await submit(as.reporter, report())
    await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)
    const head = await t.signIn('head-of-security')
    const readers = await head.get(`/intelligence/reports/${ref}/readers`)
    assert.equal(readers.statusCode, 200)
    assert.match(readers.body, /Adam Analyst/)
    assert.equal((await (await t.signIn('analyst')).get(`/intelligence/reports/${ref}/readers`)).statusCode, 403)
  })
})

describe('linking and correlation', () => {
  it('names the people in common, and leaves a linked person’s own prison number out of the entities (polish)', async () => {
    const first = await submit(as.reporter, report())
    const second = await submit(as.reporter, report())
    const before = (await (await t.signIn('analyst')).get(`/intelligence/reports/${first}`)).body
    const entities = before.slice(before.indexOf('id="entities"'), before.indexOf('id="disseminations"'))
    assert.match(entities, /\+447700900123/, 'the phone number in the text is suggested')
    assert.doesNotMatch(entities, /A1234BC/, 'the linked person’s own number is not suggested as a thing')
    for (const ref of [first, second]) {
      const linked = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/links`, {
        entities: [{ type: 'prison-number', value: 'A1234BC' }],
      })
      assert.equal(linked.statusCode, 200, linked.body)
    }
    const page = (await (await t.signIn('analyst')).get(`/intelligence/reports/${first}`)).body
    const related = page.slice(page.indexOf('data-qa="related"'), page.indexOf('id="restrict"'))
    assert.match(related, new RegExp(second))
    assert.match(related, /People: Mohammed Hussain \(A1234BC\)/)
    assert.doesNotMatch(related, /Entities: [^<]*A1234BC/, 'the person is not listed again as an entity')
    // On the profile, a known person's prison number is that person, an associate, not among the things.
    const associate = await as.analyst.post(`/api/v1/intelligence-reports/${first}/links`, {
      entities: [{ type: 'prison-number', value: 'C3333CC' }],
    })
    assert.equal(associate.statusCode, 200, associate.body)
    const profile = (await (await t.signIn('analyst')).get('/people/A1234BC')).body
    const associates = profile.slice(profile.indexOf('data-qa="intelligence-associates"'))
    assert.match(associates, /<a class="govuk-link" href="\/people\/C3333CC">Karl Brown \(C3333CC\)<\/a>/)
    const things = profile.slice(profile.indexOf('Phones, vehicles and other entities'))
    assert.doesNotMatch(things, /C3333CC/)
    // An entity search, typed as people write the number, shows the start of each report's sanitised text.
    await assessed(first)
    const search = (await (await t.signIn('analyst')).get('/intelligence/search?entity=07700+900123')).body
    assert.match(search, /As you would write it, for example 07700 900123/)
    const result = search.slice(search.indexOf(`>${first}<`))
    assert.match(result, /app-snippet">A prisoner on B wing is believed to be planning a drone delivery\.</)
  })

  it('links people with roles and entities, flags do-not-link values, and correlates reports', async () => {
    const head = await t.signIn('head-of-security')
    const added = await head.post(
      '/intelligence/settings/do-not-link',
      { type: 'phone', value: '0800 123 4567', reason: 'Samaritans' },
      '/intelligence/settings',
    )
    assert.equal(added.statusCode, 303)
    const first = await submit(
      as.reporter,
      report({ text: 'Call 07700 900999 for the parcel. Samaritans 0800 123 4567 was also dialled.', nominals: [] }),
    )
    const second = await submit(
      as.reporter,
      report({ text: 'Someone on C wing keeps ringing 07700 900999.', nominals: [] }),
    )
    const read = (await as.analyst.get(`/api/v1/intelligence-reports/${first}`)).json()
    const samaritans = read.entities.find((e: { value: string }) => e.value === '+448001234567')
    assert.equal(samaritans.status, 'do-not-link')
    // Accept the shared number on both, and link people.
    for (const ref of [first, second]) {
      const linked = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/links`, {
        entities: [{ type: 'phone', value: '07700 900999' }],
        nominals: [{ prisonerNumber: 'G4821KT', role: 'associate' }],
      })
      assert.equal(linked.statusCode, 200, linked.body)
    }
    const related = (await as.analyst.get(`/api/v1/intelligence-reports/${first}`)).json().related
    assert.ok(related.some((r: { ref: string }) => r.ref === second))
    const badLink = await as.analyst.post(`/api/v1/intelligence-reports/${first}/links`, {
      entities: [{ type: 'imei', value: '123' }],
    })
    assert.equal(badLink.statusCode, 400)
    assert.equal(badLink.json().errors[0].field, 'entities.0.value')
    const profile = await (await t.signIn('analyst')).get('/people/G4821KT')
    assert.ok(profile.body.includes(first) && profile.body.includes(second), 'the profile panel lists the reports')
    const network = await (await t.signIn('analyst')).get('/intelligence/network/G4821KT')
    assert.equal(network.statusCode, 200)
    assert.match(network.body, /\+447700900999/)
  })
})

describe('dissemination', () => {
  it('records a lawful dissemination of the sanitised text', async () => {
    const ref = await submit(as.reporter, report())
    await assessed(ref)
    const noPurpose = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/disseminations`, {
      recipientType: 'police',
      recipientName: 'West Yorkshire Police PIO',
    })
    assert.equal(noPurpose.statusCode, 400)
    assert.equal(noPurpose.json().errors[0].field, 'purpose')
    const ok = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/disseminations`, {
      recipientType: 'police',
      recipientName: 'West Yorkshire Police PIO',
      purpose: 'crime',
    })
    assert.equal(ok.statusCode, 201)
    assert.equal(ok.json().handlingCheck, 'within-terms')
    const row = await t.db
      .selectFrom('intelligenceDissemination')
      .selectAll()
      .where('id', '=', ok.json().id)
      .executeTakeFirstOrThrow()
    assert.match(row.sanitisedText, /drone delivery/)
    assert.doesNotMatch(row.sanitisedText, /A1234BC/)
    const printable = await (await t.signIn('analyst')).get(`/intelligence/reports/${ref}/disseminations/${row.id}`)
    assert.equal(printable.statusCode, 200)
    const pdf = await (await t.signIn('analyst')).get(`/intelligence/reports/${ref}/disseminations/${row.id}.pdf`)
    assert.equal(pdf.statusCode, 200)
    assert.match(String(pdf.headers['content-type']), /application\/pdf/)
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
    assert.equal((await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)).json().status, 'disseminated')
  })

  // Handling code 5 on intelligence from inside HMPPS (a member of staff overheard it): the head of security may
  // still override with reasons.
  it('blocks handling code 5 unless the head of security overrides with reasons', async () => {
    const ref = await submit(as.reporter, report())
    await assessed(ref, { scheme: '5x5x5', source: 'B', intelligence: '2', handling: '5' })
    const body = { recipientType: 'police', recipientName: 'Humberside Police', purpose: 'crime' }
    const blocked = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/disseminations`, body)
    assert.equal(blocked.statusCode, 400)
    assert.match(blocked.json().errors[0].message, /Only the head of security can override/)
    const noReason = await as['head-of-security'].post(`/api/v1/intelligence-reports/${ref}/disseminations`, body)
    assert.equal(noReason.json().errors[0].field, 'overrideReason')
    const overridden = await as['head-of-security'].post(`/api/v1/intelligence-reports/${ref}/disseminations`, {
      ...body,
      overrideReason: 'Threat to life: the originator agreed by phone at 14:05',
    })
    assert.equal(overridden.statusCode, 201)
    assert.equal(overridden.json().handlingCheck, 'overridden')
  })

  // LEA sharing principles: police intelligence reaches the prison through the PIO; 5x5x5 handling code 5 means "refer
  // to the originator". From outside HMPPS no local override may release it, and the refusal says whom to ask.
  it('lets no override release handling code 5 on police intelligence, and says whom to ask', async () => {
    const fromPio = await submit(as.pio, report({ sourceType: 'own-observation', nominals: [] }))
    const fromAgency = await submit(as.analyst, report({ sourceType: 'other-agency' }))
    const body = {
      recipientType: 'socu',
      recipientName: 'SOCU North East',
      purpose: 'crime',
      overrideReason: 'Threat to life: we judge it must go now',
    }
    for (const ref of [fromPio, fromAgency]) {
      await assessed(ref, { scheme: '5x5x5', source: 'B', intelligence: '2', handling: '5' })
      const refused = await as['head-of-security'].post(`/api/v1/intelligence-reports/${ref}/disseminations`, body)
      assert.equal(refused.statusCode, 400, ref)
      assert.equal(refused.json().errors[0].field, 'recipientType')
      assert.match(
        refused.json().errors[0].message,
        /originating force through the prison intelligence officer \(PIO\)/,
      )
      const page = await (await t.signIn('head-of-security')).post(
        `/intelligence/reports/${ref}/disseminate`,
        body,
        `/intelligence/reports/${ref}/disseminate`,
      )
      assert.equal(page.statusCode, 400)
      assert.match(page.body, /only its originator can release it/)
      const shared = await t.db
        .selectFrom('intelligenceDissemination as d')
        .innerJoin('intelligenceReport as r', 'r.id', 'd.reportId')
        .select('d.id')
        .where('r.ref', '=', ref)
        .execute()
      assert.deepEqual(shared, [], 'nothing was shared')
    }
  })

  it('needs grading and sanitisation first', async () => {
    const ref = await submit(as.reporter, report())
    const response = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/disseminations`, {
      recipientType: 'socu',
      recipientName: 'SOCU North East',
      purpose: 'crime',
    })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(
      response.json().errors.map((e: { field: string }) => e.field),
      ['grading', 'sanitisedText'],
    )
  })
})

describe('staff corruption intelligence does not exist outside its compartment', () => {
  const MARKER = 'zanzibarquokka'
  let ref: string

  before(async () => {
    ref = await submit(as['counter-corruption'], {
      text: `Officer on C wing seen passing a package to G4821KT. Code word ${MARKER}. Phone 07700 900555.`,
      occurredAt: '2026-11-19T09:00:00Z',
      sourceType: 'own-observation',
      threatAreas: ['staff-corruption'],
      nominals: [{ prisonerNumber: 'G4821KT' }],
    })
    await as['counter-corruption'].post(`/api/v1/intelligence-reports/${ref}/links`, {
      entities: [{ type: 'phone', value: '07700 900555' }],
    })
    // An open report about the same person, so a leak through correlation would show.
    await submit(as.reporter, report({ text: `Open report about G4821KT.`, nominals: [{ prisonerNumber: 'G4821KT' }] }))
  })

  it('the compartment holder sees it', async () => {
    const read = await as['counter-corruption'].get(`/api/v1/intelligence-reports/${ref}`)
    assert.equal(read.statusCode, 200)
    assert.match(read.json().text, new RegExp(MARKER))
  })

  it('an analyst cannot learn by any route that it exists', async () => {
    const analyst = await t.signIn('analyst')
    // API read and page read: not found, exactly like a reference that was never issued.
    const apiRead = await as.analyst.get(`/api/v1/intelligence-reports/${ref}`)
    const neverIssued = await as.analyst.get('/api/v1/intelligence-reports/IR-MDI-2026-999999')
    assert.equal(apiRead.statusCode, 404)
    assert.equal(apiRead.json().title, neverIssued.json().title)
    assert.equal(apiRead.json().detail, neverIssued.json().detail)
    assert.equal((await analyst.get(`/intelligence/reports/${ref}`)).statusCode, 404)
    // Lists and counts.
    assert.doesNotMatch((await analyst.get('/intelligence/queue')).body, new RegExp(ref))
    const search = (await as.analyst.get(`/api/v1/intelligence-reports?q=${MARKER}`)).json()
    assert.equal(search.total, 0)
    assert.deepEqual(search.results, [])
    const all = (await as.analyst.get('/api/v1/intelligence-reports?threatArea=staff-corruption')).json()
    assert.equal(all.total, 0)
    assert.doesNotMatch((await analyst.get(`/intelligence/search?q=${MARKER}`)).body, new RegExp(ref))
    // Related panels, profile panel, network.
    const open = (await as.analyst.get('/api/v1/intelligence-reports?nominal=G4821KT')).json()
    for (const result of open.results) {
      const related = (await as.analyst.get(`/api/v1/intelligence-reports/${result.ref}`)).json().related
      assert.ok(!related.some((r: { ref: string }) => r.ref === ref))
    }
    const profile = await analyst.get('/people/G4821KT')
    assert.doesNotMatch(profile.body, new RegExp(ref))
    assert.doesNotMatch(profile.body, /900555/)
    const network = await analyst.get('/intelligence/network/G4821KT')
    assert.doesNotMatch(network.body, /900555/)
    assert.doesNotMatch(network.body, new RegExp(ref))
    // Actions on it are not found either.
    assert.equal(
      (
        await as.analyst.post(`/api/v1/intelligence-reports/${ref}/grading`, {
          scheme: '3x5x2',
          source: '1',
          intelligence: 'A',
          handling: 'P',
        })
      ).statusCode,
      404,
    )
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

describe('settings', () => {
  it('the head of security sets the grading scheme; others may not', async () => {
    const head = await t.signIn('head-of-security')
    assert.equal(
      (await head.post('/intelligence/settings/grading-scheme', { gradingScheme: '5x5x5' }, '/intelligence/settings'))
        .statusCode,
      303,
    )
    assert.match((await head.get('/intelligence/settings')).body, /value="5x5x5" checked/)
    assert.equal((await (await t.signIn('analyst')).get('/intelligence/settings')).statusCode, 403)
    await head.post('/intelligence/settings/grading-scheme', { gradingScheme: '3x5x2' }, '/intelligence/settings')
  })
})

describe('what search and the profile show (issue 12)', () => {
  it('says words are too common to search for, rather than that nothing was found', async () => {
    const analyst = await t.signIn('analyst')
    for (const q of ['the', 'and the']) {
      const page = await analyst.get(`/intelligence/search?q=${encodeURIComponent(q)}`)
      assert.equal(page.statusCode, 200)
      assert.match(page.body, /Your words are too common to search for/)
      assert.doesNotMatch(page.body, /No reports found|Try fewer words/)
    }
  })

  it('ends a highlight with an ellipsis where it was cut, and starts one so where it began mid-text', async () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ')
    await submit(as.reporter, report({ text: `${filler(60)} a zeppelin was seen. ${filler(60)}.`, nominals: [] }))
    await submit(as.reporter, report({ text: 'Short note about a quokka.', nominals: [] }))
    const analyst = await t.signIn('analyst')
    const snippet = async (q: string) =>
      /<p class="govuk-body app-snippet">([\s\S]*?)<\/p>/.exec(
        (await analyst.get(`/intelligence/search?q=${q}`)).body,
      )?.[1]
    const cut = await snippet('zeppelin')
    assert.match(cut ?? '', /^… [\s\S]*<mark>zeppelin<\/mark>[\s\S]* …$/)
    assert.equal(await snippet('quokka'), 'Short note about a <mark>quokka</mark>.')
  })

  it('leaves the person’s own prison number out of their entities', async () => {
    const ref = await submit(as.reporter, report({ nominals: [{ prisonerNumber: 'A1234BC' }] }))
    await assessed(ref)
    const linked = await as.analyst.post(`/api/v1/intelligence-reports/${ref}/links`, {
      entities: [
        { type: 'prison-number', value: 'A1234BC' },
        { type: 'prison-number', value: 'C3333CC' },
      ],
    })
    assert.equal(linked.statusCode, 200, linked.body)
    const profile = await (await t.signIn('analyst')).get('/people/A1234BC')
    const entities = /data-qa="intelligence-entities"[\s\S]*?<\/table>/.exec(profile.body)?.[0] ?? ''
    // Another known person's number is that person: an associate, by name and number, not among the things (polish).
    const associates = /data-qa="intelligence-associates"[\s\S]*?<\/ul>/.exec(profile.body)?.[0] ?? ''
    assert.match(associates, /Karl Brown \(C3333CC\)/, 'another person’s number named with them')
    assert.doesNotMatch(entities, /C3333CC|A1234BC/, 'never their own, nor an associate as a thing')
    assert.doesNotMatch(associates, /A1234BC/, 'never their own')
  })
})
