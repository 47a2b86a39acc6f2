import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { seedDemo } from '../../src/demo/seed.ts'
import { COMPARTMENTS, type Permission, ROLE_PERMISSIONS, ROLES } from '../../src/platform/access/roles.ts'
import { usersService } from '../../src/platform/users/service.ts'
import { DEMO_PASSWORD, testApp } from '../support/app.ts'
import { crawlFromHome, patternOf } from '../support/crawl.ts'
import { TEST_IMPORTER } from '../support/fixtures.ts'
import { type FormField, formsOf, type PageForm } from '../support/forms.ts'
import { encodeForUrl, hostileBody, hostileString, type JsonSchema, valueFor } from '../support/hostile.ts'

// Issue 13, point 10: malformed input, always. Every operation of the OpenAPI document and every form a person is
// shown, fed generated wrong and hostile values (types, lengths, NUL, Unicode, huge arrays, prototype keys): never a
// 5xx; the API answers problem+json whenever it refuses, and a page refusing a form shows the GOV.UK error summary.
// The seed is fixed so that a run is repeatable; fast-check prints it, with the shrunk case, on failure.
// PROPERTY_SEED and PROPERTY_RUNS change them for a longer hunt.

const SEED = Number(process.env.PROPERTY_SEED ?? 13_10)
const RUNS = Number(process.env.PROPERTY_RUNS ?? 15)
const FORM_RUNS = Math.ceil(RUNS / 2)
const settings = (numRuns = RUNS) => ({ seed: SEED, numRuns })

// One account holding every role, national and in every compartment, so that every handler is reached; and the PIO,
// who may do almost nothing, so that refusals are exercised too.
const BROAD = 'property-test'
const NARROW = 'pio'

const t = await testApp()
await seedDemo(t.db, { password: DEMO_PASSWORD })
await usersService(t.db).create(
  { actor: TEST_IMPORTER, user: null },
  {
    username: BROAD,
    displayName: 'Pat Property',
    establishmentCode: 'MDI',
    roles: [...ROLES],
    scope: 'national',
    compartments: [...COMPARTMENTS],
    password: DEMO_PASSWORD,
  },
)
const broad = await t.token(BROAD)
const narrow = await t.token(NARROW)

type Parameter = { name: string; in: 'path' | 'query'; required: boolean; schema: JsonSchema }
type Operation = { method: string; path: string; permission: Permission; parameters: Parameter[]; body?: JsonSchema }

const document = (await t.api(broad).get('/api/v1/openapi.json')).json()
const operations: Operation[] = Object.entries<Record<string, Record<string, never>>>(document.paths).flatMap(
  ([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      permission: operation['x-permission'],
      parameters: operation.parameters ?? [],
      body: (operation.requestBody as { content?: Record<string, { schema: JsonSchema }> } | undefined)?.content?.[
        'application/json'
      ]?.schema,
    })),
)

/**
 * Real identifiers to put in paths, gathered from what the API lists: a hostile value is most telling next to a
 * record that exists. The test's own accounts are left out, so that no generated call deactivates them.
 */
async function harvestIdentifiers() {
  const pool = new Map<string, Set<string>>()
  const collect = (value: unknown, key = ''): void => {
    if (Array.isArray(value)) for (const item of value) collect(item, key)
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k)
    else if ((typeof value === 'string' || typeof value === 'number') && key && String(value).length < 80) {
      const values = pool.get(key) ?? new Set()
      if (values.size < 12 && value !== BROAD && value !== NARROW) values.add(String(value))
      pool.set(key, values)
    }
  }
  const gets = operations.filter(op => op.method === 'GET')
  for (const op of gets.filter(op => !op.path.includes('{'))) collect((await t.api(broad).get(op.path)).json())
  for (const op of gets.filter(op => op.path.includes('{'))) {
    const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent([...knownValues(pool, name)][0] ?? 'x'),
    )
    collect((await t.api(broad).get(url)).json())
  }
  return pool
}

function knownValues(pool: Map<string, Set<string>>, name: string): Set<string> {
  const aliases: Record<string, string[]> = {
    prisonNumber: ['prisonerNumber'],
    prisonerNumber: ['prisonNumber'],
    tokenId: ['id'],
  }
  const found = [name, ...(aliases[name] ?? [])].flatMap(key => [...(pool.get(key) ?? [])])
  return new Set(found.length ? found : [...(pool.get('id') ?? []), ...(pool.get('ref') ?? [])])
}

const identifiers = await harvestIdentifiers()

/** A query value as a client would send it: a scalar as text, several as a repeated parameter. */
const queryText = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.slice(0, 3).flatMap(queryText)
    : [typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)]

function pathValue(parameter: Parameter): fc.Arbitrary<string> {
  const known = [...knownValues(identifiers, parameter.name)]
  return fc.oneof(
    { weight: known.length ? 3 : 0, arbitrary: known.length ? fc.constantFrom(...known) : fc.constant('x') },
    { weight: 1, arbitrary: valueFor(parameter.schema).map(v => queryText(v)[0] ?? '') },
    { weight: 3, arbitrary: hostileString },
  )
}

const queryValue = (parameter: Parameter) =>
  fc.option(
    fc.oneof(valueFor(parameter.schema), hostileString, fc.array(hostileString, { minLength: 2, maxLength: 3 })),
    {
      nil: undefined,
    },
  )

const rawBody = fc.constantFrom('{"text": ', 'not json', '[1, 2', '{"a": 1}{"b": 2}', '\u0000', '')

/** An API request for one operation: real and hostile path values, odd queries, a body derived from its schema. */
function requestFor(op: Operation) {
  const pathParameters = op.parameters.filter(p => p.in === 'path')
  const queryParameters = op.parameters.filter(p => p.in === 'query')
  return fc
    .record({
      path: fc.tuple(...pathParameters.map(pathValue)),
      query: fc.tuple(...queryParameters.map(queryValue)),
      extra: fc.option(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'x', 'page[0]'), hostileString), {
        nil: undefined,
      }),
      body: op.body
        ? fc.oneof(
            {
              weight: 9,
              arbitrary: hostileBody(op.body, t.config.bodyLimitBytes).map(value => JSON.stringify(value) ?? 'null'),
            },
            { weight: 1, arbitrary: rawBody },
          )
        : fc.constant(undefined),
    })
    .map(({ path, query, extra, body }) => {
      let index = 0
      const url = op.path.replace(/\{\w+\}/g, () => encodeForUrl(path[index++]))
      const pairs = queryParameters.flatMap((p, i) =>
        query[i] === undefined ? [] : queryText(query[i]).map(v => `${encodeForUrl(p.name)}=${encodeForUrl(v)}`),
      )
      if (extra) pairs.push(`${encodeForUrl(extra[0])}=${encodeForUrl(extra[1])}`)
      return { method: op.method, url: pairs.length ? `${url}?${pairs.join('&')}` : url, body }
    })
}

type Sent = { method: string; url: string; body?: string }

function send(token: string, request: Sent) {
  return t.app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(request.body === undefined ? {} : { payload: request.body }),
  })
}

/** What every API answer must be: no 5xx; problem+json with its status for a refusal; JSON for a success. */
function assertApiAnswer(response: LightMyRequestResponse, request: Sent) {
  const type = String(response.headers['content-type'] ?? '')
  const said = `${request.method} ${request.url.slice(0, 300)} → ${response.statusCode} ${type}: ${response.body.slice(0, 300)}`
  assert.ok(response.statusCode < 500, said)
  if (response.statusCode >= 400) {
    assert.match(type, /^application\/problem\+json/, said)
    assert.equal(response.json().status, response.statusCode, said)
  } else if (response.statusCode !== 204) {
    assert.match(type, /^application\/json/, said)
    response.json()
  }
}

describe('every API operation refuses wrong and hostile input with problem+json, never a 5xx', () => {
  for (const op of operations) {
    it(`${op.method} ${op.path}`, async () => {
      await fc.assert(
        fc.asyncProperty(requestFor(op), async request => assertApiAnswer(await send(broad, request), request)),
        settings(),
      )
    })
  }

  it('a role without the permission is refused with 403 problem+json, whatever it sends', async () => {
    const refused = operations.filter(op => !ROLE_PERMISSIONS[NARROW].includes(op.permission))
    const request = fc.constantFrom(...refused).chain(requestFor)
    await fc.assert(
      fc.asyncProperty(request, async sent => {
        const response = await send(narrow, sent)
        assertApiAnswer(response, sent)
        // A URL the router cannot read (not UTF-8: 400; too long: 414) is refused before anyone is identified.
        assert.ok(
          [400, 403, 404, 414].includes(response.statusCode),
          `${sent.method} ${sent.url}: ${response.statusCode}`,
        )
      }),
      settings(refused.length * 3),
    )
  })

  it('leaves no prototype polluted', () => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })
})

// ---- Pages and forms ----

const person = await t.signIn(BROAD)
const csrf = await person.csrf()
// Each form once, by where it goes and what it asks. Not submitted: signing out (it ends the session the test
// uses), file uploads (the import pages; their JSON twins are in the API walk above), and the test's own accounts.
const FORMS_NOT_SUBMITTED = [/\/sign-out/, /\/users\/(property-test|pio)(\/|$)/]
const pages = new Map<string, string>()
const forms = new Map<string, PageForm>()
await crawlFromHome(
  async (url, pattern) => {
    const response = await person.get(url)
    const html = String(response.headers['content-type'] ?? '').startsWith('text/html') ? response.body : undefined
    if (html && response.statusCode === 200) {
      pages.set(pattern, url)
      for (const form of formsOf(html, url)) {
        if (form.multipart || FORMS_NOT_SUBMITTED.some(rule => rule.test(form.action))) continue
        const key = `${form.method} ${patternOf(form.action.split('?')[0])} ${form.fields.map(f => f.name).sort()}`
        if (!forms.has(key)) forms.set(key, form)
      }
    }
    return { status: response.statusCode, location: String(response.headers.location ?? ''), html }
  },
  { max: 400, skip: FORMS_NOT_SUBMITTED },
)

const DATE_BOXES = ['31', '30', '29', '02', '2', '13', '0', '-1', '2026', '99999', '1.5', '1e3', ' 1 ']

/** What a person could type or tamper with: the page's own choices, hostile text, nothing, several values. */
function fieldValues(field: FormField): fc.Arbitrary<string[]> {
  const offered = field.offered.filter(Boolean)
  return fc.oneof(
    {
      weight: offered.length ? 3 : 0,
      arbitrary: offered.length ? fc.subarray(offered, { minLength: 1 }) : fc.constant<string[]>([]),
    },
    { weight: 3, arbitrary: hostileString.map(value => [value]) },
    { weight: /-(day|month|year)$/.test(field.name) ? 3 : 0, arbitrary: fc.constantFrom(...DATE_BOXES).map(v => [v]) },
    { weight: 1, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.array(hostileString, { minLength: 2, maxLength: 3 }) },
  )
}

const extraField = fc.option(
  fc.tuple(fc.constantFrom('__proto__', 'constructor', 'constructor[prototype][polluted]', 'x-day'), hostileString),
  { nil: undefined },
)

function submissionFor(form: PageForm) {
  return fc.tuple(fc.tuple(...form.fields.map(fieldValues)), extraField).map(([values, extra]) => {
    const pairs = form.fields.flatMap((field, i) => values[i].map(value => [field.name, value]))
    if (extra) pairs.push(extra)
    return pairs.map(([name, value]) => `${encodeForUrl(name)}=${encodeForUrl(value)}`).join('&')
  })
}

/** What every page answer must be: no 5xx, a page rather than JSON, and a refused form naming what to fix. */
function assertPageAnswer(response: LightMyRequestResponse, said: string) {
  const type = String(response.headers['content-type'] ?? '')
  const shown = `${said} → ${response.statusCode} ${type}: ${response.body.slice(0, 200)}`
  assert.ok(response.statusCode < 500, shown)
  if (response.statusCode >= 400) assert.match(type, /^text\/html/, shown)
}

describe('every form a person is shown refuses hostile values with the GOV.UK error summary, never a 5xx', () => {
  it('found the forms', () => assert.ok(forms.size > 20, `${forms.size} forms`))

  for (const [key, form] of forms) {
    it(`${key} (on ${form.page})`, async () => {
      await fc.assert(
        fc.asyncProperty(submissionFor(form), async payload => {
          const response = await t.app.inject({
            method: form.method === 'post' ? 'POST' : 'GET',
            url: form.method === 'post' ? form.action : `${form.action.split('?')[0]}?${payload}`,
            headers: { cookie: person.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
            ...(form.method === 'post' ? { payload: `_csrf=${encodeURIComponent(csrf)}&${payload}` } : {}),
          })
          const said = `${form.method.toUpperCase()} ${form.action} ${payload.slice(0, 300)}`
          assertPageAnswer(response, said)
          if (response.statusCode === 400) {
            assert.match(response.body, /govuk-error-summary/, said)
            assert.match(response.body, /govuk-error-summary__list[\s\S]*?href="#[^"]+"/, said)
          }
        }),
        settings(FORM_RUNS),
      )
    })
  }
})

describe('every page opened with a hostile query string is no 5xx', () => {
  const names = ['q', 'page', 'establishment', 'from', 'to', 'status', 'band', 'returnTo', '__proto__', 'constructor']
  const query = fc.array(fc.tuple(fc.constantFrom(...names), hostileString), { minLength: 1, maxLength: 4 })
  it('for every page found', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...pages.values()), query, async (url, pairs) => {
        const search = pairs.map(([name, value]) => `${encodeForUrl(name)}=${encodeForUrl(value)}`).join('&')
        const target = `${url.split('?')[0]}?${search}`
        assertPageAnswer(await person.get(target), `GET ${target.slice(0, 300)}`)
      }),
      settings(pages.size),
    )
  })
})

describe('what the property test found, kept as examples', () => {
  // A national scope covers every prison, and a code that names none must not reach the database as one.
  it('an establishment code that names no prison is not found, or refused naming the field, never a 500', async () => {
    const api = t.api(broad)
    const instructions = await api.get('/api/v1/lss/instructions?establishment=AAA')
    assert.equal(instructions.statusCode, 404)
    const meeting = await api.post('/api/v1/soc/meetings', {
      kind: 'cohort-selection',
      heldOn: '2026-01-05',
      attendees: ['Sam Okafor', 'Hannah Hughes'],
      establishmentCode: 'AAA',
    })
    assert.equal(meeting.statusCode, 400, meeting.body)
    assert.deepEqual(
      meeting.json().errors.map((e: { field: string }) => e.field),
      ['establishmentCode'],
    )
    const visit = await api.post('/api/v1/soc/visits', {
      establishmentCode: 'AAA',
      visitedOn: '2026-01-05',
      findings: 'Searching logs up to date',
    })
    assert.equal(visit.statusCode, 400, visit.body)
    assert.deepEqual(
      visit.json().errors.map((e: { field: string }) => e.field),
      ['establishmentCode'],
    )
  })

  it('a page refusing what was sent shows it again with the error summary, never a 500', async () => {
    const pageOf = async (response: LightMyRequestResponse) => {
      assert.equal(response.statusCode, 400, response.body.slice(0, 300))
      assert.match(response.body, /govuk-error-summary__list[\s\S]*?href="#/)
      return response.body
    }
    // Two prisons where one is expected: the audit filter re-rendered, not a template error.
    await pageOf(await person.get('/audit?establishment=WSI&establishment=WMI'))
    // A NUL where a prison code is expected: the assurance form again for the user's own prison.
    assert.match(
      await pageOf(await person.post('/lss/assurance', { establishmentCode: '\u0000' }, '/lss/assurance')),
      /name="establishmentCode" value="MDI"/,
    )
    // A NUL in a search box: the list pages again, naming the box.
    assert.match(await pageOf(await person.get('/admin/users?search=%00')), /href="#search"/)
    assert.match(await pageOf(await person.get('/admin/establishments?q=%00')), /href="#q"/)
    // The LSS pages of a code that names no prison, for someone who oversees every prison.
    assert.equal((await person.get('/lss?establishment=AAA')).statusCode, 404)
  })
})

after(() => t.close())
