import { loadEstablishments } from '../reference/establishments.ts'
import type { Db } from './database.ts'
import { migrate } from './migrate.ts'

/** What every start does before serving: migrations, then reference data the schema needs. */
export async function prepareDatabase(db: Db, log: (line: string) => void = () => {}) {
  await migrate(db, log)
  const added = await loadEstablishments(db)
  if (added > 0) log(`loaded ${added} establishments from the prison register`)
}
