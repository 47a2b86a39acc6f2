import { createReadStream, readFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.ts'
import { seedDemo } from '../demo/seed.ts'
import { importPrisoners, parsePrisonerFile } from '../modules/people/imports.ts'
import { socService } from '../modules/soc/service.ts'
import { DEFAULT_SCOPE, isRole } from '../platform/access/roles.ts'
import { type Actor, verifyAuditChain } from '../platform/audit/audit.ts'
import { backupToFile, restoreFromFile } from '../platform/db/backup.ts'
import { type DatabaseHandle, openDatabase } from '../platform/db/database.ts'
import { migrate } from '../platform/db/migrate.ts'
import { prepareDatabase } from '../platform/db/prepare.ts'
import { NotFoundError, ValidationError } from '../platform/http/errors.ts'
import { createTokenSchema, createUserSchema } from '../platform/users/schema.ts'
import { usersService } from '../platform/users/service.ts'
import { progress } from './progress.ts'

const USAGE = `Usage: portcullis <command> [options]

Commands:
  migrate                          apply database migrations
  seed-demo                        create the demo accounts and data (not in production)
  user create --username U --name "Full Name" --establishment MDI --role analyst [--role …]
              [--scope establishment|group|region|national] [--compartment staff-corruption …]
              (--password-stdin | --password P)
  token create --username U --name LABEL [--days 90]
                                   issue an API token and print it (shown once); it lasts 90 days by default
  import prisoners FILE.json       import prisoners in the HMPPS Prisoner Search shape (idempotent)
  import ocgm FILE.csv             import the OCGM mapping and reconcile the OCG nominal flag (idempotent)
  verify-audit                     prove the audit chain is unbroken; exits 1 naming the first broken link
  backup FILE                      write a consistent backup of the whole database to FILE ('-': standard output)
  restore FILE                     restore a backup into an empty database, prove every row, verify the audit chain

Runs against DATABASE_URL, or the embedded database in DATA_DIR (default ./data).`

const CLI_ACTOR: Actor = { userId: null, username: 'cli', establishmentCode: null, correlationId: null }

type Command = (database: DatabaseHandle, args: string[]) => Promise<number>

const commands: Record<string, Command> = {
  async migrate(database) {
    const applied = await migrate(database.db, line => console.log(line))
    console.log(applied.length ? `${applied.length} migration(s) applied` : 'The database is up to date')
    return 0
  },

  async 'seed-demo'(database) {
    const config = loadConfig()
    if (config.production) {
      console.error('Demo data is never created in production.')
      return 1
    }
    await prepareDatabase(database.db, line => console.log(line))
    const seeded = await seedDemo(database.db, { password: config.demoPassword, log: line => console.log(line) })
    console.log(seeded ? 'Demo data created' : 'The demo data is already there: nothing created')
    return 0
  },

  async 'user create'(database, args) {
    const { values } = parseArgs({
      args,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        email: { type: 'string' },
        department: { type: 'string' },
        establishment: { type: 'string' },
        role: { type: 'string', multiple: true },
        scope: { type: 'string' },
        compartment: { type: 'string', multiple: true },
        password: { type: 'string' },
        'password-stdin': { type: 'boolean' },
      },
    })
    const roles = values.role ?? []
    const firstRole = roles.find(isRole)
    const password = values['password-stdin'] ? readFileSync(0, 'utf8').replace(/\r?\n$/, '') : values.password
    const input = createUserSchema.parse({
      username: values.username,
      displayName: values.name,
      email: values.email,
      department: values.department,
      establishmentCode: values.establishment?.toUpperCase(),
      roles,
      scope: values.scope ?? (firstRole ? DEFAULT_SCOPE[firstRole] : undefined),
      compartments: values.compartment ?? [],
      password,
    })
    await usersService(database.db).create({ actor: CLI_ACTOR, user: null }, input)
    console.log(`User ${input.username} created`)
    return 0
  },

  async 'token create'(database, args) {
    const { values } = parseArgs({
      args,
      options: { username: { type: 'string' }, name: { type: 'string' }, days: { type: 'string' } },
    })
    if (!values.username || !values.name) {
      console.error('token create needs --username and --name')
      return 2
    }
    const input = createTokenSchema.parse({ name: values.name, expiresInDays: values.days })
    const { token, expiresAt } = await usersService(database.db).createToken(
      { actor: CLI_ACTOR, user: null },
      values.username.toLowerCase(),
      input,
    )
    console.log(token)
    console.error(`It expires at ${expiresAt.toISOString()}.`)
    return 0
  },

  async 'import prisoners'(database, args) {
    const file = args[0]
    if (!file) {
      console.error('import prisoners needs a file: portcullis import prisoners FILE.json')
      return 2
    }
    const parsed = parsePrisonerFile(readFileSync(file, 'utf8'))
    if ('error' in parsed) {
      console.error(parsed.error)
      return 2
    }
    const started = Date.now()
    const checked = progress('records processed:')
    const summary = await importPrisoners(
      database.db,
      CLI_ACTOR,
      { fileName: path.basename(file), records: parsed.records },
      { onProgress: checked.update },
    )
    checked.stop()
    for (const rejection of summary.rejections) {
      console.log(
        `record ${rejection.record}${rejection.prisonerNumber ? ` (${rejection.prisonerNumber})` : ''} rejected: ${rejection.reasons.join('; ')}`,
      )
    }
    if (summary.unknownAlertCodes.length)
      console.log(`flag codes not held, ignored: ${summary.unknownAlertCodes.join(', ')}`)
    console.log(
      `imported ${summary.imported} of ${summary.records} records${summary.rejected ? `; ${summary.rejected} rejected` : ''} ` +
        `(${summary.created} created, ${summary.updated} updated of which ${summary.transferred} moved, ` +
        `${summary.unchanged} unchanged) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    )
    return 0
  },

  async 'import ocgm'(database, args) {
    const file = args[0]
    if (!file) {
      console.error('import ocgm needs a file: portcullis import ocgm FILE.csv')
      return 2
    }
    const result = await socService(database.db).importOcgm(
      CLI_ACTOR,
      { fileName: path.basename(file), text: createReadStream(file) },
      { onProgress: (done, total) => process.stderr.write(`\rmatched ${done} of ${total} members`) },
    )
    process.stderr.write('\n')
    for (const row of result.rejected) console.log(`line ${row.line} rejected: ${row.reasons.join('; ')}`)
    for (const row of result.unmatched)
      console.log(
        `line ${row.line} not matched (${row.group}): ${row.name ?? ''} ${row.prisonNumber ?? ''} ${row.pnc ?? ''}`.trim(),
      )
    console.log(`OCG nominal flag added: ${result.flagsAdded.join(', ') || 'none'}`)
    console.log(`OCG nominal flag closed: ${result.flagsClosed.join(', ') || 'none'}`)
    console.log(
      `${result.rows} rows: ${result.matched} matched, ${result.unmatched.length} to resolve, ${result.rejected.length} rejected`,
    )
    return 0
  },

  async backup(database, args) {
    const file = args[0]
    if (!file) {
      console.error('backup needs a file: portcullis backup FILE (or - for standard output)')
      return 2
    }
    const bar = progress('rows backed up:')
    const summary = await backupToFile(database, file, {
      version: loadConfig().version,
      actor: CLI_ACTOR,
      onProgress: bar.update,
    })
    bar.stop()
    // With the backup on standard output, what the command says goes to standard error.
    const say = file === '-' ? console.error : console.log
    say(`Backed up ${summary.rows} rows of ${summary.tables} tables${file === '-' ? '' : ` to ${file}`}`)
    say(`Content SHA-256: ${summary.sha256}`)
    if (!summary.audited) say('Not recorded in the audit trail: this database is read-only (a standby).')
    return 0
  },

  async restore(database, args) {
    const file = args[0]
    if (!file) {
      console.error('restore needs a file: portcullis restore FILE')
      return 2
    }
    const bar = progress('rows restored:')
    const restored = await restoreFromFile(database, file, {
      actor: CLI_ACTOR,
      log: line => console.log(line),
      onProgress: bar.update,
    })
    bar.stop()
    if (restored.audit.ok) {
      console.log(`The audit chain is unbroken: ${restored.audit.events} events verified`)
      return 0
    }
    console.error(`The audit chain is broken at event ${restored.audit.brokenAt}: ${restored.audit.reason}`)
    return 1
  },

  async 'verify-audit'(database) {
    const verdict = await verifyAuditChain(database.db)
    if (verdict.ok) {
      console.log(`The audit chain is unbroken: ${verdict.events} events verified`)
      return 0
    }
    console.error(`The audit chain is broken at event ${verdict.brokenAt}: ${verdict.reason}`)
    return 1
  },
}

async function run(argv: string[]): Promise<number> {
  const [first, second, ...rest] = argv
  const twoWords = `${first} ${second}`
  const name = commands[twoWords] ? twoWords : first
  const args = commands[twoWords] ? rest : argv.slice(1)
  const command = name ? commands[name] : undefined
  const askedForHelp = !first || first === '--help' || first === 'help'
  if (askedForHelp) {
    console.log(USAGE)
    return 0
  }
  if (!command) {
    console.error(`portcullis: unknown command "${argv.join(' ')}"\n\n${USAGE}`)
    return 2
  }
  const config = loadConfig()
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 })
  try {
    // A backup records the schema as it is, and a restore needs the database empty: neither migrates first.
    if (!['migrate', 'seed-demo', 'backup', 'restore'].includes(name)) await prepareDatabase(database.db)
    return await command(database, args)
  } finally {
    await database.close()
  }
}

run(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    if (error instanceof NotFoundError) {
      console.error('portcullis: no such user (or it is outside your scope)')
    } else if (error instanceof ValidationError) {
      for (const field of error.fields) console.error(`${field.field}: ${field.message}`)
    } else if (error && typeof error === 'object' && 'issues' in error) {
      for (const issue of (error as { issues: { path: PropertyKey[]; message: string }[] }).issues) {
        console.error(`${issue.path.join('.') || 'input'}: ${issue.message}`)
      }
    } else {
      console.error(`portcullis: ${(error as Error).message ?? error}`)
    }
    process.exit(error instanceof ValidationError || (error && typeof error === 'object' && 'issues' in error) ? 2 : 1)
  },
)
