import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction, recordAudit } from '../../platform/audit/audit.ts'
import { eventsAbout } from '../../platform/audit/repository.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import { ENTITY_TYPES, normaliseEntity } from './entities.ts'
import { networkAround } from './network.ts'
import { assertMayRead, canReadOriginal, deniedAsNotFound, visibleOr404 } from './report-access.ts'
import * as repo from './repository.ts'
import { gradingFromColumns, parseReportRef } from './rules.ts'

export const SEARCH_PAGE_SIZE = 20

/** The start of a text, cut at a word and ended with an ellipsis where cut. */
function startOf(text: string | undefined, length = 200) {
  if (!text) return null
  if (text.length <= length) return text
  return `${text.slice(0, text.lastIndexOf(' ', length) > 0 ? text.lastIndexOf(' ', length) : length).trim()}…`
}

/**
 * Related reports with the people in common by name and number ("Lee King (G4600RO)"), and without a shared
 * person's own prison number listed again among the entities. A person the user may not see is not named.
 */
async function relatedInWords(
  db: Executor,
  user: CurrentUser,
  related: Awaited<ReturnType<typeof repo.relatedReports>>,
) {
  const people = await repo.visibleNominalLabels(
    db,
    user,
    related.flatMap(r => r.sharedNominals ?? []),
  )
  return related.map(r => {
    const refs = r.sharedNominals ?? []
    const numbers = new Set(refs.flatMap(ref => [ref, people.get(ref)?.prisonNumber ?? ref]))
    return {
      ...r,
      sharedPeople: refs.map(ref => people.get(ref)?.label ?? 'a person you cannot see'),
      sharedEntities: (r.sharedEntities ?? []).filter(value => !numbers.has(value)),
    }
  })
}

/** Reports matching the words and filters; `onlyCommonWords` where the words are all too common to search for. */
async function search(db: Db, user: CurrentUser, filters: repo.SearchFilters) {
  // A reference in the search box ("ir mdi 2026 k7qx4m" as read over the phone) finds that report, if it may be seen.
  const ref = filters.q ? parseReportRef(filters.q) : null
  if (ref) filters = { ...filters, q: undefined, ref }
  if (filters.q?.trim() && (await repo.nothingToSearchFor(db, filters.q)))
    return { rows: [], total: 0, totalCapped: false, onlyCommonWords: true }
  const readOriginal = user.can('intelligence:read-original')
  if (filters.entity) {
    // "07700 900123" finds the stored "+447700900123": try the value as each kind of entity.
    const forms = ENTITY_TYPES.map(type => normaliseEntity(type, filters.entity ?? '')).filter((v): v is string =>
      Boolean(v),
    )
    filters = { ...filters, entity: forms[0] ?? filters.entity }
  }
  const found = await repo.searchReports(db, user, readOriginal, filters, SEARCH_PAGE_SIZE)
  // Without words there is nothing to highlight: the start of the sanitised text says what each report is about.
  const texts = filters.q?.trim()
    ? new Map<string, string>()
    : await repo.sanitisedTexts(
        db,
        found.rows.map(r => r.id),
      )
  return {
    ...found,
    rows: found.rows.map(row => ({ ...row, snippet: row.snippet ?? startOf(texts.get(row.id)) })),
    onlyCommonWords: false,
  }
}

/**
 * The entities in reports about a nominal; a prison number that belongs to a person the user may see is that
 * person, an associate, not a thing.
 */
async function entitiesOfNominal(db: Db, user: CurrentUser, nominalId: string) {
  const entities = await repo.entitiesOfNominal(db, user, nominalId)
  const numbers = entities.filter(e => e.type === 'prison-number').map(e => e.value)
  const people = await repo.visibleNominalLabels(db, user, numbers)
  return {
    associates: entities.flatMap(e => {
      const person = e.type === 'prison-number' ? people.get(e.value) : undefined
      return person ? [{ ref: person.ref, label: person.label, reports: e.reports }] : []
    }),
    things: entities.filter(e => !(e.type === 'prison-number' && people.has(e.value))),
  }
}

/** Reading intelligence: one report, the queue, search, readers, the network and what the profile shows. */
export function readingUseCases(db: Db) {
  return {
    /** The report as this user may see it. Every view of content is audited. */
    read(user: CurrentUser, ref: string, correlationId: string | null, now = new Date()) {
      return deniedAsNotFound(db, user, correlationId, () =>
        auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
          const report = await visibleOr404(trx, user, ref)
          assertMayRead(user, report)
          const original = canReadOriginal(user, report)
          const isReader = user.can('intelligence:read')
          const [nominals, entities, history, gradingHistory, sanitised, shared, related] = await Promise.all([
            repo.linkedNominals(trx, report.id),
            repo.reportEntities(trx, report.id),
            repo.statusHistory(trx, report.id),
            repo.gradings(trx, report.id),
            repo.sanitisedVersions(trx, report.id),
            repo.disseminations(trx, report.id),
            isReader ? repo.relatedReports(trx, user, report.id) : Promise.resolve([]),
          ])
          await audit({
            action: 'intelligence.viewed',
            subjectType: 'intelligence-report',
            subjectId: report.ref,
            establishmentCode: report.establishmentCode,
            compartment: report.compartment,
            details: { original },
          })
          const [named] = await withDisplayNames(trx, [report], ['reporterUsername'])
          const linkedNumbers = new Set(nominals.flatMap(n => (n.prisonNumber ? [n.prisonNumber] : [])))
          return {
            report: { ...named, text: original ? report.text : null, grading: gradingFromColumns(report) },
            canReadOriginal: original,
            // A linked person outside the viewer's scope or compartments is shown as withheld, never named.
            nominals: nominals.map(n =>
              user.inScope(n.establishmentCode) && user.holds(n.compartment)
                ? { ...n, withheld: false }
                : { role: n.role, withheld: true },
            ),
            // A person's own prison number is the person, already linked: it is not suggested again as a thing.
            entities: isReader ? entities.filter(e => !(e.status === 'suggested' && linkedNumbers.has(e.value))) : [],
            history: await withDisplayNames(trx, history, ['changedBy']),
            gradingHistory: await withDisplayNames(trx, gradingHistory, ['gradedBy']),
            sanitisedVersions: await withDisplayNames(trx, sanitised, ['writtenBy']),
            disseminations: await withDisplayNames(trx, shared, ['authorisedBy']),
            related: await relatedInWords(trx, user, related),
          }
        }),
      )
    },

    /** Who has viewed a report, from the audit trail (head of security, auditors). */
    async readers(user: CurrentUser, ref: string) {
      const report = await repo.findVisibleReport(db, user, ref)
      if (!report) throw new NotFoundError()
      const events = await eventsAbout(db, {
        subjectType: 'intelligence-report',
        subjectId: ref,
        action: 'intelligence.viewed',
      })
      return withDisplayNames(db, events, ['actorUsername'])
    },

    /** Reports matching the words and filters; `onlyCommonWords` where the words are all too common to search for. */
    search: (user: CurrentUser, filters: repo.SearchFilters) => search(db, user, filters),

    /** The two-link network around a nominal the user may see; the read is audited. */
    async network(
      user: CurrentUser,
      nominal: { id: string; ref: string; label: string; establishmentCode: string },
      correlationId: string | null,
    ) {
      const graph = await networkAround(db, user, nominal)
      await recordAudit(db, actorOf(user, correlationId), {
        action: 'intelligence.network-viewed',
        subjectType: 'nominal',
        subjectId: nominal.ref,
        establishmentCode: nominal.establishmentCode,
        details: { nodes: graph.nodes.length },
      })
      return graph
    },

    reportsAboutNominal(user: CurrentUser, nominalId: string) {
      return repo.reportsAboutNominal(db, user, nominalId)
    },

    /** The entities in reports about a nominal, and the people among them (associates). */
    entitiesOfNominal: (user: CurrentUser, nominalId: string) => entitiesOfNominal(db, user, nominalId),

    /** Counts for the LSS risk assessment's evidence; no report text. */
    reportsByThreatArea(establishmentCode: string, since: Date) {
      return repo.reportsByThreatArea(db, establishmentCode, since)
    },
  }
}
export type ReadingUseCases = ReturnType<typeof readingUseCases>
