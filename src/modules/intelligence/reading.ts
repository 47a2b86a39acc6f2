import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction, recordAudit } from '../../platform/audit/audit.ts'
import { eventsAbout } from '../../platform/audit/repository.ts'
import type { Db } from '../../platform/db/database.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import { ENTITY_TYPES, normaliseEntity } from './entities.ts'
import { networkAround } from './network.ts'
import { assertMayRead, canReadOriginal, deniedAsNotFound, visibleOr404 } from './report-access.ts'
import * as repo from './repository.ts'
import { gradingFromColumns } from './rules.ts'

export const SEARCH_PAGE_SIZE = 20

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
          return {
            report: { ...named, text: original ? report.text : null, grading: gradingFromColumns(report) },
            canReadOriginal: original,
            // A linked person outside the viewer's scope or compartments is shown as withheld, never named.
            nominals: nominals.map(n =>
              user.inScope(n.establishmentCode) && user.holds(n.compartment)
                ? { ...n, withheld: false }
                : { role: n.role, withheld: true },
            ),
            entities: isReader ? entities : [],
            history: await withDisplayNames(trx, history, ['changedBy']),
            gradingHistory: await withDisplayNames(trx, gradingHistory, ['gradedBy']),
            sanitisedVersions: await withDisplayNames(trx, sanitised, ['writtenBy']),
            disseminations: await withDisplayNames(trx, shared, ['authorisedBy']),
            related,
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
    async search(user: CurrentUser, filters: repo.SearchFilters) {
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
      return {
        ...(await repo.searchReports(db, user, readOriginal, filters, SEARCH_PAGE_SIZE)),
        onlyCommonWords: false,
      }
    },

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

    entitiesOfNominal(user: CurrentUser, nominalId: string) {
      return repo.entitiesOfNominal(db, user, nominalId)
    },

    /** Counts for the LSS risk assessment's evidence; no report text. */
    reportsByThreatArea(establishmentCode: string, since: Date) {
      return repo.reportsByThreatArea(db, establishmentCode, since)
    },
  }
}
export type ReadingUseCases = ReturnType<typeof readingUseCases>
