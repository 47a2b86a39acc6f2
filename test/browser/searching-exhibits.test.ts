import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { seedSearchingExhibits } from '../../src/demo/searching-exhibits.ts'
import { insertFindForDemoExhibits } from '../../src/modules/searching/repository.ts'
import { searchingService } from '../../src/modules/searching/service.ts'
import {
  assertErrorLinksLand,
  browserJourney,
  checkPage,
  errorLinks,
  flash,
  press,
  textOf,
} from '../support/browser.ts'

// Exhibits and their chain of custody in Chromium, as the security department works them: the register by state with
// the chains that have gaps, an exhibit's chain with a gap shown where it falls, making an exhibit from a find,
// re-sealing it in front of a witness, a police hold, and a disposal refused to the custodian. axe on every page.

const FIND_REF = 'FD-MDI-2026-K7QX4M'

const journey = browserJourney(async server => {
  await seedSearchingExhibits(server.db, searchingService(server.db))
  const foundAt = new Date(Date.now() - 3 * 3_600_000)
  await insertFindForDemoExhibits(server.db, {
    ref: FIND_REF,
    establishmentCode: 'MDI',
    category: 'mobile-phone',
    description: 'Grey flip phone taped under a table',
    foundAt,
    location: 'C-1-004',
    wing: 'C',
    how: 'search',
    searchId: null,
    foundBy: 'reporter',
    recordedBy: 'reporter',
    recordedAt: foundAt,
  })
})
const open = journey.open

describe('exhibits and their chain of custody', () => {
  it('the hub and the register show where exhibits are, and the chain with a gap shows it where it falls', async () => {
    const page = await open('/searching', { as: 'head-of-security' })
    assert.match(await textOf(page, 'hub-exhibit-gaps'), /1 exhibit with gaps in the chain/)
    assert.match(await textOf(page, 'hub-exhibit-states'), /With the police: 1/)
    await checkPage(page, 'searching hub', 'searching-hub-exhibits')

    await Promise.all([
      page.waitForURL('**/searching/exhibits'),
      page.getByRole('link', { name: 'All exhibits and their chain of custody' }).click(),
    ])
    assert.equal(await page.locator('[data-qa=exhibit-row]').count(), 7)
    await checkPage(page, 'exhibits', 'searching-exhibits')

    await Promise.all([
      page.waitForURL('**/searching/exhibits?gaps=true'),
      page.locator('[data-qa=gaps-filter]').click(),
    ])
    assert.equal(await page.locator('[data-qa=exhibit-row]').count(), 1)
    await Promise.all([page.waitForURL('**/searching/exhibits/EX-*'), page.locator('[data-qa=exhibit-row] a').click()])
    assert.match(
      await textOf(page, 'chain-gap'),
      /Gap in the chain: Adam Analyst passed it on, but the record shows Rachel Reporter held it/,
    )
    await checkPage(page, 'exhibit with a gap', 'searching-exhibit-gap')
  })

  it('the security department makes an exhibit, re-seals it before a witness, and holds it for the police', async () => {
    const page = await open(`/searching/exhibits/new?findRef=${FIND_REF}`, { as: 'analyst' })
    await checkPage(page, 'new exhibit', 'searching-exhibit-new')
    await page.getByLabel('Seal number').fill('')
    await page.getByLabel('Where it is stored').fill('')
    await press(page, 'make-exhibit')
    assert.deepEqual(await errorLinks(page), ['Enter the seal number', 'Enter where it is stored'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'new exhibit with errors')
    await page.getByLabel('Seal number').fill('M0050001')
    await page.getByLabel('Where it is stored').fill('Security evidence store, locker 2')
    await press(page, 'make-exhibit')
    assert.match(await flash(page), /Exhibit EX-MDI-\d{4}-\w{6} made/)
    const exhibitUrl = page.url()

    await press(page, 'record-movement')
    await press(page, 'record-movement')
    assert.ok((await errorLinks(page)).includes('Select what happened'))
    await assertErrorLinksLand(page)
    await checkPage(page, 'movement with errors', 'searching-custody-errors')
    await page.getByRole('radio', { name: 'Re-sealed' }).check()
    await page.getByLabel('New seal number, when it was re-sealed').fill('M0050002')
    await page.getByLabel('Where it happened').fill('Security office')
    await page.getByLabel('Why it moved').fill('Bag split when it was weighed')
    await page.getByLabel('No', { exact: true }).check()
    await page.getByLabel('Witness').selectOption({ label: 'Hannah Hughes' })
    await press(page, 'record-movement')
    assert.equal(await flash(page), 'Success Movement recorded in the chain of custody')
    assert.match(await textOf(page, 'chain-summary'), /The chain is unbroken/)
    await checkPage(page, 'exhibit re-sealed', 'searching-exhibit')

    await press(page, 'place-hold')
    await page.getByLabel('Police officer’s name and rank').fill('DC Sarah Patel')
    await page.getByLabel('Police force').fill('West Yorkshire Police')
    await page.getByLabel('Crime reference').fill('13/50001/26')
    await page.getByLabel('Why the police hold it').fill('Evidence in a supply investigation')
    await checkPage(page, 'police hold')
    await press(page, 'place-hold')
    assert.match(await textOf(page, 'hold-warning'), /cannot be disposed of until they lift it/)
    await press(page, 'lift-hold')
    assert.equal(await flash(page), 'Success Police hold lifted')
    assert.equal(page.url(), exhibitUrl)
  })

  it('a disposal under a police hold is refused in words', async () => {
    const page = await open('/searching/exhibits?state=with-police', { as: 'analyst' })
    await Promise.all([page.waitForURL('**/searching/exhibits/EX-*'), page.locator('[data-qa=exhibit-row] a').click()])
    assert.equal(await page.locator('[data-qa=dispose]').count(), 0, 'no disposal offered under a hold')
    await open(`${new URL(page.url()).pathname}/disposal`)
    await checkPage(page, 'disposal', 'searching-disposal')
    await page.getByLabel('Destroyed').check()
    await page.getByLabel('Witness').selectOption({ label: 'Gareth Gordon' })
    await press(page, 'record-disposal')
    assert.deepEqual(await errorLinks(page), [
      'The police have a hold on this exhibit: it cannot be disposed of until they lift it.',
    ])
    await checkPage(page, 'disposal refused')
  })
})
