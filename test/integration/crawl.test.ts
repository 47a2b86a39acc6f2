import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { seedDemo } from '../../src/demo/seed.ts'
import { DEMO_USERS } from '../../src/demo/users.ts'
import { DEMO_PASSWORD, type TestApp, testApp } from '../support/app.ts'

// Every role, signed in, follows every link it is shown, from the home page on: a link a person is shown must open.
// Same-origin GET links only; each URL pattern once (a path with its identifiers generalised, and its query's names);
// assets and signing out are not followed; a PDF or CSV is fetched but not read for links.

const MAX_PAGES_PER_ROLE = 400

let t: TestApp
before(async () => {
  t = await testApp()
  await seedDemo(t.db, { password: DEMO_PASSWORD })
})
after(() => t.close())

/** The links of a page, as same-origin paths with their query, without fragments. */
function linksOf(html: string): string[] {
  const links: string[] = []
  for (const [, raw] of html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
    const href = raw
      .replace(/&amp;/g, '&')
      .replace(/&#x2F;/g, '/')
      .replace(/&#39;/g, "'")
      .split('#')[0]
    if (!href.startsWith('/') || href.startsWith('//')) continue
    links.push(href)
  }
  return links
}

/** A URL's pattern: identifiers (anything with a digit) generalised, and the names of its query parameters. */
function patternOf(url: string): string {
  const [path, query = ''] = url.split('?')
  const shape = path
    .split('/')
    .map(segment => (/\d/.test(segment) ? ':id' : segment))
    .join('/')
  const names = [...new URLSearchParams(query).keys()].sort()
  return names.length ? `${shape}?${[...new Set(names)].join('&')}` : shape
}

const NOT_FOLLOWED = [/^\/assets\//, /^\/sign-out/, /^\/logout/]

async function crawl(username: string) {
  const session = await t.signIn(username)
  const seen = new Set<string>()
  const queue: { url: string; from: string }[] = [{ url: '/', from: '(home)' }]
  const broken: string[] = []
  let fetched = 0
  while (queue.length > 0 && fetched < MAX_PAGES_PER_ROLE) {
    const { url, from } = queue.shift() as { url: string; from: string }
    const pattern = patternOf(url)
    if (seen.has(pattern) || NOT_FOLLOWED.some(rule => rule.test(url))) continue
    seen.add(pattern)
    const response = await session.get(url)
    fetched++
    const status = response.statusCode
    if (status === 403 || status === 404 || status >= 500) {
      broken.push(`${status} ${url} (linked from ${from})`)
      continue
    }
    if (status >= 300 && status < 400) {
      const location = String(response.headers.location ?? '')
      if (location.startsWith('/')) queue.push({ url: location, from: url })
      continue
    }
    if (!String(response.headers['content-type'] ?? '').startsWith('text/html')) continue
    for (const link of linksOf(response.body)) queue.push({ url: link, from: url })
  }
  return { broken, fetched }
}

describe('every link a role is shown opens', () => {
  it('the report form offers to find a prison number only to those who may search for people', async () => {
    const findLink = /href="\/people">find a prison number/
    assert.match((await (await t.signIn('reporter')).get('/intelligence/report')).body, findLink)
    const pio = await t.signIn('pio')
    assert.equal((await pio.get('/people')).statusCode, 403, 'the PIO cannot search people')
    assert.doesNotMatch((await pio.get('/intelligence/report')).body, findLink)
  })

  for (const { username } of DEMO_USERS) {
    it(`as ${username}`, async () => {
      const { broken, fetched } = await crawl(username)
      assert.ok(fetched > 3, `${username} reached some pages (${fetched})`)
      assert.deepEqual(broken, [], `links ${username} is shown that do not open`)
    })
  }
})
