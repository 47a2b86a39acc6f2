import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { addDays, londonToday } from '../../src/platform/deadlines/deadlines.ts'
import { assertErrorLinksLand, browserJourney, checkPage, errorLinks, flash, press } from '../support/browser.ts'

// The search programme and searches in Chromium against the real app: the head of security sets a requirement, an
// officer records a planned search against it after being told what is missing, then a random one that found
// something, and the programme, the searches, coverage, the hub and the LSS show it. axe runs on every page.

const TODAY = londonToday(new Date())
const journey = browserJourney()
const open = journey.open

async function fillDate(page: Page, legend: string, iso: string) {
  const [year, month, day] = iso.split('-')
  const group = page.getByRole('group', { name: legend, exact: true })
  await group.getByLabel('Day').fill(String(Number(day)))
  await group.getByLabel('Month').fill(String(Number(month)))
  await group.getByLabel('Year').fill(year)
}

describe('the search programme and searches', () => {
  it('the head of security adds a requirement, which is overdue at once', async () => {
    const page = await open('/searching/programme', { as: 'head-of-security' })
    assert.equal(await page.locator('[data-qa=no-requirements]').count(), 1)
    await checkPage(page, 'programme (empty)')
    await Promise.all([
      page.waitForURL('**/searching/programme/new'),
      page.locator('[data-qa=add-requirement]').click(),
    ])
    await checkPage(page, 'add a requirement')
    await press(page, 'save-requirement')
    assert.deepEqual(await errorLinks(page), [
      'Select what is to be searched',
      'Enter where the searches are done',
      'Select how it is to be searched',
      'Enter how often, in days, like 28',
      'Enter the date the requirement starts',
    ])
    await assertErrorLinksLand(page)
    await checkPage(page, 'add a requirement (errors)')
    await page.getByLabel('Cells').check()
    await page.getByLabel('Where?').fill('A wing')
    await page.getByLabel('Standard search').check()
    await page.getByLabel('How often, in days?').fill('7')
    await fillDate(page, 'When does it start?', addDays(TODAY, -20))
    await press(page, 'save-requirement')
    assert.equal(await flash(page), 'Success Requirement added to the search programme')
    assert.match((await page.locator('[data-qa=overdue]').textContent()) ?? '', /Cells, A wing/)
    await checkPage(page, 'programme (one overdue)', 'searching-programme')
  })

  it('an officer records a planned search, then a random one that found something', async () => {
    const page = await open('/searching/searches/new', { as: 'reporter' })
    await checkPage(page, 'record a search')
    await press(page, 'record-search')
    assert.ok((await errorLinks(page)).includes('Select what was searched'))
    await assertErrorLinksLand(page)
    await checkPage(page, 'record a search (errors)')
    await page.getByLabel('Cells').check()
    await page.getByLabel('Where?').fill('A-1-012')
    await page.getByLabel('Standard search').check()
    await page.getByLabel('Planned (search programme)').check()
    await page
      .getByLabel('If planned: which requirement of the programme does it meet?')
      .selectOption({ label: 'Cells, A wing: standard search, every week' })
    await fillDate(page, 'What date was the search?', TODAY)
    await page.getByLabel('What time did it start?').fill('00:01')
    await page.getByLabel('Nothing found').check()
    await checkPage(page, 'record a search (filled in)', 'searching-record')
    await press(page, 'record-search')
    assert.match(await flash(page), /^Success Search SR-MDI-\d{4}-\w{6} recorded$/)
    await checkPage(page, 'a search')

    await open('/searching/searches/new')
    await page.getByLabel('Cells').check()
    await page.getByLabel('Where?').fill('C-3-021')
    await page.getByLabel('Dog search').check()
    await page.getByLabel('Random').check()
    await fillDate(page, 'What date was the search?', TODAY)
    await page.getByLabel('What time did it start?').fill('00:02')
    await page.getByLabel('Other officers who searched with you (optional)').fill('Adam Analyst')
    await page.getByLabel('Something prohibited or unauthorised').check()
    await press(page, 'record-search')
    assert.equal(await page.locator('[data-qa=record-find]').count(), 1, 'a search with finds offers to record one')
    await checkPage(page, 'a search with finds', 'searching-search')
  })

  it('shows the searches, the programme met, coverage, the hub and the strategy', async () => {
    const page = await open('/searching/searches', { as: 'head-of-security' })
    assert.match((await page.locator('[data-qa=searches-count]').textContent()) ?? '', /^2 searches/)
    await checkPage(page, 'recent searches', 'searching-list')
    await open('/searching/programme')
    assert.equal(await page.locator('[data-qa=overdue]').count(), 0, 'the planned search met the requirement')
    await checkPage(page, 'programme (met)')
    await open('/searching/coverage')
    const aWing = (await page.getByRole('row', { name: /^A wing/ }).textContent()) ?? ''
    assert.match(aWing, /1\s*1 of \d+ planned/)
    await checkPage(page, 'coverage', 'searching-coverage')
    await open('/searching')
    assert.match(
      (await page.locator('[data-qa=hub-programme-counts]').textContent()) ?? '',
      /No planned search is overdue/,
    )
    await checkPage(page, 'hub')
    await open('/lss')
    assert.match((await page.locator('[data-qa=lss-searching-requirements]').textContent()) ?? '', /Cells, A wing/)
    await checkPage(page, 'LSS with the searching strategy', 'searching-lss')
  })
})
