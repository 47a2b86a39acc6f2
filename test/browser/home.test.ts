import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { assertNoAxeViolations, browserJourney, errorLinks, press, screenshot } from '../support/browser.ts'

// Issue 12.5, 12.14 and 12.16 in Chromium: each role's home shows the work that is theirs; the triage queue says how
// long each report has waited and who has it; a reporter re-reads what they sent. axe over each page, and screenshots
// at a desktop's width and a phone's.

const refs: string[] = []

const journey = browserJourney(async server => {
  const reporter = server.api(await server.token('reporter'))
  const texts = [
    'A parcel is expected at reception on Friday, thrown over the fence near the gym.',
    'A fight is planned on B wing tonight after association.',
    'A phone is hidden in the laundry, behind the dryers.',
  ]
  for (const [i, text] of texts.entries()) {
    const response = await reporter.post('/api/v1/intelligence-reports', {
      text,
      occurredAt: '2026-01-10T14:30:00Z',
      location: 'Reception',
      sourceType: 'overheard',
      threatAreas: i === 1 ? ['violence-disorder'] : ['conveyance'],
      urgent: i === 1,
      nominals: [],
    })
    assert.equal(response.statusCode, 201, response.body)
    refs.push(response.json().ref)
  }
  const analyst = server.api(await server.token('analyst'))
  const started = await analyst.post(`/api/v1/intelligence-reports/${refs[2]}/actions`, { action: 'start-assessment' })
  assert.equal(started.statusCode, 200, started.body)

  const hos = server.api(await server.token('head-of-security'))
  const wording = {
    aimAndPurpose: 'To stop illicit items being conveyed into the prison.',
    nationalReference: 'NSF 6.3',
    localReference: 'LSS-CON-01',
    procedures: 'Search one in five.',
  }
  const instruction = await hos.post('/api/v1/lss/instructions', {
    riskArea: 'conveyance',
    title: 'Gate searching',
    owner: 'Head of Operations',
    ...wording,
  })
  assert.equal(instruction.statusCode, 201, instruction.body)
  const amendment = await hos.post('/api/v1/lss/amendments', {
    instructionId: instruction.json().id,
    ...wording,
    procedures: 'Search one in three.',
    change: 'More searching at the gate',
    reasoning: 'Finds have risen',
    relatesTo: 'none',
  })
  assert.equal(amendment.statusCode, 201, amendment.body)

  const socu = server.api(await server.token('socu'))
  for (const establishmentCode of ['MDI', 'LEI']) {
    const visit = { establishmentCode, visitedOn: new Date().toISOString().slice(0, 10), findings: 'Triggers flagged' }
    assert.equal((await socu.post('/api/v1/soc/visits', visit)).statusCode, 201)
  }
})

/** Screenshots at 1280 and 375 px, then axe; the page is left at 1280 px. */
async function look(page: Page, name: string) {
  await screenshot(page, name)
  await page.setViewportSize({ width: 375, height: 800 })
  await screenshot(page, `${name}-375`)
  await page.setViewportSize({ width: 1280, height: 800 })
  await assertNoAxeViolations(page, name)
}

async function sectionText(page: Page, title: string) {
  const section = page.locator('[data-qa=work-section]').filter({ has: page.getByRole('heading', { name: title }) })
  return ((await section.textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

describe('each role’s home shows the work that is theirs', () => {
  it('an analyst sees the triage queue and its urgent count, and follows it to the queue', async () => {
    const page = await journey.open('/', { as: 'analyst' })
    assert.match(await sectionText(page, 'Triage queue'), /3 reports are waiting for triage, 1 urgent\./)
    await look(page, 'home-analyst')
    await Promise.all([
      page.waitForURL(url => url.pathname === '/intelligence/queue'),
      page.getByRole('link', { name: 'Open the triage queue' }).click(),
    ])
    const rows = page.locator('[data-qa=queue] tbody tr')
    assert.equal(await rows.count(), 3)
    const first = ((await rows.first().textContent()) ?? '').replace(/\s+/g, ' ')
    assert.match(
      first,
      new RegExp(`${refs[1]} Urgent (Less than a minute|\\d+ minutes?) Violence and disorder Not started`),
    )
    assert.match((await page.locator('[data-qa=queue]').textContent()) ?? '', /Adam Analyst/)
    const head = (await page.locator('[data-qa=queue] thead').textContent())?.replace(/\s+/g, ' ').trim()
    assert.equal(head, 'Reference Urgent Waiting About Who has it')
    await look(page, 'queue-analyst')
  })

  it('the head of security sees the triage queue and the LSS clocks', async () => {
    const page = await journey.open('/', { as: 'head-of-security' })
    assert.match(await sectionText(page, 'Triage queue'), /3 reports are waiting/)
    const clocks = ((await page.locator('[data-qa=your-work]').textContent()) ?? '').replace(/\s+/g, ' ')
    assert.match(clocks, /risk assessment/)
    await look(page, 'home-head-of-security')
  })

  it('a governor sees the amendment awaiting their decision, with the prison by name', async () => {
    const page = await journey.open('/', { as: 'governor' })
    const section = await sectionText(page, 'LSS amendments awaiting your decision')
    assert.match(section, /1 amendment is waiting for your decision\./)
    assert.match(
      section,
      /Decide amendment AMD-MDI-\d{4}-\d+: Gate searching\s*As Governor, proposed .+ ago, Moorland \(HMP & YOI\)/,
    )
    await look(page, 'home-governor')
  })

  it('SOCU sees the assurance visits due as one line naming the prisons', async () => {
    const page = await journey.open('/', { as: 'socu' })
    const line = page
      .locator('[data-qa=due-soon] tbody tr, [data-qa=overdue] tbody tr')
      .filter({ hasText: 'Quarterly SOCU assurance visits' })
    assert.equal(await line.count(), 1)
    const text = ((await line.textContent()) ?? '').replace(/\s+/g, ' ')
    assert.match(text, /Quarterly SOCU assurance visits: \d+ prisons/)
    // Work not yet due is not work: it is left out of the due list (the walk through every page).
    assert.doesNotMatch(text, /not yet due/)
    assert.doesNotMatch(text, /\b(MDI|LEI|FNI)\b/)
    await look(page, 'home-socu')
  })

  it('a reporter sees their recent reports, opens one and reads what they sent', async () => {
    const page = await journey.open('/', { as: 'reporter' })
    const section = await sectionText(page, 'Your recent reports')
    assert.match(section, new RegExp(`${refs[2]}\\s*Submitted .+ In assessment`))
    await look(page, 'home-reporter')
    await Promise.all([
      page.waitForURL(url => url.pathname === '/intelligence/mine'),
      page.getByRole('link', { name: 'See all your reports' }).click(),
    ])
    await look(page, 'mine-reporter')
    await Promise.all([
      page.waitForURL(url => url.pathname === `/intelligence/mine/${refs[1]}`),
      page.locator('[data-qa=my-reports]').getByRole('link', { name: refs[1] }).click(),
    ])
    assert.equal(
      (await page.locator('[data-qa=report-text]').textContent())?.trim(),
      'A fight is planned on B wing tonight after association.',
    )
    await look(page, 'mine-report-as-sent')
  })
})

describe('the report form names its question', () => {
  it('asks what the intelligence is about in the words of the question', async () => {
    const page = await journey.open('/intelligence/report', { as: 'reporter' })
    await press(page, 'submit-report')
    assert.ok((await errorLinks(page)).includes('Select what the intelligence is about'))
  })
})
