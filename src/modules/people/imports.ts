import { type Actor, type AuditEntry, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import * as repo from './repository.ts'
import { alertIsActive, isSecurityCategory, normaliseCro, normalisePnc } from './rules.ts'
import { type PrisonerSearchRecord, prisonerSearchRecord } from './schema.ts'

// Import of prisoners in the HMPPS Prisoner Search shape: idempotent, one transaction per batch, malformed
// records rejected with their reasons and the rest imported.

export type Rejection = { record: number; prisonerNumber?: string; reasons: string[] }

export type ImportSummary = {
  runId: string
  records: number
  /** Records accepted: created, updated or unchanged. With `rejected`, it makes `records`. */
  imported: number
  created: number
  updated: number
  unchanged: number
  transferred: number
  rejected: number
  rejections: Rejection[]
  /** Codes in the file that Portcullis does not hold as flag codes: reported, never guessed. */
  unknownAlertCodes: string[]
}

const BATCH_SIZE = 500
// Prisoner Search's pseudo-establishments: released, and in transfer between prisons.
const OUT = 'OUT'
const IN_TRANSFER = 'TRN'

/** Reads the file's text: a JSON array of prisoners, or a Prisoner Search page ({ content: [...] }). */
export function parsePrisonerFile(text: string): { records: unknown[] } | { error: string } {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return { error: `The file is not valid JSON: ${(error as Error).message}` }
  }
  if (Array.isArray(parsed)) return { records: parsed }
  if (parsed && typeof parsed === 'object' && Array.isArray((parsed as { content?: unknown }).content)) {
    return { records: (parsed as { content: unknown[] }).content }
  }
  return { error: 'The file must hold a JSON array of prisoners, or an object with a "content" array' }
}

type Desired = {
  firstName: string
  middleNames: string | null
  lastName: string
  dateOfBirth: string
  bookingId: string | null
  pncNumber: string | null
  croNumber: string | null
  cellLocation: string | null
  securityCategory: string | null
  incentiveLevel: string | null
  sentenceStartDate: string | null
  releaseDate: string | null
  conditionalReleaseDate: string | null
  inCustody: boolean
}

function desiredFields(record: PrisonerSearchRecord): Desired {
  const category = record.category?.trim().toUpperCase() || null
  return {
    firstName: record.firstName.toUpperCase(),
    middleNames: record.middleNames?.trim().toUpperCase() || null,
    lastName: record.lastName.toUpperCase(),
    dateOfBirth: record.dateOfBirth,
    bookingId: record.bookingId == null ? null : String(record.bookingId),
    pncNumber: record.pncNumber ? (normalisePnc(record.pncNumber) ?? record.pncNumber.trim().toUpperCase()) : null,
    croNumber: record.croNumber ? (normaliseCro(record.croNumber) ?? record.croNumber.trim().toUpperCase()) : null,
    cellLocation: record.cellLocation?.trim().toUpperCase() || null,
    securityCategory: category && isSecurityCategory(category) ? category : null,
    incentiveLevel: record.currentIncentive?.level?.description ?? null,
    sentenceStartDate: record.sentenceStartDate ?? null,
    releaseDate: record.releaseDate ?? null,
    conditionalReleaseDate: record.conditionalReleaseDate ?? null,
    inCustody: record.prisonId !== OUT && !(record.status ?? '').startsWith('INACTIVE'),
  }
}

type AliasName = { firstName: string; lastName: string; dateOfBirth: string | null }

const sameAliases = (a: AliasName[], b: AliasName[]) =>
  JSON.stringify(a.map(x => [x.firstName, x.lastName, x.dateOfBirth]).sort()) ===
  JSON.stringify(b.map(x => [x.firstName, x.lastName, x.dateOfBirth]).sort())

type Held = Awaited<ReturnType<typeof heldPrisoners>>
type Batch = { created: string[]; updated: string[]; transferred: string[] }

/** What one import run knows while it goes through the file's batches. */
type Run = {
  actor: Actor
  now: Date
  today: string
  summary: ImportSummary
  establishments: Set<string>
  alertCodes: Set<string>
  unknownCodes: Set<string>
  seen: Set<string>
}

/**
 * Imports prisoners. The same file twice changes nothing; a prisoner whose prisonId differs is moved as a
 * transfer; flags from the file are created when active there and closed when no longer active (flags set in
 * Portcullis by hand are never touched).
 */
export async function importPrisoners(
  db: Db,
  actor: Actor,
  input: { fileName: string; records: unknown[] },
  options: { now?: Date; batchSize?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportSummary> {
  const now = options.now ?? new Date()
  const batchSize = options.batchSize ?? BATCH_SIZE
  const total = input.records.length
  const runId = await repo.startImportRun(db, {
    fileName: input.fileName.slice(0, 200),
    startedAt: now,
    startedBy: actor.username,
  })
  const run: Run = {
    actor,
    now,
    today: londonToday(now),
    summary: {
      runId,
      records: total,
      imported: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      transferred: 0,
      rejected: 0,
      rejections: [],
      unknownAlertCodes: [],
    },
    establishments: new Set((await repo.listEstablishments(db)).map(e => e.code)),
    alertCodes: new Set(await repo.activeAlertCodes(db)),
    unknownCodes: new Set(),
    seen: new Set(),
  }
  for (let start = 0; start < total; start += batchSize) {
    const valid = validRecords(input.records.slice(start, start + batchSize), start, run)
    await auditedTransaction(db, actor, now, (trx, audit) => importBatch(trx, audit, valid, run))
    options.onProgress?.(Math.min(start + batchSize, total), total)
  }
  const { summary } = run
  summary.rejections.sort((a, b) => a.record - b.record)
  summary.rejected = summary.rejections.length
  summary.imported = summary.created + summary.updated + summary.unchanged
  summary.unknownAlertCodes = [...run.unknownCodes].sort()
  const { runId: _id, unknownAlertCodes: _codes, rejections, imported: _imported, ...counts } = summary
  await repo.finishImportRun(db, runId, { ...counts, finishedAt: new Date(), rejections: rejections.slice(0, 1000) })
  return summary
}

/** The records of a batch that can be imported; the others are rejected with their reasons. */
function validRecords(records: unknown[], start: number, run: Run) {
  const valid: { index: number; record: PrisonerSearchRecord }[] = []
  records.forEach((raw, offset) => {
    const index = start + offset + 1
    const parsed = prisonerSearchRecord.safeParse(raw)
    const prisonerNumber =
      typeof (raw as { prisonerNumber?: unknown })?.prisonerNumber === 'string'
        ? (raw as { prisonerNumber: string }).prisonerNumber
        : undefined
    if (!parsed.success) {
      const reasons = [
        ...new Set(parsed.error.issues.map(issue => `${issue.path.join('.') || 'record'}: ${issue.message}`)),
      ]
      run.summary.rejections.push({ record: index, prisonerNumber, reasons })
      return
    }
    const record = parsed.data
    const reasons: string[] = []
    if (record.prisonId !== OUT && record.prisonId !== IN_TRANSFER && !run.establishments.has(record.prisonId)) {
      reasons.push(`prisonId: ${record.prisonId} is not a known establishment`)
    }
    if (record.dateOfBirth > run.today) reasons.push('dateOfBirth: is in the future')
    if (run.seen.has(record.prisonerNumber)) reasons.push('prisonerNumber: appears more than once in the file')
    if (reasons.length > 0) {
      run.summary.rejections.push({ record: index, prisonerNumber: record.prisonerNumber, reasons })
      return
    }
    run.seen.add(record.prisonerNumber)
    valid.push({ index, record })
  })
  return valid
}

/** What Portcullis already holds of a batch's prisoners, read once for the batch. */
async function heldPrisoners(trx: Executor, prisonNumbers: string[]) {
  const existing = await repo.findNominalsByPrisonNumbers(trx, prisonNumbers)
  const ids = existing.map(row => row.id)
  const [characteristics, aliases, alerts] = await Promise.all([
    repo.listProtectedCharacteristics(trx, ids),
    repo.listAliasesOf(trx, ids),
    repo.listAlertsWithLatestVersion(trx, ids),
  ])
  return { byNumber: new Map(existing.map(row => [row.prisonNumber!, row])), characteristics, aliases, alerts }
}

/** One batch in one transaction, with one audit event naming the prisoners it created, changed and moved. */
async function importBatch(
  trx: Executor,
  audit: (entry: AuditEntry) => Promise<void>,
  valid: { index: number; record: PrisonerSearchRecord }[],
  run: Run,
) {
  const changed: Batch = { created: [], updated: [], transferred: [] }
  const held = await heldPrisoners(
    trx,
    valid.map(v => v.record.prisonerNumber),
  )
  for (const { index, record } of valid) await importRecord(trx, index, record, held, run, changed)
  run.summary.created += changed.created.length
  run.summary.updated += changed.updated.length
  run.summary.transferred += changed.transferred.length
  if (changed.created.length + changed.updated.length > 0) {
    await audit({ action: 'people.imported', subjectType: 'import', subjectId: run.summary.runId, details: changed })
  }
}

async function importRecord(
  trx: Executor,
  index: number,
  record: PrisonerSearchRecord,
  held: Held,
  run: Run,
  changed: Batch,
) {
  const desired = desiredFields(record)
  const current = held.byNumber.get(record.prisonerNumber)
  const place = establishmentOf(record, current?.establishmentCode ?? null, run.establishments)
  if ('reason' in place) {
    run.summary.rejections.push({ record: index, prisonerNumber: record.prisonerNumber, reasons: [place.reason] })
    return
  }
  const { establishmentCode } = place
  const fileAliases = (record.aliases ?? []).map(a => ({
    firstName: a.firstName.trim().toUpperCase(),
    lastName: a.lastName.trim().toUpperCase(),
    dateOfBirth: a.dateOfBirth ?? null,
  }))
  const { now } = run
  let nominalId: string
  let changedHere = false
  if (!current) {
    nominalId = await repo.insertNominal(trx, {
      ref: record.prisonerNumber,
      kind: 'prisoner',
      establishmentCode,
      compartment: null,
      prisonNumber: record.prisonerNumber,
      staffNumber: null,
      notes: null,
      source: 'import',
      ...desired,
      createdAt: now,
      updatedAt: now,
    })
    await repo.insertAliases(trx, nominalId, fileAliases)
    await repo.insertTransfer(trx, {
      nominalId,
      fromEstablishment: null,
      toEstablishment: establishmentCode,
      occurredAt: now,
      source: 'import',
    })
    changed.created.push(record.prisonerNumber)
  } else {
    nominalId = current.id
    changedHere = await updatePrisoner(trx, current, { desired, establishmentCode, fileAliases }, held, run, changed)
  }
  changedHere = (await saveCharacteristics(trx, nominalId, record, held, now)) || changedHere
  changedHere = (await followNomisFlags(trx, nominalId, record, held, run)) || changedHere
  if (current) {
    if (changedHere) changed.updated.push(record.prisonerNumber)
    else run.summary.unchanged++
  }
}

/**
 * The establishment whose scope a record belongs in. Someone outside (prisonId OUT: released, or a restricted patient
 * discharged to hospital) or in transfer (TRN) stays where Portcullis holds them; someone it does not yet hold is
 * held by their supporting prison (a restricted patient's), else the prison they last left, so their history is
 * kept. With neither, nobody's scope fits and the record is rejected saying so.
 */
function establishmentOf(
  record: PrisonerSearchRecord,
  held: string | null,
  establishments: Set<string>,
): { establishmentCode: string } | { reason: string } {
  if (record.prisonId !== OUT && record.prisonId !== IN_TRANSFER) return { establishmentCode: record.prisonId }
  if (held) return { establishmentCode: held }
  const named = (['supportingPrisonId', 'lastPrisonId'] as const).flatMap(field =>
    record[field] ? [{ field, code: record[field] }] : [],
  )
  const known = named.find(({ code }) => establishments.has(code))
  if (known) return { establishmentCode: known.code }
  const why = named.length
    ? `${named.map(({ field, code }) => `${field} ${code}`).join(' and ')} ${named.length > 1 ? 'are not known establishments' : 'is not a known establishment'}`
    : 'the record names no supportingPrisonId or lastPrisonId to hold them under'
  return {
    reason: `prisonId: ${record.prisonId} for a prisoner Portcullis does not yet hold, and ${why}; import them from their prison first`,
  }
}

/** A prisoner Portcullis holds: their details, their prison (a move is a transfer) and their aliases. */
async function updatePrisoner(
  trx: Executor,
  current: Held['byNumber'] extends Map<string, infer Row> ? Row : never,
  file: { desired: Desired; establishmentCode: string; fileAliases: AliasName[] },
  held: Held,
  run: Run,
  changed: Batch,
) {
  const { desired, establishmentCode, fileAliases } = file
  let changedHere = false
  const differs = (Object.keys(desired) as (keyof Desired)[]).some(key => current[key] !== desired[key])
  const moved = current.establishmentCode !== establishmentCode
  if (differs || moved) {
    await repo.updateNominal(trx, current.id, { ...desired, establishmentCode, updatedAt: run.now })
    changedHere = true
  }
  if (moved) {
    await repo.insertTransfer(trx, {
      nominalId: current.id,
      fromEstablishment: current.establishmentCode,
      toEstablishment: establishmentCode,
      occurredAt: run.now,
      source: 'import',
    })
    changed.transferred.push(current.prisonNumber!)
  }
  const currentAliases = held.aliases.filter(a => a.nominalId === current.id)
  if (!sameAliases(currentAliases, fileAliases)) {
    await repo.replaceAliases(trx, current.id, fileAliases)
    changedHere = true
  }
  return changedHere
}

/** Protected characteristics as the file gives them; whether they changed. */
async function saveCharacteristics(
  trx: Executor,
  nominalId: string,
  record: PrisonerSearchRecord,
  held: Held,
  now: Date,
) {
  const fileCharacteristics = protectedCharacteristicsOf(record)
  if (!fileCharacteristics) return false
  const kept = held.characteristics.find(c => c.nominalId === nominalId)
  const same =
    kept &&
    (Object.keys(fileCharacteristics) as (keyof typeof fileCharacteristics)[]).every(
      k => kept[k] === fileCharacteristics[k],
    )
  if (same) return false
  await repo.saveProtectedCharacteristics(trx, nominalId, fileCharacteristics, kept?.disability ?? null, now)
  return true
}

/** Flags that came from NOMIS follow NOMIS: create what is active there, close what no longer is. */
async function followNomisFlags(trx: Executor, nominalId: string, record: PrisonerSearchRecord, held: Held, run: Run) {
  const { actor, today, now } = run
  // Prisoner Search indexes current alerts; older records also say `active` and `expired`, which then decide.
  const activeCodes = new Set(
    (record.alerts ?? [])
      .filter(a => a.active !== false && a.expired !== true)
      .map(a => a.alertCode.trim().toUpperCase()),
  )
  for (const code of activeCodes) if (!run.alertCodes.has(code)) run.unknownCodes.add(code)
  const theirs = held.alerts.filter(a => a.nominalId === nominalId)
  let changedHere = false
  for (const code of activeCodes) {
    if (!run.alertCodes.has(code)) continue
    // Any active flag of the code counts, set by hand or imported: NOMIS never holds two at once.
    if (theirs.some(a => a.alertCode === code && alertIsActive(a, today))) continue
    await repo.insertAlert(trx, {
      nominalId,
      alertCode: code,
      source: 'import',
      description: 'From NOMIS',
      authorisedBy: 'NOMIS',
      activeFrom: today,
      activeTo: null,
      changedBy: actor.username,
      now,
    })
    changedHere = true
  }
  for (const alert of theirs) {
    if (alert.source === 'import' && alertIsActive(alert, today) && !activeCodes.has(alert.alertCode)) {
      await repo.closeAlert(trx, alert, actor.username, 'No longer active in NOMIS', today, now)
      changedHere = true
    }
  }
  return changedHere
}

function protectedCharacteristicsOf(record: PrisonerSearchRecord) {
  const fields = {
    sex: record.gender?.trim() || null,
    ethnicity: record.ethnicity?.trim() || null,
    religion: record.religion?.trim() || null,
    nationality: record.nationality?.trim() || null,
    sexualOrientation: record.sexualOrientation?.trim() || null,
  }
  return Object.values(fields).some(Boolean) ? fields : null
}
