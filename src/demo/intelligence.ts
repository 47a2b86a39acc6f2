import { randomBytes } from 'node:crypto'
import { type SqlBool, sql } from 'kysely'
import { extractEntities } from '../modules/intelligence/entities.ts'
import {
  compartmentsFor,
  drawReportRef,
  type Grading,
  type RecipientType,
  type ReportStatus,
  type SourceType,
  type ThreatArea,
} from '../modules/intelligence/rules.ts'
import { type Actor, recordAudit } from '../platform/audit/audit.ts'
import type { Db, Executor } from '../platform/db/database.ts'
import {
  castFor,
  circlesOf,
  STAFF_CORRUPTION,
  type SyntheticPrisoner,
  somewhere,
  TEMPLATES,
  whoWasTold,
} from './intelligence-text.ts'
import { randomFrom } from './random.ts'

export type { SyntheticPrisoner }

// Synthetic intelligence reports: realistic text naming real (demo) prisoners, with phone numbers, IMEIs,
// vehicle registrations and e-mail addresses in it, assessed, graded, linked and disseminated the way a security
// department would. Rows are built with the module's own rules (references, compartments, entity extraction) and
// written in bulk, so they are the rows the application itself would write.

export type ReportDraft = {
  establishmentCode: string
  submittedAt: Date
  occurredAt: Date
  location: string
  sourceType: SourceType
  threatAreas: ThreatArea[]
  urgent: boolean
  text: string
  sanitisedText: string | null
  status: ReportStatus
  grading: Grading | null
  subjects: { nominalId: string; role: 'subject' | 'associate' }[]
  disseminateTo: { recipientType: RecipientType; recipientName: string; purpose: string } | null
}

const FORCES = [
  'West Yorkshire Police PIO',
  'Humberside Police FIB',
  'Metropolitan Police prison intelligence unit',
  'South Yorkshire Police PIO',
]

/** Deterministic report drafts: older ones assessed and often shared, recent ones waiting in the queue. */
export function syntheticReports(
  seed: number,
  count: number,
  context: { prisoners: readonly SyntheticPrisoner[]; from: Date; to: Date },
): ReportDraft[] {
  const random = randomFrom(seed)
  const circles = circlesOf(random, context.prisoners)
  const span = context.to.getTime() - context.from.getTime()
  const drafts: ReportDraft[] = []
  for (let i = 0; i < count; i++) {
    const cast = castFor(random, circles, random.pick(context.prisoners))
    const template = random.chance(0.015) ? STAFF_CORRUPTION : random.pick(TEMPLATES)
    const sourceType = random.chance(0.03) ? 'chis' : template.sourceType
    const written = template.write(random, cast)
    const { a } = cast
    const submittedAt = new Date(context.from.getTime() + Math.floor(span * random.next() ** 0.7))
    const occurredAt = new Date(submittedAt.getTime() - random.int(10, 72 * 60) * 60_000)
    const ageDays = (context.to.getTime() - submittedAt.getTime()) / 86_400_000
    const status: ReportStatus =
      ageDays < 3
        ? random.pick(['submitted', 'in-assessment'] as const)
        : random.weighted({ graded: 5, disseminated: 3, 'no-further-action': 2, 'linked-to-existing': 0 } as Record<
            ReportStatus,
            number
          >)
    const assessed = status !== 'submitted' && status !== 'in-assessment'
    const grading: Grading | null = assessed
      ? {
          scheme: '3x5x2',
          source: random.weighted({ '1': 3, '2': 6, '3': 1 }),
          intelligence: random.weighted({ A: 3, B: 3, C: 3, D: 1, E: 0.3 }),
          handling: random.chance(0.15) ? 'C' : 'P',
          conditions: null,
        }
      : null
    if (grading?.handling === 'C') grading.conditions = 'Police intelligence purposes only; not for evidential use'
    const named = [cast.b, cast.c].filter(p => p.id !== a.id && written.text.includes(p.prisonNumber))
    drafts.push({
      establishmentCode: a.establishmentCode,
      submittedAt,
      occurredAt,
      location: somewhere(random),
      sourceType,
      threatAreas: template.threatAreas,
      urgent: random.chance(0.06),
      text: random.chance(0.7) ? `${written.text} ${whoWasTold(random)}` : written.text,
      sanitisedText: assessed ? written.sanitised : null,
      status,
      grading,
      subjects: [
        { nominalId: a.id, role: 'subject' },
        ...named.map(p => ({ nominalId: p.id, role: 'associate' as const })),
      ],
      disseminateTo:
        status === 'disseminated'
          ? random.pick([
              { recipientType: 'police' as const, recipientName: random.pick(FORCES), purpose: 'crime' },
              { recipientType: 'socu' as const, recipientName: 'SOCU North East / Yorks and Humber', purpose: 'crime' },
              {
                recipientType: 'establishment' as const,
                recipientName: 'Security department, receiving prison',
                purpose: 'prison-security-good-order',
              },
            ])
          : null,
    })
  }
  return drafts.sort((x, y) => x.submittedAt.getTime() - y.submittedAt.getTime())
}

type Batch = { draft: ReportDraft; ref: string; compartment: string | null; originalCompartment: string | null }[]
type Reporter = { id: string; username: string }

/**
 * Writes drafts in batches, one transaction each: the reports and every row that goes with them (status history,
 * grading, sanitised version, links, entities, dissemination) and one audit event per batch.
 */
export async function insertReports(
  db: Db,
  drafts: readonly ReportDraft[],
  reporter: Reporter,
  actor: Actor,
  options: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
) {
  const batchSize = options.batchSize ?? 500
  for (let start = 0; start < drafts.length; start += batchSize) {
    const batch = drafts.slice(start, start + batchSize)
    await db.transaction().execute(async trx => {
      const reports = batch.map(draft => ({ draft, ref: drawnRef(draft), ...compartmentsFor(draft) }))
      const idOf = await insertReportRows(trx, reports, reporter)
      await insertAssessments(trx, reports, idOf, reporter)
      await insertLinks(trx, reports, idOf, reporter)
      await insertEntities(trx, reports, idOf)
      await insertDisseminations(trx, reports, idOf)
      await recordAudit(trx, actor, {
        action: 'intelligence.synthetic-batch',
        subjectType: 'system',
        details: { reports: batch.length, first: reports[0].ref, last: reports[reports.length - 1].ref },
      })
    })
    options.onProgress?.(Math.min(start + batchSize, drafts.length), drafts.length)
  }
}

/** A reference drawn as the application draws it for a report submitted then. */
const drawnRef = (draft: ReportDraft) =>
  drawReportRef(draft.establishmentCode, draft.submittedAt.getUTCFullYear(), randomBytes)

/**
 * The reports themselves; their ids by reference. A reference drawn before in this batch is drawn again; one the
 * database already holds is not written by its try, so its report draws again and goes in the next.
 */
async function insertReportRows(trx: Executor, reports: Batch, reporter: Reporter) {
  const idOf = new Map<string, string>()
  const drawn = new Set<string>()
  let pending = reports
  while (pending.length > 0) {
    for (const report of pending) {
      while (drawn.has(report.ref)) report.ref = drawnRef(report.draft)
      drawn.add(report.ref)
    }
    for (const row of await insertReportTry(trx, pending, reporter)) idOf.set(row.ref, row.id)
    pending = pending.filter(report => !idOf.has(report.ref))
  }
  return idOf
}

function insertReportTry(trx: Executor, reports: Batch, reporter: Reporter) {
  return trx
    .insertInto('intelligenceReport')
    .values(
      reports.map(({ draft, ref, compartment, originalCompartment }) => ({
        ref,
        establishmentCode: draft.establishmentCode,
        compartment,
        originalCompartment,
        reporterId: reporter.id,
        reporterUsername: reporter.username,
        submissionKey: `synthetic-${ref}`,
        submittedAt: draft.submittedAt,
        occurredAt: draft.occurredAt,
        location: draft.location,
        sourceType: draft.sourceType,
        threatAreas: draft.threatAreas,
        urgent: draft.urgent,
        text: draft.text,
        namedPeople: [],
        status: draft.status,
        linkedToRef: null,
        sanitisedText: draft.sanitisedText,
        gradingScheme: draft.grading?.scheme ?? null,
        gradingSource: draft.grading?.source ?? null,
        gradingIntelligence: draft.grading?.intelligence ?? null,
        gradingHandling: draft.grading?.handling ?? null,
        gradingConditions: draft.grading?.conditions ?? null,
      })),
    )
    .onConflict(oc => oc.column('ref').doNothing())
    .returning(['id', 'ref'])
    .execute()
}

type Ids = Map<string, string>

/** The status history to each report's status, and the grading and sanitised text of those assessed. */
async function insertAssessments(trx: Executor, reports: Batch, idOf: Ids, reporter: Reporter) {
  const statusRows = reports.flatMap(({ draft, ref }) => {
    const reportId = idOf.get(ref)!
    const at = draft.submittedAt
    const path: ReportStatus[] =
      draft.status === 'submitted'
        ? ['submitted']
        : draft.status === 'in-assessment'
          ? ['submitted', 'in-assessment']
          : draft.status === 'graded'
            ? ['submitted', 'in-assessment', 'graded']
            : ['submitted', 'in-assessment', 'graded', draft.status]
    return path.map((toStatus, step) => ({
      reportId,
      fromStatus: step === 0 ? null : path[step - 1],
      toStatus,
      note: toStatus === 'no-further-action' ? 'Not enough to act on; kept for the picture' : null,
      changedBy: step === 0 ? reporter.username : 'analyst',
      changedAt: new Date(at.getTime() + step * 3_600_000),
    }))
  })
  await trx.insertInto('intelligenceStatusChange').values(statusRows).execute()
  const assessed = reports.filter(({ draft }) => draft.grading)
  if (assessed.length) {
    await trx
      .insertInto('intelligenceGrading')
      .values(
        assessed.map(({ draft, ref }) => ({
          reportId: idOf.get(ref)!,
          version: 1,
          scheme: draft.grading!.scheme,
          source: draft.grading!.source,
          intelligence: draft.grading!.intelligence,
          handling: draft.grading!.handling,
          conditions: draft.grading!.conditions ?? null,
          gradedBy: 'analyst',
          gradedAt: new Date(draft.submittedAt.getTime() + 2 * 3_600_000),
        })),
      )
      .execute()
    await trx
      .insertInto('intelligenceSanitisedVersion')
      .values(
        assessed.map(({ draft, ref }) => ({
          reportId: idOf.get(ref)!,
          version: 1,
          text: draft.sanitisedText!,
          writtenBy: 'analyst',
          writtenAt: new Date(draft.submittedAt.getTime() + 2 * 3_600_000),
        })),
      )
      .execute()
  }
}

/** Each report's subjects. */
async function insertLinks(trx: Executor, reports: Batch, idOf: Ids, reporter: Reporter) {
  const links = reports.flatMap(({ draft, ref }) =>
    draft.subjects.map(subject => ({
      reportId: idOf.get(ref)!,
      nominalId: subject.nominalId,
      role: subject.role,
      establishmentCode: draft.establishmentCode,
      linkedBy: reporter.username,
      linkedAt: draft.submittedAt,
    })),
  )
  await trx
    .insertInto('intelligenceNominalLink')
    .values(links)
    .onConflict(oc => oc.doNothing())
    .execute()
}

/** The entities in each report's text: accepted where it was assessed, suggested where not. */
async function insertEntities(trx: Executor, reports: Batch, idOf: Ids) {
  const found = reports.map(({ draft, ref }) => ({ draft, ref, entities: extractEntities(draft.text) }))
  const unique = new Map<string, { type: string; value: string }>()
  for (const f of found)
    for (const e of f.entities) unique.set(`${e.type}:${e.value}`, { type: e.type, value: e.value })
  if (unique.size) {
    const ids = await trx
      .insertInto('intelligenceEntity')
      .values([...unique.values()])
      .onConflict(oc => oc.columns(['type', 'value']).doUpdateSet({ type: eb => eb.ref('excluded.type') }))
      .returning(['id', 'type', 'value'])
      .execute()
    const entityId = new Map(ids.map(row => [`${row.type}:${row.value}`, row.id]))
    const reportEntities = found.flatMap(({ draft, ref, entities }) =>
      entities.map(e => ({
        reportId: idOf.get(ref)!,
        entityId: entityId.get(`${e.type}:${e.value}`)!,
        status: draft.grading ? 'accepted' : 'suggested',
        establishmentCode: draft.establishmentCode,
        raw: e.raw,
        decidedBy: draft.grading ? 'analyst' : null,
        decidedAt: draft.grading ? new Date(draft.submittedAt.getTime() + 2 * 3_600_000) : null,
      })),
    )
    if (reportEntities.length)
      await trx
        .insertInto('intelligenceReportEntity')
        .values(reportEntities)
        .onConflict(oc => oc.doNothing())
        .execute()
  }
}

/** The disseminations of the reports shared. */
async function insertDisseminations(trx: Executor, reports: Batch, idOf: Ids) {
  const shared = reports.filter(({ draft }) => draft.disseminateTo)
  if (shared.length) {
    await trx
      .insertInto('intelligenceDissemination')
      .values(
        shared.map(({ draft, ref }) => ({
          reportId: idOf.get(ref)!,
          establishmentCode: draft.establishmentCode,
          recipientType: draft.disseminateTo!.recipientType,
          recipientName: draft.disseminateTo!.recipientName,
          purpose: draft.disseminateTo!.purpose,
          sanitisedVersion: 1,
          sanitisedText: draft.sanitisedText!,
          gradingScheme: draft.grading!.scheme,
          gradingSource: draft.grading!.source,
          gradingIntelligence: draft.grading!.intelligence,
          gradingHandling: draft.grading!.handling,
          handlingCheck: 'within-terms' as const,
          overrideReason: null,
          authorisedBy: 'head-of-security',
          disseminatedAt: new Date(draft.submittedAt.getTime() + 3 * 3_600_000),
        })),
      )
      .execute()
  }
}

/**
 * Demo: a few thousand reports over the last two years about the demo prisoners, each credited to a member of staff
 * who reports at the prison it came from (a reporter reports where they work). Reports at a prison with no such
 * account are not made.
 */
export async function seedDemoIntelligence(db: Db, actor: Actor, count = 3000, now = new Date()) {
  const prisoners = await db
    .selectFrom('peopleNominal')
    .select(['id', 'prisonNumber', 'firstName', 'lastName', 'establishmentCode', 'cellLocation'])
    .where('kind', '=', 'prisoner')
    .orderBy('prisonNumber')
    .execute()
  const reporters = await db
    .selectFrom('appUser')
    .select(['id', 'username', 'establishmentCode'])
    .where(sql<SqlBool>`'reporter' = any(roles)`)
    .orderBy('username')
    .execute()
  // The `reporter` account first where it works, then the first reporter of each other prison.
  const reporterAt = new Map<string, Reporter>()
  for (const r of reporters.toSorted((x, y) => Number(y.username === 'reporter') - Number(x.username === 'reporter')))
    if (!reporterAt.has(r.establishmentCode)) reporterAt.set(r.establishmentCode, { id: r.id, username: r.username })
  if (reporterAt.size === 0 || prisoners.length < 2) return 0
  const drafts = syntheticReports(7, count, {
    prisoners: prisoners.map(p => ({ ...p, prisonNumber: p.prisonNumber! })),
    from: new Date(now.getTime() - 730 * 86_400_000),
    to: now,
  })
  let made = 0
  for (const [establishmentCode, reporter] of reporterAt) {
    const theirs = drafts.filter(draft => draft.establishmentCode === establishmentCode)
    await insertReports(db, theirs, reporter, actor)
    made += theirs.length
  }
  return made
}
