import type { CompiledQuery, KyselyPlugin, QueryId } from 'kysely'
import type { Db } from '../src/platform/db/database.ts'

// What the application asks of the database: a Kysely plugin that times every statement from compilation to
// result (so it includes waiting for a pooled connection), and records the SQL of one piece of work on request.

export type SqlTrace = ReturnType<typeof sqlTrace>

export function sqlTrace(db: Db) {
  const started = new WeakMap<QueryId, number>()
  const compiled = new WeakMap<QueryId, CompiledQuery>()
  const totals = { statements: 0, ms: 0 }
  let recording: CompiledQuery[] | null = null
  // Subqueries pass through transformQuery too, but only statements that ran come back through transformResult.
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }) {
      started.set(queryId, performance.now())
      // Added last, this plugin sees the query as it will run (after the snake_case plugin).
      if (recording) compiled.set(queryId, db.getExecutor().compileQuery(node, queryId))
      return node
    },
    async transformResult({ result, queryId }) {
      const at = started.get(queryId)
      if (at !== undefined) {
        totals.statements++
        totals.ms += performance.now() - at
      }
      const query = compiled.get(queryId)
      if (recording && query) recording.push(query)
      return result
    },
  }
  return {
    /** The database to hand to the application and to the floor: the same one, traced. */
    db: db.withPlugin(plugin),
    totals,
    reset() {
      totals.statements = 0
      totals.ms = 0
    },
    /** Every statement `work` runs, with its parameters; nothing else may run meanwhile. */
    async record(work: () => Promise<unknown>): Promise<CompiledQuery[]> {
      recording = []
      try {
        await work()
        return recording
      } finally {
        recording = null
      }
    },
  }
}
