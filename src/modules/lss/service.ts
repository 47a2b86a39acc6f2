import type { Db } from '../../platform/db/database.ts'
import type { EvidenceSource } from '../../platform/evidence/evidence.ts'
import { amendmentUseCases } from './amendments.ts'
import { assuranceUseCases } from './assurance.ts'
import { awarenessUseCases } from './awareness.ts'
import { instructionUseCases } from './instructions.ts'
import { riskAssessmentUseCases } from './risk-assessment.ts'
import { settingsUseCases } from './settings.ts'

export type { AmendmentInput } from './amendments.ts'
export type { InstructionInput } from './instructions.ts'

/**
 * Use cases of the Local Security Strategy, one file per use case: the strategy and its instructions, amendments,
 * staff awareness, the risk assessment, the assurance statement and the settings. Every change writes its audit
 * event in the same transaction; a look at a record of another establishment is audited as lss.view-denied.
 */
export function lssService(db: Db, evidenceSources: readonly EvidenceSource[] = []) {
  return {
    ...instructionUseCases(db),
    ...amendmentUseCases(db),
    ...awarenessUseCases(db),
    ...riskAssessmentUseCases(db, evidenceSources),
    ...assuranceUseCases(db),
    ...settingsUseCases(db),
  }
}
export type LssService = ReturnType<typeof lssService>
