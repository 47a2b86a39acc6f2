import type { AssessmentItem } from '../modules/lss/risk-assessment.ts'
import type { LssService } from '../modules/lss/service.ts'
import { type CurrentUser, loadCurrentUser } from '../platform/access/user.ts'
import type { Db } from '../platform/db/database.ts'
import { findUserByUsername } from '../platform/users/repository.ts'

// A full Local Security Strategy for the first demo establishment: instructions in every risk area, amendments in
// every status, a completed and an in-progress risk assessment. Written through the LSS service, as people would.

type Instruction = {
  riskArea: string
  title: string
  owner: string
  aim: string
  national: string
  local: string
  procedures: string
}

const INSTRUCTIONS: Instruction[] = [
  {
    riskArea: 'conveyance',
    title: 'Searching at the gate',
    owner: 'Head of Operations',
    aim: 'To stop illicit items being conveyed into the prison by staff, visitors and contractors.',
    national: 'NSF 3.1 Searching of the Person; NSF 6.3 Conveyance and Possession of Prohibited Items',
    local: 'MDI-LSS-CON-01',
    procedures:
      'All staff entering through the gate are subject to a rub-down search on a random basis of at least one in five.\nBags are X-rayed.\nFinds are recorded in Portcullis and the item bagged as evidence.',
  },
  {
    riskArea: 'conveyance',
    title: 'Drone incursions',
    owner: 'Head of Security',
    aim: 'To detect and respond to drones over the prison.',
    national: 'NSF 6.3 Conveyance and Possession of Prohibited Items',
    local: 'MDI-LSS-CON-02',
    procedures:
      'Any sighting is reported to the communications room at once.\nThe area beneath the flight path is searched before prisoners are unlocked.\nThe police are informed through the PIO.',
  },
  {
    riskArea: 'conveyance',
    title: 'Visits hall supervision',
    owner: 'Head of Visits',
    aim: 'To prevent items being passed during social visits.',
    national: 'NSF 3.1 Searching of the Person',
    local: 'MDI-LSS-CON-03',
    procedures:
      'Two officers supervise each session from fixed points with sight of every table.\nCCTV is monitored throughout.\nPrisoners are searched on leaving the hall.',
  },
  {
    riskArea: 'escape-abscond',
    title: 'E-List prisoners',
    owner: 'Head of Security',
    aim: 'To manage prisoners assessed as an escape risk.',
    national: 'NSF 6.6 Management and Security of E List Prisoners',
    local: 'MDI-LSS-ESC-01',
    procedures:
      'E-List prisoners wear distinctive clothing and are located in cells checked daily.\nTheir location is confirmed at every roll check and movement.\nThe E-List book travels with them.',
  },
  {
    riskArea: 'escape-abscond',
    title: 'Escorts and bed watches',
    owner: 'Head of Operations',
    aim: 'To keep prisoners secure outside the prison.',
    national: 'NSF 7.1 External Prisoner Movement',
    local: 'MDI-LSS-ESC-02',
    procedures:
      'A risk assessment is completed before every escort.\nRestraints follow the assessment.\nThe PER travels with the prisoner.',
  },
  {
    riskArea: 'illicit-communications',
    title: 'Mobile phone finds',
    owner: 'Head of Security',
    aim: 'To recover, preserve and exploit illicit phones.',
    national: 'NSF 6.8 Instructions on Handling Mobile Phones and SIM Card Seizures',
    local: 'MDI-LSS-COM-01',
    procedures:
      'Phones are handled with gloves, bagged and sealed.\nThe IMEI is recorded in Portcullis.\nThe handset is sent for interrogation within 48 hours.',
  },
  {
    riskArea: 'illicit-communications',
    title: 'PIN phone monitoring',
    owner: 'Head of Security',
    aim: 'To monitor prisoner calls for security purposes within the law.',
    national: 'NSF 4.4 Interception of Communications',
    local: 'MDI-LSS-COM-02',
    procedures:
      'Calls of prisoners subject to monitoring are listened to within 24 hours.\nA sudden change in a prisoner’s use of the PIN phone is reported as intelligence.',
  },
  {
    riskArea: 'illicit-economy',
    title: 'Debt and trading',
    owner: 'Head of Residence',
    aim: 'To disrupt the illicit economy on the wings.',
    national: 'NSF 6.3 Conveyance and Possession of Prohibited Items',
    local: 'MDI-LSS-ECO-01',
    procedures:
      'Staff report excessive property or canteen.\nCell clearances are recorded.\nPrisoners in debt are offered support through safer custody.',
  },
  {
    riskArea: 'violence-disorder',
    title: 'Staff assaulters',
    owner: 'Head of Safety',
    aim: 'To protect staff from prisoners who have assaulted staff.',
    national: 'PSI 64/2011 Safer Custody',
    local: 'MDI-LSS-VIO-01',
    procedures:
      'Prisoners flagged as staff assaulters are unlocked by at least two officers.\nThe flag is reviewed every three months.',
  },
  {
    riskArea: 'violence-disorder',
    title: 'Concerted indiscipline',
    owner: 'Governor',
    aim: 'To respond to incidents of concerted indiscipline.',
    national: 'NSF 2.1 Incident Management',
    local: 'MDI-LSS-VIO-02',
    procedures:
      'Command suite opens on the Governor’s authority.\nGold command is informed.\nThe incident is logged in Portcullis and NOMIS.',
  },
  {
    riskArea: 'cross-cutting',
    title: 'Key security',
    owner: 'Head of Security',
    aim: 'To control keys and locks so that no key is lost or copied.',
    national: 'NSF 6.2 Security and Management of Keys and Locks',
    local: 'MDI-LSS-KEY-01',
    procedures:
      'Keys are drawn with a personal tally and never leave the establishment.\nA lost key is reported at once and the locks it opens are secured.',
  },
]

async function demoUser(db: Db, username: string): Promise<CurrentUser> {
  const record = await findUserByUsername(db, username)
  if (!record) throw new Error(`The demo user ${username} is missing: seed the demo accounts first`)
  return loadCurrentUser(db, record, 'session')
}

type DemoPeople = Record<'head' | 'governor' | 'pgd' | 'ed' | 'analyst', CurrentUser>

const CID = 'demo'

/** Seeds the demo LSS once; returns the number of instructions created. */
export async function seedDemoLss(db: Db, lss: LssService, now = new Date()): Promise<number> {
  const [head, governor, pgd, ed, analyst] = await Promise.all(
    ['head-of-security', 'governor', 'pgd', 'ed-security', 'analyst'].map(name => demoUser(db, name)),
  )
  const people = { head, governor, pgd, ed, analyst }
  const ids = await seedInstructions(lss, people, now)
  await seedAmendments(lss, people, ids, now)
  // Staff awareness: some have read, some have not.
  for (const id of ids.slice(0, 6)) await lss.acknowledge(analyst, id)
  await seedAssessments(lss, people, now)
  return ids.length
}

async function seedInstructions(lss: LssService, { head }: DemoPeople, now: Date) {
  const ids: string[] = []
  for (const i of INSTRUCTIONS) {
    const { id } = await lss.createInstruction(
      head,
      {
        riskArea: i.riskArea,
        title: i.title,
        owner: i.owner,
        aimAndPurpose: i.aim,
        nationalReference: i.national,
        localReference: i.local,
        procedures: i.procedures,
        supportingTools: [],
        reviewDue: new Date(now.getTime() + (20 + ids.length * 30) * 86_400_000).toISOString().slice(0, 10),
      },
      CID,
      // Published before the earliest amendment to it.
      new Date(now.getTime() - 120 * 86_400_000),
    )
    ids.push(id)
  }
  return ids
}

type DemoAmendment = {
  index: number
  /** The procedures as amended: the whole text, so that a replaced sentence does not stay beside its replacement. */
  procedures: (current: string) => string
  change: string
  reasoning: string
  relatesTo: 'category-a' | 'restricted-status' | 'none'
  pgdAgreement?: boolean
  daysAgo: number
}

const add = (sentence: string) => (current: string) => `${current}\n${sentence}`

const DEMO_AMENDMENTS = {
  approved: {
    index: 0,
    procedures: add('Contractors’ tools are checked against the tool list on entry and exit.'),
    change: 'Contractors’ tools are checked against the tool list on entry and exit.',
    reasoning: 'A contractor’s tool was found on the exercise yard in June; nothing recorded which tools had come in.',
    relatesTo: 'none',
    daysAgo: 84,
  },
  rejected: {
    index: 1,
    procedures: add('The drone response team is stood down at night.'),
    change: 'The drone response team is stood down at night.',
    reasoning: 'Night shifts are short of staff, and the team has had few call-outs between midnight and six.',
    relatesTo: 'none',
    daysAgo: 61,
  },
  awaitingGovernor: {
    index: 2,
    procedures: add('Visitors’ children’s clothing may be searched with the parent present.'),
    change: 'Visitors’ children’s clothing may be searched with the parent present.',
    reasoning: 'Two packages passed in visits this quarter were hidden in a toddler’s clothing.',
    relatesTo: 'none',
    daysAgo: 3,
  },
  awaitingPgd: {
    index: 3,
    procedures: current =>
      current.replace('cells checked daily', 'cells checked daily, and are moved cell at least every 28 days'),
    change: 'E-List prisoners are moved cell at least every 28 days.',
    reasoning: 'The escape attempt at a nearby prison in the spring followed months of work on one cell window.',
    relatesTo: 'none',
    pgdAgreement: true,
    daysAgo: 12,
  },
  awaitingEd: {
    index: 4,
    procedures: add('Restricted Status prisoners on escort are handcuffed to two officers.'),
    change: 'Restricted Status prisoners on escort are handcuffed to two officers.',
    reasoning: 'The prison now holds a Restricted Status prisoner, who attends hospital appointments every month.',
    relatesTo: 'restricted-status',
    daysAgo: 20,
  },
  withdrawn: {
    index: 5,
    procedures: current => current.replace('within 48 hours', 'within a week'),
    change: 'Phones are sent for interrogation within a week, not 48 hours.',
    reasoning: 'The regional laboratory cannot take handsets within 48 hours at current volumes.',
    relatesTo: 'none',
    daysAgo: 35,
  },
  throughTheWholeRoute: {
    index: 8,
    procedures: current =>
      current.replace('The flag is reviewed every three months.', 'The flag is reviewed every month.'),
    change: 'The staff assaulter flag is reviewed monthly, not quarterly.',
    reasoning: 'Three of the last five assaults on staff were by prisoners whose flag had lapsed between reviews.',
    relatesTo: 'restricted-status',
    pgdAgreement: true,
    daysAgo: 47,
  },
} satisfies Record<string, DemoAmendment>

/** Amendments in every status: approved, rejected, awaiting each approver, withdrawn; each with its own reason and day. */
async function seedAmendments(lss: LssService, { head, governor, pgd, ed }: DemoPeople, ids: string[], now: Date) {
  const day = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000)
  const amend = (a: DemoAmendment) => {
    const i = INSTRUCTIONS[a.index]
    const input = {
      instructionId: ids[a.index],
      aimAndPurpose: i.aim,
      nationalReference: i.national,
      localReference: i.local,
      procedures: a.procedures(i.procedures),
      change: a.change,
      reasoning: a.reasoning,
      relatesTo: a.relatesTo,
      pgdAgreement: a.pgdAgreement ?? false,
    }
    return lss.propose(head, input, CID, day(a.daysAgo))
  }
  // Each decision a day or two after the one before it.
  const approve = (by: CurrentUser, id: string, daysAgo: number) =>
    lss.decide(by, id, { decision: 'approve' }, CID, day(daysAgo))
  const { approved, rejected, awaitingGovernor, awaitingPgd, awaitingEd, withdrawn } = DEMO_AMENDMENTS
  await approve(governor, (await amend(approved)).amendment.id, approved.daysAgo - 2)
  const refused = await amend(rejected)
  const reason = 'Night-time drops are the main risk: keep the team on.'
  await lss.decide(governor, refused.amendment.id, { decision: 'reject', reason }, CID, day(rejected.daysAgo - 4))
  await amend(awaitingGovernor)
  // Awaiting the PGD, after the Governor chose to agree it with them.
  await approve(governor, (await amend(awaitingPgd)).amendment.id, awaitingPgd.daysAgo - 1)
  // Awaiting the Executive Director: Restricted Status outside the high security estate (LSS PF 4.15).
  await approve(governor, (await amend(awaitingEd)).amendment.id, awaitingEd.daysAgo - 2)
  const taken = await amend(withdrawn)
  await lss.withdraw(head, taken.amendment.id, CID, { now: day(withdrawn.daysAgo - 6) })
  const full = await amend(DEMO_AMENDMENTS.throughTheWholeRoute)
  for (const [n, by] of [governor, pgd, ed].entries()) await approve(by, full.amendment.id, 45 - n * 2)
}

/** A completed risk assessment and one in progress. */
async function seedAssessments(lss: LssService, { head }: DemoPeople, now: Date) {
  const first = await lss.startAssessment(head, { reason: 'annual' }, CID)
  for (const item of firstAssessmentItems(now)) await lss.addToAssessment(head, first.ref, item, CID)
  await lss.completeAssessment(
    head,
    first.ref,
    'Conveyance over the workshop fence and staffing on C wing are the priorities for the year.',
    CID,
  )
  // The significant change in risk that prompted the second assessment (LSS PF 4.12), recorded as it happened.
  const opened = new Date(now.getTime() - 14 * 86_400_000).toISOString().slice(0, 10)
  const change = 'A new houseblock of 120 places opened, and its first prisoners arrived from three other prisons.'
  await lss.recordSignificantChange(head, { recordedOn: opened, description: change }, CID)
  const second = await lss.startAssessment(
    head,
    { reason: 'significant-change', reasonNote: 'A new houseblock opened.' },
    CID,
  )
  await lss.addToAssessment(
    head,
    second.ref,
    { kind: 'contributor', name: 'Hannah Hughes', department: 'Security' },
    CID,
  )
}

function firstAssessmentItems(now: Date): AssessmentItem[] {
  return [
    { kind: 'contributor', name: 'Hannah Hughes', department: 'Security' },
    { kind: 'contributor', name: 'Sam Rivers', department: 'Residential' },
    { kind: 'contributor', name: 'Dr Priya Nair', department: 'Healthcare' },
    {
      kind: 'finding',
      threatArea: 'conveyance',
      component: 'physical',
      finding: 'vulnerability',
      text: 'The perimeter fence behind the workshops has no netting, and three throw-overs were found there this year.',
      evidence: ['Finds', 'Intelligence system'],
    },
    {
      kind: 'finding',
      threatArea: 'illicit-communications',
      component: 'intelligence',
      finding: 'strength',
      text: 'Phone finds are exploited quickly: IMEIs are linked to nominals within 48 hours.',
      evidence: ['Intelligence system'],
    },
    {
      kind: 'finding',
      threatArea: 'violence-disorder',
      component: 'dynamic',
      finding: 'vulnerability',
      text: 'Staff turnover on C wing has weakened relationships with prisoners.',
      evidence: ['Incidents', 'Safety statistics'],
    },
    {
      kind: 'action',
      description: 'Install netting behind the workshops.',
      owner: 'Head of Estates',
      dueDate: new Date(now.getTime() + 60 * 86_400_000).toISOString().slice(0, 10),
    },
  ]
}
