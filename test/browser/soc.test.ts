import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { addMonths } from '../../src/modules/soc/rules.ts'
import { londonToday } from '../../src/platform/deadlines/deadlines.ts'
import {
  assertErrorLinksLand,
  browserJourney,
  checkPage,
  errorLinks,
  flash,
  press,
  textOf,
  visit,
} from '../support/browser.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

// Serious and organised crime in Chromium against the real app, as the people who use it: an analyst nominates,
// SOCU selects at a recorded cohort meeting and plans, the prison flags a trigger point to SOCU's work list, a
// disruption goes to the moderation panel, the OCGM mapping is imported and reconciled with the DOCGM flag, an
// equality dip sample is taken, a quarterly assurance visit recorded, and the Governor reads the Band 1 briefing.
// axe (WCAG 2.2 AA) runs on every SOC page and state on the way.

let meetingPath = ''

/** Types a date into the GOV.UK date input whose legend is `legend`: its day, month and year boxes. */
async function fillDate(page: Page, legend: string, iso: string) {
  const [year, month, day] = iso.split('-')
  const group = page.getByRole('group', { name: legend, exact: true })
  await group.getByLabel('Day').fill(String(Number(day)))
  await group.getByLabel('Month').fill(String(Number(month)))
  await group.getByLabel('Year').fill(year)
}

const TODAY = londonToday(new Date())
const prisoner = <F extends { prisonerNumber: string; firstName: string; lastName: string }>(fields: F) =>
  prisonerRecord({
    gender: 'Male',
    religion: 'No religion',
    sentenceStartDate: '2022-01-10',
    releaseDate: addMonths(TODAY, 30),
    ...fields,
  })

// Two groups: one member by prison number, one by PNC, one by name only (left for a person to match), one rejected.
const OCGM_CSV = [
  'group_ref,group_name,significance,prison_number,pnc,name,date_of_birth,role',
  'OCG-1001,Moorland supply network,Tier 2,A1234BC,,MOHAMMED HUSSAIN,1985-05-05,Principal',
  'OCG-1001,Moorland supply network,Tier 2,,95/318224Q,KEVIN MARSH,1980-01-01,Courier',
  "OCG-2002,Leeds firearms group,Tier 1,,,JAMES O'NEILL,1990-03-03,Associate",
  'OCG-2002,Leeds firearms group,Tier 1,NOT-A-NUMBER,,,,',
].join('\n')

const journey = browserJourney(async server => {
  await importTestPrisoners(
    server.db,
    [
      prisoner({
        prisonerNumber: 'A1234BC',
        firstName: 'MOHAMMED',
        lastName: 'HUSSAIN',
        ethnicity: 'Asian or Asian British: Pakistani',
        religion: 'Muslim',
        releaseDate: addMonths(TODAY, 8),
      }),
      prisoner({ prisonerNumber: 'G4821KT', firstName: 'JAMES', lastName: "O'NEILL", ethnicity: 'White: British' }),
      prisoner({
        prisonerNumber: 'C3333CC',
        firstName: 'KEVIN',
        lastName: 'MARSH',
        prisonId: 'FNI',
        pncNumber: '1995/0318224Q',
        ethnicity: 'White: British',
      }),
      // The rest of the population the dip sample compares the cohort with.
      ...['B1111AA', 'B2222AA', 'B3333AA', 'B4444AA', 'B5555AA', 'B6666AA'].map((prisonerNumber, i) =>
        prisoner({
          prisonerNumber,
          firstName: 'TEST',
          lastName: `PRISONER ${i + 1}`,
          ethnicity:
            i < 2
              ? 'Asian or Asian British: Pakistani'
              : i < 4
                ? 'White: British'
                : 'Black or Black British: Caribbean',
        }),
      ),
    ],
    'soc-test.json',
  )
})
const open = journey.open

/** axe over the page as it is, with an optional screenshot to look at. */

describe('serious and organised crime', () => {
  it('an analyst nominates two prisoners, after being told what is missing', async () => {
    const page = await open('/soc', { as: 'analyst' })
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Serious and organised crime')
    assert.equal(await textOf(page, 'cohort-empty'), 'No one in the cohort that you can see.')
    assert.equal(
      await page.locator('[data-qa=soc-links]').getByRole('link', { name: 'OCGM mapping and flags' }).count(),
      0,
    )
    await checkPage(page, 'cohort (empty, as analyst)')

    await Promise.all([page.waitForURL('**/soc/nominate'), page.locator('[data-qa=nominate]').click()])
    await press(page, 'save-nomination')
    assert.deepEqual(await errorLinks(page), [
      'Enter a prison number, like A1234BC',
      'Select who is nominating',
      'Enter the name of the person or team nominating',
      'Enter the rationale for the nomination',
    ])
    await assertErrorLinksLand(page)
    await checkPage(page, 'nominate with errors')

    await page.getByLabel('Prison number').fill('A1234BC')
    await page.getByLabel('Prison', { exact: true }).check()
    await page.getByLabel('Name of the person or team nominating').fill('Security department, HMP Moorland')
    await page
      .getByLabel('Rationale for the nomination')
      .fill('Directs supply of drugs on B wing (IR-MDI-2026-000123).')
    await page.getByLabel('Poses a live, significant threat').check()
    await page.getByLabel('Managed under Lifetime Offender Management (LOM)').check()
    await press(page, 'save-nomination')
    assert.equal(new URL(page.url()).pathname, '/soc/nominals/A1234BC')
    assert.equal(await flash(page), 'Success Nomination recorded for the next cohort selection meeting')
    assert.match(await textOf(page, 'nomination'), /Prison: Security department, HMP Moorland/)
    assert.match(await textOf(page, 'nomination'), /Managed under Lifetime Offender Management \(LOM\) \(Band 1\)/)

    await visit(page, journey.server.baseUrl, '/soc/nominate')
    await page.getByLabel('Prison number').fill('G4821KT')
    await page.getByLabel('Law enforcement').check()
    await page.getByLabel('Name of the person or team nominating').fill('Yorkshire ROCU')
    await page.getByLabel('Rationale for the nomination').fill('Associate of A1234BC; moves money for the group.')
    await page.getByLabel('An associate of Band 1 offenders').check()
    await press(page, 'save-nomination')
    assert.equal(new URL(page.url()).pathname, '/soc/nominals/G4821KT')

    await visit(page, journey.server.baseUrl, '/soc')
    assert.match(await textOf(page, 'nominated'), /Mohammed Hussain A1234BC .* James O'Neill G4821KT/)
  })

  it('SOCU records a cohort selection meeting and decides the bands', async () => {
    const page = await open('/soc/meetings', { as: 'socu' })
    assert.equal(await textOf(page, 'meetings-empty'), 'No meetings recorded yet.')
    await press(page, 'record-meeting')
    assert.deepEqual(await errorLinks(page), [
      'Select the kind of meeting',
      'Enter the date of the meeting',
      'Enter at least two attendees, one per line',
    ])
    await assertErrorLinksLand(page)
    await checkPage(page, 'meetings with errors')

    await page.getByLabel('Cohort selection meeting').check()
    await fillDate(page, 'Date held', TODAY)
    await page
      .getByLabel('Attendees')
      .fill(
        'NIU analyst\nRIU North East\nSOCU custody lead\nHead of security HMP Moorland\nProbation intelligence manager',
      )
    await press(page, 'record-meeting')
    meetingPath = new URL(page.url()).pathname
    assert.match(meetingPath, /^\/soc\/meetings\/SOCM-\d{4}-\d{4}$/)
    assert.match(await textOf(page, 'meeting-summary'), /Regional meeting Attendees NIU analyst RIU North East/)

    await page.getByLabel('Person').selectOption('A1234BC')
    await page.getByLabel('Band 1').check()
    await press(page, 'record-decision')
    assert.equal(await flash(page), 'Success Decision recorded')

    await page.getByLabel('Person').selectOption('G4821KT')
    await page.getByLabel('De-selected').check()
    await press(page, 'record-decision')
    assert.deepEqual(await errorLinks(page), ['Enter the reason the person is de-selected'])
    await assertErrorLinksLand(page)
    assert.equal(await page.getByLabel('Person').inputValue(), 'G4821KT', 'the answers are kept')
    await checkPage(page, 'meeting with an error')

    await page.getByLabel('Band 2').check()
    await press(page, 'record-decision')
    assert.match(await textOf(page, 'decisions'), /Mohammed Hussain A1234BC Band 1 .* James O'Neill G4821KT Band 2/)
    await checkPage(page, 'meeting with decisions', 'soc-meeting')

    await visit(page, journey.server.baseUrl, '/soc/meetings')
    assert.match(await textOf(page, 'meetings'), /SOCM-\d{4}-\d{4} Cohort selection meeting .* Regional 5/)
    await checkPage(page, 'meetings')
  })

  it('SOCU builds the Band 1 case plan and records a review, each form showing only its own errors', async () => {
    const page = await open('/soc/nominals/A1234BC', { as: 'socu' })
    const summary = await textOf(page, 'nominal-summary')
    assert.match(summary, /^Band Band 1 Status In the cohort Prison /)
    assert.match(summary, /Next review .* Notify SOCU community team .* Community management plan /)

    await press(page, 'add-action')
    assert.deepEqual(await errorLinks(page), [
      'Enter the action',
      'Enter the owner',
      'Enter the due date',
      'Select the tactic',
    ])
    await assertErrorLinksLand(page)
    assert.equal(await page.locator('[data-qa=review-form] .govuk-error-message').count(), 0)
    assert.equal(await page.locator('[data-qa=trigger-form] .govuk-error-message').count(), 0)
    await checkPage(page, 'nominal with action errors')

    await page.getByLabel('Action', { exact: true }).fill('Review visits and phone contacts with known associates')
    await page.getByLabel('Owner').fill('SOCU custody team')
    await fillDate(page, 'Due date', addMonths(TODAY, 1))
    await page.getByLabel('Tactic').selectOption('intelligence-development')
    await press(page, 'add-action')
    assert.equal(await flash(page), 'Success Action added to the case plan')
    assert.match(
      await textOf(page, 'actions'),
      /Review visits and phone contacts .* Intelligence development SOCU custody team .* Open/,
    )

    const reviewedOn = page.getByRole('group', { name: 'Date of the review', exact: true })
    await reviewedOn.getByLabel('Day').fill('3')
    await reviewedOn.getByLabel('Year').fill(TODAY.slice(0, 4))
    await page.getByLabel('Remains in the cohort at this band').check()
    await press(page, 'record-review')
    assert.deepEqual(await errorLinks(page), ['The date of the review must include a month'])
    await assertErrorLinksLand(page)
    assert.equal(await reviewedOn.getByLabel('Day').inputValue(), '3', 'the boxes keep what was typed')
    assert.equal(await page.locator('[data-qa=action-form] .govuk-error-message').count(), 0)
    await checkPage(page, 'nominal with a half-filled review date', 'soc-nominal-date-error')
    await fillDate(page, 'Date of the review', TODAY)
    await page.getByLabel('Remains in the cohort at this band').check()
    await press(page, 'record-review')
    assert.equal(await flash(page), 'Success Review recorded')
    assert.match(await textOf(page, 'reviews'), /Band 1 quarterly Remains in the cohort at this band/)

    await page.getByLabel(/New status of the action/).selectOption('done')
    await press(page, 'update-action')
    assert.equal(await flash(page), 'Success Action updated')
    assert.match(await textOf(page, 'actions'), /Done/)
    await checkPage(page, 'nominal as SOCU', 'soc-nominal')
  })

  it('the analyst flags a trigger point, sees no plan details, and cannot flag one outside the cohort', async () => {
    const page = await open('/soc/nominals/A1234BC', { as: 'analyst' })
    assert.match(await textOf(page, 'plan-withheld'), /Case plan details are need-to-know/)
    assert.equal(await page.locator('[data-qa=actions]').count(), 0)
    assert.equal(await page.locator('[data-qa=review-form]').count(), 0)

    await press(page, 'record-trigger')
    assert.deepEqual(await errorLinks(page), [
      'Select the trigger point',
      'Enter the date it happened',
      'Enter the details',
    ])
    await assertErrorLinksLand(page)
    await checkPage(page, 'nominal as analyst with trigger errors')

    await page.getByLabel('Trigger point').selectOption('cell-sharing')
    await fillDate(page, 'Date it happened', TODAY)
    await page.getByLabel('Details').fill('Moved into a shared cell with G4821KT on B wing.')
    await press(page, 'record-trigger')
    assert.equal(await flash(page), 'Success Trigger point recorded and flagged to SOCU')
    assert.match(await textOf(page, 'triggers'), /Cell sharing Moved into a shared cell .* Adam Analyst Not yet seen/)
    await checkPage(page, 'nominal as analyst (no plan details)')

    // C3333CC is not in the cohort (and not in the analyst's prison): the error page says why, naming no one.
    const csrf = await page.locator('[data-qa=trigger-form] input[name=_csrf]').inputValue()
    const response = await page.request.post(`${journey.server.baseUrl}/soc/nominals/C3333CC/triggers`, {
      form: { _csrf: csrf, code: 'cell-sharing', occurredOn: TODAY, details: 'Shares a cell' },
    })
    assert.equal(response.status(), 400)
    assert.match(await response.text(), /Trigger points are recorded for people in the SOC cohort only/)
  })

  it('SOCU sees the trigger point in the work list and marks it seen', async () => {
    const page = await open('/soc', { as: 'socu' })
    assert.match(await textOf(page, 'work-list'), /Mohammed Hussain A1234BC Band 1 Cell sharing .* Adam Analyst/)
    assert.match(await textOf(page, 'cohort'), /2 people in the cohort .* Mohammed Hussain A1234BC Band 1 Moorland/)
    await checkPage(page, 'cohort with the work list', 'soc-cohort')

    await press(page, 'mark-seen')
    assert.equal(await flash(page), 'Success Trigger point marked as seen')
    assert.equal(await page.locator('[data-qa=work-list]').count(), 0)

    await visit(page, journey.server.baseUrl, '/soc?band=2')
    assert.match(await textOf(page, 'cohort'), /^1 person in Band 2 .* James O'Neill G4821KT Band 2/)
    assert.equal(await page.locator('[data-qa=band-filter] [aria-current=page]').textContent(), 'Band 2')
  })

  it('SOCU records a disruption and the moderation panel downgrades it', async () => {
    const page = await open('/soc/disruptions', { as: 'socu' })
    await page.getByLabel('Prison number of the SOC nominal (optional)').fill('A1234BC')
    await fillDate(page, 'Date of the disruption', TODAY)
    await page.getByLabel('What was done').fill('Cell search found two phones; both seized and sent for download.')
    await page.getByLabel('Major').check()
    await press(page, 'record-disruption')
    assert.equal(await flash(page), 'Success Disruption recorded for moderation')
    assert.match(
      await textOf(page, 'disruptions'),
      /Mohammed Hussain A1234BC Cell search found two phones.* Major Awaiting the panel/,
    )

    await press(page, 'moderate')
    assert.deepEqual(await errorLinks(page), ['Select the panel’s decision'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'disruptions with a moderation error', 'soc-disruptions')

    const form = page.locator('[data-qa=moderation-form]')
    await form.getByLabel('Downgraded').check()
    await form.getByLabel('Impact agreed by the panel (optional)').selectOption('moderate')
    await form.getByLabel('Panel’s notes (optional)').fill('Phones not yet linked to the group.')
    await press(page, 'moderate')
    assert.equal(await flash(page), 'Success Moderation recorded')
    assert.match(
      await textOf(page, 'disruptions'),
      /Downgraded Impact set to moderate Phones not yet linked to the group\./,
    )
    assert.equal(await page.locator('[data-qa=moderation-form]').count(), 0)
    await checkPage(page, 'disruptions')
  })

  it('SOCU imports the OCGM mapping, sees the flags reconciled, and matches a member by hand', async () => {
    const page = await open('/soc/ocgm', { as: 'socu' })
    await checkPage(page, 'ocgm (nothing imported)')
    await press(page, 'import-ocgm')
    assert.deepEqual(await errorLinks(page), ['Select an OCGM mapping CSV file'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'ocgm with an error')

    await page.getByLabel('OCGM mapping file').setInputFiles({
      name: 'ocgm-mapping.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(OCGM_CSV),
    })
    await press(page, 'import-ocgm')
    const report = await textOf(page, 'ocgm-report')
    assert.match(report, /Lines in the file 4 Matched to a person 2 Not matched 1 Rejected 1/)
    assert.deepEqual((await textOf(page, 'flags-added')).split(', ').sort(), ['A1234BC', 'C3333CC'])
    assert.equal(await textOf(page, 'flags-closed'), 'None')
    assert.match(await textOf(page, 'rejected'), /5 prison_number NOT-A-NUMBER is not a prison number$/)
    assert.match(await textOf(page, 'report-unmatched'), /4 JAMES O'NEILL Not given Not given OCG-2002/)
    assert.match(
      await textOf(page, 'groups'),
      /OCG-1001 Moorland supply network Tier 2 Mohammed Hussain A1234BC \(Principal\)/,
    )
    assert.match(await textOf(page, 'groups'), /JAMES O'NEILL Not held or not visible \(Associate\)/)
    await checkPage(page, 'ocgm with the reconciliation report', 'soc-ocgm')

    await press(page, 'resolve')
    assert.deepEqual(await errorLinks(page), ['Enter a prison number, like A1234BC'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'ocgm with a resolve error')

    await page.getByLabel("Prison number of JAMES O'NEILL").fill('G4821KT')
    await press(page, 'resolve')
    assert.equal(await flash(page), 'Success Member matched and the OCG nominal flag reconciled')
    assert.equal(await textOf(page, 'unmatched-empty'), 'Every member of the mapping is matched.')
    assert.match(await textOf(page, 'groups'), /James O'Neill G4821KT \(Associate\)/)
    assert.match(await textOf(page, 'imports'), /ocgm-mapping\.csv Sam Okafor 4 2 1 1 2 0/)
  })

  it('SOCU takes an equality dip sample by ethnicity for Moorland and records it', async () => {
    const page = await open('/soc/dip-samples', { as: 'socu' })
    await page.getByLabel('Region or prison').selectOption('MDI')
    await page.getByLabel('Protected characteristic').selectOption('ethnicity')
    await press(page, 'take-sample')
    assert.equal(new URL(page.url()).search, '?scope=MDI&characteristic=ethnicity')
    const sample = await textOf(page, 'sample')
    assert.match(sample, /Asian or Asian British: Pakistani 1 3 50% 37\.5% 1\.33 \(\d\.\d\d to \d\.\d\d\)/)
    assert.match(sample, /White: British 1 3 50% 37\.5%/)
    assert.match(sample, /Black or Black British: Caribbean 0 2 0% 25% None in the cohort/)
    assert.equal(await textOf(page, 'sample-flagged'), 'No group is flagged as disproportionate.')
    await checkPage(page, 'dip sample', 'soc-dip-sample')

    await page.getByLabel('Corrective action (optional)').fill('None needed: numbers too small to show a difference.')
    await press(page, 'record-sample')
    assert.equal(await flash(page), 'Success Dip sample recorded')
    assert.match(
      await textOf(page, 'samples'),
      /Moorland \(HMP & YOI\) Ethnicity Sam Okafor None None needed: numbers too small/,
    )
    await checkPage(page, 'dip samples with a recorded sample')
  })

  it('SOCU records a quarterly assurance visit', async () => {
    const page = await open('/soc/visits', { as: 'socu' })
    await press(page, 'record-visit')
    assert.deepEqual(await errorLinks(page), ['Select the prison', 'Enter the date of the visit', 'Enter the findings'])
    await assertErrorLinksLand(page)
    await checkPage(page, 'visits with errors')

    await page.getByLabel('Prison', { exact: true }).selectOption('MDI')
    await fillDate(page, 'Date of the visit', TODAY)
    await page.getByLabel('Findings').fill('Band 1 briefings held monthly.\nTrigger points flagged within a day.')
    await press(page, 'record-visit')
    assert.equal(await flash(page), 'Success Assurance visit recorded')
    assert.match(await textOf(page, 'visits'), /Moorland \(HMP & YOI\) .* Sam Okafor Band 1 briefings held monthly\./)
    await checkPage(page, 'visits')
  })

  it('the Governor reads the Band 1 briefing, and the profile shows the SOC panel', async () => {
    const page = await open('/soc/briefing', { as: 'governor' })
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Band 1 briefing: Moorland (HMP & YOI)')
    assert.equal(await textOf(page, 'briefing-count'), '1 Band 1 nominal is held at Moorland (HMP & YOI).')
    const nominal = page.locator('[data-qa=briefing-nominal]')
    assert.equal(await nominal.count(), 1)
    assert.match(await textOf(page, 'briefing-triggers'), /Cell sharing Moved into a shared cell/)
    assert.match(
      await textOf(page, 'briefing-disruptions'),
      /Cell search found two phones.* Moderate \(recorded as major\) Downgraded/,
    )
    await checkPage(page, 'briefing', 'soc-briefing')

    await visit(page, journey.server.baseUrl, '/people/A1234BC')
    assert.match(
      await textOf(page, 'soc-panel'),
      /Band Band 1 Status In the cohort Selected on .* OCG-1001 Moorland supply network Principal/,
    )
    await Promise.all([page.waitForURL('**/soc/nominals/A1234BC'), page.locator('[data-qa=soc-record-link]').click()])
    assert.match(await textOf(page, 'groups'), /OCG-1001 Moorland supply network Tier 2 Principal/)
    assert.equal(await page.locator('[data-qa=trigger-form]').count(), 0, 'a Governor reads, and does not record')
  })
})
