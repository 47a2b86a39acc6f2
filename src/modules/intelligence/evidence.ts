import { sql } from 'kysely'
import type { EvidenceSource } from '../lss/service.ts'
import { THREAT_AREA_NAMES, type ThreatArea } from './rules.ts'

/**
 * Evidence for the LSS risk assessment (LSS PF 6.5, "Intelligence system"): reports received in the period by threat
 * area. Counts only, of open (non-compartmented) reports: no intelligence text leaves the module.
 */
export const intelligenceEvidence: EvidenceSource = {
  source: 'Intelligence system',
  async figures(db, establishmentCode, since) {
    const { rows } = await sql<{ area: string; n: number }>`
      select area, count(*)::int as n
      from intelligence_report r, unnest(r.threat_areas) as area
      where r.establishment_code = ${establishmentCode} and r.submitted_at >= ${since} and r.compartment is null
      group by area order by n desc`.execute(db)
    return rows.map(row => ({
      label: `Reports about ${THREAT_AREA_NAMES[row.area as ThreatArea] ?? row.area}`,
      value: row.n,
    }))
  },
}
