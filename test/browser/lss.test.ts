import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import {
  assertErrorLinksLand,
  assertNoAxeViolations,
  browserJourney,
  errorLinks,
  flash,
  press,
  screenshot,
  visit,
} from '../support/browser.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

// The Local Security Strategy in Chromium against the real app, as the people who use it: the head of security
// publishes an instruction and proposes an amendment, the Governor authorises it, staff read and confirm, the
// amendment log and the printed strategy show it; then a risk assessment, the annual assurance statement signed by
// the Governor and the PGD, and the settings. axe (WCAG 2.2 AA) runs on every LSS page and state on the way.

let instructionPath = ''
let amendmentRef = ''
let assessmentPath = ''
let statementPath = ''

const PROCEDURES_V1 = 'Search one visitor in five at the gate.\nRecord each search in the gate log.'
const PROCEDURES_V2 = 'Search one visitor in three at the gate.\nRecord each search in the gate log.'

/** Types a date into the GOV.UK date input whose legend is `legend`: its day, month and year boxes. */
async function fillDate(page: Page, legend: string, iso: string) {
  const [year, month, day] = iso.split('-')
  const group = page.getByRole('group', { name: legend, exact: true })
  await group.getByLabel('Day').fill(String(Number(day)))
  await group.getByLabel('Month').fill(String(Number(month)))
  await group.getByLabel('Year').fill(year)
}

const journey = browserJourney(async server => {
  // A flagged prisoner, so the risk assessment starts with figures from the people module (LSS PF 6.4).
  const hussain = {
    prisonerNumber: 'A1234BC',
    firstName: 'MOHAMMED',
    lastName: 'HUSSAIN',
    dateOfBirth: '1988-04-12',
    alerts: [{ alertType: 'X', alertCode: 'XEL', active: true, expired: false }],
  }
  const imported = await importTestPrisoners(server.db, [prisonerRecord(hussain)], 'lss-browser.json')
  assert.equal(imported.created, 1, JSON.stringify(imported.rejections))
})
const open = journey.open

/** axe over the page as it is, and a screenshot to look at, named after the state it shows. */
async function check(page: Page, label: string, screenshotName?: string) {
  await screenshot(
    page,
    screenshotName ??
      `lss-${label
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/-$/, '')
        .toLowerCase()}`,
  )
  await assertNoAxeViolations(page, label)
}

async function text(page: Page, dataQa: string) {
  return ((await page.locator(`[data-qa=${dataQa}]`).first().textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

describe('the Local Security Strategy', () => {
  it('the head of security publishes an instruction, after being told what is missing', async () => {
    const page = await open('/lss', { as: 'head-of-security' })
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Local Security Strategy')
    assert.equal(await text(page, 'no-instructions-conveyance'), 'No local instructions: national policy applies.')
    await check(page, 'strategy (empty)')

    await Promise.all([page.waitForURL('**/lss/instructions/new'), page.locator('[data-qa=add-instruction]').click()])
    await press(page, 'save-instruction')
    assert.deepEqual(await errorLinks(page), [
      'Enter the aim and purpose',
      'Enter the national reference',
      'Enter the local reference',
      'Enter the local system procedures and requirements',
      'Select the risk area',
      'Enter the title',
      'Enter the owner (the functional head responsible)',
    ])
    await assertErrorLinksLand(page)
    await check(page, 'instruction-new with errors')

    await page.getByLabel('Conveyance', { exact: true }).check()
    await page.getByLabel('Title').fill('Searching visitors at the gate')
    await page.getByLabel('Owner: the functional head responsible (LSS PF 4.5)').fill('Head of Operations')
    await page.getByLabel('Aim and purpose').fill('To stop illicit items being conveyed into the prison by visitors.')
    await page.getByLabel('National reference').fill('PSI 67/2011 Searching Policy Framework')
    await page.getByLabel('Local reference').fill('LSS-CON-01')
    await page.getByLabel('Local system procedures and requirements').fill(PROCEDURES_V1)
    await page.getByLabel('Supporting tools (optional)').fill('Gate search log | https://intranet.example/gate-log')
    await fillDate(page, 'Review due (optional)', '2027-03-31')
    await press(page, 'save-instruction')
    assert.match(new URL(page.url()).pathname, /^\/lss\/instructions\/[0-9a-f-]{36}$/)
    instructionPath = new URL(page.url()).pathname
    assert.equal(await flash(page), 'Success Instruction published')
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, to see its line breaks kept
    assert.equal(await page.locator('[data-qa=text-procedures]').innerText(), PROCEDURES_V1, 'line breaks are kept')
    assert.match(await text(page, 'reading-status'), /Not read/)
    await check(page, 'instruction (new, not read)')
  })

  it('a member of staff reads version 1 and confirms it', async () => {
    const page = await open(instructionPath, { as: 'reporter' })
    await press(page, 'acknowledge')
    assert.equal(await flash(page), 'Success Thank you: you have confirmed you have read this instruction')
    assert.match(await text(page, 'reading-status'), /You confirmed you had read version 1/)
    assert.equal(await page.locator('[data-qa=acknowledge]').count(), 0)
    assert.equal(await page.locator('[data-qa=propose-amendment]').count(), 0, 'staff cannot propose amendments')
  })

  it('the head of security proposes an amendment, after being told what is missing', async () => {
    const page = await open(instructionPath, { as: 'head-of-security' })
    await Promise.all([page.waitForURL('**/amend'), page.locator('[data-qa=propose-amendment]').click()])
    assert.equal(await page.getByLabel('Local system procedures and requirements').inputValue(), PROCEDURES_V1)
    await page.getByLabel('Local system procedures and requirements').fill('')
    await press(page, 'submit-amendment')
    assert.deepEqual(await errorLinks(page), [
      'Enter the local system procedures and requirements',
      'Enter the change, in a sentence or two',
      'Enter the reasoning for the change',
      'Say whether it relates to Category A or Restricted Status prisoners',
    ])
    await assertErrorLinksLand(page)
    await check(page, 'amend with errors')

    await page.getByLabel('Local system procedures and requirements').fill(PROCEDURES_V2)
    await page.getByLabel('What is changing').fill('Search one visitor in three instead of one in five')
    await page.getByLabel('Why').fill('Finds at visits have doubled since the spring')
    await page.getByLabel('Neither').check()
    await press(page, 'submit-amendment')
    amendmentRef = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '')
    assert.match(amendmentRef, /^AMD-MDI-\d{4}-\d{4}$/)
    assert.equal(await flash(page), `Success Amendment ${amendmentRef} submitted for authorisation`)
    assert.equal(await text(page, 'amendment-status'), 'Awaiting the Governor')
    assert.equal(await text(page, 'route'), 'Governor: Waiting for decision')
    assert.equal(await page.locator('[data-qa=diff-procedures] ins').first().textContent(), '[added: three]')
    assert.equal(await page.locator('[data-qa=decision-form]').count(), 0, 'the proposer does not decide')
    await check(page, 'amendment (awaiting, as proposer)')
  })

  it('the Governor is told a rejection needs a reason, then approves and the new version is published', async () => {
    const page = await open('/lss', { as: 'governor' })
    assert.match(await text(page, 'awaiting'), new RegExp(amendmentRef))
    await check(page, 'strategy (waiting for your decision)')
    await Promise.all([
      page.waitForURL(`**/lss/amendments/${amendmentRef}`),
      page.locator('[data-qa=awaiting]').getByRole('link', { name: amendmentRef }).click(),
    ])
    await check(page, 'amendment (decision form, as governor)', 'lss-amendment')

    await page.getByLabel('Reject', { exact: true }).check()
    await press(page, 'record-decision')
    assert.deepEqual(await errorLinks(page), ['Enter the reason for rejecting the amendment'])
    await assertErrorLinksLand(page)
    await check(page, 'amendment (reject without a reason)')

    await page.getByLabel('Approve', { exact: true }).check()
    await page.getByLabel('Notes, or the reason for rejecting: required to reject').fill('Agreed: review in six months')
    await press(page, 'record-decision')
    assert.equal(await flash(page), 'Success Amendment approved and the new version published')
    assert.equal(await text(page, 'amendment-status'), 'Approved and published')
    assert.match(await text(page, 'route'), /Governor: Approved by Gareth Gordon/)
    assert.match(await text(page, 'decisions'), /Agreed: review in six months/)
    assert.equal(await page.locator('[data-qa=decision-form]').count(), 0)
    assert.doesNotMatch(
      (await page.locator('main').textContent()) ?? '',
      /[0-9a-f]{12}/,
      'no fingerprint of the text is shown',
    )
    await check(page, 'amendment (approved)')
  })

  it('the head of security compares versions 1 and 2', async () => {
    const page = await open(instructionPath, { as: 'head-of-security' })
    assert.match(await text(page, 'instruction-summary'), /Version 2, published/)
    assert.equal(await page.locator('[data-qa=diff]').count(), 0, 'no comparison until asked for')
    await page.getByLabel('From').selectOption('1')
    await page.getByLabel('To').selectOption('2')
    await press(page, 'compare')
    assert.equal(new URL(page.url()).search, '?from=1&to=2')
    assert.equal(await page.locator('#changes-heading').textContent(), 'Changes from version 1 to version 2')
    const procedures = page.locator('[data-qa=diff-procedures]')
    assert.equal(await procedures.locator('del').textContent(), '[removed: five]')
    assert.equal(await procedures.locator('ins').textContent(), '[added: three]')
    assert.equal(await text(page, 'diff-aimAndPurpose'), 'Not changed.')
    await check(page, 'instruction (compare 1 with 2)')
  })

  it('the member of staff sees what changed since they read it and confirms the new version', async () => {
    const page = await open('/lss', { as: 'reporter' })
    assert.match(await text(page, 'unread'), /1 instruction is new or changed/)
    await Promise.all([
      page.waitForURL(`**${instructionPath}`),
      page.getByRole('link', { name: 'Searching visitors at the gate' }).click(),
    ])
    assert.match(await text(page, 'reading-status'), /Changed since you read it/)
    assert.equal(await page.locator('#changes-heading').textContent(), 'What changed since you last read it')
    await check(page, 'instruction (changed since read)')
    await press(page, 'acknowledge')
    assert.match(await text(page, 'reading-status'), /You confirmed you had read version 2/)
    assert.equal(await page.locator('[data-qa=diff]').count(), 0)
    assert.equal(
      await visit(page, journey.server.baseUrl, '/lss/acknowledgements'),
      403,
      'staff do not see who has read what',
    )
  })

  it('the head of security sees who has read it, by department', async () => {
    const page = await open('/lss/acknowledgements', { as: 'head-of-security' })
    // One row per instruction with its count and share; the departments and names behind a details each.
    assert.match(await text(page, 'acknowledgements'), /version 2 1 of \d+ \d+%/)
    await page.locator('[data-qa=acknowledgement] > summary').click()
    assert.doesNotMatch(await text(page, 'not-read'), /Rachel Reporter/)
    assert.match(await text(page, 'not-read'), /Gareth Gordon, Senior leadership/)
    await check(page, 'acknowledgements')
  })

  it('the amendment log shows every field, filters, and downloads as CSV', async () => {
    const page = await open('/lss/amendments', { as: 'head-of-security' })
    const log = await text(page, 'log')
    for (const expected of [
      amendmentRef,
      'MDI',
      'Searching visitors at the gate',
      'Moorland',
      'Hannah Hughes',
      'Search one visitor in three instead of one in five',
      'Finds at visits have doubled since the spring',
      'Governor',
      'Approved and published',
    ]) {
      assert.ok(log.includes(expected), `the log shows ${expected}`)
    }
    // Decisions in words with the person's name; nothing said of a change that concerns neither special group.
    assert.match(await text(page, 'log-decisions'), /^Approved by Gareth Gordon, Governor, \d{1,2} \w+ \d{4}$/)
    assert.doesNotMatch(log, /Neither|head-of-security/)
    const overflow = await page
      .locator('[data-qa=log]')
      .evaluate(table => table.scrollWidth - (table.parentElement?.clientWidth ?? 0))
    assert.ok(overflow <= 0, `the log fits the page (${overflow}px too wide)`)
    await check(page, 'amendment log')

    await page.getByLabel('Status').selectOption('rejected')
    await press(page, 'filter-log')
    assert.equal(await text(page, 'log-count'), '0 amendments')
    await page.getByLabel('Status').selectOption('approved')
    await press(page, 'filter-log')
    assert.equal(await text(page, 'log-count'), '1 amendment')

    const href = await page.locator('[data-qa=csv-link]').getAttribute('href')
    assert.equal(href, '/lss/amendments?status=approved&format=csv')
    const csv = await page.request.get(`${journey.server.baseUrl}${href}`)
    assert.equal(csv.status(), 200)
    assert.match(csv.headers()['content-type'], /^text\/csv/)
    assert.match(await csv.text(), new RegExp(`^Reference,[\\s\\S]*\\r\\n${amendmentRef},MDI,`))

    const from = page.getByRole('group', { name: 'Proposed from (optional)', exact: true })
    await from.getByLabel('Day').fill('31')
    await from.getByLabel('Month').fill('2')
    await from.getByLabel('Year').fill('2026')
    await press(page, 'filter-log')
    assert.deepEqual(await errorLinks(page), ['The “proposed from” date must be a real date'])
    assert.equal(await from.getByLabel('Month').inputValue(), '2', 'the boxes keep what was typed')
    await assertErrorLinksLand(page)
    await check(page, 'amendment log with an error', 'lss-log-date-error')
  })

  it('the strategy prints as one document and as a PDF', async () => {
    const page = await open('/lss/print', { as: 'reporter' })
    assert.match((await page.getByRole('heading', { level: 1 }).textContent()) ?? '', /^Local Security Strategy: /)
    assert.equal(await page.locator('[data-qa=lss-hash]').count(), 0, 'no fingerprint on the page')
    assert.doesNotMatch((await page.locator('main').textContent()) ?? '', /[0-9a-f]{64}|Version hash/)
    const instruction = page.locator('[data-qa=print-instruction]')
    assert.equal(await instruction.count(), 1)
    // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, to see its line breaks kept
    assert.equal(await instruction.locator('[data-qa=text-procedures]').innerText(), PROCEDURES_V2)
    assert.equal(
      await instruction.getByRole('link', { name: 'Gate search log' }).getAttribute('href'),
      'https://intranet.example/gate-log',
    )
    await check(page, 'print', 'lss-print')

    const pdf = await page.request.get(`${journey.server.baseUrl}/lss/print.pdf`)
    assert.equal(pdf.status(), 200)
    assert.equal(pdf.headers()['content-type'], 'application/pdf')
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-')
  })

  it('the head of security runs a risk assessment with a multi-disciplinary team', async () => {
    const page = await open('/lss/assessments', { as: 'head-of-security' })
    await check(page, 'assessments (none)')

    await fillDate(page, 'Date of the change', '2026-10-01')
    await page.getByLabel('What changed').fill('A new wing of 120 places opened')
    await press(page, 'record-change')
    assert.equal(await flash(page), 'Success Significant change recorded: a new risk assessment is now due')
    assert.match(await text(page, 'significant-changes'), /A new wing of 120 places opened/)

    await press(page, 'start-assessment')
    assert.deepEqual(await errorLinks(page), ['Select why the assessment is being done'])
    await assertErrorLinksLand(page)
    await check(page, 'assessments with an error')
    await page.getByLabel('Annual assessment').check()
    await press(page, 'start-assessment')
    assessmentPath = new URL(page.url()).pathname
    assert.match(assessmentPath, /^\/lss\/assessments\/RA-MDI-\d{4}-\d{3}$/)
    assert.match(await text(page, 'evidence-figures'), /Measure Count Prisoners flagged Escape List 1$/)

    await press(page, 'add-finding')
    assert.deepEqual(await errorLinks(page), [
      'Select the threat area',
      'Select the component',
      'Select strength or vulnerability',
      'Enter the finding',
    ])
    await assertErrorLinksLand(page)
    await check(page, 'assessment (finding with errors)')

    await page.getByLabel('Threat area').selectOption('conveyance')
    await page.getByLabel('Component of security').selectOption('procedural')
    await page.getByLabel('Vulnerability', { exact: true }).check()
    await page.getByLabel('What you found').fill('Visitors are searched too rarely for the level of finds.')
    await page.getByLabel('Finds', { exact: true }).check()
    await press(page, 'add-finding')
    assert.equal(new URL(page.url()).hash, '#findings')
    assert.match(
      await text(page, 'grid-conveyance'),
      /Procedural security Vulnerability Visitors are searched too rarely/,
    )

    await page.getByLabel('Source').selectOption('Finds')
    await page.getByLabel('Document title').fill('Finds report, April to September')
    await page.getByLabel('Link (optional)').fill('https://intranet.example/finds')
    await press(page, 'add-evidence')

    for (const [name, department] of [
      ['Hannah Hughes', 'Security'],
      ['Rachel Reporter', 'Residential'],
    ]) {
      await page.getByLabel('Name', { exact: true }).fill(name)
      await page.getByLabel('Department').fill(department)
      await press(page, 'add-contributor')
    }
    assert.match(await text(page, 'assessment-summary'), /2 people from 2 departments/)

    await page.getByLabel('Action', { exact: true }).fill('Search one visitor in three at the gate')
    await page.getByLabel('Owner').fill('Head of Operations')
    await fillDate(page, 'Due date', '2027-01-31')
    await press(page, 'add-action')
    assert.match(
      await text(page, 'actions'),
      /Search one visitor in three at the gate Head of Operations 31 January 2027 Open/,
    )
    await check(page, 'assessment (in progress, with a finding, evidence, contributors and an action)')

    await page.getByLabel('Summary of the assessment').fill('Conveyance through visits is the main risk.')
    await press(page, 'complete-assessment')
    assert.equal(await flash(page), 'Success Risk assessment completed')
    assert.equal(await text(page, 'assessment-status'), 'Completed')
    assert.equal(await page.locator('[data-qa=finding-form]').count(), 0)
    await check(page, 'assessment (completed)')
  })

  // LSS PF 4.19: "The PGD must satisfy themselves on the level of assurance they wish to apply to the LSS ... The level
  // of assurance must be stated on the reverse of the assurance statement." 4.20: "PGDs may also specify additional
  // levels of assurance checks". The Governor signs what the PGD prepared.
  it('the PGD prepares the assurance statement, the Governor signs it, then the PGD signs', async () => {
    let page = await open('/lss/assurance', { as: 'governor' })
    assert.equal(await page.locator('[data-qa=prepare-form]').count(), 0, 'the Governor does not set the level')
    assert.match(await text(page, 'pgd-prepares'), /The Prison Group Director prepares this year’s statement/)
    await check(page, 'assurance (Governor)')

    page = await open('/lss/assurance', { as: 'pgd' })
    await check(page, 'assurance')
    await press(page, 'prepare-statement')
    assert.deepEqual(await errorLinks(page), ['Select the level of assurance'])
    await assertErrorLinksLand(page)
    await check(page, 'assurance with an error')

    await page.getByLabel('Reasonable').check()
    await page.getByLabel('Examining some or all locally agreed amendments').check()
    await press(page, 'prepare-statement')
    statementPath = new URL(page.url()).pathname
    assert.match(statementPath, /^\/lss\/assurance\/[0-9a-f-]{36}$/)
    assert.match(await text(page, 'statement-text'), /is fit for purpose/)
    assert.match(await text(page, 'statement-hash'), /^[0-9a-f]{64}$/)
    await check(page, 'statement (unsigned)')

    page = await open(statementPath, { as: 'governor' })
    await page.getByLabel('Governor', { exact: true }).check()
    await press(page, 'sign-statement')
    assert.equal(await flash(page), 'Success Statement signed')
    assert.match(await text(page, 'signatures'), /Governor Signed by Gareth Gordon/)
    assert.equal(await page.getByLabel('Governor', { exact: true }).count(), 0, 'each role signs once')

    await open(statementPath, { as: 'pgd' })
    await page.getByLabel('Prison Group Director').check()
    await press(page, 'sign-statement')
    assert.match(await text(page, 'signatures'), /Prison Group Director Signed by Priya Desai/)
    assert.equal(await page.locator('[data-qa=sign-form]').count(), 0)
    await check(page, 'statement (signed)')
  })

  it('the head of security nominates an editor and requires PGD agreement', async () => {
    const page = await open('/lss/settings', { as: 'head-of-security' })
    await check(page, 'settings')
    // A choice of the staff by name, not a username to type.
    await press(page, 'nominate-editor')
    assert.deepEqual(await errorLinks(page), ['Select who to nominate as an editor'])
    await assertErrorLinksLand(page)
    await check(page, 'settings with an error')

    await page.getByLabel('Nominate an editor (LSS PF 4.2)').selectOption({ label: 'Adam Analyst' })
    await press(page, 'nominate-editor')
    assert.equal(await flash(page), 'Success Adam Analyst can now edit the LSS')
    assert.match(await text(page, 'editors'), /Adam Analyst Hannah Hughes/)

    await page.locator('[data-qa=pgd-form]').getByLabel('Yes').check()
    await press(page, 'save-pgd-required')
    assert.equal(await flash(page), 'Success Setting saved')
    assert.equal(await page.locator('[data-qa=pgd-form]').getByLabel('Yes').isChecked(), true)
  })

  it('a change to the text after an approval sends it back to the Governor; then it is withdrawn', async () => {
    // The previous test made every amendment go to the PGD too, so the Governor's approval does not publish.
    let page = await open(`${instructionPath}/amend`, { as: 'head-of-security' })
    await page
      .getByLabel('Local system procedures and requirements')
      .fill(`${PROCEDURES_V2}\nSearch every visitor's bag.`)
    await page.getByLabel('What is changing').fill('Search bags as well')
    await page.getByLabel('Why').fill('Finds in bags')
    await page.getByLabel('Neither').check()
    await press(page, 'submit-amendment')
    const ref = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '')
    assert.equal(await text(page, 'route'), 'Governor: Waiting for decision Prison group director: Not yet')

    await visit(page, journey.server.baseUrl, `${instructionPath}/amend`)
    await page.getByLabel('Local system procedures and requirements').fill('Something else entirely')
    await page.getByLabel('What is changing').fill('Another change')
    await page.getByLabel('Why').fill('Another reason')
    await page.getByLabel('Neither').check()
    await press(page, 'submit-amendment')
    assert.deepEqual(await errorLinks(page), [
      `Amendment ${ref} to this instruction is still open: decide or withdraw it first`,
    ])
    await assertErrorLinksLand(page)
    await check(page, 'amend while another amendment is open')

    page = await open(`/lss/amendments/${ref}`, { as: 'governor' })
    await page.getByLabel('Approve', { exact: true }).check()
    await press(page, 'record-decision')
    assert.equal(await text(page, 'amendment-status'), 'Awaiting the prison group director')

    page = await open(`/lss/amendments/${ref}`, { as: 'head-of-security' })
    await page.locator('[data-qa=revise-details] > summary').click()
    await page.getByLabel('Local system procedures and requirements').fill('')
    await press(page, 'revise')
    assert.deepEqual(await errorLinks(page), ['Enter the local system procedures and requirements'])
    assert.equal(
      await page.locator('[data-qa=revise-details]').getAttribute('open'),
      '',
      'the form with the error is open',
    )
    await assertErrorLinksLand(page)
    await check(page, 'amendment (change of text with an error)')

    await page.getByLabel('Local system procedures and requirements').fill(`${PROCEDURES_V2}\nSearch bags.`)
    await press(page, 'revise')
    assert.equal(await flash(page), 'Success Proposed text changed: the amendment goes back for authorisation')
    assert.equal(await text(page, 'amendment-status'), 'Awaiting the Governor')
    assert.match(await text(page, 'decisions'), /On an earlier text: no longer counts/)
    await check(page, 'amendment (approval on an earlier text)')

    // The Governor reads it while the head of security changes the text again: the decision is refused, not lost.
    page = await open(`/lss/amendments/${ref}`, { as: 'governor' })
    const headOfSecurity = await journey.server.signIn('head-of-security')
    const revised = await headOfSecurity.post(
      `/lss/amendments/${ref}/revise`,
      {
        aimAndPurpose: 'To stop illicit items being conveyed into the prison by visitors.',
        nationalReference: 'PSI 67/2011 Searching Policy Framework',
        localReference: 'LSS-CON-01',
        procedures: `${PROCEDURES_V2}\nSearch bags and coats.`,
      },
      `/lss/amendments/${ref}`,
    )
    assert.equal(revised.statusCode, 303)
    await page.getByLabel('Approve', { exact: true }).check()
    await press(page, 'record-decision')
    assert.deepEqual(await errorLinks(page), [
      'Someone else decided or changed this amendment while you were reading it. Read it again before deciding.',
    ])
    await assertErrorLinksLand(page)
    await check(page, 'amendment (decided on a stale page)')

    page = await open(`/lss/amendments/${ref}`, { as: 'head-of-security' })
    await press(page, 'withdraw')
    assert.equal(await flash(page), 'Success Amendment withdrawn')
    assert.equal(await text(page, 'amendment-status'), 'Withdrawn')
    assert.equal(await text(page, 'route'), 'Governor: Not needed Prison group director: Not needed')
    assert.equal(await page.locator('[data-qa=withdraw-form], [data-qa=revise-form]').count(), 0)
    await check(page, 'amendment (withdrawn)')
  })
})
