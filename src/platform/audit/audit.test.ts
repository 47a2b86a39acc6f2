import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { sql, type Transaction } from 'kysely'
import { testDatabase } from '../../../test/support/database.ts'
import type { DatabaseHandle, Db } from '../db/database.ts'
import type { Database } from '../db/tables.ts'
import {
  type Actor,
  type AuditEntry,
  auditHash,
  type ChainVerdict,
  canonicalJson,
  hashAround,
  recordAudit,
  type StoredAuditEvent,
  verifyAuditChain,
} from './audit.ts'

const ANALYST: Actor = {
  userId: '00000000-0000-4000-8000-000000000001',
  username: 'analyst',
  establishmentCode: 'MDI',
  correlationId: 'req-1',
}

// Keys deliberately out of order and nested: jsonb reorders them, the hash must not care.
const ENTRIES: AuditEntry[] = [
  {
    action: 'user.created',
    subjectType: 'user',
    subjectId: 'jo.bloggs',
    details: { scope: 'establishment', roles: ['analyst'] },
  },
  { action: 'sign-in', subjectType: 'user', subjectId: 'analyst', details: { ip: '127.0.0.1' } },
  {
    action: 'user.updated',
    subjectType: 'user',
    subjectId: 'jo.bloggs',
    establishmentCode: 'LEI',
    details: { z: { b: 2, a: [{ y: 1, x: null }] }, changed: ['roles'] },
  },
  { action: 'access.denied', subjectType: 'route', subjectId: 'GET /admin/users' },
  {
    action: 'api-token.created',
    subjectType: 'user',
    subjectId: 'jo.bloggs',
    details: { name: 'test system', n: 1.5 },
  },
]

class Undo extends Error {}

let database: DatabaseHandle
let db: Db
let ids: number[]

before(async () => {
  database = await testDatabase()
  db = database.db
  for (const [index, entry] of ENTRIES.entries()) {
    // Both ways callers use it: inside a transaction, and (one at a time) straight on the database.
    if (index % 2 === 0) await db.transaction().execute(trx => recordAudit(trx, ANALYST, entry))
    else await recordAudit(db, ANALYST, entry)
  }
  ids = (await db.selectFrom('auditEvent').select('id').orderBy('id').execute()).map(row => row.id)
})
after(() => database.close())

/**
 * Tampers as the table owner would (trigger off, raw SQL, trigger on), verifies what that leaves, then rolls it all
 * back so each test starts from the untouched chain.
 */
async function verifyTampered(tamper: (trx: Transaction<Database>) => Promise<unknown>): Promise<ChainVerdict> {
  const untouched = await verifyAuditChain(db)
  assert.ok(untouched.ok, 'the chain verifies before tampering')
  let verdict: ChainVerdict | undefined
  await assert.rejects(
    db.transaction().execute(async trx => {
      await sql`alter table audit_event disable trigger audit_event_no_update`.execute(trx)
      await tamper(trx)
      await sql`alter table audit_event enable trigger audit_event_no_update`.execute(trx)
      verdict = await verifyAuditChain(trx)
      throw new Undo()
    }),
    Undo,
  )
  assert.deepEqual(await verifyAuditChain(db), untouched, 'the tampering was rolled back')
  assert.ok(verdict)
  return verdict
}

describe('the audit chain', () => {
  it('links every event to the one before it and verifies with the right count', async () => {
    assert.equal(ids.length, ENTRIES.length)
    assert.deepEqual(await verifyAuditChain(db), { ok: true, events: ENTRIES.length })

    const rows = (await db.selectFrom('auditEvent').selectAll().orderBy('id').execute()) as StoredAuditEvent[]
    assert.equal(rows[0].prevHash, '0'.repeat(64))
    for (let i = 1; i < rows.length; i++) assert.equal(rows[i].prevHash, rows[i - 1].hash)
    for (const row of rows) assert.match(row.hash, /^[0-9a-f]{64}$/)
    const head = await db.selectFrom('auditChainHead').selectAll().executeTakeFirstOrThrow()
    assert.equal(head.lastId, rows.at(-1)?.id)
    assert.equal(head.lastHash, rows.at(-1)?.hash)

    assert.equal(rows[2].establishmentCode, 'LEI', 'the entry’s establishment wins over the actor’s')
    assert.equal(rows[1].establishmentCode, 'MDI', 'the actor’s establishment is the default')
    assert.deepEqual(rows[3].details, {}, 'no details are stored as an empty object')
    assert.equal(rows[0].correlationId, 'req-1')
  })

  it('verifies across batches', async () => {
    assert.deepEqual(await verifyAuditChain(db, 2), { ok: true, events: ENTRIES.length })
    assert.deepEqual(await verifyAuditChain(db, 1), { ok: true, events: ENTRIES.length })
  })

  it('catches an edited event and names it', async () => {
    const target = ids[2]
    const verdict = await verifyTampered(trx =>
      sql`update audit_event set details = jsonb_set(details, '{changed}', '["password"]') where id = ${target}`.execute(
        trx,
      ),
    )
    assert.equal(verdict.ok, false)
    assert.ok(!verdict.ok)
    assert.equal(verdict.brokenAt, target)
    assert.equal(verdict.events, 3)
    assert.match(verdict.reason, new RegExp(`^audit event ${target} does not match its hash`))
  })

  it('catches an edit to any hashed column, not only details', async () => {
    const target = ids[1]
    const edits = [
      sql`update audit_event set actor_username = 'someone-else' where id = ${target}`,
      sql`update audit_event set occurred_at = occurred_at - interval '1 day' where id = ${target}`,
      sql`update audit_event set action = 'sign-out' where id = ${target}`,
      sql`update audit_event set subject_id = null where id = ${target}`,
    ]
    for (const edit of edits) {
      const verdict = await verifyTampered(trx => edit.execute(trx))
      assert.ok(!verdict.ok)
      assert.equal(verdict.brokenAt, target)
      assert.match(verdict.reason, /does not match its hash/)
    }
  })

  it('catches a re-hashed edit at the next event, whose link no longer holds', async () => {
    // Someone who edits a row and recomputes its hash still breaks the link from the event after it.
    const target = ids[2]
    const verdict = await verifyTampered(async trx => {
      const row = (await trx
        .selectFrom('auditEvent')
        .selectAll()
        .where('id', '=', target)
        .executeTakeFirstOrThrow()) as StoredAuditEvent
      const details = { ...row.details, changed: ['password'] }
      const hash = auditHash(row.prevHash, { ...row, details })
      await sql`update audit_event set details = ${JSON.stringify(details)}::jsonb, hash = ${hash} where id = ${target}`.execute(
        trx,
      )
    })
    assert.ok(!verdict.ok)
    assert.equal(verdict.brokenAt, ids[3])
    assert.match(verdict.reason, new RegExp(`^audit event ${ids[3]} does not follow event ${target}`))
  })

  it('catches a deleted event in the middle, naming the event after the gap', async () => {
    const verdict = await verifyTampered(trx => sql`delete from audit_event where id = ${ids[2]}`.execute(trx))
    assert.ok(!verdict.ok)
    assert.equal(verdict.brokenAt, ids[3])
    assert.match(verdict.reason, new RegExp(`^audit event ${ids[3]} does not follow event ${ids[1]}`))
  })

  it('catches a deleted first event', async () => {
    const verdict = await verifyTampered(trx => sql`delete from audit_event where id = ${ids[0]}`.execute(trx))
    assert.ok(!verdict.ok)
    assert.equal(verdict.brokenAt, ids[1])
    assert.match(verdict.reason, new RegExp(`^audit event ${ids[1]} does not follow event 0`))
  })

  it('catches deleted last events through the chain head', async () => {
    for (const removed of [1, 2]) {
      const kept = ids.slice(0, ids.length - removed)
      const verdict = await verifyTampered(trx => sql`delete from audit_event where id > ${kept.at(-1)}`.execute(trx))
      assert.ok(!verdict.ok)
      assert.equal(verdict.events, kept.length)
      assert.equal(verdict.brokenAt, ids.at(-1))
      assert.match(
        verdict.reason,
        new RegExp(`^the chain ends at event ${kept.at(-1)} but its head records event ${ids.at(-1)}`),
      )
    }
  })

  it('catches every event deleted', async () => {
    const verdict = await verifyTampered(trx => sql`delete from audit_event`.execute(trx))
    assert.ok(!verdict.ok)
    assert.equal(verdict.events, 0)
    assert.equal(verdict.brokenAt, ids.at(-1))
  })

  it('the database refuses UPDATE and DELETE while the trigger is on', async () => {
    const before = await db.selectFrom('auditEvent').selectAll().where('id', '=', ids[0]).executeTakeFirstOrThrow()
    await assert.rejects(
      sql`update audit_event set details = '{"changed":["password"]}' where id = ${ids[0]}`.execute(db),
      /audit_event is append-only/,
    )
    await assert.rejects(sql`delete from audit_event where id = ${ids[0]}`.execute(db), /audit_event is append-only/)
    await assert.rejects(db.deleteFrom('auditEvent').execute(), /audit_event is append-only/)
    const afterwards = await db.selectFrom('auditEvent').selectAll().where('id', '=', ids[0]).executeTakeFirstOrThrow()
    assert.deepEqual(afterwards, before)
    assert.deepEqual(await verifyAuditChain(db), { ok: true, events: ENTRIES.length })
  })
})

describe('canonicalJson', () => {
  it('sorts keys at every depth, inside arrays too', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [{ z: 1, y: { q: 2, p: 1 } }], c: null } }),
      '{"a":{"c":null,"d":[{"y":{"p":1,"q":2},"z":1}]},"b":1}',
    )
  })

  it('does not depend on the order keys were written in', () => {
    const one = { action: 'x', details: { roles: ['a', 'b'], scope: 'group', nested: { k2: true, k1: false } } }
    const two = { details: { nested: { k1: false, k2: true }, scope: 'group', roles: ['a', 'b'] }, action: 'x' }
    assert.equal(canonicalJson(one), canonicalJson(two))
    assert.notEqual(canonicalJson({ roles: ['a', 'b'] }), canonicalJson({ roles: ['b', 'a'] }), 'array order counts')
  })

  it('agrees with JSON for scalars, and drops undefined properties as JSON does', () => {
    for (const value of ['text', 'quote " and \\ and \n', 0, -1.25, true, false, null]) {
      assert.equal(canonicalJson(value), JSON.stringify(value))
    }
    assert.equal(canonicalJson(undefined), 'null')
    assert.equal(canonicalJson({ b: undefined, a: 1 }), '{"a":1}')
    assert.equal(canonicalJson([1, undefined]), JSON.stringify([1, undefined]))
    assert.deepEqual(JSON.parse(canonicalJson({ b: [1, { c: 'd' }], a: 'x' })), { a: 'x', b: [1, { c: 'd' }] })
  })
})

describe('hashAround', () => {
  it('splits the canonical JSON at the previous hash, so the trigger computes the hash auditHash does', () => {
    const previous = createHash('sha256').update('the event before').digest('hex')
    const event = {
      occurredAt: new Date('2026-11-23T10:00:00.123Z'),
      actorUserId: null,
      actorUsername: 'analyst',
      action: 'intelligence.viewed',
      subjectType: 'intelligence-report',
      subjectId: 'IR-MDI-2026-000001',
      establishmentCode: 'MDI',
      correlationId: 'req-9',
      compartment: null,
      // Details that look like the field the split is made at, with quotes and characters outside ASCII.
      details: { prevHash: '"previous"', note: 'Ł "quoted" \\ ✓', nested: { prevHash: previous } },
    }
    const [before, after] = hashAround(event)
    const asTheTriggerDoes = createHash('sha256')
      .update(`${before}${JSON.stringify(previous)}${after}`)
      .digest('hex')
    assert.equal(asTheTriggerDoes, auditHash(previous, event))
  })
})

describe('recordAudit', () => {
  it('writes nothing when the transaction it is part of rolls back, and the chain still verifies', async () => {
    const countBefore = await db
      .selectFrom('auditEvent')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const headBefore = await db.selectFrom('auditChainHead').selectAll().executeTakeFirstOrThrow()
    await assert.rejects(
      db.transaction().execute(async trx => {
        await recordAudit(trx, ANALYST, { action: 'user.created', subjectType: 'user', subjectId: 'ghost' })
        throw new Undo()
      }),
      Undo,
    )
    const ghost = await db.selectFrom('auditEvent').select('id').where('subjectId', '=', 'ghost').execute()
    assert.deepEqual(ghost, [])
    const countAfter = await db
      .selectFrom('auditEvent')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(countAfter.n), Number(countBefore.n))
    assert.deepEqual(await db.selectFrom('auditChainHead').selectAll().executeTakeFirstOrThrow(), headBefore)
    assert.deepEqual(await verifyAuditChain(db), { ok: true, events: Number(countBefore.n) })

    // The next event chains on from the last committed one, across the identity value the rollback used up.
    await db
      .transaction()
      .execute(trx => recordAudit(trx, ANALYST, { action: 'sign-out', subjectType: 'user', subjectId: 'analyst' }))
    const last = (await db
      .selectFrom('auditEvent')
      .selectAll()
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()) as StoredAuditEvent
    assert.equal(last.prevHash, headBefore.lastHash)
    assert.deepEqual(await verifyAuditChain(db), { ok: true, events: Number(countBefore.n) + 1 })
  })

  it('hashes details as their JSON, so dates and undefined survive the jsonb round trip and the chain verifies', async () => {
    const at = new Date('2025-01-02T03:04:05.678Z')
    const occurredAt = new Date('2025-02-03T04:05:06.789Z')
    await db.transaction().execute(trx =>
      recordAudit(
        trx,
        ANALYST,
        {
          action: 'dated',
          details: { at, nested: { dates: [new Date(0)], gone: undefined }, gone: undefined },
        },
        occurredAt,
      ),
    )
    const row = (await db
      .selectFrom('auditEvent')
      .selectAll()
      .where('action', '=', 'dated')
      .executeTakeFirstOrThrow()) as StoredAuditEvent
    assert.deepEqual(row.details, { at: '2025-01-02T03:04:05.678Z', nested: { dates: ['1970-01-01T00:00:00.000Z'] } })
    assert.equal(row.occurredAt.toISOString(), occurredAt.toISOString())
    assert.equal(auditHash(row.prevHash, row), row.hash)
    const verdict = await verifyAuditChain(db)
    assert.ok(verdict.ok, JSON.stringify(verdict))
  })
})
