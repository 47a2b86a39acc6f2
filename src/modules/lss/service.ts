import type { Db } from '../../platform/db/database.ts'
import type { EvidenceSource } from '../../platform/evidence/evidence.ts'
import { amendments } from './amendments.ts'
import { assurance } from './assurance.ts'
import { awareness } from './awareness.ts'
import { instructions } from './instructions.ts'
import { riskAssessment } from './risk-assessment.ts'
import { lssSettings } from './settings.ts'

export type { AmendmentInput } from './amendments.ts'
export type { InstructionInput } from './instructions.ts'

/**
 * Use cases of the Local Security Strategy, one file per use case: the strategy and its instructions, amendments,
 * staff awareness, the risk assessment, the assurance statement and the settings. Every change writes its audit
 * event in the same transaction; a look at a record of another establishment is audited as lss.view-denied.
 */
export function lssService(db: Db, evidenceSources: readonly EvidenceSource[] = []) {
  return {
    ...instructions(db),
    ...amendments(db),
    ...awareness(db),
    ...riskAssessment(db, evidenceSources),
    ...assurance(db),
    ...lssSettings(db),
  }
}
export type LssService = ReturnType<typeof lssService>
