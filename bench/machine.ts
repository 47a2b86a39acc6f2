import { readFileSync } from 'node:fs'
import os from 'node:os'
import { sql } from 'kysely'
import type { Db } from '../src/platform/db/database.ts'

// The machine a result was measured on: figures mean nothing without it.

export type Machine = {
  cores: number
  cpu: string
  memoryGb: number
  node: string
  database: 'pglite' | 'postgres'
  postgres: string
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find(l => l.startsWith('model name'))
    if (line) return line.split(':')[1].trim()
  } catch {
    // Not Linux: fall back to what Node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown'
}

export async function describeMachine(db: Db, database: Machine['database']): Promise<Machine> {
  const { rows } = await sql<{ version: string }>`select version() as version`.execute(db)
  return {
    cores: os.availableParallelism(),
    cpu: cpuModel(),
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    database,
    postgres: rows[0].version.split(' on ')[0].split(',')[0],
  }
}
