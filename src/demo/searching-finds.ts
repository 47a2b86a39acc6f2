import type { SearchingService } from '../modules/searching/service.ts'
import { type CurrentUser, loadCurrentUser } from '../platform/access/user.ts'
import type { Db } from '../platform/db/database.ts'
import { findUserByUsername } from '../platform/users/repository.ts'
import { type Random, randomFrom } from './random.ts'
import { FIRST_ESTABLISHMENT } from './users.ts'

// Demo finds at the demo prison (output 11), recorded through the searching service: a month of varied finds
// (phones, SIM cards, chargers, drugs and psychoactive substances, weapons, hooch, cash, tools) linked to demo
// prisoners, to the demo searches that found them and to demo intelligence where those exist; two years of lighter
// history before it, so that the trends compare each month with the same month a year before; and what followed
// for some of the prisoners (output 13).

const CID = 'demo'
const HOUR = 3_600_000
const DAY = 24 * HOUR

type Kind = { category: string; weight: number; how: Record<string, number>; descriptions: readonly string[] }

const KINDS: readonly Kind[] = [
  {
    category: 'mobile-phone',
    weight: 6,
    how: { search: 5, dog: 1, 'x-ray': 1 },
    descriptions: [
      'Black Nokia handset, no SIM, wrapped in cling film inside a sock',
      'Miniature phone (about 6 cm) hidden in a hollowed-out bar of soap',
      'Samsung smartphone behind the cell’s heating pipe boxing',
      'Two mini phones taped inside the light fitting',
      'Smartphone with cracked screen under a loose floor tile',
    ],
  },
  {
    category: 'sim-card',
    weight: 4,
    how: { search: 3, 'x-ray': 1, post: 1 },
    descriptions: [
      'Three SIM cards in the spine of a library book',
      'SIM card pushed into the seam of a mattress',
      'Two micro SIM cards in an empty biro tube',
    ],
  },
  {
    category: 'charger',
    weight: 3,
    how: { search: 1 },
    descriptions: [
      'Improvised charger made from a kettle element and headphone wire',
      'USB charging lead hidden in a radio battery compartment',
      'Wall charger with the prongs bent, in a trainer',
    ],
  },
  {
    category: 'drugs',
    weight: 5,
    how: { search: 2, dog: 2, visit: 1, post: 1 },
    descriptions: [
      'Eleven wraps of white powder in a sock',
      'Cannabis resin, about 8 g, in cling film',
      'Buprenorphine strips tucked behind a photograph',
      'Small package of brown powder passed across a visits table',
    ],
  },
  {
    category: 'psychoactive-substance',
    weight: 5,
    how: { post: 3, search: 2, dog: 1 },
    descriptions: [
      'Letter sprayed with a suspected synthetic cannabinoid (tests positive)',
      'Children’s drawing on paper soaked in spice',
      'Vape pen with a suspected PS liquid cartridge',
      'Rule 39 envelope that was not from a solicitor, paper tests positive for PS',
    ],
  },
  {
    category: 'weapon',
    weight: 3,
    how: { search: 3, 'x-ray': 1 },
    descriptions: [
      'Sharpened toothbrush handle with a razor blade melted in',
      'Length of metal bed frame sharpened to a point',
      'Batteries in a sock (a cosh)',
    ],
  },
  {
    category: 'alcohol',
    weight: 2,
    how: { search: 1, dog: 1 },
    descriptions: [
      'Two litres of fermenting fruit (hooch) in a bin liner',
      'Hooch in a washing-up bottle under the sink',
    ],
  },
  {
    category: 'cash',
    weight: 1,
    how: { search: 2, visit: 1 },
    descriptions: ['£340 in twenties, rolled inside a deodorant can', '£60 in a birthday card'],
  },
  {
    category: 'tools',
    weight: 2,
    how: { search: 1 },
    descriptions: [
      'Screwdriver missing from the workshop tool board',
      'Hacksaw blade in the hem of a curtain',
      'Allen keys matching the cell window restrictor',
    ],
  },
  {
    category: 'other',
    weight: 1,
    how: { search: 1, post: 1 },
    descriptions: ['Tattoo gun made from a motor and a biro', 'Drone line with a hook, caught on the fence'],
  },
]

/** Places off the wings where things turn up, and how they are found there. */
const PLACES: readonly { location: string; wing: string; how: string }[] = [
  { location: 'Visits hall, table 12', wing: 'Visits', how: 'visit' },
  { location: 'Visits hall, toilets', wing: 'Visits', how: 'visit' },
  { location: 'Post room', wing: 'Post room', how: 'post' },
  { location: 'Reception, property store', wing: 'Reception', how: 'x-ray' },
  { location: 'Workshop 4, tool board', wing: 'Workshops', how: 'search' },
  { location: 'Exercise yard, by the fence', wing: 'Exercise yard', how: 'search' },
  { location: 'Kitchen store', wing: 'Kitchen', how: 'search' },
]

const FINDERS = ['Officer Gary Hollis', 'OSG Nicola Braithwaite', 'Officer Sean Doyle', 'Dog handler Mark Ellis']

async function demoUser(db: Db, username: string): Promise<CurrentUser> {
  const record = await findUserByUsername(db, username)
  if (!record) throw new Error(`The demo user ${username} is missing: seed the demo accounts first`)
  return loadCurrentUser(db, record, 'session')
}

/** What the other demo data gives finds to link to: prisoners in their cells, searches that found things, reports. */
async function linkables(db: Db, now: Date) {
  const since = new Date(now.getTime() - 35 * DAY)
  const [prisoners, searches, reports] = await Promise.all([
    db
      .selectFrom('peopleNominal')
      .select(['ref', 'cellLocation'])
      .where('establishmentCode', '=', FIRST_ESTABLISHMENT)
      .where('kind', '=', 'prisoner')
      .where('cellLocation', 'like', '_-%')
      .orderBy('ref')
      .limit(150)
      .execute(),
    db
      .selectFrom('searchingSearch')
      .select(['ref', 'location', 'conductedAt'])
      .where('establishmentCode', '=', FIRST_ESTABLISHMENT)
      .where('result', '=', 'finds')
      .where('conductedAt', '>=', since)
      .orderBy('conductedAt')
      .execute(),
    db
      .selectFrom('intelligenceReport')
      .select('ref')
      .where('establishmentCode', '=', FIRST_ESTABLISHMENT)
      .where('compartment', 'is', null)
      .where('submittedAt', '>=', since)
      .where('submittedAt', '<', now)
      .orderBy('submittedAt', 'desc')
      .limit(12)
      .execute(),
  ])
  return {
    prisoners: prisoners.map(p => ({ ref: p.ref, cell: p.cellLocation as string })),
    searches,
    reports: reports.map(r => r.ref),
  }
}

type Links = Awaited<ReturnType<typeof linkables>>
type Planned = { input: Parameters<SearchingService['recordFind']>[1]; by: CurrentUser; at: Date }

const weightedKind = (random: Random) =>
  KINDS.find(kind => kind.category === random.weighted(Object.fromEntries(KINDS.map(k => [k.category, k.weight])))) ??
  KINDS[0]

/** One find: in a prisoner's cell (and linked to them) or somewhere off the wings, found an hour or more ago. */
function plannedFind(random: Random, links: Links, foundAt: Date, cast: Record<'officer' | 'security', CurrentUser>) {
  const kind = weightedKind(random)
  const inCell = links.prisoners.length > 0 && random.chance(0.65)
  const prisoner = inCell ? random.pick(links.prisoners) : null
  const place = random.pick(PLACES)
  const how = inCell ? random.weighted(kind.how) : place.how
  const input: Planned['input'] = {
    category: kind.category as Planned['input']['category'],
    description: random.pick(kind.descriptions),
    foundAt: foundAt.toISOString(),
    location: prisoner ? prisoner.cell : place.location,
    wing: prisoner ? undefined : place.wing,
    how: how as Planned['input']['how'],
    foundBy: random.chance(0.5) ? random.pick(FINDERS) : undefined,
    people: prisoner ? [{ prisonerNumber: prisoner.ref }] : [],
    reportRefs: [],
  }
  return { input, by: cast.officer, at: new Date(foundAt.getTime() + random.int(1, 6) * HOUR) }
}

/** The last month's finds: the searches that found things first, then finds about the prison, some from intelligence. */
function monthOfFinds(random: Random, links: Links, now: Date, cast: Record<'officer' | 'security', CurrentUser>) {
  const planned: Planned[] = []
  for (const search of links.searches.slice(0, 15)) {
    const find = plannedFind(random, links, new Date(search.conductedAt.getTime() + 20 * 60_000), cast)
    find.input.searchRef = search.ref
    find.input.how = 'search'
    if (/^[A-Z]-\d/.test(search.location)) find.input.location = search.location
    planned.push(find)
  }
  const count = 40 - planned.length
  for (let i = 0; i < count; i++) {
    const foundAt = new Date(now.getTime() - random.int(2, 30 * 24) * HOUR)
    const find = plannedFind(random, links, foundAt, cast)
    // The security department records the finds that came from its intelligence, and links the reports.
    if (links.reports.length > 0 && i % 4 === 0) {
      find.input.reportRefs = [links.reports[i % links.reports.length]]
      find.by = cast.security
    }
    planned.push(find)
  }
  return planned.filter(find => find.at.getTime() < now.getTime())
}

/** Two years before the last month, lighter: 5 to 12 finds a month, more of them in the winter. */
function history(random: Random, links: Links, now: Date, cast: Record<'officer' | 'security', CurrentUser>) {
  const planned: Planned[] = []
  for (let monthBack = 1; monthBack <= 23; monthBack++) {
    const start = now.getTime() - (monthBack + 1) * 30 * DAY
    const winter = [10, 11, 0, 1].includes(new Date(start).getUTCMonth())
    const count = random.int(5, 10) + (winter ? 2 : 0)
    for (let i = 0; i < count; i++) {
      planned.push(plannedFind(random, links, new Date(start + random.int(0, 30 * 24 - 1) * HOUR), cast))
    }
  }
  return planned
}

const OUTCOMES = ['adjudication', 'adjudication', 'police-referral', 'no-further-action'] as const

/** What followed for some prisoners: adjudications, police referrals and no further action, with references. */
async function outcomes(
  searching: SearchingService,
  head: CurrentUser,
  recorded: readonly Planned[],
  refs: string[],
  now: Date,
) {
  const random = randomFrom(1145)
  let adjudication = 311
  for (const [i, find] of recorded.entries()) {
    const person = find.input.people[0]
    if (!person || !random.chance(0.45)) continue
    const outcome = random.pick(OUTCOMES)
    const reference =
      outcome === 'adjudication'
        ? `MDI-${find.at.getUTCFullYear()}-${String(adjudication++).padStart(5, '0')}`
        : outcome === 'police-referral'
          ? `13/${random.int(40000, 49999)}/${String(find.at.getUTCFullYear()).slice(2)}`
          : undefined
    const at = new Date(Math.min(find.at.getTime() + random.int(1, 5) * DAY, now.getTime()))
    await searching.recordFindOutcome(
      head,
      refs[i],
      { prisonerNumber: person.prisonerNumber, outcome, reference },
      CID,
      at,
    )
  }
}

/** Creates the demo finds once, oldest first; answers how many. */
export async function seedSearchingFinds(db: Db, searching: SearchingService, now = new Date()) {
  const older = await db
    .selectFrom('searchingFind')
    .select('id')
    .where('establishmentCode', '=', FIRST_ESTABLISHMENT)
    .where('foundAt', '<', new Date(now.getTime() - 60 * DAY))
    .limit(1)
    .executeTakeFirst()
  if (older) return 0
  const cast = { officer: await demoUser(db, 'reporter'), security: await demoUser(db, 'analyst') }
  const head = await demoUser(db, 'head-of-security')
  const links = await linkables(db, now)
  const random = randomFrom(1411)
  const month = monthOfFinds(random, links, now, cast)
  const planned = [...history(random, links, now, cast), ...month].sort((a, b) => a.at.getTime() - b.at.getTime())
  const refs = new Map<Planned, string>()
  for (const find of planned) {
    const { ref } = await searching.recordFind(find.by, find.input, CID, find.at)
    refs.set(find, ref)
  }
  const lastMonth = month.sort((a, b) => a.at.getTime() - b.at.getTime())
  const outcomesAt = lastMonth.filter(find => find.at.getTime() < now.getTime() - 2 * DAY)
  await outcomes(
    searching,
    head,
    outcomesAt,
    outcomesAt.map(find => refs.get(find) ?? ''),
    now,
  )
  return planned.length
}
