// Entity extraction from the free text of an intelligence report: phone numbers, handset IMEIs, vehicle
// registrations, prison numbers, PNC numbers, email addresses and cell locations. Pure functions, no I/O.
//
// Every pattern is anchored by look-behinds and bounded repetitions so that scanning a long report (tens of
// thousands of characters) stays linear: no pattern can backtrack catastrophically. Candidates are found in a
// fixed order of precedence and each claims its characters, so the digits of an IMEI or a PNC number cannot
// also produce a phone number, and an email address cannot also produce a vehicle registration.

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

/**
 * Whether a UK number without its leading 0 (or +44) is a plausible phone number: mobiles and other 07 numbers,
 * 02 and 03 numbers with 10 digits, 01 numbers with 10 (or, in a few areas, 9) digits, and 080/084/087 numbers
 * (0800 numbers may also have 9).
 */
function validUkNational(national: string): boolean {
  return (
    /^[237]\d{9}$/.test(national) ||
    /^1\d{8,9}$/.test(national) ||
    /^8[047]\d{8}$/.test(national) ||
    /^800\d{6}$/.test(national)
  )
}

/** A UK phone number in E.164 (+447700900123), or null. A bare 44 prefix (no + or 00) only when allowed. */
function normalisePhone(raw: string, allowBareCountryCode: boolean): string | null {
  const text = raw.trim()
  if (!/^\+?[\d\s().-]+$/.test(text)) return null
  const compact = text.replace(/[\s.-]/g, '')
  let national: string
  if (compact.startsWith('+44') || compact.startsWith('0044')) {
    national = compact.slice(compact.startsWith('+') ? 3 : 4).replace(/^\(0\)/, '')
    national = national.replace(/[()]/g, '')
    if (national.startsWith('0')) national = national.slice(1)
  } else if (compact.startsWith('+')) {
    return null
  } else {
    const digits = compact.replace(/[()]/g, '')
    if (digits.startsWith('0')) national = digits.slice(1)
    else if (allowBareCountryCode && /^44[1-9]\d{8,9}$/.test(digits)) national = digits.slice(2)
    else return null
  }
  return /^\d+$/.test(national) && validUkNational(national) ? `+44${national}` : null
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
// A phone-like run: +44 or 0044 (optionally then (0)), or a 0 perhaps after an opening bracket, then up to seven
// digit groups separated by spaces, dashes or a closing bracket. The valid number is found among its prefixes.
const PHONE_IN_TEXT =
  /(?<![\w+])((?:\+|00)44[ -]{0,2}(?:\(0\)[ -]{0,2})?|\((?=0)|(?=0))\d+(?:(?:\)[ -]{0,2}|[ -]{1,3})\d+){0,6}(?!\d)/g

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
 * Phone numbers: each phone-like run is cut back, group by group, to its longest prefix that is a valid UK
 * number; scanning resumes after what was taken (or after the first group when nothing was), so two numbers
 * written one after the other are both found.
 */
function phones(text: string, claims: Claims, found: Candidate[]) {
  const pattern = new RegExp(PHONE_IN_TEXT.source, 'g')
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
      const value = normalisePhone(candidate.slice(start), false)
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
