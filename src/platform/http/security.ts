import { randomBytes } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyHelmet from '@fastify/helmet'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Permission } from '../access/roles.ts'
import { type CurrentUser, loadCurrentUser } from '../access/user.ts'
import { type Actor, recordAudit } from '../audit/audit.ts'
import { findUserByApiToken } from '../auth/api-tokens.ts'
import { findSession, type SignInPolicy } from '../auth/sessions.ts'
import { hmac, safeEqual } from '../auth/tokens.ts'
import type { Db } from '../db/database.ts'
import type { Navigation } from '../views/navigation.ts'
import { ForbiddenError, UnauthenticatedError } from './errors.ts'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a route needs. Every route declares one, or says it is public. */
    permission?: Permission
    public?: boolean
  }
  interface FastifyReply {
    /** Data every page template sees (@fastify/view merges it into the view's data). */
    locals?: Record<string, unknown>
    /** A one-line confirmation shown on the next page (after a redirect). */
    flash(message: string): FastifyReply
  }
  interface FastifyRequest {
    user: CurrentUser | null
    sessionId: string | null
    sessionExpired: boolean
    cspNonce: string
    actor(): Actor
    wantsJson(): boolean
  }
}

export const SESSION_COOKIE = 'portcullis_session'
const ANONYMOUS_COOKIE = 'portcullis_anon'
const FLASH_COOKIE = 'portcullis_flash'
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

type SecurityOptions = {
  db: Db
  secret: string
  production: boolean
  sessionIdleMinutes: number
  /** Who is locked out by failed sign-ins: their API tokens are refused too. */
  signInPolicy: Pick<SignInPolicy, 'maxFailures' | 'lockMinutes'>
  navigation: Navigation
}

/**
 * Who is asking and may they: identity from a bearer token or the session cookie, deny by default on every route,
 * CSRF on every unsafe request made with a cookie, and strict security headers.
 */
export const security = fp(async (app: FastifyInstance, options: SecurityOptions) => {
  await app.register(fastifyCookie, { secret: options.secret })
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: false, // set below, with a nonce per response
    strictTransportSecurity: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  })
  decorate(app, options)
  const setPageLocals = pageLocals(options)

  app.addHook('onRequest', async (request, reply) => {
    request.cspNonce = randomBytes(16).toString('base64')
    reply.header('content-security-policy', contentSecurityPolicy(request.cspNonce))
    const config = request.routeOptions.config
    if (config.public && request.url.startsWith('/assets/')) return
    await identify(request, options)
    if (request.is404 || config.public) return
    return authorise(request, reply, options.db)
  })

  app.addHook('preHandler', async (request, reply) => {
    if (UNSAFE_METHODS.has(request.method) && request.user?.via !== 'token') checkCsrf(request, reply, options)
    if (!request.wantsJson()) setPageLocals(request, reply)
  })

  app.addHook('onSend', async (request, reply) => {
    if (!request.url.startsWith('/assets/')) reply.header('cache-control', 'no-store')
  })

  app.decorate('setPageLocals', setPageLocals)
})

function decorate(app: FastifyInstance, options: SecurityOptions) {
  app.decorateRequest('user', null)
  app.decorateRequest('sessionId', null)
  app.decorateRequest('sessionExpired', false)
  app.decorateRequest('cspNonce', '')
  app.decorateRequest('actor', function (this: FastifyRequest): Actor {
    return {
      userId: this.user?.id ?? null,
      username: this.user?.username ?? 'anonymous',
      establishmentCode: this.user?.establishmentCode ?? null,
      correlationId: this.id,
    }
  })
  app.decorateRequest('wantsJson', function (this: FastifyRequest): boolean {
    return this.url.startsWith('/api/') || this.url === '/health' || this.url === '/info'
  })
  app.decorateReply('flash', function (this: FastifyReply, message: string) {
    return this.setCookie(FLASH_COOKIE, message.slice(0, 300), cookieOptions(options.production))
  })
}

function contentSecurityPolicy(nonce: string) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ')
}

/** Deny by default: a route without a permission is refused; a person not signed in is sent to sign in. */
async function authorise(request: FastifyRequest, reply: FastifyReply, db: Db) {
  const { permission } = request.routeOptions.config
  if (!permission) {
    request.log.error({ url: request.routeOptions.url }, 'route declares no permission; denied')
    throw new ForbiddenError()
  }
  if (!request.user) {
    if (request.wantsJson()) throw new UnauthenticatedError()
    const returnTo = request.method === 'GET' ? `?returnTo=${encodeURIComponent(request.url)}` : ''
    const expired = request.sessionExpired ? `${returnTo ? '&' : '?'}expired=1` : ''
    return reply.redirect(`/sign-in${returnTo}${expired}`, 303)
  }
  if (!request.user.can(permission)) {
    await recordAudit(db, request.actor(), {
      action: 'access.denied',
      subjectType: 'route',
      subjectId: `${request.method} ${request.routeOptions.url}`,
      details: { permission },
    })
    throw new ForbiddenError()
  }
}

const TOKEN_REFUSED = {
  none: 'The API token is not valid, or has been revoked.',
  expired: 'The API token has expired. Ask an administrator to issue a new one.',
  deactivated: 'The user this API token acts as has been deactivated.',
  locked: 'The user this API token acts as is locked after failed sign-ins. Wait, or ask an administrator.',
} as const

/** A bearer token for systems, a session cookie for people; an invalid credential is no credential. */
async function identify(request: FastifyRequest, { db, sessionIdleMinutes, signInPolicy }: SecurityOptions) {
  const authorization = request.headers.authorization
  if (authorization?.startsWith('Bearer ')) {
    const found = await findUserByApiToken(db, authorization.slice(7).trim(), signInPolicy)
    if (found.state !== 'valid') throw new UnauthenticatedError(TOKEN_REFUSED[found.state])
    request.user = await loadCurrentUser(db, found.user, 'token')
    return
  }
  const cookie = request.cookies[SESSION_COOKIE]
  if (!cookie) return
  const unsigned = request.unsignCookie(cookie)
  if (!unsigned.valid || !unsigned.value) return
  const found = await findSession(db, unsigned.value, sessionIdleMinutes)
  if (found.state === 'active') {
    request.sessionId = found.sessionId
    request.user = await loadCurrentUser(db, found.user, 'session')
  } else if (found.state === 'expired') {
    request.sessionExpired = true
  }
}

function checkCsrf(request: FastifyRequest, reply: FastifyReply, options: SecurityOptions) {
  const body = request.body as Record<string, unknown> | undefined
  // A multipart form's fields arrive as { value } objects.
  const field = body?._csrf as { value?: unknown } | string | undefined
  const sent = String(request.headers['x-csrf-token'] ?? (typeof field === 'object' ? field?.value : field) ?? '')
  if (!safeEqual(sent, csrfToken(request, reply, options))) {
    throw new ForbiddenError(
      'This form has expired or did not come from Portcullis. Go back, reload the page and try again.',
    )
  }
}

/** Bound to the session, or before sign-in to an anonymous cookie, so a token cannot be carried to another. */
function csrfToken(request: FastifyRequest, reply: FastifyReply, { secret, production }: SecurityOptions): string {
  if (request.sessionId) return hmac(secret, `session:${request.sessionId}`)
  let anonymous = request.cookies[ANONYMOUS_COOKIE]
  const unsigned = anonymous ? request.unsignCookie(anonymous) : null
  if (unsigned?.valid && unsigned.value) {
    anonymous = unsigned.value
  } else {
    anonymous = randomBytes(18).toString('base64url')
    reply.setCookie(ANONYMOUS_COOKIE, anonymous, cookieOptions(production))
    // Make it visible to the rest of this request, so the page and its check agree.
    request.cookies[ANONYMOUS_COOKIE] = reply.signCookie(anonymous)
  }
  return hmac(secret, `anonymous:${anonymous}`)
}

/** What every page sees: the flash, the user, the navigation, the CSRF token and the CSP nonce. */
function pageLocals(options: SecurityOptions) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    let flash: string | undefined
    const flashCookie = request.cookies[FLASH_COOKIE]
    if (flashCookie) {
      const unsigned = request.unsignCookie(flashCookie)
      if (unsigned.valid && unsigned.value) flash = unsigned.value
      reply.clearCookie(FLASH_COOKIE, { path: '/' })
    }
    reply.locals = {
      flash,
      ...(reply.locals ?? {}),
      user: request.user,
      navigation: options.navigation.for(request.user, request.url.split('?')[0]),
      csrfToken: csrfToken(request, reply, options),
      cspNonce: request.cspNonce,
      currentPath: request.url,
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    setPageLocals(request: FastifyRequest, reply: FastifyReply): void
  }
}

export function cookieOptions(production: boolean) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: production, signed: true }
}
