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
