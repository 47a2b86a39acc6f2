import { auditingDenials, visibleOr404 } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ConflictError, ValidationError } from '../../platform/http/errors.ts'
import { establishmentExists, listEstablishmentOptions, withDisplayNames } from '../../platform/users/repository.ts'
import { addMonths } from '../soc/rules.ts'
import * as repository from './repository.ts'
import {
  itemPermissionProblems,
  itemPermissionState,
  visitMeasureLive,
  visitMeasureProblems,
  visitMeasureReviewDue,
  visitMeasureReviewProblems,
  visitMeasureState,
} from './rules.ts'
import type { ItemPermissionInput, VisitMeasureInput, VisitMeasureReviewInput } from './schema.ts'

// People who threaten security and authorised items (outputs 13 and 14): bans and closed visits for visitors who
// convey or try to, with their reviews; permissions to bring in or hold an otherwise prohibited item.

/** The prison a list is of: one the user asks for in their scope, or their own. */
function prisonOf(user: CurrentUser, asked: string | undefined) {
  if (!asked) return user.establishmentCode
  if (!user.inScope(asked)) throw ValidationError.field('establishment', 'Choose a prison you work in or oversee')
  return asked
}

/** The prisons a user may choose between, by name: a form offers the choice only when there is one. */
function prisonChoices(db: Db, user: CurrentUser) {
  return listEstablishmentOptions(db, user.establishmentCodes)
}

// ---- Measures on visitors (output 13) ----

type MeasureRow = NonNullable<Awaited<ReturnType<typeof repository.findVisitMeasure>>>

function withMeasureState(row: MeasureRow, today: string) {
  const clock = { ...row, ended: row.endedAt !== null }
  return {
    ...row,
    state: visitMeasureState(clock, today),
    live: visitMeasureLive(clock, today),
    reviewDue: visitMeasureReviewDue(clock, today),
  }
}
export type VisitMeasureView = ReturnType<typeof withMeasureState>

/** A measure the user may see; one at a prison outside their scope is a denied look, audited. */
async function visitMeasureOr404(trx: Executor, user: CurrentUser, id: string) {
  const row = await repository.findVisitMeasure(trx, user, id)
  return visibleOr404(user, row, () => repository.findVisitMeasurePlacing(trx, id), {
    action: 'searching.view-denied',
    subjectType: 'searching-visit-measure',
    subjectId: id,
  })
}

async function recordVisitMeasure(
  db: Db,
  user: CurrentUser,
  input: VisitMeasureInput,
  correlationId: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const prisoner = await repository.findVisitedPrisoner(trx, user, input.prisonerNumber)
    if (!prisoner) {
      throw ValidationError.field(
        'prisonerNumber',
        `No prisoner you can see has the prison number ${input.prisonerNumber}`,
      )
    }
    const find = input.findRef
      ? await repository.findFindFollowed(trx, prisoner.establishmentCode, input.findRef)
      : null
    if (input.findRef && !find) {
      throw ValidationError.field('findRef', `No find at the prisoner’s prison has the reference ${input.findRef}`)
    }
    const problems = visitMeasureProblems({ ...input, endsOn: input.endsOn ?? null }, addMonths)
    if (problems.length > 0) throw new ValidationError(problems)
    const id = await repository.insertVisitMeasure(trx, {
      establishmentCode: prisoner.establishmentCode,
      visitorName: input.visitorName,
      visitorDateOfBirth: input.visitorDateOfBirth ?? null,
      nominalId: prisoner.id,
      measure: input.measure,
      reason: input.reason,
      findId: find?.id ?? null,
      startsOn: input.startsOn,
      reviewOn: input.reviewOn,
      endsOn: input.endsOn ?? null,
      decidedBy: user.username,
      decidedAt: now,
    })
    await audit({
      action: 'searching.visit-measure-imposed',
      subjectType: 'searching-visit-measure',
      subjectId: id,
      establishmentCode: prisoner.establishmentCode,
      details: { measure: input.measure, prisonerNumber: prisoner.ref, findRef: find?.ref ?? null },
    })
    return { id }
  })
}

/** Live measures with the most pressing review first, or ended measures latest first, each with where it stands. */
async function visitMeasures(
  db: Db,
  user: CurrentUser,
  filter: { establishment?: string; state?: 'live' | 'ended' },
  now = new Date(),
) {
  const today = londonToday(now)
  const establishmentCode = prisonOf(user, filter.establishment)
  const rows = await repository.listVisitMeasures(db, user, { establishmentCode, state: filter.state ?? 'live', today })
  return withDisplayNames(
    db,
    rows.map(row => withMeasureState(row, today)),
    ['decidedBy', 'endedBy'],
  )
}

/** A measure with its reviews, latest first. */
async function visitMeasure(db: Db, user: CurrentUser, id: string, correlationId: string | null, now = new Date()) {
  return auditingDenials(db, actorOf(user, correlationId), async () => {
    const row = withMeasureState(await visitMeasureOr404(db, user, id), londonToday(now))
    const [measure] = await withDisplayNames(db, [row], ['decidedBy', 'endedBy'])
    const reviews = await withDisplayNames(db, await repository.listVisitMeasureReviews(db, id), ['reviewedBy'])
    return { measure, reviews }
  })
}

/** A review: the measure continues to a new review date within three months, or ends. */
async function reviewVisitMeasure(
  db: Db,
  user: CurrentUser,
  id: string,
  input: VisitMeasureReviewInput,
  correlationId: string,
  now = new Date(),
) {
  const actor = actorOf(user, correlationId)
  return auditingDenials(db, actor, () =>
    auditedTransaction(db, actor, now, async (trx, audit) => {
      const today = londonToday(now)
      const measure = withMeasureState(await visitMeasureOr404(trx, user, id), today)
      if (!measure.live) throw new ConflictError('This measure has ended: there is nothing to review.')
      const problems = visitMeasureReviewProblems(input, measure, { today, addMonths })
      if (problems.length > 0) throw new ValidationError(problems)
      await repository.insertVisitMeasureReview(trx, {
        measureId: id,
        establishmentCode: measure.establishmentCode,
        reviewedOn: input.reviewedOn,
        outcome: input.outcome,
        nextReviewOn: input.nextReviewOn,
        notes: input.notes,
        reviewedBy: user.username,
        reviewedAt: now,
      })
      if (input.outcome === 'end' && !(await repository.endVisitMeasure(trx, id, user.username, now))) {
        throw new ConflictError('This measure has just been ended by someone else.')
      }
      await audit({
        action: input.outcome === 'end' ? 'searching.visit-measure-ended' : 'searching.visit-measure-reviewed',
        subjectType: 'searching-visit-measure',
        subjectId: id,
        establishmentCode: measure.establishmentCode,
        details: { outcome: input.outcome, nextReviewOn: input.nextReviewOn },
      })
      return { id, outcome: input.outcome, nextReviewOn: input.nextReviewOn }
    }),
  )
}

/** Live measures in the user's scope whose review falls due: for the home page's clocks. */
async function visitMeasureReviewsDue(db: Db, user: CurrentUser, today: string) {
  const rows = await repository.listVisitMeasures(db, user, { state: 'live', today })
  return rows.map(row => withMeasureState(row, today)).filter(row => row.reviewDue !== null)
}

/** The measures on a prisoner's visitors, for their profile. */
async function visitMeasuresOnPrisoner(db: Db, user: CurrentUser, nominalId: string, now = new Date()) {
  const today = londonToday(now)
  const rows = await repository.listVisitMeasuresOnPrisoner(db, user, nominalId)
  return rows.map(row => withMeasureState(row, today))
}

// ---- Permissions for items (output 14) ----

type PermissionRow = repository.ItemPermissionRow

function withPermissionState(row: PermissionRow, now: Date) {
  return { ...row, state: itemPermissionState(row, now) }
}

async function permissionOr404(trx: Executor, user: CurrentUser, id: string) {
  const row = await repository.findItemPermission(trx, user, id)
  return visibleOr404(user, row, () => repository.findItemPermissionPlacing(trx, id), {
    action: 'searching.view-denied',
    subjectType: 'searching-item-permission',
    subjectId: id,
  })
}

/** Output 14: a permission given by the signed-in person, for whole days, at a prison they work in. */
async function grantItemPermission(
  db: Db,
  user: CurrentUser,
  input: ItemPermissionInput,
  correlationId: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const establishmentCode = input.establishmentCode ?? user.establishmentCode
    if (!user.inScope(establishmentCode) || !(await establishmentExists(trx, establishmentCode))) {
      throw ValidationError.field('establishmentCode', 'Select a prison you work in or oversee')
    }
    const problems = itemPermissionProblems(input, londonToday(now))
    if (problems.length > 0) throw new ValidationError(problems)
    const id = await repository.insertItemPermission(trx, {
      establishmentCode,
      category: input.category,
      description: input.description,
      holder: input.holder,
      location: input.location ?? null,
      validFrom: input.validFrom,
      validUntil: input.validUntil,
      authorisedBy: user.username,
      authorisedAt: now,
    })
    await audit({
      action: 'searching.item-permission-granted',
      subjectType: 'searching-item-permission',
      subjectId: id,
      establishmentCode,
      details: { category: input.category, validFrom: input.validFrom, validUntil: input.validUntil },
    })
    return { id }
  })
}

async function itemPermissions(db: Db, user: CurrentUser, filter: { establishment?: string }, now = new Date()) {
  const establishmentCode = prisonOf(user, filter.establishment)
  const rows = await repository.listItemPermissions(db, user, { establishmentCode, now })
  return withDisplayNames(
    db,
    rows.map(row => withPermissionState(row, now)),
    ['authorisedBy', 'revokedBy'],
  )
}

/** A permission and the finds it covers. */
async function itemPermission(db: Db, user: CurrentUser, id: string, correlationId: string | null, now = new Date()) {
  return auditingDenials(db, actorOf(user, correlationId), async () => {
    const row = await permissionOr404(db, user, id)
    const [permission] = await withDisplayNames(db, [withPermissionState(row, now)], ['authorisedBy', 'revokedBy'])
    return { permission, covers: await repository.findsCoveredBy(db, row) }
  })
}

async function revokeItemPermission(
  db: Db,
  user: CurrentUser,
  id: string,
  input: { reason: string },
  correlationId: string,
  now = new Date(),
) {
  const actor = actorOf(user, correlationId)
  return auditingDenials(db, actor, () =>
    auditedTransaction(db, actor, now, async (trx, audit) => {
      const permission = withPermissionState(await permissionOr404(trx, user, id), now)
      if (permission.state === 'revoked') throw new ConflictError('This permission has already been revoked.')
      if (permission.state === 'expired') throw new ConflictError('This permission has already run out.')
      if (!(await repository.revokeItemPermission(trx, id, { by: user.username, at: now, reason: input.reason }))) {
        throw new ConflictError('This permission has just been revoked by someone else.')
      }
      await audit({
        action: 'searching.item-permission-revoked',
        subjectType: 'searching-item-permission',
        subjectId: id,
        establishmentCode: permission.establishmentCode,
      })
      return { id, state: 'revoked' as const }
    }),
  )
}

/** The hub's figures for one prison: measures in force, reviews due or overdue, permissions live. */
async function controlsSummary(db: Db, user: CurrentUser, establishment: string | undefined, now = new Date()) {
  const [measures, permissions] = await Promise.all([
    visitMeasures(db, user, { establishment }, now),
    itemPermissions(db, user, { establishment }, now),
  ])
  return {
    measuresLive: measures.length,
    reviewsOverdue: measures.filter(m => m.state === 'review-overdue').length,
    reviewsDue: measures.filter(m => m.state === 'review-due').length,
    permissionsLive: permissions.filter(p => p.state === 'live').length,
  }
}

export function controlsUseCases(db: Db) {
  return {
    recordVisitMeasure: recordVisitMeasure.bind(null, db),
    visitMeasures: visitMeasures.bind(null, db),
    visitMeasure: visitMeasure.bind(null, db),
    reviewVisitMeasure: reviewVisitMeasure.bind(null, db),
    visitMeasureReviewsDue: visitMeasureReviewsDue.bind(null, db),
    visitMeasuresOnPrisoner: visitMeasuresOnPrisoner.bind(null, db),
    grantItemPermission: grantItemPermission.bind(null, db),
    itemPermissions: itemPermissions.bind(null, db),
    itemPermission: itemPermission.bind(null, db),
    revokeItemPermission: revokeItemPermission.bind(null, db),
    controlsSummary: controlsSummary.bind(null, db),
    controlPrisonChoices: prisonChoices.bind(null, db),
  }
}
