import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { buildApp } from '../../src/app.ts'
import { usersService } from '../../src/platform/users/service.ts'
import { csrfFrom, formBody, type TestApp, testApp } from '../support/app.ts'
import { type IdentityProvider, type ProviderAccount, startIdentityProvider } from '../support/identity-provider.ts'

// Single sign-on against a real OpenID Connect provider (oidc-provider) on a loopback port: the code flow with PKCE,
// state and nonce, driven as a browser would, with the app answering in memory.

const REDIRECT_URL = 'http://portcullis.test/sign-in/oidc/callback'

let provider: IdentityProvider
let t: TestApp

before(async () => {
  provider = await startIdentityProvider(REDIRECT_URL)
  t = await testApp({ oidc: provider.config() })
})
after(async () => {
  await t?.close()
  await provider?.close()
})

type Jar = Map<string, string>

function remember(jar: Jar, response: { cookies: { name: string; value: string; maxAge?: number }[] }) {
  for (const cookie of response.cookies) {
    if (cookie.value === '' || cookie.maxAge === 0) jar.delete(cookie.name)
    else jar.set(cookie.name, cookie.value)
  }
}
const cookieHeader = (jar: Jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')

/** Presses "Sign in with …" on the sign-in page and returns the provider's address it leads to. */
async function startSignIn(app = t.app, jar: Jar = new Map(), returnTo = '/') {
  const page = await app.inject({ method: 'GET', url: `/sign-in?returnTo=${encodeURIComponent(returnTo)}` })
  remember(jar, page)
  const start = /href="(\/sign-in\/oidc[^"]*)"/.exec(page.body)
  assert.ok(start, 'the sign-in page links to single sign-on')
  const response = await app.inject({
    method: 'GET',
    url: start[1].replaceAll('&amp;', '&'),
    headers: { cookie: cookieHeader(jar) },
  })
  remember(jar, response)
  return { response, jar }
}

/** The whole journey: Portcullis, the provider's login page as `sub`, and back to Portcullis's callback. */
async function signInAs(sub: string, account: ProviderAccount, returnTo = '/') {
  provider.accounts.set(sub, account)
  const { response, jar } = await startSignIn(t.app, new Map(), returnTo)
  assert.equal(response.statusCode, 303)
  const location = String(response.headers.location)
  assert.ok(location.startsWith(`${provider.issuer}/`), location)
  const callback = await provider.signIn(location, sub)
  const answer = await t.app.inject({
    method: 'GET',
    url: `${callback.pathname}${callback.search}`,
    headers: { cookie: cookieHeader(jar) },
  })
  remember(jar, answer)
  return { answer, jar, callback }
}

const user = (username: string) =>
  t.db.selectFrom('appUser').selectAll().where('username', '=', username).executeTakeFirst()

const events = (action: string, subjectId: string) =>
  t.db
    .selectFrom('auditEvent')
    .select(['action', 'actorUsername', 'details'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .orderBy('id')
    .execute()

describe('single sign-on (OpenID Connect)', () => {
  it('offers the provider on the sign-in page beside the password form', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/sign-in' })
    assert.equal(page.statusCode, 200)
    assert.match(page.body, /href="\/sign-in\/oidc\?returnTo=%2F"/)
    assert.match(page.body, /Sign in with the test provider/)
    assert.match(page.body, /data-qa="sign-in-form"/)
  })

  it('sends the person to the provider with PKCE, state and nonce, remembered in a signed cookie', async () => {
    const { response, jar } = await startSignIn()
    const url = new URL(String(response.headers.location))
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256')
    assert.ok(url.searchParams.get('code_challenge'))
    assert.ok(url.searchParams.get('state'))
    assert.ok(url.searchParams.get('nonce'))
    assert.equal(url.searchParams.get('redirect_uri'), REDIRECT_URL)
    const pending = response.cookies.find(cookie => cookie.name === 'portcullis_oidc')
    assert.ok(pending?.httpOnly)
    assert.equal(pending?.path, '/sign-in/oidc')
    assert.ok(jar.has('portcullis_oidc'))
    assert.doesNotMatch(
      decodeURIComponent(pending?.value ?? ''),
      new RegExp(url.searchParams.get('code_challenge') ?? ''),
    )
  })

  it('creates the user at first sign-in, with the roles and establishment the claims give, and no password', async () => {
    const { answer, jar } = await signInAs(
      'subject-jane',
      {
        preferred_username: 'Jane.Smith@justice.example',
        name: 'Jane Smith',
        roles: ['analyst', 'not-a-portcullis-role'],
        establishment: 'lei',
      },
      '/audit?page=2',
    )
    assert.equal(answer.statusCode, 303)
    assert.equal(answer.headers.location, '/audit?page=2')
    assert.ok(jar.has('portcullis_session'))

    const created = await user('jane.smith')
    assert.ok(created)
    assert.equal(created.displayName, 'Jane Smith')
    assert.deepEqual(created.roles, ['analyst'])
    assert.equal(created.establishmentCode, 'LEI')
    assert.equal(created.scope, 'establishment')
    assert.deepEqual(created.compartments, [])
    assert.equal(created.passwordHash, null)
    assert.equal(created.externalIssuer, provider.issuer)
    assert.equal(created.externalSubject, 'subject-jane')

    const home = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: cookieHeader(jar) } })
    assert.equal(home.statusCode, 200)
    assert.match(home.body, /Jane Smith/)

    const [creation] = await events('user.created', 'jane.smith')
    assert.equal(creation.details.by, 'single sign-on')
    assert.deepEqual(creation.details.roles, ['analyst'])
    const [signedIn] = await events('sign-in', 'jane.smith')
    assert.equal(signedIn.details.method, 'single sign-on')
    const session = await t.db
      .selectFrom('userSession')
      .select('authMethod')
      .where('userId', '=', created.id)
      .executeTakeFirstOrThrow()
    assert.equal(session.authMethod, 'oidc')

    // No password was set, so the password form cannot open this account.
    const form = await t.app.inject({ method: 'GET', url: '/sign-in' })
    const body = formBody({ _csrf: csrfFrom(form.body), username: 'jane.smith', password: '' })
    const refused = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: body.payload,
      headers: { ...body.headers, cookie: form.cookies.map(c => `${c.name}=${c.value}`).join('; ') },
    })
    assert.equal(refused.statusCode, 400)
  })

  it('brings the account up to date at later sign-ins, and audits only a change', async () => {
    const account = { preferred_username: 'kim.lee', name: 'Kim Lee', roles: ['reporter'], establishment: 'MDI' }
    await signInAs('subject-kim', account)
    const { answer } = await signInAs('subject-kim', {
      ...account,
      // The username is Portcullis's record of who did what: a new one at the provider does not rename the account.
      preferred_username: 'kim.lee-jones',
      name: 'Kim Lee-Jones',
      roles: ['reporter', 'analyst'],
      establishment: 'LEI',
    })
    assert.equal(answer.statusCode, 303)
    const updated = await user('kim.lee')
    assert.equal(updated?.displayName, 'Kim Lee-Jones')
    assert.deepEqual(updated?.roles, ['reporter', 'analyst'])
    assert.equal(updated?.establishmentCode, 'LEI')
    assert.equal(await user('kim.lee-jones'), undefined)
    const [change, ...more] = await events('user.updated', 'kim.lee')
    assert.deepEqual(change.details.changed, ['displayName', 'roles', 'establishmentCode'])
    assert.equal(change.details.by, 'single sign-on')
    assert.equal(more.length, 0)

    await signInAs('subject-kim', {
      ...account,
      name: 'Kim Lee-Jones',
      roles: ['reporter', 'analyst'],
      establishment: 'LEI',
    })
    assert.equal((await events('user.updated', 'kim.lee')).length, 1, 'an unchanged sign-in changes nothing')
    assert.equal((await events('sign-in', 'kim.lee')).length, 3)
  })

  it('refuses a person with no Portcullis role: a clear page, no session, no account, and an audit event', async () => {
    const { answer, jar } = await signInAs('subject-norole', {
      preferred_username: 'no.role',
      name: 'No Role',
      roles: ['ROLE_SOMETHING_ELSE'],
      establishment: 'MDI',
    })
    assert.equal(answer.statusCode, 403)
    assert.match(answer.body, /Your account has no Portcullis role/)
    assert.ok(!jar.has('portcullis_session'))
    assert.equal(await user('no.role'), undefined)
    const [refusal] = await events('sign-in.refused', 'no.role')
    assert.equal(refusal.details.reason, 'no-role')
    assert.equal(refusal.details.subject, 'subject-norole')
  })

  it('refuses a person whose establishment Portcullis does not know', async () => {
    const { answer } = await signInAs('subject-noplace', {
      preferred_username: 'no.place',
      name: 'No Place',
      roles: ['reporter'],
      establishment: 'QQQ',
    })
    assert.equal(answer.statusCode, 403)
    assert.match(answer.body, /no establishment Portcullis knows/)
    assert.equal((await events('sign-in.refused', 'no.place'))[0].details.reason, 'no-establishment')
  })

  it('refuses someone whose username belongs to another Portcullis account', async () => {
    const { answer } = await signInAs('subject-impostor', {
      preferred_username: 'admin',
      name: 'Not The Admin',
      roles: ['admin'],
      establishment: 'MDI',
    })
    assert.equal(answer.statusCode, 403)
    assert.match(answer.body, /another Portcullis account already has your username/)
    const admin = await user('admin')
    assert.equal(admin?.externalSubject, null)
    assert.equal((await events('sign-in.refused', 'admin'))[0].details.reason, 'username-taken')
  })

  it('refuses a deactivated Portcullis account even though the provider vouches for the person', async () => {
    const account = { preferred_username: 'dee.active', name: 'Dee Active', roles: ['reporter'], establishment: 'MDI' }
    await signInAs('subject-dee', account)
    const operator = {
      actor: { userId: null, username: 'test', establishmentCode: null, correlationId: null },
      user: null,
    }
    await usersService(t.db).setActive(operator, 'dee.active', false)
    const { answer, jar } = await signInAs('subject-dee', account)
    assert.equal(answer.statusCode, 403)
    assert.match(answer.body, /Your Portcullis account has been deactivated/)
    assert.ok(!jar.has('portcullis_session'))
    assert.equal((await events('sign-in.refused', 'dee.active'))[0].details.reason, 'deactivated')
  })

  it('answers a return it did not start, or a tampered one, with a 400 page and no session', async () => {
    const account = { preferred_username: 'sam.state', name: 'Sam State', roles: ['reporter'], establishment: 'MDI' }
    provider.accounts.set('subject-sam', account)
    const { response, jar } = await startSignIn()
    const callback = await provider.signIn(String(response.headers.location), 'subject-sam')

    const tampered = new URLSearchParams(callback.search)
    tampered.set('state', 'not-the-state-portcullis-sent')
    const wrongState = await t.app.inject({
      method: 'GET',
      url: `/sign-in/oidc/callback?${tampered}`,
      headers: { cookie: cookieHeader(jar) },
    })
    assert.equal(wrongState.statusCode, 400)
    assert.match(wrongState.body, /Your sign-in could not be completed/)
    assert.ok(!wrongState.cookies.some(cookie => cookie.name === 'portcullis_session'))

    const noCookie = await t.app.inject({ method: 'GET', url: `${callback.pathname}${callback.search}` })
    assert.equal(noCookie.statusCode, 400)
    const forged = await t.app.inject({
      method: 'GET',
      url: `${callback.pathname}${callback.search}`,
      headers: { cookie: `portcullis_oidc=${encodeURIComponent('{"verifier":"x"}')}` },
    })
    assert.equal(forged.statusCode, 400)
    const refusedByProvider = await t.app.inject({
      method: 'GET',
      url: '/sign-in/oidc/callback?error=access_denied&state=x',
      headers: { cookie: cookieHeader(jar) },
    })
    assert.equal(refusedByProvider.statusCode, 400)
    assert.equal(await user('sam.state'), undefined)
  })

  it('with password sign-in turned off, offers only the provider and refuses the password form', async () => {
    const app = await buildApp({ config: { ...t.config, passwordSignIn: false }, db: t.db })
    try {
      const page = await app.inject({ method: 'GET', url: '/sign-in' })
      assert.match(page.body, /Sign in with the test provider/)
      assert.doesNotMatch(page.body, /data-qa="sign-in-form"/)
      assert.doesNotMatch(page.body, /name="password"/)
      // A valid form token (the same secret signs both apps' cookies), so that only the missing route can refuse.
      const cookie = page.cookies.map(c => `${c.name}=${c.value}`).join('; ')
      const withForm = await t.app.inject({ method: 'GET', url: '/sign-in', headers: { cookie } })
      const body = formBody({ _csrf: csrfFrom(withForm.body), username: 'analyst', password: 'portcullis-demo' })
      const posted = await app.inject({
        method: 'POST',
        url: '/sign-in',
        payload: body.payload,
        headers: { ...body.headers, cookie },
      })
      assert.equal(posted.statusCode, 404)
      assert.ok(!posted.cookies.some(cookie => cookie.name === 'portcullis_session'))
    } finally {
      await app.close()
    }
  })

  it('says single sign-on is unavailable, with a 503 page, when the provider cannot be reached', async () => {
    const unreachable = { ...t.config.oidc, issuer: 'http://127.0.0.1:9' } as typeof t.config.oidc
    const app = await buildApp({ config: { ...t.config, oidc: unreachable }, db: t.db })
    try {
      const { response } = await startSignIn(app)
      assert.equal(response.statusCode, 503)
      assert.match(response.body, /Single sign-on is not available at the moment/)
    } finally {
      await app.close()
    }
  })
})
