import type { CurrentUser } from '../../platform/access/user.ts'
import type { Executor } from '../../platform/db/database.ts'
import * as repo from './repository.ts'

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

type Member = { reportId: string; reportRef: string; node: Omit<NetworkNode, 'depth'> }

const key = (kind: string, id: string | number) => `${kind}:${id}`

const personNode = (p: { id: string; ref: string; firstName: string; lastName: string }) => ({
  id: key('n', p.id),
  kind: 'nominal' as const,
  label: `${p.firstName} ${p.lastName}`,
  detail: p.ref,
  href: `/people/${p.ref}`,
})

/**
 * Who and what each of these reports names, as nodes of the network. A prison number or PNC number that is a
 * person's own is that person: one node, never the person and, one link away, their own number.
 */
async function membersOf(db: Executor, viewer: CurrentUser, reportIds: string[]): Promise<Member[]> {
  if (reportIds.length === 0) return []
  const { people, entities } = await repo.namedInReports(db, viewer, reportIds)
  const identifiersOf = (type: string) => [...new Set(entities.filter(t => t.type === type).map(t => t.value))]
  const identified = await repo.visibleNominalsIdentifiedBy(db, viewer, {
    prisonNumbers: identifiersOf('prison-number'),
    pncNumbers: identifiersOf('pnc'),
  })
  const byPrisonNumber = new Map(identified.map(p => [p.ref, p]))
  const byPnc = new Map(identified.filter(p => p.pncNumber).map(p => [p.pncNumber, p]))
  const personOf = (t: { type: string; value: string }) =>
    t.type === 'prison-number' ? byPrisonNumber.get(t.value) : t.type === 'pnc' ? byPnc.get(t.value) : undefined
  return [
    ...people.map(p => ({ reportId: p.reportId, reportRef: p.reportRef, node: personNode(p) })),
    ...entities.map(t => {
      const person = personOf(t)
      return {
        reportId: t.reportId,
        reportRef: t.reportRef,
        node: person
          ? personNode(person)
          : {
              id: key('e', t.id),
              kind: 'entity' as const,
              label: t.value,
              detail: t.type,
              href: `/intelligence/search?entity=${encodeURIComponent(t.value)}`,
            },
      }
    }),
  ]
}

/** Adds the members of each report at `depth`, linked to the members already in the graph that the report names. */
function connect(
  graph: { nodes: Map<string, NetworkNode>; edges: Map<string, NetworkEdge> },
  members: Member[],
  depth: 1 | 2,
  from: Set<string>,
) {
  const byReport = Map.groupBy(members, m => m.reportId)
  for (const group of byReport.values()) {
    const anchors = group.filter(m => from.has(m.node.id))
    for (const m of group) {
      if (!graph.nodes.has(m.node.id)) graph.nodes.set(m.node.id, { ...m.node, depth })
      for (const anchor of anchors) {
        if (anchor.node.id === m.node.id) continue
        const [a, b] = [anchor.node.id, m.node.id].sort()
        const edge = graph.edges.get(`${a}|${b}`) ?? { from: a, to: b, reports: [] }
        if (!edge.reports.includes(m.reportRef)) edge.reports.push(m.reportRef)
        graph.edges.set(`${a}|${b}`, edge)
      }
    }
  }
}

/**
 * People and entities within two links of a nominal, where a link is appearing together in a report the viewer
 * may see. People outside the viewer's scope or compartments are left out, as are unaccepted entities.
 */
export async function networkAround(
  db: Executor,
  viewer: CurrentUser,
  nominal: { id: string; ref: string; label: string },
) {
  const graph = { nodes: new Map<string, NetworkNode>(), edges: new Map<string, NetworkEdge>() }
  const centre = key('n', nominal.id)
  graph.nodes.set(centre, {
    id: centre,
    kind: 'nominal',
    label: nominal.label,
    detail: nominal.ref,
    href: `/people/${nominal.ref}`,
    depth: 0,
  })
  const first = await repo.reportsNaming(db, viewer, nominal.id, NETWORK_REPORT_LIMIT)
  const firstIds = first.map(r => r.id)
  connect(graph, await membersOf(db, viewer, firstIds), 1, new Set([centre]))

  const level1 = [...graph.nodes.values()].filter(n => n.depth === 1)
  const nominalIds = level1.filter(n => n.kind === 'nominal').map(n => n.id.slice(2))
  const entityIds = level1.filter(n => n.kind === 'entity').map(n => Number(n.id.slice(2)))
  if (nominalIds.length + entityIds.length > 0) {
    const second = await repo.reportsNamingAny(db, viewer, { nominalIds, entityIds }, NETWORK_REPORT_LIMIT)
    const seen = new Set(firstIds)
    const secondIds = second.map(r => r.id).filter(id => !seen.has(id))
    connect(graph, await membersOf(db, viewer, secondIds), 2, new Set(level1.map(n => n.id)))
  }
  return { nodes: [...graph.nodes.values()], edges: [...graph.edges.values()] }
}

/** A row of the network's table: a node, the reports that put it beside the person, and whom it is linked through. */
export type NetworkRow = { node: NetworkNode; reports: string[]; through: NetworkNode[] }

/**
 * The network as the table reads it, which is what it is without JavaScript: the people and entities one link away,
 * most shared reports first, with those reports; then those two links away, through whom, most connected first.
 */
export function networkRows(graph: { nodes: NetworkNode[]; edges: NetworkEdge[] }) {
  const byId = new Map(graph.nodes.map(node => [node.id, node]))
  const centre = graph.nodes.find(node => node.depth === 0)
  const rows = new Map(
    graph.nodes.filter(n => n.depth > 0).map(node => [node.id, { node, reports: [], through: [] } as NetworkRow]),
  )
  for (const edge of graph.edges) {
    const [from, to] = [byId.get(edge.from), byId.get(edge.to)]
    if (!from || !to) continue
    for (const [near, far] of [
      [from, to],
      [to, from],
    ]) {
      const row = rows.get(far.id)
      if (!row) continue
      if (near.id === centre?.id) row.reports = edge.reports
      else if (far.depth === 2 && near.depth === 1) row.through.push(near)
    }
  }
  const label = (row: NetworkRow) => row.node.label
  const peopleFirst = (a: NetworkRow, b: NetworkRow) =>
    Number(b.node.kind === 'nominal') - Number(a.node.kind === 'nominal')
  const near = [...rows.values()]
    .filter(row => row.node.depth === 1)
    .sort((a, b) => b.reports.length - a.reports.length || peopleFirst(a, b) || label(a).localeCompare(label(b)))
  const far = [...rows.values()]
    .filter(row => row.node.depth === 2)
    .sort((a, b) => b.through.length - a.through.length || peopleFirst(a, b) || label(a).localeCompare(label(b)))
  return { near, far }
}
