import { sql } from 'kysely'
import { type CurrentUser, visibleTo } from '../../platform/access/user.ts'
import { actorOf, recordAudit } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { ENTITY_TYPES, type EntityType, extractEntities, normaliseEntity } from './entities.ts'
import * as repo from './repository.ts'
import {
  compartmentsFor,
  disseminationBlockers,
  type Grading,
  type GradingScheme,
  gradingProblems,
  handlingCheck,
  nextStatus,
  type RecipientType,
  type ReportStatus,
  reportRef,
  type SourceType,
  type ThreatArea,
  type WorkflowAction,
} from './rules.ts'
import type { DisseminationInput, GradingInput, LinksInput, SubmitInput } from './schema.ts'

export const SEARCH_PAGE_SIZE = 20

function gradingOf(report: repo.ReportRow): Grading | null {
  if (!report.gradingScheme) return null
  return {
    scheme: report.gradingScheme as GradingScheme,
    source: report.gradingSource!,
    intelligence: report.gradingIntelligence!,
    handling: report.gradingHandling!,
    conditions: report.gradingConditions,
  }
}

class NotVisibleError extends NotFoundError {
  readonly ref: string
  readonly establishmentCode: string
  constructor(ref: string, establishmentCode: string) {
    super()
    this.ref = ref
    this.establishmentCode = establishmentCode
  }
}

/** Use cases of intelligence: every one checks scope and compartments in SQL and writes its audit event. */
export function intelligenceService(db: Db) {
  /** The report if the user may see it; otherwise "not found", remembering a look at a real report for audit. */
  async function visibleOr404(trx: Executor, user: CurrentUser, ref: string) {
    const report = await repo.findVisibleReport(trx, user, ref)
    if (report) return report
    const exists = await repo.findReportByRef(trx, ref)
    // A look outside scope is recorded. A report in a compartment the user lacks does not exist for them at all,
    // so nothing is recorded that could show up beside its reference.
    throw exists && user.holds(exists.compartment)
      ? new NotVisibleError(ref, exists.establishmentCode)
      : new NotFoundError()
  }

  async function auditingDenials<T>(user: CurrentUser, correlationId: string | null, work: () => Promise<T>) {
    try {
      return await work()
    } catch (error) {
      if (!(error instanceof NotVisibleError)) throw error
      await recordAudit(db, actorOf(user, correlationId), {
        action: 'intelligence.view-denied',
        subjectType: 'intelligence-report',
        subjectId: error.ref,
        establishmentCode: error.establishmentCode,
      })
      throw new NotFoundError()
    }
  }

  function canReadOriginal(
    user: CurrentUser,
    report: { establishmentCode: string; compartment: string | null; originalCompartment: string | null },
  ) {
    return (
      user.can('intelligence:read-original', {
        establishmentCode: report.establishmentCode,
        compartment: report.compartment,
      }) && user.holds(report.originalCompartment)
    )
  }

  /** Reads need intelligence:read; a reporter may always see the status of what they submitted. */
  function assertMayRead(user: CurrentUser, report: repo.ReportRow) {
    if (!user.can('intelligence:read') && report.reporterId !== user.id)
      throw new NotVisibleError(report.ref, report.establishmentCode)
  }

  async function changeStatus(
    trx: Executor,
    report: { id: string; status: string },
    action: WorkflowAction,
    by: string,
    now: Date,
    note: string | null = null,
  ): Promise<ReportStatus> {
    const to = nextStatus(report.status as ReportStatus, action)
    if (!to)
      throw new ConflictError(`This report is ${report.status.replace(/-/g, ' ')}: it cannot be changed that way now.`)
    // Guard on the status read: a second person acting on the old status finds nothing to update.
    const updated = await trx
      .updateTable('intelligenceReport')
      .set({ status: to })
      .where('id', '=', report.id)
      .where('status', '=', report.status)
      .returning('id')
      .executeTakeFirst()
    if (!updated)
      throw new ConflictError('Someone else changed this report while you were working on it. Reload it and try again.')
    if (to !== report.status) {
      await trx
        .insertInto('intelligenceStatusChange')
        .values({ reportId: report.id, fromStatus: report.status, toStatus: to, note, changedBy: by, changedAt: now })
        .execute()
    }
    return to
  }

  /** Links suggested entities: extracted values become suggestions, do-not-link values are marked as such. */
  async function suggestEntities(trx: Executor, report: { id: string; establishmentCode: string }, text: string) {
    const found = extractEntities(text)
    if (found.length === 0) return
    const ids = await repo.entityIds(trx, found)
    // The do-not-link check is made by the insert itself: one statement, not a read of the whole list.
    await sql`
      insert into intelligence_report_entity (report_id, entity_id, status, establishment_code, raw)
      select ${report.id}::uuid, f.entity_id,
        case when exists (
          select 1 from intelligence_do_not_link d
          where d.removed_at is null and d.type = f.type and d.value = f.value
            and (d.establishment_code = ${report.establishmentCode} or d.establishment_code is null)
        ) then 'do-not-link' else 'suggested' end,
        ${report.establishmentCode}, f.raw
      from unnest(
        ${found.map(e => ids.get(`${e.type}:${e.value}`)!)}::bigint[],
        ${found.map(e => e.type)}::text[],
        ${found.map(e => e.value)}::text[],
        ${found.map(e => e.raw.slice(0, 200))}::text[]
      ) as f (entity_id, type, value, raw)
      on conflict (report_id, entity_id) do nothing`.execute(trx)
  }

  async function linkNominals(
    trx: Executor,
    user: CurrentUser,
    report: { id: string; establishmentCode: string },
    links: readonly { prisonerNumber: string; role: string }[],
    now: Date,
    field = 'nominals',
  ) {
    if (links.length === 0) return
    // One row per person; named twice, the later role stands. Found, checked for scope and linked in one statement.
    const roles = new Map(links.map(link => [link.prisonerNumber, link.role]))
    const { rows: linked } = await sql<{ ref: string }>`
      with wanted (ref, role) as (select * from unnest(${[...roles.keys()]}::text[], ${[...roles.values()]}::text[])),
      linked as (
        insert into intelligence_nominal_link (report_id, nominal_id, role, establishment_code, linked_by, linked_at)
        select ${report.id}::uuid, n.id, w.role, ${report.establishmentCode}, ${user.username}, ${now}::timestamptz
        from wanted w join people_nominal n on n.ref = w.ref
        where ${repoVisibleNominal(user)}
        on conflict (report_id, nominal_id)
          do update set role = excluded.role, linked_by = excluded.linked_by, linked_at = excluded.linked_at
        returning nominal_id)
      select n.ref from linked join people_nominal n on n.id = linked.nominal_id`.execute(trx)
    const found = new Set(linked.map(row => row.ref))
    const missing = links.findIndex(link => !found.has(link.prisonerNumber))
    // The transaction is abandoned with the error, so the links made are undone.
    if (missing >= 0)
      throw ValidationError.field(
        `${field}.${missing}.prisonerNumber`,
        `No person you can see has the reference ${links[missing].prisonerNumber}`,
      )
  }

  /** An assessment step on a report: scope, compartment and permission checked, one transaction, one event. */
  async function act(
    user: CurrentUser,
    ref: string,
    correlationId: string,
    work: (
      trx: Executor,
      report: repo.ReportRow,
      now: Date,
    ) => Promise<{ action: string; details?: Record<string, unknown> }>,
    now = new Date(),
  ) {
    return auditingDenials(user, correlationId, () =>
      db.transaction().execute(async trx => {
        const report = await visibleOr404(trx, user, ref)
        if (
          !user.can('intelligence:assess', {
            establishmentCode: report.establishmentCode,
            compartment: report.compartment,
          })
        ) {
          throw new ForbiddenError()
        }
        const done = await work(trx, report, now)
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: done.action,
            subjectType: 'intelligence-report',
            subjectId: report.ref,
            establishmentCode: report.establishmentCode,
            compartment: report.compartment,
            details: done.details,
          },
          now,
        )
      }),
    )
  }

  const service = {
    /**
     * Any member of staff reports what they know. The same submission twice (a double click, a retried request)
     * is stored once: the second answer is the first report.
     */
    async submit(
      user: CurrentUser,
      input: SubmitInput,
      submissionKey: string,
      correlationId: string | null,
      now = new Date(),
    ) {
      const occurredAt = new Date(input.occurredAt)
      if (occurredAt.getTime() > now.getTime() + 5 * 60_000)
        throw ValidationError.field('occurredAt', 'When it happened must be in the past')
      const numbered = await repo.previousOrNextNumber(db, user.id, submissionKey)
      if (numbered.previous) return { ...numbered.previous, repeated: true }
      return db.transaction().execute(async trx => {
        const establishmentCode = user.establishmentCode
        const ref = reportRef(establishmentCode, now.getUTCFullYear(), numbered.next)
        const { compartment, originalCompartment } = compartmentsFor({
          threatAreas: input.threatAreas as ThreatArea[],
          sourceType: input.sourceType as SourceType,
        })
        const named = input.nominals.filter((n): n is { name: string } => 'name' in n).map(n => n.name)
        // The report and its first status in one statement.
        const inserted = await trx
          .with('report', db =>
            db
              .insertInto('intelligenceReport')
              .values({
                ref,
                establishmentCode,
                compartment,
                originalCompartment,
                reporterId: user.id,
                reporterUsername: user.username,
                submissionKey,
                submittedAt: now,
                occurredAt,
                location: input.location ?? null,
                sourceType: input.sourceType,
                threatAreas: input.threatAreas,
                urgent: input.urgent,
                text: input.text,
                namedPeople: named,
                status: 'submitted',
                linkedToRef: null,
                sanitisedText: null,
                gradingScheme: null,
                gradingSource: null,
                gradingIntelligence: null,
                gradingHandling: null,
                gradingConditions: null,
              })
              .onConflict(oc => oc.columns(['reporterId', 'submissionKey']).doNothing())
              .returning(['id']),
          )
          .insertInto('intelligenceStatusChange')
          .columns(['reportId', 'fromStatus', 'toStatus', 'note', 'changedBy', 'changedAt'])
          .expression(eb =>
            eb
              .selectFrom('report')
              .select([
                'report.id',
                sql<null>`null::text`.as('fromStatus'),
                sql<string>`'submitted'::text`.as('toStatus'),
                sql<null>`null::text`.as('note'),
                sql<string>`${user.username}::text`.as('changedBy'),
                sql<Date>`${now}::timestamptz`.as('changedAt'),
              ]),
          )
          .returning(['reportId as id'])
          .executeTakeFirst()
        if (!inserted) {
          const first = await trx
            .selectFrom('intelligenceReport')
            .select(['ref', 'status'])
            .where('reporterId', '=', user.id)
            .where('submissionKey', '=', submissionKey)
            .executeTakeFirstOrThrow()
          return { ref: first.ref, status: first.status, repeated: true }
        }
        const report = { id: inserted.id, establishmentCode }
        const picked = input.nominals.filter((n): n is { prisonerNumber: string } => 'prisonerNumber' in n)
        await linkNominals(
          trx,
          user,
          report,
          picked.map(n => ({ prisonerNumber: n.prisonerNumber, role: 'subject' })),
          now,
        )
        await suggestEntities(trx, report, input.text)
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'intelligence.submitted',
            subjectType: 'intelligence-report',
            subjectId: ref,
            establishmentCode,
            compartment,
            details: {
              urgent: input.urgent,
              threatAreas: input.threatAreas,
              sourceType: input.sourceType,
              nominals: picked.length,
            },
          },
          now,
        )
        return { ref, status: 'submitted', repeated: false }
      })
    },

    /** The report as this user may see it. Every view of content is audited. */
    async read(user: CurrentUser, ref: string, correlationId: string | null, now = new Date()) {
      return auditingDenials(user, correlationId, () =>
        db.transaction().execute(async trx => {
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
          await recordAudit(
            trx,
            actorOf(user, correlationId),
            {
              action: 'intelligence.viewed',
              subjectType: 'intelligence-report',
              subjectId: report.ref,
              establishmentCode: report.establishmentCode,
              compartment: report.compartment,
              details: { original },
            },
            now,
          )
          return {
            report: { ...report, text: original ? report.text : null, grading: gradingOf(report) },
            canReadOriginal: original,
            // A linked person outside the viewer's scope or compartments is shown as withheld, never named.
            nominals: nominals.map(n =>
              user.inScope(n.establishmentCode) && user.holds(n.compartment)
                ? { ...n, withheld: false }
                : { role: n.role, withheld: true },
            ),
            entities: isReader ? entities : [],
            history,
            gradingHistory,
            sanitisedVersions: sanitised,
            disseminations: shared,
            related,
          }
        }),
      )
    },

    /** Who has viewed a report, from the audit trail (head of security, auditors). */
    async readers(user: CurrentUser, ref: string) {
      const report = await repo.findVisibleReport(db, user, ref)
      if (!report) throw new NotFoundError()
      return db
        .selectFrom('auditEvent')
        .select(['actorUsername', 'occurredAt', 'details'])
        .where('subjectType', '=', 'intelligence-report')
        .where('subjectId', '=', ref)
        .where('action', '=', 'intelligence.viewed')
        .orderBy('id', 'desc')
        .limit(200)
        .execute()
    },

    queue(user: CurrentUser) {
      return repo.queue(db, user)
    },

    mine(user: CurrentUser, page: number) {
      return repo.reportsBy(db, user.id, 25, (page - 1) * 25)
    },

    /** Counts for the LSS risk assessment's evidence; no report text. */
    reportsByThreatArea(establishmentCode: string, since: Date) {
      return repo.reportsByThreatArea(db, establishmentCode, since)
    },

    gradingScheme(establishmentCode: string) {
      return repo.gradingSchemeOf(db, establishmentCode)
    },

    startAssessment(user: CurrentUser, ref: string, correlationId: string) {
      return act(user, ref, correlationId, async (trx, report, now) => {
        await changeStatus(trx, report, 'start-assessment', user.username, now)
        return { action: 'intelligence.assessment-started' }
      })
    },

    /** Grades (or re-grades) under a scheme; every grading is kept. */
    grade(user: CurrentUser, ref: string, input: GradingInput, correlationId: string) {
      return act(user, ref, correlationId, async (trx, report, now) => {
        const problems = gradingProblems(input)
        if (problems.length) throw new ValidationError(problems)
        const previous = await repo.gradings(trx, report.id)
        await trx
          .insertInto('intelligenceGrading')
          .values({
            reportId: report.id,
            version: (previous[0]?.version ?? 0) + 1,
            scheme: input.scheme,
            source: input.source,
            intelligence: input.intelligence,
            handling: input.handling,
            conditions: input.conditions ?? null,
            gradedBy: user.username,
            gradedAt: now,
          })
          .execute()
        await trx
          .updateTable('intelligenceReport')
          .set({
            gradingScheme: input.scheme,
            gradingSource: input.source,
            gradingIntelligence: input.intelligence,
            gradingHandling: input.handling,
            gradingConditions: input.conditions ?? null,
          })
          .where('id', '=', report.id)
          .execute()
        await changeStatus(trx, report, 'grade', user.username, now)
        return {
          action: previous.length ? 'intelligence.regraded' : 'intelligence.graded',
          details: {
            scheme: input.scheme,
            source: input.source,
            intelligence: input.intelligence,
            handling: input.handling,
          },
        }
      })
    },

    /** Writes a new sanitised version: the text everything and everyone else sees. */
    sanitise(user: CurrentUser, ref: string, sanitisedText: string, correlationId: string) {
      return act(user, ref, correlationId, async (trx, report, now) => {
        if (!canReadOriginal(user, report))
          throw new ForbiddenError('Only someone who can read the original may sanitise it.')
        const previous = await repo.sanitisedVersions(trx, report.id)
        const version = (previous[0]?.version ?? 0) + 1
        await trx
          .insertInto('intelligenceSanitisedVersion')
          .values({ reportId: report.id, version, text: sanitisedText, writtenBy: user.username, writtenAt: now })
          .execute()
        await trx.updateTable('intelligenceReport').set({ sanitisedText }).where('id', '=', report.id).execute()
        return { action: 'intelligence.sanitised', details: { version } }
      })
    },

    close(
      user: CurrentUser,
      ref: string,
      input: { action: 'no-further-action' | 'link-to-existing'; note: string; linkedToRef?: string },
      correlationId: string,
    ) {
      return act(user, ref, correlationId, async (trx, report, now) => {
        if (input.action === 'link-to-existing') {
          if (!input.linkedToRef)
            throw ValidationError.field('linkedToRef', 'Enter the reference of the report this one adds to')
          const target = await repo.findVisibleReport(trx, user, input.linkedToRef)
          if (!target || target.id === report.id)
            throw ValidationError.field('linkedToRef', 'Enter the reference of another report you can see')
          await trx
            .updateTable('intelligenceReport')
            .set({ linkedToRef: target.ref })
            .where('id', '=', report.id)
            .execute()
        }
        await changeStatus(trx, report, input.action, user.username, now, input.note)
        return {
          action: `intelligence.${input.action}`,
          details: input.linkedToRef ? { linkedToRef: input.linkedToRef } : {},
        }
      })
    },

    /** Links people (with a role) and entities to a report. */
    links(user: CurrentUser, ref: string, input: LinksInput, correlationId: string) {
      return act(user, ref, correlationId, async (trx, report, now) => {
        await linkNominals(trx, user, report, input.nominals ?? [], now)
        const entities: { type: EntityType; value: string }[] = []
        for (const [index, entity] of (input.entities ?? []).entries()) {
          const value = normaliseEntity(entity.type, entity.value)
          if (!value)
            throw ValidationError.field(`entities.${index}.value`, `Enter a valid ${entity.type.replace('-', ' ')}`)
          entities.push({ type: entity.type, value })
        }
        if (entities.length) {
          const ids = await repo.entityIds(trx, entities)
          const blocked = new Set(
            (await repo.doNotLinkValues(trx, report.establishmentCode)).map(d => `${d.type}:${d.value}`),
          )
          for (const entity of entities) {
            const status = blocked.has(`${entity.type}:${entity.value}`) ? 'do-not-link' : 'accepted'
            await trx
              .insertInto('intelligenceReportEntity')
              .values({
                reportId: report.id,
                entityId: ids.get(`${entity.type}:${entity.value}`)!,
                status,
                establishmentCode: report.establishmentCode,
                raw: null,
                decidedBy: user.username,
                decidedAt: now,
              })
              .onConflict(oc =>
                oc.columns(['reportId', 'entityId']).doUpdateSet({ status, decidedBy: user.username, decidedAt: now }),
              )
              .execute()
          }
        }
        return {
          action: 'intelligence.linked',
          details: {
            nominals: (input.nominals ?? []).map(n => `${n.prisonerNumber}:${n.role}`),
            entities: entities.length,
          },
        }
      })
    },

    /** Accepts or rejects a suggested entity. A do-not-link value can never be accepted. */
    decideEntity(
      user: CurrentUser,
      ref: string,
      entityId: number,
      decision: 'accepted' | 'rejected',
      correlationId: string,
    ) {
      return act(user, ref, correlationId, async (trx, report, now) => {
        const current = await trx
          .selectFrom('intelligenceReportEntity')
          .select('status')
          .where('reportId', '=', report.id)
          .where('entityId', '=', entityId)
          .executeTakeFirst()
        if (!current) throw new NotFoundError('That entity is not on this report')
        if (current.status === 'do-not-link' && decision === 'accepted') {
          throw new ConflictError('This value is on the do-not-link list and cannot be linked.')
        }
        await trx
          .updateTable('intelligenceReportEntity')
          .set({ status: decision, decidedBy: user.username, decidedAt: now })
          .where('reportId', '=', report.id)
          .where('entityId', '=', entityId)
          .execute()
        return { action: `intelligence.entity-${decision}`, details: { entityId } }
      })
    },

    /**
     * Records a dissemination of the current sanitised text. Outside the grading's handling terms it needs a head
     * of security's override with reasons.
     */
    async disseminate(
      user: CurrentUser,
      ref: string,
      input: DisseminationInput,
      correlationId: string,
      now = new Date(),
    ) {
      return auditingDenials(user, correlationId, () =>
        db.transaction().execute(async trx => {
          const report = await visibleOr404(trx, user, ref)
          if (
            !user.can('intelligence:disseminate', {
              establishmentCode: report.establishmentCode,
              compartment: report.compartment,
            })
          ) {
            throw new ForbiddenError()
          }
          const grading = gradingOf(report)
          const blockers = disseminationBlockers({
            status: report.status as ReportStatus,
            sanitisedText: report.sanitisedText,
            grading,
          })
          if (blockers.length) throw new ValidationError(blockers)
          const verdict = handlingCheck(grading!, input.recipientType as RecipientType, input.conditionsMet)
          let handlingCheckResult: 'within-terms' | 'overridden' = 'within-terms'
          if (!verdict.withinTerms) {
            if (!user.can('intelligence:override-handling', { establishmentCode: report.establishmentCode })) {
              throw ValidationError.field(
                'recipientType',
                `${verdict.reason}. Only the head of security can override this.`,
              )
            }
            if (!input.overrideReason) {
              throw ValidationError.field(
                'overrideReason',
                `${verdict.reason}. Enter the reasons for overriding the handling code`,
              )
            }
            handlingCheckResult = 'overridden'
          }
          const versions = await repo.sanitisedVersions(trx, report.id)
          const created = await trx
            .insertInto('intelligenceDissemination')
            .values({
              reportId: report.id,
              establishmentCode: report.establishmentCode,
              recipientType: input.recipientType,
              recipientName: input.recipientName,
              purpose: input.purpose,
              sanitisedVersion: versions[0].version,
              sanitisedText: versions[0].text,
              gradingScheme: grading!.scheme,
              gradingSource: grading!.source,
              gradingIntelligence: grading!.intelligence,
              gradingHandling: grading!.handling,
              handlingCheck: handlingCheckResult,
              overrideReason: handlingCheckResult === 'overridden' ? (input.overrideReason ?? null) : null,
              authorisedBy: user.username,
              disseminatedAt: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow()
          await changeStatus(trx, report, 'disseminate', user.username, now)
          await recordAudit(
            trx,
            actorOf(user, correlationId),
            {
              action: 'intelligence.disseminated',
              subjectType: 'intelligence-report',
              subjectId: report.ref,
              establishmentCode: report.establishmentCode,
              compartment: report.compartment,
              details: {
                disseminationId: created.id,
                recipientType: input.recipientType,
                recipientName: input.recipientName,
                purpose: input.purpose,
                handlingCheck: handlingCheckResult,
              },
            },
            now,
          )
          return { id: created.id, handlingCheck: handlingCheckResult }
        }),
      )
    },

    async dissemination(user: CurrentUser, ref: string, id: string, correlationId: string) {
      const report = await service.read(user, ref, correlationId)
      const found = report.disseminations.find(d => d.id === id)
      if (!found) throw new NotFoundError()
      return { ...report, dissemination: found }
    },

    async search(user: CurrentUser, filters: repo.SearchFilters) {
      const readOriginal = user.can('intelligence:read-original')
      if (filters.entity) {
        // "07700 900123" finds the stored "+447700900123": try the value as each kind of entity.
        const forms = ENTITY_TYPES.map(type => normaliseEntity(type, filters.entity!)).filter((v): v is string =>
          Boolean(v),
        )
        filters = { ...filters, entity: forms[0] ?? filters.entity }
      }
      return repo.searchReports(db, user, readOriginal, filters, SEARCH_PAGE_SIZE)
    },

    doNotLinkList(user: CurrentUser) {
      return repo.doNotLinkValues(db, user.establishmentCode)
    },

    async addDoNotLink(
      user: CurrentUser,
      input: { type: EntityType; value: string; reason: string },
      correlationId: string,
      now = new Date(),
    ) {
      const value = normaliseEntity(input.type, input.value)
      if (!value) throw ValidationError.field('value', `Enter a valid ${input.type.replace('-', ' ')}`)
      await db.transaction().execute(async trx => {
        const existing = await trx
          .selectFrom('intelligenceDoNotLink')
          .select('id')
          .where('establishmentCode', '=', user.establishmentCode)
          .where('type', '=', input.type)
          .where('value', '=', value)
          .where('removedAt', 'is', null)
          .executeTakeFirst()
        if (existing) throw ValidationError.field('value', 'This value is already on the list')
        await trx
          .insertInto('intelligenceDoNotLink')
          .values({
            establishmentCode: user.establishmentCode,
            type: input.type,
            value,
            reason: input.reason,
            addedBy: user.username,
            addedAt: now,
            removedAt: null,
            removedBy: null,
          })
          .execute()
        // Links already accepted for the value are flagged rather than left standing.
        const entity = await trx
          .selectFrom('intelligenceEntity')
          .select('id')
          .where('type', '=', input.type)
          .where('value', '=', value)
          .executeTakeFirst()
        if (entity) {
          await trx
            .updateTable('intelligenceReportEntity')
            .set({ status: 'do-not-link', decidedBy: user.username, decidedAt: now })
            .where('entityId', '=', entity.id)
            .where('establishmentCode', '=', user.establishmentCode)
            .execute()
        }
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'intelligence.do-not-link-added',
            subjectType: 'do-not-link',
            subjectId: `${input.type}:${value}`,
            details: { reason: input.reason },
          },
          now,
        )
      })
    },

    async removeDoNotLink(user: CurrentUser, id: number, correlationId: string, now = new Date()) {
      await db.transaction().execute(async trx => {
        const removed = await trx
          .updateTable('intelligenceDoNotLink')
          .set({ removedAt: now, removedBy: user.username })
          .where('id', '=', id)
          .where('establishmentCode', '=', user.establishmentCode)
          .where('removedAt', 'is', null)
          .returning(['type', 'value'])
          .executeTakeFirst()
        if (!removed) throw new NotFoundError()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'intelligence.do-not-link-removed',
            subjectType: 'do-not-link',
            subjectId: `${removed.type}:${removed.value}`,
          },
          now,
        )
      })
    },

    async setGradingScheme(user: CurrentUser, scheme: GradingScheme, correlationId: string, now = new Date()) {
      await db.transaction().execute(async trx => {
        await trx
          .insertInto('intelligenceSetting')
          .values({
            establishmentCode: user.establishmentCode,
            gradingScheme: scheme,
            updatedAt: now,
            updatedBy: user.username,
          })
          .onConflict(oc =>
            oc
              .column('establishmentCode')
              .doUpdateSet({ gradingScheme: scheme, updatedAt: now, updatedBy: user.username }),
          )
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'intelligence.grading-scheme-set',
            subjectType: 'establishment',
            subjectId: user.establishmentCode,
            details: { scheme },
          },
          now,
        )
      })
    },

    /** The two-link network around a nominal the user may see; the read is audited. */
    async network(
      user: CurrentUser,
      nominal: { id: string; ref: string; label: string; establishmentCode: string },
      correlationId: string,
    ) {
      const graph = await repo.network(db, user, nominal)
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
  }
  return service
}
export type IntelligenceService = ReturnType<typeof intelligenceService>

function repoVisibleNominal(user: CurrentUser) {
  return visibleTo(user, { establishment: 'n.establishmentCode', compartment: 'n.compartment' })
}
