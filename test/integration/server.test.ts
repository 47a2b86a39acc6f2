import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { DEMO_USERS } from '../../src/demo/users.ts'

// The real server process, started as `npm start` starts it, on the embedded database in a fresh directory.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const MAIN = path.join(ROOT, 'src', 'main.ts')

function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...extra }
  for (const name of ['DATABASE_URL', 'NODE_ENV', 'SESSION_SECRET', 'DEMO_PASSWORD', 'HOST']) {
    if (!(name in extra)) delete env[name]
  }
  return env
}

type Server = { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> }

function spawnServer(env: NodeJS.ProcessEnv): Server {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', chunk => {
    stdout += chunk
  })
  child.stderr?.setEncoding('utf8').on('data', chunk => {
    stderr += chunk
  })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  return { child, stdout: () => stdout, stderr: () => stderr, exited }
}

/** Resolves with the URL the server prints once it is listening; rejects if it exits first. */
async function runningAt(server: Server): Promise<string> {
  for (;;) {
    const match = /Portcullis is running at (http:\/\/localhost:(\d+))/.exec(server.stdout())
    if (match) return match[1]
    const exited = await Promise.race([server.exited.then(() => true), sleep(50).then(() => false)])
    if (exited) {
      throw new Error(`the server exited with ${server.child.exitCode}:\n${server.stdout()}\n${server.stderr()}`)
    }
  }
}

/** The log's JSON lines (the start-up lines printed for people are not JSON). */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter(line => line.startsWith('{'))
    .map(line => JSON.parse(line) as Record<string, unknown>)
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

describe('the server process', () => {
  let dataDir: string
  let server: Server
  let url: string

  // What /health answered the moment the address was printed.
  let firstAnswer: number
  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'portcullis-server-'))
    server = spawnServer(serverEnv({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }))
    url = await within(runningAt(server), 60_000, 'starting the server')
    firstAnswer = (await fetch(`${url}/health`, { headers: { 'x-request-id': 'first-answer-0001' } })).status
  })
  after(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGKILL')
      await server.exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('says where it is running and lists the demo accounts it created', () => {
    const stdout = server.stdout()
    assert.match(stdout, new RegExp(`on embedded PostgreSQL in ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`))
    const demoLine = /^Demo accounts \(just created\): (.*)$/m.exec(stdout)
    assert.ok(demoLine, stdout)
    assert.deepEqual(
      demoLine[1].split(', '),
      DEMO_USERS.map(user => user.username),
    )
    assert.match(stdout, /Password: the DEMO_PASSWORD setting \(default portcullis-demo\)/)
    assert.equal(server.stderr(), '', 'nothing on stderr: the log goes to stdout')
    assert.equal(readFileSync(path.join(dataDir, 'portcullis.lock'), 'utf8'), String(server.child.pid))
  })

  it('prints where it is running only once it has loaded the demo data and the address answers', () => {
    assert.equal(firstAnswer, 200, 'the address answered at once')
    const [before, after] = server.stdout().split(/^Portcullis is running at .*$/m)
    const logged = (text: string) => jsonLines(text).map(line => String(line.msg))
    assert.ok(logged(before).includes(`Server listening at ${url.replace('localhost', '127.0.0.1')}`), before)
    assert.ok(
      logged(before).some(message => /^created \d+ demo intelligence reports$/.test(message)),
      'the demo data was loaded before',
    )
    const afterwards = jsonLines(after).filter(line => !('route' in line))
    assert.deepEqual(afterwards, [], 'nothing of the start-up is logged after the address')
  })

  it('logs one JSON line per request: method, route, status, time and correlation id, never what was sent', async () => {
    const secret = 'Smith-passes-parcels-on-wing-B'
    const requests = [
      { id: 'one-line-0001', path: '/health', route: '/health', status: 200 },
      { id: 'one-line-0002', path: `/people/A1234BC?q=${secret}`, route: '/people/:ref', status: 303 },
      { id: 'one-line-0003', path: `/no-such-page/${secret}`, route: null, status: 404 },
    ]
    for (const request of requests) {
      const response = await fetch(`${url}${request.path}`, {
        headers: { 'x-request-id': request.id, accept: 'text/html' },
        redirect: 'manual',
      })
      assert.equal(response.status, request.status)
      await response.arrayBuffer()
    }
    const signIn = await fetch(`${url}/sign-in`, {
      method: 'POST',
      headers: { 'x-request-id': 'one-line-0004', 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=analyst&password=${secret}`,
    })
    await signIn.arrayBuffer()
    await sleep(200)

    const lines = jsonLines(server.stdout())
    for (const request of [...requests, { id: 'one-line-0004', route: '/sign-in', status: signIn.status }]) {
      const mine = lines.filter(line => line.correlationId === request.id)
      assert.equal(mine.length, 1, `one line for ${request.id}: ${JSON.stringify(mine)}`)
      const [line] = mine
      assert.equal(line.level, 30, 'at info')
      assert.equal(line.route, request.route)
      assert.equal(line.status, request.status)
      assert.equal(typeof line.responseTime, 'number')
      assert.ok(['GET', 'POST'].includes(line.method as string))
    }
    assert.equal(lines.filter(line => line.correlationId === 'first-answer-0001').length, 1)
    assert.ok(!server.stdout().includes(secret), 'neither a query, a path nor a body reaches the log')
  })

  it('GET /health answers UP with the database UP', async () => {
    const response = await fetch(`${url}/health`)
    assert.equal(response.status, 200)
    const body = (await response.json()) as { status: string; components: { database: { status: string } } }
    assert.equal(body.status, 'UP')
    assert.equal(body.components.database.status, 'UP')
  })

  it('GET /info names the version and git commit', async () => {
    const response = await fetch(`${url}/info`)
    assert.equal(response.status, 200)
    const body = (await response.json()) as { name: string; version: string; gitCommit: string }
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }
    assert.equal(body.name, 'portcullis')
    assert.equal(body.version, pkg.version)
    assert.equal(typeof body.gitCommit, 'string')
    assert.ok(body.gitCommit.length > 0)
  })

  it('a second server on the same DATA_DIR refuses to start, and the first keeps running', {
    timeout: 60_000,
  }, async () => {
    const second = spawnServer(serverEnv({ DATA_DIR: dataDir }))
    const code = await within(second.exited, 30_000, 'the second server stopping')
    assert.equal(code, 1)
    assert.match(second.stderr(), /Portcullis cannot start: .*in use by another Portcullis process/)
    assert.match(second.stderr(), new RegExp(`pid ${server.child.pid}`))
    assert.doesNotMatch(second.stdout(), /Portcullis is running/)

    assert.equal(readFileSync(path.join(dataDir, 'portcullis.lock'), 'utf8'), String(server.child.pid))
    assert.equal((await fetch(`${url}/health`)).status, 200)
  })

  it('on SIGTERM finishes the request in flight, then exits 0', { timeout: 60_000 }, async () => {
    const port = Number(new URL(url).port)
    // A request the server has begun but cannot finish until we send its body: `Expect: 100-continue` makes the
    // server say when it has the request, so the signal is certain to arrive while it is in flight.
    const body = 'username=analyst&password=wrong'
    const socket = net.connect(port, '127.0.0.1')
    socket.setEncoding('utf8')
    let received = ''
    socket.on('data', chunk => {
      received += chunk
    })
    const closed = once(socket, 'close')
    await once(socket, 'connect')
    socket.write(
      'POST /sign-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`,
    )
    await within(
      (async () => {
        while (!received.includes('100 Continue')) await sleep(10)
      })(),
      10_000,
      'the server taking the request',
    )

    const started = Date.now()
    assert.ok(server.child.kill('SIGTERM'))
    await sleep(300)
    assert.equal(server.child.exitCode, null, 'the server waits for the request in flight')
    socket.end(body)
    await within(closed, 10_000, 'the response to the request in flight')

    const final = received.slice(received.indexOf('100 Continue'))
    const status = /\r\n\r\nHTTP\/1\.1 (\d{3}) /.exec(final)
    assert.ok(status, received)
    const [head, ...rest] = final.slice(final.indexOf('HTTP/1.1', 10)).split('\r\n\r\n')
    const length = /^content-length: (\d+)$/im.exec(head)
    assert.ok(length, head)
    assert.equal(Buffer.byteLength(rest.join('\r\n\r\n')), Number(length[1]), 'the whole response arrived')

    const code = await within(server.exited, 10_000, 'the server stopping')
    assert.equal(code, 0, server.stderr())
    assert.ok(Date.now() - started < 10_000)
    assert.ok(!existsSync(path.join(dataDir, 'portcullis.lock')), 'the lock is released')
  })
})

describe('the server in production without its settings', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'portcullis-production-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('exits 1 at once naming DATABASE_URL and SESSION_SECRET, and creates nothing', { timeout: 60_000 }, async () => {
    const dataDir = path.join(dir, 'data')
    const started = Date.now()
    const server = spawnServer(serverEnv({ NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '0' }))
    const code = await within(server.exited, 20_000, 'the refused start')
    assert.equal(code, 1)
    assert.ok(Date.now() - started < 20_000)
    assert.match(server.stderr(), /Portcullis cannot start: .*DATABASE_URL/)
    assert.match(server.stderr(), /SESSION_SECRET/)
    assert.doesNotMatch(server.stdout(), /Demo accounts|Portcullis is running/)
    assert.ok(!existsSync(dataDir), 'no data directory, so no database and no demo accounts')
    assert.deepEqual(readdirSync(dir), [])
  })
})
