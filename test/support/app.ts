import type { FastifyPluginAsync, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../../src/app.ts'
import { type Config, loadConfig } from '../../src/config.ts'
import { seedDemo } from '../../src/demo/seed.ts'
import type { DatabaseHandle } from '../../src/platform/db/database.ts'
import { usersService } from '../../src/platform/users/service.ts'
import { testDatabase } from './database.ts'

export const DEMO_PASSWORD = 'portcullis-demo'

export type TestApp = Awaited<ReturnType<typeof testApp>>

/** The real app on a real (throwaway) database with the demo accounts, driven in memory with app.inject. */
export async function testApp(
  overrides: Partial<Config> = {},
  existing?: DatabaseHandle,
  plugins: FastifyPluginAsync[] = [],
) {
  const database = existing ?? (await testDatabase())
  // Demo accounts only: each test file brings the people it needs.
  await seedDemo(database.db, { password: DEMO_PASSWORD, people: false })
  const config = { ...loadConfig({ DEMO_PASSWORD }), ...overrides }
  const app = await buildApp({ config, db: database.db, plugins })

  /** Signs in through the real form and returns a browser-like session: cookies and the page's CSRF token. */
  async function signIn(username: string, password = DEMO_PASSWORD) {
    const jar = new Map<string, string>()
    const remember = (response: LightMyRequestResponse) => {
      for (const cookie of response.cookies) {
        if (cookie.value === '' || cookie.maxAge === 0 || (cookie.expires && cookie.expires.getTime() < Date.now())) {
          jar.delete(cookie.name)
        } else {
          jar.set(cookie.name, cookie.value)
        }
      }
    }
    const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const form = await app.inject({ method: 'GET', url: '/sign-in' })
    remember(form)
    const response = await app.inject({
      method: 'POST',
      url: '/sign-in',
      ...withCookie(formBody({ username, password, _csrf: csrfFrom(form.body) }), cookieHeader()),
    })
    remember(response)
    if (response.statusCode !== 303) throw new Error(`sign-in as ${username} failed: ${response.statusCode}`)

    const session = {
      cookies: jar,
      cookieHeader,
      async get(url: string, headers: Record<string, string> = {}) {
        const r = await app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(), ...headers } })
        remember(r)
        return r
      },
      /** Posts a form with the CSRF token of the page it came from (or of the home page). */
      async post(url: string, payload: Record<string, unknown>, from = '/') {
        const page = await session.get(from)
        const body = formBody({ _csrf: csrfFrom(page.body), ...payload })
        const r = await app.inject({
          method: 'POST',
          url,
          payload: body.payload,
          headers: { ...body.headers, cookie: cookieHeader() },
        })
        remember(r)
        return r
      },
      async csrf() {
        return csrfFrom((await session.get('/')).body)
      },
    }
    return session
  }

  /** An API token for a demo user, issued as the command line would. */
  async function token(username: string) {
    const { token: issued } = await usersService(database.db).createToken(
      { actor: { userId: null, username: 'test', establishmentCode: null, correlationId: null }, user: null },
      username,
      { name: `test ${Math.random().toString(36).slice(2)}` },
    )
    return issued
  }

  /** JSON API calls with a bearer token. */
  function api(tokenValue: string) {
    const headers = { authorization: `Bearer ${tokenValue}` }
    return {
      get: (url: string) => app.inject({ method: 'GET', url, headers }),
      post: (url: string, payload: unknown, extra: Record<string, string> = {}) =>
        app.inject({ method: 'POST', url, headers: { ...headers, ...extra }, payload: payload as object }),
      patch: (url: string, payload: unknown) =>
        app.inject({ method: 'PATCH', url, headers, payload: payload as object }),
    }
  }

  return {
    app,
    token,
    api,
    db: database.db,
    database,
    config,
    signIn,
    async close() {
      await app.close()
      if (!existing) await database.close()
    },
  }
}

export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match) throw new Error('no CSRF token on the page')
  return match[1]
}

/** An urlencoded form body as a browser sends it: a list becomes repeated fields. */
export function formBody(fields: Record<string, unknown>) {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item))
  }
  return {
    payload: params.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } as Record<string, string>,
  }
}

function withCookie(body: ReturnType<typeof formBody>, cookie: string) {
  return { payload: body.payload, headers: { ...body.headers, cookie } }
}
