import { z } from 'zod'
import { COMPARTMENTS, ROLES, SCOPES } from '../access/roles.ts'
import { PASSWORD_MIN_LENGTH } from '../auth/passwords.ts'

/** A form sends one checkbox as a string and several as an array; the API sends an array. */
export const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(value => (value === '' ? [] : Array.isArray(value) ? value : [value]), z.array(item)).default([])

const optionalText = (max: number, message: string) =>
  z.preprocess(
    value => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.string().trim().max(max, message).optional(),
  )

const userFields = {
  displayName: z
    .string({ error: 'Enter the person’s full name' })
    .trim()
    .min(1, 'Enter the person’s full name')
    .max(100, 'Full name must be 100 characters or fewer'),
  email: z.preprocess(
    value => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.email({ error: 'Enter an email address in the correct format, like name@justice.gov.uk' }).optional(),
  ),
  department: optionalText(100, 'Department must be 100 characters or fewer'),
  establishmentCode: z
    .string({ error: 'Select an establishment' })
    .trim()
    .regex(/^[A-Z]{3}$/, 'Select an establishment'),
  roles: z
    .preprocess(
      value => (value === '' ? [] : typeof value === 'string' ? [value] : value),
      z.array(z.enum(ROLES, { error: 'Select a role from the list' }), { error: 'Select at least one role' }),
    )
    .refine(roles => roles.length > 0, 'Select at least one role'),
  scope: z.enum(SCOPES, { error: 'Select what the user oversees' }),
  compartments: list(z.enum(COMPARTMENTS, { error: 'Select a compartment from the list' })),
}

const password = z
  .string({ error: `Enter a password of at least ${PASSWORD_MIN_LENGTH} characters` })
  .min(PASSWORD_MIN_LENGTH, `Enter a password of at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(200, 'Password must be 200 characters or fewer')

export const createUserSchema = z.object({
  username: z
    .string({ error: 'Enter a username' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter a username')
    .regex(
      /^[a-z0-9][a-z0-9._-]{1,63}$/,
      'Username must be 2 to 64 characters: lowercase letters, numbers, dots, hyphens or underscores',
    ),
  ...userFields,
  password,
})
export type CreateUserInput = z.output<typeof createUserSchema>

export const updateUserSchema = z.object({
  ...userFields,
  password: z.preprocess(value => (value === '' ? undefined : value), password.optional()),
})
export type UpdateUserInput = z.output<typeof updateUserSchema>

export const createTokenSchema = z.object({
  name: z
    .string({ error: 'Enter a name for the token, like the system that will use it' })
    .trim()
    .min(1, 'Enter a name for the token, like the system that will use it')
    .max(100, 'Token name must be 100 characters or fewer'),
})

export const usernameParams = z.object({ username: z.string().trim().toLowerCase().max(64) })

export const userResponse = z.object({
  username: z.string(),
  displayName: z.string(),
  email: z.string().nullable(),
  department: z.string().nullable(),
  establishmentCode: z.string(),
  roles: z.array(z.enum(ROLES)),
  scope: z.enum(SCOPES),
  compartments: z.array(z.enum(COMPARTMENTS)),
  active: z.boolean(),
})
