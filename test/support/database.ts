import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { type DatabaseHandle, openDatabase } from '../../src/platform/db/database.ts'
import { prepareDatabase } from '../../src/platform/db/prepare.ts'

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new database on the
 * PostgreSQL server of TEST_DATABASE_URL when PORTCULLIS_TEST_DB=postgres. Never a mock.
 */
export async function testDatabase(): Promise<DatabaseHandle> {
  if (process.env.PORTCULLIS_TEST_DB === 'postgres') {
    const adminUrl = process.env.TEST_DATABASE_URL
    if (!adminUrl) throw new Error('PORTCULLIS_TEST_DB=postgres needs TEST_DATABASE_URL')
    const name = `portcullis_test_${randomBytes(6).toString('hex')}`
    const admin = new pg.Client({ connectionString: adminUrl })
    await admin.connect()
    await admin.query(`create database ${name}`)
    await admin.end()
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 })
    await prepareDatabase(handle.db)
    return {
      ...handle,
      async close() {
        await handle.close()
        const dropper = new pg.Client({ connectionString: adminUrl })
        await dropper.connect()
        await dropper.query(`drop database if exists ${name} with (force)`)
        await dropper.end()
      },
    }
  }
  const handle = await openDatabase({ dataDir: 'memory://' })
  await prepareDatabase(handle.db)
  return handle
}
