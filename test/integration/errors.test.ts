import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'

let t: TestApp
let token: string
before(async () => {
  t = await testApp({ bodyLimitBytes: 4096 }, undefined, [
    async app => {
      app.get('/test/boom', { config: { permission: 'home:view' } }, async () => {
        throw new Error('database exploded: secret detail')
      })
      app.get('/api/v1/test/boom', { config: { permission: 'home:view' } }, async () => {
        throw new Error('database exploded: secret detail')
      })
    },
  ])
  const admin = await t.signIn('admin')
  const issued = await admin.post('/admin/users/admin/tokens', { name: 'errors test' }, '/admin/users/admin')
  token = /data-qa="token">([^<]+)</.exec(issued.body)![1]
})
after(() => t.close())

describe('failures get the right status and never a stack trace', () => {
  it('an unknown page is a GOV.UK 404 page', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/no/such/page' })
    assert.equal(response.statusCode, 404)
    assert.match(response.body, /Page not found/)
    assert.match(response.body, /govuk-template/)
  })

  it('an unknown API route is a 404 problem', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/nothing',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(response.statusCode, 404)
    assert.match(String(response.headers['content-type']), /application\/problem\+json/)
  })

  it('malformed JSON is a 400 problem', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"username": ',
    })
    assert.equal(response.statusCode, 400)
    assert.equal(response.json().title, 'Malformed JSON')
  })

  it('an oversize body is a 413', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ displayName: 'x'.repeat(10_000) }),
    })
    assert.equal(response.statusCode, 413)
    assert.match(String(response.headers['content-type']), /application\/problem\+json/)
  })

  it('an unsupported content type is a 415', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: 'a,b',
    })
    assert.equal(response.statusCode, 415)
  })

  it('an unexpected error is a 500 page that hides the detail', async () => {
    const reporter = await t.signIn('reporter')
    const page = await reporter.get('/test/boom')
    assert.equal(page.statusCode, 500)
    assert.match(page.body, /Sorry, there is a problem with the service/)
    assert.doesNotMatch(page.body, /secret detail|at .*\.ts/)
    const api = await t.app.inject({
      method: 'GET',
      url: '/api/v1/test/boom',
      headers: { authorization: `Bearer ${token}` },
    })
    assert.equal(api.statusCode, 500)
    assert.doesNotMatch(api.body, /secret detail/)
  })

  it('a bad bearer token is a 401 problem even on a page', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: 'Bearer pcl_nope' },
    })
    assert.equal(response.statusCode, 401)
  })

  it('invalid query values on a page get field errors, not a 500', async () => {
    const auditor = await t.signIn('auditor')
    const response = await auditor.get('/audit?from=2026-13-45&to=yesterday')
    assert.equal(response.statusCode, 400)
    // Two wrong dates, two messages, each naming its field (issue 12, point 13).
    assert.match(response.body, /The from date must be a real date/)
    assert.match(response.body, /The to date must be a real date/)
    assert.match(response.body, /href="#from"/)
  })
})

describe('platform endpoints', () => {
  it('/health checks the database, /ping answers, /info names the version', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' })
    assert.equal(health.statusCode, 200)
    assert.equal(health.json().components.database.status, 'UP')
    assert.equal((await t.app.inject({ method: 'GET', url: '/ping' })).json().status, 'UP')
    const info = (await t.app.inject({ method: 'GET', url: '/info' })).json()
    assert.equal(info.name, 'portcullis')
    assert.match(info.version, /^\d+\.\d+\.\d+$/)
    assert.ok(info.gitCommit)
  })

  it('the OpenAPI 3.1 document describes every API route with its schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    assert.equal(doc.openapi, '3.1.0')
    const apiRoutes = t.app.routeTable.filter(
      r =>
        r.url.startsWith('/api/v1/') &&
        !r.url.includes('/test/') &&
        r.method !== 'HEAD' &&
        r.url !== '/api/v1/openapi.json',
    )
    for (const route of apiRoutes) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}')
      assert.ok(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path} is documented`)
    }
    const createUser = doc.paths['/api/v1/users'].post
    assert.deepEqual(
      createUser.requestBody.content['application/json'].schema.required.sort(),
      ['displayName', 'establishmentCode', 'password', 'roles', 'scope', 'username'].sort(),
    )
    assert.equal(createUser['x-permission'], 'users:manage')
  })
})
