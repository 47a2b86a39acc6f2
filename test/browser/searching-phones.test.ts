import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
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

// Seized phones in Chromium, as the security department works them: a phone found on a prisoner is sent for
// interrogation, after being told what is missing; the result is recorded, and its numbers lead into intelligence,
// where an earlier report names the same number. axe (WCAG 2.2 AA) runs on every page and state on the way.

let findRef = ''
let earlierRef = ''

const journey = browserJourney(async server => {
  await importTestPrisoners(
    server.db,
    [
      prisonerRecord({ prisonerNumber: 'A1111AA', firstName: 'XAVIER', lastName: 'HOLT' }),
      prisonerRecord({ prisonerNumber: 'B2222BB', firstName: 'YUSUF', lastName: 'DRAKE' }),
    ],
    'phones-browser.json',
  )
  const reporter = server.api(await server.token('reporter'))
  const earlier = await reporter.post('/api/v1/intelligence-reports', {
    text: 'Drake told his cousin to ring 07700 900123 when the parcel is thrown over.',
    occurredAt: new Date(Date.now() - 86_400_000).toISOString(),
    sourceType: 'overheard',
    threatAreas: ['conveyance'],
    nominals: [{ prisonerNumber: 'B2222BB' }],
  })
  earlierRef = earlier.json().ref
  const analyst = server.api(await server.token('analyst'))
  await analyst.post(`/api/v1/intelligence-reports/${earlierRef}/links`, {
    entities: [{ type: 'phone', value: '07700 900123' }],
  })
  const found = await reporter.post('/api/v1/finds', {
    category: 'mobile-phone',
    description: 'Black Nokia handset wrapped in cling film inside a sock',
    foundAt: new Date(Date.now() - 3_600_000).toISOString(),
    location: 'B-2-014',
    how: 'search',
    people: [{ prisonerNumber: 'A1111AA' }],
  })
  findRef = found.json().ref
})
const open = journey.open

describe('seized phones', () => {
  it('the head of security sends a phone for interrogation, records the result and follows a number', async () => {
    const page = await open('/searching', { as: 'head-of-security' })
    assert.match(
      await textOf(page, 'hub-phone-figures'),
      /1 phone or SIM card found this month has no interrogation request/,
    )
    await checkPage(page, 'searching hub')

    await Promise.all([
      page.waitForURL('**/searching/interrogations'),
      page.getByRole('link', { name: 'Seized phones and their interrogations' }).click(),
    ])
    assert.match(await textOf(page, 'without-request'), new RegExp(findRef))
    await checkPage(page, 'seized phones', 'searching-phones-list')

    await Promise.all([
      page.waitForURL(`**/searching/finds/${findRef}/interrogation`),
      page.getByRole('link', { name: findRef }).click(),
    ])
    await checkPage(page, 'interrogation (none asked for)')
    await press(page, 'request-interrogation')
    assert.deepEqual(await errorLinks(page), ['Select the lawful basis for the interrogation'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'interrogation request (errors)')

    await page.getByLabel('Examination of a seized unauthorised device for prison security').check()
    await page.getByLabel('IMEI (optional)').fill('49 015420 323751 8')
    await press(page, 'request-interrogation')
    assert.match(await flash(page), /Interrogation PH-MDI-\d{4}-\w{6} requested$/)
    await checkPage(page, 'interrogation (awaiting its result)', 'searching-phones-awaiting')

    await page.getByLabel('Phone numbers').fill('07700 900123\n0770')
    await press(page, 'record-result')
    assert.deepEqual(await errorLinks(page), [
      'Line 2: Enter a phone number as it is stored, like 07700 900123 or +33 6 12 34 56 78',
    ])
    await assertErrorLinksLand(page)
    await checkPage(page, 'interrogation result (errors)')

    await page.getByLabel('IMEIs').fill('490154203237518')
    await page.getByLabel('Phone numbers').fill('07700 900123')
    await page.getByLabel('Contacts').fill('Big Man, 07700 900456')
    await press(page, 'record-result')
    assert.match(await flash(page), /recorded in intelligence report IR-MDI-\d{4}-\w{6}$/)
    assert.match(await textOf(page, 'interrogation-found'), /Contact \+447700900456 Big Man/)
    await checkPage(page, 'interrogation (result recorded)', 'searching-phones-result')

    await Promise.all([
      page.waitForURL('**/intelligence/search?entity=*'),
      page.getByRole('link', { name: '+447700900123' }).click(),
    ])
    assert.ok(
      await page.getByText(earlierRef).count(),
      'the earlier report naming the number is found beside the result',
    )

    await page.goBack()
    await Promise.all([
      page.waitForURL('**/intelligence/network/A1111AA'),
      page.locator('[data-qa=network-link]').first().click(),
    ])
    assert.ok(await page.getByText('Yusuf Drake').count(), 'the network reaches the person the number was known with')
  })

  it('a member of staff sees that a phone was sent, not what was found on it', async () => {
    const page = await open(`/searching/finds/${findRef}/interrogation`, { as: 'reporter' })
    assert.match(await textOf(page, 'found-withheld'), /What was found is intelligence/)
    assert.equal(await page.locator('[data-qa=request-form]').count(), 0)
    await checkPage(page, 'interrogation (as a member of staff)')
  })
})
