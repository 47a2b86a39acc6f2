import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { OidcConfig } from '../../config.ts'
import type { Db } from '../db/database.ts'
import { parseInput, TooManyRequestsError, ValidationError } from '../http/errors.ts'
import { formErrors } from '../http/forms.ts'
import { cookieOptions, SESSION_COOKIE } from '../http/security.ts'
import {
  createSingleSignOn,
  type PendingSignIn,
  ProviderUnavailableError,
  SignInNotCompletedError,
  type SingleSignOn,
} from './oidc.ts'
import {
  type SignInPolicy,
  type SingleSignOnRefusal,
  signInWithIdentity,
  signInWithPassword,
  signOut,
} from './sessions.ts'

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

type AuthDeps = {
  db: Db
  policy: SignInPolicy
  production: boolean
  idleMinutes: number
  /** Off: the password form is not offered and POST /sign-in is not found. */
  passwordSignIn: boolean
  oidc: OidcConfig | undefined
}

export function authRoutes(deps: AuthDeps) {
  const singleSignOn = deps.oidc ? createSingleSignOn(deps.oidc) : undefined
  const methods = { passwordSignIn: deps.passwordSignIn, singleSignOn: singleSignOn?.label }
  return async (app: FastifyInstance) => {
    app.get('/sign-in', { config: { public: true } }, async (request, reply) => {
      const query = parseInput(signInQuery, request.query)
      if (request.user) return reply.redirect(safeReturnTo(query.returnTo), 303)
      return reply.view(VIEW, {
        ...methods,
        returnTo: safeReturnTo(query.returnTo),
        expired: query.expired === '1',
        idleMinutes: deps.idleMinutes,
      })
    })

    if (deps.passwordSignIn) passwordSignInRoute(app, deps, methods)
    if (singleSignOn) singleSignOnRoutes(app, deps, singleSignOn)

    app.post('/sign-out', { config: { public: true } }, async (request, reply) => {
      if (request.sessionId) await signOut(deps.db, request.sessionId, request.actor())
      reply.clearCookie(SESSION_COOKIE, { path: '/' })
      reply.flash('You have signed out')
      return reply.redirect('/sign-in', 303)
    })
  }
}

function passwordSignInRoute(app: FastifyInstance, deps: AuthDeps, methods: Record<string, unknown>) {
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
        ...methods,
        returnTo,
        values: { username },
        errors: error instanceof TooManyRequestsError ? undefined : formErrors(error),
        rateLimited: error instanceof TooManyRequestsError ? error.message : undefined,
        idleMinutes: deps.idleMinutes,
      })
    }
  })
}

const PENDING_COOKIE = 'portcullis_oidc'
const PENDING_PATH = '/sign-in/oidc'
/** Long enough to sign in at the provider, short enough that a stolen cookie soon goes stale. */
const PENDING_MINUTES = 10
const PROBLEM_VIEW = 'platform/auth/views/sign-in-problem.njk'

/** What a person is told when the provider vouched for them and Portcullis still said no. */
const REFUSALS: Record<SingleSignOnRefusal, { title: string; paragraphs: string[] }> = {
  'no-role': {
    title: 'Your account has no Portcullis role',
    paragraphs: [
      'You signed in, but your account does not give you a role in Portcullis, so you cannot use it yet.',
      'Ask your head of security to request access to Portcullis for you.',
    ],
  },
  'no-establishment': {
    title: 'Your account has no establishment Portcullis knows',
    paragraphs: [
      'You signed in, but your account does not say which prison you work in, or names one that Portcullis does not know.',
      'Ask your head of security to check the establishment on your account.',
    ],
  },
  'no-username': {
    title: 'Your account cannot be used in Portcullis',
    paragraphs: [
      'You signed in, but your account does not give a username that Portcullis can use.',
      'Ask a Portcullis administrator for help.',
    ],
  },
  'username-taken': {
    title: 'Your account cannot be matched to Portcullis',
    paragraphs: [
      'You signed in, but another Portcullis account already has your username.',
      'Ask a Portcullis administrator for help.',
    ],
  },
  deactivated: {
    title: 'Your Portcullis account has been deactivated',
    paragraphs: ['Ask a Portcullis administrator if you need to use Portcullis again.'],
  },
}

const NOT_COMPLETED = {
  title: 'Your sign-in could not be completed',
  paragraphs: [
    'This can happen if you took more than 10 minutes, used the back button, or signed in from an old link.',
    'Go back to the sign-in page and try again.',
  ],
}

function showProblem(reply: FastifyReply, status: number, problem: { title: string; paragraphs: string[] }) {
  return reply.code(status).view(PROBLEM_VIEW, problem)
}

/** Sign-in through the OpenID Connect provider: out with PKCE, state and nonce; back through the callback. */
function singleSignOnRoutes(app: FastifyInstance, deps: AuthDeps, sso: SingleSignOn) {
  const unavailable = {
    title: 'Single sign-on is not available at the moment',
    paragraphs: [
      `Portcullis could not reach the service behind "${sso.label}". Try again in a few minutes.`,
      'If it keeps happening, tell your IT service desk.',
    ],
  }

  // A GET, so that a link starts it: a forged start only sends a person to sign in as themselves, and the state
  // bound to this browser's cookie stops anyone else's answer from finishing it.
  app.get(PENDING_PATH, { config: { public: true } }, async (request, reply) => {
    const returnTo = safeReturnTo(parseInput(signInQuery, request.query).returnTo)
    try {
      const { url, pending } = await sso.start(returnTo)
      reply.setCookie(PENDING_COOKIE, JSON.stringify({ ...pending, startedAt: Date.now() }), {
        ...cookieOptions(deps.production),
        path: PENDING_PATH,
        maxAge: PENDING_MINUTES * 60,
      })
      return reply.redirect(url, 303)
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error
      request.log.warn({ err: error.cause }, error.message)
      return showProblem(reply, 503, unavailable)
    }
  })

  app.get(`${PENDING_PATH}/callback`, { config: { public: true } }, async (request, reply) => {
    const pending = pendingSignIn(request)
    reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH })
    if (!pending) return showProblem(reply, 400, NOT_COMPLETED)
    let identity: Awaited<ReturnType<SingleSignOn['finish']>>
    try {
      identity = await sso.finish(request.url.split('?')[1] ?? '', pending)
    } catch (error) {
      if (error instanceof ProviderUnavailableError) return showProblem(reply, 503, unavailable)
      if (!(error instanceof SignInNotCompletedError)) throw error
      request.log.warn({ err: error.cause }, error.message)
      return showProblem(reply, 400, NOT_COMPLETED)
    }
    const result = await signInWithIdentity(deps.db, identity, {
      ip: request.ip,
      userAgent: request.headers['user-agent'] ?? null,
      correlationId: request.id,
    })
    if (result.outcome === 'refused') return showProblem(reply, 403, REFUSALS[result.reason])
    reply.setCookie(SESSION_COOKIE, result.token, cookieOptions(deps.production))
    return reply.redirect(safeReturnTo(pending.returnTo), 303)
  })
}

const pendingSchema = z.object({
  verifier: z.string().min(43).max(128),
  state: z.string().min(1).max(200),
  nonce: z.string().min(1).max(200),
  returnTo: z.string().max(2000),
  startedAt: z.number(),
})

/** The sign-in this browser started, if its cookie is Portcullis's own, unaltered and recent. */
function pendingSignIn(request: FastifyRequest): PendingSignIn | null {
  const cookie = request.cookies[PENDING_COOKIE]
  const unsigned = cookie ? request.unsignCookie(cookie) : null
  if (!unsigned?.valid || !unsigned.value) return null
  let parsed: z.infer<typeof pendingSchema>
  try {
    parsed = pendingSchema.parse(JSON.parse(unsigned.value))
  } catch {
    return null
  }
  const age = Date.now() - parsed.startedAt
  if (age < 0 || age > PENDING_MINUTES * 60_000) return null
  const { startedAt: _startedAt, ...pending } = parsed
  return pending
}
