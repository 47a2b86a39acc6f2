import { type ReportDraft, type SyntheticPrisoner, syntheticReports } from '../src/demo/intelligence.ts'
import { type DemoPrisoner, demoPrisoners } from '../src/demo/people.ts'
import { type Random, randomFrom } from '../src/demo/random.ts'

// The synthetic data sets of the benchmark: which prisons, how many prisoners in each, and reports spread over a
// decade in time order, so the table grows as a real one does (heap order follows submission time, establishments
// interleaved). Everything follows from the scale and the seed.

export const SCALES = ['prison', 'region', 'national'] as const
export type Scale = (typeof SCALES)[number]

export const SCALE_SIZES: Readonly<Record<Scale, { prisoners: number; reports: number }>> = {
  prison: { prisoners: 1_000, reports: 10_000 },
  region: { prisoners: 20_000, reports: 200_000 },
  national: { prisoners: 90_000, reports: 1_000_000 },
}
/** The demo's home prison, and the SOCU region it belongs to. */
export const HOME_PRISON = 'MDI'
export const HOME_REGION = 'North East / Yorks and Humber'

/** Reports end on a fixed day, not today, so that the same seed always gives the same rows. */
export const REPORTS_END = new Date('2026-11-01T00:00:00Z')
const REPORT_YEARS = 10
const WINDOWS = 4 * REPORT_YEARS
const DAY = 86_400_000
// syntheticReports leaves reports younger than three days before its `to` unassessed: the triage queue.
const QUEUE_DAYS = 3
// The first three demo prisoners are the fixed people of the guide and tests (src/demo/people.ts), the same in
// every seed; the rest are generated from the seed.
const FIXED_DEMO_PEOPLE = 3

export type EstablishmentRow = { code: string; socuRegion: string | null; gender: string | null }

export type Plan = {
  scale: Scale
  seed: number
  establishments: string[]
  /** Prisoners and reports of each establishment, in the order of `establishments`. */
  prisoners: number[]
  reports: number[]
}

export type SyntheticRecord = Omit<DemoPrisoner, 'prisonId'> & { prisonId: string }

/** A seed for one part of the data set: independent streams from one seed. */
export function derivedSeed(seed: number, ...parts: number[]): number {
  let hash = (seed ^ 0x5bd1e995) >>> 0
  for (const part of parts) {
    hash = Math.imul(hash ^ part, 0x9e3779b1) >>> 0
    hash = (hash ^ (hash >>> 15)) >>> 0
  }
  return hash
}

/** Splits a total in proportion to weights, in whole numbers that add up to it (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map(w => (total * w) / sum)
  const counts = exact.map(Math.floor)
  const order = exact
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest)
  const missing = total - counts.reduce((a, b) => a + b, 0)
  for (let i = 0; i < missing; i++) counts[order[i].index]++
  return counts
}

/**
 * The prisons of a scale. The Prisoner Search records the demo generates are of men, so women's prisons are left
 * out: 114 establishments nationally, 18 in the region.
 */
export function establishmentsFor(scale: Scale, all: readonly EstablishmentRow[]): string[] {
  if (scale === 'prison') return [HOME_PRISON]
  const estate = all.filter(e => e.gender !== 'female')
  return estate
    .filter(e => scale === 'national' || e.socuRegion === HOME_REGION)
    .map(e => e.code)
    .sort()
}

export function planFor(scale: Scale, seed: number, all: readonly EstablishmentRow[]): Plan {
  const establishments = establishmentsFor(scale, all)
  const random = randomFrom(derivedSeed(seed, 0))
  // Prisons differ in size: from half to one and a half times the average.
  const sizes = establishments.map(() => 0.5 + random.next())
  const prisoners = apportion(SCALE_SIZES[scale].prisoners, sizes)
  return { scale, seed, establishments, prisoners, reports: apportion(SCALE_SIZES[scale].reports, prisoners) }
}

function prisonNumber(random: Random, taken: Set<string>): string {
  const letter = () => String.fromCharCode(65 + random.int(0, 25))
  for (;;) {
    const number = `${random.weighted({ A: 45, G: 55 })}${String(random.int(0, 9999)).padStart(4, '0')}${letter()}${letter()}`
    if (!taken.has(number)) {
      taken.add(number)
      return number
    }
  }
}

/**
 * Prisoner Search records for every prison of the plan: the demo's generated people (names, aliases, flags, dates,
 * police numbers) given prison numbers unique across the estate, booking ids, and their prison.
 */
export function syntheticPrisoners(plan: Plan): SyntheticRecord[] {
  const random = randomFrom(derivedSeed(plan.seed, 1))
  // Never one of the demo's own prison numbers, so a demo database can hold both.
  const taken = new Set(demoPrisoners().map(p => p.prisonerNumber))
  const records: SyntheticRecord[] = []
  let pool: DemoPrisoner[] = []
  let batch = 0
  plan.establishments.forEach((code, index) => {
    for (let i = 0; i < plan.prisoners[index]; i++) {
      if (pool.length === 0)
        pool = demoPrisoners(derivedSeed(plan.seed, 2, batch++))
          .slice(FIXED_DEMO_PEOPLE)
          .reverse()
      const person = pool.pop()!
      records.push({
        ...person,
        prisonerNumber: prisonNumber(random, taken),
        bookingId: String(3_000_000 + records.length),
        prisonId: code,
      })
    }
  })
  return records
}

export type ReportWindow = { index: number; from: Date; to: Date; last: boolean; counts: number[] }

/** Quarters of the decade, each with its reports per establishment; reporting doubles over the decade. */
export function reportWindows(plan: Plan): ReportWindow[] {
  const start = new Date(REPORTS_END)
  start.setUTCFullYear(start.getUTCFullYear() - REPORT_YEARS)
  const span = REPORTS_END.getTime() - start.getTime()
  const growth = Array.from({ length: WINDOWS }, (_, w) => 1 + w / (WINDOWS - 1))
  const total = growth.reduce((a, b) => a + b, 0)
  const cumulative = [0]
  for (const g of growth) cumulative.push(cumulative[cumulative.length - 1] + g / total)
  return growth.map((_, w) => ({
    index: w,
    from: new Date(start.getTime() + Math.round((span * w) / WINDOWS)),
    to: new Date(start.getTime() + Math.round((span * (w + 1)) / WINDOWS)),
    last: w === WINDOWS - 1,
    counts: plan.reports.map(n => Math.round(n * cumulative[w + 1]) - Math.round(n * cumulative[w])),
  }))
}

/** One window's report drafts, all establishments interleaved in submission order. */
export function windowDrafts(
  plan: Plan,
  window: ReportWindow,
  prisonersOf: ReadonlyMap<string, readonly SyntheticPrisoner[]>,
): ReportDraft[] {
  const drafts = plan.establishments.flatMap((code, e) => {
    const count = window.counts[e]
    const prisoners = prisonersOf.get(code) ?? []
    if (count === 0 || prisoners.length < 2) return []
    const seed = derivedSeed(plan.seed, 3, window.index, e)
    if (window.last) return syntheticReports(seed, count, { prisoners, from: window.from, to: window.to })
    // Only the last window may leave reports in the queue: earlier ones are drawn a little past their end, cut
    // back to it, and thinned evenly to the count.
    const padded = new Date(window.to.getTime() + QUEUE_DAYS * DAY)
    const drawn = syntheticReports(seed, Math.ceil(count * 1.5) + 10, {
      prisoners,
      from: window.from,
      to: padded,
    }).filter(d => d.submittedAt < window.to)
    return Array.from({ length: count }, (_, i) => drawn[Math.floor((i * drawn.length) / count)])
  })
  return drafts.sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())
}
