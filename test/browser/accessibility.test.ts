import assert from 'node:assert/strict'
import { after, before, beforeEach, describe, it } from 'node:test'
import {
  assertNoAxeViolations,
  errorLinks,
  openBrowser,
  screenshot,
  signIn,
  type TestBrowser,
  type TestServer,
  testServer,
  visit,
} from '../support/browser.ts'

// axe-core (WCAG 2.0, 2.1 and 2.2 A and AA) on every kind of page: forms with and without errors, tables, summaries
// and the error pages. A failure names the rule and the elements; fix the template, do not disable the rule.

let server: TestServer
let browser: TestBrowser

before(async () => {
  server = await testServer([
    async app => {
      app.get('/test/boom', { config: { permission: 'home:view' } }, async () => {
        throw new Error('boom')
      })
    },
  ])
  browser = await openBrowser()
})
after(async () => {
  await browser?.close()
  await server?.close()
})
beforeEach(() => browser.context.clearCookies())

/** Signs in (when asked), opens the page, checks its status, then runs axe over it. */
async function check(path: string, options: { as?: string; status?: number; screenshot?: string } = {}) {
  const { page } = browser
  if (options.as) await signIn(page, server.baseUrl, options.as)
  const status = await visit(page, server.baseUrl, path)
  assert.equal(status, options.status ?? 200, `status of ${path}`)
  if (options.screenshot) await screenshot(page, options.screenshot)
  await assertNoAxeViolations(page, path)
  return page
}

describe('accessibility (axe, WCAG 2.2 AA)', () => {
  it('the sign-in page', async () => {
    await check('/sign-in', { screenshot: 'sign-in' })
  })

  it('the sign-in page with errors', async () => {
    const page = await check('/sign-in')
    await page.locator('[data-qa=sign-in]').click()
    await page.locator('.govuk-error-summary').waitFor()
    await assertNoAxeViolations(page, '/sign-in with errors')
  })

  it('the home page', async () => {
    await check('/', { as: 'analyst', screenshot: 'home' })
  })

  it('the list of users', async () => {
    await check('/admin/users', { as: 'admin', screenshot: 'admin-users' })
  })

  it('the form to add a user, with errors', async () => {
    const page = await check('/admin/users/new', { as: 'admin' })
    await page.locator('[data-qa=save-user]').click()
    await page.locator('.govuk-error-summary').waitFor()
    await assertNoAxeViolations(page, '/admin/users/new with errors')
  })

  it('a user’s page', async () => {
    await check('/admin/users/analyst', { as: 'admin' })
  })

  it('the audit trail', async () => {
    await check('/audit', { as: 'auditor', screenshot: 'audit' })
  })

  it('the audit trail with an invalid date filter', async () => {
    // Issue 12.6: the dates are day, month and year boxes; the message names the date and links to its box.
    const query = 'from-day=45&from-month=13&from-year=2026&to-day=&to-month=&to-year='
    const page = await check(`/audit?${query}`, { as: 'auditor', status: 400, screenshot: 'audit-date-error' })
    assert.deepEqual(await errorLinks(page), ['The from date must be a real date'])
    assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'the error summary is shown')
    assert.equal(await page.locator('#from-error').count(), 1, 'the date field shows its error')
  })

  it('the page for a forbidden page (403)', async () => {
    const page = await check('/admin/users', { as: 'reporter', status: 403 })
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'You do not have permission to view this page',
    )
  })

  it('the page for an unknown address (404)', async () => {
    const page = await check('/no-such-page', { as: 'analyst', status: 404 })
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Page not found')
  })

  it('the page for a failure (500)', async () => {
    const page = await check('/test/boom', { as: 'analyst', status: 500 })
    assert.equal(
      await page.getByRole('heading', { level: 1 }).textContent(),
      'Sorry, there is a problem with the service',
    )
    assert.doesNotMatch(await page.content(), /boom/, 'no detail of the failure reaches the page')
  })
})
