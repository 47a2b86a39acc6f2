import { AsyncLocalStorage } from 'node:async_hooks'
import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { canonicalJson } from '../audit/audit.ts'
import type { Db, Executor } from '../db/database.ts'
import { AppError, ValidationError } from '../http/errors.ts'
import * as repo from './repository.ts'

// Issue 13, defect 7: a client that lost the answer to a creating request sends it again with the same
// Idempotency-Key and gets the first answer, not a second record (draft-ietf-httpapi-idempotency-key-header).

export const IDEMPOTENCY_HEADER = 'idempotency-key'

type Claim = { userId: string; key: string; operation: string; requestHash: string }
type Pending = Claim & { claimed: boolean }

const current = new AsyncLocalStorage<Pending>()

export class IdempotencyConflictError extends AppError {
  override name = 'IdempotencyConflictError'
  constructor(message: string, status = 409) {
    super(status, status === 422 ? 'Idempotency-Key reused' : 'Request in progress', message)
  }
}

/** Thrown inside the transaction when another request already holds the key: the work must not run. */
class KeyTaken extends Error {
  override name = 'KeyTaken'
}

/**
 * Called by the audited transaction before its work: claims the request's key, if it has one, in the same
 * transaction. Nothing happens outside an API request that sent a key.
 */
export async function claimInTransaction(trx: Executor, now: Date): Promise<void> {
  const pending = current.getStore()
  if (!pending || pending.claimed) return
  const { claimed: _claimed, ...row } = pending
  if (!(await repo.claimKey(trx, row, now))) throw new KeyTaken()
  pending.claimed = true
}

/** After a transaction that claimed rolled back, the key is free again for a retry. */
export function releaseAfterRollback(): void {
  const pending = current.getStore()
  if (pending) pending.claimed = false
}

/** The key a request sent, checked: 1 to 255 visible ASCII characters. */
export function keyOf(request: FastifyRequest): string | undefined {
  const raw = request.headers[IDEMPOTENCY_HEADER]
  if (raw === undefined) return undefined
  const key = Array.isArray(raw) ? raw[0] : raw
  if (!key || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw ValidationError.field('Idempotency-Key', 'Idempotency-Key must be 1 to 255 visible ASCII characters')
  }
  return key
}

/** What makes two requests the same: the address and the body as validated (plain data, whatever was sent). */
function requestHash(url: string, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ url, body: body ?? null }))
    .digest('hex')
}

/**
 * Runs a creating API call under its Idempotency-Key: the first call does the work and its answer is kept; a retry
 * with the same key and the same request gets that answer again (with Idempotency-Replayed: true); the same key with
 * a different request is refused with 422; a retry while the first is still running gets 409.
 */
export async function idempotent(
  db: Db,
  request: FastifyRequest,
  reply: FastifyReply,
  claim: { userId: string; key: string; operation: string; body: unknown; rerunnable: boolean },
  work: () => Promise<unknown>,
): Promise<unknown> {
  const now = new Date()
  const { body, rerunnable, ...who } = claim
  const row: Claim = { ...who, requestHash: requestHash(request.url, body) }
  const replayed = await replay(db, row, reply, now, rerunnable)
  if (replayed.done) return replayed.body
  let result: unknown
  try {
    // A re-run of work that finds its own earlier result must not claim the key it already holds.
    result = await current.run({ ...row, claimed: replayed.rerun }, work)
  } catch (error) {
    if (!(error instanceof KeyTaken)) throw error
    // Another request with this key committed first: answer as it did.
    const again = await replay(db, row, reply, now, false)
    if (again.done) return again.body
    throw new IdempotencyConflictError('A request with this Idempotency-Key is still being processed. Try again.')
  }
  if (reply.statusCode < 300) {
    const location = reply.getHeader('location')
    await repo.storeResponse(
      db,
      row,
      { status: reply.statusCode, body: result, location: typeof location === 'string' ? location : null },
      new Date(),
    )
  }
  return result
}

async function replay(
  db: Executor,
  row: Claim,
  reply: FastifyReply,
  now: Date,
  rerunnable: boolean,
): Promise<{ done: true; body: unknown } | { done: false; rerun: boolean }> {
  const stored = await repo.findKey(db, row.userId, row.key, now)
  if (!stored) return { done: false, rerun: false }
  if (stored.operation !== row.operation || stored.requestHash !== row.requestHash) {
    throw new IdempotencyConflictError(
      'This Idempotency-Key was used for a different request. Use a new key for each new request.',
      422,
    )
  }
  if (stored.responseStatus === null) {
    // The work committed with the key; its answer is written just after. A minute on, the server stopped between:
    // an operation that finds its own earlier result by the key (a report's submission key) runs again to answer.
    const lost = now.getTime() - stored.createdAt.getTime() >= 60_000
    if (lost && rerunnable) return { done: false, rerun: true }
    throw new IdempotencyConflictError(
      !lost
        ? 'A request with this Idempotency-Key was accepted, and its answer is not ready. Try again shortly.'
        : 'A request with this Idempotency-Key was carried out, but its answer was lost when the server stopped. ' +
            'Look for what it created; do not send it again under a new key without checking.',
    )
  }
  reply.code(stored.responseStatus).header('idempotency-replayed', 'true')
  if (stored.responseLocation) reply.header('location', stored.responseLocation)
  return { done: true, body: stored.responseBody }
}
