import { intelligenceEvidence } from '../modules/intelligence/evidence.ts'
import { intelligenceService } from '../modules/intelligence/service.ts'
import { lssService } from '../modules/lss/service.ts'
import { flagEvidence } from '../modules/people/evidence.ts'
import { peopleService } from '../modules/people/service.ts'
import { socService } from '../modules/soc/service.ts'
import { DEFAULT_SCOPE } from '../platform/access/roles.ts'
import { auditedTransaction, SYSTEM_ACTOR } from '../platform/audit/audit.ts'
import { hashPassword } from '../platform/auth/passwords.ts'
import type { Db } from '../platform/db/database.ts'
import { seedDemoIntelligence } from './intelligence.ts'
import { seedDemoLss } from './lss.ts'
import { seedDemoPeople } from './people.ts'
import { seedDemoSearching } from './searching.ts'
import { seedDemoSoc } from './soc.ts'
import { DEMO_COLLEAGUES, DEMO_USERS, FIRST_ESTABLISHMENT } from './users.ts'

/**
 * Creates the demo data: the demo accounts, then each module's demo records. Each step runs only while its own
 * data is absent, so a restart never duplicates or overwrites anything, and a step that failed runs again next time.
 * Returns whether anything was created.
 */
export async function seedDemo(
  db: Db,
  options: { password: string; log?: (line: string) => void; people?: boolean },
): Promise<boolean> {
  const log = options.log ?? (() => {})
  const demo = { ...SYSTEM_ACTOR, username: 'demo' }
  let created = false
  if (!(await db.selectFrom('appUser').select('id').limit(1).executeTakeFirst())) {
    await createDemoUsers(db, options.password)
    log(`created ${DEMO_USERS.length} demo accounts at ${FIRST_ESTABLISHMENT}`)
    log(
      `created ${DEMO_COLLEAGUES.length} more demo accounts: ${DEMO_COLLEAGUES.map(c => `${c.username} (${c.role} at ${c.establishmentCode})`).join(', ')}`,
    )
    created = true
  }
  if (options.people !== false && !(await db.selectFrom('peopleNominal').select('id').limit(1).executeTakeFirst())) {
    const people = await seedDemoPeople(db, demo)
    log(`created ${people.created} demo prisoners`)
    created = true
  }
  if (
    options.people !== false &&
    !(await db.selectFrom('intelligenceReport').select('id').limit(1).executeTakeFirst())
  ) {
    const reports = await seedDemoIntelligence(db, demo)
    if (reports > 0) {
      log(`created ${reports} demo intelligence reports`)
      created = true
    }
  }
  if (options.people !== false && !(await db.selectFrom('lssInstruction').select('id').limit(1).executeTakeFirst())) {
    // With the figures the other modules give an assessment when it starts, as the running system does.
    const evidence = [intelligenceEvidence(intelligenceService(db)), flagEvidence(peopleService(db))]
    const instructions = await seedDemoLss(db, lssService(db, evidence))
    log(`created a Local Security Strategy of ${instructions} instructions at ${FIRST_ESTABLISHMENT}`)
    created = true
  }
  if (options.people !== false && !(await db.selectFrom('socNominal').select('id').limit(1).executeTakeFirst())) {
    const nominals = await seedDemoSoc(db, socService(db), demo)
    if (nominals > 0) {
      log(`created ${nominals} demo SOC nominals with their groups, plans and triggers`)
      created = true
    }
  }
  if (options.people !== false && (await seedDemoSearching(db, log))) created = true
  return created
}

async function createDemoUsers(db: Db, password: string) {
  const passwordHash = await hashPassword(password)
  const now = new Date()
  await auditedTransaction(db, SYSTEM_ACTOR, now, async (trx, audit) => {
    await trx
      .insertInto('appUser')
      .values([
        ...DEMO_USERS.map(user => ({
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
        ...DEMO_COLLEAGUES.map(({ role, compartments, ...colleague }) => ({
          ...colleague,
          email: `${colleague.username}@portcullis.example`,
          roles: [role],
          scope: DEFAULT_SCOPE[role],
          compartments,
          passwordHash,
          externalIssuer: null,
          externalSubject: null,
          createdAt: now,
          updatedAt: now,
        })),
      ])
      .execute()
    await audit({
      action: 'demo.seeded',
      subjectType: 'system',
      details: { users: [...DEMO_USERS, ...DEMO_COLLEAGUES].map(user => user.username) },
    })
  })
}
