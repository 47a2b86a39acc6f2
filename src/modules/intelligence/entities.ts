// Entity extraction from the free text of an intelligence report: phone numbers, handset IMEIs, vehicle
// registrations, prison numbers, PNC numbers, email addresses and cell locations. Pure functions, no I/O.
//
// Phone numbers are found and checked by libphonenumber-js. Every other pattern is anchored by look-behinds and bounded repetitions so that scanning a long report (tens of
// thousands of characters) stays linear: no pattern can backtrack catastrophically. Candidates are found in a
// fixed order of precedence and each claims its characters, so the digits of an IMEI or a PNC number cannot
// also produce a phone number, and an email address cannot also produce a vehicle registration.

import { type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js'

export const ENTITY_TYPES = ['phone', 'imei', 'vehicle', 'prison-number', 'pnc', 'email', 'cell'] as const
export type EntityType = (typeof ENTITY_TYPES)[number]

export const ENTITY_TYPE_NAMES: Record<EntityType, string> = {
  phone: 'Phone number',
  imei: 'IMEI',
  vehicle: 'Vehicle registration',
  'prison-number': 'Prison number',
  pnc: 'PNC number',
  email: 'Email address',
  cell: 'Cell location',
}

/** An entity found in a text: its normalised value, the text as written and its offsets (text.slice(start, end) === raw). */
export type ExtractedEntity = { type: EntityType; value: string; raw: string; start: number; end: number }

/** Whether a string of digits passes the Luhn check (used by IMEIs and payment cards). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      digit *= 2
      if (digit > 9) digit -= 9
    }
    sum += digit
  }
  return sum % 10 === 0
}

// ---- Normalisation of single values ----

// ---- Phone numbers: libphonenumber-js, with the United Kingdom as the default region ----

const DEFAULT_REGION = 'GB'

/**
 * Ofcom's ranges for drama (07700 900000-900999, 01632 960000-960999): never given to anyone, so the numbering plan
 * calls them invalid, but demonstrations, training and tests use them as the plausible numbers they are written to
 * be. The other drama ranges (020 7946 0xxx, 0113 496 0xxx...) lie inside real ranges and pass anyway.
 */
const DRAMA_NUMBER = /^\+44(?:7700900|1632960)\d{3}$/

/** A number in E.164 when it is a real number (or a drama one); null when it is not a phone number at all. */
function e164(number: PhoneNumber | undefined): string | null {
  if (!number || number.ext) return null
  return number.isValid() || DRAMA_NUMBER.test(number.number) ? number.number : null
}

/**
 * A phone number as an analyst types it, in E.164 (+447700900123), or null. A national number is a UK one; a
 * number with + or 00 and its country code is anyone's. A bare country code (447700900123) is read as one here,
 * though not in free text.
 */
function normalisePhone(raw: string, allowBareCountryCode: boolean): string | null {
  const text = raw.trim()
  // Digits and the marks people write between them only: the library would read letters as a keypad's digits.
  if (!/^\+?[\d\s().-]+$/.test(text)) return null
  // A national number starts with its trunk 0: "7700900123" is not taken for a UK number.
  if (!/^(?:\+|\(?0|44)/.test(text)) return null
  const national = e164(parsePhoneNumberFromString(text, DEFAULT_REGION))
  return national ?? (allowBareCountryCode && /^44\d/.test(text) ? e164(parsePhoneNumberFromString(`+${text}`)) : null)
}

function normaliseImei(raw: string): string | null {
  const text = raw.trim()
  if (!/^\d(?:[\s-]?\d)*$/.test(text)) return null
  const digits = text.replace(/[\s-]/g, '')
  return digits.length === 15 && luhnValid(digits) ? digits : null
}

// Vehicle registrations. Current format (2001 on): two-letter memory tag (never I, Q or Z), two-digit age
// identifier, three letters. Prefix (1983-2001) and suffix (1963-1983) formats: a year letter (never I, O, Q, U
// or Z), one to three digits and three letters.
const CURRENT_REG = '[A-HJ-PR-Y]{2}\\d{2} ?[A-Z]{3}'
const PREFIX_REG = '[A-HJ-NPR-TV-Y]\\d{1,3} ?[A-Z]{3}'
const SUFFIX_REG = '[A-Z]{3} ?\\d{1,3}[A-HJ-NPR-TV-Y]'
const VEHICLE_EXACT = new RegExp(`^(?:${CURRENT_REG}|${PREFIX_REG}|${SUFFIX_REG})$`)

function normaliseVehicle(raw: string): string | null {
  const text = raw.trim().toUpperCase().replace(/\s+/g, ' ')
  return VEHICLE_EXACT.test(text) ? text.replace(' ', '') : null
}

function normalisePrisonNumber(raw: string): string | null {
  const text = raw.trim().toUpperCase()
  return /^[A-Z]\d{4}[A-Z]{2}$/.test(text) ? text : null
}

// PNC check character alphabet: the letters without I, O and S.
const PNC_CHECK = 'ZABCDEFGHJKLMNPQRTUVWXY'

/**
 * A Police National Computer number normalised to YYYY/NNNNNNNC when its check character is right, or null.
 * Short forms (12/123456X) are expanded: years 00-50 are 20YY, 51-99 are 19YY; four-digit years are 19YY or 20YY.
 */
function normalisePnc(raw: string): string | null {
  const match = /^(\d{2}|(?:19|20)\d{2})\/(\d{1,7})([A-Z])$/.exec(raw.trim().toUpperCase())
  if (!match) return null
  const [, year, serial, check] = match
  const fullYear = year.length === 4 ? year : `${Number(year) > 50 ? '19' : '20'}${year}`
  const padded = serial.padStart(7, '0')
  const expected = PNC_CHECK[Number(`${fullYear.slice(2)}${padded}`) % 23]
  return check === expected ? `${fullYear}/${padded}${check}` : null
}

const EMAIL_BODY = '[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9-]{1,63}\\.){1,10}[A-Za-z]{2,24}'
const EMAIL_EXACT = new RegExp(`^${EMAIL_BODY}$`)

function normaliseEmail(raw: string): string | null {
  const text = raw.trim()
  if (!EMAIL_EXACT.test(text)) return null
  const [local, domain] = text.split('@')
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null
  if (domain.split('.').some(label => label.startsWith('-') || label.endsWith('-'))) return null
  return text.toLowerCase()
}

function normaliseCell(raw: string): string | null {
  const text = raw.trim().toUpperCase()
  return /^[A-Z][A-Z0-9]{0,3}-\d{1,2}-\d{1,3}$/.test(text) ? text : null
}

/**
 * Normalises a value typed by an analyst into a field of the given type, or null when it is not valid for that
 * type. Phone numbers become E.164 (+447700900123); a bare 44 country code is accepted here though not in free
 * text. IMEIs become their 15 digits; vehicle registrations, prison numbers and cell locations upper case
 * without spaces in the registration; PNC numbers YYYY/NNNNNNNC; email addresses lower case.
 */
export function normaliseEntity(type: EntityType, raw: string): string | null {
  switch (type) {
    case 'phone':
      return normalisePhone(raw, true)
    case 'imei':
      return normaliseImei(raw)
    case 'vehicle':
      return normaliseVehicle(raw)
    case 'prison-number':
      return normalisePrisonNumber(raw)
    case 'pnc':
      return normalisePnc(raw)
    case 'email':
      return normaliseEmail(raw)
    case 'cell':
      return normaliseCell(raw)
  }
}

// ---- Extraction from free text ----

const EMAIL_IN_TEXT = new RegExp(`(?<![A-Za-z0-9._%+-])${EMAIL_BODY}(?![A-Za-z0-9-])`, 'g')
const PNC_IN_TEXT = /(?<![\w/])(?:\d{4}|\d{2})\/\d{1,7}[A-Za-z](?![A-Za-z0-9])/g
// A maximal run of digit groups separated by single spaces or dashes.
const DIGIT_RUN = /(?<!\d)\d+(?:[ -]\d+)*(?!\d)/g
const PRISON_NUMBER_IN_TEXT = /(?<![A-Za-z0-9])[A-Za-z]\d{4}[A-Za-z]{2}(?![A-Za-z0-9])/g
// Case-sensitive: only registrations written in capitals, so ordinary words are never taken for one.
const VEHICLE_IN_TEXT = new RegExp(`(?<![A-Za-z0-9])(?:${CURRENT_REG}|${PREFIX_REG}|${SUFFIX_REG})(?![A-Za-z0-9])`, 'g')
const CELL_IN_TEXT =
  /(?<![A-Za-z0-9]|[A-Za-z0-9]-)[A-Za-z][A-Za-z0-9]{0,3}-\d{1,2}-\d{1,3}(?![A-Za-z0-9]|-[A-Za-z0-9])/g
// A phone-like run: +44 or 0044 (optionally then (0)), another + or 00 and a country code, or a 0 perhaps after an
// opening bracket, then up to seven digit groups separated by spaces, dashes or a closing bracket. The valid number
// is found among its prefixes.
const PHONE_IN_TEXT =
  /(?<![\w+])((?:\+|00)44[ -]{0,2}(?:\(0\)[ -]{0,2})?|(?:\+|00)(?=[1-9])|\((?=0)|(?=0))\d+(?:(?:\)[ -]{0,2}|[ -]{1,3})\d+){0,6}(?!\d)/g
// Short capitalised words that would otherwise make 'A1 AND' or 'THE 12A' look like an old-style registration.
const COMMON_WORDS = new Set(
  (
    'ALL AND ANY ARE BUT CAN DAY DID FOR GET GOT HAD HAS HER HIM HIS HOW ITS LET MAN MAY NEW NOT NOW OFF OLD ONE ' +
    'OUR OUT OWN SAW SAY SEE SHE THE TOO TWO USE WAS WAY WHO WHY YES YET YOU'
  ).split(' '),
)

type Candidate = { type: EntityType; value: string; start: number; end: number }

/** Records which characters of the text already belong to an entity. */
class Claims {
  readonly #taken: Uint8Array
  constructor(length: number) {
    this.#taken = new Uint8Array(length)
  }
  free(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.#taken[i]) return false
    return true
  }
  take(start: number, end: number) {
    this.#taken.fill(1, start, end)
  }
}

function* matches(pattern: RegExp, text: string): Generator<{ raw: string; start: number }> {
  for (const match of text.matchAll(pattern)) yield { raw: match[0], start: match.index }
}

function emails(text: string, claims: Claims, found: Candidate[]) {
  for (const { raw, start } of matches(EMAIL_IN_TEXT, text)) {
    const value = normaliseEmail(raw)
    if (value) add(found, claims, 'email', value, start, start + raw.length)
  }
}

function pncs(text: string, claims: Claims, found: Candidate[]) {
  for (const { raw, start } of matches(PNC_IN_TEXT, text)) {
    const value = normalisePnc(raw)
    if (value) add(found, claims, 'pnc', value, start, start + raw.length)
  }
}

/**
 * IMEIs: a run of digit groups (separated by single spaces or dashes) with 15 digits in all; failing that, each
 * part of the run between spaces (35-209900-176148-1 written next to other numbers); failing that, any single
 * 15-digit group. Only Luhn-valid numbers count.
 */
function imeis(text: string, claims: Claims, found: Candidate[]) {
  for (const { raw, start } of matches(DIGIT_RUN, text)) {
    for (const part of [{ raw, index: 0 }, ...spacedParts(raw), ...groupsOf15(raw)]) {
      const value = normaliseImei(part.raw)
      if (value) add(found, claims, 'imei', value, start + part.index, start + part.index + part.raw.length)
    }
  }
}

function spacedParts(run: string) {
  return run.includes(' ') ? [...run.matchAll(/[\d-]+/g)].map(m => ({ raw: m[0], index: m.index })) : []
}

function groupsOf15(run: string) {
  return /[ -]/.test(run) ? [...run.matchAll(/\d+/g)].map(m => ({ raw: m[0], index: m.index })) : []
}

function prisonNumbers(text: string, claims: Claims, found: Candidate[]) {
  for (const { raw, start } of matches(PRISON_NUMBER_IN_TEXT, text)) {
    add(found, claims, 'prison-number', raw.toUpperCase(), start, start + raw.length)
  }
}

function vehicles(text: string, claims: Claims, found: Candidate[]) {
  for (const { raw, start } of matches(VEHICLE_IN_TEXT, text)) {
    const words = raw.split(' ')
    // An old-style registration written as two words is not one when a word is an ordinary word.
    if (words.length === 2 && words.some(word => COMMON_WORDS.has(word))) continue
    const value = normaliseVehicle(raw)
    if (value) add(found, claims, 'vehicle', value, start, start + raw.length)
  }
}

function cells(text: string, claims: Claims, found: Candidate[]) {
  for (const { raw, start } of matches(CELL_IN_TEXT, text)) {
    // Lower case is fine for 'b-3-21' or 'hb1-2-014', but a wing of three or more letters must be in capitals
    // so that words such as 'well-1-2' are not taken for a cell.
    const wing = raw.slice(0, raw.indexOf('-'))
    if (/^[A-Za-z]{3,}$/.test(wing) && wing !== wing.toUpperCase()) continue
    add(found, claims, 'cell', raw.toUpperCase(), start, start + raw.length)
  }
}

/**
 * Phone numbers: each phone-like run is cut back, group by group, to its longest prefix that libphonenumber-js calls
 * a valid number (national numbers read as UK ones); scanning resumes after what was taken (or after the first group
 * when nothing was), so two numbers written one after the other are both found. The library's own finder reads such
 * a run as one number, and takes a count that follows a number ("07700 900123 3 times") into it.
 */
function phones(text: string, claims: Claims, found: Candidate[]) {
  const pattern = new RegExp(PHONE_IN_TEXT.source, 'g')
  // A text repeats its numbers (and a pathological one its runs): each candidate is asked of the library once.
  const known = new Map<string, string | null>()
  const phoneIn = (candidate: string) => {
    const digits = candidate.replace(/^00|\D/g, '').length
    // Shorter or longer than any number in the world's plans (E.164: at most 15 digits with the country code).
    if (digits < 7 || digits > 16) return null
    if (!known.has(candidate)) known.set(candidate, normalisePhone(candidate, false))
    return known.get(candidate) ?? null
  }
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const raw = match[0]
    const prefixLength = match[1].length
    const groupEnds = [...raw.slice(prefixLength).matchAll(/\d+/g)].map(g => prefixLength + g.index + g[0].length)
    let taken = 0
    for (let i = groupEnds.length - 1; i >= 0 && !taken; i--) {
      let start = 0
      const candidate = raw.slice(0, groupEnds[i])
      // '(07700 900123)': the opening bracket is not part of the number when it is not closed within it.
      if (candidate.startsWith('(') && !candidate.includes(')')) start = 1
      const value = phoneIn(candidate.slice(start))
      if (value) {
        add(found, claims, 'phone', value, match.index + start, match.index + groupEnds[i])
        taken = groupEnds[i]
      }
    }
    pattern.lastIndex = match.index + (taken || groupEnds[0])
  }
}

function add(found: Candidate[], claims: Claims, type: EntityType, value: string, start: number, end: number) {
  if (!claims.free(start, end)) return
  claims.take(start, end)
  found.push({ type, value, start, end })
}

/**
 * The entities in a text, sorted by where they start, each (type, value) reported once at its first occurrence.
 * Offsets are UTF-16 code unit indices, so text.slice(start, end) is the entity as written.
 */
export function extractEntities(text: string): ExtractedEntity[] {
  const claims = new Claims(text.length)
  const found: Candidate[] = []
  // Order of precedence: the more specific patterns claim their characters first.
  emails(text, claims, found)
  pncs(text, claims, found)
  imeis(text, claims, found)
  prisonNumbers(text, claims, found)
  vehicles(text, claims, found)
  cells(text, claims, found)
  phones(text, claims, found)
  found.sort((a, b) => a.start - b.start)
  const seen = new Set<string>()
  const entities: ExtractedEntity[] = []
  for (const { type, value, start, end } of found) {
    const key = `${type}\u0000${value}`
    if (seen.has(key)) continue
    seen.add(key)
    entities.push({ type, value, raw: text.slice(start, end), start, end })
  }
  return entities
}
