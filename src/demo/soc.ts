import { allNominals } from '../modules/people/repository.ts'
import { addMonths } from '../modules/soc/rules.ts'
import type { SocService } from '../modules/soc/service.ts'
import { type CurrentUser, loadCurrentUser } from '../platform/access/user.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { Db } from '../platform/db/database.ts'
import { londonToday } from '../platform/deadlines/deadlines.ts'
import { findUserByUsername } from '../platform/users/repository.ts'

// Demo SOC work: an OCGM mapping of a few groups across the demo prisons, Band 1 and Band 2 nominals selected at a
// cohort meeting, plans, triggers, disruptions and one dip sample. Written through the SOC service.

async function demoUser(db: Db, username: string): Promise<CurrentUser> {
  const record = await findUserByUsername(db, username)
  if (!record) throw new Error(`The demo user ${username} is missing: seed the demo accounts first`)
  return loadCurrentUser(db, record, 'session')
}

type DemoPrisoner = { ref: string; establishmentCode: string; pncNumber: string | null }
type Cast = Record<'analyst' | 'socu' | 'head', CurrentUser>
const CID = 'demo'

/** Prisoners of three demo prisons, in a stable order. */
function demoPrisoners(db: Db) {
  return db
    .selectFrom(allNominals(db).as('n'))
    .select(['n.ref', 'n.establishmentCode', 'n.pncNumber'])
    .where('n.kind', '=', 'prisoner')
    .where('n.establishmentCode', 'in', ['MDI', 'LEI', 'FNI'])
    .orderBy('n.ref')
    .execute()
}

/** Three groups: members by prison number, some by PNC only, and one by name only for a person to resolve. */
function ocgmCsv(members: readonly DemoPrisoner[]) {
  const group = (i: number) =>
    i < 6
      ? 'OCG-4101,Eastside supply network,High'
      : i < 11
        ? 'OCG-4102,Harbour money laundering,Medium'
        : 'OCG-4103,Northern firearms,Medium'
  const byPnc = (p: DemoPrisoner, i: number) => i % 3 === 2 && p.pncNumber
  return [
    'group_ref,group_name,significance,prison_number,pnc,name,date_of_birth,role',
    ...members.map(
      (p, i) =>
        `${group(i)},${byPnc(p, i) ? '' : p.ref},${byPnc(p, i) ? p.pncNumber : ''},,,${i % 4 === 0 ? 'Principal' : 'Associate'}`,
    ),
    'OCG-4102,Harbour money laundering,Medium,,,Kieran Walsh,1979-03-14,Associate',
  ].join('\n')
}

/** Nominations, and the cohort selection meeting that decides on them: three Band 1, four Band 2, one not selected. */
async function selectCohort(soc: SocService, cast: Cast, chosen: readonly DemoPrisoner[], today: string) {
  for (const [i, p] of chosen.entries()) {
    await soc.nominate(
      p.establishmentCode === 'MDI' ? cast.analyst : cast.socu,
      {
        prisonerNumber: p.ref,
        nominatedByType: i % 3 === 0 ? 'law-enforcement' : 'prison',
        nominatorName: i % 3 === 0 ? 'North East ROCU' : 'Security department',
        rationale: 'Mapped on OCGM; intelligence of continued involvement in supply from custody.',
        criteria:
          i < 3 ? ['live-significant-threat', 'highly-capable'] : ['ongoing-involvement', 'associate-of-band-1'],
      },
      CID,
    )
  }
  const meeting = await soc.createMeeting(
    cast.socu,
    {
      kind: 'cohort-selection',
      heldOn: addMonths(today, -2),
      attendees: [
        'SOCU North East (chair)',
        'NIU',
        'RIU analyst',
        'HMP Moorland security',
        'Probation intelligence manager',
      ],
      notes: 'Quarterly cohort selection.',
    },
    CID,
  )
  for (const [i, p] of chosen.entries()) {
    await soc.decide(
      cast.socu,
      meeting.ref,
      {
        prisonerNumber: p.ref,
        decision: i < 3 ? 'band-1' : i < 7 ? 'band-2' : 'not-selected',
        reason: i >= 7 ? 'Intent and capability not evidenced' : undefined,
      },
      CID,
    )
  }
}

/** Case plans: SOCU's for two Band 1 nominals, the prison's for one Band 2. */
async function planCases(soc: SocService, cast: Cast, chosen: readonly DemoPrisoner[], today: string) {
  for (const p of chosen.slice(0, 2)) {
    await soc.addAction(
      cast.socu,
      p.ref,
      {
        description: 'Review visitors against OCGM associates',
        owner: 'SOCU North East',
        dueDate: addMonths(today, 1),
        tactic: 'intelligence-development',
      },
      CID,
    )
    await soc.addAction(
      cast.socu,
      p.ref,
      {
        description: 'Financial investigation referral',
        owner: 'ROCU',
        dueDate: addMonths(today, 2),
        tactic: 'financial',
      },
      CID,
    )
  }
  await soc.addAction(
    cast.head,
    chosen[3].ref,
    {
      description: 'Monthly cell search',
      owner: 'Security department',
      dueDate: addMonths(today, 1),
      tactic: 'disruption',
    },
    CID,
  )
}

/** Trigger points for SOCU's work list, two disruptions, a dip sample and an assurance visit. */
async function recordActivity(soc: SocService, cast: Cast, chosen: readonly DemoPrisoner[], today: string, now: Date) {
  if (chosen[0].establishmentCode === 'MDI') {
    const triggers = [
      { code: 'cell-sharing', occurredOn: today, details: 'Moved to a shared cell on B wing' },
      { code: 'employment', occurredOn: today, details: 'Started work in the kitchens' },
    ]
    for (const [i, trigger] of triggers.entries()) await soc.trigger(cast.analyst, chosen[i].ref, trigger, CID)
  }
  const lastMonth = addMonths(today, -1)
  await soc.disrupt(
    cast.analyst,
    {
      prisonerNumber: chosen[0].ref,
      occurredOn: lastMonth,
      what: 'Phone seized in a cell search; its contacts passed to the ROCU',
      impact: 'moderate',
    },
    CID,
  )
  await soc.disrupt(
    cast.socu,
    {
      groupRef: 'OCG-4101',
      occurredOn: lastMonth,
      what: 'Two visitors banned after a conveyance attempt',
      impact: 'major',
    },
    CID,
  )
  // The corrective action says what the sample found, so that the page never contradicts itself.
  const sample = { scope: 'North East / Yorks and Humber', characteristic: 'ethnicity' } as const
  const flagged = (await soc.dipSample(cast.socu, sample, now)).rows.filter(r => r.disproportionate).map(r => r.group)
  const correctiveAction = flagged.length
    ? `${flagged.join(', ')} flagged: the nominations behind it to be reviewed at the next cohort selection meeting.`
    : 'No group flagged; keep under review.'
  await soc.saveDipSample(cast.socu, { ...sample, correctiveAction }, CID, now)
  await soc.recordVisit(
    cast.socu,
    {
      establishmentCode: 'MDI',
      visitedOn: addMonths(today, -2),
      findings: 'Band 1 triggers flagged promptly; Band 2 reviews held monthly at the security meeting.',
    },
    CID,
  )
}

export async function seedDemoSoc(db: Db, soc: SocService, actor: Actor, now = new Date()): Promise<number> {
  const today = londonToday(now)
  const prisoners = await demoPrisoners(db)
  if (prisoners.length < 20) return 0
  const members = Array.from({ length: 14 }, (_, i) => prisoners[((i + 1) * 37) % prisoners.length])
  await soc.importOcgm(actor, { fileName: 'demo-ocgm.csv', text: ocgmCsv(members) }, {}, now)
  const [analyst, socu, head] = await Promise.all(
    ['analyst', 'socu', 'head-of-security'].map(name => demoUser(db, name)),
  )
  const cast = { analyst, socu, head }
  const mdi = members.filter(m => m.establishmentCode === 'MDI')
  const chosen = [...mdi.slice(0, 5), ...members.filter(m => m.establishmentCode !== 'MDI').slice(0, 3)]
  await selectCohort(soc, cast, chosen, today)
  await planCases(soc, cast, chosen, today)
  await recordActivity(soc, cast, chosen, today, now)
  return chosen.length
}
