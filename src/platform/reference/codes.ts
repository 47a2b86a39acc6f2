// References drawn at random: EX-MDI-2026-K7QX4M. A number from a sequence would tell anyone who sees two of them how
// many were made between, and leave a gap where a record they may not see sits (issue 13, defect 6); a drawn code
// tells nothing. Pure functions: the caller gives the random bytes (node:crypto's `randomBytes`, or a seeded source
// in a test) and retries when the database says the reference is taken.

/**
 * The characters of a code: none that passes for another when read or typed (0/O, 1/I/L, 2/Z, 5/S, 8/B, U/V), and no
 * vowels, so that a code never spells a word. A code read over the phone types back as it was read.
 */
export const REFERENCE_ALPHABET = '34679CDFGHJKMNPQRTWXY'
export const CODE_LENGTH = 6
// The bytes that map onto the alphabet evenly: a byte from 252 up would favour its first four characters.
const EVEN_BYTES = 256 - (256 % REFERENCE_ALPHABET.length)

/** Random bytes, as node:crypto's `randomBytes` gives them. */
export type RandomBytes = (size: number) => Uint8Array

/** Six characters of the alphabet, at least one a letter (so a code is never mistaken for a number). */
export function drawCode(randomBytes: RandomBytes): string {
  for (;;) {
    let code = ''
    while (code.length < CODE_LENGTH) {
      for (const byte of randomBytes(CODE_LENGTH)) {
        if (byte < EVEN_BYTES && code.length < CODE_LENGTH) code += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length]
      }
    }
    if (/[A-Z]/.test(code)) return code
  }
}

/** PREFIX-MDI-2026-K7QX4M: what it is, the establishment, the year, and a drawn code. */
export function drawReference(prefix: string, establishmentCode: string, year: number, randomBytes: RandomBytes) {
  return `${prefix}-${establishmentCode}-${year}-${drawCode(randomBytes)}`
}

/** The written form of a drawn reference with this prefix. */
export function referencePattern(prefix: string): RegExp {
  return new RegExp(`^${prefix}-[A-Z]{3}-\\d{4}-[${REFERENCE_ALPHABET}]{${CODE_LENGTH}}$`)
}

/**
 * A reference as someone typed or pasted it ("ex mdi 2026 k7qx 4m", "EX–MDI–2026–K7QX4M") in its one written form,
 * or null when it is not one.
 */
export function parseReference(prefix: string, typed: string): string | null {
  const ref = writtenForm(prefix, typed)
  return ref && referencePattern(prefix).test(ref) ? ref : null
}

/** PREFIX-XXX-YYYY-CCCCCC from what was typed, in any case and spacing, before its code is checked. */
export function writtenForm(prefix: string, typed: string): string | null {
  if (typed.length > 40) return null
  const compact = typed.toUpperCase().replace(/[\s\u2010-\u2015-]/g, '')
  const parts = new RegExp(`^${prefix}([A-Z]{3})(\\d{4})([0-9A-Z]{${CODE_LENGTH}})$`).exec(compact)
  return parts ? `${prefix}-${parts[1]}-${parts[2]}-${parts[3]}` : null
}

/** Draws before giving up: with 86 million codes a prison and year, even a second draw is rare. */
const DRAWS = 10

/**
 * Inserts a record under a drawn reference, drawing again while the reference is taken. `insert` answers the record
 * or nothing when the reference was taken (an insert that does nothing on conflict), or `stop` to give up at once.
 */
export async function insertUnderDrawnReference<T>(
  what: string,
  draw: () => string,
  insert: (ref: string) => Promise<T | undefined>,
): Promise<T>
export async function insertUnderDrawnReference<T>(
  what: string,
  draw: () => string,
  insert: (ref: string) => Promise<T | undefined>,
  stop: () => Promise<boolean>,
): Promise<T | null>
export async function insertUnderDrawnReference<T>(
  what: string,
  draw: () => string,
  insert: (ref: string) => Promise<T | undefined>,
  stop: () => Promise<boolean> = async () => false,
): Promise<T | null> {
  for (let attempt = 0; attempt < DRAWS; attempt++) {
    const inserted = await insert(draw())
    if (inserted !== undefined) return inserted
    if (await stop()) return null
  }
  throw new Error(`No free ${what} reference in ${DRAWS} draws`)
}
