import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { insertReports, syntheticReports } from '../../src/demo/intelligence.ts'
import { SYSTEM_ACTOR } from '../../src/platform/audit/audit.ts'
import {
  assertNoAxeViolations,
  openBrowser,
  screenshot,
  signIn,
  type TestBrowser,
  type TestServer,
  testServer,
  visit,
  watchForPageErrors,
} from '../support/browser.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

// The intelligence journey in Chromium: a member of staff reports, an analyst triages, grades, sanitises, links and
// disseminates, and the head of security looks after the settings. axe (WCAG 2.2 AA) runs on every page on the way.

let server: TestServer
let browser: TestBrowser
let pageErrors: string[]
let ref = ''
// The report made with JavaScript turned off, restricted to a compartment afterwards.
let plainRef = ''

const REPORT_TEXT =
  'Mohammed Hussain in cell B-2-014 keeps a phone, 07700 900123, in his kettle.\n' +
  'He told James O’Neill that a car, AB12 CDE, will bring parcels to the visits car park on Saturday.'
const SANITISED_TEXT = 'A prisoner on B wing is believed to hold a mobile phone.\nA vehicle may be used at visits.'

before(async () => {
  server = await testServer()
  // Cells the report's text names, so the cell entities have people to belong to.
  const people = [
    { prisonerNumber: 'A1234BC', firstName: 'MOHAMMED', lastName: 'HUSSAIN', cellLocation: 'B-2-014' },
    { prisonerNumber: 'G4821KT', firstName: 'JAMES', lastName: "O'NEILL", cellLocation: 'B-2-015' },
  ]
  await importTestPrisoners(server.db, people.map(prisonerRecord), 'intelligence-test.json')
  browser = await openBrowser()
  pageErrors = watchForPageErrors(browser.page)
})
after(async () => {
  await browser?.close()
  await server?.close()
})
beforeEach(async () => {
  await browser.context.clearCookies()
  pageErrors.length = 0
})
afterEach(() => {
  assert.deepEqual(pageErrors, [], 'the browser reported errors: a blocked script, a missing asset or a script failure')
})

/** axe over the page as it is, and a screenshot to look at. */
async function check(name: string) {
  await screenshot(browser.page, `intelligence-${name}`)
  await assertNoAxeViolations(browser.page, name)
}

/** The text of the first element a selector finds, trimmed. */
async function textOf(selector: string) {
  return ((await browser.page.locator(selector).first().textContent()) ?? '').trim()
}

/** The text of each link in the GOV.UK error summary. */
async function errorLinks() {
  const summary = browser.page.locator('.govuk-error-summary')
  await summary.waitFor()
  return (await summary.getByRole('link').allTextContents()).map(text => text.trim())
}

/** Submits a form by its button and waits for the page it leads to. */
async function press(dataQa: string) {
  await Promise.all([browser.page.waitForEvent('load'), browser.page.locator(`[data-qa=${dataQa}]`).first().click()])
}

describe('intelligence, from report to dissemination', () => {
  it('a member of staff reports intelligence on a phone-sized screen', async () => {
    const { page } = browser
    await page.setViewportSize({ width: 375, height: 812 })
    try {
      await signIn(page, server.baseUrl, 'reporter')
      await visit(page, server.baseUrl, '/intelligence/report')
      await check('submit')
      // Issue 12.7: the GOV.UK pattern chooses no answer for the reporter.
      assert.equal(await page.locator('input[name=urgent]:checked').count(), 0, '"Is it urgent?" starts unanswered')

      await press('submit-report')
      assert.deepEqual(await errorLinks(), [
        'Enter what you know',
        'Enter the date it happened',
        'Enter the time it happened',
        'Select how you know this',
        'Select what the intelligence is about',
        'Select yes if it is urgent',
      ])
      await check('submit-errors')
      // Issue 12.6: the date and the time are named apart, each linked to its own box.
      await page.getByRole('link', { name: 'Enter the date it happened' }).click()
      await page.locator('#occurredDate-day:focus').waitFor()
      await page.getByRole('link', { name: 'Enter the time it happened' }).click()
      await page.locator('#occurredTime:focus').waitFor()

      await page.getByLabel('What do you know?').fill(REPORT_TEXT)
      const when = page.getByRole('group', { name: 'What date did it happen?' })
      await when.getByLabel('Day').fill('10')
      await when.getByLabel('Month').fill('1')
      await when.getByLabel('Year').fill('2026')
      await page.getByLabel('What time did it happen?').fill('14:30')
      await page.getByLabel('Where it happened (optional)').fill('B wing landing 2')
      await page.getByRole('group', { name: 'How do you know this?' }).getByLabel('A prisoner told me').check()
      await page.getByRole('group', { name: 'What is it about?' }).getByLabel('Conveyance').check()
      await page.getByRole('group', { name: 'What is it about?' }).getByLabel('Illicit communications').check()
      await page.getByRole('group', { name: 'Is it urgent?' }).getByLabel('Yes').check()
      await page.getByLabel('Prison numbers of the people it concerns (optional)').fill('A1234BC')
      await page.getByLabel('Other people, by name (optional)').fill('Tina Visitor')
      await press('submit-report')

      assert.equal(await textOf('h1'), 'Report submitted')
      ref = await textOf('[data-qa=report-ref]')
      assert.match(ref, /^IR-MDI-\d{4}-[34679CDFGHJKMNPQRTWXY]{6}$/)
      await check('submitted')

      await page.locator('[data-qa=your-reports]').click()
      await page.waitForURL(url => url.pathname === '/intelligence/mine')
      assert.match(await textOf('[data-qa=my-reports]'), new RegExp(ref))
      await check('mine')
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 })
    }
  })

  it('an analyst triages, grades, sanitises and links it', async () => {
    const { page } = browser
    await signIn(page, server.baseUrl, 'analyst')
    await visit(page, server.baseUrl, '/intelligence/queue')
    assert.match(await textOf('[data-qa=queue]'), new RegExp(`${ref}\\s*Urgent`))
    await check('queue')

    await page.locator('[data-qa=queue]').getByRole('link', { name: ref }).click()
    await page.waitForURL(url => url.pathname === `/intelligence/reports/${ref}`)
    assert.equal(await textOf('[data-qa=original-text]'), REPORT_TEXT)
    assert.match(await textOf('[data-qa=people]'), /Mohammed Hussain[\s\S]*Tina Visitor/)
    await check('report')

    await press('start-assessment')
    assert.match(await textOf('[role=alert]'), /Assessment started/)

    await press('save-grading')
    assert.deepEqual(await errorLinks(), [
      'Select a source grade from the 3x5x2 scale',
      'Select an intelligence grade from the 3x5x2 scale',
      'Select a handling code from the 3x5x2 scale',
    ])
    await check('report-errors')
    await page.getByRole('link', { name: 'Select a source grade from the 3x5x2 scale' }).click()
    await page.locator('#source:focus').waitFor()

    const grading = page.locator('[data-qa=grading-form]')
    await grading.getByRole('group', { name: 'Source evaluation' }).getByLabel('1 — Reliable').check()
    await grading
      .getByRole('group', { name: 'Intelligence assessment' })
      .getByLabel('B — Known indirectly to the source but corroborated')
      .check()
    await grading.getByRole('group', { name: 'Handling code' }).getByLabel('P — Lawful sharing permitted').check()
    await press('save-grading')
    assert.match(await textOf('[data-qa=report-summary]'), /3x5x2 1\/B\/P/)

    await page.getByLabel('Write the sanitised version').fill(SANITISED_TEXT)
    await press('save-sanitised')
    assert.equal(await textOf('[data-qa=sanitised-text]'), SANITISED_TEXT)

    await page.getByLabel('Prison number or reference').fill('G4821KT')
    await page.getByRole('group', { name: 'Role in the report' }).getByLabel('Associate').check()
    await press('link-person')
    assert.match(await textOf('[data-qa=people]'), /James O'Neill[\s\S]*Associate/)

    await page.getByRole('button', { name: 'Accept +447700900123' }).click()
    await page.getByRole('alert').waitFor()
    assert.match(await textOf('[data-qa=entities]'), /\+447700900123\s*07700 900123\s*Accepted/)
    await check('report-graded')
  })

  it('the analyst disseminates the sanitised text, and the printable copy carries the grading', async () => {
    const { page } = browser
    await signIn(page, server.baseUrl, 'analyst')
    await visit(page, server.baseUrl, `/intelligence/reports/${ref}`)
    await page.locator('[data-qa=disseminate]').click()
    await page.waitForURL(url => url.pathname.endsWith('/disseminate'))
    assert.equal(await textOf('[data-qa=sanitised-text]'), SANITISED_TEXT)
    await check('disseminate')

    await press('record-dissemination')
    assert.deepEqual(await errorLinks(), [
      'Select who receives it',
      'Enter the recipient’s name',
      'Select the lawful purpose of the disclosure',
    ])
    await check('disseminate-errors')

    await page.getByLabel('Police force or prison intelligence officer (PIO)').check()
    await page.getByLabel('Name of the force, unit, establishment or officer').fill('West Yorkshire Police')
    await page.getByLabel('The prevention, detection, investigation or prosecution of crime').check()
    await press('record-dissemination')

    assert.match(new URL(page.url()).pathname, new RegExp(`^/intelligence/reports/${ref}/disseminations/`))
    for (const box of ['handling-top', 'handling-bottom']) {
      assert.match(await textOf(`[data-qa=${box}]`), /Grading: 3x5x2 1\/B\/P/)
    }
    assert.equal(await textOf('[data-qa=disseminated-text]'), SANITISED_TEXT)
    assert.doesNotMatch(await page.content(), /kettle/, 'the original words are never on the disseminated copy')
    await check('dissemination')

    await visit(page, server.baseUrl, `/intelligence/reports/${ref}`)
    assert.match(await textOf('[data-qa=report-tags]'), /Disseminated/)
    assert.match(await textOf('[data-qa=disseminations]'), /West Yorkshire Police/)
  })

  it('the network, search and profile show what links to the person', async () => {
    const { page } = browser
    await signIn(page, server.baseUrl, 'analyst')

    await visit(page, server.baseUrl, '/intelligence/network/A1234BC')
    assert.match(await textOf('[data-qa=network-depth-1]'), /James O'Neill[\s\S]*\+447700900123/)
    await page.locator('[data-qa=network-chart] canvas').first().waitFor()
    await check('network')

    await visit(page, server.baseUrl, '/intelligence/search?q=kettle')
    assert.equal(await textOf('[data-qa=result-count]'), '1 report')
    assert.equal(await textOf('[data-qa=search-results] mark'), 'kettle')
    await check('search')
    // Issue 12.6: the submitted dates are day, month and year boxes; a date that does not exist is named.
    const from = page.getByRole('group', { name: 'Submitted from' })
    await from.getByLabel('Day').fill('31')
    await from.getByLabel('Month').fill('2')
    await from.getByLabel('Year').fill('2026')
    await press('search')
    assert.deepEqual(await errorLinks(), ['The from date must be a real date'])
    await check('search-date-error')
    await from.getByLabel('Day').fill('1')
    await press('search')
    assert.equal(await textOf('[data-qa=result-count]'), '1 report')

    await visit(page, server.baseUrl, '/people/A1234BC')
    assert.match(await textOf('[data-qa=intelligence-panel]'), new RegExp(`${ref}[\\s\\S]*Subject[\\s\\S]*3x5x2 1/B/P`))
    await check('profile')
  })

  it('someone who may not read the original words sees the sanitised version only', async () => {
    const { page } = browser
    await signIn(page, server.baseUrl, 'governor')
    await visit(page, server.baseUrl, `/intelligence/reports/${ref}`)
    assert.equal(await page.locator('[data-qa=original-text]').count(), 0)
    assert.match(await textOf('[data-qa=original-withheld]'), /sanitised version only/)
    assert.equal(await textOf('[data-qa=sanitised-text]'), SANITISED_TEXT)
    await check('report-sanitised-only')
  })

  it('the head of security keeps the do-not-link list and sees who has read the report', async () => {
    const { page } = browser
    await signIn(page, server.baseUrl, 'head-of-security')
    await visit(page, server.baseUrl, '/intelligence/settings')
    await check('settings')

    await page.getByLabel('Type').selectOption('phone')
    await page.getByLabel('Value').fill('0808 800 1234')
    await page.getByLabel('Reason').fill('Helpline')
    await press('add-do-not-link')
    assert.match(await textOf('[data-qa=do-not-link]'), /\+448088001234[\s\S]*Helpline/)
    await check('settings-with-list')

    await visit(page, server.baseUrl, `/intelligence/reports/${ref}/readers`)
    assert.match(await textOf('[data-qa=readers]'), /Adam Analyst/)
    await check('readers')
  })

  it('a report can be made with JavaScript turned off', async () => {
    const noScript = await openBrowser({ javaScriptEnabled: false })
    try {
      const { page } = noScript
      await signIn(page, server.baseUrl, 'reporter')
      await visit(page, server.baseUrl, '/intelligence/report')
      await page.getByLabel('What do you know?').fill('A visitor passed something to G4821KT at table 4.')
      const when = page.getByRole('group', { name: 'What date did it happen?' })
      await when.getByLabel('Day').fill('11')
      await when.getByLabel('Month').fill('1')
      await when.getByLabel('Year').fill('2026')
      await page.getByLabel('What time did it happen?').fill('10:00')
      await page.getByLabel('I saw or heard it myself').check()
      await page.getByLabel('Conveyance').check()
      await page.getByRole('group', { name: 'Is it urgent?' }).getByLabel('No').check()
      await page.locator('[data-qa=submit-report]').click()
      await page.locator('[data-qa=report-ref]').waitFor()
      plainRef = ((await page.locator('[data-qa=report-ref]').textContent()) ?? '').trim()
    } finally {
      await noScript.close()
    }
  })

  // DESIGN "Who uses it": "Need-to-know compartments (staff corruption, covert human intelligence sources,
  // counter-terrorism) cut across roles: without the compartment a record does not exist for that user".
  it('an analyst restricts a report to the counter-terrorism compartment at triage', async () => {
    const { page } = browser
    assert.match(plainRef, /^IR-MDI-\d{4}-[34679CDFGHJKMNPQRTWXY]{6}$/)
    await signIn(page, server.baseUrl, 'analyst')
    await visit(page, server.baseUrl, `/intelligence/reports/${plainRef}`)
    await press('restrict-report')
    assert.deepEqual(await errorLinks(), ['Select who needs to know', 'Enter why only they need to know'])
    await page.getByRole('link', { name: 'Select who needs to know' }).click()
    await page.locator('#compartment:focus').waitFor()
    await check('restrict-errors')

    await page.getByRole('group', { name: 'Who needs to know?' }).getByLabel('Counter-terrorism').check()
    await page.getByLabel('Why only they need to know').fill('Talk of extremist material: for the CT lead')
    await press('restrict-report')
    assert.equal(new URL(page.url()).pathname, '/intelligence/queue', 'the analyst no longer holds it')
    assert.match(await textOf('.govuk-notification-banner'), /seen only by the counter-terrorism compartment/)
    assert.equal(await page.locator('[data-qa=queue]').getByText(plainRef).count(), 0, 'nor is it in the queue')
    await check('restricted')
  })
})

describe('the network of a busy person (issue 12)', () => {
  let busiest = ''

  before(async () => {
    // Forty prisoners at Moorland and four hundred reports about them, all assessed weeks ago: a real network.
    const first = ['JOHN', 'LEE', 'CONNOR', 'RYAN', 'DARREN', 'KYLE', 'JAMAL', 'TOMASZ', 'OWEN', 'SEAN']
    const last = ['SMITH', 'WALKER', 'PATEL', 'MURPHY', 'NOWAK', 'HUGHES', 'BARKER', 'REID']
    const people = Array.from({ length: 40 }, (_, i) => ({
      prisonerNumber: `N${String(5000 + i)}NW`,
      firstName: first[i % first.length],
      lastName: last[Math.floor(i / first.length) % last.length],
      cellLocation: `C-${(i % 4) + 1}-0${String(10 + i)}`,
    }))
    await importTestPrisoners(server.db, people.map(prisonerRecord), 'network-test.json')
    const prisoners = await server.db
      .selectFrom('peopleNominal')
      .select(['id', 'prisonNumber', 'firstName', 'lastName', 'establishmentCode', 'cellLocation'])
      .where('prisonNumber', 'like', 'N5%NW')
      .execute()
    const now = Date.now()
    const drafts = syntheticReports(12, 400, {
      prisoners: prisoners.map(p => ({ ...p, prisonNumber: p.prisonNumber ?? '' })),
      from: new Date(now - 400 * 86_400_000),
      to: new Date(now - 30 * 86_400_000),
    }).filter(draft => !draft.threatAreas.includes('staff-corruption'))
    const reporter = await server.db
      .selectFrom('appUser')
      .select(['id', 'username'])
      .where('username', '=', 'reporter')
      .executeTakeFirstOrThrow()
    await insertReports(server.db, drafts, reporter, SYSTEM_ACTOR)
    const counts = Map.groupBy(
      drafts.flatMap(d => d.subjects.map(s => s.nominalId)),
      id => id,
    )
    const top = [...counts].sort((a, b) => b[1].length - a[1].length)[0][0]
    busiest = prisoners.find(p => p.id === top)?.prisonNumber ?? ''
  })

  it('draws one node per person, with labels to read, filling its box, and pages the table', async () => {
    const { page } = browser
    await signIn(page, server.baseUrl, 'analyst')
    await visit(page, server.baseUrl, `/intelligence/network/${busiest}`)
    await page.locator('[data-qa=network-chart][data-drawn=true]').waitFor()
    const chart = await page.evaluate(() => {
      type Box = { x1: number; y1: number; x2: number; y2: number; w: number; h: number }
      type Cy = {
        zoom(): number
        elements(): { renderedBoundingBox(options: object): Box }
        nodes(selector: string): { map(f: (node: { style(name: string): string }) => number): number[] }
      }
      const container = document.getElementById('network-chart') as HTMLElement & { _cyreg: { cy: Cy } }
      const { cy } = container._cyreg
      const box = cy.elements().renderedBoundingBox({ includeLabels: false })
      const labels = cy.nodes('.depth-0, .depth-1').map(n => Number.parseFloat(n.style('font-size')) * cy.zoom())
      return { width: container.clientWidth, height: container.clientHeight, box, labels }
    })
    assert.ok(Math.min(...chart.labels) >= 12, `labels ${Math.min(...chart.labels)} px high on screen`)
    assert.ok(
      chart.box.w >= chart.width * 0.6 || chart.box.h >= chart.height * 0.6,
      `the graph fills its box: ${Math.round(chart.box.w)}×${Math.round(chart.box.h)} in ${chart.width}×${chart.height}`,
    )
    assert.ok(chart.box.x1 >= 0 && chart.box.y1 >= 0 && chart.box.x2 <= chart.width && chart.box.y2 <= chart.height)

    const graph = JSON.parse((await page.locator('#network-data').textContent()) ?? '{}') as {
      nodes: { kind: string; label: string; detail: string }[]
    }
    const numbers = new Set(graph.nodes.filter(n => n.kind === 'nominal').map(n => n.detail))
    assert.ok(numbers.size > 3, 'other people in the network')
    assert.deepEqual(
      graph.nodes.filter(n => n.kind === 'entity' && numbers.has(n.label)).map(n => n.label),
      [],
      'nobody appears again as their own prison number',
    )
    assert.doesNotMatch(await textOf('[data-qa=network-depth-1]'), new RegExp(busiest))

    const height = await page.evaluate(() => document.documentElement.scrollHeight)
    assert.ok(height < 3000, `the page is ${height} px tall`)
    await check('network-busy')

    await page.locator('.govuk-pagination__next a').click()
    await page.waitForURL(url => url.searchParams.get('page') === '2')
    assert.ok((await page.locator('[data-qa=network-depth-2] tbody tr').count()) > 0)
    await check('network-busy-page-2')
  })

  it('is a paged table without JavaScript', async () => {
    const noScript = await openBrowser({ javaScriptEnabled: false })
    try {
      const { page } = noScript
      await signIn(page, server.baseUrl, 'analyst')
      await visit(page, server.baseUrl, `/intelligence/network/${busiest}`)
      assert.equal(await page.locator('[data-qa=network-chart]').isVisible(), false)
      assert.ok((await page.locator('[data-qa=network-depth-1] tbody tr').count()) > 0)
      await screenshot(page, 'intelligence-network-busy-no-js')
      await page.locator('.govuk-pagination__next a').click()
      await page.waitForURL(url => url.searchParams.get('page') === '2')
      assert.ok((await page.locator('tbody tr').count()) > 0)
    } finally {
      await noScript.close()
    }
  })
})
