// The shape every module keeps (docs/architecture.md): only repositories hold SQL, and files stay small enough to
// read. Functions stay under 80 lines through Biome's noExcessiveLinesPerFunction, run by `npm test`.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const SQL = /\b(selectFrom|insertInto|updateTable|deleteFrom)\b|\bsql`|\bsql<[^>]*>`/

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : []
  })
}

const relative = (file: string) => path.relative(SRC, file).split(path.sep).join('/')

/** Files that must hold no SQL: every module file but its repository, and the platform's route files. */
function mustHoldNoSql(file: string) {
  const name = relative(file)
  if (name.startsWith('modules/')) return !name.endsWith('/repository.ts')
  return name.startsWith('platform/') && name.endsWith('/routes.ts')
}

describe('the shape of the source', () => {
  it('keeps SQL in repositories: no module file but repository.ts, and no platform route, builds a query', () => {
    const offenders = sourceFiles(SRC)
      .filter(mustHoldNoSql)
      .filter(file => SQL.test(readFileSync(file, 'utf8')))
      .map(relative)
    assert.deepEqual(offenders, [])
  })

  it('the rule sees what it looks for', () => {
    for (const text of ["db.selectFrom('x')", 'trx.insertInto(', '.updateTable(', '.deleteFrom(', 'sql`select 1`']) {
      assert.ok(SQL.test(text), text)
    }
    assert.ok(!SQL.test('const selected = fromTheList'))
    assert.ok(mustHoldNoSql(path.join(SRC, 'modules/soc/service.ts')))
    assert.ok(!mustHoldNoSql(path.join(SRC, 'modules/soc/repository.ts')))
    assert.ok(mustHoldNoSql(path.join(SRC, 'platform/audit/routes.ts')))
    assert.ok(!mustHoldNoSql(path.join(SRC, 'platform/db/migrate.ts')))
  })

  it('keeps every source file to 600 lines or fewer', () => {
    const long = sourceFiles(SRC)
      .map(file => ({ file: relative(file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 600)
    assert.deepEqual(long, [])
  })

  it('keeps every module in the same files: rules, schema, repository, service, routes, tables and views', () => {
    const modules = readdirSync(path.join(SRC, 'modules'))
    assert.ok(modules.length >= 4)
    for (const module of modules) {
      const files = readdirSync(path.join(SRC, 'modules', module))
      for (const required of [
        'rules.ts',
        'schema.ts',
        'repository.ts',
        'service.ts',
        'routes.ts',
        'tables.ts',
        'views',
      ]) {
        assert.ok(files.includes(required), `${module} has ${required}`)
      }
    }
  })
})
