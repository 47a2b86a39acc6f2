import { sql } from 'kysely'
import type { Db } from '../src/platform/db/database.ts'

// How big the data set is: exact row counts of the tables the benchmark reads and writes.

export const COUNTED_TABLES = [
  'establishment',
  'people_nominal',
  'people_alias',
  'people_alert',
  'intelligence_report',
  'intelligence_status_change',
  'intelligence_grading',
  'intelligence_nominal_link',
  'intelligence_entity',
  'intelligence_report_entity',
  'intelligence_dissemination',
  'audit_event',
] as const

export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of COUNTED_TABLES) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)
    counts[table] = rows[0].n
  }
  return counts
}

/** The size of the database on disk, as PostgreSQL reports it. */
export async function databaseBytes(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select pg_database_size(current_database())::bigint as n`.execute(db)
  return rows[0].n
}

/** The data set the generator last wrote here, from its audit event; null when the database was not generated. */
export async function generatedDataSet(db: Db): Promise<{ scale: string; seed: number } | null> {
  const row = await db
    .selectFrom('auditEvent')
    .select('details')
    .where('action', '=', 'synthetic.generate-started')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row ? (row.details as { scale: string; seed: number }) : null
}
