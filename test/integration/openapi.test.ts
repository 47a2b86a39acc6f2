// The OpenAPI document as a client's tools meet it: Redocly's linter finds nothing to warn about, and
// openapi-typescript generates a typed client against which a call to every operation type-checks.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { type TestApp, testApp } from '../support/app.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
// openapi-typescript needs TypeScript 5's compiler API, which the project's TypeScript 7 no longer has: both live in
// the test/openapi-client workspace.
const CLIENT_TOOLS = path.join(ROOT, 'test/openapi-client/node_modules')
const REDOCLY = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js')
const OPENAPI_TYPESCRIPT = path.join(CLIENT_TOOLS, 'openapi-typescript/bin/cli.js')
const TSC_5 = path.join(CLIENT_TOOLS, 'typescript/bin/tsc')

type Operation = { operationId?: string; requestBody?: unknown; responses: Record<string, unknown> }
type Document = { info: { license?: unknown }; paths: Record<string, Record<string, Operation>> }

let t: TestApp
let dir: string
let document: Document

before(async () => {
  t = await testApp()
  const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })
  assert.equal(response.statusCode, 200)
  document = response.json()
  dir = mkdtempSync(path.join(tmpdir(), 'portcullis-openapi-'))
  writeFileSync(path.join(dir, 'openapi.json'), response.body)
})
after(async () => {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

function run(script: string, args: string[]) {
  // Redocly would otherwise send usage data and look for updates: this machine reaches no such service.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }
  const result = spawnSync(process.execPath, [script, ...args], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` }
}

function operations() {
  return Object.entries(document.paths).flatMap(([url, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ url, method, ...operation })),
  )
}

describe('the OpenAPI document', () => {
  it('names every operation once, and says under which licence it is published', () => {
    const ids = operations().map(operation => operation.operationId)
    assert.ok(ids.length >= 30, `${ids.length} operations`)
    for (const [index, id] of ids.entries()) {
      assert.match(id ?? '', /^[a-z][A-Za-z0-9]+$/, `operation ${index} has an operationId`)
    }
    assert.equal(new Set(ids).size, ids.length, 'operation ids are unique')
    assert.ok(document.info.license, 'info.license')
  })

  it('passes Redocly lint with no error and no warning', () => {
    const { status, output } = run(REDOCLY, ['lint', 'openapi.json', '--format=json'])
    const report = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1)) as {
      totals: { errors: number; warnings: number }
      problems: { ruleId: string; message: string }[]
    }
    assert.deepEqual(
      report.problems.map(p => `${p.ruleId}: ${p.message}`),
      [],
    )
    assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 })
    assert.equal(status, 0)
  })

  it('generates a typed client against which a call to every operation type-checks', () => {
    const generated = run(OPENAPI_TYPESCRIPT, ['openapi.json', '-o', 'api.ts'])
    assert.equal(generated.status, 0, generated.output)
    writeFileSync(path.join(dir, 'calls.ts'), clientAndCalls(operations()))
    const checked = run(TSC_5, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022', 'calls.ts'])
    assert.equal(checked.status, 0, checked.output)
  })

  it('the type check would fail for a call the document does not describe', () => {
    writeFileSync(
      path.join(dir, 'wrong.ts'),
      `${clientAndCalls([])}\nexport const wrong = request('/api/v1/no-such-thing', 'get', {})\n`,
    )
    const checked = run(TSC_5, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022', 'wrong.ts'])
    assert.notEqual(checked.status, 0)
    assert.match(checked.output, /no-such-thing/)
  })
})

/**
 * A minimal typed client over the generated `paths`, and one call per operation: the call's path and method must be
 * in `paths`, agree with `operations[operationId]`, and have a typed success body.
 */
function clientAndCalls(list: (Operation & { url: string; method: string })[]) {
  const calls = list.map(operation => {
    const id = operation.operationId as string
    return [
      `export async function ${id}(init: RequestOf<operations['${id}']>) {`,
      `  const body: SuccessOf<operations['${id}']> = await request('${operation.url}', '${operation.method}', init)`,
      `  const typed: Known<SuccessOf<operations['${id}']>> = true`,
      '  return { body, typed }',
      '}',
    ].join('\n')
  })
  return `import type { operations, paths } from './api.ts'

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
type RequestOf<O> = (O extends { parameters: infer P } ? { params?: P } : object) &
  (O extends { requestBody: { content: { 'application/json': infer B } } } ? { body: B } : object)
type Responses<O> = O extends { responses: infer R } ? R : never
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never
type SuccessOf<O> = JsonOf<Responses<O>[200 & keyof Responses<O>]> | JsonOf<Responses<O>[201 & keyof Responses<O>]>
type Known<T> = [T] extends [never] ? false : unknown extends T ? false : true

declare function request<P extends keyof paths, M extends Method & keyof paths[P]>(
  path: P,
  method: M,
  init: RequestOf<paths[P][M]>,
): Promise<SuccessOf<paths[P][M]>>

${calls.join('\n\n')}
`
}
