import type { Db } from '../../platform/db/database.ts'
import { assessmentUseCases } from './assessment.ts'
import { disseminationUseCases } from './dissemination.ts'
import { phoneInterrogationUseCases } from './interrogations.ts'
import { readingUseCases } from './reading.ts'
import { settingsUseCases } from './settings.ts'
import { submissionUseCases } from './submission.ts'
import { triageUseCases } from './triage.ts'

export { SEARCH_PAGE_SIZE } from './reading.ts'

/**
 * Use cases of intelligence, one file each: every one checks scope and compartments in SQL and writes its audit
 * event in the same transaction.
 */
export function intelligenceService(db: Db) {
  const reading = readingUseCases(db)
  return {
    ...submissionUseCases(db),
    ...reading,
    ...triageUseCases(db),
    ...assessmentUseCases(db),
    ...disseminationUseCases(db, reading.read),
    ...settingsUseCases(db),
    ...phoneInterrogationUseCases(db),
  }
}
export type IntelligenceService = ReturnType<typeof intelligenceService>
