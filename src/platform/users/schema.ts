import { z } from 'zod'
import { COMPARTMENTS, ROLES, SCOPES } from '../access/roles.ts'
import { PASSWORD_MIN_LENGTH } from '../auth/passwords.ts'
import { asList, optional } from '../http/fields.ts'
import { pageQuery } from '../http/forms.ts'

/** Checkboxes: a form sends one as a string and several as an array; the API sends an array. */
const list = <T extends z.ZodType>(item: T) => z.preprocess(asList, z.array(item)).default([])

const userFields = {
  displayName: z
    .string({ error: 'Enter the person’s full name' })
    .trim()
    .min(1, 'Enter the person’s full name')
    .max(100, 'Full name must be 100 characters or fewer'),
  email: optional(z.email({ error: 'Enter an email address in the correct format, like name@justice.gov.uk' })),
  department: optional(z.string().trim().max(100, 'Department must be 100 characters or fewer')),
  establishmentCode: z
    .string({ error: 'Select an establishment' })
    .trim()
    .regex(/^[A-Z]{3}$/, 'Select an establishment'),
  roles: z
    .preprocess(asList, z.array(z.enum(ROLES, { error: 'Select a role from the list' })))
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
  expiresInDays: z.preprocess(
    value => (value === '' || value === null ? undefined : value),
    z.coerce
      .number({ error: 'Enter how many days the token lasts, from 1 to 366' })
      .int('Enter how many days the token lasts, from 1 to 366')
      .min(1, 'Enter how many days the token lasts, from 1 to 366')
      .max(366, 'A token can last at most 366 days')
      .optional(),
  ),
})
export type CreateTokenInput = z.output<typeof createTokenSchema>

export const userListQuery = pageQuery.extend({ search: z.string().trim().max(100).optional().catch(undefined) })

export const usernameParams = z.object({ username: z.string().trim().toLowerCase().max(64) })
export const tokenParams = usernameParams.extend({ tokenId: z.uuid({ error: 'Token not found' }) })

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
