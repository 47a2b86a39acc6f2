import type { Db } from '../../platform/db/database.ts'
import { caseManagementUseCases } from './case-management.ts'
import { choiceUseCases } from './choices.ts'
import { cohortUseCases } from './cohort.ts'
import { disruptionUseCases } from './disruptions.ts'
import { equalityUseCases } from './equality.ts'
import { nominalUseCases } from './nominals.ts'
import { ocgmUseCases } from './ocgm.ts'
import { visitUseCases } from './visits.ts'

/**
 * Use cases of SOC offender management, one file per use case: reading nominals, cohort selection, case
 * management, disruptions, the OCGM mapping, equality dip samples and assurance visits. Prison scope and
 * compartments apply through the person's record; every change writes its audit event in the same transaction,
 * and a look at a nominal or meeting outside scope is audited as soc.view-denied.
 */
export function socService(db: Db) {
  return {
    ...nominalUseCases(db),
    ...cohortUseCases(db),
    ...caseManagementUseCases(db),
    ...disruptionUseCases(db),
    ...ocgmUseCases(db),
    ...equalityUseCases(db),
    ...visitUseCases(db),
    ...choiceUseCases(db),
  }
}
export type SocService = ReturnType<typeof socService>
