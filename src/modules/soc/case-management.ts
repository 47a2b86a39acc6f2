import { auditingDenials } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { type AuditEntry, actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import { socNominalOr404 } from './nominals.ts'
import * as repository from './repository.ts'

// Managing a case in the cohort: reviews (SOC PF 4.47, 4.61, 4.66), the case plan (4.41, 4.61), the release hand-off
// (4.39, 4.52) and trigger points flagged to SOCU (4.35–4.36, 4.49–4.50).

export type ReviewInput = { reviewedOn: string; outcome: string; notes?: string }
export type PlanActionInput = { description: string; owner: string; dueDate: string; tactic: string }
export type ActionStatus = 'done' | 'cancelled' | 'open'
export type MilestoneInput = { milestone: 'community-notified' | 'community-plan-agreed'; on: string }
export type TriggerInput = { code: string; occurredOn: string; details: string }

type Step<T> = (
  trx: Executor,
  nominal: repository.SocNominalRow,
  audit: (entry: AuditEntry) => Promise<void>,
) => Promise<T>

/** A change to a nominal the user may see, in one audited transaction; a look outside scope is audited. */
function onNominal<T>(
  db: Db,
  user: CurrentUser,
  prisonerNumber: string,
  correlationId: string,
  now: Date,
  step: Step<T>,
) {
  const actor = actorOf(user, correlationId)
  return auditingDenials(db, actor, () =>
    auditedTransaction(db, actor, now, async (trx, audit) =>
      step(trx, await socNominalOr404(trx, user, prisonerNumber), audit),
    ),
  )
}

function review(
  db: Db,
  user: CurrentUser,
  prisonerNumber: string,
  input: ReviewInput,
  correlationId: string,
  now = new Date(),
) {
  return onNominal(db, user, prisonerNumber, correlationId, now, async (trx, nominal, audit) => {
    if (nominal.status !== 'selected')
      throw ValidationError.field('reviewedOn', 'Only people in the cohort are reviewed')
    if (input.reviewedOn < londonToday(nominal.nominatedAt))
      throw ValidationError.field('reviewedOn', 'The review date cannot be before the nomination')
    if (input.reviewedOn > londonToday(now))
      throw ValidationError.field('reviewedOn', 'The review date cannot be in the future')
    const kind = !nominal.inCustody ? 'post-release' : nominal.band === '1' ? 'band-1-quarterly' : 'band-2-monthly'
    if (nominal.band === '1' && !user.can('soc:manage'))
      throw new ForbiddenError('Band 1 reviews are SOCU’s (SOC PF 4.47).')
    await repository.insertReview(trx, {
      socNominalId: nominal.id,
      reviewedOn: input.reviewedOn,
      kind,
      outcome: input.outcome,
      notes: input.notes ?? null,
      reviewedBy: user.username,
      recordedAt: now,
    })
    await repository.updateSocNominal(trx, nominal.id, { lastReview: input.reviewedOn })
    await audit({
      action: 'soc.reviewed',
      subjectType: 'soc-nominal',
      subjectId: prisonerNumber,
      establishmentCode: nominal.establishmentCode,
      details: { kind, outcome: input.outcome },
    })
    return { kind, lastReview: input.reviewedOn }
  })
}

/** A case plan action. Band 1 plans are owned by SOCU (SOC PF 4.41); Band 2 are local (4.61). */
function addAction(
  db: Db,
  user: CurrentUser,
  prisonerNumber: string,
  input: PlanActionInput,
  correlationId: string,
  now = new Date(),
) {
  return onNominal(db, user, prisonerNumber, correlationId, now, async (trx, nominal, audit) => {
    if (nominal.status !== 'selected')
      throw ValidationError.field('description', 'Only people in the cohort have a case plan')
    if (nominal.band === '1' && !user.can('soc:manage'))
      throw new ForbiddenError('Band 1 case plans are created and owned by SOCU (SOC PF 4.41).')
    const id = await repository.insertPlanAction(trx, {
      socNominalId: nominal.id,
      ...input,
      createdBy: user.username,
      createdAt: now,
    })
    await audit({
      action: 'soc.plan-action-added',
      subjectType: 'soc-nominal',
      subjectId: prisonerNumber,
      establishmentCode: nominal.establishmentCode,
      details: { tactic: input.tactic, dueDate: input.dueDate },
    })
    return { id }
  })
}

function setActionStatus(
  db: Db,
  user: CurrentUser,
  prisonerNumber: string,
  actionId: number,
  status: ActionStatus,
  correlationId: string,
  now = new Date(),
) {
  return onNominal(db, user, prisonerNumber, correlationId, now, async (trx, nominal, audit) => {
    if (nominal.band === '1' && !user.can('soc:manage')) throw new ForbiddenError()
    const updated = await repository.updatePlanActionStatus(trx, nominal.id, actionId, {
      status,
      updatedBy: user.username,
      updatedAt: now,
    })
    if (!updated) throw new NotFoundError()
    await audit({
      action: 'soc.plan-action-updated',
      subjectType: 'soc-nominal',
      subjectId: prisonerNumber,
      establishmentCode: nominal.establishmentCode,
      details: { actionId, status },
    })
    return { id: actionId, status }
  })
}

/** A release hand-off step: the SOCU community team notified (4.39, 4.62), or the community plan agreed (4.52, 4.54). */
function recordMilestone(
  db: Db,
  user: CurrentUser,
  prisonerNumber: string,
  input: MilestoneInput,
  correlationId: string,
  now = new Date(),
) {
  return onNominal(db, user, prisonerNumber, correlationId, now, async (trx, nominal, audit) => {
    if (nominal.status !== 'selected')
      throw ValidationError.field('milestone', 'Only people in the cohort have a release hand-off')
    if (input.on > londonToday(now)) throw ValidationError.field('on', 'The date cannot be in the future')
    await repository.updateSocNominal(
      trx,
      nominal.id,
      input.milestone === 'community-notified'
        ? { communityNotifiedOn: input.on }
        : { communityPlanAgreedOn: input.on },
    )
    await audit({
      action: `soc.${input.milestone}`,
      subjectType: 'soc-nominal',
      subjectId: prisonerNumber,
      establishmentCode: nominal.establishmentCode,
      details: { on: input.on },
    })
  })
}

/** A trigger point (SOC PF 4.35–4.36, 4.49–4.50): recorded, and flagged to SOCU's work list. */
function trigger(
  db: Db,
  user: CurrentUser,
  prisonerNumber: string,
  input: TriggerInput,
  correlationId: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const nominal = await repository.findSocNominal(trx, user, prisonerNumber)
    if (nominal?.status !== 'selected')
      throw ValidationError.field('prisonerNumber', 'Trigger points are recorded for people in the SOC cohort only')
    if (input.occurredOn > londonToday(now))
      throw ValidationError.field('occurredOn', 'The date cannot be in the future')
    const id = await repository.insertTrigger(trx, {
      socNominalId: nominal.id,
      establishmentCode: nominal.establishmentCode,
      ...input,
      recordedBy: user.username,
      recordedAt: now,
    })
    await audit({
      action: 'soc.trigger',
      subjectType: 'soc-nominal',
      subjectId: prisonerNumber,
      establishmentCode: nominal.establishmentCode,
      details: { code: input.code, band: nominal.band },
    })
    return { id }
  })
}

/** SOCU's work list: trigger points not yet seen, Band 1 first. */
async function workList(db: Db, user: CurrentUser) {
  return withDisplayNames(db, await repository.listUnseenTriggers(db, user), ['recordedBy'])
}

async function markTriggerSeen(
  db: Db,
  user: CurrentUser,
  id: number,
  correlationId: string | null = null,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const trigger = await repository.findTrigger(trx, id)
    if (!trigger || !user.inScope(trigger.establishmentCode)) throw new NotFoundError()
    await repository.markTriggerSeen(trx, id, user.username, now)
    await audit({
      action: 'soc.trigger-seen',
      subjectType: 'soc-trigger',
      subjectId: String(id),
      establishmentCode: trigger.establishmentCode,
    })
  })
}

export function caseManagementUseCases(db: Db) {
  return {
    review: review.bind(null, db),
    addAction: addAction.bind(null, db),
    setActionStatus: setActionStatus.bind(null, db),
    recordMilestone: recordMilestone.bind(null, db),
    trigger: trigger.bind(null, db),
    workList: workList.bind(null, db),
    markTriggerSeen: markTriggerSeen.bind(null, db),
  }
}
