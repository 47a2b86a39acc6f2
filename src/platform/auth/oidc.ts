import * as client from 'openid-client'
import type { OidcConfig } from '../../config.ts'
import { DEFAULT_SCOPE, ROLES, type Role, SCOPES, type Scope } from '../access/roles.ts'

// OpenID Connect single sign-on: authorisation code with PKCE, state and nonce, through openid-client. This file
// speaks to the provider and reads its claims; who may sign in, and the session, are sessions.ts's.

/** What Portcullis keeps between sending a person to the provider and their return: a signed, short-lived cookie. */
export type PendingSignIn = { verifier: string; state: string; nonce: string; returnTo: string }

/** A person as the provider vouches for them, in Portcullis's terms. */
export type ProvidedIdentity = {
  issuer: string
  subject: string
  username: string | null
  displayName: string | null
  roles: Role[]
  establishmentCode: string | null
}

/** The provider could not be reached (discovery failed): nobody can sign in through it until it answers. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError'
}

/** The return from the provider was not one Portcullis started, or the provider refused or failed the exchange. */
export class SignInNotCompletedError extends Error {
  override name = 'SignInNotCompletedError'
}

type Claims = Record<string, unknown>

export type SingleSignOn = ReturnType<typeof createSingleSignOn>

export function createSingleSignOn(config: OidcConfig) {
  let discovered: Promise<client.Configuration> | undefined

  /** Discovered on first use and kept; a failure is not kept, so the next attempt tries the provider again. */
  function provider(): Promise<client.Configuration> {
    discovered ??= discover(config).catch((error: unknown) => {
      discovered = undefined
      throw new ProviderUnavailableError(`Could not read the provider's configuration from ${config.issuer}`, {
        cause: error,
      })
    })
    return discovered
  }

  return {
    label: config.label,

    /** Where to send the person, and what to remember until they come back. */
    async start(returnTo: string): Promise<{ url: string; pending: PendingSignIn }> {
      const configuration = await provider()
      const pending = {
        verifier: client.randomPKCECodeVerifier(),
        state: client.randomState(),
        nonce: client.randomNonce(),
        returnTo,
      }
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: config.redirectUrl,
        scope: config.scopes,
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      })
      return { url: url.href, pending }
    },

    /**
     * Checks the provider's answer against what was sent (state, PKCE, nonce, the ID token's signature, issuer and
     * audience), exchanges the code and reads the person's claims.
     */
    async finish(query: string, pending: PendingSignIn): Promise<ProvidedIdentity> {
      const configuration = await provider()
      // The address the provider answered to is the registered one; the Host header is the client's to write.
      const callback = new URL(config.redirectUrl)
      callback.search = query
      let claims: Claims
      try {
        const tokens = await client.authorizationCodeGrant(configuration, callback, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        })
        const idToken = tokens.claims() as Claims
        const userInfo = configuration.serverMetadata().userinfo_endpoint
          ? ((await client.fetchUserInfo(configuration, tokens.access_token, String(idToken.sub))) as Claims)
          : {}
        // ID token first, then user info, then a JWT access token (HMPPS Auth puts roles in `authorities` there).
        claims = { ...accessTokenClaims(tokens.access_token), ...userInfo, ...idToken }
      } catch (error) {
        throw new SignInNotCompletedError('The provider’s answer could not be accepted', { cause: error })
      }
      return identityFromClaims(claims, config)
    },
  }
}

async function discover(config: OidcConfig): Promise<client.Configuration> {
  const local = new URL(config.issuer).protocol === 'http:'
  return client.discovery(
    new URL(config.issuer),
    config.clientId,
    config.clientSecret,
    config.clientSecret ? client.ClientSecretBasic(config.clientSecret) : client.None(),
    // Plain http is accepted by the configuration only for a provider on this machine (src/config.ts).
    local ? { execute: [client.allowInsecureRequests] } : undefined,
  )
}

/**
 * The claims of an access token that is a JWT. It came straight from the provider's token endpoint over TLS in this
 * exchange, which is what lets a client rely on it (OpenID Connect Core 3.1.3.7); it is read, never passed on.
 */
function accessTokenClaims(accessToken: string): Claims {
  const parts = accessToken.split('.')
  if (parts.length !== 3) return {}
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as unknown
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Claims) : {}
  } catch {
    return {}
  }
}

/** The provider's claims as a Portcullis identity; values Portcullis cannot use become null or are left out. */
export function identityFromClaims(
  claims: Claims,
  config: Pick<OidcConfig, 'claims' | 'rolePrefix'>,
): ProvidedIdentity {
  const text = (name: string) => {
    const value = claims[name]
    return typeof value === 'string' && value.trim() ? value.trim() : null
  }
  return {
    issuer: String(claims.iss),
    subject: String(claims.sub),
    username: usernameFrom(text(config.claims.username)),
    displayName: text(config.claims.name)?.slice(0, 200) ?? null,
    roles: rolesFrom(claims[config.claims.roles], config.rolePrefix),
    establishmentCode: establishmentFrom(text(config.claims.establishment)),
  }
}

/** A provider's username as a Portcullis one: lower case, without an email address's domain. */
export function usernameFrom(value: string | null): string | null {
  if (!value) return null
  const username = value.toLowerCase().split('@')[0]
  return /^[a-z0-9][a-z0-9._-]{1,63}$/.test(username) ? username : null
}

/**
 * Portcullis roles from a claim holding a list (or a space- or comma-separated string): each value loses the
 * configured prefix (and, when there is one, must have it) and reads `_` as `-`, so
 * `ROLE_PORTCULLIS_HEAD_OF_SECURITY` is `head-of-security`. Values that name no Portcullis role are ignored.
 */
export function rolesFrom(value: unknown, prefix: string): Role[] {
  const values = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,]+/) : []
  const roles = new Set<Role>()
  for (const item of values) {
    if (typeof item !== 'string') continue
    // With a prefix, a value without it is someone else's role, even if the rest spells a Portcullis one.
    if (prefix && !item.toLowerCase().startsWith(prefix.toLowerCase())) continue
    const candidate = item.slice(prefix.length).trim().toLowerCase().replaceAll('_', '-')
    if ((ROLES as readonly string[]).includes(candidate)) roles.add(candidate as Role)
  }
  return ROLES.filter(role => roles.has(role))
}

/** An establishment code as Portcullis spells it (three capital letters, as NOMIS does), or null. */
export function establishmentFrom(value: string | null): string | null {
  const code = value?.toUpperCase() ?? ''
  return /^[A-Z]{3}$/.test(code) ? code : null
}

/** The scope a user created by single sign-on starts with: the widest that any of their roles has by default. */
export function scopeForRoles(roles: readonly Role[]): Scope {
  const widest = Math.max(0, ...roles.map(role => SCOPES.indexOf(DEFAULT_SCOPE[role])))
  return SCOPES[widest]
}
