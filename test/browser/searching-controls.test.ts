import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { addMonths } from '../../src/modules/soc/rules.ts'
import { addDays, londonToday } from '../../src/platform/deadlines/deadlines.ts'
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

// Measures on visitors and permissions for items in Chromium, as the security department works them: a ban on a
// visitor who passed a package, its review, a permission for a contractor's phone and its revocation, and what the
// rest of the staff read. axe (WCAG 2.2 AA) runs on every page and state on the way.

const TODAY = londonToday(new Date())

const journey = browserJourney(async server => {
  await importTestPrisoners(
    server.db,
    [prisonerRecord({ prisonerNumber: 'A1234BC', firstName: 'MOHAMMED', lastName: 'HUSSAIN' })],
    'controls-test.json',
  )
})
const open = journey.open

/** Types a date into the GOV.UK date input whose legend is `legend`: its day, month and year boxes. */
async function fillDate(page: Page, legend: string, iso: string) {
  const [year, month, day] = iso.split('-')
  const group = page.getByRole('group', { name: legend, exact: true })
  await group.getByLabel('Day').fill(String(Number(day)))
  await group.getByLabel('Month').fill(String(Number(month)))
  await group.getByLabel('Year').fill(year)
}

describe('visitors and authorised items', () => {
  it('the head of security bans a visitor, after being told what is missing, and reviews the ban', async () => {
    const page = await open('/searching', { as: 'head-of-security' })
    assert.match(await textOf(page, 'hub-controls-figures'), /0 measures on visitors in force/)
    await checkPage(page, 'searching hub')

    await Promise.all([
      page.waitForURL('**/searching/visitors'),
      page.getByRole('link', { name: 'Measures on visitors' }).click(),
    ])
    assert.equal(await textOf(page, 'measures-empty'), 'No visitor is banned or on closed visits.')
    await checkPage(page, 'measures (empty)')

    await Promise.all([page.waitForURL('**/searching/visitors/new'), page.locator('[data-qa=new-measure]').click()])
    await press(page, 'record-measure')
    assert.deepEqual(await errorLinks(page), [
      'Enter the visitor’s name',
      'Enter a prison number, like A1234BC',
      'Select the measure: a ban or closed visits',
      'Enter the reason for the measure',
      'Enter the date the measure starts',
      'Enter the date of the first review',
    ])
    await assertErrorLinksLand(page)
    await checkPage(page, 'new measure with errors')

    await page.getByLabel('Visitor’s full name').fill('Jade Marsh')
    await fillDate(page, 'Visitor’s date of birth (optional)', '1991-04-02')
    await page.getByLabel('Prison number of the prisoner they visit').fill('A1234BC')
    await page.getByLabel('Banned from visiting').check()
    await page.getByLabel('Reason').fill('Tried to pass a balloon of cannabis resin across the table.')
    await fillDate(page, 'Starts on', TODAY)
    await fillDate(page, 'First review on', addDays(addMonths(TODAY, 3), 1))
    await press(page, 'record-measure')
    assert.deepEqual(await errorLinks(page), ['The review must be within 3 months of the start'])
    await assertErrorLinksLand(page)
    await fillDate(page, 'First review on', addDays(TODAY, 7))
    await press(page, 'record-measure')
    assert.equal(await flash(page), 'Success Measure on the visitor recorded')
    assert.match(await textOf(page, 'measure-summary'), /Visits Mohammed Hussain A1234BC/)
    assert.match(await textOf(page, 'measure-summary'), /Decided by Hannah Hughes/)
    await checkPage(page, 'measure', 'searching-visitor-measure')

    await page.getByLabel('Continue the measure').check()
    await fillDate(page, 'Date of the review', TODAY)
    await fillDate(page, 'Next review on, if it continues', addMonths(TODAY, 4))
    await page.getByLabel('What the review found').fill('Still a risk.')
    await press(page, 'record-review')
    assert.deepEqual(await errorLinks(page), ['The next review must be within 3 months of this one'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'review with errors')
    await fillDate(page, 'Next review on, if it continues', addMonths(TODAY, 3))
    await press(page, 'record-review')
    assert.equal(await flash(page), 'Success Review recorded')
    assert.match(await textOf(page, 'reviews'), /Continued to a new review on/)

    await page.goto(`${journey.server.baseUrl}/searching/visitors`)
    assert.match(await textOf(page, 'measures'), /Jade Marsh Mohammed Hussain A1234BC Banned from visiting/)
    await checkPage(page, 'measures', 'searching-visitor-measures')
  })

  it('the head of security gives a contractor a phone for the works department, and revokes it', async () => {
    const page = await open('/searching/permissions/new', { as: 'head-of-security' })
    await press(page, 'record-permission')
    assert.deepEqual(await errorLinks(page), [
      'Select the kind of item',
      'Enter what the item is',
      'Enter who holds it',
      'Enter the date the permission starts',
      'Enter the date the permission ends',
    ])
    await assertErrorLinksLand(page)
    await checkPage(page, 'new permission with errors')

    await page.getByLabel('Kind of item').selectOption({ label: 'Mobile phone' })
    await page.getByLabel('What the item is').fill('Samsung phone of the lift engineer')
    await page.getByLabel('Who holds it').fill('Dan Price, Northern Lifts Ltd')
    await page.getByLabel('Where it may be held (optional)').fill('Works department')
    await fillDate(page, 'From', TODAY)
    await fillDate(page, 'Until', addDays(TODAY, -1))
    await press(page, 'record-permission')
    assert.deepEqual(await errorLinks(page), ['The date it ends must be the same as or after the date it starts'])
    await fillDate(page, 'Until', addDays(TODAY, 14))
    await press(page, 'record-permission')
    assert.equal(await flash(page), 'Success Permission recorded')
    assert.match(await textOf(page, 'permission-summary'), /Authorised by Hannah Hughes/)
    assert.equal(await textOf(page, 'covered-finds-empty'), 'No find recorded is covered by this permission.')
    await checkPage(page, 'permission', 'searching-permission')

    await press(page, 'revoke')
    assert.deepEqual(await errorLinks(page), ['Enter why the permission is revoked'])
    await assertErrorLinksLand(page)
    await page.getByLabel('Why it is revoked').fill('The lift repair finished early.')
    await press(page, 'revoke')
    assert.equal(await flash(page), 'Success Permission revoked')
    assert.match(await textOf(page, 'permission-summary'), /Why it was revoked The lift repair finished early\./)
    await checkPage(page, 'revoked permission')

    await page.goto(`${journey.server.baseUrl}/searching/permissions`)
    assert.match(await textOf(page, 'permissions-ended'), /Samsung phone of the lift engineer/)
    await checkPage(page, 'permissions', 'searching-permissions')
  })

  it('a member of staff reads the measures and permissions, and is offered no change', async () => {
    const page = await open('/searching/visitors', { as: 'reporter' })
    assert.equal(await page.locator('[data-qa=new-measure]').count(), 0)
    await page.getByRole('link', { name: 'Jade Marsh' }).click()
    await page.waitForURL('**/searching/visitors/*')
    assert.equal(await page.locator('[data-qa=review-form]').count(), 0)
    await checkPage(page, 'measure (as a member of staff)')
    await open('/people/A1234BC')
    assert.match(await textOf(page, 'visit-measures-panel'), /Jade Marsh Banned from visiting/)
    await checkPage(page, 'profile with the measures panel', 'searching-visitor-panel')
  })
})
