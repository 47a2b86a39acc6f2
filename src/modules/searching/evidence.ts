import type { EvidenceSource } from '../../platform/evidence/evidence.ts'
import { FIND_CATEGORY_NAMES, type FindCategory } from './rules.ts'
import type { SearchingService } from './service.ts'

/**
 * Evidence for the LSS risk assessment (LSS PF 6.5, "Finds"): what was found at the prison in the period, by
 * category. Every category is given, a nil return included, so that a year without phone finds says so.
 */
export function findsEvidence(searching: SearchingService): EvidenceSource {
  return {
    source: 'Finds',
    async figures(establishmentCode, since) {
      const rows = await searching.findsByCategorySince(establishmentCode, since)
      return Object.entries(FIND_CATEGORY_NAMES).map(([category, name]) => ({
        label: `Finds: ${name.toLowerCase()}`,
        value: rows.find(row => row.category === (category as FindCategory))?.n ?? 0,
      }))
    },
  }
}
