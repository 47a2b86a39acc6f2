import type { Db } from '../../platform/db/database.ts'
import { phoneInterrogationUseCases } from '../intelligence/interrogations.ts'
import { controlsUseCases } from './controls.ts'
import { exhibitUseCases } from './exhibits.ts'
import { findUseCases } from './finds.ts'
import { type PhoneIntelligence, phoneUseCases } from './phones.ts'
import { searchUseCases } from './searches.ts'

/**
 * Use cases of searching, finds and evidence (service specification outputs 9 to 15), one file per part: the search
 * programme and searches, finds, exhibits and their chain, seized phones, visitors and authorised items. Every change
 * writes its audit event in the same transaction. A seized phone's result is recorded as intelligence, through the
 * intelligence service.
 */
export function searchingService(
  db: Db,
  // app.ts passes the intelligence service; a script or test that builds searching alone gets the same use cases.
  deps: { intelligence: PhoneIntelligence } = { intelligence: phoneInterrogationUseCases(db) },
) {
  return {
    ...searchUseCases(db),
    ...controlsUseCases(db),
    ...findUseCases(db),
    ...exhibitUseCases(db),
    ...phoneUseCases(db, deps.intelligence),
  }
}
export type SearchingService = ReturnType<typeof searchingService>
