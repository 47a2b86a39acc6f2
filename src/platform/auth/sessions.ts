import { randomUUID } from 'node:crypto'
import type { UserRecord } from '../access/user.ts'
import { type Actor, auditedTransaction } from '../audit/audit.ts'
import type { Db, Executor } from '../db/database.ts'
import * as users from '../users/repository.ts'
import { type ProvidedIdentity, scopeForRoles } from './oidc.ts'
import { verifyPassword } from './passwords.ts'
import { newSecret, sha256 } from './tokens.ts'

export type SignInPolicy = { maxFailures: number; lockMinutes: number; maxPerIpPer15Minutes: number }

export type SignInResult =
  | { outcome: 'signed-in'; token: string; user: UserRecord }
  | { outcome: 'invalid' | 'locked' | 'rate-limited' }

type Attempt = { username: string; password: string; ip: string; userAgent: string | null; correlationId: string }

const USER_COLUMNS = ['id', 'username', 'displayName', 'establishmentCode', 'roles', 'scope', 'compartments'] as const

/**
 * Password sign-in. Failures are counted per username (known or not, so a lock does not reveal that an account
 * exists) and per address; the attempt, the session and the audit event are written together.
 */
export async function signInWithPassword(
  db: Db,
  policy: SignInPolicy,
  attempt: Attempt,
  now = new Date(),
): Promise<SignInResult> {
  const username = attempt.username.trim().toLowerCase()
  const since = new Date(now.getTime() - policy.lockMinutes * 60_000)
  const window = new Date(now.getTime() - 15 * 60_000)

  const fromIp = await db
    .selectFrom('signInAttempt')
    .select(db.fn.countAll<number>().as('n'))
    .where('ip', '=', attempt.ip)
    .where('succeeded', '=', false)
    .where('at', '>', window)
    .executeTakeFirstOrThrow()
  if (fromIp.n >= policy.maxPerIpPer15Minutes) return { outcome: 'rate-limited' }

  const recent = await db
    .selectFrom('signInAttempt')
    .select(['succeeded'])
    .where('username', '=', username)
    .where('at', '>', since)
    .orderBy('at', 'desc')
    .limit(policy.maxFailures)
    .execute()
  const lastSuccessIndex = recent.findIndex(row => row.succeeded)
  const failuresSinceSuccess = lastSuccessIndex === -1 ? recent.length : lastSuccessIndex
  const locked = failuresSinceSuccess >= policy.maxFailures

  const user = await db
    .selectFrom('appUser')
    .select([...USER_COLUMNS, 'passwordHash', 'active'])
    .where('username', '=', username)
    .executeTakeFirst()
  // Always verify, so timing does not tell a locked or unknown account from a wrong password.
  const passwordOk = await verifyPassword(user?.passwordHash ?? null, attempt.password)
  const succeeded = !locked && passwordOk && user?.active === true && user.passwordHash !== null

  const actor: Actor = {
    userId: user?.id ?? null,
    username: username.slice(0, 100) || '(blank)',
    establishmentCode: user?.establishmentCode ?? null,
    correlationId: attempt.correlationId,
  }
  return auditedTransaction(db, actor, now, async (trx, audit) => {
    await trx
      .insertInto('signInAttempt')
      .values({ username: username.slice(0, 100), ip: attempt.ip, succeeded, at: now })
      .execute()
    if (!succeeded || !user) {
      await audit({
        action: 'sign-in.failed',
        subjectType: 'user',
        subjectId: username,
        details: { locked, ip: attempt.ip },
      })
      return { outcome: locked ? 'locked' : 'invalid' } as const
    }
    const token = await startSession(
      trx,
      { userId: user.id, method: 'password', ip: attempt.ip, userAgent: attempt.userAgent },
      now,
    )
    await audit({
      action: 'sign-in',
      subjectType: 'user',
      subjectId: user.username,
      details: { method: 'password', ip: attempt.ip },
    })
    const { passwordHash: _hash, active: _active, ...record } = user
    return { outcome: 'signed-in', token, user: record } as const
  })
}

/**
 * Opens a session for a user whose identity has been proven, and returns the token for the cookie. Password sign-in
 * uses it; single sign-on (OIDC: HMPPS Auth, Entra ID) will call it from its callback after matching the provider's
 * issuer and subject to app_user.external_issuer/external_subject. Nothing else about sessions changes.
 */
export async function startSession(
  trx: Executor,
  session: { userId: string; method: 'password' | 'oidc'; ip: string | null; userAgent: string | null },
  now = new Date(),
): Promise<string> {
  const token = newSecret()
  await trx
    .insertInto('userSession')
    .values({
      id: sha256(token),
      userId: session.userId,
      authMethod: session.method,
      createdAt: now,
      lastSeenAt: now,
      ip: session.ip,
      userAgent: session.userAgent?.slice(0, 300) ?? null,
    })
    .execute()
  return token
}

export type SessionLookup =
  | { state: 'active'; sessionId: string; user: UserRecord }
  | { state: 'expired' }
  | { state: 'none' }

/**
 * Finds the live session behind a cookie. Idle sessions end here; last-seen is refreshed at most once a minute
 * so that reading pages does not turn every request into a write.
 */
export async function findSession(
  db: Db,
  token: string,
  idleMinutes: number,
  now = new Date(),
): Promise<SessionLookup> {
  const id = sha256(token)
  const row = await db
    .selectFrom('userSession as s')
    .innerJoin('appUser as u', 'u.id', 's.userId')
    .select(['s.lastSeenAt', 's.endedAt', 'u.active'])
    .select(['u.id', 'u.username', 'u.displayName', 'u.establishmentCode', 'u.roles', 'u.scope', 'u.compartments'])
    .where('s.id', '=', id)
    .executeTakeFirst()
  if (!row) return { state: 'none' }
  if (row.endedAt) return { state: 'expired' }
  if (!row.active) {
    await endSession(db, id, 'deactivated', now)
    return { state: 'none' }
  }
  const idleSince = now.getTime() - row.lastSeenAt.getTime()
  if (idleSince > idleMinutes * 60_000) {
    await endSession(db, id, 'idle', now)
    return { state: 'expired' }
  }
  if (idleSince > 60_000) {
    await db.updateTable('userSession').set({ lastSeenAt: now }).where('id', '=', id).execute()
  }
  const { lastSeenAt: _seen, endedAt: _ended, active: _active, ...user } = row
  return { state: 'active', sessionId: id, user }
}

export async function endSession(
  db: Db,
  sessionId: string,
  reason: 'signed-out' | 'idle' | 'deactivated',
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('userSession')
    .set({ endedAt: now, endReason: reason })
    .where('id', '=', sessionId)
    .where('endedAt', 'is', null)
    .execute()
}

/** Sign-out: ends the session and records it. */
export async function signOut(db: Db, sessionId: string, actor: Actor, now = new Date()): Promise<void> {
  await auditedTransaction(db, actor, now, async (trx, audit) => {
    await trx
      .updateTable('userSession')
      .set({ endedAt: now, endReason: 'signed-out' })
      .where('id', '=', sessionId)
      .where('endedAt', 'is', null)
      .execute()
    await audit({ action: 'sign-out', subjectType: 'user', subjectId: actor.username })
  })
}

/** Why single sign-on did not open a session, though the provider vouched for the person. */
export type SingleSignOnRefusal = 'no-role' | 'no-establishment' | 'no-username' | 'username-taken' | 'deactivated'

export type SingleSignOnResult =
  | { outcome: 'signed-in'; token: string; user: UserRecord; created: boolean }
  | { outcome: 'refused'; reason: SingleSignOnRefusal }

type Visit = { ip: string; userAgent: string | null; correlationId: string }

/**
 * Single sign-on, after the provider has proven who the person is. The provider is the source of their roles,
 * establishment and name: the first sign-in creates the user (without a password), later ones bring the account up
 * to date. Portcullis still decides: a deactivated account, or one with no Portcullis role or known establishment,
 * gets no session. The refusal, the account change, the session and their audit events are written together.
 */
export async function signInWithIdentity(
  db: Db,
  identity: ProvidedIdentity,
  visit: Visit,
  now = new Date(),
): Promise<SingleSignOnResult> {
  const existing = await users.findUserByExternalIdentity(db, identity.issuer, identity.subject)
  const establishmentCode = identity.establishmentCode ?? existing?.establishmentCode ?? null
  const knownEstablishment = establishmentCode !== null && (await users.establishmentExists(db, establishmentCode))
  const username = existing?.username ?? identity.username
  const refusal = await refusalFor(db, identity, existing, { username, knownEstablishment })
  const actor: Actor = {
    userId: existing?.id ?? (refusal ? null : randomUUID()),
    username: username ?? '(single sign-on)',
    establishmentCode: knownEstablishment ? establishmentCode : (existing?.establishmentCode ?? null),
    correlationId: visit.correlationId,
  }
  return auditedTransaction(db, actor, now, async (trx, audit) => {
    if (refusal || !actor.userId || !establishmentCode || !username) {
      await audit({
        action: 'sign-in.refused',
        subjectType: 'user',
        subjectId: username ?? identity.subject,
        details: {
          method: 'single sign-on',
          reason: refusal,
          issuer: identity.issuer,
          subject: identity.subject,
          roles: identity.roles,
          establishmentCode: identity.establishmentCode,
          ip: visit.ip,
        },
      })
      return { outcome: 'refused', reason: refusal ?? 'no-username' } as const
    }
    const wanted = {
      displayName: identity.displayName ?? existing?.displayName ?? username,
      roles: identity.roles,
      establishmentCode,
    }
    const user = existing
      ? await updateFromProvider(trx, audit, { ...existing, username }, wanted, now)
      : await createFromProvider(trx, audit, { id: actor.userId, username, identity, ...wanted }, now)
    const token = await startSession(trx, { userId: user.id, method: 'oidc', ...visit }, now)
    await audit({
      action: 'sign-in',
      subjectType: 'user',
      subjectId: username,
      details: { method: 'single sign-on', ip: visit.ip },
    })
    return { outcome: 'signed-in', token, user, created: !existing } as const
  })
}

/** Portcullis's own say, after the provider's: the first reason there is to refuse, or null. */
async function refusalFor(
  db: Db,
  identity: ProvidedIdentity,
  existing: { active: boolean } | undefined,
  found: { username: string | null; knownEstablishment: boolean },
): Promise<SingleSignOnRefusal | null> {
  if (existing && !existing.active) return 'deactivated'
  if (identity.roles.length === 0) return 'no-role'
  if (!found.knownEstablishment) return 'no-establishment'
  if (!found.username) return 'no-username'
  if (!existing && (await users.usernameTaken(db, found.username))) return 'username-taken'
  return null
}

type Audit = Parameters<Parameters<typeof auditedTransaction>[3]>[1]

/** The first sign-in of someone the provider vouches for: a user just in time, with no password. */
async function createFromProvider(
  trx: Executor,
  audit: Audit,
  user: { id: string; username: string; identity: ProvidedIdentity; displayName: string } & Wanted,
  now: Date,
): Promise<UserRecord> {
  const scope = scopeForRoles(user.identity.roles)
  await users.insertUser(trx, {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    email: null,
    department: null,
    establishmentCode: user.establishmentCode,
    roles: user.roles,
    scope,
    compartments: [],
    passwordHash: null,
    externalIssuer: user.identity.issuer,
    externalSubject: user.identity.subject,
    createdAt: now,
    updatedAt: now,
  })
  await audit({
    action: 'user.created',
    subjectType: 'user',
    subjectId: user.username,
    establishmentCode: user.establishmentCode,
    details: { by: 'single sign-on', issuer: user.identity.issuer, roles: user.roles, scope, compartments: [] },
  })
  const { identity: _identity, ...record } = user
  return { ...record, scope, compartments: [] }
}

type Wanted = { displayName: string; roles: string[]; establishmentCode: string }

/** A later sign-in: the name, roles and establishment follow the provider; scope and compartments stay Portcullis's. */
async function updateFromProvider(
  trx: Executor,
  audit: Audit,
  user: UserRecord & { active: boolean },
  wanted: Wanted,
  now: Date,
): Promise<UserRecord> {
  const changed = (Object.keys(wanted) as (keyof Wanted)[]).filter(
    key => JSON.stringify(user[key]) !== JSON.stringify(wanted[key]),
  )
  if (changed.length > 0) {
    await users.updateUser(trx, user.id, { ...wanted, updatedAt: now })
    await audit({
      action: 'user.updated',
      subjectType: 'user',
      subjectId: user.username,
      establishmentCode: wanted.establishmentCode,
      details: { by: 'single sign-on', changed, roles: wanted.roles, scope: user.scope },
    })
  }
  const { active: _active, ...record } = user
  return { ...record, ...wanted }
}
