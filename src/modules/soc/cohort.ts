import { auditingDenials, NotVisibleError } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { establishmentExists, withDisplayNames } from '../../platform/users/repository.ts'
import { withPrisonNames } from './choices.ts'
import { list as listNominals, socNominalOr404, visiblePerson } from './nominals.ts'
import * as repository from './repository.ts'
import { bandOf, type CohortDecision, decisionProblems } from './rules.ts'

// Cohort selection (SOC PF 4.15–4.31, 4.58): nominations, the meetings that decide, and their decisions.

export type NominationInput = {
  prisonerNumber: string
  nominatedByType: string
  nominatorName: string
  rationale: string
  criteria: string[]
}
export type MeetingInput = {
  kind: string
  heldOn: string
  attendees: string[]
  notes?: string
  establishmentCode?: string
}
export type DecisionInput = { prisonerNumber: string; decision: CohortDecision; reason?: string }

async function nominate(db: Db, user: CurrentUser, input: NominationInput, correlationId: string, now = new Date()) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const person = await visiblePerson(trx, user, input.prisonerNumber)
    if (person.kind !== 'prisoner')
      throw ValidationError.field('prisonerNumber', 'Only people held or supervised by HMPPS can be nominated')
    const existing = await repository.findNominationStatus(trx, person.id)
    if (existing && (existing.status === 'nominated' || existing.status === 'selected')) {
      throw ValidationError.field('prisonerNumber', 'This person is already nominated or in the cohort')
    }
    const nomination = {
      nominatedByType: input.nominatedByType,
      nominatedBy: user.username,
      nominatorName: input.nominatorName,
      rationale: input.rationale,
      nominatedAt: now,
      criteria: input.criteria,
      band: null,
      status: 'nominated' as const,
    }
    await repository.saveNomination(trx, person.id, nomination, existing !== undefined)
    await audit({
      action: 'soc.nominated',
      subjectType: 'soc-nominal',
      subjectId: person.ref,
      establishmentCode: person.establishmentCode,
      details: { by: input.nominatedByType, criteria: input.criteria },
    })
    return { prisonerNumber: person.ref }
  })
}

async function meetings(db: Db, user: CurrentUser) {
  return withPrisonNames(db, await repository.listMeetings(db, user))
}

/** A meeting with its decisions and the people it may decide on; one of a prison outside scope is denied. */
async function meeting(db: Db, user: CurrentUser, ref: string, correlationId: string | null = null) {
  return auditingDenials(db, actorOf(user, correlationId), async () => {
    const meeting = await repository.findMeeting(db, ref)
    if (!meeting) throw new NotFoundError()
    if (meeting.establishmentCode && !user.inScope(meeting.establishmentCode))
      throw new NotVisibleError({
        action: 'soc.view-denied',
        subjectType: 'soc-meeting',
        subjectId: ref,
        establishmentCode: meeting.establishmentCode,
      })
    const [decisions, nominees, cohort] = await Promise.all([
      repository.listMeetingDecisions(db, user, meeting.id),
      listNominals(db, user, { status: 'nominated' }),
      listNominals(db, user, { status: 'selected' }),
    ])
    const named = await withDisplayNames(db, decisions, ['decidedBy'])
    const [namedMeeting] = await withPrisonNames(db, [meeting])
    return { meeting: namedMeeting, decisions: named, candidates: [...nominees, ...cohort] }
  })
}

async function createMeeting(db: Db, user: CurrentUser, input: MeetingInput, correlationId: string, now = new Date()) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    // A national scope covers every prison, not every three letters.
    const code = input.establishmentCode
    if (code && (!user.inScope(code) || !(await establishmentExists(trx, code))))
      throw ValidationError.field('establishmentCode', 'Select a prison you oversee')
    const region = await repository.socuRegionOf(trx, input.establishmentCode ?? user.establishmentCode)
    const number = await repository.nextMeetingNumber(trx)
    const ref = `SOCM-${now.getUTCFullYear()}-${String(number).padStart(4, '0')}`
    await repository.insertMeeting(trx, {
      ref,
      kind: input.kind,
      socuRegion: region,
      establishmentCode: input.establishmentCode ?? null,
      heldOn: input.heldOn,
      attendees: input.attendees,
      notes: input.notes ?? null,
      createdBy: user.username,
      createdAt: now,
    })
    await audit({
      action: 'soc.meeting-recorded',
      subjectType: 'soc-meeting',
      subjectId: ref,
      establishmentCode: input.establishmentCode ?? null,
      details: { kind: input.kind },
    })
    return { ref }
  })
}

/** A cohort decision, always taken at a recorded meeting (SOC PF 4.15, 4.24, 4.58). */
async function decide(
  db: Db,
  user: CurrentUser,
  meetingRef: string,
  input: DecisionInput,
  correlationId: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const meeting = await repository.findMeeting(trx, meetingRef)
    if (!meeting)
      throw ValidationError.field(
        'meetingRef',
        'A decision is made at a cohort selection meeting: record the meeting first',
      )
    const problems = decisionProblems(input)
    if (problems.length) throw new ValidationError(problems)
    const nominal = await socNominalOr404(trx, user, input.prisonerNumber).catch(() => {
      throw ValidationError.field('prisonerNumber', 'Nominate this person before deciding on them')
    })
    if (input.decision === 'de-selected' && nominal.status !== 'selected')
      throw ValidationError.field('decision', 'Only someone in the cohort can be de-selected')
    await repository.insertDecision(trx, {
      meetingId: meeting.id,
      socNominalId: nominal.id,
      decision: input.decision,
      reason: input.reason ?? null,
      decidedBy: user.username,
      decidedAt: now,
    })
    const band = bandOf(input.decision)
    await repository.updateSocNominal(trx, nominal.id, {
      band,
      status: band ? 'selected' : input.decision,
      selectedOn: band ? (nominal.band === band ? nominal.selectedOn : meeting.heldOn) : nominal.selectedOn,
      releaseDateKnownOn: nominal.releaseDateKnownOn ?? (nominal.releaseDate ? meeting.heldOn : null),
      adoptedInCommunityOn: band === '1' && !nominal.inCustody ? meeting.heldOn : nominal.adoptedInCommunityOn,
    })
    await audit({
      action: 'soc.decision',
      subjectType: 'soc-nominal',
      subjectId: nominal.prisonerNumber,
      establishmentCode: nominal.establishmentCode,
      details: { meeting: meetingRef, decision: input.decision },
    })
  })
}

export function cohortUseCases(db: Db) {
  return {
    nominate: nominate.bind(null, db),
    meetings: meetings.bind(null, db),
    meeting: meeting.bind(null, db),
    createMeeting: createMeeting.bind(null, db),
    decide: decide.bind(null, db),
  }
}
