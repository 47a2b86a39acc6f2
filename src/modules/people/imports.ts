import { type Actor, recordAudit } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { alertIsActive, isSecurityCategory, normaliseCro, normalisePnc } from './rules.ts'
import { type PrisonerSearchRecord, prisonerSearchRecord } from './schema.ts'
import { closeAlert, insertAlert } from './service.ts'

// Import of prisoners in the HMPPS Prisoner Search shape: idempotent, one transaction per batch, malformed
// records rejected with their reasons and the rest imported.

export type Rejection = { record: number; prisonerNumber?: string; reasons: string[] }

export type ImportSummary = {
  runId: string
  records: number
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

const sameAliases = (a: { firstName: string; lastName: string; dateOfBirth: string | null }[], b: typeof a) =>
  JSON.stringify(a.map(x => [x.firstName, x.lastName, x.dateOfBirth]).sort()) ===
  JSON.stringify(b.map(x => [x.firstName, x.lastName, x.dateOfBirth]).sort())

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
  const today = londonToday(now)
  const batchSize = options.batchSize ?? BATCH_SIZE
  const run = await db
    .insertInto('peopleImportRun')
    .values({ fileName: input.fileName.slice(0, 200), startedAt: now, startedBy: actor.username })
    .returning('id')
    .executeTakeFirstOrThrow()
  const summary: ImportSummary = {
    runId: run.id,
    records: input.records.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    transferred: 0,
    rejected: 0,
    rejections: [],
    unknownAlertCodes: [],
  }
  const establishments = new Set((await db.selectFrom('establishment').select('code').execute()).map(e => e.code))
  const alertCodes = new Set(
    (await db.selectFrom('peopleAlertCode').select('code').where('active', '=', true).execute()).map(c => c.code),
  )
  const unknownCodes = new Set<string>()
  const seen = new Set<string>()

  for (let start = 0; start < input.records.length; start += batchSize) {
    const valid: { index: number; record: PrisonerSearchRecord }[] = []
    input.records.slice(start, start + batchSize).forEach((raw, offset) => {
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
        summary.rejections.push({ record: index, prisonerNumber, reasons })
        return
      }
      const record = parsed.data
      const reasons: string[] = []
      if (record.prisonId !== OUT && record.prisonId !== IN_TRANSFER && !establishments.has(record.prisonId)) {
        reasons.push(`prisonId: ${record.prisonId} is not a known establishment`)
      }
      if (record.dateOfBirth > today) reasons.push('dateOfBirth: is in the future')
      if (seen.has(record.prisonerNumber)) reasons.push('prisonerNumber: appears more than once in the file')
      if (reasons.length > 0) {
        summary.rejections.push({ record: index, prisonerNumber: record.prisonerNumber, reasons })
        return
      }
      seen.add(record.prisonerNumber)
      valid.push({ index, record })
    })

    await db.transaction().execute(async trx => {
      const changed = { created: [] as string[], updated: [] as string[], transferred: [] as string[] }
      const existing = valid.length
        ? await trx
            .selectFrom('peopleNominal')
            .selectAll()
            .where(
              'prisonNumber',
              'in',
              valid.map(v => v.record.prisonerNumber),
            )
            .execute()
        : []
      const byNumber = new Map(existing.map(row => [row.prisonNumber!, row]))
      const ids = existing.map(row => row.id)
      const characteristics = ids.length
        ? await trx.selectFrom('peopleProtectedCharacteristics').selectAll().where('nominalId', 'in', ids).execute()
        : []
      const [aliases, alerts, versions] = ids.length
        ? await Promise.all([
            trx.selectFrom('peopleAlias').selectAll().where('nominalId', 'in', ids).execute(),
            trx.selectFrom('peopleAlert').selectAll().where('nominalId', 'in', ids).execute(),
            trx
              .selectFrom('peopleAlertVersion as v')
              .innerJoin('peopleAlert as a', 'a.id', 'v.alertId')
              .selectAll('v')
              .where('a.nominalId', 'in', ids)
              .orderBy('v.version', 'desc')
              .execute(),
          ])
        : [[], [], []]

      for (const { index, record } of valid) {
        const desired = desiredFields(record)
        const current = byNumber.get(record.prisonerNumber)
        const establishmentCode =
          record.prisonId === OUT || record.prisonId === IN_TRANSFER
            ? (current?.establishmentCode ?? null)
            : record.prisonId
        if (!establishmentCode) {
          summary.rejections.push({
            record: index,
            prisonerNumber: record.prisonerNumber,
            reasons: [
              `prisonId: ${record.prisonId} for a prisoner Portcullis does not yet hold; import them from their prison first`,
            ],
          })
          continue
        }
        const fileAliases = (record.aliases ?? []).map(a => ({
          firstName: a.firstName.trim().toUpperCase(),
          lastName: a.lastName.trim().toUpperCase(),
          dateOfBirth: a.dateOfBirth ?? null,
        }))
        const activeCodes = new Set(
          (record.alerts ?? []).filter(a => a.active && !a.expired).map(a => a.alertCode.trim().toUpperCase()),
        )
        for (const code of activeCodes) if (!alertCodes.has(code)) unknownCodes.add(code)

        let nominalId: string
        let changedHere = false
        if (!current) {
          const inserted = await trx
            .insertInto('peopleNominal')
            .values({
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
            .returning('id')
            .executeTakeFirstOrThrow()
          nominalId = inserted.id
          if (fileAliases.length) {
            await trx
              .insertInto('peopleAlias')
              .values(fileAliases.map(a => ({ ...a, nominalId })))
              .execute()
          }
          await trx
            .insertInto('peopleTransfer')
            .values({
              nominalId,
              fromEstablishment: null,
              toEstablishment: establishmentCode,
              occurredAt: now,
              source: 'import',
            })
            .execute()
          changed.created.push(record.prisonerNumber)
        } else {
          nominalId = current.id
          const differs = (Object.keys(desired) as (keyof Desired)[]).some(key => current[key] !== desired[key])
          const moved = current.establishmentCode !== establishmentCode
          if (differs || moved) {
            await trx
              .updateTable('peopleNominal')
              .set({ ...desired, establishmentCode, updatedAt: now })
              .where('id', '=', nominalId)
              .execute()
            changedHere = true
          }
          if (moved) {
            await trx
              .insertInto('peopleTransfer')
              .values({
                nominalId,
                fromEstablishment: current.establishmentCode,
                toEstablishment: establishmentCode,
                occurredAt: now,
                source: 'import',
              })
              .execute()
            changed.transferred.push(record.prisonerNumber)
          }
          const currentAliases = aliases.filter(a => a.nominalId === nominalId)
          if (!sameAliases(currentAliases, fileAliases)) {
            await trx.deleteFrom('peopleAlias').where('nominalId', '=', nominalId).execute()
            if (fileAliases.length) {
              await trx
                .insertInto('peopleAlias')
                .values(fileAliases.map(a => ({ ...a, nominalId })))
                .execute()
            }
            changedHere = true
          }
        }

        const fileCharacteristics = protectedCharacteristicsOf(record)
        if (fileCharacteristics) {
          const held = characteristics.find(c => c.nominalId === nominalId)
          const same =
            held &&
            (Object.keys(fileCharacteristics) as (keyof typeof fileCharacteristics)[]).every(
              k => held[k] === fileCharacteristics[k],
            )
          if (!same) {
            await trx
              .insertInto('peopleProtectedCharacteristics')
              .values({ nominalId, ...fileCharacteristics, disability: held?.disability ?? null, updatedAt: now })
              .onConflict(oc => oc.column('nominalId').doUpdateSet({ ...fileCharacteristics, updatedAt: now }))
              .execute()
            if (current) changedHere = true
          }
        }

        // Flags that came from NOMIS follow NOMIS: create what is active there, close what no longer is.
        const importedAlerts = alerts.filter(a => a.nominalId === nominalId && a.source === 'import')
        const latest = (alertId: string) => versions.find(v => v.alertId === alertId)!
        for (const code of activeCodes) {
          if (!alertCodes.has(code)) continue
          // Any active flag of the code counts, set by hand or imported: NOMIS never holds two at once.
          const open = alerts.some(
            a => a.nominalId === nominalId && a.alertCode === code && alertIsActive(latest(a.id), today),
          )
          if (!open) {
            await insertAlert(trx, {
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
        }
        for (const alert of importedAlerts) {
          const version = latest(alert.id)
          if (alertIsActive(version, today) && !activeCodes.has(alert.alertCode)) {
            await closeAlert(trx, version, actor.username, 'No longer active in NOMIS', today, now)
            changedHere = true
          }
        }
        if (current) {
          if (changedHere) changed.updated.push(record.prisonerNumber)
          else summary.unchanged++
        }
      }

      summary.created += changed.created.length
      summary.updated += changed.updated.length
      summary.transferred += changed.transferred.length
      if (changed.created.length + changed.updated.length > 0) {
        await recordAudit(
          trx,
          actor,
          {
            action: 'people.imported',
            subjectType: 'import',
            subjectId: run.id,
            details: changed,
          },
          now,
        )
      }
    })
    options.onProgress?.(Math.min(start + batchSize, input.records.length), input.records.length)
  }

  summary.rejections.sort((a, b) => a.record - b.record)
  summary.rejected = summary.rejections.length
  summary.unknownAlertCodes = [...unknownCodes].sort()
  await finishRun(db, summary, new Date())
  return summary
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

async function finishRun(db: Executor, summary: ImportSummary, finishedAt: Date) {
  await db
    .updateTable('peopleImportRun')
    .set({
      finishedAt,
      records: summary.records,
      created: summary.created,
      updated: summary.updated,
      unchanged: summary.unchanged,
      transferred: summary.transferred,
      rejected: summary.rejections.length,
      rejections: JSON.stringify(summary.rejections.slice(0, 1000)),
    })
    .where('id', '=', summary.runId)
    .execute()
}
