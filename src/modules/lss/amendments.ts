import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { listEstablishmentOptions, withDisplayNames } from '../../platform/users/repository.ts'
import { mayEdit, visibleAmendment, visibleInstruction, withDenials } from './access.ts'
import {
  amendmentsAwaiting,
  amendmentWithInstruction,
  decisionsOf,
  decisionsOfAmendments,
  establishmentOf,
  findAmendmentIdByRef,
  insertAmendment,
  insertDecision,
  insertInstructionVersion,
  insertRevision,
  instructionVersion,
  type LogFilter,
  lockInstruction,
  nextNumber,
  openAmendmentOf,
  pgdRequiredAt,
  amendmentLog as selectAmendmentLog,
  setCurrentVersion,
  updateAmendmentStatus,
  updateAmendmentText,
} from './repository.ts'
import {
  type AmendmentStatus,
  type ApproverRole,
  amendmentStatus,
  approvalsStillRequired,
  type InstructionText,
  mayDecide,
  OPEN_STATUSES,
  pickText,
  type RelatesTo,
  requiredApprovals,
  textHash,
  toDecisions,
} from './rules.ts'

export type AmendmentInput = InstructionText & {
  instructionId: string
  change: string
  reasoning: string
  relatesTo: RelatesTo
  pgdAgreement?: boolean
}

const isOpen = (status: string) => (OPEN_STATUSES as readonly string[]).includes(status)

/** The amendment as a person or system sees it, with its route, decisions and what is still required. */
export async function amendmentView(db: Executor, amendmentId: string) {
  const [amendment] = await withDisplayNames(db, [await amendmentWithInstruction(db, amendmentId)], ['proposer'])
  const decisions = await withDisplayNames(db, await decisionsOf(db, amendmentId), ['decidedBy'])
  const base = await instructionVersion(db, amendment.instructionId, amendment.baseVersion)
  const route = amendment.requiredApprovals as ApproverRole[]
  return {
    amendment,
    base,
    decisions,
    requiredApprovals: isOpen(amendment.status)
      ? approvalsStillRequired(route, toDecisions(decisions), amendment.textHash)
      : [],
  }
}

/** The approved text becomes the instruction's next version. */
export async function publishVersion(
  trx: Executor,
  amendment: { id: string; instructionId: string } & InstructionText,
  by: string,
  now: Date,
) {
  const version = (await lockInstruction(trx, amendment.instructionId)).currentVersion + 1
  await insertInstructionVersion(trx, {
    instructionId: amendment.instructionId,
    version,
    ...pickText(amendment),
    textHash: textHash(amendment),
    amendmentId: amendment.id,
    publishedAt: now,
    publishedBy: by,
  })
  await setCurrentVersion(trx, amendment.instructionId, version)
  return version
}

/** The approvals this amendment needs, in order, from the facts of the establishment and the proposal. */
async function routeFor(trx: Executor, establishmentCode: string, input: AmendmentInput) {
  const establishment = await establishmentOf(trx, establishmentCode)
  if (!establishment) throw new NotFoundError()
  return requiredApprovals({
    relatesTo: input.relatesTo,
    highSecurity: establishment.highSecurity,
    pgdRequiredLocally: await pgdRequiredAt(trx, establishmentCode),
    governorChoosesPgd: input.pgdAgreement ?? false,
  })
}

/**
 * A Notification of Amendment (LSS PF 4.13): the current version and the proposed text are both kept, the
 * route is computed by the rules, and only one amendment per instruction may be open.
 */
async function propose(db: Db, user: CurrentUser, input: AmendmentInput, correlationId: string, now = new Date()) {
  const actor = actorOf(user, correlationId)
  return withDenials(db, user, correlationId, () =>
    auditedTransaction(db, actor, now, async (trx, audit) => {
      const instruction = await visibleInstruction(trx, user, input.instructionId)
      if (!(await mayEdit(trx, user, instruction.establishmentCode)))
        throw new ForbiddenError('Only the LSS owner or a nominated editor can propose amendments.')
      const open = await openAmendmentOf(trx, instruction.id, OPEN_STATUSES)
      if (open)
        throw ValidationError.field(
          'instructionId',
          `Amendment ${open.ref} to this instruction is still open: decide or withdraw it first`,
        )
      const current = await instructionVersion(trx, instruction.id, instruction.currentVersion)
      const hash = textHash(input)
      if (hash === current.textHash)
        throw ValidationError.field('procedures', 'The proposed text is the same as the current version: change it')
      const route = await routeFor(trx, instruction.establishmentCode, input)
      const number = String(await nextNumber(trx, 'lss_amendment_seq')).padStart(4, '0')
      const ref = `AMD-${instruction.establishmentCode}-${now.getUTCFullYear()}-${number}`
      const created = await insertAmendment(trx, {
        ref,
        instructionId: instruction.id,
        establishmentCode: instruction.establishmentCode,
        proposer: user.username,
        proposedAt: now,
        baseVersion: instruction.currentVersion,
        ...pickText(input),
        textHash: hash,
        change: input.change,
        reasoning: input.reasoning,
        relatesTo: input.relatesTo,
        governorChoosesPgd: input.pgdAgreement ?? false,
        requiredApprovals: route,
        status: amendmentStatus(route, [], hash),
        publishedVersion: null,
      })
      await audit({
        action: 'lss.amendment-proposed',
        subjectType: 'lss-amendment',
        subjectId: ref,
        establishmentCode: instruction.establishmentCode,
        details: { route, relatesTo: input.relatesTo },
      })
      return amendmentView(trx, created.id)
    }),
  )
}

async function amendment(db: Db, user: CurrentUser, id: string, correlationId: string | null = null) {
  return withDenials(db, user, correlationId, async () => {
    await visibleAmendment(db, user, id)
    return amendmentView(db, id)
  })
}

async function amendmentByRef(db: Db, user: CurrentUser, ref: string, correlationId: string | null = null) {
  const found = await findAmendmentIdByRef(db, ref)
  if (!found) throw new NotFoundError('That amendment does not exist')
  return amendment(db, user, found.id, correlationId)
}

/**
 * A decision by the approver whose turn it is. `seenVersion` is the row version the person decided on: if
 * someone else decided first, this one is refused and told so. Final approval publishes the new version.
 */
async function decide(
  db: Db,
  user: CurrentUser,
  id: string,
  input: { decision: 'approve' | 'reject'; reason?: string; seenVersion?: number },
  correlationId: string,
  now = new Date(),
) {
  return withDenials(db, user, correlationId, () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const amendment = await visibleAmendment(trx, user, id, { lock: true })
      if (input.seenVersion !== undefined && input.seenVersion !== amendment.rowVersion) {
        throw new ConflictError(
          'Someone else decided or changed this amendment while you were reading it. Read it again before deciding.',
        )
      }
      const allowed = mayDecide(amendment.status as AmendmentStatus, user.roles, input.decision)
      if (!allowed.allowed) throw ValidationError.field('decision', allowed.message)
      if (input.decision === 'reject' && !input.reason?.trim())
        throw ValidationError.field('reason', 'Enter the reason for rejecting the amendment')
      await insertDecision(trx, {
        amendmentId: id,
        role: allowed.as,
        decision: input.decision,
        decidedBy: user.username,
        decidedAt: now,
        notes: input.reason ?? null,
        textHash: amendment.textHash,
      })
      const decisions = toDecisions(await decisionsOf(trx, id))
      const status = amendmentStatus(amendment.requiredApprovals as ApproverRole[], decisions, amendment.textHash)
      const publishedVersion = status === 'approved' ? await publishVersion(trx, amendment, user.username, now) : null
      const updated = await updateAmendmentStatus(trx, id, amendment.rowVersion, { status, publishedVersion })
      if (!updated) throw new ConflictError('Someone else decided this amendment first. Read it again.')
      await audit({
        action: `lss.amendment-${input.decision === 'approve' ? 'approved' : 'rejected'}`,
        subjectType: 'lss-amendment',
        subjectId: amendment.ref,
        establishmentCode: amendment.establishmentCode,
        details: { as: allowed.as, status, textHash: amendment.textHash, publishedVersion },
      })
      return amendmentView(trx, id)
    }),
  )
}

/** A change to the proposed text: kept as a revision; any approval given on the old text no longer counts. */
async function revise(
  db: Db,
  user: CurrentUser,
  id: string,
  text: InstructionText,
  seenVersion: number | undefined,
  correlationId: string,
  now = new Date(),
) {
  return withDenials(db, user, correlationId, () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const amendment = await visibleAmendment(trx, user, id, { lock: true })
      if (!isOpen(amendment.status))
        throw new ConflictError('Only an open amendment can be changed; propose a new one.')
      if (!(await mayEdit(trx, user, amendment.establishmentCode))) throw new ForbiddenError()
      if (seenVersion !== undefined && seenVersion !== amendment.rowVersion)
        throw new ConflictError('Someone else changed this amendment while you were editing it. Read it again.')
      const hash = textHash(text)
      if (hash === amendment.textHash) return amendmentView(trx, id)
      await insertRevision(trx, {
        amendmentId: id,
        ...pickText(amendment),
        textHash: amendment.textHash,
        revisedBy: user.username,
        revisedAt: now,
      })
      const decisions = toDecisions(await decisionsOf(trx, id))
      const status = amendmentStatus(amendment.requiredApprovals as ApproverRole[], decisions, hash)
      await updateAmendmentText(trx, id, {
        ...pickText(text),
        textHash: hash,
        status,
        rowVersion: amendment.rowVersion + 1,
      })
      await audit({
        action: 'lss.amendment-revised',
        subjectType: 'lss-amendment',
        subjectId: amendment.ref,
        establishmentCode: amendment.establishmentCode,
        details: { status, textHash: hash },
      })
      return amendmentView(trx, id)
    }),
  )
}

/**
 * The proposer, or the LSS owner, takes an open amendment back; it is kept in the log as withdrawn. `seenVersion`,
 * when given, is the row version the person read: a withdrawal of something changed since is refused.
 */
async function withdraw(
  db: Db,
  user: CurrentUser,
  id: string,
  correlationId: string,
  options: { seenVersion?: number; now?: Date } = {},
) {
  const now = options.now ?? new Date()
  return withDenials(db, user, correlationId, () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const amendment = await visibleAmendment(trx, user, id, { lock: true })
      if (!isOpen(amendment.status)) throw new ConflictError('Only an open amendment can be withdrawn.')
      if (options.seenVersion !== undefined && options.seenVersion !== amendment.rowVersion)
        throw new ConflictError('Someone else changed this amendment while you were reading it. Read it again.')
      const owner = user.can('lss:manage', { establishmentCode: amendment.establishmentCode })
      if (amendment.proposer !== user.username && !owner) throw new ForbiddenError()
      await insertDecision(trx, {
        amendmentId: id,
        role: 'proposer',
        decision: 'withdraw',
        decidedBy: user.username,
        decidedAt: now,
        notes: null,
        textHash: amendment.textHash,
      })
      await updateAmendmentStatus(trx, id, amendment.rowVersion, { status: 'withdrawn' })
      await audit({
        action: 'lss.amendment-withdrawn',
        subjectType: 'lss-amendment',
        subjectId: amendment.ref,
        establishmentCode: amendment.establishmentCode,
      })
      return amendmentView(trx, id)
    }),
  )
}

/**
 * The amendment log (LSS PF 4.17): every field of every amendment in the user's scope, filterable, with each
 * amendment's decisions and the names of the people who proposed and decided.
 */
async function log(db: Db, user: CurrentUser, filter: LogFilter) {
  const rows = await withDisplayNames(db, await selectAmendmentLog(db, user.establishmentCodes, filter), ['proposer'])
  const decisions = await withDisplayNames(
    db,
    await decisionsOfAmendments(
      db,
      rows.map(row => row.id),
    ),
    ['decidedBy'],
  )
  const byAmendment = new Map<string, typeof decisions>()
  for (const d of decisions) byAmendment.set(d.amendmentId, [...(byAmendment.get(d.amendmentId) ?? []), d])
  return rows.map(row => ({
    ...row,
    decisions: (byAmendment.get(row.id) ?? []).map(d => ({ ...d, onEarlierText: d.textHash !== row.textHash })),
  }))
}

/** The prisons in the user's scope, by name, for the log's establishment filter. */
function logEstablishments(db: Db, user: CurrentUser) {
  return listEstablishmentOptions(db, user.establishmentCodes)
}

/** Amendments waiting for a decision from one of the user's approver roles, oldest first. */
async function awaiting(db: Db, user: CurrentUser) {
  const roles = user.roles.filter((r): r is ApproverRole => r === 'governor' || r === 'pgd' || r === 'ed-security')
  if (roles.length === 0) return []
  return amendmentsAwaiting(
    db,
    roles.map(role => `awaiting-${role}`),
    user.establishmentCodes,
  )
}

/** Amendments: propose, decide, revise, withdraw, and the log. */
export function amendmentUseCases(db: Db) {
  return {
    propose: propose.bind(null, db),
    amendment: amendment.bind(null, db),
    amendmentByRef: amendmentByRef.bind(null, db),
    decide: decide.bind(null, db),
    revise: revise.bind(null, db),
    withdraw: withdraw.bind(null, db),
    log: log.bind(null, db),
    logEstablishments: logEstablishments.bind(null, db),
    awaiting: awaiting.bind(null, db),
  }
}
