import { buildApp } from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { seedDemo } from './demo/seed.ts'
import { DEMO_USERS } from './demo/users.ts'
import { DatabaseInUseError, DataDirectoryError, openDatabase } from './platform/db/database.ts'
import { prepareDatabase } from './platform/db/prepare.ts'
import { createLogger } from './platform/logging.ts'

async function main() {
  const config = loadConfig()
  const logger = createLogger(config.logLevel)
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  const say = (line: string) => logger.info(line)
  await prepareDatabase(database.db, say)
  const seeded = config.production ? false : await seedDemo(database.db, { password: config.demoPassword, log: say })

  const app = await buildApp({ config, db: database.db, logger })
  await app.listen({ port: config.port, host: config.host })

  const where = database.kind === 'pglite' ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.port
  // Printed once the address answers, after the demo data; the log is written synchronously (platform/logging.ts),
  // so no start-up line comes after this. One write, so the address and the accounts are read together.
  const lines = [`\nPortcullis is running at http://localhost:${port} on ${where}.`]
  if (!config.production) {
    lines.push(`Demo accounts${seeded ? ' (just created)' : ''}: ${DEMO_USERS.map(u => u.username).join(', ')}`)
    lines.push(`Password: the DEMO_PASSWORD setting${process.env.DEMO_PASSWORD ? '' : ' (default portcullis-demo)'}.\n`)
  }
  console.log(lines.join('\n'))

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info(`${signal}: finishing requests in flight, then stopping`)
    // A client that never finishes must not hold the process for ever.
    setTimeout(() => {
      logger.error('requests still in flight after 20 seconds; stopping anyway')
      process.exit(1)
    }, 20_000).unref()
    await app.close()
    await database.close()
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch(error => {
  if (error instanceof ConfigError || error instanceof DatabaseInUseError || error instanceof DataDirectoryError) {
    console.error(`Portcullis cannot start: ${error.message}`)
  } else {
    console.error('Portcullis failed to start:', error)
  }
  process.exit(1)
})
