import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'

let t: TestApp
before(async () => {
  t = await testApp()
})
after(() => t.close())

const NEW_USER = {
  username: 'jo.bloggs',
  displayName: 'Jo Bloggs',
  email: 'jo.bloggs@justice.example',
  department: 'Security',
  establishmentCode: 'MDI',
  roles: ['analyst', 'reporter'],
  scope: 'establishment',
  compartments: ['chis'],
  password: 'a-long-enough-password',
}

describe('user administration', () => {
  it('names every wrong field and writes nothing', async () => {
    const admin = await t.signIn('admin')
    const before = await t.db.selectFrom('appUser').select(t.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const response = await admin.post(
      '/admin/users/new',
      {
        username: 'Bad Name!',
        displayName: '',
        email: 'not-an-email',
        establishmentCode: 'ZZZ',
        scope: 'galaxy',
        password: 'short',
      },
      '/admin/users/new',
    )
    assert.equal(response.statusCode, 400)
    for (const message of [
      'Username must be 2 to 64 characters',
      'Enter the person’s full name',
      'Enter an email address in the correct format',
      'Select at least one role',
      'Select what the user oversees',
      'Enter a password of at least 12 characters',
    ]) {
      assert.ok(response.body.includes(message), message)
    }
    assert.match(response.body, /href="#username"/)
    const afterCount = await t.db
      .selectFrom('appUser')
      .select(t.db.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(afterCount.n, before.n)
  })

  it('refuses an establishment that does not exist', async () => {
    const admin = await t.signIn('admin')
    const response = await admin.post(
      '/admin/users/new',
      { ...NEW_USER, username: 'x.person', establishmentCode: 'QQQ' },
      '/admin/users/new',
    )
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /Select an establishment from the list/)
  })

  it('creates a user, audits it without the password, and the user can sign in', async () => {
    const admin = await t.signIn('admin')
    const response = await admin.post('/admin/users/new', NEW_USER, '/admin/users/new')
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, '/admin/users/jo.bloggs')
    const page = await admin.get('/admin/users/jo.bloggs')
    assert.match(page.body, /User jo.bloggs created/)
    assert.match(page.body, /Covert human intelligence sources/)
    const event = await t.db
      .selectFrom('auditEvent')
      .select(['details', 'actorUsername'])
      .where('action', '=', 'user.created')
      .where('subjectId', '=', 'jo.bloggs')
      .executeTakeFirstOrThrow()
    assert.equal(event.actorUsername, 'admin')
    assert.doesNotMatch(JSON.stringify(event.details), /a-long-enough-password/)
    const jo = await t.signIn('jo.bloggs', 'a-long-enough-password')
    assert.equal((await jo.get('/')).statusCode, 200)
  })

  it('refuses a duplicate username', async () => {
    const admin = await t.signIn('admin')
    const response = await admin.post('/admin/users/new', { ...NEW_USER, displayName: 'Other' }, '/admin/users/new')
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /A user with this username already exists/)
  })

  it('edits roles and compartments, and a new password signs the user out everywhere', async () => {
    const admin = await t.signIn('admin')
    const jo = await t.signIn('jo.bloggs', 'a-long-enough-password')
    const response = await admin.post(
      '/admin/users/jo.bloggs/edit',
      { ...NEW_USER, roles: ['head-of-security'], compartments: [], password: 'another-long-password' },
      '/admin/users/jo.bloggs/edit',
    )
    assert.equal(response.statusCode, 303)
    const row = await t.db
      .selectFrom('appUser')
      .selectAll()
      .where('username', '=', 'jo.bloggs')
      .executeTakeFirstOrThrow()
    assert.deepEqual(row.roles, ['head-of-security'])
    assert.deepEqual(row.compartments, [])
    assert.equal((await jo.get('/')).statusCode, 303, 'old session ended')
  })

  it('deactivating ends the user’s sessions and blocks sign-in; reactivating restores it', async () => {
    const admin = await t.signIn('admin')
    const pio = await t.signIn('pio')
    assert.equal((await admin.post('/admin/users/pio/deactivate', {}, '/admin/users/pio')).statusCode, 303)
    assert.equal((await pio.get('/')).statusCode, 303)
    await assert.rejects(t.signIn('pio'), /sign-in as pio failed: 400/)
    assert.equal((await admin.post('/admin/users/pio/reactivate', {}, '/admin/users/pio')).statusCode, 303)
    assert.equal((await (await t.signIn('pio')).get('/')).statusCode, 200)
  })

  it('an administrator cannot deactivate themselves', async () => {
    const admin = await t.signIn('admin')
    const response = await admin.post('/admin/users/admin/deactivate', {}, '/admin/users/admin')
    assert.equal(response.statusCode, 409)
  })

  it('an unknown user is a 404', async () => {
    const admin = await t.signIn('admin')
    assert.equal((await admin.get('/admin/users/nobody')).statusCode, 404)
  })
})

describe('API tokens', () => {
  it('are shown once, stored hashed, act as the user, and stop working when revoked', async () => {
    const admin = await t.signIn('admin')
    const issued = await admin.post('/admin/users/auditor/tokens', { name: 'SIEM export' }, '/admin/users/auditor')
    assert.equal(issued.statusCode, 200)
    const token = /data-qa="token">([^<]+)</.exec(issued.body)![1]
    assert.match(token, /^pcl_[A-Za-z0-9_-]{40,}$/)
    const stored = await t.db
      .selectFrom('apiToken')
      .selectAll()
      .where('name', '=', 'SIEM export')
      .executeTakeFirstOrThrow()
    assert.notEqual(stored.tokenHash, token)
    assert.ok(!JSON.stringify(stored).includes(token))

    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })
    assert.equal(me.statusCode, 200)
    assert.equal(me.json().username, 'auditor')
    const events = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-events',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(events.statusCode, 200)
    assert.ok(events.json().total > 0)
    const denied = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(denied.statusCode, 403)

    const page = await admin.get('/admin/users/auditor')
    assert.ok(!page.body.includes(token), 'never shown again')
    const revoke = await admin.post(`/admin/users/auditor/tokens/${stored.id}/revoke`, {}, '/admin/users/auditor')
    assert.equal(revoke.statusCode, 303)
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(after.statusCode, 401)
    assert.match(after.json().detail, /not valid, or has been revoked/)
  })

  it('needs a name', async () => {
    const admin = await t.signIn('admin')
    const response = await admin.post('/admin/users/auditor/tokens', { name: ' ' }, '/admin/users/auditor')
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /Enter a name for the token/)
  })

  it('a token does not need CSRF, and creates users through the API with field errors as problem+json', async () => {
    const admin = await t.signIn('admin')
    const issued = await admin.post('/admin/users/admin/tokens', { name: 'provisioning' }, '/admin/users/admin')
    const token = /data-qa="token">([^<]+)</.exec(issued.body)![1]
    const headers = { authorization: `Bearer ${token}` }
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: { username: 'x', roles: ['wizard'] },
    })
    assert.equal(bad.statusCode, 400)
    assert.match(String(bad.headers['content-type']), /application\/problem\+json/)
    const fields = bad.json().errors.map((e: { field: string }) => e.field)
    for (const field of ['username', 'displayName', 'establishmentCode', 'roles.0', 'scope', 'password']) {
      assert.ok(fields.includes(field), `names ${field}: ${fields}`)
    }
    const good = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers,
      payload: { ...NEW_USER, username: 'api.made', compartments: [] },
    })
    assert.equal(good.statusCode, 201)
    assert.equal(good.json().username, 'api.made')
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/users?search=api.made', headers })
    assert.equal(list.json().total, 1)
  })
})
