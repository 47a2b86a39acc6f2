import autocannon from 'autocannon'

// Two ways to apply the same load: over HTTP with autocannon, and as direct calls in this process (the floor).
// Both run a fixed number of requests from a fixed number of concurrent clients, stopped early at a time limit,
// and keep every latency so that the percentiles are exact.

export type Latency = {
  requests: number
  errors: number
  seconds: number
  perSecond: number
  p50: number
  p95: number
  p99: number
  mean: number
}

export type Load = { connections: number; amount: number; seconds: number }

export function summarise(samples: readonly number[], seconds: number, errors: number): Latency {
  const sorted = Float64Array.from(samples).sort()
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0)
  const round = (ms: number) => Math.round(ms * 100) / 100
  return {
    requests: sorted.length,
    errors,
    seconds: round(seconds),
    perSecond: Math.round((sorted.length / seconds) * 10) / 10,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    p99: round(at(0.99)),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(sorted.length, 1)),
  }
}

export type HttpRequest = {
  method: 'GET' | 'POST'
  path: string
  headers?: Record<string, string>
  /** A new body and headers for every request (submissions need a unique Idempotency-Key each). */
  next?: () => { body: string; headers: Record<string, string> }
}

/** Load over HTTP; any answer but 2xx counts as an error and its latency is left out. */
export async function httpLoad(base: string, request: HttpRequest, load: Load) {
  const samples: number[] = []
  const statuses: Record<string, number> = {}
  const started = performance.now()
  const instance = autocannon({
    url: base,
    connections: load.connections,
    amount: load.amount,
    timeout: 60,
    requests: [
      {
        method: request.method,
        path: request.path,
        headers: request.headers,
        ...(request.next && {
          setupRequest: r => {
            const { body, headers } = request.next!()
            return { ...r, body, headers: { ...r.headers, ...headers } }
          },
        }),
      },
    ],
  })
  // autocannon finishes on its next one-second tick, so the run's length is taken to the last answer.
  let lastAnswer = started
  instance.on('response', (_client, status, _bytes, ms) => {
    lastAnswer = performance.now()
    statuses[status] = (statuses[status] ?? 0) + 1
    if (status >= 200 && status < 300) samples.push(ms)
  })
  const timer = setTimeout(() => instance.stop(), load.seconds * 1000)
  const result = await instance
  clearTimeout(timer)
  const seconds = (lastAnswer - started) / 1000
  const failed = Object.entries(statuses).reduce((n, [status, count]) => n + (status.startsWith('2') ? 0 : count), 0)
  return { ...summarise(samples, seconds, failed + result.errors + result.timeouts), statuses }
}

/** The same load as direct calls: `connections` callers, each awaiting one call at a time. */
export async function directLoad(run: (i: number) => Promise<unknown>, load: Load) {
  const samples: number[] = []
  let next = 0
  let errors = 0
  let firstError: unknown = null
  const started = performance.now()
  const deadline = started + load.seconds * 1000
  const caller = async () => {
    while (next < load.amount && performance.now() < deadline) {
      const i = next++
      const at = performance.now()
      try {
        await run(i)
        samples.push(performance.now() - at)
      } catch (error) {
        errors++
        firstError ??= error
      }
    }
  }
  await Promise.all(Array.from({ length: load.connections }, caller))
  if (firstError) console.error('floor call failed:', firstError)
  return summarise(samples, (performance.now() - started) / 1000, errors)
}
