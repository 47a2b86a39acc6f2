// Intelligence search reads the newest reports first and falls back to the full-text index when the words are rare
// (issue 7). Both ways must give the same answer: the newest 1,001 matches at most, ranked, with the same count.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { sql } from 'kysely'
import { seedDemo } from '../../src/demo/seed.ts'
import { networkAround } from '../../src/modules/intelligence/network.ts'
import {
  entitiesOfNominal,
  nothingToSearchFor,
  SEARCH_STRATEGY,
  type SearchFilters,
  searchReports,
} from '../../src/modules/intelligence/repository.ts'
import type { CurrentUser } from '../../src/platform/access/user.ts'
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
    select word, ndoc from ts_stat('select text_search from intelligence_report')
    -- Only words that stem to themselves: a stem typed as a query is stemmed again, and may become another word.
    where plainto_tsquery('english', word)::text = quote_literal(word)
    order by ndoc desc, word`.execute(database.db)
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

describe('words too common to search for (issue 12)', () => {
  it('knows a query of only common words holds nothing to search for', async () => {
    for (const q of ['the', 'and the', ' of  the ', '"the"'])
      assert.equal(await nothingToSearchFor(database.db, q), true, q)
    for (const q of [common, `the ${rare}`, '-the phone'])
      assert.equal(await nothingToSearchFor(database.db, q), false, q)
  })

  it('marks where a highlight was cut, at either end', async () => {
    const result = await search(national, { q: rare }, WHOLE_WINDOW)
    const texts = new Map(
      (
        await database.db
          .selectFrom('intelligenceReport')
          .select(['ref', 'text'])
          .where(
            'ref',
            'in',
            result.rows.map(r => r.ref),
          )
          .execute()
      ).map(r => [r.ref, r.text]),
    )
    const words = (text: string) =>
      text
        .replace(/<\/?mark>|…/g, '')
        .replace(/\s+/g, ' ')
        .trim()
    for (const row of result.rows) {
      const text = words(texts.get(row.ref) ?? '')
      const snippet = row.snippet ?? ''
      const [first, ...rest] = snippet.split(' … ')
      assert.equal(snippet.startsWith('… '), !text.startsWith(words(first).replace(/[^\p{L}\p{N}]+$/u, '')), snippet)
      const last = words(rest.at(-1) ?? first).replace(/[^\p{L}\p{N}]+$/u, '')
      assert.equal(snippet.endsWith(' …'), !text.replace(/[^\p{L}\p{N}]+$/u, '').endsWith(last), snippet)
    }
  })
})

describe('the demo reports (issue 12)', () => {
  it('credit each report to someone who works at its prison, and the reporter account only at Moorland', async () => {
    const rows = await database.db
      .selectFrom('intelligenceReport as r')
      .innerJoin('appUser as u', 'u.id', 'r.reporterId')
      .select(['r.establishmentCode', 'u.establishmentCode as worksAt', 'u.username'])
      .select(eb => eb.fn.countAll<number>().as('n'))
      .groupBy(['r.establishmentCode', 'u.establishmentCode', 'u.username'])
      .execute()
    assert.ok(rows.length >= 4, 'reports at every demo prison')
    for (const row of rows)
      assert.equal(row.worksAt, row.establishmentCode, `${row.username} reports at ${row.worksAt}`)
    assert.deepEqual(
      rows.filter(row => row.username === 'reporter').map(row => row.establishmentCode),
      ['MDI'],
    )
  })

  it('are varied: their words, threat areas, places, and phones that recur across a circle', async () => {
    const { rows } = await sql<{ reports: number; texts: number; areas: number; places: number }>`
      select count(*)::int as reports, count(distinct text)::int as texts,
        count(distinct threat_areas)::int as areas, count(distinct location)::int as places
      from intelligence_report`.execute(database.db)
    const [stats] = rows
    assert.ok(stats.texts > stats.reports * 0.95, `${stats.texts} different texts in ${stats.reports} reports`)
    assert.ok(stats.areas >= 10, `${stats.areas} combinations of threat areas`)
    assert.ok(stats.places >= 20, `${stats.places} places`)
    const { rows: phones } = await sql<{ shared: number }>`
      select count(*)::int as shared from (
        select re.entity_id from intelligence_report_entity re join intelligence_entity en on en.id = re.entity_id
        where en.type = 'phone' group by re.entity_id having count(distinct re.report_id) >= 3) p`.execute(database.db)
    assert.ok(phones[0].shared >= 20, `${phones[0].shared} phones in three reports or more`)
  })
})

describe('a person and their own identifiers (issue 12)', () => {
  const viewer = { ...national, can: () => true } as unknown as CurrentUser
  let busiest: { id: string; ref: string; firstName: string; lastName: string }

  before(async () => {
    busiest = await database.db
      .selectFrom('intelligenceNominalLink as l')
      .innerJoin('peopleNominal as n', 'n.id', 'l.nominalId')
      .select(['n.id', 'n.ref', 'n.firstName', 'n.lastName'])
      .where('n.compartment', 'is', null)
      .groupBy(['n.id', 'n.ref', 'n.firstName', 'n.lastName'])
      .orderBy(eb => eb.fn.countAll(), 'desc')
      .orderBy('n.ref')
      .executeTakeFirstOrThrow()
  })

  it('leaves the person’s own prison number out of the entities of their profile', async () => {
    const entities = await entitiesOfNominal(database.db, national, busiest.id)
    assert.ok(entities.length > 0)
    assert.ok(!entities.some(e => e.type === 'prison-number' && e.value === busiest.ref), 'not their own number')
    assert.ok(
      entities.some(e => e.type === 'prison-number'),
      'the numbers of others named with them are still there',
    )
  })

  it('draws each person once in the network: never beside their own prison number', async () => {
    const label = `${busiest.firstName} ${busiest.lastName}`
    const graph = await networkAround(database.db, viewer, { id: busiest.id, ref: busiest.ref, label })
    const people = graph.nodes.filter(n => n.kind === 'nominal')
    assert.ok(people.length > 1, 'the network holds other people')
    const numbers = new Set(people.map(p => p.detail))
    assert.deepEqual(
      graph.nodes.filter(n => n.kind === 'entity' && n.detail === 'prison-number' && numbers.has(n.label)),
      [],
    )
    assert.equal(new Set(graph.nodes.map(n => n.id)).size, graph.nodes.length)
    assert.ok(!graph.edges.some(e => e.from === e.to), 'no one is linked to themselves')
  })
})
