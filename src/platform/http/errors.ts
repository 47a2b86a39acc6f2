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

/** Parses input at the edge: the typed value, or a ValidationError naming each field with the schema's message. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
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
