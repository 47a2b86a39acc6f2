import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { seedDemo } from '../../src/demo/seed.ts'
import { FIRST_ESTABLISHMENT } from '../../src/demo/users.ts'
import { establishmentNames } from '../../src/platform/reference/establishments.ts'
import { DEMO_PASSWORD, type TestApp, testApp } from '../support/app.ts'

// The LSS pages over the demo strategy, as the people who use them read them: names rather than usernames and codes,
// tables that fit a phone, nothing said twice or contradicted, and demo records that read like a real prison's.

let t: TestApp
let prisonName: string
before(async () => {
  t = await testApp()
  await seedDemo(t.db, { password: DEMO_PASSWORD })
  prisonName = (await establishmentNames(t.db, [FIRST_ESTABLISHMENT])).get(FIRST_ESTABLISHMENT) ?? ''
})
after(() => t.close())

/** The prison's name as it appears in the HTML, as a pattern. */
const prisonPattern = () => prisonName.replace(/&/g, '&amp;').replace(/[()]/g, '\\$&')

/** Every table of the page sits inside a scrolling region, so that the page itself never scrolls sideways. */
function assertTablesScroll(html: string, page: string) {
  const tables = html.match(/<table/g)?.length ?? 0
  const inRegion = html.match(/class="app-table-scroll" role="region"[^>]*>\s*<table/g)?.length ?? 0
  assert.ok(tables > 0, `${page} has a table`)
  assert.equal(inRegion, tables, `every table of ${page} scrolls in its own region`)
}

const decoded = (html: string) =>
  html
    .replace(/&#39;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')

describe('the demo LSS as its readers see it', () => {
  it('the amendment log: prisons by name in the filter, a reason and a day of its own for each amendment', async () => {
    const governor = await t.signIn('governor')
    const html = (await governor.get('/lss/amendments')).body
    assertTablesScroll(html, 'the amendment log')
    assert.doesNotMatch(html, /three-letter code/)
    assert.match(html, /<select class="govuk-select[^"]*" id="establishment" name="establishment">/)
    assert.match(html, new RegExp(`<option value="${FIRST_ESTABLISHMENT}">${prisonPattern()}</option>`))
    const reasons = [...html.matchAll(/Why:<\/span> ([^<]+)</g)].map(m => m[1])
    assert.equal(reasons.length, 7, 'seven demo amendments')
    assert.equal(new Set(reasons).size, 7, 'each with its own reason')
    const days = [...html.matchAll(/<span class="govuk-body-s app-nowrap">(\d{1,2} \w+ \d{4})<\/span>/g)].map(m => m[1])
    assert.ok(new Set(days).size >= 5, `proposed on different days (${days.join(', ')})`)
    const filtered = await governor.get(`/lss/amendments?establishment=${FIRST_ESTABLISHMENT}`)
    assert.equal(filtered.statusCode, 200)
    assert.match(filtered.body, new RegExp(`<option value="${FIRST_ESTABLISHMENT}" selected>`))
  })

  it('an amendment replaces the sentence it changes rather than keeping both', async () => {
    const head = await t.signIn('head-of-security')
    const strategy = (await head.get('/lss/print')).body
    const staffAssaulters = decoded(strategy.slice(strategy.indexOf('Staff assaulters')))
    assert.match(staffAssaulters, /The flag is reviewed every month\./)
    assert.doesNotMatch(staffAssaulters.slice(0, 2000), /every three months/)
    assert.doesNotMatch(strategy, /[0-9a-f]{64}/, 'no fingerprint on the printed strategy')
    assert.doesNotMatch(strategy, /Version hash/)
  })

  it('the assessments: who started them by name, and the significant change that prompted the second', async () => {
    const head = await t.signIn('head-of-security')
    const list = (await head.get('/lss/assessments')).body
    assertTablesScroll(list, 'the risk assessments')
    assert.doesNotMatch(list, /by head-of-security/)
    assert.match(list, /by Hannah Hughes/)
    const changes = list.slice(list.indexOf('id="significant-changes"'))
    assert.match(changes, /A new houseblock of 120 places opened/)
    assert.doesNotMatch(changes.slice(0, changes.indexOf('</table>')), /None recorded/)

    const refs = [...list.matchAll(/href="\/lss\/assessments\/(RA-[A-Z]{3}-\d{4}-\d{3})"/g)].map(m => m[1])
    for (const ref of new Set(refs)) {
      const page = (await head.get(`/lss/assessments/${ref}`)).body
      assert.doesNotMatch(page, /head-of-security|added by portcullis/, `${ref} names people`)
      assert.doesNotMatch(page, /None recorded/, `${ref} collapses empty parts of the grid`)
      assert.ok((page.match(/nothing recorded yet/g)?.length ?? 0) <= 5, `${ref}: one line at most per threat area`)
      assert.doesNotMatch(page, /No evidence recorded/)
      assert.match(page, /Figures from Portcullis for the 12 months before the assessment started are below/)
      assert.match(page, /added by Portcullis when the assessment started/)
    }
    const latest = [...new Set(refs)].sort().at(-1)
    const second = (await head.get(`/lss/assessments/${latest}`)).body
    assert.match(second, /Significant change in risk: A new houseblock opened/)
  })

  it('who has read each instruction: one row per instruction, with the departments behind a details each', async () => {
    const head = await t.signIn('head-of-security')
    const html = (await head.get('/lss/acknowledgements')).body
    assertTablesScroll(html, 'the acknowledgements')
    const summary = html.slice(html.indexOf('data-qa="acknowledgements"'), html.indexOf('</table>'))
    assert.equal(summary.match(/<tr class="govuk-table__row">/g)?.length, 12, 'a heading row and 11 instructions')
    assert.match(summary, /1 of \d+<\/td>\s*<td[^>]*>\d+%<\/td>/)
    assert.equal(html.match(/<details[^>]*data-qa="acknowledgement"/g)?.length, 11)
  })

  it('the assurance page names the prison; the strategy and an instruction fit a phone', async () => {
    const governor = await t.signIn('governor')
    const assurance = (await governor.get('/lss/assurance')).body
    assert.match(assurance, new RegExp(`data-qa="caption">${prisonPattern()}</span>`))
    assert.doesNotMatch(assurance, /· MDI/)
    const strategy = (await governor.get('/lss')).body
    assertTablesScroll(strategy, 'the strategy')
    assert.match(strategy.slice(strategy.indexOf('data-qa="awaiting"')), new RegExp(prisonPattern()))
    const id = strategy.match(/href="\/lss\/instructions\/([0-9a-f-]{36})"/)?.[1]
    assertTablesScroll((await governor.get(`/lss/instructions/${id}`)).body, 'an instruction')
  })

  it('settings: an editor is chosen from the staff by name; the error names the field', async () => {
    const head = await t.signIn('head-of-security')
    const html = (await head.get('/lss/settings')).body
    assert.doesNotMatch(html, /username/)
    assert.match(html, /<label class="govuk-label govuk-label--s" for="editor">\s*Nominate an editor \(LSS PF 4\.2\)/)
    assert.match(html, /<option value="analyst">Adam Analyst<\/option>/)
    const empty = await head.post('/lss/settings', { editor: '', pgdRequired: 'no' }, '/lss/settings')
    assert.equal(empty.statusCode, 400)
    assert.match(empty.body, /href="#editor">Select who to nominate as an editor/)
    const nobody = await head.post('/lss/settings', { editor: 'nobody-here', pgdRequired: 'no' }, '/lss/settings')
    assert.match(nobody.body, /href="#editor">Select someone at your establishment to nominate as an editor/)
    const done = await head.post('/lss/settings', { editor: 'analyst', pgdRequired: 'no' }, '/lss/settings')
    assert.equal(done.statusCode, 303)
    const after = (await head.get('/lss/settings')).body
    assert.match(after, /Adam Analyst can now edit the LSS/)
    assert.doesNotMatch(after, /<option value="analyst">/, 'someone already an editor is not offered again')
  })
})
