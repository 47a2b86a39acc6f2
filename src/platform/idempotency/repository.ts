import type { Executor } from '../db/database.ts'

/** How long a key is remembered: a retry comes within minutes; a day covers a client that retries after an outage. */
export const KEPT_HOURS = 24

export type StoredKey = {
  operation: string
  requestHash: string
  responseStatus: number | null
  responseBody: unknown
  responseLocation: string | null
  createdAt: Date
}

export function findKey(db: Executor, userId: string, key: string, now: Date): Promise<StoredKey | undefined> {
  return db
    .selectFrom('idempotencyKey')
    .select(['operation', 'requestHash', 'responseStatus', 'responseBody', 'responseLocation', 'createdAt'])
    .where('userId', '=', userId)
    .where('key', '=', key)
    .where('createdAt', '>', new Date(now.getTime() - KEPT_HOURS * 3_600_000))
    .executeTakeFirst()
}

/**
 * Claims a key inside the transaction that does the work: committed together, or not at all. A concurrent request
 * with the same key waits here for the first to finish; false when the key was already taken.
 */
export async function claimKey(
  trx: Executor,
  row: { userId: string; key: string; operation: string; requestHash: string },
  now: Date,
): Promise<boolean> {
  // A key older than the time it is kept may be used afresh.
  await trx
    .deleteFrom('idempotencyKey')
    .where('userId', '=', row.userId)
    .where('createdAt', '<=', new Date(now.getTime() - KEPT_HOURS * 3_600_000))
    .execute()
  const claimed = await trx
    .insertInto('idempotencyKey')
    .values({ ...row, createdAt: now })
    .onConflict(conflict => conflict.columns(['userId', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst()
  return claimed !== undefined
}

/** Keeps the answer a claimed key got, for its retries; or claims and answers at once when no transaction ran. */
export async function storeResponse(
  db: Executor,
  row: { userId: string; key: string; operation: string; requestHash: string },
  response: { status: number; body: unknown; location: string | null },
  now: Date,
): Promise<void> {
  await db
    .insertInto('idempotencyKey')
    .values({
      ...row,
      createdAt: now,
      responseStatus: response.status,
      responseBody: JSON.stringify(response.body ?? null),
      responseLocation: response.location,
    })
    .onConflict(conflict =>
      conflict.columns(['userId', 'key']).doUpdateSet({
        responseStatus: response.status,
        responseBody: JSON.stringify(response.body ?? null),
        responseLocation: response.location,
      }),
    )
    .execute()
}
