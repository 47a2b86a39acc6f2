// The part of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  type Request = {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    setupRequest?: (request: Request) => Request
  }
  type Options = {
    url: string
    connections?: number
    amount?: number
    duration?: number
    timeout?: number
    headers?: Record<string, string>
    method?: string
    body?: string
    requests?: Request[]
  }
  type Result = {
    requests: { total: number; average: number }
    duration: number
    errors: number
    timeouts: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
  }
  type Instance = Promise<Result> & {
    on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void
    stop(): void
  }
  function autocannon(options: Options): Instance
  export default autocannon
}
