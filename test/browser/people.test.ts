import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { assertNoAxeViolations, browserJourney, errorLinks, flash, screenshot, visit } from '../support/browser.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

// The people module in Chromium against the real app: search, profiles, flags, adding a person, establishments and
// the prisoner import, as the roles that use them; then axe (WCAG 2.2 AA) over each of its pages and their states.

const HUSSAIN = prisonerRecord({
  prisonerNumber: 'A1234BC',
  firstName: 'MOHAMMED',
  lastName: 'HUSSAIN',
  dateOfBirth: '1988-04-12',
  cellLocation: 'B-2-014',
  pncNumber: '12/123456Y',
  aliases: [{ firstName: 'MO', lastName: 'KHAN', dateOfBirth: null }],
  alerts: [{ alertType: 'X', alertCode: 'XEL', active: true, expired: false }],
  gender: 'Male',
  ethnicity: 'Asian/Asian British: Pakistani',
  religion: 'Muslim',
})
const SMITH = prisonerRecord({ prisonerNumber: 'B2222BB', firstName: 'JAMES', lastName: 'SMITH', prisonId: 'LEI' })
const POPESCU = prisonerRecord({ prisonerNumber: 'D4444DD', firstName: 'ANDREI', lastName: 'POPESCU', prisonId: 'WWI' })

const journey = browserJourney(async server => {
  // The first file also holds a Gang Member flag that the second no longer does, so the import closes it: Hussain has
  // a closed flag whatever order the tests run in.
  const gang = { alertType: 'X', alertCode: 'XGANG', active: true, expired: false }
  const first = await importTestPrisoners(
    server.db,
    [{ ...HUSSAIN, alerts: [...HUSSAIN.alerts, gang] }, SMITH, POPESCU],
    'people-browser-1.json',
  )
  assert.equal(first.rejected, 0, JSON.stringify(first.rejections))
  assert.equal(first.created, 3)
  const second = await importTestPrisoners(server.db, [HUSSAIN, SMITH, POPESCU], 'people-browser-2.json')
  assert.equal(second.rejected, 0, JSON.stringify(second.rejections))
  assert.equal(second.updated, 1)
})
const open = journey.open

/** Opens the page, then runs axe over it. */
async function check(path: string, options: { as?: string; status?: number; screenshot?: string } = {}) {
  const page = await open(path, options)
  if (options.screenshot) await screenshot(page, options.screenshot)
  await assertNoAxeViolations(page, path)
  return page
}

/** Clicks a control that submits a form and waits for the page the server answers with. */
async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForEvent('load'), page.locator(selector).click()])
}

async function heading(page: Page) {
  return (await page.getByRole('heading', { level: 1 }).textContent())?.trim()
}

/** The closed and future flags (a GOV.UK details), opened. */
async function openClosedFlags(page: Page) {
  const details = page.locator('[data-qa=inactive-flags]')
  await details.locator('> summary').click()
  assert.equal(await details.getAttribute('open'), '', 'the details are open')
  return details
}

/** A Prisoner Search file as the upload form receives it. */
function upload(name: string, content: string, mimeType = 'application/json') {
  return { name, mimeType, buffer: Buffer.from(content) }
}

describe('people journeys', () => {
  it('an analyst finds a person from a misspelling, adds a flag, then changes and closes it', async () => {
    const page = await open('/people', { as: 'analyst' })
    assert.equal(await heading(page), 'Search for a person')
    await page.getByLabel('Name, prison number or PNC number').fill('Mohamed Husain')
    await submit(page, '[data-qa=search]')
    assert.equal(new URL(page.url()).searchParams.get('q'), 'Mohamed Husain')
    assert.equal((await page.locator('[data-qa=result-count]').textContent())?.trim(), '1 person found')
    const results = page.locator('[data-qa=results]')
    assert.match((await results.textContent()) ?? '', /Also known as Mo Khan/)

    await Promise.all([
      page.waitForURL(url => url.pathname === '/people/A1234BC'),
      results.getByRole('link', { name: 'Hussain, Mohammed' }).click(),
    ])
    assert.equal(await heading(page), 'Mohammed Hussain')
    assert.match((await page.locator('[data-qa=location]').textContent()) ?? '', /B-2-014/)
    const active = page.locator('[data-qa=active-flags]')
    assert.match((await active.textContent()) ?? '', /Escape List/)

    // Adding a flag: nothing chosen is an error, then Climber with who authorised it
    await Promise.all([
      page.waitForURL(url => url.pathname === '/people/A1234BC/flags/new'),
      page.locator('[data-qa=add-flag]').click(),
    ])
    assert.equal(await heading(page), 'Add a security flag')
    await submit(page, '[data-qa=save-flag]')
    assert.deepEqual(await errorLinks(page), ['Select a flag', 'Enter who authorised the flag'])
    assert.match(await page.title(), /^Error: /)
    assert.equal(await page.locator('#alertCode-error').count(), 1)

    await page.locator('#alertCode').selectOption({ label: 'Climber (XC)' })
    await page.getByLabel('Authorised by').fill('Hannah Hughes, head of security')
    await page.getByLabel('Description (optional)').fill('Seen on the wing roof')
    await submit(page, '[data-qa=save-flag]')
    assert.equal(new URL(page.url()).pathname, '/people/A1234BC')
    assert.equal(await flash(page), 'Success Flag added')
    const activeText = (await active.textContent()) ?? ''
    assert.match(activeText, /Climber/)
    assert.match(activeText, /Hannah Hughes, head of security/)

    // Changing it: close it with a reason, and it moves to the closed flags
    await Promise.all([
      page.waitForURL(url => /^\/flags\/[0-9a-f-]+\/change$/.test(url.pathname)),
      active.getByRole('link', { name: 'Change Climber flag' }).click(),
    ])
    assert.equal(await heading(page), 'Change the Climber flag')
    await page.getByLabel('Close the flag').check()
    await page.getByLabel('Reason for the change').fill('Moved to a ground-floor cell; no longer a risk')
    await submit(page, '[data-qa=save-flag-change]')
    assert.equal(new URL(page.url()).pathname, '/people/A1234BC')
    assert.equal(await flash(page), 'Success Climber flag closed')
    assert.doesNotMatch((await active.textContent()) ?? '', /Climber/, 'no longer among the active flags')
    assert.match((await active.textContent()) ?? '', /Escape List/, 'the other flag is untouched')
    const closed = await openClosedFlags(page)
    const closedText = (await closed.textContent()) ?? ''
    assert.match(closedText, /Closed and future flags \(2\)/)
    assert.match(closedText, /Climber/)
    assert.match(closedText, /Gang Member/)
    assert.match(closedText, /Moved to a ground-floor cell; no longer a risk/, 'the reason is in its history')
  })

  it('an analyst adds a visitor: blank names are errors, then the person is added', async () => {
    const page = await open('/people', { as: 'analyst' })
    await Promise.all([
      page.waitForURL(url => url.pathname === '/people/new'),
      page.locator('[data-qa=add-person]').click(),
    ])
    assert.equal(await heading(page), 'Add a person')
    await page.getByLabel('Visitor').check()
    await submit(page, '[data-qa=save-person]')
    assert.deepEqual(await errorLinks(page), ['Enter the first name', 'Enter the last name'])
    assert.ok(await page.getByLabel('Visitor').isChecked(), 'the choice is kept')

    await page.getByLabel('First name').fill('Shannon')
    await page.getByLabel('Last name').fill('Matthews')
    const born = page.getByRole('group', { name: 'Date of birth (optional)' })
    await born.getByLabel('Day').fill('2')
    await born.getByLabel('Month').fill('11')
    await born.getByLabel('Year').fill('1979')
    await submit(page, '[data-qa=save-person]')
    assert.match(new URL(page.url()).pathname, /^\/people\/[^/]+$/)
    assert.equal(await flash(page), 'Success Shannon Matthews added')
    assert.equal(await heading(page), 'Shannon Matthews')
    assert.match((await page.locator('.govuk-caption-l').first().textContent()) ?? '', /^Visitor · /)
  })

  it('an admin edits an establishment and imports a Prisoner Search file, rejecting one that is not JSON', async () => {
    const page = await open('/admin/establishments', { as: 'admin' })
    assert.equal(await heading(page), 'Establishments')
    // Issue 12.15: the list is paged and filtered; Moorland is found by its group and a word of its name.
    await page.getByLabel('Prison group').selectOption('Yorkshire')
    await page.getByLabel('Name or code').fill('moor')
    await submit(page, '[data-qa=filter]')
    assert.equal((await page.locator('[data-qa=establishment-count]').textContent())?.trim(), '1 establishment matches')
    await screenshot(page, 'establishments-filtered')
    await assertNoAxeViolations(page, '/admin/establishments filtered')
    const moorland = page.getByRole('link', { name: 'Moorland (HMP & YOI)' })
    await Promise.all([page.waitForURL(url => url.pathname === '/admin/establishments/MDI/edit'), moorland.click()])
    assert.equal(await heading(page), 'Change establishment')
    assert.equal(await page.getByLabel('Name').inputValue(), 'Moorland (HMP & YOI)')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.waitForURL(url => url.pathname === '/admin/establishments')
    assert.equal(await flash(page), 'Success Moorland (HMP & YOI) saved')

    await visit(page, journey.server.baseUrl, '/admin/imports/prisoners')
    assert.equal(await heading(page), 'Import prisoners')
    await page.setInputFiles(
      '#file',
      upload(
        'nomis.json',
        JSON.stringify([
          prisonerRecord({ prisonerNumber: 'F6666FF', firstName: 'OWEN', lastName: 'GRIFFITHS' }),
          prisonerRecord({ prisonerNumber: 'G7777GG', firstName: 'NO', lastName: '' }),
        ]),
      ),
    )
    await submit(page, '[data-qa=import]')
    assert.equal(await heading(page), 'Import finished')
    assert.equal(await page.locator('[data-qa=import-outcome]').textContent(), 'Imported 1 of 2 records; 1 rejected')
    const summary = (await page.locator('[data-qa=import-summary]').textContent())?.replace(/\s+/g, ' ') ?? ''
    assert.match(summary, /Records in the file 2/)
    assert.match(summary, /Created 1/)
    assert.match(summary, /Rejected 1/)
    assert.match((await page.locator('[data-qa=rejections]').textContent()) ?? '', /G7777GG.*lastName is missing/s)
    await screenshot(page, 'people-import-summary')

    await page.getByRole('link', { name: 'Import another file' }).click()
    await page.waitForURL(url => url.pathname === '/admin/imports/prisoners')
    await page.setInputFiles('#file', upload('nomis.csv', 'prisonerNumber,firstName\nA1234BC,MOHAMMED\n', 'text/csv'))
    await submit(page, '[data-qa=import]')
    const links = await errorLinks(page)
    assert.equal(links.length, 1)
    assert.match(links[0], /^The file is not valid JSON/)
    assert.equal(
      await page.locator('.govuk-error-summary').getByRole('link').getAttribute('href'),
      '#file',
      'the summary links to the file field',
    )
    assert.match((await page.locator('#file-error').textContent()) ?? '', /The file is not valid JSON/)
  })

  it('a reporter reads a profile in scope without managing flags, and gets the 404 page outside it', async () => {
    const page = await open('/people/A1234BC', { as: 'reporter' })
    assert.equal(await heading(page), 'Mohammed Hussain')
    assert.match((await page.locator('[data-qa=active-flags]').textContent()) ?? '', /Escape List/)
    assert.equal(await page.locator('[data-qa=add-flag]').count(), 0, 'no Add a flag button')
    assert.equal(await page.getByRole('link', { name: /^Change/ }).count(), 0, 'no Change links')
    assert.equal(await page.locator('[data-qa=protected]').count(), 0, 'no protected characteristics')

    await open('/people/D4444DD', { status: 404 })
    assert.equal(await heading(page), 'Page not found')
    assert.doesNotMatch(await page.content(), /Popescu/i, 'nothing of the person outside scope')
  })
})

describe('people accessibility (axe, WCAG 2.2 AA)', () => {
  it('the search page, empty, with results and with errors', async () => {
    await check('/people', { as: 'analyst' })
    const page = await check(`/people?q=${encodeURIComponent('Mo Khan')}`, { screenshot: 'people-search-results' })
    assert.match((await page.locator('[data-qa=results]').textContent()) ?? '', /Hussain, Mohammed/)
    // Issue 12.6: the date of birth is the GOV.UK date input; the message names what is wrong with it.
    await check('/people?dateOfBirth-day=31&dateOfBirth-month=2&dateOfBirth-year=1990', { status: 400 })
    assert.deepEqual(await errorLinks(page), ['Date of birth must be a real date'])
    assert.equal(await page.locator('#dateOfBirth-error').count(), 1)
  })

  it('a profile with active and closed flags, the closed ones opened', async () => {
    const page = await check('/people/A1234BC', { as: 'head-of-security' })
    const closed = await openClosedFlags(page)
    assert.match((await closed.textContent()) ?? '', /Gang Member/)
    await closed.locator('.govuk-details').first().locator('> summary').click() // a closed flag's history, inside
    await screenshot(page, 'people-profile')
    await assertNoAxeViolations(page, '/people/A1234BC with the closed flags and a history open')
  })

  it('the form to add a person, with errors', async () => {
    const page = await check('/people/new', { as: 'analyst' })
    await page.getByRole('group', { name: 'Date of birth (optional)' }).getByLabel('Day').fill('27')
    await submit(page, '[data-qa=save-person]')
    const links = await errorLinks(page)
    assert.ok(links.includes('Enter the first name'))
    assert.ok(links.includes('Date of birth must include a month and year'), links.join(', '))
    await page.getByRole('link', { name: 'Date of birth must include a month and year' }).click()
    await page.locator('#dateOfBirth-month:focus').waitFor()
    await screenshot(page, 'people-new-date-error')
    await assertNoAxeViolations(page, '/people/new with errors')
  })

  it('the forms to add a flag, with errors, and to change one', async () => {
    const page = await check('/people/A1234BC/flags/new', { as: 'analyst' })
    await page.getByRole('group', { name: 'Active until (optional)' }).getByLabel('Year').fill('27')
    await submit(page, '[data-qa=save-flag]')
    assert.ok((await errorLinks(page)).includes('Select a flag'))
    assert.ok((await errorLinks(page)).includes('The end date must include a day and month'))
    await screenshot(page, 'people-flag-new-date-error')
    await assertNoAxeViolations(page, '/people/A1234BC/flags/new with errors')

    await open('/people/A1234BC')
    const change = await page
      .locator('[data-qa=active-flags]')
      .getByRole('link', { name: 'Change Escape List flag' })
      .getAttribute('href')
    assert.ok(change)
    await check(change)
    await submit(page, '[data-qa=save-flag-change]')
    assert.deepEqual(await errorLinks(page), ['Enter the reason for the change'])
    await assertNoAxeViolations(page, `${change} with errors`)
  })

  it('the establishments and the form to change one', async () => {
    await check('/admin/establishments', { as: 'admin', screenshot: 'establishments' })
    await check('/admin/establishments/MDI/edit')
  })

  it('the import: the form, its errors and its summary', async () => {
    const page = await check('/admin/imports/prisoners', { as: 'admin' })
    await submit(page, '[data-qa=import]')
    assert.deepEqual(await errorLinks(page), ['Select a Prisoner Search JSON file'])
    await assertNoAxeViolations(page, '/admin/imports/prisoners with errors')

    await page.setInputFiles(
      '#file',
      upload(
        'nomis.json',
        JSON.stringify([HUSSAIN, prisonerRecord({ prisonerNumber: 'H8888HH', firstName: 'X', lastName: '' })]),
      ),
    )
    await submit(page, '[data-qa=import]')
    assert.equal(await heading(page), 'Import finished')
    assert.equal(await page.locator('[data-qa=rejections]').count(), 1)
    await assertNoAxeViolations(page, '/admin/imports/prisoners summary')
  })
})
