import { readFileSync } from 'node:fs'
import type { Executor } from '../db/database.ts'
import { csvObjects } from '../imports/csv.ts'
import { ESTABLISHMENT_AREAS } from './establishment-areas.ts'

// The prisons of England and Wales from the prison register (see establishments.README.md beside this file).
const CSV = new URL('./establishments.csv', import.meta.url)

export type EstablishmentReference = {
  code: string
  name: string
  prisonGroup: string | null
  socuRegion: string | null
  highSecurity: boolean
  gender: 'male' | 'female' | 'mixed' | null
}

export function establishmentReference(): EstablishmentReference[] {
  return csvObjects(readFileSync(CSV, 'utf8')).rows.map(({ fields }) => {
    const area = ESTABLISHMENT_AREAS[fields.code]
    const gender = fields.gender
    return {
      code: fields.code,
      name: fields.name,
      prisonGroup: area?.prisonGroup ?? null,
      socuRegion: area?.socuRegion ?? null,
      highSecurity: fields.high_security === 'true',
      gender: gender === 'male' || gender === 'female' || gender === 'mixed' ? gender : null,
    }
  })
}

/**
 * Adds any establishment the database does not hold yet. Existing rows are left alone: administrators may have
 * corrected a name, group or region, and reference codes are deactivated, never deleted.
 */
export async function loadEstablishments(db: Executor): Promise<number> {
  const rows = establishmentReference().map(row => ({ ...row, functions: [] }))
  const inserted = await db
    .insertInto('establishment')
    .values(rows)
    .onConflict(oc => oc.column('code').doNothing())
    .returning('code')
    .execute()
  return inserted.length
}

/** The names of establishments by code, in one query; a code the table lacks stands for itself. */
export async function establishmentNames(db: Executor, codes: readonly string[]): Promise<Map<string, string>> {
  const names = new Map(codes.map(code => [code, code]))
  if (codes.length === 0) return names
  const rows = await db
    .selectFrom('establishment')
    .select(['code', 'name'])
    .where('code', 'in', [...codes])
    .execute()
  for (const row of rows) names.set(row.code, row.name)
  return names
}
