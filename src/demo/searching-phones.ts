import { luhnValid, normaliseEntity } from '../modules/intelligence/entities.ts'
import type { SearchingService } from '../modules/searching/service.ts'
import { type CurrentUser, loadCurrentUser } from '../platform/access/user.ts'
import type { Db } from '../platform/db/database.ts'
import { findUserByUsername } from '../platform/users/repository.ts'
import { imei, ukMobile } from './intelligence-text.ts'
import { type Random, randomFrom } from './random.ts'
import { FIRST_ESTABLISHMENT } from './users.ts'

// Demo interrogations of seized phones (output 15) at the demo prison, through the searching service: most of the
// month's phones and SIM cards sent for interrogation, most with a result, one awaiting it, the newest not yet sent.
// Results carry numbers that earlier demo intelligence names, so that correlation and the network show the link.

const CID = 'demo'
const DAY = 24 * 3_600_000
const NICKNAMES = ['Big Man', 'Tiny', 'Scouse', 'Cuz', 'Junior', 'Smithy', 'Bookie', 'Uncle', 'Sparky', 'Mum', 'Babe']

async function demoUser(db: Db, username: string): Promise<CurrentUser> {
  const record = await findUserByUsername(db, username)
  if (!record) throw new Error(`The demo user ${username} is missing: seed the demo accounts first`)
  return loadCurrentUser(db, record, 'session')
}

/** The phones and SIM cards found at the demo prison in the last month, oldest first. */
function phoneFinds(db: Db, now: Date) {
  return db
    .selectFrom('searchingFind')
    .select(['ref', 'category', 'foundAt'])
    .where('establishmentCode', '=', FIRST_ESTABLISHMENT)
    .where('category', 'in', ['mobile-phone', 'sim-card'])
    .where('foundAt', '>=', new Date(now.getTime() - 30 * DAY))
    .orderBy('foundAt')
    .execute()
}

/** Numbers that demo intelligence at the demo prison names and an analyst has confirmed. */
async function knownNumbers(db: Db) {
  const rows = await db
    .selectFrom('intelligenceReportEntity as re')
    .innerJoin('intelligenceEntity as en', 'en.id', 're.entityId')
    .select('en.value')
    .distinct()
    .where('re.establishmentCode', '=', FIRST_ESTABLISHMENT)
    .where('re.status', '=', 'accepted')
    .where('en.type', '=', 'phone')
    .orderBy('en.value')
    .limit(40)
    .execute()
  return rows.map(row => row.value)
}

/** A lawful basis as the security department would use it: mostly its own examination, sometimes the police's. */
function basis(random: Random, index: number) {
  if (index % 4 === 2)
    return { lawfulBasis: 'police-request' as const, authorisationRef: `SYP/PIO/${random.int(1000, 9999)}` }
  if (index % 4 === 3)
    return { lawfulBasis: 'stored-communications' as const, authorisationRef: `CD-${random.int(100000, 999999)}` }
  return { lawfulBasis: 'security-examination' as const }
}

/** A SIM card's ICCID: 89 (telecoms), 44 (the United Kingdom), then digits and a Luhn check digit. */
function iccid(random: Random) {
  const body = `8944${String(random.int(0, 99_999_999)).padStart(8, '0')}${String(random.int(0, 999_999)).padStart(6, '0')}`
  for (let check = 0; ; check++) if (luhnValid(`${body}${check}`)) return `${body}${check}`
}

/** A drama-range mobile number as intelligence keeps it, in E.164. */
const mobile = (random: Random) => normaliseEntity('phone', ukMobile(random)) as string

/** What an interrogation found: a known number or two, some unknown ones, and contacts under nicknames. */
function result(random: Random, known: readonly string[], handset: string | undefined) {
  const fromIntelligence = known.length ? [random.pick(known), ...(random.chance(0.4) ? [random.pick(known)] : [])] : []
  const fresh = Array.from({ length: random.int(1, 3) }, () => mobile(random))
  const contacts = Array.from({ length: random.int(1, 3) }, (_, i) => ({
    name: NICKNAMES[(i + random.int(0, NICKNAMES.length - 1)) % NICKNAMES.length],
    number: i === 0 && fromIntelligence.length ? fromIntelligence[0] : mobile(random),
  }))
  return {
    imeis: handset ? [handset] : [],
    numbers: [...new Set([...fromIntelligence.slice(1), ...fresh])],
    contacts,
  }
}

/** Creates the demo interrogations once; answers how many. */
export async function seedSearchingPhones(db: Db, searching: SearchingService, now = new Date()) {
  const existing = await db
    .selectFrom('searchingInterrogation')
    .select('id')
    .where('establishmentCode', '=', FIRST_ESTABLISHMENT)
    .limit(1)
    .executeTakeFirst()
  if (existing) return 0
  const finds = await phoneFinds(db, now)
  // The newest is left for the security department to send.
  const sent = finds.slice(0, -1)
  if (sent.length === 0) return 0
  const [head, analyst] = [await demoUser(db, 'head-of-security'), await demoUser(db, 'analyst')]
  const known = await knownNumbers(db)
  const random = randomFrom(1515)
  for (const [index, find] of sent.entries()) {
    const requestedAt = new Date(Math.min(find.foundAt.getTime() + random.int(2, 30) * 3_600_000, now.getTime()))
    const identifiers: { imei?: string; iccid?: string } =
      find.category === 'mobile-phone' ? { imei: imei(random) } : { iccid: iccid(random) }
    const { ref } = await searching.requestInterrogation(
      head,
      find.ref,
      { ...basis(random, index), ...identifiers },
      CID,
      requestedAt,
    )
    const resultAt = new Date(requestedAt.getTime() + random.int(2, 6) * DAY)
    // The latest request awaits its result, as one whose examination is not done.
    if (index === sent.length - 1 || resultAt.getTime() > now.getTime()) continue
    await searching.recordInterrogationResult(analyst, ref, result(random, known, identifiers.imei), CID, resultAt)
  }
  return sent.length
}
