import type { z } from 'zod'

// The one error hierarchy. Services throw these; the HTTP layer turns them into a GOV.UK page or problem+json.

export type FieldError = { field: string; message: string }

export class AppError extends Error {
  readonly status: number
  readonly title: string
  constructor(status: number, title: string, message: string) {
    super(message)
    this.status = status
    this.title = title
  }
}

export class ValidationError extends AppError {
  override name = 'ValidationError'
  readonly fields: FieldError[]
  constructor(fields: FieldError[]) {
    super(400, 'There is a problem', fields.map(f => f.message).join('. '))
    this.fields = fields
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }])
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError'
  constructor(message = 'Page not found') {
    super(404, 'Page not found', message)
  }
}

export class ForbiddenError extends AppError {
  override name = 'ForbiddenError'
  constructor(message = 'You do not have permission to do this.') {
    super(403, 'You do not have permission to view this page', message)
  }
}

export class UnauthenticatedError extends AppError {
  override name = 'UnauthenticatedError'
  constructor(message = 'Sign in to continue.') {
    super(401, 'Sign in required', message)
  }
}

/** Someone else changed the record first, or the request repeats one already made. */
export class ConflictError extends AppError {
  override name = 'ConflictError'
  constructor(message: string) {
    super(409, 'This has changed', message)
  }
}

export class TooManyRequestsError extends AppError {
  override name = 'TooManyRequestsError'
  constructor(message: string) {
    super(429, 'Too many attempts', message)
  }
}

// Control characters have no place in what people type, and PostgreSQL refuses NUL in text; tab and line breaks
// belong in long text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is what it is for
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/** The path of every string in the input that holds a control character, as a field name. */
function fieldsWithControlCharacters(value: unknown, path: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') return CONTROL_CHARACTER.test(value) ? [path.join('.') || 'body'] : []
  if (!value || typeof value !== 'object' || depth > 20) return []
  return Object.entries(value).flatMap(([key, item]) => [
    ...(CONTROL_CHARACTER.test(key) ? [[...path, key.replace(CONTROL_CHARACTER, '')].join('.')] : []),
    ...fieldsWithControlCharacters(item, [...path, key], depth + 1),
  ])
}

/**
 * Parses input at the edge: the typed value, or a ValidationError naming each field with the schema's message. Every
 * string is checked for control characters first, once, whatever the schema.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const controlled = fieldsWithControlCharacters(input)
  if (controlled.length > 0) {
    throw new ValidationError(
      [...new Set(controlled)].map(field => ({
        field,
        message: 'Remove the control character (such as a NUL) from this field: only tabs and line breaks may be used',
      })),
    )
  }
  const result = schema.safeParse(input ?? {})
  if (result.success) return result.data
  const seen = new Set<string>()
  const fields: FieldError[] = []
  for (const issue of result.error.issues) {
    const field = issue.path.map(String).join('.') || 'body'
    if (seen.has(field)) continue
    seen.add(field)
    fields.push({ field, message: issue.message })
  }
  throw new ValidationError(fields)
}
