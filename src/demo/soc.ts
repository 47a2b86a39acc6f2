import { addMonths } from '../modules/soc/rules.ts'
import type { SocService } from '../modules/soc/service.ts'
import { type CurrentUser, loadCurrentUser } from '../platform/access/user.ts'
import type { Actor } from '../platform/audit/audit.ts'
import type { Db } from '../platform/db/database.ts'
import { londonToday } from '../platform/deadlines/deadlines.ts'

// Demo SOC work: an OCGM mapping of a few groups across the demo prisons, Band 1 and Band 2 nominals selected at a
// cohort meeting, plans, triggers, disruptions and one dip sample. Written through the SOC service.

async function demoUser(db: Db, username: string): Promise<CurrentUser> {
  const record = await db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName', 'establishmentCode', 'roles', 'scope', 'compartments'])
    .where('username', '=', username)
    .executeTakeFirstOrThrow()
  return loadCurrentUser(db, record, 'session')
}

export async function seedDemoSoc(db: Db, soc: SocService, actor: Actor, now = new Date()): Promise<number> {
  const today = londonToday(now)
  const prisoners = await db
    .selectFrom('peopleNominal')
    .select(['ref', 'firstName', 'lastName', 'establishmentCode', 'pncNumber'])
    .where('kind', '=', 'prisoner')
    .where('establishmentCode', 'in', ['MDI', 'LEI', 'FNI'])
    .orderBy('ref')
    .execute()
  if (prisoners.length < 20) return 0
  const pick = (index: number) => prisoners[(index * 37) % prisoners.length]
  const members = Array.from({ length: 14 }, (_, i) => pick(i + 1))
  const csv = [
    'group_ref,group_name,significance,prison_number,pnc,name,date_of_birth,role',
    ...members.map(
      (p, i) =>
        `${i < 6 ? 'OCG-4101' : i < 11 ? 'OCG-4102' : 'OCG-4103'},${i < 6 ? 'Eastside supply network' : i < 11 ? 'Harbour money laundering' : 'Northern firearms'},${i < 6 ? 'High' : 'Medium'},${i % 3 === 2 && p.pncNumber ? '' : p.ref},${i % 3 === 2 ? (p.pncNumber ?? '') : ''},,,${i % 4 === 0 ? 'Principal' : 'Associate'}`,
    ),
    'OCG-4102,Harbour money laundering,Medium,,,Kieran Walsh,1979-03-14,Associate',
  ].join('\n')
  await soc.importOcgm(actor, { fileName: 'demo-ocgm.csv', text: csv }, {}, now)

  const [analyst, socu, head] = await Promise.all(
    ['analyst', 'socu', 'head-of-security'].map(name => demoUser(db, name)),
  )
  const cid = 'demo'
  const mdi = members.filter(m => m.establishmentCode === 'MDI')
  const chosen = [...mdi.slice(0, 5), ...members.filter(m => m.establishmentCode !== 'MDI').slice(0, 3)]
  for (const [i, p] of chosen.entries()) {
    const nominator = p.establishmentCode === 'MDI' ? analyst : socu
    await soc.nominate(
      nominator,
      {
        prisonerNumber: p.ref,
        nominatedByType: i % 3 === 0 ? 'law-enforcement' : 'prison',
        nominatorName: i % 3 === 0 ? 'North East ROCU' : 'Security department',
        rationale: 'Mapped on OCGM; intelligence of continued involvement in supply from custody.',
        criteria:
          i < 3 ? ['live-significant-threat', 'highly-capable'] : ['ongoing-involvement', 'associate-of-band-1'],
      },
      cid,
    )
  }
  const meeting = await soc.createMeeting(
    socu,
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
    cid,
  )
  for (const [i, p] of chosen.entries()) {
    await soc.decide(
      socu,
      meeting.ref,
      {
        prisonerNumber: p.ref,
        decision: i < 3 ? 'band-1' : i < 7 ? 'band-2' : 'not-selected',
        reason: i >= 7 ? 'Intent and capability not evidenced' : undefined,
      },
      cid,
    )
  }
  for (const p of chosen.slice(0, 2)) {
    await soc.addAction(
      socu,
      p.ref,
      {
        description: 'Review visitors against OCGM associates',
        owner: 'SOCU North East',
        dueDate: addMonths(today, 1),
        tactic: 'intelligence-development',
      },
      cid,
    )
    await soc.addAction(
      socu,
      p.ref,
      {
        description: 'Financial investigation referral',
        owner: 'ROCU',
        dueDate: addMonths(today, 2),
        tactic: 'financial',
      },
      cid,
    )
  }
  await soc.addAction(
    head,
    chosen[3].ref,
    {
      description: 'Monthly cell search',
      owner: 'Security department',
      dueDate: addMonths(today, 1),
      tactic: 'disruption',
    },
    cid,
  )
  if (chosen[0].establishmentCode === 'MDI') {
    await soc.trigger(
      analyst,
      chosen[0].ref,
      { code: 'cell-sharing', occurredOn: today, details: 'Moved to a shared cell on B wing' },
      cid,
    )
    await soc.trigger(
      analyst,
      chosen[1].ref,
      { code: 'employment', occurredOn: today, details: 'Started work in the kitchens' },
      cid,
    )
  }
  await soc.disrupt(
    analyst,
    {
      prisonerNumber: chosen[0].ref,
      occurredOn: addMonths(today, -1),
      what: 'Phone seized in a cell search; its contacts passed to the ROCU',
      impact: 'moderate',
    },
    cid,
  )
  await soc.disrupt(
    socu,
    {
      groupRef: 'OCG-4101',
      occurredOn: addMonths(today, -1),
      what: 'Two visitors banned after a conveyance attempt',
      impact: 'major',
    },
    cid,
  )
  await soc.saveDipSample(
    socu,
    {
      scope: 'North East / Yorks and Humber',
      characteristic: 'ethnicity',
      correctiveAction: 'No group flagged; keep under review.',
    },
    cid,
    now,
  )
  await soc.recordVisit(
    socu,
    {
      establishmentCode: 'MDI',
      visitedOn: addMonths(today, -2),
      findings: 'Band 1 triggers flagged promptly; Band 2 reviews held monthly at the security meeting.',
    },
    cid,
  )
  return chosen.length
}
