import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../../src/platform/access/roles.ts'
import { type TestApp, testApp } from '../support/app.ts'

let t: TestApp
before(async () => {
  t = await testApp()
})
after(() => t.close())

describe('deny by default', () => {
  it('every registered route declares a permission or says it is public', () => {
    const undeclared = t.app.routeTable.filter(route => !route.permission && !route.public)
    assert.deepEqual(
      undeclared.map(route => `${route.method} ${route.url}`),
      [],
      'routes must declare config.permission or config.public',
    )
    assert.ok(t.app.routeTable.length > 20, 'the route table is populated')
  })

  it('declares only permissions that exist in the permission table', () => {
    const known = new Set<string>(PERMISSIONS)
    for (const route of t.app.routeTable) {
      if (route.permission) assert.ok(known.has(route.permission), `${route.method} ${route.url}: ${route.permission}`)
    }
  })

  it('public routes are only sign-in, sign-out, health, ping, info, the OpenAPI document and static assets', () => {
    const publicRoutes = t.app.routeTable.filter(route => route.public).map(route => route.url)
    for (const url of publicRoutes) {
      assert.match(url, /^(\/sign-in|\/sign-out|\/health|\/ping|\/info|\/api\/v1\/openapi\.json|\/assets\/.*)$/, url)
    }
  })

  it('every role has the home page and nothing outside the table', () => {
    for (const role of ROLES) assert.ok(ROLE_PERMISSIONS[role].includes('home:view'), role)
  })
})

// role → [url, expected status] for GET requests. 200 allowed, 403 denied.
const ALLOWED_AND_DENIED: Record<string, [string, number][]> = {
  reporter: [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
    ['/api/v1/me', 200],
    ['/api/v1/users', 403],
    ['/api/v1/audit-events', 403],
  ],
  analyst: [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
    ['/api/v1/users', 403],
  ],
  'head-of-security': [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
  ],
  governor: [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
  ],
  pgd: [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
  ],
  'ed-security': [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
  ],
  socu: [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
  ],
  'counter-corruption': [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
  ],
  'authorising-officer': [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
  ],
  pio: [
    ['/', 200],
    ['/admin/users', 403],
    ['/audit', 403],
  ],
  auditor: [
    ['/', 200],
    ['/audit', 200],
    ['/api/v1/audit-events', 200],
    ['/admin/users', 403],
    ['/api/v1/users', 403],
  ],
  admin: [
    ['/', 200],
    ['/admin/users', 200],
    ['/admin/users/new', 200],
    ['/api/v1/users', 200],
    ['/audit', 403],
    ['/api/v1/audit-events', 403],
  ],
}

describe('each role signs in and meets the routes its permissions allow', () => {
  for (const [role, expectations] of Object.entries(ALLOWED_AND_DENIED)) {
    it(role, async () => {
      const session = await t.signIn(role)
      for (const [url, status] of expectations) {
        const response = await session.get(url)
        assert.equal(response.statusCode, status, `${role} GET ${url}`)
      }
    })
  }

  it('navigation shows each role only what it may use', async () => {
    const admin = await (await t.signIn('admin')).get('/')
    assert.match(admin.body, /href="\/admin\/users"/)
    assert.doesNotMatch(admin.body, /href="\/audit"/)
    const auditor = await (await t.signIn('auditor')).get('/')
    assert.match(auditor.body, /href="\/audit"/)
    assert.doesNotMatch(auditor.body, /href="\/admin\/users"/)
  })

  it('a denied request is audited', async () => {
    const reporter = await t.signIn('reporter')
    await reporter.get('/admin/users')
    const denied = await t.db
      .selectFrom('auditEvent')
      .select(['actorUsername', 'subjectId'])
      .where('action', '=', 'access.denied')
      .where('actorUsername', '=', 'reporter')
      .execute()
    assert.ok(denied.some(event => event.subjectId === 'GET /admin/users'))
  })
})

describe('without signing in', () => {
  it('a page redirects to sign-in with the page to return to', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/admin/users?search=x' })
    assert.equal(response.statusCode, 303)
    assert.equal(response.headers.location, `/sign-in?returnTo=${encodeURIComponent('/admin/users?search=x')}`)
  })

  it('the API answers 401 problem+json', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/me' })
    assert.equal(response.statusCode, 401)
    assert.match(String(response.headers['content-type']), /application\/problem\+json/)
    assert.equal(response.json().status, 401)
  })
})

describe('the audit chain under concurrent requests', () => {
  it('stays unbroken when denied requests arrive together', async () => {
    const { verifyAuditChain } = await import('../../src/platform/audit/audit.ts')
    const reporter = await t.signIn('reporter')
    const responses = await Promise.all(Array.from({ length: 10 }, () => reporter.get('/admin/users')))
    assert.ok(responses.every(r => r.statusCode === 403))
    const verdict = await verifyAuditChain(t.db)
    assert.equal(verdict.ok, true, JSON.stringify(verdict))
  })
})
