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

describe('user administration through the API', () => {
  const as = async (username: string) => {
    const token = await t.token(username)
    const headers = { authorization: `Bearer ${token}` }
    return {
      ...t.api(token),
      put: (url: string, payload: object) => t.app.inject({ method: 'PUT', url, headers, payload }),
    }
  }
  const fields = (response: { json(): { errors?: { field: string }[] } }) =>
    (response.json().errors ?? []).map(e => e.field)
  const person = (username: string, establishmentCode = 'MDI') => ({
    ...NEW_USER,
    username,
    establishmentCode,
    compartments: [],
  })

  it('changes, deactivates and reactivates a user; 400 names the field; 409 for your own account', async () => {
    const admin = await as('admin')
    assert.equal((await admin.post('/api/v1/users', person('api.edited'))).statusCode, 201)
    const { password: _password, username: _username, ...fields_ } = person('api.edited')
    const changed = await admin.put('/api/v1/users/api.edited', { ...fields_, roles: ['head-of-security'] })
    assert.equal(changed.statusCode, 200)
    assert.deepEqual(changed.json().roles, ['head-of-security'])
    const bad = await admin.put('/api/v1/users/api.edited', { ...fields_, displayName: '' })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fields(bad), ['displayName'])

    const off = await admin.post('/api/v1/users/api.edited/deactivate', undefined)
    assert.equal(off.statusCode, 200)
    assert.equal(off.json().active, false)
    await assert.rejects(t.signIn('api.edited', NEW_USER.password), /sign-in as api.edited failed: 400/)
    const on = await admin.post('/api/v1/users/api.edited/reactivate', undefined)
    assert.equal(on.json().active, true)
    assert.equal((await admin.post('/api/v1/users/admin/deactivate', undefined)).statusCode, 409)
  })

  it('issues, lists and revokes a token; 400 names the field; an unknown token is a 404', async () => {
    const admin = await as('admin')
    const bad = await admin.post('/api/v1/users/auditor/tokens', { name: ' ' })
    assert.equal(bad.statusCode, 400)
    assert.deepEqual(fields(bad), ['name'])
    const issued = await admin.post('/api/v1/users/auditor/tokens', { name: 'API issued' })
    assert.equal(issued.statusCode, 201)
    const { id, token } = issued.json()
    const me = t.api(token)
    assert.equal((await me.get('/api/v1/me')).json().username, 'auditor')
    const listed = (await admin.get('/api/v1/users/auditor/tokens')).json().results
    const entry = listed.find((row: { id: string }) => row.id === id)
    assert.equal(entry.name, 'API issued')
    assert.ok(!JSON.stringify(listed).includes(token), 'the secret is never listed')
    assert.equal((await admin.post(`/api/v1/users/auditor/tokens/${id}/revoke`, undefined)).statusCode, 200)
    assert.equal((await me.get('/api/v1/me')).statusCode, 401)
    assert.equal((await admin.post(`/api/v1/users/auditor/tokens/${id}/revoke`, undefined)).statusCode, 404)
  })

  it('403 without the permission, and 404 for a user outside the administrator’s scope', async () => {
    const admin = await as('admin')
    assert.equal(
      (await admin.post('/api/v1/users', { ...person('mdi.admin'), roles: ['admin'], scope: 'establishment' }))
        .statusCode,
      201,
    )
    assert.equal((await admin.post('/api/v1/users', person('wwi.analyst', 'WWI'))).statusCode, 201)
    const local = await as('mdi.admin')
    const { password: _password, username: _username, ...fields_ } = person('wwi.analyst', 'WWI')
    assert.equal((await local.get('/api/v1/users/wwi.analyst')).statusCode, 404)
    assert.equal((await local.put('/api/v1/users/wwi.analyst', fields_)).statusCode, 404)
    assert.equal((await local.post('/api/v1/users/wwi.analyst/deactivate', undefined)).statusCode, 404)
    assert.equal((await local.post('/api/v1/users/wwi.analyst/tokens', { name: 'x' })).statusCode, 404)
    assert.equal((await local.get('/api/v1/users/wwi.analyst/tokens')).statusCode, 404)

    const analyst = await as('analyst')
    assert.equal((await analyst.put('/api/v1/users/reporter', fields_)).statusCode, 403)
    assert.equal((await analyst.post('/api/v1/users/reporter/deactivate', undefined)).statusCode, 403)
    assert.equal((await analyst.post('/api/v1/users/reporter/tokens', { name: 'x' })).statusCode, 403)
    assert.equal((await analyst.get('/api/v1/users/reporter/tokens')).statusCode, 403)
  })
})

describe('the establishments list (issue 12.15)', () => {
  const names = (html: string) =>
    [...html.matchAll(/href="\/admin\/establishments\/([A-Z]{3})\/edit">/g)].map(match => match[1])

  it('shows one page of 25 at a time, in name order, with every prison’s group and region', async () => {
    const admin = await t.signIn('admin')
    const first = await admin.get('/admin/establishments')
    assert.equal(first.statusCode, 200)
    const total = (await t.db.selectFrom('establishment').select('code').execute()).length
    assert.match(first.body, new RegExp(`${total} establishments`))
    assert.equal(names(first.body).length, 25)
    assert.match(first.body, /href="\/admin\/establishments\?page=2"/)
    assert.doesNotMatch(first.body, /Not set/, 'every prison in the reference data has a group and a region')
    assert.doesNotMatch(first.body, />Estate</, 'no mostly empty estate column')
    const last = await admin.get(`/admin/establishments?page=${Math.ceil(total / 25)}`)
    assert.equal(names(last.body).length, total % 25 || 25)
  })

  it('filters by name or code, prison group, SOCU region and estate, keeping the filter on every page', async () => {
    const admin = await t.signIn('admin')
    assert.deepEqual(names((await admin.get('/admin/establishments?q=moor')).body), ['DAI', 'MDI', 'WRI'])
    assert.deepEqual(names((await admin.get('/admin/establishments?q=wwi')).body), ['WWI'])
    const yorkshire = await admin.get('/admin/establishments?group=Yorkshire')
    assert.ok(names(yorkshire.body).includes('MDI') && names(yorkshire.body).includes('LEI'))
    assert.ok(!names(yorkshire.body).includes('WWI'))
    assert.match(yorkshire.body, /<option value="Yorkshire" selected>Yorkshire<\/option>/)
    const high = await admin.get('/admin/establishments?estate=high-security')
    assert.deepEqual(names(high.body).sort(), ['BAI', 'FKI', 'FNI', 'LLI', 'MRI', 'WDI', 'WHI', 'WRI'])
    const highNorth = await admin.get(
      `/admin/establishments?estate=high-security&region=${encodeURIComponent('North East / Yorks and Humber')}`,
    )
    assert.deepEqual(names(highNorth.body).sort(), ['FKI', 'FNI', 'WDI'])
    const women = names((await admin.get('/admin/establishments?estate=women')).body)
    assert.ok(women.includes('NHI') && !women.includes('MDI'))
    const london = await admin.get(`/admin/establishments?region=${encodeURIComponent('London / South East')}`)
    assert.match(london.body, /href="\/admin\/establishments\?region=London\+%2F\+South\+East&amp;page=2"/)
    const none = await admin.get('/admin/establishments?q=atlantis')
    assert.match(none.body, /No establishment matches/)
    assert.match(none.body, /href="\/admin\/establishments" data-qa="clear-filter"/)
    const nonsense = await admin.get('/admin/establishments?region=Mars&estate=moon&page=x')
    assert.equal(nonsense.statusCode, 200, 'a choice not on the list is no choice')
    assert.equal(names(nonsense.body).length, 25)
  })
})
