import { z } from 'zod'

// Form fields as browsers send them, for every module's schema: an empty box is "not given", a single checkbox
// is a string rather than a list.

/** An empty or blank text box is not given. */
export const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)

/** An optional field whose blank box means "not given" rather than "invalid". */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema.optional())

/** Checkboxes: none ticked sends nothing, one ticked sends a string, several send a list. */
export const asList = (value: unknown) =>
  value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]

/** A box of one item per line (attendees, names, links): blank lines dropped; a list from the API passes as it is. */
export const asLines = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(/\r?\n/)
        .map(line => line.trim())
        .filter(Boolean)
    : (value ?? [])

/**
 * A line of text a person must give, its messages naming what is asked: "Enter the visitor’s name", "The visitor’s
 * name must be 200 characters or fewer".
 */
export const requiredText = (what: string, max = 200) =>
  z
    .string({ error: `Enter ${what}` })
    .trim()
    .min(1, `Enter ${what}`)
    .max(
      max,
      `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${max.toLocaleString('en-GB')} characters or fewer`,
    )
