import { z } from 'zod'

// Dates as people enter them: the GOV.UK date input (day, month and year boxes) on pages, ISO 8601 from the API, one
// calendar value ('YYYY-MM-DD') behind both. Messages follow the GOV.UK pattern and name the part that is wrong.

const PARTS = ['day', 'month', 'year'] as const
type Parts = Record<(typeof PARTS)[number], string>

/**
 * Folds each GOV.UK date input a form sent (`heldOn-day`, `heldOn-month`, `heldOn-year`) into one field
 * (`heldOn: { day, month, year }`), so a schema reads a date as one value and its errors name `heldOn.month`, the id
 * of the box to fix. Other fields pass as they are.
 */
export function foldDateInputs(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body
  const fields = body as Record<string, unknown>
  const folded: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) {
    const match = /^(.+)-(day|month|year)$/.exec(key)
    const name = match?.[1]
    if (name && PARTS.every(part => `${name}-${part}` in fields)) {
      folded[name] = { ...(folded[name] as object), [match[2]]: typeof value === 'string' ? value.trim() : '' }
    } else {
      folded[key] = value
    }
  }
  return folded
}

const sentence = (what: string) => what.charAt(0).toUpperCase() + what.slice(1)

function realDate(parts: Parts): string | null {
  const [day, month, year] = [Number(parts.day), Number(parts.month), Number(parts.year)]
  const date = new Date(Date.UTC(year, month - 1, day))
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  return real ? date.toISOString().slice(0, 10) : null
}

/**
 * The date's problem, and the box to fix first when it is about missing or wrong boxes (the summary links there, and
 * the date input marks every empty box); no box when it is about the whole date, which marks all three. Null when
 * the parts make a real date.
 */
function partsProblem(what: string, parts: Parts): { path: string[]; message: string } | null {
  const missing = PARTS.filter(part => parts[part] === '')
  if (missing.length > 0) {
    const message = `${sentence(what)} must include a ${missing.join(' and ')}`
    return { path: [missing[0]], message }
  }
  const realDateNeeded = { path: [], message: `${sentence(what)} must be a real date` }
  if (PARTS.some(part => !/^\d+$/.test(parts[part]))) return realDateNeeded
  if (!/^\d{4}$/.test(parts.year)) {
    return { path: ['year'], message: `${sentence(what)} must include a year with 4 numbers` }
  }
  return realDate(parts) ? null : realDateNeeded
}

/**
 * A calendar date, 'YYYY-MM-DD': from a GOV.UK date input on a page, or an ISO 8601 date from the API. `what` is how
 * the question names it, for the messages ("the date of the meeting").
 */
export function dateInput(what: string) {
  // Described to the API as what it takes there: an ISO 8601 calendar date.
  const described = z.unknown().meta({ type: 'string', format: 'date', description: `${sentence(what)}, YYYY-MM-DD` })
  return described.transform((value, context): string => {
    const fail = (message: string, path: string[] = []) => {
      context.addIssue({ code: 'custom', message, path })
      return z.NEVER
    }
    if (typeof value === 'string') {
      if (value.trim() === '') return fail(`Enter ${what}`)
      const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim())
      const date = iso && realDate({ year: iso[1], month: iso[2], day: iso[3] })
      return date ?? fail(`${sentence(what)} must be a real date, like 2026-11-25`)
    }
    if (!value || typeof value !== 'object') return fail(`Enter ${what}`)
    const parts = Object.fromEntries(
      PARTS.map(part => [part, String((value as Record<string, unknown>)[part] ?? '').trim()]),
    ) as Parts
    if (PARTS.every(part => parts[part] === '')) return fail(`Enter ${what}`)
    const problem = partsProblem(what, parts)
    if (problem) return fail(problem.message, problem.path)
    return realDate(parts) as string
  })
}

/** A date that may be left out: all three boxes empty (or no value from the API) is "not given". */
export function optionalDateInput(what: string) {
  const empty = (value: unknown) =>
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (typeof value === 'object' && PARTS.every(part => !String((value as Record<string, unknown>)[part] ?? '').trim()))
  return z.preprocess(value => (empty(value) ? undefined : value), dateInput(what).optional())
}

/** A time of day on the 24-hour clock, "14:30": hours and minutes, as people write them on a page. */
export function timeInput(what: string) {
  return z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .regex(/^([01]?\d|2[0-3])[:.]([0-5]\d)$/, `Enter ${what} on the 24-hour clock, like 14:30`)
    .transform(time => {
      const [hours, minutes] = time.split(/[:.]/)
      return `${hours.padStart(2, '0')}:${minutes}`
    })
}
