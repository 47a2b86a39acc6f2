import type { Readable } from 'node:stream'
import { CsvError } from 'csv-parse'
import type { CurrentUser } from '../../platform/access/user.ts'
import { type Actor, actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { type CsvRow, readCsvObjects } from '../../platform/imports/csv.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import {
  activeAlertsWithCode,
  closeAlert,
  findNominalByPrisonNumber,
  insertAlert,
  nominalIdByPnc,
} from '../people/repository.ts'
import { normalisePnc, PRISON_NUMBER } from '../people/rules.ts'
import { visiblePerson } from './nominals.ts'
import * as repository from './repository.ts'
import { OCGM_FLAG } from './rules.ts'

// The OCGM mapping (SOC PF 4.8): imported from law enforcement's CSV, members matched on strong identifiers only
// (prison number, then PNC; never a name), the unmatched left for a person to resolve, and the OCG nominal flag
// reconciled with who is mapped.

export type OcgmFile = { fileName: string; text: string | Buffer | Readable }
type Progress = { onProgress?: (done: number, total: number) => void }

/** A row of the mapping that passed its checks. */
type MappedMember = {
  line: number
  groupRef: string
  groupName: string
  significance: string | null
  prisonNumber: string | null
  pnc: string | null
  name: string | null
  dateOfBirth: string | null
  role: string | null
}
type Rejected = { line: number; reasons: string[] }
type Unmatched = { line: number; name: string | null; prisonNumber: string | null; pnc: string | null; group: string }

const REQUIRED = ['group_ref', 'group_name']

async function readMapping(text: OcgmFile['text']) {
  try {
    const { header, rows } = await readCsvObjects(text)
    const missing = REQUIRED.filter(column => !header.includes(column))
    if (missing.length)
      throw ValidationError.field(
        'file',
        `The file needs the columns ${missing.join(', ')} (and prison_number, pnc, name, date_of_birth, role, significance)`,
      )
    return rows
  } catch (error) {
    if (error instanceof CsvError)
      throw ValidationError.field('file', `The file cannot be read as CSV: ${error.message}`)
    throw error
  }
}

/** What is wrong with one row of the mapping, in words that name its column. */
function rowProblems(fields: Record<string, string>, prisonNumber: string | null, pnc: string | null) {
  const reasons: string[] = []
  if (!fields.group_ref) reasons.push('group_ref is missing')
  if (!fields.group_name) reasons.push('group_name is missing')
  if (prisonNumber && !PRISON_NUMBER.test(prisonNumber))
    reasons.push(`prison_number ${fields.prison_number} is not a prison number`)
  if (fields.pnc && !pnc) reasons.push(`pnc ${fields.pnc} is not a valid PNC number`)
  if (fields.date_of_birth && !/^\d{4}-\d{2}-\d{2}$/.test(fields.date_of_birth))
    reasons.push('date_of_birth must be YYYY-MM-DD')
  if (!prisonNumber && !fields.pnc && !fields.name)
    reasons.push('the member has no identifier: give a prison number, PNC or name')
  return reasons
}

function checkRows(rows: readonly CsvRow[]) {
  const rejected: Rejected[] = []
  const valid: MappedMember[] = []
  for (const { line, fields } of rows) {
    const prisonNumber = fields.prison_number?.toUpperCase() || null
    const pnc = fields.pnc ? normalisePnc(fields.pnc) : null
    const reasons = rowProblems(fields, prisonNumber, pnc)
    if (reasons.length) rejected.push({ line, reasons })
    else
      valid.push({
        line,
        groupRef: fields.group_ref,
        groupName: fields.group_name,
        significance: fields.significance || null,
        prisonNumber,
        pnc,
        name: fields.name || null,
        dateOfBirth: fields.date_of_birth || null,
        role: fields.role || null,
      })
  }
  return { rejected, valid }
}

async function mapGroups(trx: Executor, members: readonly MappedMember[], now: Date) {
  const groupIds = new Map<string, string>()
  for (const member of members) {
    if (groupIds.has(member.groupRef)) continue
    const group = { ref: member.groupRef, name: member.groupName, significance: member.significance }
    groupIds.set(member.groupRef, await repository.upsertGroup(trx, group, now))
  }
  return groupIds
}

/** The nominal a member is, by prison number then PNC; or as a person resolved them at an earlier import. */
async function matchMember(trx: Executor, member: MappedMember, previous: readonly repository.PreviousMember[]) {
  let nominalId = member.prisonNumber ? ((await findNominalByPrisonNumber(trx, member.prisonNumber))?.id ?? null) : null
  if (!nominalId && member.pnc) nominalId = await nominalIdByPnc(trx, member.pnc)
  // A member resolved by hand keeps that resolution while the same row stays mapped.
  const resolved = previous.find(
    p =>
      p.resolvedBy &&
      p.nominalId &&
      p.name === member.name &&
      p.dateOfBirth === member.dateOfBirth &&
      p.pncNumber === member.pnc &&
      p.prisonNumber === member.prisonNumber,
  )
  if (!nominalId && resolved) return { nominalId: resolved.nominalId, resolvedBy: resolved.resolvedBy }
  return { nominalId, resolvedBy: nominalId && resolved ? resolved.resolvedBy : null }
}

/** Maps the members afresh: the groups, then each member matched or left unmatched. */
async function recordMembers(
  trx: Executor,
  members: readonly MappedMember[],
  importId: string,
  options: Progress,
  now: Date,
) {
  const groupIds = await mapGroups(trx, members, now)
  const previous = await repository.takeGroupMembers(trx)
  let matched = 0
  const unmatched: Unmatched[] = []
  for (const [index, member] of members.entries()) {
    const { nominalId, resolvedBy } = await matchMember(trx, member, previous)
    if (nominalId) matched++
    else {
      const { line, name, prisonNumber, pnc, groupRef: group } = member
      unmatched.push({ line, name, prisonNumber, pnc, group })
    }
    await repository.insertGroupMember(trx, {
      groupId: groupIds.get(member.groupRef) as string,
      nominalId,
      prisonNumber: member.prisonNumber,
      pncNumber: member.pnc,
      name: member.name,
      dateOfBirth: member.dateOfBirth,
      role: member.role,
      importId,
      line: member.line,
      resolvedBy,
    })
    options.onProgress?.(index + 1, members.length)
  }
  return { matched, unmatched }
}

/**
 * SOC PF 4.8: every mapped member in custody carries the OCG nominal flag; a flag set by the mapping is closed when
 * the person is no longer mapped. Flags set by hand or by NOMIS are left as they are.
 */
async function reconcileFlags(trx: Executor, actor: Actor, today: string, now: Date) {
  const mapped = await repository.listMappedInCustody(trx)
  const active = await activeAlertsWithCode(trx, OCGM_FLAG, today)
  const added: string[] = []
  const closed: string[] = []
  const mappedIds = new Set(mapped.map(m => m.id))
  for (const person of mapped) {
    if (active.some(a => a.nominalId === person.id)) continue
    await insertAlert(trx, {
      nominalId: person.id,
      alertCode: OCGM_FLAG,
      source: 'ocgm',
      description: 'Mapped on OCGM',
      authorisedBy: 'OCGM reconciliation',
      activeFrom: today,
      activeTo: null,
      changedBy: actor.username,
      comment: 'Added by OCGM reconciliation (SOC PF 4.8)',
      now,
    })
    added.push(person.ref)
  }
  for (const alert of active) {
    if (alert.source !== 'ocgm' || mappedIds.has(alert.nominalId)) continue
    await closeAlert(trx, alert, actor.username, 'No longer mapped on OCGM (SOC PF 4.8)', today, now)
    closed.push(alert.ref)
  }
  return { added, closed }
}

/** Imports the OCGM mapping, lists the unmatched for a person to resolve, and reconciles the OCG nominal flag. */
async function importOcgm(db: Db, actor: Actor, input: OcgmFile, options: Progress = {}, now = new Date()) {
  const rows = await readMapping(input.text)
  const { rejected, valid } = checkRows(rows)
  return auditedTransaction(db, actor, now, async (trx, audit) => {
    const importId = await repository.insertOcgmImport(trx, {
      fileName: input.fileName,
      importedAt: now,
      importedBy: actor.username,
      rows: rows.length,
      rejected: rejected.length,
    })
    const { matched, unmatched } = await recordMembers(trx, valid, importId, options, now)
    const flags = await reconcileFlags(trx, actor, londonToday(now), now)
    const report = { rejected, unmatched, flagsAdded: flags.added, flagsClosed: flags.closed }
    const counts = {
      matched,
      unmatched: unmatched.length,
      flagsAdded: flags.added.length,
      flagsClosed: flags.closed.length,
    }
    await repository.completeOcgmImport(trx, importId, { ...counts, report })
    await audit({
      action: 'soc.ocgm-imported',
      subjectType: 'ocgm-import',
      subjectId: importId,
      details: { rows: rows.length, rejected: rejected.length, ...counts },
    })
    return { id: importId, rows: rows.length, matched, ...report }
  })
}

async function unmatchedMembers(db: Db, user: CurrentUser) {
  if (!user.can('soc:manage')) throw new ForbiddenError()
  return repository.listUnmatchedMembers(db)
}

/** A person resolves an unmatched member to a nominal they have checked; the flag follows at once. */
async function resolveMember(
  db: Db,
  user: CurrentUser,
  memberId: number,
  prisonerNumber: string,
  correlationId: string,
  now = new Date(),
) {
  const actor = actorOf(user, correlationId)
  return auditedTransaction(db, actor, now, async (trx, audit) => {
    const member = await repository.findGroupMember(trx, memberId)
    if (!member) throw new NotFoundError()
    if (member.nominalId) throw new ConflictError('This member is already matched.')
    const person = await visiblePerson(trx, user, prisonerNumber)
    await repository.resolveGroupMember(trx, memberId, person.id, user.username)
    const reconciliation = await reconcileFlags(trx, actor, londonToday(now), now)
    await audit({
      action: 'soc.ocgm-member-resolved',
      subjectType: 'nominal',
      subjectId: person.ref,
      establishmentCode: person.establishmentCode,
      details: { memberId },
    })
    return reconciliation
  })
}

/** The imports, latest first, each with the name of the person (or process) that ran it, never a username. */
async function imports(db: Db) {
  return withDisplayNames(db, await repository.listOcgmImports(db), ['importedBy'])
}

/** The active groups, each with its members; a member the user may not see comes without name or reference. */
async function groups(db: Db, user: CurrentUser) {
  const [active, members] = await Promise.all([repository.listActiveGroups(db), repository.listGroupMembers(db, user)])
  return active.map(group => ({ ...group, members: members.filter(m => m.groupId === group.id) }))
}

export function ocgmUseCases(db: Db) {
  return {
    importOcgm: importOcgm.bind(null, db),
    unmatchedMembers: unmatchedMembers.bind(null, db),
    resolveMember: resolveMember.bind(null, db),
    imports: imports.bind(null, db),
    groups: groups.bind(null, db),
  }
}
