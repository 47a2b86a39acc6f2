import type { EvidenceSource } from '../../platform/evidence/evidence.ts'
import { THREAT_AREA_NAMES, type ThreatArea } from './rules.ts'
import type { IntelligenceService } from './service.ts'

/**
 * Evidence for the LSS risk assessment (LSS PF 6.5, "Intelligence system"): reports received in the period by threat
 * area. Counts only, of open (non-compartmented) reports: no intelligence text leaves the module.
 */
export function intelligenceEvidence(intelligence: IntelligenceService): EvidenceSource {
  return {
    source: 'Intelligence system',
    async figures(establishmentCode, since) {
      const rows = await intelligence.reportsByThreatArea(establishmentCode, since)
      return rows.map(row => ({
        label: `Reports about ${THREAT_AREA_NAMES[row.area as ThreatArea] ?? row.area}`,
        value: row.n,
      }))
    },
  }
}
