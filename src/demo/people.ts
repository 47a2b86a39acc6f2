import { type ImportSummary, importPrisoners } from '../modules/people/imports.ts'
import { nominalRow } from '../modules/people/nominals.ts'
import { insertNominal, nextNominalRef } from '../modules/people/repository.ts'
import { type Actor, auditedTransaction } from '../platform/audit/audit.ts'
import type { Db } from '../platform/db/database.ts'
import { type Random, randomFrom } from './random.ts'
import { DEMO_ESTABLISHMENTS } from './users.ts'

// Demo people: about 400 prisoners in the HMPPS Prisoner Search shape, generated from a seed so that every demo
// database holds the same people, and a few visitors, others and staff so that every kind of nominal exists.

type Establishment = (typeof DEMO_ESTABLISHMENTS)[number]
type Weights = Readonly<Record<string, number>>

export type DemoPrisoner = {
  prisonerNumber: string
  bookingId: string
  firstName: string
  middleNames?: string
  lastName: string
  dateOfBirth: string
  gender: 'Male'
  ethnicity: string
  religion: string
  nationality: string
  status: 'ACTIVE IN'
  prisonId: Establishment
  cellLocation: string
  category: string
  sentenceStartDate: string | null
  releaseDate: string | null
  conditionalReleaseDate?: string
  pncNumber?: string
  croNumber?: string
  currentIncentive: { level: { description: 'Basic' | 'Standard' | 'Enhanced' } }
  aliases: { firstName: string; lastName: string; dateOfBirth: string }[]
  alerts: { alertType: string; alertCode: string; active: boolean; expired: boolean }[]
}

const PRISONERS = 400
// Ages and dates are relative to this day, not to today, so the same seed always gives the same people.
const REFERENCE_DATE = '2026-11-01'

const DAY = 86_400_000
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10)
// A day from `from` to `to`; a skew below 1 favours later days, above 1 earlier ones.
const randomDate = (random: Random, from: string, to: string, skew = 1) =>
  dateOf(dayOf(from) + Math.floor((dayOf(to) - dayOf(from) + 1) * random.next() ** skew))
const yearsAfter = (date: string, years: number) =>
  `${Number(date.slice(0, 4)) + years}${date.slice(4).replace('02-29', '02-28')}`

// PNC check character, by the algorithm normalisePnc in rules.ts checks: (two-digit year and 7-digit serial) mod 23.
const PNC_CHECK = 'ZABCDEFGHJKLMNPQRTUVWXY'
function pncNumber(year: number, serial: number, form: 'short' | 'long'): string {
  const yy = String(year % 100).padStart(2, '0')
  const padded = String(serial).padStart(7, '0')
  const check = PNC_CHECK[Number(`${yy}${padded}`) % 23]
  return form === 'short' ? `${yy}/${serial}${check}` : `${year}/${padded}${check}`
}

// Heritages of a diverse prison population, weighted roughly as the published HMPPS ethnicity figures.
type Heritage = {
  weight: number
  firstNames: readonly string[]
  lastNames: readonly string[]
  ethnicity: Weights
  nationality: Weights
  religion: Weights
}

// biome-ignore format: a table of names
const BRITISH_FIRST = [
  'JAMES', 'JOHN', 'DAVID', 'MICHAEL', 'PAUL', 'MARK', 'ANDREW', 'CHRISTOPHER', 'DANIEL', 'THOMAS',
  'JOSHUA', 'RYAN', 'LEE', 'CRAIG', 'JAMIE', 'LIAM', 'CONNOR', 'DEAN', 'WAYNE', 'GARETH',
  'RHYS', 'SCOTT', 'STEVEN', 'ROBERT', 'JORDAN', 'KYLE', 'CALLUM', 'ASHLEY', 'NATHAN', 'KIERAN',
]
// biome-ignore format: a table of names
const BRITISH_LAST = [
  'SMITH', 'JONES', 'WILLIAMS', 'TAYLOR', 'BROWN', 'DAVIES', 'EVANS', 'WILSON', 'THOMAS', 'JOHNSON',
  'ROBERTS', 'ROBINSON', 'THOMPSON', 'WRIGHT', 'WALKER', 'WHITE', 'EDWARDS', 'HUGHES', 'GREEN', 'HALL',
  'LEWIS', 'HARRIS', 'CLARKE', 'JACKSON', 'WOOD', 'TURNER', 'COOPER', 'HILL', 'WARD', 'MOORE',
  'KING', 'BAKER', 'HARRISON', 'MORGAN', 'ALLEN', 'PRICE', 'REES', 'JENKINS', 'GRIFFITHS', 'POWELL',
  'MACDONALD', 'CAMPBELL', 'STEWART', 'FRASER', 'MURRAY', 'MCKENZIE', 'BRADSHAW', 'SMITH-JONES',
]
const CARIBBEAN_FIRST = ['DWAYNE', 'LEROY', 'TYRONE', 'MARLON', 'DELROY', 'JERMAINE', 'ANDRE', 'WINSTON']
// biome-ignore format: a table of names
const CARIBBEAN_LAST = [
  'FRANCIS', 'GRANT', 'REID', 'GORDON', 'BAILEY', 'SINCLAIR', 'LAWRENCE', 'BECKFORD', 'FORBES', 'HENRY',
  'SPENCER', 'CAMPBELL',
]

const WHITE_BRITISH = 'White: Eng./Welsh/Scot./N.Irish/British'
const WHITE_OTHER = 'White: Any other background'
const BRITISH_RELIGION = {
  'No religion': 42,
  'Church of England': 20,
  Christian: 16,
  'Roman Catholic': 14,
  Muslim: 4,
  Buddhist: 3,
  Jewish: 1,
}

const HERITAGES: readonly Heritage[] = [
  {
    weight: 60,
    firstNames: BRITISH_FIRST,
    lastNames: BRITISH_LAST,
    ethnicity: { [WHITE_BRITISH]: 96, 'White: Gypsy or Irish Traveller': 4 },
    nationality: { British: 1 },
    religion: BRITISH_RELIGION,
  },
  {
    weight: 4,
    firstNames: ['SEAN', 'PATRICK', 'CIARAN', 'DECLAN', 'EOIN'],
    lastNames: [
      'MURPHY',
      'KELLY',
      "O'NEILL",
      "O'BRIEN",
      'BYRNE',
      'DOYLE',
      'MCCARTHY',
      'GALLAGHER',
      'QUINN',
      "O'SULLIVAN",
    ],
    ethnicity: { 'White: Irish': 80, 'White: Gypsy or Irish Traveller': 20 },
    nationality: { British: 55, Irish: 45 },
    religion: { 'Roman Catholic': 70, 'No religion': 20, Christian: 10 },
  },
  {
    weight: 3,
    firstNames: ['PIOTR', 'KRZYSZTOF', 'TOMASZ', 'MAREK', 'PAWEL'],
    lastNames: ['NOWAK', 'KOWALSKI', 'WISNIEWSKI', 'WOJCIK', 'KAMINSKI', 'LEWANDOWSKI'],
    ethnicity: { [WHITE_OTHER]: 1 },
    nationality: { Polish: 85, British: 15 },
    religion: { 'Roman Catholic': 75, 'No religion': 20, Christian: 5 },
  },
  {
    weight: 2,
    firstNames: ['ANDREI', 'IONUT', 'CONSTANTIN', 'FLORIN', 'MARIUS'],
    lastNames: ['POPESCU', 'IONESCU', 'POPA', 'STAN', 'DUMITRU'],
    ethnicity: { [WHITE_OTHER]: 1 },
    nationality: { Romanian: 90, British: 10 },
    religion: { Christian: 80, 'No religion': 15, 'Roman Catholic': 5 },
  },
  {
    weight: 2,
    firstNames: ['ARDIT', 'ERION', 'KLEVIS', 'GENTI'],
    lastNames: ['HOXHA', 'KRASNIQI', 'SHEHU', 'BERISHA', 'GASHI'],
    ethnicity: { [WHITE_OTHER]: 1 },
    nationality: { Albanian: 90, British: 10 },
    religion: { Muslim: 55, 'No religion': 30, Christian: 10, 'Roman Catholic': 5 },
  },
  {
    weight: 1,
    firstNames: ['TOMAS', 'MANTAS', 'DARIUS'],
    lastNames: ['KAZLAUSKAS', 'PETRAUSKAS', 'JANKAUSKAS'],
    ethnicity: { [WHITE_OTHER]: 1 },
    nationality: { Lithuanian: 90, British: 10 },
    religion: { 'Roman Catholic': 60, 'No religion': 35, Christian: 5 },
  },
  {
    weight: 7,
    firstNames: CARIBBEAN_FIRST,
    lastNames: CARIBBEAN_LAST,
    ethnicity: { 'Black/Black British: Caribbean': 1 },
    nationality: { British: 92, Jamaican: 8 },
    religion: { Christian: 40, 'No religion': 35, Muslim: 15, 'Church of England': 5, 'Roman Catholic': 5 },
  },
  {
    weight: 4,
    firstNames: ['OLUWASEUN', 'CHINEDU', 'EMEKA', 'KWAME', 'KOFI', 'TUNDE', 'EMMANUEL', 'SAMUEL'],
    lastNames: ['OKAFOR', 'ADEYEMI', 'OKONKWO', 'MENSAH', 'OWUSU', 'BOATENG', 'ADEBAYO', 'OGUNDIPE', 'ASANTE', 'NWOSU'],
    ethnicity: { 'Black/Black British: African': 1 },
    nationality: { British: 75, Nigerian: 15, Ghanaian: 10 },
    religion: { Christian: 60, Muslim: 20, 'No religion': 15, 'Roman Catholic': 5 },
  },
  {
    weight: 2,
    firstNames: ['ABDIRAHMAN', 'MOHAMED', 'ABDI', 'HASSAN', 'YUSUF'],
    lastNames: ['WARSAME', 'FARAH', 'ABDULLAHI', 'OMAR', 'HIRSI', 'JAMA'],
    ethnicity: { 'Black/Black British: African': 1 },
    nationality: { British: 70, Somali: 30 },
    religion: { Muslim: 95, 'No religion': 5 },
  },
  {
    weight: 5,
    firstNames: ['MOHAMMED', 'IMRAN', 'ASIF', 'ZAHID', 'KAMRAN', 'USMAN', 'BILAL', 'ADNAN'],
    lastNames: ['HUSSAIN', 'KHAN', 'AHMED', 'IQBAL', 'MAHMOOD', 'AKHTAR', 'RASHID', 'BUTT', 'ALI', 'SHAH'],
    ethnicity: { 'Asian/Asian British: Pakistani': 1 },
    nationality: { British: 90, Pakistani: 10 },
    religion: { Muslim: 94, 'No religion': 6 },
  },
  {
    weight: 2,
    firstNames: ['SHAHID', 'RUHEL', 'ABDUL', 'JAHANGIR'],
    lastNames: ['MIAH', 'UDDIN', 'RAHMAN', 'ISLAM', 'CHOWDHURY'],
    ethnicity: { 'Asian/Asian British: Bangladeshi': 1 },
    nationality: { British: 90, Bangladeshi: 10 },
    religion: { Muslim: 95, 'No religion': 5 },
  },
  {
    weight: 2,
    firstNames: ['GURPREET', 'HARJIT', 'RAJESH', 'SANJAY', 'AMARJIT'],
    lastNames: ['SINGH', 'SANDHU', 'GILL', 'SHARMA', 'PATEL', 'SIDHU'],
    ethnicity: { 'Asian/Asian British: Indian': 1 },
    nationality: { British: 90, Indian: 10 },
    religion: { Sikh: 55, Hindu: 35, 'No religion': 5, Christian: 5 },
  },
  {
    weight: 4,
    firstNames: [...BRITISH_FIRST.slice(0, 12), ...CARIBBEAN_FIRST.slice(0, 4)],
    lastNames: [...BRITISH_LAST.slice(0, 20), ...CARIBBEAN_LAST],
    ethnicity: { 'Mixed: White and Black Caribbean': 80, 'Mixed: White and Black African': 20 },
    nationality: { British: 1 },
    religion: { 'No religion': 45, Christian: 35, Muslim: 15, 'Roman Catholic': 5 },
  },
  {
    weight: 2,
    firstNames: ['OMAR', 'KARIM', 'AHMED', 'TARIQ'],
    lastNames: ['AL-SAYED', 'HADDAD', 'NASSER', 'SALEH'],
    ethnicity: { 'Other: Arab': 60, 'Other: Any other background': 40 },
    nationality: { British: 60, Iraqi: 20, Syrian: 20 },
    religion: { Muslim: 80, 'No religion': 10, Christian: 10 },
  },
]
const HERITAGE_WEIGHTS: Weights = Object.fromEntries(HERITAGES.map((heritage, index) => [index, heritage.weight]))

// Names as they are misspelt or varied in NOMIS aliases.
const NAME_VARIANTS: Readonly<Record<string, readonly string[]>> = {
  MOHAMMED: ['MOHAMMAD', 'MUHAMMAD', 'MOHAMED'],
  MOHAMED: ['MOHAMMED', 'MOHAMUD'],
  HUSSAIN: ['HUSAIN', 'HUSSEIN'],
  STEVEN: ['STEPHEN'],
  SEAN: ['SHAUN', 'SHAWN'],
  CHRISTOPHER: ['KRISTOPHER', 'CHRIS'],
  DANIEL: ['DANNY'],
  MICHAEL: ['MICKY', 'MIKE'],
  JAMES: ['JIMMY', 'JIM'],
  MACDONALD: ['MCDONALD'],
  "O'NEILL": ['ONEILL', "O'NEIL"],
  CHOWDHURY: ['CHOUDHURY', 'CHAUDHRY'],
  KOWALSKI: ['KOWALSKY'],
  ABDIRAHMAN: ['ABDULRAHMAN'],
  OLUWASEUN: ['SEUN'],
  TYRONE: ['TY'],
}

/** A plausible misspelling: a known variant, or a consonant between two vowels written twice (OKAFOR, OKAFFOR). */
function misspelt(random: Random, name: string): string {
  const known = NAME_VARIANTS[name]
  if (known) return random.pick(known)
  const vowel = (c: string) => 'AEIOU'.includes(c)
  const positions = [...name].flatMap((c, i) =>
    i > 0 && i < name.length - 1 && /[A-Z]/.test(c) && !vowel(c) && vowel(name[i - 1]) && vowel(name[i + 1]) ? [i] : [],
  )
  if (positions.length === 0) return name
  const at = random.pick(positions)
  return name.slice(0, at + 1) + name.slice(at)
}

function aliasesFor(
  random: Random,
  heritage: Heritage,
  person: { firstName: string; lastName: string; dateOfBirth: string },
) {
  const count = Number(random.weighted({ 0: 70, 1: 22, 2: 8 }))
  const aliases: DemoPrisoner['aliases'] = []
  while (aliases.length < count) {
    const kind = random.weighted({ spelling: 45, surname: 35, firstName: 20 })
    const alias = {
      firstName: kind === 'firstName' ? random.pick(heritage.firstNames) : person.firstName,
      lastName: kind === 'surname' ? random.pick(heritage.lastNames) : person.lastName,
      dateOfBirth: random.chance(0.15) ? dateOf(dayOf(person.dateOfBirth) + random.int(-400, 400)) : person.dateOfBirth,
    }
    if (kind === 'spelling') {
      if (random.chance(0.5)) alias.firstName = misspelt(random, person.firstName)
      else alias.lastName = misspelt(random, person.lastName)
    }
    const same = (a: (typeof aliases)[number]) =>
      a.firstName === alias.firstName && a.lastName === alias.lastName && a.dateOfBirth === alias.dateOfBirth
    if (same(person) || aliases.some(same)) continue
    aliases.push(alias)
  }
  return aliases
}

// NOMIS alert codes seeded by 0002_people.sql, weighted as they are commonly set; DOCGM is of type D.
const ALERT_WEIGHTS = {
  XGANG: 20,
  XSA: 18,
  XER: 10,
  XCU: 8,
  XC: 6,
  DOCGM: 6,
  XCA: 5,
  XCO: 5,
  XSC: 4,
  XEL: 3,
  XHT: 3,
  HPI: 2,
  XTACT: 2,
}
const alert = (code: string, active = true) => ({
  alertType: code === 'DOCGM' ? 'D' : 'X',
  alertCode: code,
  active,
  expired: !active,
})

function alertsFor(random: Random): DemoPrisoner['alerts'] {
  const codes = new Set<string>()
  if (random.chance(0.25)) {
    const count = Number(random.weighted({ 1: 60, 2: 30, 3: 10 }))
    while (codes.size < count) codes.add(random.weighted(ALERT_WEIGHTS))
  }
  const alerts = [...codes].map(code => alert(code))
  if (random.chance(0.06)) {
    const expired = random.weighted(ALERT_WEIGHTS)
    if (!codes.has(expired)) alerts.push(alert(expired, false))
  }
  return alerts
}

// Moorland and Leeds are category C and B; Full Sutton is high security (the only home of Category A);
// Wandsworth is a London local prison with many on remand.
const ESTABLISHMENT_WEIGHTS: Readonly<Record<Establishment, number>> = { MDI: 40, LEI: 25, FNI: 15, WWI: 20 }
const CATEGORIES: Readonly<Record<Establishment, Weights>> = {
  MDI: { C: 72, B: 23, U: 5 },
  LEI: { B: 60, C: 30, U: 10 },
  FNI: { B: 70, A: 18, H: 4, E: 4, P: 4 },
  WWI: { B: 45, C: 35, U: 20 },
}
const WINGS: Readonly<Record<Establishment, readonly string[]>> = {
  MDI: ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'],
  LEI: ['A', 'B', 'C', 'D', 'E', 'F'],
  FNI: ['A', 'B', 'C', 'D', 'E', 'F'],
  WWI: ['B', 'C', 'E', 'G', 'H', 'K'],
}
const LIFER_SHARE: Readonly<Record<Establishment, number>> = { MDI: 0.06, LEI: 0.08, FNI: 0.35, WWI: 0.05 }

function sentenceFor(random: Random, prisonId: Establishment, category: string, dateOfBirth: string) {
  if (category === 'U') return { sentenceStartDate: null, releaseDate: null }
  const latest = '2026-10-31'
  const adult = yearsAfter(dateOfBirth, 17)
  const earliest = adult > latest ? latest : adult < '2005-01-01' ? '2005-01-01' : adult
  const sentenceStartDate = randomDate(random, earliest, latest, 0.5)
  if (random.chance(LIFER_SHARE[prisonId])) return { sentenceStartDate, releaseDate: null }
  // Most prisoners are released within a few years; a few serve long determinate sentences.
  const releaseDate = randomDate(random, '2026-12-01', '2040-12-31', 2.5)
  return random.chance(0.55)
    ? { sentenceStartDate, releaseDate, conditionalReleaseDate: releaseDate }
    : { sentenceStartDate, releaseDate }
}

function prisonNumberFrom(random: Random, taken: Set<string>): string {
  const letter = () => String.fromCharCode(65 + random.int(0, 25))
  for (;;) {
    const number = `${random.weighted({ A: 45, G: 55 })}${String(random.int(0, 9999)).padStart(4, '0')}${letter()}${letter()}`
    if (!taken.has(number)) {
      taken.add(number)
      return number
    }
  }
}

function generatedPrisoner(random: Random, index: number, taken: Set<string>): DemoPrisoner {
  const heritage = HERITAGES[Number(random.weighted(HERITAGE_WEIGHTS))]
  const prisonId = random.weighted(ESTABLISHMENT_WEIGHTS)
  const category = random.weighted(CATEGORIES[prisonId])
  const firstName = random.pick(heritage.firstNames)
  const middleName = random.chance(0.35) ? random.pick(heritage.firstNames) : firstName
  const lastName = random.pick(heritage.lastNames)
  // Ages 18 to 75 on the reference day, more of them young, as in the prison population.
  const dateOfBirth = randomDate(random, '1950-11-02', yearsAfter(REFERENCE_DATE, -18), 0.6)
  const record: DemoPrisoner = {
    prisonerNumber: prisonNumberFrom(random, taken),
    bookingId: String(1_100_000 + index * 311 + random.int(0, 300)),
    firstName,
    ...(middleName !== firstName && { middleNames: middleName }),
    lastName,
    dateOfBirth,
    gender: 'Male',
    ethnicity: random.weighted(heritage.ethnicity),
    religion: random.weighted(heritage.religion),
    nationality: random.weighted(heritage.nationality),
    status: 'ACTIVE IN',
    prisonId,
    cellLocation: `${random.pick(WINGS[prisonId])}-${random.int(1, 4)}-${String(random.int(1, 36)).padStart(3, '0')}`,
    category,
    ...sentenceFor(random, prisonId, category, dateOfBirth),
    currentIncentive: { level: { description: random.weighted({ Basic: 8, Standard: 55, Enhanced: 37 }) } },
    aliases: aliasesFor(random, heritage, { firstName, lastName, dateOfBirth }),
    alerts: alertsFor(random),
  }
  // Police and CRO numbers date from a first arrest at 14 to 30, and not after the reference year.
  const firstArrest = Math.min(Number(dateOfBirth.slice(0, 4)) + random.int(14, 30), 2026)
  if (random.chance(0.88)) {
    record.pncNumber = pncNumber(firstArrest, random.int(1, 999_999), random.chance(0.7) ? 'short' : 'long')
  }
  if (random.chance(0.4)) {
    const yy = String(firstArrest % 100).padStart(2, '0')
    record.croNumber = `${random.int(1, 999_999)}/${yy}${String.fromCharCode(65 + random.int(0, 25))}`
  }
  return record
}

// People the demo walks through: named in the guide and the tests, so they never change.
const FIXED_PRISONERS: readonly DemoPrisoner[] = [
  {
    prisonerNumber: 'A1234BC',
    bookingId: '1092834',
    firstName: 'MOHAMMED',
    lastName: 'HUSSAIN',
    dateOfBirth: '1988-04-12',
    gender: 'Male',
    ethnicity: 'Asian/Asian British: Pakistani',
    religion: 'Muslim',
    nationality: 'British',
    status: 'ACTIVE IN',
    prisonId: 'MDI',
    cellLocation: 'B-2-014',
    category: 'C',
    sentenceStartDate: '2023-02-17',
    releaseDate: '2028-08-16',
    conditionalReleaseDate: '2028-08-16',
    pncNumber: pncNumber(2006, 412_983, 'short'),
    croNumber: '304117/06K',
    currentIncentive: { level: { description: 'Standard' } },
    aliases: [
      { firstName: 'MOHAMMAD', lastName: 'HUSAIN', dateOfBirth: '1988-04-12' },
      { firstName: 'MO', lastName: 'HUSSEIN', dateOfBirth: '1988-04-12' },
    ],
    alerts: [alert('XEL'), alert('XGANG')],
  },
  {
    prisonerNumber: 'G4821KT',
    bookingId: '1187305',
    firstName: 'DANIEL',
    middleNames: 'CHUKWUEMEKA',
    lastName: 'OKAFOR',
    dateOfBirth: '1995-09-03',
    gender: 'Male',
    ethnicity: 'Black/Black British: African',
    religion: 'Christian',
    nationality: 'British',
    status: 'ACTIVE IN',
    prisonId: 'MDI',
    cellLocation: 'D-1-027',
    category: 'B',
    sentenceStartDate: '2024-06-21',
    releaseDate: '2031-03-09',
    pncNumber: pncNumber(2013, 228_461, 'long'),
    currentIncentive: { level: { description: 'Basic' } },
    aliases: [{ firstName: 'DANNY', lastName: 'OKAFFOR', dateOfBirth: '1995-09-03' }],
    alerts: [alert('XER')],
  },
  {
    prisonerNumber: 'A0001FS',
    bookingId: '1004417',
    firstName: 'DECLAN',
    lastName: 'MCCARTHY',
    dateOfBirth: '1979-12-30',
    gender: 'Male',
    ethnicity: 'White: Irish',
    religion: 'Roman Catholic',
    nationality: 'Irish',
    status: 'ACTIVE IN',
    prisonId: 'FNI',
    cellLocation: 'F-3-006',
    category: 'H',
    sentenceStartDate: '2015-05-11',
    releaseDate: null,
    pncNumber: pncNumber(1997, 87_112, 'short'),
    croNumber: '98213/97T',
    currentIncentive: { level: { description: 'Enhanced' } },
    aliases: [],
    alerts: [alert('HPI'), alert('XHT')],
  },
]

/** About 400 prisoners in the Prisoner Search shape: the fixed demo people first; the same seed, the same people. */
export function demoPrisoners(seed = 1): DemoPrisoner[] {
  const random = randomFrom(seed)
  const taken = new Set(FIXED_PRISONERS.map(p => p.prisonerNumber))
  const generated = Array.from({ length: PRISONERS - FIXED_PRISONERS.length }, (_, index) =>
    generatedPrisoner(random, index, taken),
  )
  return [...structuredClone(FIXED_PRISONERS), ...generated]
}

type DemoNominal = {
  kind: 'visitor' | 'other' | 'staff'
  firstName: string
  lastName: string
  dateOfBirth: string | null
  staffNumber?: string
  notes: string
}

const DEMO_NOMINALS: readonly DemoNominal[] = [
  { kind: 'visitor', firstName: 'AYESHA', lastName: 'HUSSAIN', dateOfBirth: '1990-07-22', notes: 'Visits A1234BC' },
  { kind: 'visitor', firstName: 'GRACE', lastName: 'OKAFOR', dateOfBirth: '1968-02-11', notes: 'Visits G4821KT' },
  { kind: 'visitor', firstName: 'SHANNON', lastName: 'WALKER', dateOfBirth: '1997-05-30', notes: 'Social visitor' },
  { kind: 'visitor', firstName: 'BOGDAN', lastName: 'POPESCU', dateOfBirth: '1985-10-04', notes: 'Social visitor' },
  { kind: 'visitor', firstName: 'MAUREEN', lastName: "O'NEILL", dateOfBirth: null, notes: 'Legal visitor' },
  {
    kind: 'other',
    firstName: 'KYLE',
    lastName: 'BRENNAN',
    dateOfBirth: '1993-01-15',
    notes: 'Associate in the community',
  },
  {
    kind: 'other',
    firstName: 'TARIQ',
    lastName: 'MAHMOOD',
    dateOfBirth: '1987-08-19',
    notes: 'Named in phone contact',
  },
  { kind: 'other', firstName: 'JASON', lastName: 'PRYCE', dateOfBirth: null, notes: 'Suspected drone operator' },
  { kind: 'other', firstName: 'LEANNE', lastName: 'FOSTER', dateOfBirth: '1999-12-03', notes: 'Sender of post' },
  { kind: 'other', firstName: 'ARBEN', lastName: 'KRASNIQI', dateOfBirth: '1982-03-27', notes: 'OCG associate' },
  {
    kind: 'staff',
    firstName: 'GARY',
    lastName: 'HOLLIS',
    dateOfBirth: null,
    staffNumber: 'MDI0417',
    notes: 'Prison officer',
  },
  {
    kind: 'staff',
    firstName: 'NICOLA',
    lastName: 'BRAITHWAITE',
    dateOfBirth: null,
    staffNumber: 'MDI0952',
    notes: 'OSG',
  },
  {
    kind: 'staff',
    firstName: 'PETER',
    lastName: 'LOCKWOOD',
    dateOfBirth: null,
    staffNumber: 'MDI1288',
    notes: 'Works in stores',
  },
]

/**
 * Imports the demo prisoners as a Prisoner Search file would be imported (so flags, aliases and protected
 * characteristics arrive the ordinary way), then adds visitors, others and staff at the first establishment.
 */
export async function seedDemoPeople(db: Db, actor: Actor): Promise<ImportSummary> {
  const summary = await importPrisoners(db, actor, { fileName: 'demo-prisoners.json', records: demoPrisoners() })
  const establishmentCode = DEMO_ESTABLISHMENTS[0]
  await auditedTransaction(db, actor, new Date(), async (trx, audit) => {
    for (const person of DEMO_NOMINALS) {
      const ref = await nextNominalRef(trx)
      const input = { ...person, establishmentCode, dateOfBirth: person.dateOfBirth ?? undefined }
      await insertNominal(trx, nominalRow(ref, input, new Date()))
      await audit({
        action: 'nominal.created',
        subjectType: 'nominal',
        subjectId: ref,
        establishmentCode,
        details: { kind: person.kind },
      })
    }
  })
  return summary
}
