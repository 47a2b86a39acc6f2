import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { seedDemo } from '../../src/demo/seed.ts'
import { DEMO_USERS } from '../../src/demo/users.ts'
import { DEMO_PASSWORD, type TestApp, testApp } from '../support/app.ts'
import { crawlFromHome } from '../support/crawl.ts'

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

/** Opens a link in memory, as the signed-in person; a PDF or CSV is fetched but not read for links. */
async function crawl(username: string) {
  const session = await t.signIn(username)
  return crawlFromHome(
    async url => {
      const response = await session.get(url)
      const html = String(response.headers['content-type'] ?? '').startsWith('text/html') ? response.body : undefined
      return { status: response.statusCode, location: String(response.headers.location ?? ''), html }
    },
    { max: MAX_PAGES_PER_ROLE },
  )
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
