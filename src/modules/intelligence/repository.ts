import { type Expression, type SqlBool, sql } from 'kysely'
import { type CurrentUser, visibleTo } from '../../platform/access/user.ts'
import type { Executor } from '../../platform/db/database.ts'

type Viewer = Pick<CurrentUser, 'establishmentCodes' | 'compartments'>

/** Scope and need-to-know for reports: outside them a report does not exist for the viewer. */
export const visibleReport = (viewer: Viewer, alias = 'r') =>
  visibleTo(viewer, { establishment: `${alias}.establishmentCode`, compartment: `${alias}.compartment` })

/** Whether the viewer may read the original (unsanitised) words of a report, as SQL. */
export const originalReadable = (viewer: Viewer, canReadOriginal: boolean, alias = 'r'): Expression<SqlBool> =>
  canReadOriginal
    ? sql<SqlBool>`(${sql.ref(`${alias}.originalCompartment`)} is null or ${sql.ref(`${alias}.originalCompartment`)} = any(${[
        ...viewer.compartments,
      ]}::text[]))`
    : sql<SqlBool>`false`

const REPORT_COLUMNS = [
  'r.id',
  'r.ref',
  'r.establishmentCode',
  'r.compartment',
  'r.originalCompartment',
  'r.reporterId',
  'r.reporterUsername',
  'r.submittedAt',
  'r.occurredAt',
  'r.location',
  'r.sourceType',
  'r.threatAreas',
  'r.urgent',
  'r.text',
  'r.namedPeople',
  'r.status',
  'r.linkedToRef',
  'r.sanitisedText',
  'r.gradingScheme',
  'r.gradingSource',
  'r.gradingIntelligence',
  'r.gradingHandling',
  'r.gradingConditions',
] as const

export function findVisibleReport(db: Executor, viewer: Viewer, ref: string) {
  return db
    .selectFrom('intelligenceReport as r')
    .innerJoin('establishment as e', 'e.code', 'r.establishmentCode')
    .select([...REPORT_COLUMNS, 'e.name as establishmentName'])
    .where('r.ref', '=', ref)
    .where(visibleReport(viewer))
    .executeTakeFirst()
}
export type ReportRow = NonNullable<Awaited<ReturnType<typeof findVisibleReport>>>

export function findReportByRef(db: Executor, ref: string) {
  return db
    .selectFrom('intelligenceReport')
    .select(['id', 'ref', 'establishmentCode', 'compartment'])
    .where('ref', '=', ref)
    .executeTakeFirst()
}

/**
 * The report a reporter already made with this submission key, or else the next report number: one read. A number
 * is taken only when there is no earlier report, so a repeated submission leaves no gap in the numbers.
 */
export async function previousOrNextNumber(db: Executor, reporterId: string, submissionKey: string) {
  const { rows } = await sql<{ ref: string | null; status: string | null; next: string | null }>`
    select p.ref, p.status, case when p.ref is null then nextval('intelligence_report_seq') end as next
    from (select 1) as one
    left join intelligence_report p on p.reporter_id = ${reporterId} and p.submission_key = ${submissionKey}`.execute(
    db,
  )
  const row = rows[0]
  return row.ref
    ? { previous: { ref: row.ref, status: row.status! }, next: 0 }
    : { previous: null, next: Number(row.next) }
}

export function gradingSchemeOf(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('intelligenceSetting')
    .select('gradingScheme')
    .where('establishmentCode', '=', establishmentCode)
    .executeTakeFirst()
    .then(row => row?.gradingScheme ?? '3x5x2')
}

/** The triage queue: reports waiting for the security department, urgent first, then oldest. */
export function queue(db: Executor, viewer: Viewer, limit = 100) {
  return db
    .selectFrom('intelligenceReport as r')
    .innerJoin('establishment as e', 'e.code', 'r.establishmentCode')
    .select([
      'r.ref',
      'r.status',
      'r.urgent',
      'r.submittedAt',
      'r.threatAreas',
      'r.sourceType',
      'r.establishmentCode',
      'e.name as establishmentName',
    ])
    .where('r.status', 'in', ['submitted', 'in-assessment'])
    .where(visibleReport(viewer))
    .orderBy('r.urgent', 'desc')
    .orderBy('r.submittedAt', 'asc')
    .limit(limit)
    .execute()
}

export function reportsBy(db: Executor, reporterId: string, limit: number, offset: number) {
  return db
    .selectFrom('intelligenceReport as r')
    .select(['r.ref', 'r.status', 'r.submittedAt', 'r.threatAreas', 'r.urgent'])
    .where('r.reporterId', '=', reporterId)
    .orderBy('r.submittedAt', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
}

export function linkedNominals(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin('peopleNominal as n', 'n.id', 'l.nominalId')
    .select([
      'l.role',
      'n.id',
      'n.ref',
      'n.kind',
      'n.firstName',
      'n.lastName',
      'n.prisonNumber',
      'n.establishmentCode',
      'n.compartment',
    ])
    .where('l.reportId', '=', reportId)
    .orderBy('l.linkedAt')
    .execute()
}

export function reportEntities(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceReportEntity as re')
    .innerJoin('intelligenceEntity as en', 'en.id', 're.entityId')
    .select(['en.id', 'en.type', 'en.value', 're.status', 're.raw', 're.decidedBy', 're.decidedAt'])
    .where('re.reportId', '=', reportId)
    .orderBy('en.type')
    .orderBy('en.value')
    .execute()
}

export function statusHistory(db: Executor, reportId: string) {
  return db.selectFrom('intelligenceStatusChange').selectAll().where('reportId', '=', reportId).orderBy('id').execute()
}

export function gradings(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceGrading')
    .selectAll()
    .where('reportId', '=', reportId)
    .orderBy('version', 'desc')
    .execute()
}

export function sanitisedVersions(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceSanitisedVersion')
    .selectAll()
    .where('reportId', '=', reportId)
    .orderBy('version', 'desc')
    .execute()
}

export function disseminations(db: Executor, reportId: string) {
  return db
    .selectFrom('intelligenceDissemination')
    .selectAll()
    .where('reportId', '=', reportId)
    .orderBy('disseminatedAt', 'desc')
    .execute()
}

/** Upserts entity values and returns their ids. */
export async function entityIds(db: Executor, entities: readonly { type: string; value: string }[]) {
  if (entities.length === 0) return new Map<string, number>()
  // New values are inserted and known values read, in one statement. Known values are not rewritten: an upsert
  // would lock each shared entity (a phone number named in many reports) until commit, and queue every submission
  // that names it.
  const types = entities.map(e => e.type)
  const values = entities.map(e => e.value)
  const { rows } = await sql<{ id: string; type: string; value: string }>`
    with wanted (type, value) as (select * from unnest(${types}::text[], ${values}::text[])),
    added as (
      insert into intelligence_entity (type, value) select type, value from wanted
      on conflict (type, value) do nothing returning id, type, value)
    select id, type, value from added
    union all
    select e.id, e.type, e.value from intelligence_entity e join wanted w on w.type = e.type and w.value = e.value`.execute(
    db,
  )
  const ids = new Map(rows.map(row => [`${row.type}:${row.value}`, Number(row.id)]))
  // A value another submission added after this statement began is neither added nor seen by it: read it again.
  const late = entities.filter(e => !ids.has(`${e.type}:${e.value}`))
  if (late.length > 0) {
    const again = await db
      .selectFrom('intelligenceEntity')
      .select(['id', 'type', 'value'])
      .where(eb => eb.or(late.map(e => eb.and([eb('type', '=', e.type), eb('value', '=', e.value)]))))
      .execute()
    for (const row of again) ids.set(`${row.type}:${row.value}`, Number(row.id))
  }
  return ids
}

/** The do-not-link values that apply to an establishment (its own and the national ones). */
export function doNotLinkValues(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('intelligenceDoNotLink')
    .select(['id', 'establishmentCode', 'type', 'value', 'reason', 'addedBy', 'addedAt'])
    .where('removedAt', 'is', null)
    .where(eb => eb.or([eb('establishmentCode', '=', establishmentCode), eb('establishmentCode', 'is', null)]))
    .orderBy('type')
    .orderBy('value')
    .execute()
}

/** Other visible reports sharing a nominal or an accepted entity with this one, newest first. */
export function relatedReports(db: Executor, viewer: Viewer, reportId: string, limit = 20) {
  return db
    .selectFrom('intelligenceReport as r')
    .select(['r.ref', 'r.submittedAt', 'r.status', 'r.threatAreas', 'r.sanitisedText', 'r.establishmentCode'])
    .select(eb => [
      eb
        .selectFrom('intelligenceNominalLink as a')
        .innerJoin('intelligenceNominalLink as b', 'b.nominalId', 'a.nominalId')
        .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
        .select(sql<string[]>`array_agg(distinct n.ref)`.as('refs'))
        .whereRef('a.reportId', '=', 'r.id')
        .where('b.reportId', '=', reportId)
        .as('sharedNominals'),
      eb
        .selectFrom('intelligenceReportEntity as a')
        .innerJoin('intelligenceReportEntity as b', 'b.entityId', 'a.entityId')
        .innerJoin('intelligenceEntity as en', 'en.id', 'a.entityId')
        .select(sql<string[]>`array_agg(distinct en.value)`.as('values'))
        .whereRef('a.reportId', '=', 'r.id')
        .where('b.reportId', '=', reportId)
        .where('a.status', '=', 'accepted')
        .where('b.status', '=', 'accepted')
        .as('sharedEntities'),
    ])
    .where('r.id', '!=', reportId)
    .where(visibleReport(viewer))
    .where(eb =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('intelligenceNominalLink as a')
            .innerJoin('intelligenceNominalLink as b', 'b.nominalId', 'a.nominalId')
            .select(sql`1`.as('one'))
            .whereRef('a.reportId', '=', 'r.id')
            .where('b.reportId', '=', reportId),
        ),
        eb.exists(
          eb
            .selectFrom('intelligenceReportEntity as a')
            .innerJoin('intelligenceReportEntity as b', 'b.entityId', 'a.entityId')
            .select(sql`1`.as('one'))
            .whereRef('a.reportId', '=', 'r.id')
            .where('b.reportId', '=', reportId)
            .where('a.status', '=', 'accepted')
            .where('b.status', '=', 'accepted'),
        ),
      ]),
    )
    .orderBy('r.submittedAt', 'desc')
    .limit(limit)
    .execute()
}

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

/** Accepted entities of the visible reports about a nominal, with how many reports carry each. */
export function entitiesOfNominal(db: Executor, viewer: Viewer, nominalId: string) {
  return db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin('intelligenceReport as r', 'r.id', 'l.reportId')
    .innerJoin('intelligenceReportEntity as re', 're.reportId', 'r.id')
    .innerJoin('intelligenceEntity as en', 'en.id', 're.entityId')
    .select(['en.type', 'en.value', eb => eb.fn.count<number>('r.id').distinct().as('reports')])
    .where('l.nominalId', '=', nominalId)
    .where('re.status', '=', 'accepted')
    .where(visibleReport(viewer))
    .groupBy(['en.type', 'en.value'])
    .orderBy('reports', 'desc')
    .limit(100)
    .execute()
}

export type SearchFilters = {
  q?: string
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
  let base = db.selectFrom('intelligenceReport as r').where(visibleReport(viewer))
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
          .innerJoin('peopleNominal as n', 'n.id', 'l.nominalId')
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
  const highlights = new Map<string, string>()
  if (query && rows.length > 0) {
    const { rows: marked } = await sql<{ id: string; snippet: string }>`
      select r.id, ts_headline('english',
        case when ${readable} then r.text else coalesce(r.sanitised_text, '') end, ${query},
        'StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "') as snippet
      from intelligence_report r where r.id = any(${rows.map(row => row.id)}::uuid[])`.execute(db)
    for (const row of marked) highlights.set(row.id, row.snippet)
  }
  return {
    rows: rows.map(({ hits: _, ...row }) => ({ ...row, snippet: highlights.get(row.id) ?? null })),
    total: Math.min(hits, COUNT_CAP),
    totalCapped: hits > COUNT_CAP,
  }
}

export type NetworkNode = {
  id: string
  kind: 'nominal' | 'entity'
  label: string
  detail: string
  href: string | null
  depth: 0 | 1 | 2
}
export type NetworkEdge = { from: string; to: string; reports: string[] }

const NETWORK_REPORT_LIMIT = 300

/**
 * People and entities within two links of a nominal, where a link is appearing together in a report the viewer
 * may see. People outside the viewer's scope or compartments are left out, as are unaccepted entities.
 */
export async function network(db: Executor, viewer: Viewer, nominal: { id: string; ref: string; label: string }) {
  const nodes = new Map<string, NetworkNode>()
  const edges = new Map<string, NetworkEdge>()
  const key = (kind: string, id: string | number) => `${kind}:${id}`
  nodes.set(key('n', nominal.id), {
    id: key('n', nominal.id),
    kind: 'nominal',
    label: nominal.label,
    detail: nominal.ref,
    href: `/people/${nominal.ref}`,
    depth: 0,
  })

  async function membersOf(reportIds: string[]) {
    if (reportIds.length === 0) return []
    const people = await db
      .selectFrom('intelligenceNominalLink as l')
      .innerJoin('peopleNominal as n', 'n.id', 'l.nominalId')
      .innerJoin('intelligenceReport as r', 'r.id', 'l.reportId')
      .select(['l.reportId', 'r.ref as reportRef', 'n.id', 'n.ref', 'n.firstName', 'n.lastName', 'n.kind'])
      .where('l.reportId', 'in', reportIds)
      .where(visibleTo(viewer, { establishment: 'n.establishmentCode', compartment: 'n.compartment' }))
      .execute()
    const things = await db
      .selectFrom('intelligenceReportEntity as re')
      .innerJoin('intelligenceEntity as en', 'en.id', 're.entityId')
      .innerJoin('intelligenceReport as r', 'r.id', 're.reportId')
      .select(['re.reportId', 'r.ref as reportRef', 'en.id', 'en.type', 'en.value'])
      .where('re.reportId', 'in', reportIds)
      .where('re.status', '=', 'accepted')
      .execute()
    return [
      ...people.map(p => ({
        reportId: p.reportId,
        reportRef: p.reportRef,
        node: {
          id: key('n', p.id),
          kind: 'nominal' as const,
          label: `${p.firstName} ${p.lastName}`,
          detail: p.ref,
          href: `/people/${p.ref}`,
        },
      })),
      ...things.map(t => ({
        reportId: t.reportId,
        reportRef: t.reportRef,
        node: {
          id: key('e', t.id),
          kind: 'entity' as const,
          label: t.value,
          detail: t.type,
          href: `/intelligence/search?entity=${encodeURIComponent(t.value)}`,
        },
      })),
    ]
  }

  function connect(members: Awaited<ReturnType<typeof membersOf>>, depth: 1 | 2, from: Set<string>) {
    const byReport = new Map<string, typeof members>()
    for (const m of members) {
      const group = byReport.get(m.reportId)
      if (group) group.push(m)
      else byReport.set(m.reportId, [m])
    }
    for (const group of byReport.values()) {
      const anchors = group.filter(m => from.has(m.node.id))
      for (const m of group) {
        if (!nodes.has(m.node.id)) nodes.set(m.node.id, { ...m.node, depth })
        for (const anchor of anchors) {
          if (anchor.node.id === m.node.id) continue
          const [a, b] = [anchor.node.id, m.node.id].sort()
          const edge = edges.get(`${a}|${b}`) ?? { from: a, to: b, reports: [] }
          if (!edge.reports.includes(m.reportRef)) edge.reports.push(m.reportRef)
          edges.set(`${a}|${b}`, edge)
        }
      }
    }
  }

  const first = await db
    .selectFrom('intelligenceNominalLink as l')
    .innerJoin('intelligenceReport as r', 'r.id', 'l.reportId')
    .select('r.id')
    .where('l.nominalId', '=', nominal.id)
    .where(visibleReport(viewer))
    .orderBy('r.submittedAt', 'desc')
    .limit(NETWORK_REPORT_LIMIT)
    .execute()
  const firstIds = first.map(r => r.id)
  connect(await membersOf(firstIds), 1, new Set([key('n', nominal.id)]))

  const level1 = [...nodes.values()].filter(n => n.depth === 1)
  const nominalIds = level1.filter(n => n.kind === 'nominal').map(n => n.id.slice(2))
  const entityIds = level1.filter(n => n.kind === 'entity').map(n => Number(n.id.slice(2)))
  if (nominalIds.length + entityIds.length > 0) {
    const second = await db
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
      .limit(NETWORK_REPORT_LIMIT)
      .execute()
    const seen = new Set(firstIds)
    const secondIds = second.map(r => r.id).filter(id => !seen.has(id))
    connect(await membersOf(secondIds), 2, new Set(level1.map(n => n.id)))
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] }
}

/** Open (non-compartmented) reports received at a prison since a date, counted by threat area: LSS evidence. */
export async function reportsByThreatArea(db: Executor, establishmentCode: string, since: Date) {
  const { rows } = await sql<{ area: string; n: number }>`
    select area, count(*)::int as n
    from intelligence_report r, unnest(r.threat_areas) as area
    where r.establishment_code = ${establishmentCode} and r.submitted_at >= ${since} and r.compartment is null
    group by area order by n desc`.execute(db)
  return rows
}
