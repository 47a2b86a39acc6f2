import { sql } from 'kysely'
import { extractEntities, luhnValid } from '../modules/intelligence/entities.ts'
import {
  compartmentsFor,
  type Grading,
  type RecipientType,
  type ReportStatus,
  reportRef,
  type SourceType,
  type ThreatArea,
} from '../modules/intelligence/rules.ts'
import { type Actor, recordAudit } from '../platform/audit/audit.ts'
import type { Db, Executor } from '../platform/db/database.ts'
import { nameCase } from '../platform/views/text.ts'
import { type Random, randomFrom } from './random.ts'

// Synthetic intelligence reports: realistic text naming real (demo) prisoners, with phone numbers, IMEIs,
// vehicle registrations and e-mail addresses in it, assessed, graded, linked and disseminated the way a security
// department would. Rows are built with the module's own rules (references, compartments, entity extraction) and
// written in bulk, so they are the rows the application itself would write.

export type SyntheticPrisoner = {
  id: string
  prisonNumber: string
  firstName: string
  lastName: string
  establishmentCode: string
  cellLocation: string | null
}

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

const WINGS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const FORCES = [
  'West Yorkshire Police PIO',
  'Humberside Police FIB',
  'Metropolitan Police prison intelligence unit',
  'South Yorkshire Police PIO',
]
const NICKNAMES = ['Big Man', 'Tiny', 'Scouse', 'the Cousin', 'Junior', 'Smithy']

function ukMobile(random: Random) {
  // Ofcom's drama range: numbers that reach nobody.
  return `07700 900${String(random.int(0, 999)).padStart(3, '0')}`
}

function imei(random: Random) {
  for (;;) {
    const body = `35${String(random.int(0, 9_999_999)).padStart(7, '0')}${String(random.int(0, 99_999)).padStart(5, '0')}`
    for (let check = 0; check <= 9; check++) if (luhnValid(`${body}${check}`)) return `${body}${check}`
  }
}

function vehicle(random: Random) {
  const letters = 'ABCDEFGHJKLMNOPRSTUVWXY'
  const l = () => letters[random.int(0, letters.length - 1)]
  return `${l()}${l()}${random.pick(['15', '16', '17', '18', '19', '20', '21', '66', '67', '68', '69', '70', '71'])} ${l()}${l()}${l()}`
}

const who = (p: SyntheticPrisoner) => `${nameCase(p.firstName)} ${nameCase(p.lastName)} (${p.prisonNumber})`

type Template = {
  threatAreas: ThreatArea[]
  sourceType: SourceType
  write(random: Random, a: SyntheticPrisoner, b: SyntheticPrisoner): { text: string; sanitised: string }
}

const TEMPLATES: readonly Template[] = [
  {
    threatAreas: ['conveyance'],
    sourceType: 'overheard',
    write: (r, a) => {
      const phone = ukMobile(r)
      const day = r.pick(DAYS)
      return {
        text: `${who(a)} was overheard on the ${r.pick(WINGS)} wing landing telling another prisoner that a parcel would come over the wall on ${day} night. He said the drop was arranged through ${phone}.`,
        sanitised: `A prisoner is believed to be arranging a throw-over of illicit items on ${day} night.`,
      }
    },
  },
  {
    threatAreas: ['illicit-communications'],
    sourceType: 'found-item',
    write: (r, a) => ({
      text: `A handset with IMEI ${imei(r)} was recovered from cell ${a.cellLocation ?? 'B-2-014'} during a routine search. ${who(a)} denied it was his. The handset had a SIM with ${ukMobile(r)} saved as "${r.pick(NICKNAMES)}".`,
      sanitised: 'A mobile phone was recovered during a routine cell search.',
    }),
  },
  {
    threatAreas: ['conveyance', 'illicit-economy'],
    sourceType: 'phone-monitoring',
    write: (r, a) => {
      const vrm = vehicle(r)
      return {
        text: `Phone monitoring: ${who(a)} spoke to a female on ${ukMobile(r)} about "the usual" coming in on his next visit. She is believed to drive a silver hatchback, registration ${vrm}.`,
        sanitised: 'A prisoner is believed to be arranging for illicit items to be brought in through visits.',
      }
    },
  },
  {
    threatAreas: ['violence-disorder', 'illicit-economy'],
    sourceType: 'told-by-prisoner',
    write: (r, a, b) => ({
      text: `${who(a)} is owed a drug debt by ${who(b)}. Threats were made on the exercise yard and ${nameCase(b.lastName)} has asked to move wings. Staff on ${r.pick(WINGS)} wing report rising tension.`,
      sanitised: 'Tension between two prisoners over a debt; a risk of violence on the exercise yard.',
    }),
  },
  {
    threatAreas: ['illicit-economy'],
    sourceType: 'own-observation',
    write: (r, a) => ({
      text: `${who(a)} has large amounts of vapes and canteen in his cell at ${a.cellLocation ?? 'C-3-021'} and is believed to be lending at double-bubble on ${r.pick(WINGS)} wing.`,
      sanitised: 'A prisoner is believed to be running an illicit lending operation.',
    }),
  },
  {
    threatAreas: ['escape-abscond', 'illicit-communications'],
    sourceType: 'phone-monitoring',
    write: (_r, a) => ({
      text: `${who(a)} has not used the PIN phone for three weeks after months of daily calls. Earlier intelligence linked him to an illicit mobile phone. The sudden silence should be read with his escape risk in mind.`,
      sanitised: 'A prisoner previously linked to an illicit phone has stopped using the PIN phone.',
    }),
  },
  {
    threatAreas: ['conveyance'],
    sourceType: 'own-observation',
    write: (r, a) => {
      const vrm = vehicle(r)
      return {
        text: `A visitor arriving in ${vrm} was seen passing a small package to ${who(a)} at table ${r.int(1, 30)} in the visits hall. The package was swallowed before staff could intervene.`,
        sanitised: 'A visitor is suspected of passing an item to a prisoner during a social visit.',
      }
    },
  },
  {
    threatAreas: ['conveyance', 'safety'],
    sourceType: 'mail-monitoring',
    write: (_r, a) => ({
      text: `Mail monitoring: a letter addressed to ${who(a)} tested positive for a synthetic cannabinoid. The envelope bore a solicitor's franking that the firm does not recognise.`,
      sanitised: 'Mail addressed to a prisoner was found to be impregnated with a psychoactive substance.',
    }),
  },
  {
    threatAreas: ['soc', 'illicit-communications'],
    sourceType: 'other-agency',
    write: (r, a, b) => {
      const email = `${r.pick(['kingpin', 'blue', 'northside', 'money'])}${r.int(10, 99)}@example.com`
      return {
        text: `Police report that ${who(a)} continues to direct supply in the community through ${who(b)}'s associates, using ${email} and ${ukMobile(r)}.`,
        sanitised: 'Law enforcement report that a prisoner continues to direct organised crime in the community.',
      }
    },
  },
  {
    threatAreas: ['extremism'],
    sourceType: 'own-observation',
    write: (r, a) => ({
      text: `${who(a)} was seen handing out printed material to younger prisoners in the ${r.pick(['library', 'gym', 'servery queue'])} and pressuring them to attend private gatherings.`,
      sanitised: 'A prisoner may be seeking to influence others towards extremist views.',
    }),
  },
]

const STAFF_CORRUPTION: Template = {
  threatAreas: ['staff-corruption', 'conveyance'],
  sourceType: 'told-by-prisoner',
  write: (r, a) => ({
    text: `${who(a)} claims an officer on ${r.pick(WINGS)} wing brings in phones for £500 each and is paid into an account linked to ${ukMobile(r)}.`,
    sanitised: 'Allegation of staff involvement in conveyance.',
  }),
}

/** Deterministic report drafts: older ones assessed and often shared, recent ones waiting in the queue. */
export function syntheticReports(
  seed: number,
  count: number,
  context: { prisoners: readonly SyntheticPrisoner[]; from: Date; to: Date },
): ReportDraft[] {
  const random = randomFrom(seed)
  const byEstablishment = new Map<string, SyntheticPrisoner[]>()
  for (const p of context.prisoners)
    byEstablishment.set(p.establishmentCode, [...(byEstablishment.get(p.establishmentCode) ?? []), p])
  const span = context.to.getTime() - context.from.getTime()
  const drafts: ReportDraft[] = []
  for (let i = 0; i < count; i++) {
    const a = random.pick(context.prisoners)
    const local = byEstablishment.get(a.establishmentCode) ?? context.prisoners
    let b = random.pick(local)
    if (b.id === a.id) b = local[(local.indexOf(a) + 1) % local.length]
    const template = random.chance(0.015) ? STAFF_CORRUPTION : random.pick(TEMPLATES)
    const sourceType = random.chance(0.03) ? 'chis' : template.sourceType
    const written = template.write(random, a, b)
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
    const mentionsB = written.text.includes(b.prisonNumber)
    drafts.push({
      establishmentCode: a.establishmentCode,
      submittedAt,
      occurredAt,
      location: `${random.pick(WINGS)} wing`,
      sourceType,
      threatAreas: template.threatAreas,
      urgent: random.chance(0.06),
      text: written.text,
      sanitisedText: assessed ? written.sanitised : null,
      status,
      grading,
      subjects: [
        { nominalId: a.id, role: 'subject' },
        ...(mentionsB ? [{ nominalId: b.id, role: 'associate' as const }] : []),
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
      const { rows: numbers } = await sql<{
        n: number
      }>`select nextval('intelligence_report_seq') as n from generate_series(1, ${batch.length})`.execute(trx)
      const reports = batch.map((draft, index) => {
        const ref = reportRef(draft.establishmentCode, draft.submittedAt.getUTCFullYear(), numbers[index].n)
        return { draft, ref, ...compartmentsFor(draft) }
      })
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

/** The reports themselves; their ids by reference. */
async function insertReportRows(trx: Executor, reports: Batch, reporter: Reporter) {
  const inserted = await trx
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
    .returning(['id', 'ref'])
    .execute()
  return new Map(inserted.map(row => [row.ref, row.id]))
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

/** Demo: a few thousand reports over the last two years about the demo prisoners. */
export async function seedDemoIntelligence(db: Db, actor: Actor, count = 3000, now = new Date()) {
  const prisoners = await db
    .selectFrom('peopleNominal')
    .select(['id', 'prisonNumber', 'firstName', 'lastName', 'establishmentCode', 'cellLocation'])
    .where('kind', '=', 'prisoner')
    .orderBy('prisonNumber')
    .execute()
  const reporter = await db
    .selectFrom('appUser')
    .select(['id', 'username'])
    .where('username', '=', 'reporter')
    .executeTakeFirst()
  if (!reporter || prisoners.length < 2) return 0
  const drafts = syntheticReports(7, count, {
    prisoners: prisoners.map(p => ({ ...p, prisonNumber: p.prisonNumber! })),
    from: new Date(now.getTime() - 730 * 86_400_000),
    to: now,
  })
  await insertReports(db, drafts, reporter, actor)
  return drafts.length
}
