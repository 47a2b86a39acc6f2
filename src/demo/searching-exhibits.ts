import type { CustodyEventRequest } from '../modules/searching/exhibits.ts'
import { hasDemoExhibits, insertFindForDemoExhibits } from '../modules/searching/repository.ts'
import { FIND_AREAS, wingOf } from '../modules/searching/rules.ts'
import type { SearchingService } from '../modules/searching/service.ts'
import { type CurrentUser, loadCurrentUser } from '../platform/access/user.ts'
import type { Db } from '../platform/db/database.ts'
import { drawReference } from '../platform/reference/codes.ts'
import { findUserByUsername } from '../platform/users/repository.ts'
import { randomFrom } from './random.ts'
import { FIRST_ESTABLISHMENT } from './users.ts'

// Demo exhibits at the demo prison (output 12), one in every state, written through the searching service at the
// times they happened: with the officer who found it, in the evidence store, with the police under a hold, returned by
// the police, disposed of; one whose chain has a gap, and one re-sealed in front of a witness.

const CID = 'demo'
const HOUR = 3_600_000
const DAY = 24 * HOUR

async function demoUser(db: Db, username: string): Promise<CurrentUser> {
  const record = await findUserByUsername(db, username)
  if (!record) throw new Error(`The demo user ${username} is missing: seed the demo accounts first`)
  return loadCurrentUser(db, record, 'session')
}

type Cast = { officer: CurrentUser; security: CurrentUser; head: CurrentUser }

type DemoFind = {
  daysAgo: number
  category: string
  description: string
  location: string
  how: string
  seal: string
}

const FINDS: readonly DemoFind[] = [
  {
    daysAgo: 2,
    category: 'mobile-phone',
    description: 'Black Nokia handset, no SIM, wrapped in cling film',
    location: 'B-2-014',
    how: 'search',
    seal: 'M0048211',
  },
  {
    daysAgo: 12,
    category: 'drugs',
    description: 'Eleven wraps of white powder in a sock',
    location: 'D-1-006',
    how: 'dog',
    seal: 'M0048177',
  },
  {
    daysAgo: 20,
    category: 'mobile-phone',
    description: 'Samsung smartphone with charger lead, hidden in a kettle base',
    location: 'A-3-021',
    how: 'search',
    seal: 'M0048140',
  },
  {
    daysAgo: 28,
    category: 'weapon',
    description: 'Sharpened toothbrush handle with a razor blade melted in',
    location: 'F-1-030',
    how: 'search',
    seal: 'M0048102',
  },
  {
    daysAgo: 26,
    category: 'alcohol',
    description: 'Two litres of fermenting fruit (hooch) in a bin liner',
    location: 'Kitchen store',
    how: 'search',
    seal: 'M0048119',
  },
  {
    daysAgo: 8,
    category: 'sim-card',
    description: 'Three SIM cards in the spine of a library book',
    location: 'Education block',
    how: 'x-ray',
    seal: 'M0048190',
  },
  {
    daysAgo: 15,
    category: 'cash',
    description: '£340 in twenties, rolled inside a deodorant can',
    location: 'C-2-011',
    how: 'search',
    seal: 'M0048163',
  },
]

/** The finds the exhibits are made of, recorded by the officer who found them. */
async function insertFinds(db: Db, officer: CurrentUser, now: Date) {
  const random = randomFrom(1412)
  const bytes = (size: number) => Uint8Array.from({ length: size }, () => random.int(0, 255))
  const refs: string[] = []
  for (const find of FINDS) {
    const foundAt = new Date(now.getTime() - find.daysAgo * DAY - random.int(1, 8) * HOUR)
    const { ref } = await insertFindForDemoExhibits(db, {
      ref: drawReference('FD', FIRST_ESTABLISHMENT, foundAt.getUTCFullYear(), bytes),
      establishmentCode: FIRST_ESTABLISHMENT,
      category: find.category,
      description: find.description,
      foundAt,
      location: find.location,
      // Counted where the finds register counts it: its wing, or the area the place is in.
      wing: wingOf(find.location) ?? FIND_AREAS.find(area => find.location.startsWith(area)) ?? 'Other',
      how: find.how,
      searchId: null,
      foundBy: officer.username,
      recordedBy: officer.username,
      recordedAt: new Date(foundAt.getTime() + HOUR / 2),
    })
    refs.push(ref)
  }
  return refs
}

const toStore = (at: Date): CustodyEventRequest => ({
  kind: 'transfer',
  to: 'evidence-store',
  at: at.toISOString(),
  location: 'Security evidence store',
  reason: 'Booked into the evidence store',
  sealIntact: true,
})

const handover = (at: Date): CustodyEventRequest => ({
  kind: 'police-handover',
  at: at.toISOString(),
  location: 'Gate lodge',
  reason: 'Collected for forensic examination',
  sealIntact: true,
  officer: 'DC Sarah Patel',
  force: 'West Yorkshire Police',
  crimeReference: '13/45678/26',
})

/** One exhibit: made an hour after the find, then each movement at its time, recorded by the security department. */
async function exhibitOf(
  searching: SearchingService,
  cast: Cast,
  find: { ref: string; daysAgo: number; seal: string },
  now: Date,
  steps: readonly { hours: number; event: (at: Date) => CustodyEventRequest; as?: CurrentUser }[],
) {
  const start = new Date(now.getTime() - find.daysAgo * DAY)
  const { ref } = await searching.createExhibit(
    cast.security,
    { findRef: find.ref, sealNumber: find.seal, storedAt: 'Security evidence store, locker 4' },
    CID,
    start,
  )
  for (const step of steps) {
    const at = new Date(start.getTime() + step.hours * HOUR)
    await searching.recordCustodyEvent(step.as ?? cast.security, ref, step.event(at), CID, at)
  }
  return { ref, start }
}

/** Creates the demo exhibits once; answers how many. */
export async function seedSearchingExhibits(db: Db, searching: SearchingService, now = new Date()) {
  if (await hasDemoExhibits(db, FIRST_ESTABLISHMENT)) return 0
  const cast = {
    officer: await demoUser(db, 'reporter'),
    security: await demoUser(db, 'analyst'),
    head: await demoUser(db, 'head-of-security'),
  }
  const refs = await insertFinds(db, cast.officer, now)
  const find = (index: number) => ({ ref: refs[index], daysAgo: FINDS[index].daysAgo, seal: FINDS[index].seal })

  // With the officer who found it, waiting to be booked in.
  await exhibitOf(searching, cast, find(0), now, [])
  // In the evidence store.
  await exhibitOf(searching, cast, find(1), now, [{ hours: 2, event: toStore }])
  // With the police, under their hold.
  const held = await exhibitOf(searching, cast, find(2), now, [{ hours: 1, event: toStore }])
  const holdAt = new Date(held.start.getTime() + 3 * DAY)
  const hold = { officer: 'DC Sarah Patel', force: 'West Yorkshire Police', crimeReference: '13/45678/26' }
  await searching.placePoliceHold(
    cast.security,
    held.ref,
    { ...hold, reason: 'Evidence in a supply investigation' },
    CID,
    holdAt,
  )
  await searching.recordCustodyEvent(
    cast.security,
    held.ref,
    handover(new Date(holdAt.getTime() + DAY)),
    CID,
    new Date(holdAt.getTime() + DAY),
  )
  // Returned by the police after examination, back in the store.
  await returnedExhibit(searching, cast, find(3), now)
  // Disposed of: destroyed by the head of security from the store, witnessed.
  const disposed = await exhibitOf(searching, cast, find(4), now, [{ hours: 1, event: toStore }])
  const disposedAt = new Date(disposed.start.getTime() + 14 * DAY)
  await searching.dispose(
    cast.head,
    disposed.ref,
    { method: 'destroyed', witness: 'governor', notes: 'Poured away in the kitchen yard' },
    CID,
    disposedAt,
  )
  // A gap: booked in by someone the record does not show holding it.
  await exhibitOf(searching, cast, find(5), now, [
    {
      hours: 5,
      event: at => ({ ...toStore(at), from: 'analyst', reason: 'Found on the security office desk and booked in' }),
    },
  ])
  // Re-sealed in front of a witness after the seal was found split.
  await exhibitOf(searching, cast, find(6), now, [
    { hours: 2, event: toStore },
    {
      hours: 50,
      event: at => ({
        kind: 'transfer',
        from: 'evidence-store',
        to: 'analyst',
        at: at.toISOString(),
        location: 'Security office',
        reason: 'Counted for the finds return: seal found split',
        sealIntact: false,
      }),
    },
    {
      hours: 51,
      event: at => ({
        kind: 'reseal',
        at: at.toISOString(),
        location: 'Security office',
        reason: 'Re-bagged under a new seal',
        sealIntact: false,
        sealNumber: 'M0048199',
        witness: 'head-of-security',
      }),
    },
    { hours: 52, event: at => ({ ...toStore(at), from: 'analyst', reason: 'Returned to the store' }) },
  ])
  return FINDS.length
}

async function returnedExhibit(
  searching: SearchingService,
  cast: Cast,
  find: { ref: string; daysAgo: number; seal: string },
  now: Date,
) {
  const returned = await exhibitOf(searching, cast, find, now, [{ hours: 1, event: toStore }])
  const at = (days: number) => new Date(returned.start.getTime() + days * DAY)
  const hold = {
    officer: 'DC Sarah Patel',
    force: 'West Yorkshire Police',
    crimeReference: '13/44012/26',
    reason: 'Fingerprinting',
  }
  await searching.placePoliceHold(cast.security, returned.ref, hold, CID, at(2))
  await searching.recordCustodyEvent(
    cast.security,
    returned.ref,
    { ...handover(at(2)), crimeReference: hold.crimeReference },
    CID,
    at(2),
  )
  const back: CustodyEventRequest = {
    kind: 'police-return',
    to: 'evidence-store',
    at: at(9).toISOString(),
    location: 'Gate lodge',
    reason: 'Examination finished: returned for disposal in due course',
    sealIntact: true,
  }
  await searching.recordCustodyEvent(cast.security, returned.ref, back, CID, at(9))
  await searching.liftPoliceHold(cast.security, returned.ref, CID, at(9))
}
