import { sql } from 'kysely'
import type { EvidenceSource } from '../lss/service.ts'

/** Evidence for the LSS risk assessment: prisoners held with each active security flag, today. */
export const flagEvidence: EvidenceSource = {
  source: 'Vulnerability assessments',
  async figures(db, establishmentCode) {
    const { rows } = await sql<{ description: string; n: number }>`
      select c.description, count(distinct a.nominal_id)::int as n
      from people_alert a
      join people_alert_code c on c.code = a.alert_code
      join people_nominal n on n.id = a.nominal_id
      join lateral (select * from people_alert_version v where v.alert_id = a.id order by v.version desc limit 1) v on true
      where n.establishment_code = ${establishmentCode} and n.in_custody and n.compartment is null
        and c.visible_to_roles is null
        and v.active_from <= current_date and (v.active_to is null or v.active_to > current_date)
      group by c.description order by n desc`.execute(db)
    return rows.map(row => ({ label: `Prisoners flagged ${row.description}`, value: row.n }))
  },
}
