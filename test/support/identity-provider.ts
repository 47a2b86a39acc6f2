import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Context } from 'oidc-provider'
import type { OidcConfig } from '../../src/config.ts'

export const CLIENT_ID = 'portcullis'
const CLIENT_SECRET = 'portcullis-test-client-secret'
const SCOPES = 'openid profile email'

export type ProviderAccount = {
  preferred_username?: string
  name?: string
  roles?: string[]
  establishment?: string
}

export type IdentityProvider = Awaited<ReturnType<typeof startIdentityProvider>>

/**
 * A real OpenID Connect provider (oidc-provider) on a loopback port, for the one client the test registers. Its
 * people are the `accounts` map, which a test may change between sign-ins; its login page takes any password.
 */
export async function startIdentityProvider(redirectUrl: string) {
  const accounts = new Map<string, ProviderAccount>()
  let handle: (request: IncomingMessage, response: ServerResponse) => void = (_request, response) => {
    response.statusCode = 503
    response.end()
  }
  const server = createServer((request, response) => handle(request, response))
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [redirectUrl],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'roles', 'establishment'], email: ['email'] },
    async findAccount(_ctx: Context, sub: string) {
      const account = accounts.get(sub)
      return account ? { accountId: sub, claims: async () => ({ sub, ...account }) } : undefined
    },
    // Consent is the provider's business, not Portcullis's: every sign-in is granted what the client asks for.
    async loadExistingGrant(ctx: Context) {
      const accountId = ctx.oidc.session?.accountId
      const clientId = ctx.oidc.client?.clientId
      if (!accountId || !clientId) return undefined
      const grant = new ctx.oidc.provider.Grant({ accountId, clientId })
      grant.addOIDCScope(SCOPES)
      await grant.save()
      return grant
    },
    cookies: { keys: ['portcullis-test-provider-cookie-key'] },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true } },
  })
  handle = provider.callback()

  return {
    issuer,
    accounts,
    /** Portcullis's OIDC settings for this provider, with the claim names the accounts use. */
    config(overrides: Partial<OidcConfig> = {}): OidcConfig {
      return {
        issuer,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUrl,
        scopes: SCOPES,
        label: 'Sign in with the test provider',
        claims: { username: 'preferred_username', name: 'name', roles: 'roles', establishment: 'establishment' },
        rolePrefix: '',
        ...overrides,
      }
    },
    /**
     * Follows the authorisation request as a browser would, signs in at the provider's login page as `accountId`
     * and returns where the provider sends the browser back to: Portcullis's callback with the code and state.
     */
    async signIn(authorizationUrl: string, accountId: string): Promise<URL> {
      const jar = new Map<string, string>()
      const go = async (url: string, init: RequestInit = {}) => {
        const response = await fetch(url, {
          ...init,
          redirect: 'manual',
          headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(c => c.join('=')).join('; ') },
        })
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';')
          const at = pair.indexOf('=')
          jar.set(pair.slice(0, at), pair.slice(at + 1))
        }
        return response
      }
      let current = authorizationUrl
      let response = await go(current)
      for (let hops = 0; hops < 10; hops++) {
        const location = response.headers.get('location')
        assert.ok(location, `the provider answered ${response.status} with nowhere to go`)
        const next = new URL(location, current)
        if (next.href.startsWith(redirectUrl)) return next
        current = next.href
        if (next.pathname.startsWith('/interaction/')) {
          await (await go(current)).text()
          const login = new URLSearchParams({ prompt: 'login', login: accountId, password: 'any password' })
          response = await go(current, {
            method: 'POST',
            body: login,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          })
        } else {
          response = await go(current)
        }
      }
      throw new Error('the provider did not send the browser back to Portcullis')
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>(resolve => server.close(() => resolve()))
    },
  }
}
