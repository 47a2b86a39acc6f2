// Intelligence search reads the newest reports first and falls back to the full-text index when the words are rare
// (issue 7). Both ways must give the same answer: the newest 1,001 matches at most, ranked, with the same count.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { seedDemo } from '../../src/demo/seed.ts'
import { SEARCH_STRATEGY, type SearchFilters, searchReports } from '../../src/modules/intelligence/repository.ts'
import type { DatabaseHandle } from '../../src/platform/db/database.ts'
import { testDatabase } from '../support/database.ts'

let database: DatabaseHandle
const national = { establishmentCodes: 'all' as const, compartments: [] }
const atMoorland = { establishmentCodes: ['MDI'], compartments: [] }
// Never dense enough to read newest first, so the index answers; or always, with a window as large as the data set.
const INDEX_ONLY = { ...SEARCH_STRATEGY, sample: 1, denseShare: 2 }
const WHOLE_WINDOW = { ...SEARCH_STRATEGY, denseShare: 0, window: 1_000_000 }

let common = ''
let rare = ''

before(async () => {
  database = await testDatabase()
  await seedDemo(database.db, { password: 'not-used-here' })
  const { rows } = await sql<{ word: string; ndoc: number }>`
    select word, ndoc from ts_stat('select text_search from intelligence_report') order by ndoc desc, word`.execute(
    database.db,
  )
  common = rows.find(row => row.ndoc > 1_100)?.word ?? ''
  rare = rows.find(row => row.ndoc >= 3 && row.ndoc <= 10 && /^[a-z]{4,}$/.test(row.word))?.word ?? ''
  assert.ok(common && rare, 'the demo reports hold a common word and a rare one')
})
after(() => database.close())

const search = (
  viewer: typeof national | typeof atMoorland,
  filters: Partial<SearchFilters>,
  strategy: typeof SEARCH_STRATEGY,
) => searchReports(database.db, viewer, true, { page: 1, ...filters }, 20, strategy)

describe('intelligence search, newest first or through the index', () => {
  it('gives the same page and count either way, for every shape of search', async () => {
    const shapes: Partial<SearchFilters>[] = [
      { q: common },
      { q: common, page: 3 },
      { q: rare },
      { q: `"${common}"` },
      { q: common, establishment: 'MDI' },
      { q: common, from: '2026-01-01', to: '2026-06-30' },
      { establishment: 'MDI' },
    ]
    for (const viewer of [national, atMoorland]) {
      for (const filters of shapes) {
        const byIndex = await search(viewer, filters, INDEX_ONLY)
        const newestFirst = await search(viewer, filters, WHOLE_WINDOW)
        const label = `${JSON.stringify(filters)} for ${JSON.stringify(viewer.establishmentCodes)}`
        assert.deepEqual(
          newestFirst.rows.map(r => r.ref),
          byIndex.rows.map(r => r.ref),
          label,
        )
        assert.equal(newestFirst.total, byIndex.total, label)
        assert.equal(newestFirst.totalCapped, byIndex.totalCapped, label)
      }
    }
  })

  it('ranks the newest thousand matches of a common word, best first, and says there are more', async () => {
    const result = await search(national, { q: common }, WHOLE_WINDOW)
    assert.equal(result.total, 1000)
    assert.equal(result.totalCapped, true)
    assert.equal(result.rows.length, 20)
    const ranks = result.rows.map(r => Number(r.rank))
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => b - a),
      'best match first',
    )
    // Every row shown is among the newest 1,001 matches.
    const { rows } = await sql<{ oldest: Date }>`
      select min(submitted_at) as oldest from (
        select submitted_at from intelligence_report where text_search @@ websearch_to_tsquery('english', ${common})
        order by submitted_at desc limit 1001) newest`.execute(database.db)
    for (const row of result.rows) assert.ok(row.submittedAt >= rows[0].oldest, `${row.ref} is among the newest`)
  })

  it('finds a rare word however old the report, and counts exactly', async () => {
    // A window of 50 reports is too small for them all, so the index finishes the search.
    const result = await search(national, { q: rare }, { ...SEARCH_STRATEGY, denseShare: 0, window: 50 })
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from intelligence_report
      where text_search @@ websearch_to_tsquery('english', ${rare})`.execute(database.db)
    assert.ok(rows[0].n > 0)
    assert.equal(result.total, rows[0].n)
    assert.equal(result.totalCapped, false)
    assert.ok(
      result.rows.every(r => r.snippet?.includes('<mark>')),
      'each result is highlighted',
    )
  })

  it('past the last page, shows nothing but still counts', async () => {
    const result = await search(atMoorland, { q: rare, page: 40 }, WHOLE_WINDOW)
    assert.deepEqual(result.rows, [])
    const first = await search(atMoorland, { q: rare }, WHOLE_WINDOW)
    assert.equal(result.total, first.total)
  })
})
