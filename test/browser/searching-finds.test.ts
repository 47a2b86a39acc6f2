import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { shiftMonth } from '../../src/modules/searching/rules.ts'
import { londonToday } from '../../src/platform/deadlines/deadlines.ts'
import {
  assertErrorLinksLand,
  browserJourney,
  checkPage,
  errorLinks,
  flash,
  press,
  textOf,
} from '../support/browser.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

// The finds register in Chromium against the real app: an officer records a find after being told what is missing,
// it shows with its people and "Needs interrogation", the register filters, the security department records what
// followed for the prisoner, and the trends page draws its charts with a table of every figure. axe (WCAG 2.2 AA)
// runs on every page on the way.

const TODAY = londonToday(new Date())
const THIS_MONTH = TODAY.slice(0, 7)

const journey = browserJourney(async server => {
  await importTestPrisoners(server.db, [
    prisonerRecord({ prisonerNumber: 'A1234BC', firstName: 'MOHAMMED', lastName: 'HUSSAIN', cellLocation: 'B-2-014' }),
    prisonerRecord({ prisonerNumber: 'G4821KT', firstName: 'DANIEL', lastName: 'OKAFOR', cellLocation: 'D-1-027' }),
  ])
  // Finds of earlier months, and of the same months a year before, so that the trends have something to show.
  const api = server.api(await server.token('analyst'))
  const earlier: [number, string, string][] = [
    [1, 'drugs', 'D-1-027'],
    [2, 'mobile-phone', 'B-2-014'],
    [2, 'weapon', 'C-3-021'],
    [5, 'psychoactive-substance', 'Post room'],
    [13, 'mobile-phone', 'B-1-002'],
    [14, 'alcohol', 'Kitchen store'],
  ]
  for (const [monthsAgo, category, location] of earlier) {
    const response = await api.post('/api/v1/finds', {
      category,
      description: `Demonstration ${category} find`,
      foundAt: `${shiftMonth(THIS_MONTH, -monthsAgo)}-12T10:00:00Z`,
      location,
      wing: location.includes('-') ? undefined : location.startsWith('Post') ? 'Post room' : 'Kitchen',
    })
    assert.equal(response.statusCode, 201, response.body)
  }
})
const open = journey.open

let findPath = ''

describe('the finds register', () => {
  it('an officer records a phone found in a cell, after being told what is missing', async () => {
    const page = await open('/searching', { as: 'reporter' })
    assert.match(await textOf(page, 'hub-finds'), /Finds/)
    await checkPage(page, 'searching hub')
    await Promise.all([page.waitForURL('**/searching/finds/new'), page.locator('[data-qa=record-find-link]').click()])
    await checkPage(page, 'record a find')

    await press(page, 'record-find')
    assert.deepEqual(await errorLinks(page), [
      'Select what was found',
      'Describe what was found',
      'Enter the date it was found',
      'Enter the time it was found',
      'Enter where it was found',
      'Select how it was found',
    ])
    await assertErrorLinksLand(page)
    await checkPage(page, 'record a find with errors', 'finds-new-errors')

    await page.getByLabel('Mobile phone').check()
    await page.getByLabel('Describe it').fill('Black Nokia handset wrapped in cling film, inside a sock')
    const date = page.getByRole('group', { name: 'What date was it found?' })
    const [year, month, day] = TODAY.split('-')
    await date.getByLabel('Day').fill(String(Number(day)))
    await date.getByLabel('Month').fill(String(Number(month)))
    await date.getByLabel('Year').fill(year)
    await page.getByLabel('What time was it found?').fill('00:01')
    await page.getByLabel('Where was it found?').fill('B-2-014')
    await page.getByLabel('During a search').check()
    await page.getByLabel('Who found it? (optional)').fill('Officer Gary Hollis')
    await page.getByLabel(/Prison numbers of the people/).fill('a1234bc')
    await press(page, 'record-find')

    findPath = new URL(page.url()).pathname
    assert.match(findPath, /^\/searching\/finds\/FD-MDI-\d{4}-[A-Z0-9]{6}$/)
    assert.match(await flash(page), /^Success Find FD-MDI-\d{4}-[A-Z0-9]{6} recorded$/)
    assert.match(await textOf(page, 'interrogation'), /Needs interrogation/)
    assert.match(await textOf(page, 'find-summary'), /Where B-2-014, B wing .* Found by Officer Gary Hollis/)
    assert.match(await textOf(page, 'find-people'), /Mohammed Hussain A1234BC Not recorded yet/)
    await checkPage(page, 'a find', 'finds-find')
  })

  it('the register filters by category and wing, with its dates in a GOV.UK date input', async () => {
    const page = await open('/searching/finds?category=mobile-phone', { as: 'reporter' })
    assert.equal(await textOf(page, 'finds-count'), '3 finds')
    await page.getByLabel('Category').selectOption('drugs')
    await page.getByLabel('Wing or area').selectOption('D wing')
    await press(page, 'filter-finds')
    assert.equal(await textOf(page, 'finds-count'), '1 find')
    await page.getByLabel('Category').selectOption('mobile-phone')
    await page.getByLabel('Wing or area').selectOption('B wing')
    await press(page, 'filter-finds')
    assert.equal(await textOf(page, 'finds-count'), '3 finds')
    const from = page.getByRole('group', { name: 'Found from (optional)' })
    await from.getByLabel('Day').fill('31')
    await from.getByLabel('Month').fill('2')
    await from.getByLabel('Year').fill('2026')
    await press(page, 'filter-finds')
    assert.deepEqual(await errorLinks(page), ['The date to show finds from must be a real date'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'register with an error')
    await from.getByLabel('Day').fill('1')
    await from.getByLabel('Month').fill(String(Number(TODAY.slice(5, 7))))
    await from.getByLabel('Year').fill(TODAY.slice(0, 4))
    await press(page, 'filter-finds')
    assert.equal(await textOf(page, 'finds-count'), '1 find')
    assert.match(
      await textOf(page, 'finds'),
      /Mobile phone Black Nokia handset .* B-2-014 B wing During a search Officer Gary Hollis 1/,
    )
    await checkPage(page, 'register', 'finds-register')
  })

  it('the security department records what followed for the prisoner', async () => {
    const page = await open(findPath, { as: 'analyst' })
    await page.getByLabel('Referred to adjudication').check()
    await press(page, 'record-outcome')
    assert.deepEqual(await errorLinks(page), ['Enter the adjudication reference'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'a find with an outcome error')
    await page.getByLabel('Referred to adjudication').check()
    await page.getByLabel('Reference').fill('MDI-2026-00457')
    await press(page, 'record-outcome')
    assert.equal(await flash(page), 'Success What followed for A1234BC recorded')
    assert.match(await textOf(page, 'find-people'), /Referred to adjudication: MDI-2026-00457 Recorded by Adam Analyst/)
    await checkPage(page, 'a find with an outcome')

    await Promise.all([
      page.waitForURL('**/people/A1234BC'),
      page.getByRole('link', { name: 'Mohammed Hussain' }).click(),
    ])
    assert.match(await textOf(page, 'finds-panel'), /Mobile phone .* Referred to adjudication: MDI-2026-00457/)
    await checkPage(page, 'profile with finds')
  })

  it('the trends page draws accessible charts, each with a table of the same figures', async () => {
    const page = await open('/searching/finds/trends', { as: 'head-of-security' })
    const charts = page.getByRole('img', { name: /^Finds / })
    assert.equal(await charts.count(), 3)
    assert.match(
      (await page.locator('#month-chart-desc').textContent()) ?? '',
      /^Column chart\. 5 finds in the twelve months against 2 a year before/,
    )
    assert.match(await textOf(page, 'by-month'), /Month Finds Same month a year before Change/)
    const categories = await textOf(page, 'by-category')
    assert.match(categories, /Mobile phone( \d+){12} 2 1/)
    assert.match(categories, /Alcohol( \d+){12} 0 1/)
    assert.match(await textOf(page, 'by-wing'), /B wing( \d+){12} 2 1/)
    await checkPage(page, 'finds trends', 'finds-trends')
  })
})
