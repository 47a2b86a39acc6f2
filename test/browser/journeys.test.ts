import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { DEMO_USERS, FIRST_ESTABLISHMENT } from '../../src/demo/users.ts'
import {
  navigationLinks,
  openBrowser,
  signIn,
  signOut,
  type TestBrowser,
  type TestServer,
  testServer,
  visit,
  watchForPageErrors,
} from '../support/browser.ts'

// Whole journeys in Chromium against the real app: what a person sees and does, found by labels, roles and data-qa.

let server: TestServer
let browser: TestBrowser
let pageErrors: string[]

before(async () => {
  server = await testServer()
  browser = await openBrowser()
  pageErrors = watchForPageErrors(browser.page)
})
after(async () => {
  await browser?.close()
  await server?.close()
})
beforeEach(async () => {
  await browser.context.clearCookies()
  pageErrors.length = 0
})
afterEach(() => {
  assert.deepEqual(pageErrors, [], 'the browser reported errors: a blocked script, a missing asset or a script failure')
})

const displayName = (username: string) => {
  const user = DEMO_USERS.find(u => u.username === username)
  assert.ok(user, `no demo user ${username}`)
  return user.displayName
}

/** The GOV.UK error summary: its title and the text of each link in it. */
async function errorSummary() {
  const summary = browser.page.locator('.govuk-error-summary')
  await summary.waitFor()
  return {
    title: (await summary.locator('.govuk-error-summary__title').textContent())?.trim(),
    links: (await summary.getByRole('link').allTextContents()).map(text => text.trim()),
  }
}

describe('signing in and out', () => {
  const journeys = [
    { username: 'admin', sees: 'Users', doesNotSee: 'Audit' },
    { username: 'auditor', sees: 'Audit', doesNotSee: 'Users' },
  ]
  for (const { username, sees, doesNotSee } of journeys) {
    it(`${username} sees their own navigation and name, then signs out and is kept out`, async () => {
      const { page } = browser
      await signIn(page, server.baseUrl, username)
      assert.equal(new URL(page.url()).pathname, '/')
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your work')

      const links = await navigationLinks(page)
      assert.ok(links.includes('Home'), `navigation: ${links.join(', ')}`)
      assert.ok(links.includes(sees), `${username} should see ${sees}; navigation: ${links.join(', ')}`)
      assert.ok(
        !links.includes(doesNotSee),
        `${username} should not see ${doesNotSee}; navigation: ${links.join(', ')}`,
      )
      assert.match(
        (await page.locator('[data-qa=signed-in-user]').textContent()) ?? '',
        new RegExp(displayName(username)),
      )
      assert.ok(
        await page.locator('body.govuk-frontend-supported').count(),
        'the template’s inline script ran under the Content-Security-Policy nonce',
      )

      await page.getByRole('link', { name: sees, exact: true }).click()
      await page.waitForURL(url => url.pathname !== '/')
      assert.equal(
        await page.getByRole('heading', { level: 1 }).textContent(),
        sees === 'Users' ? 'Users' : 'Audit trail',
      )

      await signOut(page)
      assert.match((await page.getByRole('alert').textContent()) ?? '', /You have signed out/)
      assert.equal(await page.locator('[data-qa=signed-in-user]').count(), 0)

      await visit(page, server.baseUrl, '/')
      const url = new URL(page.url())
      assert.equal(url.pathname, '/sign-in')
      assert.equal(url.searchParams.get('returnTo'), '/')
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Sign in to Portcullis')
    })
  }

  it('a wrong password shows the error summary, whose link takes the user to the username field', async () => {
    const { page } = browser
    await page.goto(`${server.baseUrl}/sign-in`)
    await page.getByLabel('Username').fill('analyst')
    await page.getByLabel('Password', { exact: true }).fill('not-the-password')
    await page.locator('[data-qa=sign-in]').click()

    const summary = await errorSummary()
    assert.equal(summary.title, 'There is a problem')
    assert.deepEqual(summary.links, ['The username or password is not correct'])
    assert.match(await page.title(), /^Error: Sign in/)
    await page.locator('.govuk-error-summary:focus').waitFor() // GOV.UK Frontend moves focus to the summary
    assert.equal(await page.getByLabel('Username').inputValue(), 'analyst', 'the username is kept')
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is never echoed')
    assert.match((await page.locator('#username-error').textContent()) ?? '', /The username or password is not correct/)

    await page.getByRole('link', { name: 'The username or password is not correct' }).click()
    await page.locator('#username:focus').waitFor()

    // and the right password then works from the same page
    await page.getByLabel('Password', { exact: true }).fill('portcullis-demo')
    await page.locator('[data-qa=sign-in]').click()
    await page.waitForURL(url => url.pathname === '/')
  })

  it('signing in asks for where the user was going and takes them there', async () => {
    const { page } = browser
    await visit(page, server.baseUrl, '/admin/users')
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password', { exact: true }).fill('portcullis-demo')
    await page.locator('[data-qa=sign-in]').click()
    await page.waitForURL(url => url.pathname === '/admin/users')
  })

  it('works from start to finish with JavaScript turned off', async () => {
    const noScript = await openBrowser({ javaScriptEnabled: false })
    try {
      const { page } = noScript
      await page.goto(`${server.baseUrl}/sign-in`)
      assert.equal(await page.locator('body.govuk-frontend-supported').count(), 0, 'JavaScript really is off')

      await page.locator('[data-qa=sign-in]').click()
      await page.waitForLoadState()
      assert.deepEqual(
        (await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).map(s => s.trim()),
        ['Enter your username', 'Enter your password'],
      )

      await signIn(page, server.baseUrl, 'governor')
      assert.equal(new URL(page.url()).pathname, '/')
      assert.match(
        (await page.locator('[data-qa=signed-in-user]').textContent()) ?? '',
        new RegExp(displayName('governor')),
      )

      await signOut(page)
      assert.match((await page.getByRole('alert').textContent()) ?? '', /You have signed out/)
      await visit(page, server.baseUrl, '/')
      assert.equal(new URL(page.url()).pathname, '/sign-in')
    } finally {
      await noScript.close()
    }
  })
})

describe('an administrator adds a user', () => {
  it('is told what is missing, then creates the user, who can then sign in', async () => {
    const { page } = browser
    await signIn(page, server.baseUrl, 'admin')
    await page.getByRole('link', { name: 'Users', exact: true }).click()
    await page.locator('[data-qa=add-user]').click()
    await page.waitForURL(url => url.pathname === '/admin/users/new')
    const establishment = page.getByLabel('Establishment', { exact: true })
    assert.equal(await establishment.inputValue(), FIRST_ESTABLISHMENT, 'defaults to the administrator’s prison')

    await page.locator('[data-qa=save-user]').click()
    const summary = await errorSummary()
    assert.equal(summary.title, 'There is a problem')
    assert.deepEqual(summary.links, [
      'Enter a username',
      'Enter the person’s full name',
      'Select at least one role',
      'Enter a password of at least 12 characters',
    ])
    assert.match(await page.title(), /^Error: Add a user/)
    assert.equal(await establishment.inputValue(), FIRST_ESTABLISHMENT, 'what was chosen is kept')

    await page.getByRole('link', { name: 'Enter the person’s full name' }).click()
    await page.locator('#displayName:focus').waitFor()

    await page.getByLabel('Username').fill('nadia.officer')
    await page.getByLabel('Full name').fill('Nadia Officer')
    await page.getByRole('group', { name: 'Roles' }).getByLabel('Security analyst').check()
    await page.getByLabel('Password', { exact: true }).fill('a-long-enough-password')
    await page.locator('[data-qa=save-user]').click()

    await page.waitForURL(url => url.pathname === '/admin/users/nadia.officer')
    assert.match((await page.getByRole('alert').textContent()) ?? '', /User nadia\.officer created/)
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Nadia Officer')
    const summaryList = page.locator('.govuk-summary-list')
    assert.match((await summaryList.textContent()) ?? '', /Security analyst/)
    assert.match((await summaryList.textContent()) ?? '', new RegExp(`\\(${FIRST_ESTABLISHMENT}\\)`))

    await signOut(page)
    await signIn(page, server.baseUrl, 'nadia.officer', 'a-long-enough-password')
    assert.match((await page.locator('[data-qa=signed-in-user]').textContent()) ?? '', /Nadia Officer/)
  })
})
