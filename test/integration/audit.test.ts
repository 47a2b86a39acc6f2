import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { visibleNominalLabels } from '../../src/modules/people/repository.ts'
import { recordAudit, SYSTEM_ACTOR } from '../../src/platform/audit/audit.ts'
import { ACTION_WORDS } from '../../src/platform/audit/describe.ts'
import { type TestApp, testApp } from '../support/app.ts'
import { importTestPrisoners, prisonerRecord } from '../support/fixtures.ts'

let t: TestApp
before(async () => {
  t = await testApp()
})
after(() => t.close())

/** Every TypeScript source file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

// The audit actions whose code is built from a value, with every value it can take.
const BUILT_ACTIONS: Record<string, string[]> = {
  'intelligence.${input.action}': ['intelligence.no-further-action', 'intelligence.link-to-existing'],
  'intelligence.entity-${decision}': ['intelligence.entity-accepted', 'intelligence.entity-rejected'],
  "lss.amendment-${input.decision === 'approve' ? 'approved' : 'rejected'}": [
    'lss.amendment-approved',
    'lss.amendment-rejected',
  ],
  'lss.assessment-${item.kind}-added': [
    'lss.assessment-finding-added',
    'lss.assessment-evidence-added',
    'lss.assessment-contributor-added',
    'lss.assessment-action-added',
  ],
  'lss.assurance-signed-${role}': ['lss.assurance-signed-governor', 'lss.assurance-signed-pgd'],
  'soc.${input.milestone}': ['soc.community-notified', 'soc.community-plan-agreed'],
}

describe('the audit trail in words', () => {
  it('has words for every action the code records', () => {
    const recorded = new Set<string>()
    for (const file of sources('src')) {
      const text = readFileSync(file, 'utf8')
      for (const [, code] of text.matchAll(/action: '([a-z-]+(?:\.[a-z-]+)+|sign-in|sign-out)'/g)) recorded.add(code)
      for (const [, built] of text.matchAll(/action: `([^`]*\$\{[^`]*)`/g)) {
        if (built.endsWith('}.view-denied')) continue // the type of a denial, not an action
        assert.ok(BUILT_ACTIONS[built], `${file}: list the values of the action \`${built}\` in this test`)
        for (const code of BUILT_ACTIONS[built]) recorded.add(code)
      }
    }
    assert.ok(recorded.size > 60, `found the actions (${recorded.size})`)
    const missing = [...recorded].filter(code => !ACTION_WORDS[code])
    assert.deepEqual(missing, [], 'every recorded action has words in src/platform/audit/describe.ts')
  })

  it('shows people by name, actions and subjects in words, and details as lines rather than JSON', async () => {
    const auditor = await t.signIn('auditor')
    const admin = await t.signIn('admin')
    assert.equal((await admin.get('/admin/users/analyst')).statusCode, 200)
    const reporter = await t.signIn('reporter')
    assert.equal((await reporter.get('/admin/users')).statusCode, 403)

    const page = (await auditor.get('/audit')).body
    const table = page.slice(page.indexOf('data-qa="audit-events"'), page.indexOf('</table>'))
    assert.match(table, /Rachel Reporter/)
    assert.match(table, /Was refused the page \/admin\/users/)
    assert.match(table, /<a[^>]*>Aisha Ahmed<span[^>]*>[^<]*<\/span><\/a>\s*<\/td>\s*<td[^>]*>\s*Signed in\s*<\/td>/)
    assert.match(table, /<dt>IP address:<\/dt> <dd>/)
    assert.doesNotMatch(table, /sign-in\.failed|access\.denied|"ip"|\{/)
    assert.match(table, /href="\/audit\?actor=reporter"/, 'a name leads to everything that person did')

    const api = (await t.api(await t.token('auditor')).get('/api/v1/audit-events?action=access.denied')).json()
    assert.equal(api.results[0].action, 'access.denied', 'the API keeps the codes')
    assert.equal(api.results[0].actor, 'reporter')
    assert.equal(api.results[0].subjectId, 'GET /admin/users')
  })

  it('names the system actors in words, not as usernames (issue 12)', async () => {
    await recordAudit(
      t.db,
      { ...SYSTEM_ACTOR, username: 'demo' },
      { action: 'sign-out', subjectType: 'user', subjectId: 'analyst', establishmentCode: 'MDI' },
    )
    await recordAudit(t.db, SYSTEM_ACTOR, {
      action: 'sign-out',
      subjectType: 'user',
      subjectId: 'analyst',
      establishmentCode: 'MDI',
    })
    const response = await (await t.signIn('auditor')).get('/audit')
    assert.equal(response.statusCode, 200, response.body)
    const page = response.body
    assert.match(page, /<a[^>]*>Demo data<span/)
    assert.match(page, /<a[^>]*>Portcullis<span/)
  })

  it('names people and prisons, and filters by a prison chosen by name and a user by name (polish)', async () => {
    await importTestPrisoners(t.db, [prisonerRecord({ prisonerNumber: 'G4600RO', firstName: 'LEE', lastName: 'KING' })])
    const analyst = await t.signIn('analyst')
    assert.equal((await analyst.get('/people/G4600RO')).statusCode, 200)
    const auditor = await t.signIn('auditor')
    const page = (await auditor.get('/audit?actor=adam+analyst')).body
    const table = page.slice(page.indexOf('data-qa="audit-events"'), page.indexOf('</table>'))
    assert.match(table, /Looked at the profile of Lee King \(G4600RO\)/, 'a person by name and number')
    assert.doesNotMatch(table, /person G4600RO/)
    assert.match(table, /<td[^>]*>\s*Moorland \(HMP &amp; YOI\)\s*<\/td>/, 'the prison by name, not its code')
    assert.doesNotMatch(table, /Rachel Reporter/, 'the name filters to that user only')
    assert.match(
      page,
      /<select[^>]*id="establishment"[^>]*>[\s\S]*<option value="MDI"[^>]*>Moorland \(HMP &amp; YOI\)<\/option>/,
    )
    const byPrison = (await auditor.get('/audit?establishment=MDI&actor=analyst')).body
    assert.match(
      byPrison,
      /<option value="MDI" selected>Moorland \(HMP &amp; YOI\)<\/option>/,
      'the chosen prison stays chosen',
    )
    assert.match(byPrison, /Lee King \(G4600RO\)/)
    assert.match((await auditor.get('/audit?establishment=LEI&actor=analyst')).body, /No events match/)
    // A person the auditor may not see is not named: the reader keeps to the viewer's scope.
    const outside = await visibleNominalLabels(t.db, { establishmentCodes: ['LEI'], compartments: [] }, ['G4600RO'])
    assert.equal(outside.size, 0)
  })

  it('names each wrong date in its own message', async () => {
    const auditor = await t.signIn('auditor')
    // Issue 12.6: the dates are GOV.UK date inputs; each message names its date and links to the box to fix.
    const page = await auditor.get('/audit?from-day=45&from-month=13&from-year=2026&to-day=31&to-month=2&to-year=2026')
    assert.equal(page.statusCode, 400)
    assert.match(page.body, /href="#from-day">The from date must be a real date</)
    assert.match(page.body, /href="#to-day">The to date must be a real date</)
    assert.match(page.body, /name="from-month"[^>]*value="13"/, 'what was typed is kept')
  })

  it('names the missing part of a half-filled date, and filters by whole ones', async () => {
    const auditor = await t.signIn('auditor')
    const half = await auditor.get('/audit?from-day=1&from-month=&from-year=2026&to-day=&to-month=&to-year=')
    assert.equal(half.statusCode, 400)
    assert.match(half.body, /href="#from-month">The from date must include a month</)
    const backwards = await auditor.get(
      '/audit?from-day=2&from-month=11&from-year=2026&to-day=1&to-month=11&to-year=2026',
    )
    assert.match(backwards.body, /The to date must be the same as or after the from date/)
    const whole = await auditor.get('/audit?from-day=1&from-month=1&from-year=2000&to-day=&to-month=&to-year=')
    assert.equal(whole.statusCode, 200)
    assert.match(whole.body, /name="from-year"[^>]*value="2000"/)
    const api = await t.api(await t.token('auditor')).get('/api/v1/audit-events?from=2000-01-01&to=2099-12-31')
    assert.equal(api.statusCode, 200, api.body)
  })
})
