import assert from 'node:assert/strict'
import { createServer } from 'node:net'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'
import {
  assertNoAxeViolations,
  openBrowser,
  screenshot,
  type TestBrowser,
  watchForPageErrors,
} from '../support/browser.ts'
import { type IdentityProvider, startIdentityProvider } from '../support/identity-provider.ts'

// Single sign-on in Chromium, end to end: Portcullis's sign-in page, the provider's own login page (oidc-provider on
// a loopback port: not ours, so not checked with axe), and back to Portcullis's home page or its refusal page.

let provider: IdentityProvider
let t: TestApp
let browser: TestBrowser
let baseUrl: string
let pageErrors: string[]

/** A free loopback port, so that the address the provider sends people back to is known before the app starts. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>(resolve => server.close(() => resolve()))
  assert.ok(address && typeof address === 'object')
  return address.port
}

before(async () => {
  const port = await freePort()
  baseUrl = `http://127.0.0.1:${port}`
  provider = await startIdentityProvider(`${baseUrl}/sign-in/oidc/callback`)
  t = await testApp({ oidc: provider.config({ label: 'Sign in with HMPPS Auth' }) })
  await t.app.listen({ port, host: '127.0.0.1' })
  browser = await openBrowser()
  // The provider's development login page asks for a web font; the test machine is offline, and the page is not ours.
  await browser.context.route('https://fonts.googleapis.com/**', route =>
    route.fulfill({ status: 200, contentType: 'text/css', body: '' }),
  )
  pageErrors = watchForPageErrors(browser.page)
})
after(async () => {
  await browser?.close()
  await t?.close()
  await provider?.close()
})
beforeEach(async () => {
  await browser.context.clearCookies()
  pageErrors.length = 0
})
afterEach(() => {
  // Only Portcullis's pages are held to this: the provider's development login page is not ours.
  const ours = pageErrors.filter(error => !error.includes(provider.issuer))
  assert.deepEqual(ours, [], 'the browser reported errors on a Portcullis page')
})

/** From Portcullis's sign-in page through the provider's login page, as the provider's account `sub`. */
async function signInThroughProvider(sub: string, path = '/') {
  const { page } = browser
  await page.goto(`${baseUrl}${path}`)
  await page.waitForURL(url => url.pathname === '/sign-in')
  await assertNoAxeViolations(page, 'the sign-in page with single sign-on')
  await Promise.all([
    page.waitForURL(url => url.href.startsWith(provider.issuer)),
    page.locator('[data-qa=sign-in-single-sign-on]').click(),
  ])
  await page.locator('input[name=login]').fill(sub)
  await page.locator('input[name=password]').fill('any password')
  await Promise.all([page.waitForURL(url => url.href.startsWith(baseUrl)), page.locator('button[type=submit]').click()])
  await page.waitForLoadState('load')
  return page
}

describe('single sign-on in Chromium', () => {
  it('signs a new person in through the provider and lands on the home page, showing their name', async () => {
    provider.accounts.set('subject-amira', {
      preferred_username: 'amira.khan',
      name: 'Amira Khan',
      roles: ['analyst'],
      establishment: 'MDI',
    })
    const page = await signInThroughProvider('subject-amira', '/')
    assert.equal(new URL(page.url()).pathname, '/')
    assert.match((await page.locator('[data-qa=signed-in-user]').textContent()) ?? '', /Amira Khan/)
    await screenshot(page, 'sso-home')
    await assertNoAxeViolations(page, 'home after single sign-on')

    await Promise.all([page.waitForURL(url => url.pathname === '/sign-in'), page.locator('[data-qa=sign-out]').click()])
    assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)
  })

  it('shows a person with no Portcullis role a clear page that passes axe, and no session', async () => {
    provider.accounts.set('subject-bob', {
      preferred_username: 'bob.norole',
      name: 'Bob Norole',
      roles: ['ROLE_GLOBAL_SEARCH'],
      establishment: 'MDI',
    })
    const page = await signInThroughProvider('subject-bob')
    assert.equal(new URL(page.url()).pathname, '/sign-in/oidc/callback')
    assert.equal(
      (await page.locator('[data-qa=sign-in-problem]').textContent())?.trim(),
      'Your account has no Portcullis role',
    )
    await screenshot(page, 'sso-no-role')
    await assertNoAxeViolations(page, 'the single sign-on refusal page')
    const response = await page.goto(`${baseUrl}/`)
    assert.equal(new URL(response?.url() ?? '').pathname, '/sign-in')
  })

  it('shows a 400 page that passes axe when the return from the provider was not started here', async () => {
    const { page } = browser
    const response = await page.goto(`${baseUrl}/sign-in/oidc/callback?code=forged&state=forged`)
    assert.equal(response?.status(), 400)
    await assertNoAxeViolations(page, 'the sign-in not completed page')
  })
})
