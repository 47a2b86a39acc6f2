import assert from 'node:assert/strict'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { before, describe, it } from 'node:test'
import type { Page } from 'playwright-core'
import { seedDemo } from '../../src/demo/seed.ts'
import { DEMO_COLLEAGUES, DEMO_USERS } from '../../src/demo/users.ts'
import { DEMO_PASSWORD } from '../support/app.ts'
import { assertNoAxeViolations, browserJourney, SCREENSHOTS, signIn, watchForPageErrors } from '../support/browser.ts'
import { crawlFromHome, DOWNLOADS, patternOf } from '../support/crawl.ts'

// Issue 12's walk through every role: each demo account signs in through the real form and opens every page it can
// reach from its home page by a link (each URL pattern once, as the in-memory crawl does; downloads are not opened).
// Every page is photographed at a desktop's width and a phone's, into .test-output/screenshots/every-page/<role>/,
// for people to look at, checked with axe (WCAG 2.2 AA) at the desktop's width, and measured: no page is wider than
// the screen it is shown on. In CI, where no one looks at them, the photographs are left out (they took half the
// time); the checks are the same.

const ROLES = [...DEMO_USERS, ...DEMO_COLLEAGUES.filter(c => c.username === 'ct-analyst')].map(user => user.username)
const WIDTHS = [1280, 375] as const
const MAX_PAGES_PER_ROLE = 150
const PHOTOGRAPH = process.env.CI !== 'true'

/** As the crawl's patterns, and one page for all establishments and all users: they are named by a code, not an id. */
const patternHere = (url: string) =>
  patternOf(url)
    .replace(/^\/admin\/establishments\/[A-Z]{3}(?=\/|\?|$)/, '/admin/establishments/:code')
    .replace(/^\/admin\/users\/(?!new(?:\/|\?|$))[^/?]+/, '/admin/users/:username')

const journey = browserJourney(async server => {
  await seedDemo(server.db, { password: DEMO_PASSWORD })
})

let pageErrors: string[]

/** A URL pattern as a file name: `/intelligence/:id/network` becomes `intelligence-id-network`. */
const fileNameOf = (pattern: string) =>
  pattern
    .replace(/^\//, '')
    .replaceAll(':id', 'id')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/-$/, '') || 'home'

/** Photographs the page at each width, full length, and runs axe at the first; returns what went wrong. */
async function photographAndCheck(page: Page, dir: string, pattern: string): Promise<string[]> {
  const problems: string[] = []
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 1280 ? 900 : 812 })
    // A page that lays itself out again when the window changes (the network's graph) is given a moment to settle.
    await page
      .waitForFunction(w => document.documentElement.scrollWidth <= w + 1, width, { timeout: 2000 })
      .catch(() => {})
    if (PHOTOGRAPH) await page.screenshot({ path: join(dir, `${fileNameOf(pattern)}-${width}.png`), fullPage: true })
    // A phone shows the page without scrolling it sideways (WCAG 1.4.10): wide tables scroll in a region of their own.
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth)
    if (pageWidth > width + 1) problems.push(`${pattern} is ${pageWidth} px wide on a ${width} px screen`)
    if (width !== WIDTHS[0]) continue
    try {
      await assertNoAxeViolations(page, `${pattern} (${page.url()})`)
    } catch (error) {
      problems.push((error as Error).message)
    }
  }
  await page.setViewportSize({ width: WIDTHS[0], height: 900 })
  return problems
}

describe('every page, as every role, at 1280 and 375 px, with axe', () => {
  before(() => {
    pageErrors = watchForPageErrors(journey.browser.page)
  })

  for (const username of ROLES) {
    it(`as ${username}`, async () => {
      const { page } = journey.browser
      const { baseUrl } = journey.server
      const dir = join(SCREENSHOTS, 'every-page', username)
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
      await signIn(page, baseUrl, username)

      const problems: string[] = []
      const { broken, fetched } = await crawlFromHome(
        async (url, pattern) => {
          pageErrors.length = 0
          const response = await page.goto(`${baseUrl}${url}`)
          assert.ok(response, `no response for ${url}`)
          const status = response.status()
          const { pathname, search } = new URL(page.url())
          const isPage = (response.headers()['content-type'] ?? '').startsWith('text/html')
          if (status < 400 && isPage) problems.push(...(await photographAndCheck(page, dir, pattern)))
          problems.push(...pageErrors.map(error => `${url}: ${error}`))
          return { status, endedAt: `${pathname}${search}`, html: isPage ? await page.content() : undefined }
        },
        { max: MAX_PAGES_PER_ROLE, skip: DOWNLOADS, pattern: patternHere },
      )
      assert.ok(fetched > 3, `${username} reached some pages (${fetched})`)
      assert.deepEqual(broken, [], `links ${username} is shown that do not open`)
      assert.deepEqual(problems, [], `what went wrong on the pages ${username} opened`)
    })
  }
})
