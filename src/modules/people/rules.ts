// People: identity and security flag policy as pure functions. No I/O; dates are passed in.

export const NOMINAL_KINDS = ['prisoner', 'staff', 'visitor', 'other'] as const
export type NominalKind = (typeof NOMINAL_KINDS)[number]

export const NOMINAL_KIND_NAMES: Record<NominalKind, string> = {
  prisoner: 'Prisoner',
  staff: 'Member of staff',
  visitor: 'Visitor',
  other: 'Other (outside prison)',
}

/** NOMIS prison numbers: a letter, four digits, two letters, e.g. A1234BC. */
export const PRISON_NUMBER = /^[A-Z][0-9]{4}[A-Z]{2}$/

export function normalisePrisonNumber(value: string): string {
  return value.trim().toUpperCase()
}

// PNC check character alphabet: the letters without I, O and S.
const PNC_CHECK = 'ZABCDEFGHJKLMNPQRTUVWXY'

/**
 * A Police National Computer number, normalised to YYYY/NNNNNNNC (e.g. 2012/0123456X) when its check character
 * is right, or null. Short forms (12/123456X) are expanded; the check is (two-digit year and serial) mod 23.
 */
export function normalisePnc(value: string): string | null {
  const match = /^(\d{2}|\d{4})\/(\d{1,7})([A-Z])$/.exec(value.trim().toUpperCase())
  if (!match) return null
  const [, year, serial, check] = match
  const fullYear = year.length === 4 ? year : `${Number(year) > 50 ? '19' : '20'}${year}`
  const padded = serial.padStart(7, '0')
  const expected = PNC_CHECK[Number(`${fullYear.slice(2)}${padded}`) % 23]
  return check === expected ? `${fullYear}/${padded}${check}` : null
}

/** A Criminal Records Office number, e.g. 123456/99A (also the SF form SF99/12345X); format only. */
export function normaliseCro(value: string): string | null {
  const text = value.trim().toUpperCase()
  return /^(SF\d{2}\/\d{1,6}[A-Z]|\d{1,6}\/\d{2}[A-Z])$/.test(text) ? text : null
}

/** Cell locations as NOMIS writes them: wing-landing-cell, e.g. A-1-002 or HB1-2-014. */
export const CELL_LOCATION = /^[A-Z0-9]{1,5}(-[A-Z0-9]{1,5}){1,3}$/

// Security categories with their NOMIS codes. Category A and Restricted Status are categories, not flags. E and H are
// Category A's exceptional and high escape risk; the escape list (E List) is a separate regime held as the XEL/XELH
// flags, never a category.
export const SECURITY_CATEGORIES = [
  { code: 'A', description: 'Category A', family: 'category-a' },
  { code: 'E', description: 'Category A Exceptional escape risk', family: 'category-a' },
  { code: 'H', description: 'Category A High escape risk', family: 'category-a' },
  { code: 'P', description: 'Provisional Category A', family: 'category-a' },
  { code: 'B', description: 'Category B', family: 'adult-male' },
  { code: 'C', description: 'Category C', family: 'adult-male' },
  { code: 'D', description: 'Category D', family: 'adult-male' },
  { code: 'Q', description: 'Female Restricted Status', family: 'restricted-status' },
  { code: 'R', description: 'Female Closed', family: 'female' },
  { code: 'S', description: 'Female Semi Open', family: 'female' },
  { code: 'T', description: 'Female Open', family: 'female' },
  { code: 'V', description: 'YOI Restricted Status', family: 'restricted-status' },
  { code: 'I', description: 'YOI Closed', family: 'yoi' },
  { code: 'J', description: 'YOI Open', family: 'yoi' },
  { code: 'K', description: 'YOI Short Term', family: 'yoi' },
  { code: 'U', description: 'Unsentenced', family: 'other' },
  { code: 'X', description: 'Uncategorised Sentenced Male', family: 'other' },
  { code: 'Z', description: 'Unclassified', family: 'other' },
] as const
export type SecurityCategoryCode = (typeof SECURITY_CATEGORIES)[number]['code']
const CATEGORY_CODES: readonly string[] = SECURITY_CATEGORIES.map(c => c.code)

export function isSecurityCategory(code: string): code is SecurityCategoryCode {
  return CATEGORY_CODES.includes(code)
}

export function categoryDescription(code: string | null | undefined): string {
  return SECURITY_CATEGORIES.find(c => c.code === code)?.description ?? (code ? `Category ${code}` : 'Not recorded')
}

/** Category A in any of its forms (standard, high or exceptional escape risk, provisional). */
export function isCategoryA(code: string | null | undefined): boolean {
  return SECURITY_CATEGORIES.some(c => c.code === code && c.family === 'category-a')
}

/** Restricted Status: women and young people who would be Category A if adult men. */
export function isRestrictedStatus(code: string | null | undefined): boolean {
  return SECURITY_CATEGORIES.some(c => c.code === code && c.family === 'restricted-status')
}

export const INCENTIVE_LEVELS = ['Basic', 'Standard', 'Enhanced', 'Enhanced 2', 'Enhanced 3'] as const

/** Staff nominals are need-to-know: they exist only inside the staff-corruption compartment. */
export function compartmentForKind(kind: NominalKind): 'staff-corruption' | null {
  return kind === 'staff' ? 'staff-corruption' : null
}

export type AlertPeriod = { activeFrom: string; activeTo: string | null }

/** A flag is active from its first day until the day before its end date (NOMIS semantics). */
export function alertIsActive(period: AlertPeriod, today: string): boolean {
  return period.activeFrom <= today && (period.activeTo === null || period.activeTo > today)
}

/** The message for a flag whose dates do not make sense, or null. */
export function alertDatesProblem(period: AlertPeriod): { field: 'activeTo'; message: string } | null {
  if (period.activeTo !== null && period.activeTo < period.activeFrom) {
    return { field: 'activeTo', message: 'The end date must be the same as or after the start date' }
  }
  return null
}

/** Whether this user's roles may see a flag code restricted to named roles (null: visible to all readers). */
export function alertCodeVisible(visibleToRoles: readonly string[] | null, roles: readonly string[]): boolean {
  return visibleToRoles === null || roles.some(role => visibleToRoles.includes(role))
}

/** Whole years between a date of birth and a day. */
export function ageOn(dateOfBirth: string, today: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number)
  const [ty, tm, td] = today.split('-').map(Number)
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0)
}
