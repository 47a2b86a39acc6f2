import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Db } from '../db/database.ts'
import { parseInput, TooManyRequestsError, ValidationError } from '../http/errors.ts'
import { formErrors } from '../http/forms.ts'
import { cookieOptions, SESSION_COOKIE } from '../http/security.ts'
import { type SignInPolicy, signInWithPassword, signOut } from './sessions.ts'

const signInSchema = z.object({
  username: z
    .string({ error: 'Enter your username' })
    .trim()
    .min(1, 'Enter your username')
    .max(100, 'Enter your username'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(200, 'Enter your password'),
})

const signInQuery = z.object({
  returnTo: z.string().optional().catch(undefined),
  expired: z.string().optional().catch(undefined),
})

/**
 * Where to go after signing in: a path on this site, or home. The value is resolved as a browser would resolve it
 * (which drops tabs and newlines, and reads `/\\host` and `//host` as another site), and only a same-origin result
 * is kept, as its path, query and fragment.
 */
export function safeReturnTo(value: string | undefined): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a browser drops these, so a path holding one is refused
  if (!value?.startsWith('/') || /[\u0000-\u001f\u007f]/.test(value)) return '/'
  const base = 'http://portcullis.invalid'
  let resolved: URL
  try {
    resolved = new URL(value, base)
  } catch {
    return '/'
  }
  return resolved.origin === base ? `${resolved.pathname}${resolved.search}${resolved.hash}` : '/'
}

const VIEW = 'platform/auth/views/sign-in.njk'

export function authRoutes(deps: { db: Db; policy: SignInPolicy; production: boolean; idleMinutes: number }) {
  return async (app: FastifyInstance) => {
    app.get('/sign-in', { config: { public: true } }, async (request, reply) => {
      const query = parseInput(signInQuery, request.query)
      if (request.user) return reply.redirect(safeReturnTo(query.returnTo), 303)
      return reply.view(VIEW, {
        returnTo: safeReturnTo(query.returnTo),
        expired: query.expired === '1',
        idleMinutes: deps.idleMinutes,
      })
    })

    app.post('/sign-in', { config: { public: true } }, async (request, reply) => {
      const returnTo = safeReturnTo((request.body as { returnTo?: string } | undefined)?.returnTo)
      const username = String((request.body as { username?: unknown } | undefined)?.username ?? '')
      try {
        // Where to go next was made safe above; a stray character in it must not stop someone signing in.
        const { username: typed, password } = (request.body ?? {}) as Record<string, unknown>
        const input = parseInput(signInSchema, { username: typed, password })
        const result = await signInWithPassword(deps.db, deps.policy, {
          username: input.username,
          password: input.password,
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
          correlationId: request.id,
        })
        if (result.outcome === 'rate-limited') {
          throw new TooManyRequestsError(
            'There have been too many failed sign-ins from your network. Wait 15 minutes and try again.',
          )
        }
        if (result.outcome === 'locked') {
          throw ValidationError.field(
            'username',
            `This account is locked for ${deps.policy.lockMinutes} minutes after ${deps.policy.maxFailures} failed sign-ins. Wait, then try again, or ask an administrator`,
          )
        }
        if (result.outcome !== 'signed-in') {
          throw ValidationError.field('username', 'The username or password is not correct')
        }
        reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(deps.production))
        return reply.redirect(returnTo, 303)
      } catch (error) {
        return reply.code(error instanceof ValidationError ? 400 : 429).view(VIEW, {
          returnTo,
          values: { username },
          errors: error instanceof TooManyRequestsError ? undefined : formErrors(error),
          rateLimited: error instanceof TooManyRequestsError ? error.message : undefined,
          idleMinutes: deps.idleMinutes,
        })
      }
    })

    app.post('/sign-out', { config: { public: true } }, async (request, reply) => {
      if (request.sessionId) await signOut(deps.db, request.sessionId, request.actor())
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      reply.flash('You have signed out')
      return reply.redirect('/sign-in', 303)
    })
  }
}
