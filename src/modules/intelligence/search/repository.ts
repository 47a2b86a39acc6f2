import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { CurrentUser } from '../../../platform/access/user.ts'
import type { Executor } from '../../../platform/db/database.ts'
import { allNominals, visibleNominals } from '../../people/repository.ts'
import { originalReadable, visibleReport } from '../repository.ts'

// The intelligence module's reads that find reports: search over words and filters, and the network around a
// nominal. Kept apart from ../repository.ts (reports, workflow, settings) so that each file can be read whole; that
// file re-exports what callers use, so the module still has one repository to import.

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

export type SearchFilters = {
  q?: string
  ref?: string
  establishment?: string
  from?: string
  to?: string
  threatArea?: string
  status?: string
  grading?: string
  nominal?: string
  entity?: string
  page: number
}

/** Matches counted and ranked at most: past this a search says "more than 1,000" and ranks the newest 1,000. */
const COUNT_CAP = 1000
/**
 * How a search with words finds its matches. A common word is in so many reports that its newest thousand matches lie
 * among the newest few thousand reports, and reading those in date order costs less than collecting every match from
 * the full-text index (half a million for "phone" nationally) to keep the newest. A rare word is the other way round:
 * reading reports one by one would read them all. So a search first reads the newest `sample` reports it may see;
 * where at least `denseShare` of them match, it reads on in date order, up to `window` reports; otherwise, or if the
 * window was not enough, the index finds the matches. Both ways give the same answer.
 */
export const SEARCH_STRATEGY = { sample: 200, denseShare: 0.15, window: 10_000 }

/** The reports the viewer may see within a search's filters (its words aside). */
function searchScope(db: Executor, viewer: Viewer, filters: SearchFilters) {
  let base = db.selectFrom('intelligenceReport as r').where(visibleReport(viewer))
  if (filters.ref) base = base.where('r.ref', '=', filters.ref)
  if (filters.establishment) base = base.where('r.establishmentCode', '=', filters.establishment)
  if (filters.from) base = base.where('r.submittedAt', '>=', new Date(`${filters.from}T00:00:00Z`))
  if (filters.to)
    base = base.where('r.submittedAt', '<', new Date(new Date(`${filters.to}T00:00:00Z`).getTime() + 86_400_000))
  if (filters.threatArea) base = base.where(sql<SqlBool>`r.threat_areas @> array[${filters.threatArea}]::text[]`)
  if (filters.status) base = base.where('r.status', '=', filters.status)
  if (filters.grading) {
    const [source, intelligence] = filters.grading.split('/')
    base = base.where('r.gradingSource', '=', source ?? '')
    if (intelligence) base = base.where('r.gradingIntelligence', '=', intelligence)
  }
  if (filters.nominal) {
    const ref = filters.nominal.toUpperCase()
    base = base.where(eb =>
      eb.exists(
        eb
          .selectFrom('intelligenceNominalLink as l')
          .innerJoin(allNominals(db).as('n'), 'n.id', 'l.nominalId')
          .select(sql`1`.as('one'))
          .whereRef('l.reportId', '=', 'r.id')
          .where('n.ref', '=', ref),
      ),
    )
  }
  if (filters.entity) {
    const value = filters.entity
    base = base.where(eb =>
      eb.exists(
        eb
          .selectFrom('intelligenceReportEntity as re')
          .innerJoin('intelligenceEntity as en', 'en.id', 're.entityId')
          .select(sql`1`.as('one'))
          .whereRef('re.reportId', '=', 'r.id')
          .where('re.status', 'in', ['accepted', 'suggested'])
          .where('en.value', '=', value),
      ),
    )
  }
  return base
}

/**
 * Reports matching the words and filters that the viewer may see: the newest 1,001 matches at most, ranked by
 * relevance, one page of them with highlights, and how many there are (capped at 1,000).
 */
export async function searchReports(
  db: Executor,
  viewer: Viewer,
  canReadOriginal: boolean,
  filters: SearchFilters,
  pageSize: number,
  strategy = SEARCH_STRATEGY,
) {
  const query = filters.q?.trim() ? sql`websearch_to_tsquery('english', ${filters.q.trim()})` : null
  const readable = originalReadable(viewer, canReadOriginal)
  const base = searchScope(db, viewer, filters)
  // The original words where this viewer may read them, else the sanitised words: for the match and for the rank.
  const matches = query
    ? sql<SqlBool>`((${readable} and r.text_search @@ ${query}) or r.sanitised_search @@ ${query})`
    : sql<SqlBool>`true`
  const rank = query
    ? sql<number>`ts_rank_cd(case when ${readable} then r.text_search else r.sanitised_search end, ${query})`
    : sql<number>`0`
  const hitColumns = [
    'r.id',
    'r.ref',
    'r.status',
    'r.submittedAt',
    'r.threatAreas',
    'r.urgent',
    'r.establishmentCode',
    'r.gradingScheme',
    'r.gradingSource',
    'r.gradingIntelligence',
    'r.gradingHandling',
    rank.as('rank'),
    sql<boolean>`${readable}`.as('originalReadable'),
  ] as const

  // One page of the newest COUNT_CAP + 1 matches among `reports`, best first, each row carrying how many there are.
  const pageOf = (reports: typeof base) =>
    db
      .selectFrom(
        reports
          .select(hitColumns)
          .where(matches)
          .orderBy('r.submittedAt', 'desc')
          .orderBy('r.id', 'desc')
          .limit(COUNT_CAP + 1)
          .as('h'),
      )
      .innerJoin('establishment as e', 'e.code', 'h.establishmentCode')
      .selectAll('h')
      .select(['e.name as establishmentName', sql<number>`count(*) over ()`.as('hits')])
      .orderBy('h.rank', 'desc')
      .orderBy('h.submittedAt', 'desc')
      .orderBy('h.id', 'desc')
      .limit(pageSize)
      .offset((filters.page - 1) * pageSize)
      .execute()

  // How many reports `reports` holds, counting no further than `limit`.
  const countUpTo = async (reports: typeof base, limit: number) =>
    Number(
      (
        await db
          .selectFrom(reports.select(sql`1`.as('one')).limit(limit).as('c'))
          .select(eb => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )

  // The newest `limit` reports the viewer may see within the filters, under the table's own alias, so that they
  // stand in for the table. In date order only, so that PostgreSQL walks an index and stops early.
  const newest = (limit: number) =>
    db.selectFrom(base.selectAll('r').orderBy('r.submittedAt', 'desc').limit(limit).as('r')) as unknown as typeof base

  let rows: Awaited<ReturnType<typeof pageOf>> | null = null
  if (query) {
    const sampled = await newest(strategy.sample)
      .select(eb => [eb.fn.countAll<number>().as('read'), sql<number>`count(*) filter (where ${matches})`.as('hits')])
      .executeTakeFirstOrThrow()
    const [read, hits] = [Number(sampled.read), Number(sampled.hits)]
    if (read < strategy.sample || hits >= read * strategy.denseShare) {
      const fromNewest = await pageOf(newest(strategy.window))
      if (Number(fromNewest[0]?.hits ?? 0) > COUNT_CAP) rows = fromNewest
      else {
        // Fewer than enough matches: the answer is whole only if the window held every report there is to read.
        if ((await countUpTo(base, strategy.window)) < strategy.window) rows = fromNewest
      }
    }
  }
  rows ??= await pageOf(base)
  let hits = Number(rows[0]?.hits ?? 0)
  if (rows.length === 0 && filters.page > 1) {
    // Past the last page: the total still tells the reader how far back to go.
    hits = await countUpTo(base.where(matches), COUNT_CAP + 1)
  }
  // Highlights for the page only, from the text this viewer may read.
  const highlights = query && rows.length > 0 ? await highlighted(db, readable, query, rows) : new Map()
  return {
    rows: rows.map(({ hits: _, ...row }) => ({ ...row, snippet: highlights.get(row.id) ?? null })),
    total: Math.min(hits, COUNT_CAP),
    totalCapped: hits > COUNT_CAP,
  }
}

/**
 * Whether the words hold nothing to search for: PostgreSQL leaves common words ("the", "and") out of the index and
 * out of a query, so a query of only such words is empty and would match nothing.
 */
export async function nothingToSearchFor(db: Executor, q: string) {
  const { rows } = await sql<{ empty: boolean }>`
    select numnode(websearch_to_tsquery('english', ${q.trim()})) = 0 as empty`.execute(db)
  return rows[0]?.empty ?? false
}

const FRAGMENT_DELIMITER = ' … '

/**
 * A highlight with an ellipsis where it was cut: before a first fragment that starts within the text, and after a
 * last one that ends before the text does. ts_headline puts one only between fragments, and drops the full stop
 * after the last word, which is given back.
 */
function withEllipses(snippet: string, source: string) {
  const words = (text: string) =>
    text
      .replace(/<\/?mark>/g, '')
      .replace(/\s+/g, ' ')
      .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
  const fragments = snippet.split(FRAGMENT_DELIMITER)
  const whole = words(source)
  const cutBefore = !whole.startsWith(words(fragments[0]))
  const cutAfter = !whole.endsWith(words(fragments[fragments.length - 1]))
  const ending = cutAfter ? ' …' : (/[^\p{L}\p{N}\s]+\s*$/u.exec(source)?.[0].trim() ?? '')
  return `${cutBefore ? '… ' : ''}${snippet.trim()}${ending}`
}

/** Each report's matching words in context, marked, from the text the viewer may read. */
async function highlighted(
  db: Executor,
  readable: Expression<SqlBool>,
  query: RawBuilder<unknown>,
  rows: readonly { id: string }[],
) {
  const { rows: marked } = await sql<{ id: string; snippet: string; source: string }>`
    select r.id, ts_headline('english', h.source, ${query},
      'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "') as snippet,
      h.source
    from intelligence_report r,
      lateral (select case when ${readable} then r.text else coalesce(r.sanitised_text, '') end as source) h
    where r.id = any(${rows.map(row => row.id)}::uuid[])`.execute(db)
  return new Map(marked.map(row => [row.id, withEllipses(row.snippet, row.source)]))
}

// ---- A nominal's reports and entities (the profile panel) ----

/** Visible reports about a nominal, newest first: the profile panel. */
export function reportsAboutNominal(db: Executor, viewer: Viewer, nominalId: string, limit = 50) {
  return db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin('intelligenceReport as r', 'r.id', 'l.reportId')
    .select([
      'r.ref',
      'r.submittedAt',
      'r.status',
      'r.threatAreas',
      'r.sanitisedText',
      'l.role',
      'r.gradingScheme',
      'r.gradingSource',
      'r.gradingIntelligence',
      'r.gradingHandling',
    ])
    .where('l.nominalId', '=', nominalId)
    .where(visibleReport(viewer))
    .orderBy('r.submittedAt', 'desc')
    .limit(limit)
    .execute()
}

/**
 * Accepted entities of the visible reports about a nominal, with how many reports carry each. The person's own
 * identifiers (their prison number, their PNC number) are who they are, not something linked to them: left out.
 */
export function entitiesOfNominal(db: Executor, viewer: Viewer, nominalId: string) {
  return db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin(allNominals(db).as('self'), 'self.id', 'l.nominalId')
    .innerJoin('intelligenceReport as r', 'r.id', 'l.reportId')
    .innerJoin('intelligenceReportEntity as re', 're.reportId', 'r.id')
    .innerJoin('intelligenceEntity as en', 'en.id', 're.entityId')
    .select(['en.type', 'en.value', eb => eb.fn.count<number>('r.id').distinct().as('reports')])
    .where('l.nominalId', '=', nominalId)
    .where('re.status', '=', 'accepted')
    .where(eb =>
      eb.not(
        eb.or([
          eb.and([eb('en.type', '=', 'prison-number'), eb('en.value', '=', eb.ref('self.ref'))]),
          eb.and([eb('en.type', '=', 'pnc'), eb('en.value', '=', eb.fn.coalesce('self.pncNumber', sql.lit('')))]),
        ]),
      ),
    )
    .where(visibleReport(viewer))
    .groupBy(['en.type', 'en.value'])
    .orderBy('reports', 'desc')
    .limit(100)
    .execute()
}

// ---- The network around a nominal (network.ts draws it) ----

/** The newest reports the viewer may see that name a nominal. */
export function reportsNaming(db: Executor, viewer: Viewer, nominalId: string, limit: number) {
  return db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin('intelligenceReport as r', 'r.id', 'l.reportId')
    .select('r.id')
    .where('l.nominalId', '=', nominalId)
    .where(visibleReport(viewer))
    .orderBy('r.submittedAt', 'desc')
    .limit(limit)
    .execute()
}

/** The newest reports the viewer may see that name any of these nominals or carry any of these accepted entities. */
export function reportsNamingAny(
  db: Executor,
  viewer: Viewer,
  named: { nominalIds: string[]; entityIds: number[] },
  limit: number,
) {
  const { nominalIds, entityIds } = named
  return db
    .selectFrom('intelligenceReport as r')
    .select('r.id')
    .where(visibleReport(viewer))
    .where(eb =>
      eb.or([
        ...(nominalIds.length
          ? [
              eb.exists(
                eb
                  .selectFrom('intelligenceNominalLink as l')
                  .select(sql`1`.as('one'))
                  .whereRef('l.reportId', '=', 'r.id')
                  .where('l.nominalId', 'in', nominalIds),
              ),
            ]
          : []),
        ...(entityIds.length
          ? [
              eb.exists(
                eb
                  .selectFrom('intelligenceReportEntity as re')
                  .select(sql`1`.as('one'))
                  .whereRef('re.reportId', '=', 'r.id')
                  .where('re.status', '=', 'accepted')
                  .where('re.entityId', 'in', entityIds),
              ),
            ]
          : []),
      ]),
    )
    .orderBy('r.submittedAt', 'desc')
    .limit(limit)
    .execute()
}

/** The people the viewer may see, and the accepted entities, named in these reports. */
export async function namedInReports(db: Executor, viewer: Viewer, reportIds: string[]) {
  const people = await db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin(visibleNominals(db, viewer).as('n'), 'n.id', 'l.nominalId')
    .innerJoin('intelligenceReport as r', 'r.id', 'l.reportId')
    .select(['l.reportId', 'r.ref as reportRef', 'n.id', 'n.ref', 'n.firstName', 'n.lastName', 'n.kind'])
    .where('l.reportId', 'in', reportIds)
    .execute()
  const entities = await db
    .selectFrom('intelligenceReportEntity as re')
    .innerJoin('intelligenceEntity as en', 'en.id', 're.entityId')
    .innerJoin('intelligenceReport as r', 'r.id', 're.reportId')
    .select(['re.reportId', 'r.ref as reportRef', 'en.id', 'en.type', 'en.value'])
    .where('re.reportId', 'in', reportIds)
    .where('re.status', '=', 'accepted')
    .execute()
  return { people, entities }
}

/**
 * The people the viewer may see whose own prison number or PNC number these are: the network draws a person's
 * identifier as the person. A person's reference is their prison number where they have one.
 */
export function visibleNominalsIdentifiedBy(
  db: Executor,
  viewer: Viewer,
  identifiers: { prisonNumbers: string[]; pncNumbers: string[] },
) {
  const { prisonNumbers, pncNumbers } = identifiers
  if (prisonNumbers.length + pncNumbers.length === 0) return Promise.resolve([])
  return db
    .selectFrom(visibleNominals(db, viewer).as('n'))
    .select(['n.id', 'n.ref', 'n.firstName', 'n.lastName', 'n.pncNumber'])
    .where(eb =>
      eb.or([
        ...(prisonNumbers.length ? [eb('n.ref', 'in', prisonNumbers)] : []),
        ...(pncNumbers.length ? [eb('n.pncNumber', 'in', pncNumbers)] : []),
      ]),
    )
    .execute()
}
