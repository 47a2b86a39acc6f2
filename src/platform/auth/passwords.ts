import { hash, verify } from '@node-rs/argon2'

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane).
const ARGON2ID = 2 // Algorithm.Argon2id, a const enum that erasable TypeScript cannot import
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 }

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS)
}

// Verified when the username is unknown, so a wrong username takes as long as a wrong password.
const UNKNOWN_USER_HASH = hash('portcullis-unknown-user', OPTIONS)

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash ?? (await UNKNOWN_USER_HASH), password)
  } catch {
    return false
  }
}

export const PASSWORD_MIN_LENGTH = 12
