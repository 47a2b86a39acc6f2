import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach } from 'node:test'
import type { AxeResults, RunOptions } from 'axe-core'
import type { FastifyPluginAsync } from 'fastify'
import { type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core'
import { DEMO_PASSWORD, type TestApp, testApp } from './app.ts'

/** The Debian package's Chromium; a browser is never downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', '.test-output', 'screenshots')

/** How long one browser action may wait: a test fails in seconds, not at the runner's limit. */
const ACTION_TIMEOUT_MS = 10_000

export type TestServer = TestApp & { baseUrl: string }

/** The real app on a throwaway database, listening on a free local port, for a real browser. */
export async function testServer(plugins: FastifyPluginAsync[] = []): Promise<TestServer> {
  const t = await testApp({}, undefined, plugins)
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = t.app.server.address() as AddressInfo
  return { ...t, baseUrl: `http://127.0.0.1:${port}` }
}

export type TestBrowser = { context: BrowserContext; page: Page; close(): Promise<void> }

/** Headless Chromium in its own throwaway profile: nothing is shared with another test file or run. */
export async function openBrowser(options: BrowserContextOptions = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'portcullis-browser-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    ...options,
  })
  context.setDefaultTimeout(ACTION_TIMEOUT_MS)
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS)
  const page = context.pages()[0] ?? (await context.newPage())
  return {
    context,
    page,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Signs in through the real form, as a person would, and waits for the page it leads to. */
export async function signIn(page: Page, baseUrl: string, username: string, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/sign-in`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await Promise.all([page.waitForURL(url => url.pathname !== '/sign-in'), page.locator('[data-qa=sign-in]').click()])
}

/** Signs out with the header's button and waits for the sign-in page. */
export async function signOut(page: Page) {
  await Promise.all([page.waitForURL(url => url.pathname === '/sign-in'), page.locator('[data-qa=sign-out]').click()])
}

/** Goes to a path and returns the response's status, failing if there was none. */
export async function visit(page: Page, baseUrl: string, path: string): Promise<number> {
  const response = await page.goto(`${baseUrl}${path}`)
  assert.ok(response, `no response for ${path}`)
  return response.status()
}

/** The links of the service navigation ("Main menu"), by their text. */
export async function navigationLinks(page: Page): Promise<string[]> {
  const links = page.getByRole('navigation', { name: 'Main menu' }).getByRole('link')
  return (await links.allTextContents()).map(text => text.trim())
}

let axeSource: string | undefined
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

type AxeWindow = { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }

/**
 * Runs axe-core against the page as it is and fails with every WCAG 2.2 AA violation, each naming its rule and the
 * elements that break it. axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy
 * does not govern, so the page is tested under its real policy.
 */
export async function assertNoAxeViolations(page: Page, label = page.url()) {
  axeSource ??= readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
  const violations = await page.evaluate(async tags => {
    const results = await (window as unknown as AxeWindow).axe.run(document, { runOnly: { type: 'tag', values: tags } })
    return results.violations.map(v => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map(n => ({ target: n.target.map(String), failureSummary: n.failureSummary })),
    }))
  }, WCAG_TAGS)
  const report = violations
    .map(
      v =>
        `- ${v.id} (${v.impact}): ${v.help} <${v.helpUrl}>\n` +
        v.nodes
          .map(
            n =>
              `    ${n.target.join(' ')}${n.failureSummary ? `\n      ${n.failureSummary.replaceAll('\n', '\n      ')}` : ''}`,
          )
          .join('\n'),
    )
    .join('\n')
  assert.equal(
    violations.length,
    0,
    `axe found ${violations.length} accessibility violation(s) on ${label}:\n${report}`,
  )
}

/** A full-page screenshot in .test-output/screenshots/, for people to look at. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `${name}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}

/**
 * Collects what the browser reports as broken: console errors, uncaught exceptions, CSP refusals, and assets (styles,
 * scripts, fonts, images) that failed to load. A page's own error status (a 404 page) is not counted: tests assert it.
 */
export function watchForPageErrors(page: Page) {
  const errors: string[] = []
  page.on('console', message => {
    // Chromium logs every 4xx/5xx response, the document's own included; assets are checked below instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text()}`)
    }
  })
  page.on('pageerror', error => errors.push(`uncaught: ${error.message}`))
  page.on('response', response => {
    if (response.request().resourceType() !== 'document' && response.status() >= 400) {
      errors.push(`asset: ${response.status()} ${response.url()}`)
    }
  })
  page.on('requestfailed', request => {
    // Chromium fetches the web app manifest after the load event; moving to the next page cancels it, harmlessly.
    const cancelledManifest =
      request.failure()?.errorText === 'net::ERR_ABORTED' && request.url().endsWith('/assets/manifest.json')
    if (request.resourceType() !== 'document' && !cancelledManifest)
      errors.push(`asset: ${request.failure()?.errorText} ${request.url()}`)
  })
  return errors
}

/**
 * One browser journey per test file: the real app on a fresh database (with `setup` to give it data), one Chromium,
 * cookies cleared before each test, and every test failing if the browser reported an error on the way.
 */
export function browserJourney(setup: (server: TestServer) => Promise<void> = async () => {}) {
  const journey = {} as { server: TestServer; browser: TestBrowser; pageErrors: string[] }
  before(async () => {
    journey.server = await testServer()
    await setup(journey.server)
    journey.browser = await openBrowser()
    journey.pageErrors = watchForPageErrors(journey.browser.page)
  })
  after(async () => {
    await journey.browser?.close()
    await journey.server?.close()
  })
  beforeEach(async () => {
    await journey.browser.context.clearCookies()
    journey.pageErrors.length = 0
  })
  afterEach(() => {
    assert.deepEqual(
      journey.pageErrors,
      [],
      'the browser reported errors: a blocked script, a missing asset or a script failure',
    )
  })
  return {
    get server() {
      return journey.server
    },
    get browser() {
      return journey.browser
    },
    /** Signs in (when asked, after signing any earlier user out), opens the page and checks its status. */
    async open(path: string, options: { as?: string; status?: number } = {}) {
      const { page } = journey.browser
      if (options.as) {
        await journey.browser.context.clearCookies()
        await signIn(page, journey.server.baseUrl, options.as)
      }
      const status = await visit(page, journey.server.baseUrl, path)
      assert.equal(status, options.status ?? 200, `status of ${path}`)
      return page
    },
  }
}

/** Clicks a control that submits a form and waits for the page the server answers with. */
export async function press(page: Page, dataQa: string) {
  await Promise.all([page.waitForEvent('load'), page.locator(`[data-qa=${dataQa}]`).first().click()])
}

/** The GOV.UK error summary's links, by their text; fails if there is no summary. */
export async function errorLinks(page: Page) {
  const summary = page.locator('.govuk-error-summary')
  await summary.waitFor()
  return (await summary.getByRole('link').allTextContents()).map(text => text.trim())
}

/** Every error-summary link leads to exactly one element on the page: the GOV.UK pattern's promise. */
export async function assertErrorLinksLand(page: Page) {
  const hrefs = await page
    .locator('.govuk-error-summary a')
    .evaluateAll(links => links.map(a => a.getAttribute('href') ?? ''))
  for (const href of hrefs) {
    assert.ok(href.startsWith('#'), `error link ${href}`)
    assert.equal(await page.locator(`[id="${href.slice(1)}"]`).count(), 1, `one element with the id of ${href}`)
  }
}

/** The success banner's text, on one line. */
export async function flash(page: Page) {
  return ((await page.locator('.govuk-notification-banner--success').textContent()) ?? '').replace(/\s+/g, ' ').trim()
}

/** A page photographed (when a name is given) and checked with axe. */
export async function checkPage(page: Page, label: string, screenshotName?: string) {
  if (screenshotName) await screenshot(page, screenshotName)
  await assertNoAxeViolations(page, label)
}

/** The text of an element as a person reads it: line breaks and table cells become single spaces. */
export async function textOf(page: Page, dataQa: string) {
  // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, so a line break or a cell is a space
  return (await page.locator(`[data-qa=${dataQa}]`).first().innerText()).replace(/\s+/g, ' ').trim()
}
