import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { waitedInWords } from '../../src/platform/deadlines/deadlines.ts'
import { type TestApp, testApp } from '../support/app.ts'

// Issue 12.5: each role's home shows the work that is theirs. 12.14: a reporter re-reads what they sent. 12.16: the
// triage queue says how long each report has waited and who has it.

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}
const refs: { older: string; urgent: string; started: string } = { older: '', urgent: '', started: '' }

const report = (text: string, overrides: Record<string, unknown> = {}) => ({
  text,
  occurredAt: '2026-01-10T14:30:00Z',
  location: 'Reception',
  sourceType: 'overheard',
  threatAreas: ['conveyance'],
  urgent: false,
  nominals: [],
  ...overrides,
})

async function submit(body: Record<string, unknown>) {
  const response = await as.reporter.post('/api/v1/intelligence-reports', body)
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

/** The text of a page without its tags, spaces run together: what a reader sees. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/\s+/g, ' ')

async function home(username: string) {
  const page = await (await t.signIn(username)).get('/')
  assert.equal(page.statusCode, 200)
  return { html: page.body, text: words(page.body) }
}

before(async () => {
  t = await testApp()
  for (const username of ['reporter', 'analyst', 'head-of-security', 'socu']) {
    as[username] = t.api(await t.token(username))
  }
  refs.older = await submit(report('A parcel is expected at reception on Friday.'))
  refs.urgent = await submit(
    report('A fight is planned on B wing tonight.', { urgent: true, threatAreas: ['violence-disorder'] }),
  )
  refs.started = await submit(report('A phone is hidden in the laundry.'))
  const analyst = await t.signIn('analyst')
  const start = await analyst.post(
    `/intelligence/reports/${refs.started}/start`,
    {},
    `/intelligence/reports/${refs.started}`,
  )
  assert.equal(start.statusCode, 303)
})
after(() => t.close())

describe('the home page shows each role the work that is theirs', () => {
  it('an analyst sees the triage queue with its count and its urgent count, linking to it', async () => {
    const { html, text } = await home('analyst')
    assert.match(text, /Triage queue 3 reports are waiting for triage, 1 urgent\./)
    assert.match(
      html,
      /<a class="govuk-link" href="\/intelligence\/queue" data-qa="work-link">Open the triage queue<\/a>/,
    )
    assert.doesNotMatch(text, /LSS amendments awaiting your decision/)
  })

  it('a reporter sees their recent reports and where each stands, each a link to what they sent', async () => {
    const { html, text } = await home('reporter')
    assert.match(text, /Your recent reports/)
    assert.match(text, new RegExp(`${refs.started} Submitted .+? In assessment`))
    assert.match(text, new RegExp(`${refs.older} Submitted .+? Submitted`))
    assert.match(html, new RegExp(`href="/intelligence/mine/${refs.urgent}"`))
    assert.doesNotMatch(text, /Triage queue/)
    assert.match(text, /Nothing of yours is overdue or due in the next 14 days\./)
  })

  it('a member of staff who has reported nothing is shown how to report', async () => {
    const { html, text } = await home('pio')
    assert.match(text, /You have not submitted any intelligence reports\./)
    assert.match(html, /href="\/intelligence\/report" data-qa="work-link">Report intelligence</)
  })

  it('the head of security sees the triage queue and the LSS risk assessment clock', async () => {
    const { text } = await home('head-of-security')
    assert.match(text, /Triage queue 3 reports are waiting for triage, 1 urgent\./)
    // Every clock here is the LSS's: a From column would say LSS on every row, so it is left out (polish).
    assert.match(text, /(Overdue|Due in the next 14 days) \(\d+\) What Due .*risk assessment/)
  })

  it('a governor sees the LSS amendments awaiting their decision, with the prison by name', async () => {
    const hos = as['head-of-security']
    const created = await hos.post('/api/v1/lss/instructions', {
      riskArea: 'conveyance',
      title: 'Gate searching',
      owner: 'Head of Operations',
      aimAndPurpose: 'To stop illicit items being conveyed into the prison.',
      nationalReference: 'NSF 6.3',
      localReference: 'LSS-CON-01',
      procedures: 'Search one in five.',
    })
    assert.equal(created.statusCode, 201, created.body)
    const proposed = await hos.post('/api/v1/lss/amendments', {
      instructionId: created.json().id,
      aimAndPurpose: 'To stop illicit items being conveyed into the prison.',
      nationalReference: 'NSF 6.3',
      localReference: 'LSS-CON-01',
      procedures: 'Search one in three.',
      change: 'More searching at the gate',
      reasoning: 'Finds have risen',
      relatesTo: 'none',
    })
    assert.equal(proposed.statusCode, 201, proposed.body)
    const { text } = await home('governor')
    assert.match(text, /LSS amendments awaiting your decision 1 amendment is waiting for your decision\./)
    assert.match(
      text,
      /Decide amendment AMD-MDI-\d{4}-\d+: Gate searching As Governor, proposed (less than a minute|\d+ minutes?) ago, Moorland \(HMP & YOI\)/,
    )
    const pgd = await home('pgd')
    assert.match(pgd.text, /No amendment to the Local Security Strategy is waiting for your decision\./)
  })

  it('SOCU sees like clocks grouped, prisons by name, and only what is due', async () => {
    const visited = ['MDI', 'LEI']
    for (const establishmentCode of visited) {
      const visit = {
        establishmentCode,
        visitedOn: new Date().toISOString().slice(0, 10),
        findings: 'Triggers flagged',
      }
      assert.equal((await as.socu.post('/api/v1/soc/visits', visit)).statusCode, 201)
    }
    const region = await t.db
      .selectFrom('establishment')
      .select(['code', 'name'])
      .where('socuRegion', '=', 'North East / Yorks and Humber')
      .execute()
    const due = region.length - visited.length
    const { html, text } = await home('socu')
    assert.equal(text.match(/Quarterly SOCU assurance visits/g)?.length, 1, 'one line for every prison due a visit')
    assert.match(text, new RegExp(`Quarterly SOCU assurance visits: ${due} prisons .+? and ${due - 6} more \\d`))
    assert.match(text, /Full Sutton \(HMP\)/)
    assert.doesNotMatch(html, /visit to [A-Z]{3}\b/, 'no prison codes')
    assert.match(text, /Six-monthly equality dip sample/)
    assert.doesNotMatch(text, /not yet due/, 'work not yet due is not listed under what is due')
    assert.doesNotMatch(html, /<th[^>]*>From<\/th>/, 'every clock is from SOC: no column repeats it')
    assert.match(html, /<span class="app-nowrap">\d{1,2} [A-Z][a-z]+ \d{4}<\/span>/, 'a due date never wraps')
  })

  it('an auditor, with nothing waiting, is told so', async () => {
    const { text } = await home('auditor')
    assert.doesNotMatch(text, /Triage queue|Your recent reports|awaiting your decision/)
    assert.match(text, /Nothing of yours is overdue or due in the next 14 days\./)
  })
})

describe('the triage queue', () => {
  it('says how long each report has waited and who has it, and no column repeats one value', async () => {
    const page = await (await t.signIn('analyst')).get('/intelligence/queue')
    assert.equal(page.statusCode, 200)
    const text = words(page.body)
    assert.match(text, /3 reports are waiting for the security department at Moorland \(HMP & YOI\), 1 urgent\./)
    assert.match(text, /Reference Urgent Waiting About Who has it/)
    assert.doesNotMatch(text, /Establishment|Status/, 'one prison and the assessor say what those columns repeated')
    assert.match(
      text,
      new RegExp(`${refs.urgent} Urgent (Less than a minute|\\d+ minutes?) Violence and disorder Not started`),
    )
    assert.match(text, new RegExp(`${refs.started} (Less than a minute|\\d+ minutes?) Conveyance Adam Analyst`))
  })

  it('puts how long a report has waited in words', () => {
    const at = new Date('2026-11-20T09:00:00Z')
    const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000)
    assert.equal(waitedInWords(at, later(0)), 'Less than a minute')
    assert.equal(waitedInWords(at, later(1)), '1 minute')
    assert.equal(waitedInWords(at, later(5 * 60 + 10)), '5 hours')
    assert.equal(waitedInWords(at, later(24 * 60)), '1 day')
    assert.equal(waitedInWords(at, later(3 * 24 * 60 + 60)), '3 days')
    assert.equal(waitedInWords(at, later(40 * 24 * 60)), '5 weeks')
  })

  it('names the question when no threat area is chosen', async () => {
    const response = await as.reporter.post('/api/v1/intelligence-reports', report('Something', { threatAreas: [] }))
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /Select what the intelligence is about/)
  })
})

describe('a reporter re-reads what they sent', () => {
  it('links each of their reports to it as sent, which they open without intelligence:read', async () => {
    const reporter = await t.signIn('reporter')
    const mine = await reporter.get('/intelligence/mine')
    assert.match(
      mine.body,
      new RegExp(`<a class="govuk-link" href="/intelligence/mine/${refs.urgent}">${refs.urgent}</a>`),
    )
    const me = await as.reporter.get('/api/v1/me')
    assert.ok(!me.json().permissions.includes('intelligence:read'))
    const sent = await reporter.get(`/intelligence/mine/${refs.urgent}`)
    assert.equal(sent.statusCode, 200)
    const text = words(sent.body)
    assert.match(text, /Your report, as you sent it/)
    assert.match(text, /A fight is planned on B wing tonight\./)
    assert.match(text, /What it is about Violence and disorder/)
    assert.match(text, /Urgent Yes/)
    assert.equal((await reporter.get(`/intelligence/reports/${refs.urgent}`)).statusCode, 403)
    const event = await t.db
      .selectFrom('auditEvent')
      .select(['actorUsername', 'details'])
      .where('action', '=', 'intelligence.viewed')
      .where('subjectId', '=', refs.urgent)
      .executeTakeFirstOrThrow()
    assert.equal(event.actorUsername, 'reporter')
    assert.deepEqual(event.details, { original: true, asSent: true })
  })

  it('is "not found" for anyone else’s report, even a reader’s', async () => {
    assert.equal((await (await t.signIn('pio')).get(`/intelligence/mine/${refs.urgent}`)).statusCode, 404)
    assert.equal((await (await t.signIn('analyst')).get(`/intelligence/mine/${refs.urgent}`)).statusCode, 404)
  })
})
