import { londonLocalToIso } from '../modules/intelligence/schema.ts'
import type { RequirementInput, SearchInput } from '../modules/searching/schema.ts'
import type { SearchingService } from '../modules/searching/service.ts'
import { type CurrentUser, loadCurrentUser } from '../platform/access/user.ts'
import type { Db } from '../platform/db/database.ts'
import { addDays, londonToday } from '../platform/deadlines/deadlines.ts'
import { findUserByUsername } from '../platform/users/repository.ts'
import { type Random, randomFrom } from './random.ts'

// Demo search programme and searches (outputs 9 and 10): Moorland's programme as its security department set it five
// weeks ago, and a month of searches by its staff — the gate and visits every day, each wing's cells in turn, the
// communal areas, workshops and a weekly dog search, random and intelligence-led cell searches — with F wing's cells
// and the laundry left overdue. At Full Sutton, in the high security estate, arms and explosives tests. Written
// through the searching service, as staff would.

const CID = 'demo'
const WINGS = ['A', 'B', 'C', 'D', 'E', 'F'] as const

async function demoUser(db: Db, username: string): Promise<CurrentUser> {
  const record = await findUserByUsername(db, username)
  if (!record) throw new Error(`The demo user ${username} is missing: seed the demo accounts first`)
  return loadCurrentUser(db, record, 'session')
}

type Requirement = Omit<RequirementInput, 'startsOn'>

/** Moorland's local searching strategy. */
const PROGRAMME: Requirement[] = [
  ...WINGS.map(
    (wing): Requirement => ({ target: 'cell', location: `${wing} wing`, method: 'standard', everyDays: 28 }),
  ),
  { target: 'area', location: 'Education and library', method: 'standard', everyDays: 7 },
  { target: 'area', location: 'Gym and sports hall', method: 'standard', everyDays: 7 },
  {
    target: 'area',
    location: 'Residential wings',
    method: 'dog',
    everyDays: 7,
    notes: 'Passive drug dog, landings and association',
  },
  { target: 'workshop', location: 'Works department', method: 'standard', everyDays: 14 },
  { target: 'workshop', location: 'Laundry', method: 'standard', everyDays: 14 },
  { target: 'vehicle', location: 'Gate', method: 'standard', everyDays: 1, notes: 'Every vehicle in and out' },
  { target: 'visitor', location: 'Visits hall', method: 'rub-down', everyDays: 1, notes: 'Every visit session' },
]

/** Days ago each weekly, fortnightly or four-weekly requirement was met; daily ones are met every day. */
const MET_ON: Record<string, number[]> = {
  'A wing': [27],
  'B wing': [22],
  'C wing': [18],
  'D wing': [12],
  'E wing': [6],
  'F wing': [],
  'Education and library': [28, 21, 14, 7],
  'Gym and sports hall': [26, 19, 12, 5],
  'Residential wings': [29, 22, 15, 8, 1],
  'Works department': [24, 10],
  Laundry: [20],
}

type Search = Omit<SearchInput, 'officers' | 'result'>

function at(today: string, daysAgo: number, random: Random) {
  const time = `${String(random.int(7, 19)).padStart(2, '0')}:${random.pick(['00', '15', '30', '45'])}`
  return londonLocalToIso(addDays(today, -daysAgo), time)
}

const cell = (random: Random, wing: string) =>
  `${wing}-${random.int(1, 4)}-${String(random.int(1, 36)).padStart(3, '0')}`

/** Demo: the MDI programme and a month of its searches, and FNI's arms and explosives tests. Answers the searches made. */
export async function seedSearchingSearches(db: Db, searching: SearchingService, now = new Date()) {
  const today = londonToday(now)
  const random = randomFrom(14)
  const [head, analyst, reporter, ctAnalyst, fni] = await Promise.all(
    ['head-of-security', 'analyst', 'reporter', 'ct-analyst', 'reporter-fni'].map(username => demoUser(db, username)),
  )
  const staff = [reporter, analyst, head, ctAnalyst]
  const colleagues = ['Rachel Reporter', 'Adam Analyst', 'Hannah Hughes', 'Connor Tate']
  const ids = new Map<string, string>()
  for (const requirement of PROGRAMME) {
    const { id } = await searching.addRequirement(head, { ...requirement, startsOn: addDays(today, -35) }, CID)
    ids.set(requirement.location, id)
  }
  let made = 0
  const record: Recorder = async (by, search, findChance) => {
    const others = colleagues.filter(name => name !== by.displayName)
    await searching.recordSearch(
      by,
      {
        ...search,
        officers: random.chance(0.4) ? random.pick(others) : undefined,
        result: random.chance(findChance) ? 'finds' : 'nothing-found',
      },
      CID,
      now,
    )
    made++
  }
  for (let daysAgo = 30; daysAgo >= 1; daysAgo--) {
    for (const location of ['Gate', 'Visits hall']) {
      const requirement = PROGRAMME.find(r => r.location === location)!
      await record(
        random.pick(staff),
        {
          type: requirement.target,
          location,
          method: requirement.method,
          reason: 'planned',
          requirementId: ids.get(location),
          conductedAt: at(today, daysAgo, random),
        },
        location === 'Visits hall' ? 0.05 : 0.01,
      )
    }
  }
  for (const [location, days] of Object.entries(MET_ON)) {
    const requirement = PROGRAMME.find(r => r.location === location)!
    for (const daysAgo of days) {
      await record(
        random.pick(staff),
        {
          type: requirement.target,
          location,
          method: requirement.method,
          reason: 'planned',
          requirementId: ids.get(location),
          conductedAt: at(today, daysAgo, random),
        },
        requirement.method === 'dog' ? 0.3 : 0.1,
      )
    }
  }
  await randomSearches(record, staff, random, today)
  await intelligenceLed(db, record, [head, analyst, ctAnalyst], random, today)
  made += await armsAndExplosivesTests(searching, fni, random, today, now)
  return made
}

type Recorder = (by: CurrentUser, search: Search, findChance: number) => Promise<void>

/** Random cell searches on every wing, and full searches of prisoners. */
async function randomSearches(record: Recorder, staff: CurrentUser[], random: Random, today: string) {
  for (let i = 0; i < 12; i++) {
    const location = cell(random, random.pick(WINGS))
    await record(
      random.pick(staff),
      {
        type: 'cell',
        location,
        method: 'standard',
        reason: 'random',
        conductedAt: at(today, random.int(1, 30), random),
      },
      0.2,
    )
  }
  for (let i = 0; i < 4; i++) {
    await record(
      random.pick(staff),
      {
        type: 'prisoner',
        location: random.pick(['Reception', 'Segregation unit', 'Visits hall']),
        method: 'full',
        reason: 'random',
        conductedAt: at(today, random.int(1, 30), random),
      },
      0.15,
    )
  }
}

/** Searches raised from open Moorland reports of the last two months, by staff who read intelligence. */
async function intelligenceLed(db: Db, record: Recorder, staff: CurrentUser[], random: Random, today: string) {
  const reports = await db
    .selectFrom('intelligenceReport')
    .select(['ref', 'location'])
    .where('establishmentCode', '=', 'MDI')
    .where('compartment', 'is', null)
    .where('submittedAt', '>=', new Date(`${addDays(today, -60)}T00:00:00Z`))
    .where('submittedAt', '<', new Date(`${addDays(today, -2)}T00:00:00Z`))
    .orderBy('submittedAt', 'desc')
    .limit(6)
    .execute()
  for (const [i, report] of reports.entries()) {
    const wing = /^([A-F]) wing/i.exec(report.location ?? '')?.[1]?.toUpperCase() ?? random.pick(WINGS)
    await record(
      staff[i % staff.length],
      {
        type: 'cell',
        location: cell(random, wing),
        method: i % 3 === 0 ? 'dog' : 'full',
        reason: 'intelligence-led',
        reportRef: report.ref,
        conductedAt: at(today, random.int(1, 2), random),
      },
      0.6,
    )
  }
}

/** Full Sutton, in the high security estate: arms and explosives tests of prisoners and cells. */
async function armsAndExplosivesTests(
  searching: SearchingService,
  by: CurrentUser,
  random: Random,
  today: string,
  now: Date,
) {
  let made = 0
  for (let daysAgo = 28; daysAgo >= 1; daysAgo -= random.int(2, 5)) {
    await searching.recordSearch(
      by,
      {
        type: random.pick(['prisoner', 'cell'] as const),
        location: random.pick(['A wing', 'B wing', 'C wing', 'Separation and care unit', 'Workshops']),
        method: 'arms-explosives-test',
        reason: 'random',
        conductedAt: at(today, daysAgo, random),
        result: 'nothing-found',
      },
      CID,
      now,
    )
    made++
  }
  return made
}
