import type { Actor } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { establishmentUseCases } from './establishments.ts'
import { flagUseCases } from './flags.ts'
import { importPrisoners } from './imports.ts'
import { nominalUseCases } from './nominals.ts'

export { SEARCH_PAGE_SIZE } from './nominals.ts'

/** Use cases for people and their flags. Every read and write is scoped to what the user may see. */
export function peopleService(db: Db) {
  return {
    ...nominalUseCases(db),
    ...flagUseCases(db),
    ...establishmentUseCases(db),
    /** Prisoners in the Prisoner Search shape, from the page or the API (the command line calls the import itself). */
    importPrisoners: (actor: Actor, input: { fileName: string; records: unknown[] }) =>
      importPrisoners(db, actor, input),
  }
}
export type PeopleService = ReturnType<typeof peopleService>
