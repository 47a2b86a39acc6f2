import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { safeReturnTo } from '../../src/platform/auth/routes.ts'
import { csrfFrom, formBody, type TestApp, testApp } from '../support/app.ts'

// Issue 13, defects 1 and 2, found by an independent security test of main.

let t: TestApp
let api: ReturnType<TestApp['api']>

before(async () => {
  t = await testApp()
  api = t.api(await t.token('reporter'))
})
after(() => t.close())

describe('a NUL or other control character is refused at the edge, naming the field (issue 13, defect 1)', () => {
  it('in an API body: 400 problem+json naming the field, and nothing written', async () => {
    const response = await api.post('/api/v1/intelligence-reports', {
      text: 'A phone\u0000 in cell B-2-014',
      occurredAt: '2026-11-20T14:30:00Z',
      sourceType: 'own-observation',
      threatAreas: ['illicit-communications'],
      nominals: [],
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.headers['content-type'] as string, /application\/problem\+json/)
    assert.deepEqual(
      response.json().errors.map((e: { field: string }) => e.field),
      ['text'],
    )
    const reports = await t.db.selectFrom('intelligenceReport').select('id').execute()
    assert.equal(reports.length, 0)
  })

  it('in a query parameter of the API and of a page', async () => {
    const analyst = t.api(await t.token('analyst'))
    const apiSearch = await analyst.get('/api/v1/intelligence-reports?q=phone%00')
    assert.equal(apiSearch.statusCode, 400)
    assert.equal(apiSearch.json().errors[0].field, 'q')
    const page = await (await t.signIn('analyst')).get('/intelligence/search?q=phone%00')
    assert.equal(page.statusCode, 400)
    assert.match(page.body, /Remove the control character/)
  })

  it('in the sign-in form, before anyone is signed in', async () => {
    const form = await t.app.inject({ method: 'GET', url: '/sign-in' })
    const cookie = form.cookies.map(c => `${c.name}=${c.value}`).join('; ')
    const body = formBody({ username: 'analyst\u0000', password: 'x', _csrf: csrfFrom(form.body) })
    const response = await t.app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: body.payload,
      headers: { ...body.headers, cookie },
    })
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /Remove the control character/)
  })

  it('keeps tabs and line breaks in long text', async () => {
    const response = await api.post('/api/v1/intelligence-reports', {
      text: 'Line one\tindented\r\nLine two: a phone in cell B-2-014',
      occurredAt: '2026-11-20T14:30:00Z',
      sourceType: 'own-observation',
      threatAreas: ['illicit-communications'],
      nominals: [],
    })
    assert.equal(response.statusCode, 201, response.body)
  })
})

describe('after sign-in, only a path on this site (issue 13, defect 2)', () => {
  it('keeps a path, with its query and fragment', () => {
    assert.equal(safeReturnTo('/intelligence/search?q=phone#results'), '/intelligence/search?q=phone#results')
  })

  it('sends anything that a browser would read as another site home', () => {
    for (const value of [
      '/\t/evil.example',
      '/\n/evil.example',
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      'evil',
      '',
    ]) {
      assert.equal(safeReturnTo(value), '/', JSON.stringify(value))
    }
    assert.equal(safeReturnTo(undefined), '/')
  })

  it('signing in with returnTo=/%09/host lands at home, and /%0a/x is no 500', async () => {
    for (const returnTo of ['/%09/evil.example', '/%0a/x']) {
      const form = await t.app.inject({ method: 'GET', url: `/sign-in?returnTo=${returnTo}` })
      assert.equal(form.statusCode, 200)
      const cookie = form.cookies.map(c => `${c.name}=${c.value}`).join('; ')
      const body = formBody({
        username: 'analyst',
        password: 'portcullis-demo',
        returnTo: decodeURIComponent(returnTo),
        _csrf: csrfFrom(form.body),
      })
      const response = await t.app.inject({
        method: 'POST',
        url: '/sign-in',
        payload: body.payload,
        headers: { ...body.headers, cookie },
      })
      assert.equal(response.statusCode, 303, `${returnTo} signs in`)
      assert.equal(response.headers.location, '/')
    }
  })
})
