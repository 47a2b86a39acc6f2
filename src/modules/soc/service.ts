import type { Db } from '../../platform/db/database.ts'
import { caseManagement } from './case-management.ts'
import { cohortSelection } from './cohort.ts'
import { disruptionRecords } from './disruptions.ts'
import { equalityDipSamples } from './equality.ts'
import { nominalReads } from './nominals.ts'
import { ocgmMapping } from './ocgm.ts'
import { assuranceVisits } from './visits.ts'

/**
 * Use cases of SOC offender management, one file per use case: reading nominals, cohort selection, case
 * management, disruptions, the OCGM mapping, equality dip samples and assurance visits. Prison scope and
 * compartments apply through the person's record; every change writes its audit event in the same transaction,
 * and a look at a nominal or meeting outside scope is audited as soc.view-denied.
 */
export function socService(db: Db) {
  return {
    ...nominalReads(db),
    ...cohortSelection(db),
    ...caseManagement(db),
    ...disruptionRecords(db),
    ...ocgmMapping(db),
    ...equalityDipSamples(db),
    ...assuranceVisits(db),
  }
}
export type SocService = ReturnType<typeof socService>
