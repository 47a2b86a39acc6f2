import { sql } from 'kysely'
import { type CurrentUser, visibleTo } from '../../platform/access/user.ts'
import { type Actor, actorOf, recordAudit } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { csvObjects } from '../../platform/imports/csv.ts'
import { normalisePnc, PRISON_NUMBER } from '../people/rules.ts'
import { activeAlertsWithCode, closeAlert, insertAlert } from '../people/service.ts'
import {
  type Band,
  bandOf,
  type CohortDecision,
  DISPROPORTION_THRESHOLD,
  decisionProblems,
  dipSample,
  dueDates,
} from './rules.ts'

const OCGM_FLAG = 'DOCGM'

export const CHARACTERISTICS = ['ethnicity', 'religion', 'nationality', 'sex', 'age-band'] as const
export type Characteristic = (typeof CHARACTERISTICS)[number]

/** Use cases of SOC offender management; prison scope and compartments apply through the person's record. */
export function socService(db: Db) {
  const visiblePerson = (user: CurrentUser) =>
    visibleTo(user, { establishment: 'n.establishmentCode', compartment: 'n.compartment' })

  function nominalsQuery(executor: Executor, user: CurrentUser) {
    return executor
      .selectFrom('socNominal as s')
      .innerJoin('peopleNominal as n', 'n.id', 's.nominalId')
      .innerJoin('establishment as e', 'e.code', 'n.establishmentCode')
      .selectAll('s')
      .select([
        'n.ref as prisonerNumber',
        'n.firstName',
        'n.lastName',
        'n.establishmentCode',
        'e.name as establishmentName',
        'n.releaseDate',
        'n.sentenceStartDate',
        'n.inCustody',
        'n.securityCategory',
      ])
      .where(visiblePerson(user))
  }

  function withDueDates<
    T extends {
      band: string | null
      status: string
      selectedOn: string | null
      lastReview: string | null
      inCustody: boolean
      releaseDate: string | null
      sentenceStartDate: string | null
      releaseDateKnownOn: string | null
      releasedOn: string | null
      adoptedInCommunityOn: string | null
      communityPlanAgreedOn: string | null
      communityNotifiedOn: string | null
    },
  >(row: T) {
    return {
      ...row,
      dueDates: dueDates({
        band: row.status === 'selected' ? (row.band as Band) : null,
        selectedOn: row.selectedOn,
        lastReview: row.lastReview,
        inCustody: row.inCustody,
        releaseDate: row.releaseDate,
        sentenceStart: row.sentenceStartDate,
        releaseDateKnownOn: row.releaseDateKnownOn,
        releasedOn: row.releasedOn,
        adoptedInCommunityOn: row.adoptedInCommunityOn,
        communityPlanAgreedOn: row.communityPlanAgreedOn,
        communityNotifiedOn: row.communityNotifiedOn,
      }),
    }
  }

  async function socNominalOr404(trx: Executor, user: CurrentUser, prisonerNumber: string) {
    const row = await nominalsQuery(trx, user).where('n.ref', '=', prisonerNumber).executeTakeFirst()
    if (!row) throw new NotFoundError('That person is not a SOC nominal you can see')
    return row
  }

  async function personOr404(trx: Executor, user: CurrentUser, prisonerNumber: string, field = 'prisonerNumber') {
    const person = await trx
      .selectFrom('peopleNominal as n')
      .select(['n.id', 'n.ref', 'n.establishmentCode', 'n.kind'])
      .where('n.ref', '=', prisonerNumber)
      .where(visiblePerson(user))
      .executeTakeFirst()
    if (!person) throw ValidationError.field(field, `No person you can see has the reference ${prisonerNumber}`)
    return person
  }

  async function regionOf(trx: Executor, establishmentCode: string) {
    const e = await trx
      .selectFrom('establishment')
      .select('socuRegion')
      .where('code', '=', establishmentCode)
      .executeTakeFirstOrThrow()
    return e.socuRegion ?? 'Unassigned'
  }

  const service = {
    /** The SOC panel of a profile (SOC PF 4.6): band, status and groups; the caller has checked soc:read. */
    async profileSummary(nominalId: string) {
      const row = await db
        .selectFrom('socNominal')
        .select(['band', 'status', 'selectedOn', 'lastReview'])
        .where('nominalId', '=', nominalId)
        .executeTakeFirst()
      const groups = await db
        .selectFrom('socGroupMember as m')
        .innerJoin('socGroup as g', 'g.id', 'm.groupId')
        .select(['g.ref', 'g.name', 'm.role'])
        .where('m.nominalId', '=', nominalId)
        .execute()
      return { row, groups }
    },

    async list(user: CurrentUser, filter: { band?: Band; status?: string }) {
      let query = nominalsQuery(db, user)
      if (filter.band) query = query.where('s.band', '=', filter.band).where('s.status', '=', 'selected')
      if (filter.status) query = query.where('s.status', '=', filter.status)
      const rows = await query.orderBy('s.band').orderBy('n.lastName').limit(1000).execute()
      return rows.map(withDueDates)
    },

    /** A SOC nominal with its history. Band and plan details are need-to-know (soc:case). */
    async get(user: CurrentUser, prisonerNumber: string, correlationId: string | null) {
      const row = withDueDates(await socNominalOr404(db, user, prisonerNumber))
      const [decisions, reviews, triggers, disruptions, groups, actions] = await Promise.all([
        db
          .selectFrom('socDecision as d')
          .innerJoin('socMeeting as m', 'm.id', 'd.meetingId')
          .select(['d.decision', 'd.reason', 'd.decidedBy', 'd.decidedAt', 'm.ref as meetingRef', 'm.heldOn', 'm.kind'])
          .where('d.socNominalId', '=', row.id)
          .orderBy('d.id', 'desc')
          .execute(),
        db
          .selectFrom('socReview')
          .selectAll()
          .where('socNominalId', '=', row.id)
          .orderBy('reviewedOn', 'desc')
          .execute(),
        db
          .selectFrom('socTrigger')
          .selectAll()
          .where('socNominalId', '=', row.id)
          .orderBy('occurredOn', 'desc')
          .execute(),
        db
          .selectFrom('socDisruption')
          .selectAll()
          .where('socNominalId', '=', row.id)
          .orderBy('occurredOn', 'desc')
          .execute(),
        db
          .selectFrom('socGroupMember as gm')
          .innerJoin('socGroup as g', 'g.id', 'gm.groupId')
          .select(['g.ref', 'g.name', 'g.significance', 'gm.role'])
          .where('gm.nominalId', '=', row.nominalId)
          .execute(),
        user.can('soc:case')
          ? db.selectFrom('socPlanAction').selectAll().where('socNominalId', '=', row.id).orderBy('dueDate').execute()
          : Promise.resolve(null),
      ])
      // The other members of their groups whom the viewer may see: each links to the intelligence about them.
      const associates = groups.length
        ? await db
            .selectFrom('socGroupMember as mine')
            .innerJoin('socGroupMember as other', 'other.groupId', 'mine.groupId')
            .innerJoin('socGroup as g', 'g.id', 'other.groupId')
            .innerJoin('peopleNominal as n', 'n.id', 'other.nominalId')
            .select(['g.ref as groupRef', 'n.ref', 'n.firstName', 'n.lastName', 'other.role'])
            .where('mine.nominalId', '=', row.nominalId)
            .where('other.nominalId', '!=', row.nominalId)
            .where(visiblePerson(user))
            .distinct()
            .orderBy('g.ref')
            .orderBy('n.lastName')
            .execute()
        : []
      await recordAudit(db, actorOf(user, correlationId), {
        action: 'soc.nominal-viewed',
        subjectType: 'soc-nominal',
        subjectId: prisonerNumber,
        establishmentCode: row.establishmentCode,
      })
      return { nominal: row, decisions, reviews, triggers, disruptions, groups, associates, actions }
    },

    async nominate(
      user: CurrentUser,
      input: {
        prisonerNumber: string
        nominatedByType: string
        nominatorName: string
        rationale: string
        criteria: string[]
      },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const person = await personOr404(trx, user, input.prisonerNumber)
        if (person.kind !== 'prisoner')
          throw ValidationError.field('prisonerNumber', 'Only people held or supervised by HMPPS can be nominated')
        const existing = await trx
          .selectFrom('socNominal')
          .select(['status'])
          .where('nominalId', '=', person.id)
          .executeTakeFirst()
        if (existing && (existing.status === 'nominated' || existing.status === 'selected')) {
          throw ValidationError.field('prisonerNumber', 'This person is already nominated or in the cohort')
        }
        const values = {
          nominatedByType: input.nominatedByType,
          nominatedBy: user.username,
          nominatorName: input.nominatorName,
          rationale: input.rationale,
          nominatedAt: now,
          criteria: input.criteria,
          band: null,
          status: 'nominated',
        }
        if (existing) await trx.updateTable('socNominal').set(values).where('nominalId', '=', person.id).execute()
        else
          await trx
            .insertInto('socNominal')
            .values({ nominalId: person.id, ...values })
            .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.nominated',
            subjectType: 'soc-nominal',
            subjectId: person.ref,
            establishmentCode: person.establishmentCode,
            details: { by: input.nominatedByType, criteria: input.criteria },
          },
          now,
        )
        return { prisonerNumber: person.ref }
      })
    },

    meetings(user: CurrentUser) {
      let query = db.selectFrom('socMeeting').selectAll().orderBy('heldOn', 'desc').limit(200)
      if (user.establishmentCodes !== 'all') {
        query = query.where(eb =>
          eb.or([eb('establishmentCode', 'in', [...user.establishmentCodes]), eb('establishmentCode', 'is', null)]),
        )
      }
      return query.execute()
    },

    async meeting(user: CurrentUser, ref: string) {
      const meeting = await db.selectFrom('socMeeting').selectAll().where('ref', '=', ref).executeTakeFirst()
      if (!meeting || (meeting.establishmentCode && !user.inScope(meeting.establishmentCode))) throw new NotFoundError()
      const decisions = await db
        .selectFrom('socDecision as d')
        .innerJoin('socNominal as s', 's.id', 'd.socNominalId')
        .innerJoin('peopleNominal as n', 'n.id', 's.nominalId')
        .select([
          'd.decision',
          'd.reason',
          'd.decidedBy',
          'd.decidedAt',
          'n.ref as prisonerNumber',
          'n.firstName',
          'n.lastName',
        ])
        .where('d.meetingId', '=', meeting.id)
        .where(visiblePerson(user))
        .orderBy('d.id')
        .execute()
      const nominees = await service.list(user, { status: 'nominated' })
      const cohort = await service.list(user, { status: 'selected' })
      return { meeting, decisions, candidates: [...nominees, ...cohort] }
    },

    async createMeeting(
      user: CurrentUser,
      input: { kind: string; heldOn: string; attendees: string[]; notes?: string; establishmentCode?: string },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        if (input.establishmentCode && !user.inScope(input.establishmentCode))
          throw ValidationError.field('establishmentCode', 'Select a prison you oversee')
        const region = await regionOf(trx, input.establishmentCode ?? user.establishmentCode)
        const { rows } = await sql<{ n: number }>`select nextval('soc_meeting_seq') as n`.execute(trx)
        const ref = `SOCM-${now.getUTCFullYear()}-${String(rows[0].n).padStart(4, '0')}`
        await trx
          .insertInto('socMeeting')
          .values({
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
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.meeting-recorded',
            subjectType: 'soc-meeting',
            subjectId: ref,
            establishmentCode: input.establishmentCode ?? null,
            details: { kind: input.kind },
          },
          now,
        )
        return { ref }
      })
    },

    /** A cohort decision, always taken at a recorded meeting (SOC PF 4.15, 4.24, 4.58). */
    async decide(
      user: CurrentUser,
      meetingRef: string,
      input: { prisonerNumber: string; decision: CohortDecision; reason?: string },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const meeting = await trx.selectFrom('socMeeting').selectAll().where('ref', '=', meetingRef).executeTakeFirst()
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
        await trx
          .insertInto('socDecision')
          .values({
            meetingId: meeting.id,
            socNominalId: nominal.id,
            decision: input.decision,
            reason: input.reason ?? null,
            decidedBy: user.username,
            decidedAt: now,
          })
          .execute()
        const band = bandOf(input.decision)
        await trx
          .updateTable('socNominal')
          .set({
            band,
            status: band ? 'selected' : input.decision,
            selectedOn: band ? (nominal.band === band ? nominal.selectedOn : meeting.heldOn) : nominal.selectedOn,
            releaseDateKnownOn: nominal.releaseDateKnownOn ?? (nominal.releaseDate ? meeting.heldOn : null),
            adoptedInCommunityOn: band === '1' && !nominal.inCustody ? meeting.heldOn : nominal.adoptedInCommunityOn,
          })
          .where('id', '=', nominal.id)
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.decision',
            subjectType: 'soc-nominal',
            subjectId: nominal.prisonerNumber,
            establishmentCode: nominal.establishmentCode,
            details: { meeting: meetingRef, decision: input.decision },
          },
          now,
        )
      })
    },

    async review(
      user: CurrentUser,
      prisonerNumber: string,
      input: { reviewedOn: string; outcome: string; notes?: string },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const nominal = await socNominalOr404(trx, user, prisonerNumber)
        if (nominal.status !== 'selected')
          throw ValidationError.field('reviewedOn', 'Only people in the cohort are reviewed')
        if (input.reviewedOn < londonToday(nominal.nominatedAt))
          throw ValidationError.field('reviewedOn', 'The review date cannot be before the nomination')
        if (input.reviewedOn > londonToday(now))
          throw ValidationError.field('reviewedOn', 'The review date cannot be in the future')
        const kind = !nominal.inCustody ? 'post-release' : nominal.band === '1' ? 'band-1-quarterly' : 'band-2-monthly'
        if (nominal.band === '1' && !user.can('soc:manage'))
          throw new ForbiddenError('Band 1 reviews are SOCU’s (SOC PF 4.47).')
        await trx
          .insertInto('socReview')
          .values({
            socNominalId: nominal.id,
            reviewedOn: input.reviewedOn,
            kind,
            outcome: input.outcome,
            notes: input.notes ?? null,
            meetingId: null,
            reviewedBy: user.username,
            recordedAt: now,
          })
          .execute()
        await trx.updateTable('socNominal').set({ lastReview: input.reviewedOn }).where('id', '=', nominal.id).execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.reviewed',
            subjectType: 'soc-nominal',
            subjectId: prisonerNumber,
            establishmentCode: nominal.establishmentCode,
            details: { kind, outcome: input.outcome },
          },
          now,
        )
      })
    },

    /** A case plan action. Band 1 plans are owned by SOCU (SOC PF 4.41); Band 2 are local (4.61). */
    async addAction(
      user: CurrentUser,
      prisonerNumber: string,
      input: { description: string; owner: string; dueDate: string; tactic: string },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const nominal = await socNominalOr404(trx, user, prisonerNumber)
        if (nominal.status !== 'selected')
          throw ValidationError.field('description', 'Only people in the cohort have a case plan')
        if (nominal.band === '1' && !user.can('soc:manage'))
          throw new ForbiddenError('Band 1 case plans are created and owned by SOCU (SOC PF 4.41).')
        await trx
          .insertInto('socPlanAction')
          .values({
            socNominalId: nominal.id,
            ...input,
            status: 'open',
            createdBy: user.username,
            createdAt: now,
            updatedBy: null,
            updatedAt: null,
          })
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.plan-action-added',
            subjectType: 'soc-nominal',
            subjectId: prisonerNumber,
            establishmentCode: nominal.establishmentCode,
            details: { tactic: input.tactic, dueDate: input.dueDate },
          },
          now,
        )
      })
    },

    async setActionStatus(
      user: CurrentUser,
      prisonerNumber: string,
      actionId: number,
      status: 'done' | 'cancelled' | 'open',
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const nominal = await socNominalOr404(trx, user, prisonerNumber)
        if (nominal.band === '1' && !user.can('soc:manage')) throw new ForbiddenError()
        const updated = await trx
          .updateTable('socPlanAction')
          .set({ status, updatedBy: user.username, updatedAt: now })
          .where('id', '=', actionId)
          .where('socNominalId', '=', nominal.id)
          .returning('id')
          .executeTakeFirst()
        if (!updated) throw new NotFoundError()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.plan-action-updated',
            subjectType: 'soc-nominal',
            subjectId: prisonerNumber,
            establishmentCode: nominal.establishmentCode,
            details: { actionId, status },
          },
          now,
        )
      })
    },

    /** Records a release hand-off step: the SOCU community team notified (4.39, 4.62), or the community plan agreed (4.52, 4.54). */
    async recordMilestone(
      user: CurrentUser,
      prisonerNumber: string,
      input: { milestone: 'community-notified' | 'community-plan-agreed'; on: string },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const nominal = await socNominalOr404(trx, user, prisonerNumber)
        if (nominal.status !== 'selected')
          throw ValidationError.field('milestone', 'Only people in the cohort have a release hand-off')
        if (input.on > londonToday(now)) throw ValidationError.field('on', 'The date cannot be in the future')
        await trx
          .updateTable('socNominal')
          .set(
            input.milestone === 'community-notified'
              ? { communityNotifiedOn: input.on }
              : { communityPlanAgreedOn: input.on },
          )
          .where('id', '=', nominal.id)
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: `soc.${input.milestone}`,
            subjectType: 'soc-nominal',
            subjectId: prisonerNumber,
            establishmentCode: nominal.establishmentCode,
            details: { on: input.on },
          },
          now,
        )
      })
    },

    /** A trigger point (SOC PF 4.35–4.36, 4.49–4.50): recorded, and flagged to SOCU's work list. */
    async trigger(
      user: CurrentUser,
      prisonerNumber: string,
      input: { code: string; occurredOn: string; details: string },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const nominal = await nominalsQuery(trx, user).where('n.ref', '=', prisonerNumber).executeTakeFirst()
        if (nominal?.status !== 'selected')
          throw ValidationError.field('prisonerNumber', 'Trigger points are recorded for people in the SOC cohort only')
        if (input.occurredOn > londonToday(now))
          throw ValidationError.field('occurredOn', 'The date cannot be in the future')
        await trx
          .insertInto('socTrigger')
          .values({
            socNominalId: nominal.id,
            establishmentCode: nominal.establishmentCode,
            ...input,
            recordedBy: user.username,
            recordedAt: now,
            seenBySocuAt: null,
            seenBy: null,
          })
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.trigger',
            subjectType: 'soc-nominal',
            subjectId: prisonerNumber,
            establishmentCode: nominal.establishmentCode,
            details: { code: input.code, band: nominal.band },
          },
          now,
        )
      })
    },

    /** SOCU's work list: trigger points not yet seen, Band 1 first. */
    workList(user: CurrentUser) {
      return db
        .selectFrom('socTrigger as t')
        .innerJoin('socNominal as s', 's.id', 't.socNominalId')
        .innerJoin('peopleNominal as n', 'n.id', 's.nominalId')
        .select([
          't.id',
          't.code',
          't.occurredOn',
          't.details',
          't.recordedBy',
          't.recordedAt',
          't.establishmentCode',
          's.band',
          'n.ref as prisonerNumber',
          'n.firstName',
          'n.lastName',
        ])
        .where('t.seenBySocuAt', 'is', null)
        .where(visiblePerson(user))
        .orderBy('s.band')
        .orderBy('t.recordedAt')
        .execute()
    },

    async markTriggerSeen(user: CurrentUser, id: number, now = new Date()) {
      const trigger = await db
        .selectFrom('socTrigger')
        .select(['establishmentCode'])
        .where('id', '=', id)
        .executeTakeFirst()
      if (!trigger || !user.inScope(trigger.establishmentCode)) throw new NotFoundError()
      await db.transaction().execute(async trx => {
        await trx
          .updateTable('socTrigger')
          .set({ seenBySocuAt: now, seenBy: user.username })
          .where('id', '=', id)
          .execute()
        await recordAudit(
          trx,
          actorOf(user, null),
          {
            action: 'soc.trigger-seen',
            subjectType: 'soc-trigger',
            subjectId: String(id),
            establishmentCode: trigger.establishmentCode,
          },
          now,
        )
      })
    },

    /** A disruption (SOC PF 5.6): what was done, against whom, its impact; moderated later. */
    async disrupt(
      user: CurrentUser,
      input: { prisonerNumber?: string; groupRef?: string; occurredOn: string; what: string; impact: string },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        let socNominalId: string | null = null
        let establishmentCode: string | null = null
        let groupId: string | null = null
        if (input.prisonerNumber) {
          const nominal = await socNominalOr404(trx, user, input.prisonerNumber).catch(() => {
            throw ValidationError.field('prisonerNumber', 'Record disruptions against SOC nominals you can see')
          })
          socNominalId = nominal.id
          establishmentCode = nominal.establishmentCode
        }
        if (input.groupRef) {
          const group = await trx
            .selectFrom('socGroup')
            .select('id')
            .where('ref', '=', input.groupRef)
            .executeTakeFirst()
          if (!group) throw ValidationError.field('groupRef', 'No organised crime group has that reference')
          groupId = group.id
        }
        if (!socNominalId && !groupId)
          throw ValidationError.field('prisonerNumber', 'Say who was disrupted: a nominal or a group')
        const created = await trx
          .insertInto('socDisruption')
          .values({
            socNominalId,
            groupId,
            establishmentCode,
            occurredOn: input.occurredOn,
            what: input.what,
            impact: input.impact,
            recordedBy: user.username,
            recordedAt: now,
            moderatedImpact: null,
            moderationNotes: null,
            moderatedBy: null,
            moderatedAt: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.disruption',
            subjectType: 'soc-disruption',
            subjectId: created.id,
            establishmentCode,
            details: { impact: input.impact },
          },
          now,
        )
        return { id: created.id }
      })
    },

    disruptions(user: CurrentUser) {
      let query = db
        .selectFrom('socDisruption as d')
        .leftJoin('socNominal as s', 's.id', 'd.socNominalId')
        .leftJoin('peopleNominal as n', 'n.id', 's.nominalId')
        .leftJoin('socGroup as g', 'g.id', 'd.groupId')
        .selectAll('d')
        .select(['n.ref as prisonerNumber', 'n.firstName', 'n.lastName', 'g.ref as groupRef', 'g.name as groupName'])
      if (user.establishmentCodes !== 'all') {
        query = query.where(eb =>
          eb.or([eb('d.establishmentCode', 'in', [...user.establishmentCodes]), eb('d.establishmentCode', 'is', null)]),
        )
      }
      return query.orderBy('d.occurredOn', 'desc').limit(500).execute()
    },

    async moderate(
      user: CurrentUser,
      id: string,
      input: { moderation: string; moderatedImpact?: string; notes?: string },
      correlationId: string,
      now = new Date(),
    ) {
      await db.transaction().execute(async trx => {
        const found = await trx
          .selectFrom('socDisruption')
          .select(['establishmentCode', 'moderation'])
          .where('id', '=', id)
          .executeTakeFirst()
        if (!found || (found.establishmentCode && !user.inScope(found.establishmentCode))) throw new NotFoundError()
        if (found.moderation !== 'pending') throw new ConflictError('This disruption has already been moderated.')
        await trx
          .updateTable('socDisruption')
          .set({
            moderation: input.moderation,
            moderatedImpact: input.moderatedImpact ?? null,
            moderationNotes: input.notes ?? null,
            moderatedBy: user.username,
            moderatedAt: now,
          })
          .where('id', '=', id)
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.disruption-moderated',
            subjectType: 'soc-disruption',
            subjectId: id,
            establishmentCode: found.establishmentCode,
            details: { moderation: input.moderation },
          },
          now,
        )
      })
    },

    /** The monthly Band 1 briefing for a Governor (SOC PF 4.40). */
    async briefing(user: CurrentUser, establishmentCode: string) {
      if (!user.inScope(establishmentCode)) throw new NotFoundError()
      const band1 = (await service.list(user, { band: '1' })).filter(n => n.establishmentCode === establishmentCode)
      const ids = band1.map(n => n.id)
      const [triggers, disruptions] = ids.length
        ? await Promise.all([
            db
              .selectFrom('socTrigger')
              .selectAll()
              .where('socNominalId', 'in', ids)
              .orderBy('occurredOn', 'desc')
              .execute(),
            db
              .selectFrom('socDisruption')
              .selectAll()
              .where('socNominalId', 'in', ids)
              .orderBy('occurredOn', 'desc')
              .execute(),
          ])
        : [[], []]
      const establishment = await db
        .selectFrom('establishment')
        .select(['code', 'name'])
        .where('code', '=', establishmentCode)
        .executeTakeFirstOrThrow()
      return { establishment, band1, triggers, disruptions }
    },

    // ---- OCGM mapping ----

    /**
     * Imports the OCGM mapping (CSV), matching members on strong identifiers only (prison number, then PNC; never a
     * name), lists unmatched rows for a person to resolve, and reconciles the OCG nominal flag (SOC PF 4.8).
     */
    async importOcgm(
      actor: Actor,
      input: { fileName: string; text: string },
      options: { onProgress?: (done: number, total: number) => void } = {},
      now = new Date(),
    ) {
      const { header, rows } = csvObjects(input.text)
      const required = ['group_ref', 'group_name']
      const missing = required.filter(column => !header.includes(column))
      if (missing.length)
        throw ValidationError.field(
          'file',
          `The file needs the columns ${missing.join(', ')} (and prison_number, pnc, name, date_of_birth, role, significance)`,
        )
      const today = londonToday(now)
      const rejected: { line: number; reasons: string[] }[] = []
      const valid: {
        line: number
        groupRef: string
        groupName: string
        significance: string | null
        prisonNumber: string | null
        pnc: string | null
        name: string | null
        dateOfBirth: string | null
        role: string | null
      }[] = []
      for (const { line, fields } of rows) {
        const reasons: string[] = []
        const prisonNumber = fields.prison_number?.toUpperCase() || null
        const pnc = fields.pnc ? normalisePnc(fields.pnc) : null
        if (!fields.group_ref) reasons.push('group_ref is missing')
        if (!fields.group_name) reasons.push('group_name is missing')
        if (prisonNumber && !PRISON_NUMBER.test(prisonNumber))
          reasons.push(`prison_number ${fields.prison_number} is not a prison number`)
        if (fields.pnc && !pnc) reasons.push(`pnc ${fields.pnc} is not a valid PNC number`)
        if (fields.date_of_birth && !/^\d{4}-\d{2}-\d{2}$/.test(fields.date_of_birth))
          reasons.push('date_of_birth must be YYYY-MM-DD')
        if (!prisonNumber && !fields.pnc && !fields.name)
          reasons.push('the member has no identifier: give a prison number, PNC or name')
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
      return db.transaction().execute(async trx => {
        const importRow = await trx
          .insertInto('socOcgmImport')
          .values({
            fileName: input.fileName,
            importedAt: now,
            importedBy: actor.username,
            rows: rows.length,
            matched: 0,
            unmatched: 0,
            rejected: rejected.length,
            flagsAdded: 0,
            flagsClosed: 0,
            report: JSON.stringify({}),
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        const groupIds = new Map<string, string>()
        for (const row of valid) {
          if (groupIds.has(row.groupRef)) continue
          const group = await trx
            .insertInto('socGroup')
            .values({ ref: row.groupRef, name: row.groupName, significance: row.significance, updatedAt: now })
            .onConflict(oc =>
              oc
                .column('ref')
                .doUpdateSet({ name: row.groupName, significance: row.significance, active: true, updatedAt: now }),
            )
            .returning('id')
            .executeTakeFirstOrThrow()
          groupIds.set(row.groupRef, group.id)
        }
        const previous = await trx
          .selectFrom('socGroupMember')
          .select(['line', 'prisonNumber', 'pncNumber', 'nominalId', 'resolvedBy', 'name', 'dateOfBirth'])
          .execute()
        await trx.deleteFrom('socGroupMember').execute()
        let matched = 0
        const unmatched: {
          line: number
          name: string | null
          prisonNumber: string | null
          pnc: string | null
          group: string
        }[] = []
        for (const [index, row] of valid.entries()) {
          let nominalId: string | null = null
          if (row.prisonNumber) {
            nominalId =
              (
                await trx
                  .selectFrom('peopleNominal')
                  .select('id')
                  .where('prisonNumber', '=', row.prisonNumber)
                  .executeTakeFirst()
              )?.id ?? null
          }
          if (!nominalId && row.pnc) {
            nominalId =
              (await trx.selectFrom('peopleNominal').select('id').where('pncNumber', '=', row.pnc).executeTakeFirst())
                ?.id ?? null
          }
          // A member resolved by hand at an earlier import keeps that resolution while the same row stays mapped.
          const resolved = previous.find(
            p =>
              p.resolvedBy &&
              p.nominalId &&
              p.name === row.name &&
              p.dateOfBirth === row.dateOfBirth &&
              p.pncNumber === row.pnc &&
              p.prisonNumber === row.prisonNumber,
          )
          if (!nominalId && resolved) nominalId = resolved.nominalId
          if (nominalId) matched++
          else
            unmatched.push({
              line: row.line,
              name: row.name,
              prisonNumber: row.prisonNumber,
              pnc: row.pnc,
              group: row.groupRef,
            })
          await trx
            .insertInto('socGroupMember')
            .values({
              groupId: groupIds.get(row.groupRef)!,
              nominalId,
              prisonNumber: row.prisonNumber,
              pncNumber: row.pnc,
              name: row.name,
              dateOfBirth: row.dateOfBirth,
              role: row.role,
              importId: importRow.id,
              line: row.line,
              resolvedBy: !nominalId || !resolved ? null : resolved.resolvedBy,
            })
            .execute()
          options.onProgress?.(index + 1, valid.length)
        }
        const reconciliation = await reconcileFlags(trx, actor, today, now)
        const report = { rejected, unmatched, flagsAdded: reconciliation.added, flagsClosed: reconciliation.closed }
        await trx
          .updateTable('socOcgmImport')
          .set({
            matched,
            unmatched: unmatched.length,
            flagsAdded: reconciliation.added.length,
            flagsClosed: reconciliation.closed.length,
            report: JSON.stringify(report),
          })
          .where('id', '=', importRow.id)
          .execute()
        await recordAudit(
          trx,
          actor,
          {
            action: 'soc.ocgm-imported',
            subjectType: 'ocgm-import',
            subjectId: importRow.id,
            details: {
              rows: rows.length,
              matched,
              unmatched: unmatched.length,
              rejected: rejected.length,
              flagsAdded: reconciliation.added.length,
              flagsClosed: reconciliation.closed.length,
            },
          },
          now,
        )
        return { id: importRow.id, rows: rows.length, matched, ...report }
      })
    },

    async unmatchedMembers(user: CurrentUser) {
      if (!user.can('soc:manage')) throw new ForbiddenError()
      return db
        .selectFrom('socGroupMember as m')
        .innerJoin('socGroup as g', 'g.id', 'm.groupId')
        .select([
          'm.id',
          'm.line',
          'm.name',
          'm.prisonNumber',
          'm.pncNumber',
          'm.dateOfBirth',
          'm.role',
          'g.ref as groupRef',
          'g.name as groupName',
        ])
        .where('m.nominalId', 'is', null)
        .orderBy('g.ref')
        .orderBy('m.line')
        .execute()
    },

    /** A person resolves an unmatched member to a nominal they have checked; the flag follows at once. */
    async resolveMember(
      user: CurrentUser,
      memberId: number,
      prisonerNumber: string,
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const member = await trx
          .selectFrom('socGroupMember')
          .select(['id', 'nominalId'])
          .where('id', '=', memberId)
          .executeTakeFirst()
        if (!member) throw new NotFoundError()
        if (member.nominalId) throw new ConflictError('This member is already matched.')
        const person = await personOr404(trx, user, prisonerNumber)
        await trx
          .updateTable('socGroupMember')
          .set({ nominalId: person.id, resolvedBy: user.username })
          .where('id', '=', memberId)
          .execute()
        const reconciliation = await reconcileFlags(trx, actorOf(user, correlationId), londonToday(now), now)
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.ocgm-member-resolved',
            subjectType: 'nominal',
            subjectId: person.ref,
            establishmentCode: person.establishmentCode,
            details: { memberId },
          },
          now,
        )
        return reconciliation
      })
    },

    imports() {
      return db.selectFrom('socOcgmImport').selectAll().orderBy('importedAt', 'desc').limit(50).execute()
    },

    async groups(user: CurrentUser) {
      const groups = await db.selectFrom('socGroup').selectAll().where('active', '=', true).orderBy('ref').execute()
      const members = await db
        .selectFrom('socGroupMember as m')
        .leftJoin('peopleNominal as n', 'n.id', 'm.nominalId')
        .select([
          'm.groupId',
          'm.role',
          'm.name',
          'n.ref',
          'n.firstName',
          'n.lastName',
          'n.establishmentCode',
          'n.compartment',
        ])
        .execute()
      return groups.map(group => ({
        ...group,
        members: members
          .filter(m => m.groupId === group.id)
          .map(m =>
            m.ref && user.inScope(m.establishmentCode!) && user.holds(m.compartment)
              ? m
              : { ...m, ref: null, firstName: null, lastName: null, establishmentCode: null },
          ),
      }))
    },

    // ---- Equality dip sample ----

    /** SOC PF 5.5 / 6.1: the cohort against the population of the same prisons, by one protected characteristic. */
    async dipSample(user: CurrentUser, input: { scope: string; characteristic: Characteristic }, now = new Date()) {
      if (!user.can('people:protected-characteristics')) throw new ForbiddenError()
      const codes = await scopeCodes(db, user, input.scope)
      const today = londonToday(now)
      const groupExpression =
        input.characteristic === 'age-band'
          ? sql<string>`case when n.date_of_birth is null then 'Not recorded'
              when date_part('year', age(${today}::date, n.date_of_birth)) < 25 then '18 to 24'
              when date_part('year', age(${today}::date, n.date_of_birth)) < 35 then '25 to 34'
              when date_part('year', age(${today}::date, n.date_of_birth)) < 50 then '35 to 49'
              else '50 and over' end`
          : sql<string>`coalesce(${sql.ref(`pc.${characteristicColumn(input.characteristic)}`)}, 'Not recorded')`
      const { rows } = await sql<{ group: string; cohort: number; population: number }>`
        select ${groupExpression} as "group",
          count(*) filter (where s.status = 'selected')::int as cohort,
          count(*)::int as population
        from people_nominal n
        left join people_protected_characteristics pc on pc.nominal_id = n.id
        left join soc_nominal s on s.nominal_id = n.id
        where n.kind = 'prisoner' and n.in_custody and n.establishment_code = any(${codes}::text[])
        group by 1 order by 1`.execute(db)
      return {
        scope: input.scope,
        codes,
        characteristic: input.characteristic,
        threshold: DISPROPORTION_THRESHOLD,
        rows: dipSample(rows),
      }
    },

    async saveDipSample(
      user: CurrentUser,
      input: { scope: string; characteristic: Characteristic; correctiveAction?: string },
      correlationId: string,
      now = new Date(),
    ) {
      const sample = await service.dipSample(user, input, now)
      const created = await db.transaction().execute(async trx => {
        const row = await trx
          .insertInto('socDipSample')
          .values({
            scope: input.scope,
            characteristic: input.characteristic,
            takenOn: londonToday(now),
            threshold: sample.threshold,
            rows: JSON.stringify(sample.rows),
            correctiveAction: input.correctiveAction ?? null,
            takenBy: user.username,
            takenAt: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.dip-sample',
            subjectType: 'soc-dip-sample',
            subjectId: row.id,
            details: {
              scope: input.scope,
              characteristic: input.characteristic,
              flagged: sample.rows.filter(r => r.disproportionate).map(r => r.group),
            },
          },
          now,
        )
        return row
      })
      return { id: created.id, ...sample }
    },

    dipSamples() {
      return db.selectFrom('socDipSample').selectAll().orderBy('takenAt', 'desc').limit(50).execute()
    },

    async recordVisit(
      user: CurrentUser,
      input: { establishmentCode: string; visitedOn: string; findings: string },
      correlationId: string,
      now = new Date(),
    ) {
      if (!user.inScope(input.establishmentCode))
        throw ValidationError.field('establishmentCode', 'Select a prison in your region')
      await db.transaction().execute(async trx => {
        await trx
          .insertInto('socAssuranceVisit')
          .values({ ...input, visitedBy: user.username, recordedAt: now })
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'soc.assurance-visit',
            subjectType: 'establishment',
            subjectId: input.establishmentCode,
            establishmentCode: input.establishmentCode,
          },
          now,
        )
      })
    },

    visits(user: CurrentUser) {
      let query = db.selectFrom('socAssuranceVisit').selectAll().orderBy('visitedOn', 'desc').limit(200)
      if (user.establishmentCodes !== 'all')
        query = query.where('establishmentCode', 'in', [...user.establishmentCodes])
      return query.execute()
    },
  }
  return service
}
export type SocService = ReturnType<typeof socService>

function characteristicColumn(characteristic: Exclude<Characteristic, 'age-band'>) {
  return ({ ethnicity: 'ethnicity', religion: 'religion', nationality: 'nationality', sex: 'sex' } as const)[
    characteristic
  ]
}

/** An establishment code, or the user's whole region, as establishment codes in scope. */
async function scopeCodes(db: Db, user: CurrentUser, scope: string): Promise<string[]> {
  if (/^[A-Z]{3}$/.test(scope)) {
    if (!user.inScope(scope)) throw ValidationError.field('scope', 'Select a prison you oversee')
    return [scope]
  }
  const rows = await db.selectFrom('establishment').select('code').where('socuRegion', '=', scope).execute()
  const codes = rows.map(r => r.code).filter(code => user.inScope(code))
  if (codes.length === 0) throw ValidationError.field('scope', 'Select your region or a prison in it')
  return codes
}

/**
 * SOC PF 4.8: every mapped member in custody carries the OCG nominal flag; a flag set by the mapping is closed when
 * the person is no longer mapped. Flags set by hand or by NOMIS are left as they are.
 */
async function reconcileFlags(trx: Executor, actor: Actor, today: string, now: Date) {
  const mapped = await trx
    .selectFrom('socGroupMember as m')
    .innerJoin('peopleNominal as n', 'n.id', 'm.nominalId')
    .select(['n.id', 'n.ref'])
    .where('n.inCustody', '=', true)
    .distinct()
    .execute()
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
