import { recordAudit, SYSTEM_ACTOR } from '../platform/audit/audit.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import type { Db } from '../platform/db/database.ts'
import { DEMO_USERS, FIRST_ESTABLISHMENT } from './users.ts'

/**
 * Creates the demo data once: the demo accounts, then each module's demo records. Returns false when the
 * database already has users, so a restart never duplicates or overwrites anything.
 */
export async function seedDemo(db: Db, options: { password: string; log?: (line: string) => void }): Promise<boolean> {
  const log = options.log ?? (() => {})
  const existing = await db.selectFrom('appUser').select('id').limit(1).executeTakeFirst()
  if (existing) return false
  const passwordHash = await hashPassword(options.password)
  await db.transaction().execute(async trx => {
    const now = new Date()
    await trx
      .insertInto('appUser')
      .values(
        DEMO_USERS.map(user => ({
          username: user.username,
          displayName: user.displayName,
          email: `${user.username}@portcullis.example`,
          department: user.department,
          establishmentCode: FIRST_ESTABLISHMENT,
          roles: [user.username],
          scope: user.scope,
          compartments: user.compartments,
          passwordHash,
          externalIssuer: null,
          externalSubject: null,
          createdAt: now,
          updatedAt: now,
        })),
      )
      .execute()
    await recordAudit(trx, SYSTEM_ACTOR, {
      action: 'demo.seeded',
      subjectType: 'system',
      details: { users: DEMO_USERS.map(user => user.username) },
    })
  })
  log(`created ${DEMO_USERS.length} demo accounts at ${FIRST_ESTABLISHMENT}`)
  return true
}
