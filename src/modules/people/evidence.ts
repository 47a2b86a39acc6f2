import type { EvidenceSource } from '../../platform/evidence/evidence.ts'
import type { PeopleService } from './service.ts'

/** Evidence for the LSS risk assessment: prisoners held with each active security flag, today. */
export function flagEvidence(people: PeopleService): EvidenceSource {
  return {
    source: 'Vulnerability assessments',
    async figures(establishmentCode) {
      const rows = await people.flaggedPrisonerCounts(establishmentCode)
      return rows.map(row => ({ label: `Prisoners flagged ${row.description}`, value: row.n }))
    },
  }
}
