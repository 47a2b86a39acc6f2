import { luhnValid } from '../modules/intelligence/entities.ts'
import type { SourceType, ThreatArea } from '../modules/intelligence/rules.ts'
import { nameCase } from '../platform/views/text.ts'
import type { Random } from './random.ts'

// What the synthetic reports say: the words a member of staff writes on an intelligence report, about the people,
// places, phones and vehicles of a prison. Each report draws a cast from a circle of associates who share phones,
// vehicles and contacts, so that search, correlation and the network find what a real department would.

export type SyntheticPrisoner = {
  id: string
  prisonNumber: string
  firstName: string
  lastName: string
  establishmentCode: string
  cellLocation: string | null
}

/** Who and what a report is about: its subject, two associates, and the circle's phones, vehicle and contacts. */
export type Cast = {
  a: SyntheticPrisoner
  b: SyntheticPrisoner
  c: SyntheticPrisoner
  phone: string
  otherPhone: string
  vehicle: string
  email: string
}

export type Template = {
  threatAreas: ThreatArea[]
  sourceType: SourceType
  write(random: Random, cast: Cast): { text: string; sanitised: string }
}

const WINGS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const PLACES = [
  'the servery',
  'the gym',
  'the library',
  'the chapel',
  'the education block',
  'workshop 3',
  'the kitchen',
  'healthcare',
  'the exercise yard',
  'the laundry',
  'the multi-faith room',
  'the showers',
  'the association room',
]
const WHEN = [
  'during morning unlock',
  'at lunchtime serving',
  'during association',
  'at evening lock-up',
  'during free flow',
  'on the night patrol',
  'during weekend visits',
]
const ITEMS = [
  'mobile phones',
  'paper soaked in spice',
  'cannabis',
  'buprenorphine strips',
  'tobacco',
  'SIM cards',
  'a micro phone',
  'steroids',
  'cocaine',
]
const CONTACTS = [
  'his partner',
  'a woman he calls his cousin',
  'his brother',
  'a man who gave his name as Dean',
  'his mother',
  'an associate from his home town',
]
const NICKNAMES = ['Big Man', 'Tiny', 'Scouse', 'the Cousin', 'Junior', 'Smithy', 'Bookie', 'Uncle', 'Sparky']

/** A UK mobile number in Ofcom's drama range: numbers that reach nobody. */
export function ukMobile(random: Random) {
  return `07700 900${String(random.int(0, 999)).padStart(3, '0')}`
}

export function imei(random: Random) {
  for (;;) {
    const body = `35${String(random.int(0, 9_999_999)).padStart(7, '0')}${String(random.int(0, 99_999)).padStart(5, '0')}`
    for (let check = 0; check <= 9; check++) if (luhnValid(`${body}${check}`)) return `${body}${check}`
  }
}

export function vehicle(random: Random) {
  const letters = 'ABCDEFGHJKLMNOPRSTUVWXY'
  const l = () => letters[random.int(0, letters.length - 1)]
  return `${l()}${l()}${random.pick(['15', '16', '17', '18', '19', '20', '21', '66', '67', '68', '69', '70', '71'])} ${l()}${l()}${l()}`
}

export function email(random: Random) {
  return `${random.pick(['kingpin', 'blue', 'northside', 'money', 'ghost', 'lucky', 'ace', 'rider'])}${random.int(10, 99)}@example.com`
}

const who = (p: SyntheticPrisoner) => `${nameCase(p.firstName)} ${nameCase(p.lastName)} (${p.prisonNumber})`
const surname = (p: SyntheticPrisoner) => nameCase(p.lastName)
const wing = (r: Random) => `${r.pick(WINGS)} wing`
const cell = (r: Random, p: SyntheticPrisoner) =>
  p.cellLocation ?? `${r.pick(WINGS)}-${r.int(1, 4)}-${String(r.int(1, 30)).padStart(3, '0')}`

/** What staff add at the end of most reports: who else knows. */
export function whoWasTold(random: Random) {
  return random.pick([
    'Wing staff have been told.',
    `The ${wing(random)} custodial manager has been told.`,
    `Staff on ${wing(random)} are aware and will keep watch.`,
    'Passed to the wing manager for information.',
    `Wing staff asked to search ${random.pick(['the cell', 'the landing', 'the recess'])} at the next opportunity.`,
  ])
}

/** Where something happened, as the report's location field gives it. */
export function somewhere(random: Random) {
  return random.chance(0.6)
    ? `${wing(random)}, landing ${random.int(1, 4)}`
    : nameCase(random.pick(PLACES).replace(/^the /, ''))
}

export const TEMPLATES: readonly Template[] = [
  {
    threatAreas: ['conveyance'],
    sourceType: 'overheard',
    write: (r, { a, phone }) => {
      const day = r.pick(DAYS)
      const item = r.pick(ITEMS)
      return r.pick([
        {
          text: `${who(a)} was overheard on the ${wing(r)} landing telling another prisoner that a parcel would come over the wall on ${day} night. He said the drop was arranged through ${phone}.`,
          sanitised: `A prisoner is believed to be arranging a throw-over of illicit items on ${day} night.`,
        },
        {
          text: `Overheard ${r.pick(WHEN)}: ${who(a)} asked who was working the fence line on ${day} and said "the lads" would throw ${item} near ${r.pick(PLACES)}. He read the number ${phone} out to someone through the door.`,
          sanitised: `A prisoner may be planning for ${item} to be thrown over the fence on ${day}.`,
        },
      ])
    },
  },
  {
    threatAreas: ['illicit-communications'],
    sourceType: 'found-item',
    write: (r, { a, b, phone }) =>
      r.pick([
        {
          text: `A handset with IMEI ${imei(r)} was recovered from cell ${cell(r, a)} during a routine search. ${who(a)} denied it was his. The SIM had ${phone} saved as "${r.pick(NICKNAMES)}".`,
          sanitised: 'A mobile phone was recovered during a routine cell search.',
        },
        {
          text: `Dog search of ${wing(r)}: a micro phone was found taped inside the toilet cistern of cell ${cell(r, a)}, shared by ${who(a)} and ${who(b)}. Its call log shows ${phone} dialled most nights.`,
          sanitised: 'A micro phone was found concealed in a shared cell.',
        },
        {
          text: `A charger made from a stripped radio lead was found under the bed of ${who(a)} in ${cell(r, a)}. No phone was found, but the BOSS chair alarmed when he sat in it.`,
          sanitised: 'A home-made phone charger was found in a cell; a phone is suspected.',
        },
      ]),
  },
  {
    threatAreas: ['conveyance', 'illicit-economy'],
    sourceType: 'phone-monitoring',
    write: (r, { a, phone, vehicle: vrm }) => {
      const contact = r.pick(CONTACTS)
      return r.pick([
        {
          text: `Phone monitoring: ${who(a)} spoke to ${contact} on ${phone} about "the usual" coming in on his next visit. She is believed to drive a silver hatchback, registration ${vrm}.`,
          sanitised: 'A prisoner is believed to be arranging for illicit items to be brought in through visits.',
        },
        {
          text: `PIN phone call from ${who(a)} to ${phone}: he told ${contact} to "wrap it tight" and to park ${vrm} at the far end of the visitors' car park.`,
          sanitised: 'A prisoner may be arranging for an item to be brought in on a visit.',
        },
      ])
    },
  },
  {
    threatAreas: ['violence-disorder', 'illicit-economy'],
    sourceType: 'told-by-prisoner',
    write: (r, { a, b }) =>
      r.pick([
        {
          text: `${who(a)} is owed a drug debt by ${who(b)}. Threats were made on the exercise yard and ${surname(b)} has asked to move wings. Staff on ${wing(r)} report rising tension.`,
          sanitised: 'Tension between two prisoners over a debt; a risk of violence on the exercise yard.',
        },
        {
          text: `${who(b)} came to the office ${r.pick(WHEN)} and said he owes ${who(a)} £${r.int(2, 40) * 10} for vapes. He has been told his family will be "visited" if he does not pay by ${r.pick(DAYS)}.`,
          sanitised: 'A prisoner reports being threatened over a debt, with threats made against his family.',
        },
      ]),
  },
  {
    threatAreas: ['illicit-economy'],
    sourceType: 'own-observation',
    write: (r, { a, b }) =>
      r.pick([
        {
          text: `${who(a)} has large amounts of vapes and canteen in his cell at ${cell(r, a)} and is believed to be lending at double-bubble on ${wing(r)}.`,
          sanitised: 'A prisoner is believed to be running an illicit lending operation.',
        },
        {
          text: `Canteen sheets show ${who(b)} ordering the maximum of vapes every week although he has no job. The items are seen in the cell of ${who(a)} the day after delivery.`,
          sanitised: 'Canteen orders suggest one prisoner is buying on behalf of another.',
        },
      ]),
  },
  {
    threatAreas: ['escape-abscond', 'illicit-communications'],
    sourceType: 'phone-monitoring',
    write: (r, { a }) =>
      r.pick([
        {
          text: `${who(a)} has not used the PIN phone for three weeks after months of daily calls. Earlier intelligence linked him to an illicit mobile phone. The silence should be read with his escape risk in mind.`,
          sanitised: 'A prisoner previously linked to an illicit phone has stopped using the PIN phone.',
        },
        {
          text: `${who(a)} asked an officer escorting him to ${r.pick(['hospital', 'court', 'a funeral'])} which route the van would take and how many staff would go. He has an outside appointment next month.`,
          sanitised: 'A prisoner showed unusual interest in the details of an escort.',
        },
      ]),
  },
  {
    threatAreas: ['conveyance'],
    sourceType: 'own-observation',
    write: (r, { a, vehicle: vrm }) =>
      r.pick([
        {
          text: `A visitor arriving in ${vrm} was seen passing a small package to ${who(a)} at table ${r.int(1, 30)} in the visits hall. The package was swallowed before staff could intervene.`,
          sanitised: 'A visitor is suspected of passing an item to a prisoner during a social visit.',
        },
        {
          text: `CCTV in the visits hall shows ${who(a)} and his visitor kissing for a long time at the end of the visit, then ${surname(a)} drinking the whole of a bottle of water. The visitor left in ${vrm}.`,
          sanitised: 'A suspected pass of an item by mouth during a social visit.',
        },
      ]),
  },
  {
    threatAreas: ['conveyance', 'safety'],
    sourceType: 'mail-monitoring',
    write: (r, { a }) =>
      r.pick([
        {
          text: `Mail monitoring: a letter addressed to ${who(a)} tested positive for a synthetic cannabinoid. The envelope bore a solicitor's franking that the firm does not recognise.`,
          sanitised: 'Mail addressed to a prisoner was found to be impregnated with a psychoactive substance.',
        },
        {
          text: `A child's drawing sent to ${who(a)} was unusually stiff and smelt of chemicals. The Rapiscan tested it positive. Three prisoners on ${wing(r)} were taken to healthcare after "a bad batch" ${r.pick(WHEN)}.`,
          sanitised: 'Post sent to a prisoner is suspected of carrying drugs; prisoners have fallen ill on the wing.',
        },
      ]),
  },
  {
    threatAreas: ['soc', 'illicit-communications'],
    sourceType: 'other-agency',
    write: (r, { a, b, phone, email: address }) =>
      r.pick([
        {
          text: `Police report that ${who(a)} continues to direct supply in the community through ${who(b)}'s associates, using ${address} and ${phone}.`,
          sanitised: 'Law enforcement report that a prisoner continues to direct organised crime in the community.',
        },
        {
          text: `The regional organised crime unit ask for anything on ${who(a)}. A county lines number, ${phone}, that they attribute to his group has been in contact with ${address}.`,
          sanitised: 'Law enforcement have asked for intelligence about a prisoner linked to a county lines group.',
        },
      ]),
  },
  {
    threatAreas: ['extremism'],
    sourceType: 'own-observation',
    write: (r, { a }) => ({
      text: `${who(a)} was seen handing out printed material to younger prisoners in ${r.pick(['the library', 'the gym', 'the servery queue'])} and pressuring them to attend private gatherings.`,
      sanitised: 'A prisoner may be seeking to influence others towards extremist views.',
    }),
  },
  {
    threatAreas: ['violence-disorder'],
    sourceType: 'overheard',
    write: (r, { a, b, c }) => ({
      text: `Talk on ${wing(r)} ${r.pick(WHEN)} that ${who(a)} and ${who(c)} plan to "do" ${who(b)} in ${r.pick(PLACES)}. A sharpened toothbrush was found on the landing the same day.`,
      sanitised: 'Prisoners may be planning an assault on another prisoner; a weapon was found nearby.',
    }),
  },
  {
    threatAreas: ['safety', 'violence-disorder'],
    sourceType: 'told-by-prisoner',
    write: (r, { a, b }) => ({
      text: `${who(b)} has been seen with bruising to his face and will not leave his cell for meals. Other prisoners say ${who(a)} is "taxing" him for his canteen every ${r.pick(DAYS)}.`,
      sanitised: 'A prisoner appears to be the victim of bullying and extortion.',
    }),
  },
  {
    threatAreas: ['public-protection'],
    sourceType: 'mail-monitoring',
    write: (r, { a }) => ({
      text: `Mail monitoring: ${who(a)} wrote to ${r.pick(CONTACTS)} asking for the new address of a person he is barred from contacting, and asked for it to be sent "the usual way".`,
      sanitised: 'A prisoner may be trying to contact a person he is prohibited from contacting.',
    }),
  },
  {
    threatAreas: ['illicit-economy', 'conveyance'],
    sourceType: 'own-observation',
    write: (r, { a, c }) => ({
      text: `${who(a)} works in ${r.pick(['the kitchen', 'the laundry', 'workshop 3', 'the servery'])} and has been seen passing folded paper to ${who(c)} ${r.pick(WHEN)}. Both were searched and nothing was found.`,
      sanitised: 'Two prisoners may be moving items between work areas.',
    }),
  },
  {
    threatAreas: ['illicit-communications', 'soc'],
    sourceType: 'phone-monitoring',
    write: (r, { a, b, phone, otherPhone }) => ({
      text: `Call records: ${phone} and ${otherPhone} both called the same community number within minutes of each other on ${r.pick(DAYS)}. One is attributed to ${who(a)}, the other to ${who(b)}.`,
      sanitised: 'Two prisoners may be using illicit phones to contact the same person in the community.',
    }),
  },
]

export const STAFF_CORRUPTION: Template = {
  threatAreas: ['staff-corruption', 'conveyance'],
  sourceType: 'told-by-prisoner',
  write: (r, { a, phone }) => ({
    text: `${who(a)} claims an officer on ${wing(r)} brings in phones for £500 each and is paid into an account linked to ${phone}.`,
    sanitised: 'Allegation of staff involvement in conveyance.',
  }),
}

/** Circles of associates at each prison, each with phones, a vehicle and an e-mail address of its own. */
export function circlesOf(random: Random, prisoners: readonly SyntheticPrisoner[]) {
  type Circle = { members: SyntheticPrisoner[]; phones: string[]; vehicles: string[]; emails: string[] }
  const byEstablishment = Map.groupBy(prisoners, p => p.establishmentCode)
  const circleOf = new Map<string, Circle>()
  for (const local of byEstablishment.values()) {
    const shuffled = [...local]
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = random.int(0, i)
      ;[shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]]
    }
    for (let start = 0; start < shuffled.length; ) {
      const size = random.int(3, 7)
      const circle: Circle = {
        members: shuffled.slice(start, start + size),
        phones: Array.from({ length: random.int(2, 4) }, () => ukMobile(random)),
        vehicles: Array.from({ length: random.int(1, 2) }, () => vehicle(random)),
        emails: [email(random)],
      }
      for (const member of circle.members) circleOf.set(member.id, circle)
      start += size
    }
  }
  return { byEstablishment, circleOf }
}

/** The cast of one report: mostly the subject's own circle and its phones, now and then someone new. */
export function castFor(random: Random, circles: ReturnType<typeof circlesOf>, a: SyntheticPrisoner): Cast {
  const circle = circles.circleOf.get(a.id)
  const local = circles.byEstablishment.get(a.establishmentCode) ?? [a]
  const others = (circle?.members ?? []).filter(p => p.id !== a.id)
  const someone = () => (others.length && random.chance(0.8) ? random.pick(others) : random.pick(local))
  let b = someone()
  if (b.id === a.id) b = local[(local.indexOf(a) + 1) % local.length]
  let c = someone()
  if (c.id === a.id || c.id === b.id) c = local[(local.indexOf(b) + 1) % local.length]
  const shared = <T>(pool: readonly T[] | undefined, fresh: () => T) =>
    pool?.length && random.chance(0.75) ? random.pick(pool) : fresh()
  return {
    a,
    b,
    c,
    phone: shared(circle?.phones, () => ukMobile(random)),
    otherPhone: shared(circle?.phones, () => ukMobile(random)),
    vehicle: shared(circle?.vehicles, () => vehicle(random)),
    email: shared(circle?.emails, () => email(random)),
  }
}
