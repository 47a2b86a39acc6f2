import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sha256 } from '../../src/platform/auth/tokens.ts'
import { csrfFrom, formBody, type TestApp, testApp } from '../support/app.ts'

let t: TestApp
before(async () => {
  t = await testApp()
})
after(() => t.close())

async function attempt(username: string, password: string) {
  const page = await t.app.inject({ method: 'GET', url: '/sign-in' })
  const cookie = page.cookies.map(c => `${c.name}=${c.value}`).join('; ')
  const body = formBody({ username, password, _csrf: csrfFrom(page.body) })
  return t.app.inject({ method: 'POST', url: '/sign-in', payload: body.payload, headers: { ...body.headers, cookie } })
}

describe('sign-in', () => {
  it('signs in with the right password and lands on the page asked for', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/sign-in?returnTo=%2Fadmin%2Fusers' })
    const cookie = page.cookies.map(c => `${c.name}=${c.value}`).join('; ')
    const body = formBody({
      username: 'ADMIN ',
      password: 'portcullis-demo',
      returnTo: '/admin/users',
      _csrf: csrfFrom(page.body),
    })
    const response = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: body.payload,
      headers: { ...body.headers, cookie },
    })
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, '/admin/users')
    const session = response.cookies.find(c => c.name === 'portcullis_session')
    assert.ok(session?.httpOnly, 'session cookie is httpOnly')
    assert.equal(session?.sameSite, 'Lax')
  })

  it('never redirects off the service', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' })
    const cookie = page.cookies.map(c => `${c.name}=${c.value}`).join('; ')
    const body = formBody({
      username: 'admin',
      password: 'portcullis-demo',
      returnTo: '//evil.example/x',
      _csrf: csrfFrom(page.body),
    })
    const response = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: body.payload,
      headers: { ...body.headers, cookie },
    })
    assert.equal(response.headers.location, '/')
  })

  it('a wrong password gets the GOV.UK error summary, a 400 and an audit event, never a session', async () => {
    const response = await attempt('analyst', 'wrong-password')
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /govuk-error-summary/)
    assert.match(response.body, /The username or password is not correct/)
    assert.match(response.body, /<title>Error: Sign in - Portcullis<\/title>/)
    assert.ok(!response.cookies.some(c => c.name === 'portcullis_session'))
    const failed = await t.db
      .selectFrom('auditEvent')
      .select('subjectId')
      .where('action', '=', 'sign-in.failed')
      .execute()
    assert.ok(failed.some(e => e.subjectId === 'analyst'))
  })

  it('blank fields are named', async () => {
    const response = await attempt('', '')
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /Enter your username/)
    assert.match(response.body, /Enter your password/)
    assert.match(response.body, /href="#username"/)
  })

  it('locks an account after repeated failures, even against the right password, and says so', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await attempt('governor', `wrong-${i}`)).statusCode, 400)
    const locked = await attempt('governor', 'portcullis-demo')
    assert.equal(locked.statusCode, 400)
    assert.match(locked.body, /locked for 15 minutes/)
    // An unknown username locks the same way, so the message does not reveal which accounts exist.
    for (let i = 0; i < 5; i++) await attempt('nobody-here', `wrong-${i}`)
    assert.match((await attempt('nobody-here', 'x')).body, /locked for 15 minutes/)
  })

  it('rate-limits an address after too many failures', async () => {
    const limited = await testApp(
      { signIn: { maxFailures: 100, lockMinutes: 15, maxPerIpPer15Minutes: 3 } },
      t.database,
    )
    try {
      const page = await limited.app.inject({ method: 'GET', url: '/sign-in', remoteAddress: '10.9.9.9' })
      const cookie = page.cookies.map(c => `${c.name}=${c.value}`).join('; ')
      let last = 0
      for (let i = 0; i < 4; i++) {
        const body = formBody({ username: `someone${i}`, password: 'x', _csrf: csrfFrom(page.body) })
        const r = await limited.app.inject({
          method: 'POST',
          url: '/sign-in',
          remoteAddress: '10.9.9.9',
          payload: body.payload,
          headers: { ...body.headers, cookie },
        })
        last = r.statusCode
      }
      assert.equal(last, 429)
    } finally {
      await limited.app.close()
    }
  })

  it('refuses a form without its CSRF token', async () => {
    const body = formBody({ username: 'admin', password: 'portcullis-demo' })
    const response = await t.app.inject({ method: 'POST', url: '/sign-in', ...body })
    assert.equal(response.statusCode, 403)
    assert.match(response.body, /This form has expired/)
    const session = await t.signIn('admin')
    const noToken = formBody({ search: 'x' })
    const r = await t.app.inject({
      method: 'POST',
      url: '/admin/users/analyst/deactivate',
      payload: noToken.payload,
      headers: { ...noToken.headers, cookie: session.cookieHeader() },
    })
    assert.equal(r.statusCode, 403)
    const analyst = await t.db
      .selectFrom('appUser')
      .select('active')
      .where('username', '=', 'analyst')
      .executeTakeFirstOrThrow()
    assert.equal(analyst.active, true, 'nothing changed')
  })

  it('a CSRF token from one session does not work in another', async () => {
    const first = await t.signIn('admin')
    const second = await t.signIn('admin')
    const token = await first.csrf()
    const body = formBody({ _csrf: token })
    const r = await t.app.inject({
      method: 'POST',
      url: '/admin/users/pio/deactivate',
      payload: body.payload,
      headers: { ...body.headers, cookie: second.cookieHeader() },
    })
    assert.equal(r.statusCode, 403)
  })
})

describe('sessions', () => {
  it('sign-out ends the session in the database', async () => {
    const session = await t.signIn('reporter')
    assert.equal((await session.get('/')).statusCode, 200)
    const out = await session.post('/sign-out', {})
    assert.equal(out.statusCode, 303)
    assert.equal((await session.get('/')).statusCode, 303)
    const ended = await t.db
      .selectFrom('userSession')
      .select('endReason')
      .where('endReason', '=', 'signed-out')
      .execute()
    assert.ok(ended.length >= 1)
  })

  it('a stolen cookie is useless after sign-out', async () => {
    const session = await t.signIn('reporter')
    const stolen = session.cookieHeader()
    await session.post('/sign-out', {})
    const replay = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: stolen } })
    assert.equal(replay.statusCode, 303)
  })

  it('ends after the idle timeout and tells the person why', async () => {
    const session = await t.signIn('pio')
    const token = session.cookies.get('portcullis_session')!
    const raw = t.app.unsignCookie(decodeURIComponent(token)).value!
    await t.db
      .updateTable('userSession')
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where('id', '=', sha256(raw))
      .execute()
    const response = await session.get('/admin/users')
    assert.equal(response.statusCode, 303)
    assert.match(String(response.headers.location), /expired=1/)
    const page = await session.get(String(response.headers.location))
    assert.match(page.body, /inactive for 30 minutes/)
    const row = await t.db
      .selectFrom('userSession')
      .select('endReason')
      .where('id', '=', sha256(raw))
      .executeTakeFirstOrThrow()
    assert.equal(row.endReason, 'idle')
  })

  it('stores only a hash of the session token', async () => {
    const session = await t.signIn('auditor')
    const raw = t.app.unsignCookie(decodeURIComponent(session.cookies.get('portcullis_session')!)).value!
    const stored = await t.db.selectFrom('userSession').select('id').where('id', '=', raw).executeTakeFirst()
    assert.equal(stored, undefined)
  })
})

describe('security headers', () => {
  it('sends a strict CSP with a nonce, and no caching of pages', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/sign-in' })
    const csp = String(response.headers['content-security-policy'])
    assert.match(csp, /default-src 'self'/)
    assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    const nonce = /nonce-([A-Za-z0-9+/=]+)/.exec(csp)![1]
    assert.ok(response.body.includes(`nonce="${nonce}"`), 'the inline script carries the nonce')
    assert.equal(response.headers['x-content-type-options'], 'nosniff')
    assert.equal(response.headers['cache-control'], 'no-store')
  })
})
