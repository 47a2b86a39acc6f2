import { createHash } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Db, Executor } from '../db/database.ts'
import type { AuditEventTable } from '../db/tables.ts'
import { claimInTransaction, releaseAfterRollback } from '../idempotency/idempotency.ts'

/** Who did it and under which request: every service call carries one. */
export type Actor = {
  userId: string | null
  username: string
  establishmentCode: string | null
  correlationId: string | null
}

export const SYSTEM_ACTOR: Actor = { userId: null, username: 'system', establishmentCode: null, correlationId: null }

/** The actor for a signed-in person (or a system with a token) acting under a request. */
export function actorOf(
  user: { id: string; username: string; establishmentCode: string },
  correlationId: string | null,
): Actor {
  return { userId: user.id, username: user.username, establishmentCode: user.establishmentCode, correlationId }
}

/** What happened. Details must never contain intelligence text: references and field names only. */
export type AuditEntry = {
  action: string
  subjectType?: string
  subjectId?: string
  establishmentCode?: string | null
  /** The need-to-know compartment of the subject, when it has one: the event is then seen only inside it. */
  compartment?: string | null
  details?: Record<string, unknown>
}

/** An event as audit_event holds it. */
export type StoredAuditEvent = Selectable<AuditEventTable>

/**
 * Appends one event, in the caller's transaction so that the event and the change commit or fail together. The
 * event waits in audit_pending; at commit a trigger (migration 0007) chains it onto the head and appends it to
 * audit_event, so events join the chain in commit order and the head is locked only while the commit lasts.
 */
export async function recordAudit(trx: Executor, actor: Actor, entry: AuditEntry, now = new Date()): Promise<void> {
  const event = {
    occurredAt: now,
    actorUserId: actor.userId,
    actorUsername: actor.username,
    action: entry.action,
    subjectType: entry.subjectType ?? null,
    subjectId: entry.subjectId ?? null,
    establishmentCode: entry.establishmentCode ?? actor.establishmentCode ?? null,
    correlationId: actor.correlationId,
    compartment: entry.compartment ?? null,
    // Round-trip through JSON so the hash covers exactly what jsonb will store (dates as strings, no undefined).
    details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
  }
  const [hashBefore, hashAfter] = hashAround(event)
  await trx
    .insertInto('auditPending')
    .values({ ...event, details: JSON.stringify(event.details), hashBefore, hashAfter })
    .execute()
}

/**
 * One use case, one transaction: the work and the audit events it records commit together or not at all. `audit`
 * appends an event in the same transaction, stamped with `now`.
 */
export function auditedTransaction<T>(
  db: Db,
  actor: Actor,
  now: Date,
  work: (trx: Executor, audit: (entry: AuditEntry) => Promise<void>) => Promise<T>,
): Promise<T> {
  return db
    .transaction()
    .execute(async trx => {
      // An API request's Idempotency-Key is claimed with the work it guards: both commit, or neither does.
      await claimInTransaction(trx, now)
      return work(trx, entry => recordAudit(trx, actor, entry, now))
    })
    .catch(error => {
      releaseAfterRollback()
      throw error
    })
}

// Stands for the previous hash in the canonical JSON. PostgreSQL text and jsonb cannot hold NUL, so no field of an
// event can contain it, and it marks one place only.
const PREVIOUS = '\u0000previous\u0000'

/** The event's canonical JSON before and after the previous hash, for the trigger to hash with the head's. */
export function hashAround(event: HashedFields): [string, string] {
  const canonical = canonicalEvent(PREVIOUS, event)
  const marker = JSON.stringify(PREVIOUS)
  const at = canonical.indexOf(marker)
  return [canonical.slice(0, at), canonical.slice(at + marker.length)]
}

type HashedFields = Omit<StoredAuditEvent, 'id' | 'prevHash' | 'hash'>

export function auditHash(prevHash: string, event: HashedFields): string {
  return createHash('sha256').update(canonicalEvent(prevHash, event)).digest('hex')
}

function canonicalEvent(prevHash: string, event: HashedFields): string {
  return canonicalJson({
    prevHash,
    occurredAt: event.occurredAt.toISOString(),
    actorUserId: event.actorUserId,
    actorUsername: event.actorUsername,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    establishmentCode: event.establishmentCode,
    correlationId: event.correlationId,
    // Hashed only when set, so events written before the column existed keep their hashes.
    compartment: event.compartment ?? undefined,
    details: event.details,
  })
}

/** JSON with object keys sorted at every depth: jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

export type ChainVerdict =
  | { ok: true; events: number }
  | { ok: false; events: number; brokenAt: number; reason: string }

/** Walks the whole chain in order and names the first event whose link does not hold. */
export async function verifyAuditChain(db: Executor, batchSize = 5000): Promise<ChainVerdict> {
  if (db.isTransaction) return walkChain(db, batchSize)
  // One snapshot for the walk and the head, so events committed meanwhile do not look like tampering.
  return (db as Db)
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(trx => walkChain(trx, batchSize))
}

async function walkChain(db: Executor, batchSize: number): Promise<ChainVerdict> {
  let prevHash = '0'.repeat(64)
  let prevId = 0
  let count = 0
  for (;;) {
    const rows = (await db
      .selectFrom('auditEvent')
      .selectAll()
      .where('id', '>', prevId)
      .orderBy('id')
      .limit(batchSize)
      .execute()) as StoredAuditEvent[]
    for (const row of rows) {
      count++
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          events: count,
          brokenAt: row.id,
          reason: `audit event ${row.id} does not follow event ${prevId}: an event between them was removed or altered`,
        }
      }
      if (auditHash(row.prevHash, row) !== row.hash) {
        return {
          ok: false,
          events: count,
          brokenAt: row.id,
          reason: `audit event ${row.id} does not match its hash: its contents were changed after it was written`,
        }
      }
      prevHash = row.hash
      prevId = row.id
    }
    if (rows.length < batchSize) break
  }
  const head = await db.selectFrom('auditChainHead').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()
  if (head.lastId !== prevId || head.lastHash !== prevHash) {
    return {
      ok: false,
      events: count,
      brokenAt: head.lastId,
      reason: `the chain ends at event ${prevId} but its head records event ${head.lastId}: later events were removed`,
    }
  }
  return { ok: true, events: count }
}
