import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { csrfFrom, formBody, type TestApp, testApp } from '../support/app.ts'

// Issue 13, defects 3, 4, 5 and 7, found by an independent security test of main.

const REPORT = {
  text: 'A phone seen passed at the servery on B wing',
  occurredAt: '2026-11-20T14:30:00Z',
  sourceType: 'own-observation',
  threatAreas: ['illicit-communications'],
  nominals: [],
}

/** Fails sign-in once as `username`, claiming to come from `forwardedFor`; answers the status. */
async function failSignIn(t: TestApp, username: string, forwardedFor?: string) {
  const form = await t.app.inject({ method: 'GET', url: '/sign-in' })
  const cookie = form.cookies.map(c => `${c.name}=${c.value}`).join('; ')
  const body = formBody({ username, password: 'not the password', _csrf: csrfFrom(form.body) })
  const response = await t.app.inject({
    method: 'POST',
    url: '/sign-in',
    payload: body.payload,
    headers: { ...body.headers, cookie, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
  })
  return response.statusCode
}

describe('a client cannot choose its own address (issue 13, defect 3)', () => {
  it('in production with no TRUST_PROXY, X-Forwarded-For does not escape the per-address sign-in limit', async () => {
    const t = await testApp({
      production: true,
      trustProxy: false,
      signIn: { maxFailures: 100, lockMinutes: 15, maxPerIpPer15Minutes: 2 },
    })
    try {
      assert.equal(await failSignIn(t, 'analyst', '203.0.113.1'), 400)
      assert.equal(await failSignIn(t, 'analyst', '203.0.113.2'), 400)
      assert.equal(await failSignIn(t, 'analyst', '203.0.113.3'), 429, 'the third failure from one socket is refused')
      const addresses = await t.db.selectFrom('signInAttempt').select('ip').distinct().execute()
      assert.deepEqual(
        addresses.map(a => a.ip),
        ['127.0.0.1'],
        'the forged addresses are not recorded',
      )
    } finally {
      await t.close()
    }
  })

  it('behind one trusted proxy, the address that proxy saw is the client’s', async () => {
    const t = await testApp({ trustProxy: 1 })
    try {
      await failSignIn(t, 'analyst', '198.51.100.7, 203.0.113.9')
      const attempt = await t.db.selectFrom('signInAttempt').select('ip').executeTakeFirstOrThrow()
      assert.equal(attempt.ip, '203.0.113.9', 'only the nearest hop is believed')
    } finally {
      await t.close()
    }
  })
})

describe('over-long addresses and headers answer problem+json (issue 13, defect 4)', () => {
  let t: TestApp
  let base: string
  before(async () => {
    t = await testApp()
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`
  })
  after(() => t.close())

  it('a 3,000-character path parameter: 414', async () => {
    const response = await fetch(`${base}/api/v1/intelligence-reports/${'A'.repeat(3000)}`)
    assert.equal(response.status, 414)
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
    const problem = (await response.json()) as { status: number; title: string }
    assert.equal(problem.status, 414)
    assert.equal(problem.title, 'URI too long')
  })

  it('a query over 16 KB: 431', async () => {
    const response = await fetch(`${base}/api/v1/intelligence-reports?q=${'phone+'.repeat(3000)}`)
    assert.equal(response.status, 431)
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
    assert.equal(((await response.json()) as { status: number }).status, 431)
  })

  it('a malformed percent-encoding in the path: 400', async () => {
    const response = await fetch(`${base}/api/v1/intelligence-reports/%E0%A4%A`)
    assert.equal(response.status, 400)
    assert.match(response.headers.get('content-type') ?? '', /^application\/problem\+json/)
  })
})

describe('API tokens expire, show their last use, and stop with their user (issue 13, defect 5)', () => {
  let t: TestApp
  let admin: ReturnType<TestApp['api']>
  before(async () => {
    t = await testApp()
    admin = t.api(await t.token('admin'))
  })
  after(() => t.close())

  async function issue(username: string, extra: Record<string, unknown> = {}) {
    const response = await admin.post(`/api/v1/users/${username}/tokens`, { name: `for ${username}`, ...extra })
    assert.equal(response.statusCode, 201, response.body)
    return response.json() as { id: string; token: string; expiresAt: string }
  }

  it('lasts 90 days unless its issuer chooses, from 1 to 366 days', async () => {
    const before = Date.now()
    const standard = await issue('analyst')
    const days = (Date.parse(standard.expiresAt) - before) / 86_400_000
    assert.ok(days > 89.99 && days < 90.01, `${days} days`)
    const week = await issue('analyst', { expiresInDays: 7 })
    assert.ok(Math.abs((Date.parse(week.expiresAt) - before) / 86_400_000 - 7) < 0.01)
    for (const expiresInDays of [0, 367, 'soon', 1.5]) {
      const refused = await admin.post('/api/v1/users/analyst/tokens', { name: 'x', expiresInDays })
      assert.equal(refused.statusCode, 400, String(expiresInDays))
      assert.equal(refused.json().errors[0].field, 'expiresInDays')
    }
  })

  it('is refused once expired, saying so', async () => {
    const { id, token } = await issue('analyst')
    assert.equal((await t.api(token).get('/api/v1/intelligence-reports')).statusCode, 200)
    await t.db
      .updateTable('apiToken')
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where('id', '=', id)
      .execute()
    const refused = await t.api(token).get('/api/v1/intelligence-reports')
    assert.equal(refused.statusCode, 401)
    assert.match(refused.json().detail, /expired/)
  })

  it('shows its expiry and last use to administrators', async () => {
    const { id, token } = await issue('governor')
    await t.api(token).get('/api/v1/intelligence-reports')
    const listed = (await admin.get('/api/v1/users/governor/tokens'))
      .json()
      .results.find((r: { id: string }) => r.id === id)
    assert.ok(listed.lastUsedAt, 'last use recorded')
    assert.ok(listed.expiresAt)
    const page = await (await t.signIn('admin')).get('/admin/users/governor')
    assert.match(page.body, /Expires/)
    assert.match(page.body, /Last used/)
  })

  it('is refused while its user is deactivated, and works again when reactivated', async () => {
    const { token } = await issue('pgd')
    const session = await t.signIn('admin')
    await session.post('/admin/users/pgd/deactivate', {}, '/admin/users/pgd')
    const refused = await t.api(token).get('/api/v1/intelligence-reports')
    assert.equal(refused.statusCode, 401)
    assert.match(refused.json().detail, /deactivated/)
    await session.post('/admin/users/pgd/reactivate', {}, '/admin/users/pgd')
    assert.notEqual((await t.api(token).get('/api/v1/intelligence-reports')).statusCode, 401)
  })

  it('is refused while its user is locked out by failed sign-ins', async () => {
    const { token } = await issue('auditor')
    for (let i = 0; i < t.config.signIn.maxFailures; i++) await failSignIn(t, 'auditor')
    const refused = await t.api(token).get('/api/v1/intelligence-reports')
    assert.equal(refused.statusCode, 401)
    assert.match(refused.json().detail, /locked/)
  })
})

describe('Idempotency-Key on every creating POST (issue 13, defect 7)', () => {
  let t: TestApp
  let reporter: ReturnType<TestApp['api']>
  before(async () => {
    t = await testApp()
    reporter = t.api(await t.token('reporter'))
  })
  after(() => t.close())

  const forgetAnswer = (key: string) =>
    t.db
      .updateTable('idempotencyKey')
      .set({ responseStatus: null, responseBody: null, createdAt: new Date(Date.now() - 120_000) })
      .where('key', '=', key)
      .execute()

  const countReports = async (text: string) =>
    (await t.db.selectFrom('intelligenceReport').select('id').where('text', '=', text).execute()).length

  it('a retry with the same key gets the first answer, and one report exists', async () => {
    const body = { ...REPORT, text: 'Retried report: the answer was lost' }
    const first = await reporter.post('/api/v1/intelligence-reports', body, { 'idempotency-key': 'retry-1' })
    assert.equal(first.statusCode, 201, first.body)
    const second = await reporter.post('/api/v1/intelligence-reports', body, { 'idempotency-key': 'retry-1' })
    assert.equal(second.statusCode, 201)
    assert.equal(second.headers['idempotency-replayed'], 'true')
    assert.deepEqual(second.json(), first.json())
    assert.equal(await countReports(body.text), 1)
  })

  it('without a key, a second POST is a second report', async () => {
    const body = { ...REPORT, text: 'Sent twice without a key' }
    await reporter.post('/api/v1/intelligence-reports', body)
    await reporter.post('/api/v1/intelligence-reports', body)
    assert.equal(await countReports(body.text), 2)
  })

  it('concurrent retries with one key create one report, and none fails', async () => {
    const body = { ...REPORT, text: 'Sent five times at once' }
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        reporter.post('/api/v1/intelligence-reports', body, { 'idempotency-key': 'burst-1' }),
      ),
    )
    for (const answer of answers) assert.ok([201, 409].includes(answer.statusCode), answer.body)
    assert.ok(answers.some(a => a.statusCode === 201))
    assert.equal(await countReports(body.text), 1)
  })

  it('the same key for a different request is refused with 422, and nothing is written', async () => {
    const first = { ...REPORT, text: 'The first use of a key' }
    await reporter.post('/api/v1/intelligence-reports', first, { 'idempotency-key': 'reused-1' })
    const other = { ...REPORT, text: 'A different report under the same key' }
    const refused = await reporter.post('/api/v1/intelligence-reports', other, { 'idempotency-key': 'reused-1' })
    assert.equal(refused.statusCode, 422)
    assert.match(refused.headers['content-type'] as string, /application\/problem\+json/)
    assert.equal(await countReports(other.text), 0)
  })

  it('a request refused as invalid leaves its key free', async () => {
    const refused = await reporter.post(
      '/api/v1/intelligence-reports',
      { ...REPORT, text: '' },
      { 'idempotency-key': 'fixed-1' },
    )
    assert.equal(refused.statusCode, 400)
    const fixed = { ...REPORT, text: 'Sent again, corrected, under the same key' }
    const accepted = await reporter.post('/api/v1/intelligence-reports', fixed, { 'idempotency-key': 'fixed-1' })
    assert.equal(accepted.statusCode, 201)
  })

  it('keys belong to their user', async () => {
    const body = { ...REPORT, text: 'Two people, one key' }
    const analyst = t.api(await t.token('analyst'))
    assert.equal(
      (await reporter.post('/api/v1/intelligence-reports', body, { 'idempotency-key': 'shared' })).statusCode,
      201,
    )
    assert.equal(
      (await analyst.post('/api/v1/intelligence-reports', body, { 'idempotency-key': 'shared' })).statusCode,
      201,
    )
    assert.equal(await countReports(body.text), 2)
  })

  it('a malformed key is refused naming the header', async () => {
    const refused = await reporter.post('/api/v1/intelligence-reports', REPORT, { 'idempotency-key': 'x'.repeat(256) })
    assert.equal(refused.statusCode, 400)
    assert.equal(refused.json().errors[0].field, 'Idempotency-Key')
  })

  it('holds on another creating operation too: a user issued once', async () => {
    const admin = t.api(await t.token('admin'))
    const person = {
      username: 'idem.user',
      displayName: 'Ida Potent',
      establishmentCode: 'MDI',
      roles: ['reporter'],
      scope: 'establishment',
      password: 'a long enough password 123',
    }
    const first = await admin.post('/api/v1/users', person, { 'idempotency-key': 'user-1' })
    assert.equal(first.statusCode, 201, first.body)
    const second = await admin.post('/api/v1/users', person, { 'idempotency-key': 'user-1' })
    assert.equal(second.statusCode, 201, 'a retry is not a conflict with the user it created')
  })

  it('after a crash between the work and its answer, a report retry answers with the report it made', async () => {
    const body = { ...REPORT, text: 'The server stopped before answering' }
    const first = await reporter.post('/api/v1/intelligence-reports', body, { 'idempotency-key': 'crash-1' })
    // What a SIGKILL between commit and storing the answer leaves: the key, claimed with the report, and no answer.
    await forgetAnswer('crash-1')
    const retry = await reporter.post('/api/v1/intelligence-reports', body, { 'idempotency-key': 'crash-1' })
    assert.equal(retry.statusCode, 201, retry.body)
    assert.equal(retry.json().ref, first.json().ref)
    assert.equal(await countReports(body.text), 1)
  })

  it('after such a crash, an operation that cannot find its own result says so, and does not run twice', async () => {
    const admin = t.api(await t.token('admin'))
    const person = {
      username: 'crash.user',
      displayName: 'Cass Rash',
      establishmentCode: 'MDI',
      roles: ['reporter'],
      scope: 'establishment',
      password: 'a long enough password 123',
    }
    assert.equal((await admin.post('/api/v1/users', person, { 'idempotency-key': 'crash-2' })).statusCode, 201)
    await forgetAnswer('crash-2')
    const retry = await admin.post('/api/v1/users', person, { 'idempotency-key': 'crash-2' })
    assert.equal(retry.statusCode, 409)
    assert.match(retry.json().detail, /carried out/)
  })

  it('is documented on every POST of the OpenAPI document', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    const posts = Object.values(document.paths as Record<string, Record<string, { parameters?: { name: string }[] }>>)
      .map(path => path.post)
      .filter(Boolean)
    assert.ok(posts.length > 20)
    for (const post of posts) assert.ok(post?.parameters?.some(p => p.name === 'Idempotency-Key'))
    assert.match(document.info.description, /Idempotency-Key/)
  })
})
