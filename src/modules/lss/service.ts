import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, recordAudit } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import type { EvidenceSource } from '../../platform/evidence/evidence.ts'
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import {
  type AmendmentStatus,
  type ApproverRole,
  amendmentStatus,
  approvalsStillRequired,
  assessmentSupportsAssurance,
  type Decision,
  type InstructionText,
  mayDecide,
  modelStatement,
  type RelatesTo,
  requiredApprovals,
  signatureProblem,
  textHash,
} from './rules.ts'

export type InstructionInput = InstructionText & {
  riskArea: string
  title: string
  owner: string
  nationalPolicyUrl?: string
  reviewDue?: string
  supportingTools: { title: string; url: string }[]
}

export type AmendmentInput = InstructionText & {
  instructionId: string
  change: string
  reasoning: string
  relatesTo: RelatesTo
  pgdAgreement?: boolean
}

/** Use cases of the Local Security Strategy. Every change writes its audit event in the same transaction. */
export function lssService(db: Db, evidenceSources: readonly EvidenceSource[] = []) {
  async function instructionInScope(trx: Executor, user: CurrentUser, id: string) {
    const found = await trx.selectFrom('lssInstruction').selectAll().where('id', '=', id).executeTakeFirst()
    if (!found || !user.inScope(found.establishmentCode)) throw new NotFoundError('That instruction does not exist')
    return found
  }

  async function mayEdit(trx: Executor, user: CurrentUser, establishmentCode: string) {
    if (user.can('lss:manage', { establishmentCode })) return true
    const nominated = await trx
      .selectFrom('lssEditor')
      .select('username')
      .where('establishmentCode', '=', establishmentCode)
      .where('username', '=', user.username)
      .executeTakeFirst()
    return Boolean(nominated)
  }

  async function highSecurity(trx: Executor, establishmentCode: string) {
    const e = await trx
      .selectFrom('establishment')
      .select('highSecurity')
      .where('code', '=', establishmentCode)
      .executeTakeFirstOrThrow()
    return e.highSecurity
  }

  async function pgdRequired(trx: Executor, establishmentCode: string) {
    const s = await trx
      .selectFrom('lssSetting')
      .select('pgdRequired')
      .where('establishmentCode', '=', establishmentCode)
      .executeTakeFirst()
    return s?.pgdRequired ?? false
  }

  /** The amendment, locked for this transaction, if it is in the user's scope. */
  async function lockAmendment(trx: Executor, user: CurrentUser, id: string) {
    const amendment = await trx
      .selectFrom('lssAmendment')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!amendment || !user.inScope(amendment.establishmentCode))
      throw new NotFoundError('That amendment does not exist')
    return amendment
  }

  async function decisionsOf(trx: Executor, amendmentId: string) {
    return trx
      .selectFrom('lssAmendmentDecision')
      .selectAll()
      .where('amendmentId', '=', amendmentId)
      .orderBy('id')
      .execute()
  }

  /** The amendment as a person or system sees it, with its route, decisions and what is still required. */
  async function amendmentView(trx: Executor, amendmentId: string) {
    const amendment = await trx
      .selectFrom('lssAmendment as a')
      .innerJoin('lssInstruction as i', 'i.id', 'a.instructionId')
      .selectAll('a')
      .select(['i.title as instructionTitle', 'i.ref as instructionRef', 'i.riskArea', 'i.currentVersion'])
      .where('a.id', '=', amendmentId)
      .executeTakeFirstOrThrow()
    const decisions = await decisionsOf(trx, amendmentId)
    const base = await trx
      .selectFrom('lssInstructionVersion')
      .selectAll()
      .where('instructionId', '=', amendment.instructionId)
      .where('version', '=', amendment.baseVersion)
      .executeTakeFirstOrThrow()
    const route = amendment.requiredApprovals as ApproverRole[]
    return {
      amendment,
      base,
      decisions,
      requiredApprovals: OPEN.includes(amendment.status)
        ? approvalsStillRequired(route, toDecisions(decisions), amendment.textHash)
        : [],
    }
  }

  async function publish(
    trx: Executor,
    amendment: { id: string; instructionId: string } & InstructionText,
    by: string,
    now: Date,
  ) {
    const instruction = await trx
      .selectFrom('lssInstruction')
      .select(['currentVersion'])
      .where('id', '=', amendment.instructionId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const version = instruction.currentVersion + 1
    await trx
      .insertInto('lssInstructionVersion')
      .values({
        instructionId: amendment.instructionId,
        version,
        aimAndPurpose: amendment.aimAndPurpose,
        nationalReference: amendment.nationalReference,
        localReference: amendment.localReference,
        procedures: amendment.procedures,
        textHash: textHash(amendment),
        amendmentId: amendment.id,
        publishedAt: now,
        publishedBy: by,
      })
      .execute()
    await trx
      .updateTable('lssInstruction')
      .set({ currentVersion: version })
      .where('id', '=', amendment.instructionId)
      .execute()
    return version
  }

  const service = {
    async strategy(user: CurrentUser, establishmentCode: string) {
      if (!user.inScope(establishmentCode)) throw new NotFoundError()
      const instructions = await db
        .selectFrom('lssInstruction as i')
        .innerJoin('lssInstructionVersion as v', join =>
          join.onRef('v.instructionId', '=', 'i.id').onRef('v.version', '=', 'i.currentVersion'),
        )
        .leftJoin('lssAcknowledgement as k', join =>
          join
            .onRef('k.instructionId', '=', 'i.id')
            .onRef('k.version', '=', 'i.currentVersion')
            .on('k.username', '=', user.username),
        )
        .select([
          'i.id',
          'i.ref',
          'i.riskArea',
          'i.title',
          'i.owner',
          'i.nationalPolicyUrl',
          'i.supportingTools',
          'i.reviewDue',
          'i.currentVersion',
          'v.aimAndPurpose',
          'v.nationalReference',
          'v.localReference',
          'v.procedures',
          'v.publishedAt',
          'k.acknowledgedAt',
        ])
        .where('i.establishmentCode', '=', establishmentCode)
        .orderBy('i.riskArea')
        .orderBy('i.title')
        .execute()
      const establishment = await db
        .selectFrom('establishment')
        .select(['code', 'name', 'highSecurity'])
        .where('code', '=', establishmentCode)
        .executeTakeFirstOrThrow()
      return { establishment, instructions, hash: lssHash(instructions) }
    },

    async instruction(user: CurrentUser, id: string) {
      const instruction = await instructionInScope(db, user, id)
      const versions = await db
        .selectFrom('lssInstructionVersion')
        .selectAll()
        .where('instructionId', '=', id)
        .orderBy('version', 'desc')
        .execute()
      const amendments = await db
        .selectFrom('lssAmendment')
        .select(['id', 'ref', 'status', 'proposedAt', 'proposer', 'change'])
        .where('instructionId', '=', id)
        .orderBy('proposedAt', 'desc')
        .execute()
      const acknowledged = await db
        .selectFrom('lssAcknowledgement')
        .select(['version', 'acknowledgedAt'])
        .where('instructionId', '=', id)
        .where('username', '=', user.username)
        .orderBy('version', 'desc')
        .executeTakeFirst()
      return {
        instruction,
        versions,
        amendments,
        acknowledged: acknowledged ?? null,
        canEdit: await mayEdit(db, user, instruction.establishmentCode),
      }
    },

    async createInstruction(user: CurrentUser, input: InstructionInput, correlationId: string, now = new Date()) {
      return db.transaction().execute(async trx => {
        const establishmentCode = user.establishmentCode
        if (!(await mayEdit(trx, user, establishmentCode)))
          throw new ForbiddenError('Only the LSS owner or a nominated editor can add instructions.')
        const { rows } = await sql<{ n: number }>`select nextval('lss_instruction_seq') as n`.execute(trx)
        const ref = `LI-${establishmentCode}-${String(rows[0].n).padStart(4, '0')}`
        const created = await trx
          .insertInto('lssInstruction')
          .values({
            ref,
            establishmentCode,
            riskArea: input.riskArea,
            title: input.title,
            owner: input.owner,
            nationalPolicyUrl: input.nationalPolicyUrl ?? null,
            supportingTools: JSON.stringify(input.supportingTools),
            reviewDue: input.reviewDue ?? null,
            createdAt: now,
            createdBy: user.username,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await trx
          .insertInto('lssInstructionVersion')
          .values({
            instructionId: created.id,
            version: 1,
            ...pickText(input),
            textHash: textHash(input),
            amendmentId: null,
            publishedAt: now,
            publishedBy: user.username,
          })
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          { action: 'lss.instruction-created', subjectType: 'lss-instruction', subjectId: ref, establishmentCode },
          now,
        )
        return { id: created.id, ref }
      })
    },

    /**
     * A Notification of Amendment (LSS PF 4.13): the current version and the proposed text are both kept, the
     * route is computed by the rules, and only one amendment per instruction may be open.
     */
    async propose(user: CurrentUser, input: AmendmentInput, correlationId: string, now = new Date()) {
      return db.transaction().execute(async trx => {
        const instruction = await instructionInScope(trx, user, input.instructionId)
        if (!(await mayEdit(trx, user, instruction.establishmentCode))) {
          throw new ForbiddenError('Only the LSS owner or a nominated editor can propose amendments.')
        }
        const open = await trx
          .selectFrom('lssAmendment')
          .select('ref')
          .where('instructionId', '=', instruction.id)
          .where('status', 'in', [...OPEN])
          .executeTakeFirst()
        if (open)
          throw ValidationError.field(
            'instructionId',
            `Amendment ${open.ref} to this instruction is still open: decide or withdraw it first`,
          )
        const current = await trx
          .selectFrom('lssInstructionVersion')
          .selectAll()
          .where('instructionId', '=', instruction.id)
          .where('version', '=', instruction.currentVersion)
          .executeTakeFirstOrThrow()
        const hash = textHash(input)
        if (hash === current.textHash)
          throw ValidationError.field('procedures', 'The proposed text is the same as the current version: change it')
        const route = requiredApprovals({
          relatesTo: input.relatesTo,
          highSecurity: await highSecurity(trx, instruction.establishmentCode),
          pgdRequiredLocally: await pgdRequired(trx, instruction.establishmentCode),
          governorChoosesPgd: input.pgdAgreement ?? false,
        })
        const { rows } = await sql<{ n: number }>`select nextval('lss_amendment_seq') as n`.execute(trx)
        const ref = `AMD-${instruction.establishmentCode}-${now.getUTCFullYear()}-${String(rows[0].n).padStart(4, '0')}`
        const created = await trx
          .insertInto('lssAmendment')
          .values({
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
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'lss.amendment-proposed',
            subjectType: 'lss-amendment',
            subjectId: ref,
            establishmentCode: instruction.establishmentCode,
            details: { route, relatesTo: input.relatesTo },
          },
          now,
        )
        return amendmentView(trx, created.id)
      })
    },

    async amendment(user: CurrentUser, id: string) {
      const view = await amendmentView(db, id).catch(() => null)
      if (!view || !user.inScope(view.amendment.establishmentCode))
        throw new NotFoundError('That amendment does not exist')
      return view
    },

    async amendmentByRef(user: CurrentUser, ref: string) {
      const found = await db.selectFrom('lssAmendment').select('id').where('ref', '=', ref).executeTakeFirst()
      if (!found) throw new NotFoundError('That amendment does not exist')
      return service.amendment(user, found.id)
    },

    /**
     * A decision by the approver whose turn it is. `seenVersion` is the row version the person decided on: if
     * someone else decided first, this one is refused and told so. Final approval publishes the new version.
     */
    async decide(
      user: CurrentUser,
      id: string,
      input: { decision: 'approve' | 'reject'; reason?: string; seenVersion?: number },
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const amendment = await lockAmendment(trx, user, id)
        if (input.seenVersion !== undefined && input.seenVersion !== amendment.rowVersion) {
          throw new ConflictError(
            'Someone else decided or changed this amendment while you were reading it. Read it again before deciding.',
          )
        }
        const allowed = mayDecide(amendment.status as AmendmentStatus, user.roles, input.decision)
        if (!allowed.allowed) throw ValidationError.field('decision', allowed.message)
        if (input.decision === 'reject' && !input.reason?.trim())
          throw ValidationError.field('reason', 'Enter the reason for rejecting the amendment')
        await trx
          .insertInto('lssAmendmentDecision')
          .values({
            amendmentId: id,
            role: allowed.as,
            decision: input.decision,
            decidedBy: user.username,
            decidedAt: now,
            notes: input.reason ?? null,
            textHash: amendment.textHash,
          })
          .execute()
        const decisions = toDecisions(await decisionsOf(trx, id))
        const status = amendmentStatus(amendment.requiredApprovals as ApproverRole[], decisions, amendment.textHash)
        let publishedVersion: number | null = null
        if (status === 'approved') publishedVersion = await publish(trx, amendment, user.username, now)
        const updated = await trx
          .updateTable('lssAmendment')
          .set({ status, rowVersion: amendment.rowVersion + 1, publishedVersion })
          .where('id', '=', id)
          .where('rowVersion', '=', amendment.rowVersion)
          .returning('id')
          .executeTakeFirst()
        if (!updated) throw new ConflictError('Someone else decided this amendment first. Read it again.')
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: `lss.amendment-${input.decision === 'approve' ? 'approved' : 'rejected'}`,
            subjectType: 'lss-amendment',
            subjectId: amendment.ref,
            establishmentCode: amendment.establishmentCode,
            details: { as: allowed.as, status, textHash: amendment.textHash, publishedVersion },
          },
          now,
        )
        return amendmentView(trx, id)
      })
    },

    /** A change to the proposed text: kept as a revision; any approval given on the old text no longer counts. */
    async revise(
      user: CurrentUser,
      id: string,
      text: InstructionText,
      seenVersion: number | undefined,
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const amendment = await lockAmendment(trx, user, id)
        if (!OPEN.includes(amendment.status))
          throw new ConflictError('Only an open amendment can be changed; propose a new one.')
        if (!(await mayEdit(trx, user, amendment.establishmentCode))) throw new ForbiddenError()
        if (seenVersion !== undefined && seenVersion !== amendment.rowVersion) {
          throw new ConflictError('Someone else changed this amendment while you were editing it. Read it again.')
        }
        const hash = textHash(text)
        if (hash === amendment.textHash) return amendmentView(trx, id)
        await trx
          .insertInto('lssAmendmentRevision')
          .values({
            amendmentId: id,
            ...pickText(amendment),
            textHash: amendment.textHash,
            revisedBy: user.username,
            revisedAt: now,
          })
          .execute()
        const decisions = toDecisions(await decisionsOf(trx, id))
        const status = amendmentStatus(amendment.requiredApprovals as ApproverRole[], decisions, hash)
        await trx
          .updateTable('lssAmendment')
          .set({ ...pickText(text), textHash: hash, status, rowVersion: amendment.rowVersion + 1 })
          .where('id', '=', id)
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'lss.amendment-revised',
            subjectType: 'lss-amendment',
            subjectId: amendment.ref,
            establishmentCode: amendment.establishmentCode,
            details: { status, textHash: hash },
          },
          now,
        )
        return amendmentView(trx, id)
      })
    },

    async withdraw(user: CurrentUser, id: string, correlationId: string, now = new Date()) {
      await db.transaction().execute(async trx => {
        const amendment = await lockAmendment(trx, user, id)
        if (!OPEN.includes(amendment.status)) throw new ConflictError('Only an open amendment can be withdrawn.')
        if (
          amendment.proposer !== user.username &&
          !user.can('lss:manage', { establishmentCode: amendment.establishmentCode })
        )
          throw new ForbiddenError()
        await trx
          .insertInto('lssAmendmentDecision')
          .values({
            amendmentId: id,
            role: 'proposer',
            decision: 'withdraw',
            decidedBy: user.username,
            decidedAt: now,
            notes: null,
            textHash: amendment.textHash,
          })
          .execute()
        await trx
          .updateTable('lssAmendment')
          .set({ status: 'withdrawn', rowVersion: amendment.rowVersion + 1 })
          .where('id', '=', id)
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'lss.amendment-withdrawn',
            subjectType: 'lss-amendment',
            subjectId: amendment.ref,
            establishmentCode: amendment.establishmentCode,
          },
          now,
        )
      })
    },

    /** The amendment log (LSS PF 4.17): every field of every amendment, filterable. */
    async log(
      user: CurrentUser,
      filter: { establishment?: string; status?: string; relatesTo?: string; from?: string; to?: string },
    ) {
      let query = db
        .selectFrom('lssAmendment as a')
        .innerJoin('lssInstruction as i', 'i.id', 'a.instructionId')
        .selectAll('a')
        .select(['i.ref as instructionRef', 'i.title as instructionTitle', 'i.riskArea'])
        .select(eb =>
          eb
            .selectFrom('lssAmendmentDecision as d')
            .select(
              sql<string>`string_agg(d.role || ' ' || d.decision || ' by ' || d.decided_by || ' on ' || to_char(d.decided_at at time zone 'Europe/London', 'YYYY-MM-DD HH24:MI') || coalesce(': ' || d.notes, ''), '; ' order by d.id)`.as(
                'decisions',
              ),
            )
            .whereRef('d.amendmentId', '=', 'a.id')
            .as('decisionSummary'),
        )
      const codes = user.establishmentCodes
      if (codes !== 'all') query = query.where('a.establishmentCode', 'in', [...codes])
      if (filter.establishment) query = query.where('a.establishmentCode', '=', filter.establishment)
      if (filter.status) query = query.where('a.status', '=', filter.status)
      if (filter.relatesTo) query = query.where('a.relatesTo', '=', filter.relatesTo)
      if (filter.from) query = query.where('a.proposedAt', '>=', new Date(`${filter.from}T00:00:00Z`))
      if (filter.to)
        query = query.where('a.proposedAt', '<', new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000))
      return query.orderBy('a.proposedAt', 'desc').limit(1000).execute()
    },

    async awaiting(user: CurrentUser) {
      const roles = user.roles.filter((r): r is ApproverRole => r === 'governor' || r === 'pgd' || r === 'ed-security')
      if (roles.length === 0) return []
      let query = db
        .selectFrom('lssAmendment as a')
        .innerJoin('lssInstruction as i', 'i.id', 'a.instructionId')
        .select(['a.id', 'a.ref', 'a.status', 'a.proposedAt', 'a.establishmentCode', 'i.title as instructionTitle'])
        .where(
          'a.status',
          'in',
          roles.map(role => `awaiting-${role}`),
        )
      const codes = user.establishmentCodes
      if (codes !== 'all') query = query.where('a.establishmentCode', 'in', [...codes])
      return query.orderBy('a.proposedAt').execute()
    },

    async acknowledge(user: CurrentUser, instructionId: string, now = new Date()) {
      await db.transaction().execute(async trx => {
        const instruction = await instructionInScope(trx, user, instructionId)
        const department = await trx
          .selectFrom('appUser')
          .select('department')
          .where('id', '=', user.id)
          .executeTakeFirst()
        await trx
          .insertInto('lssAcknowledgement')
          .values({
            instructionId,
            version: instruction.currentVersion,
            username: user.username,
            department: department?.department ?? null,
            establishmentCode: instruction.establishmentCode,
            acknowledgedAt: now,
          })
          .onConflict(oc => oc.columns(['instructionId', 'version', 'username']).doNothing())
          .execute()
        await recordAudit(
          trx,
          actorOf(user, null),
          {
            action: 'lss.acknowledged',
            subjectType: 'lss-instruction',
            subjectId: instruction.ref,
            establishmentCode: instruction.establishmentCode,
            details: { version: instruction.currentVersion },
          },
          now,
        )
      })
    },

    /** LSS PF 4.6: who has read the current version of each instruction, by department and person. */
    async acknowledgements(user: CurrentUser, establishmentCode: string) {
      if (!user.can('lss:manage', { establishmentCode }) && !user.can('lss:edit', { establishmentCode }))
        throw new ForbiddenError()
      const staff = await db
        .selectFrom('appUser')
        .select(['username', 'displayName', 'department'])
        .where('establishmentCode', '=', establishmentCode)
        .where('active', '=', true)
        .orderBy('department')
        .orderBy('displayName')
        .execute()
      const instructions = await db
        .selectFrom('lssInstruction')
        .select(['id', 'ref', 'title', 'currentVersion'])
        .where('establishmentCode', '=', establishmentCode)
        .orderBy('title')
        .execute()
      const acks = await db
        .selectFrom('lssAcknowledgement')
        .select(['instructionId', 'version', 'username', 'acknowledgedAt'])
        .where('establishmentCode', '=', establishmentCode)
        .execute()
      return {
        staff,
        instructions: instructions.map(instruction => {
          const current = acks.filter(
            a => a.instructionId === instruction.id && a.version === instruction.currentVersion,
          )
          const read = new Set(current.map(a => a.username))
          const byDepartment = new Map<string, { total: number; read: number }>()
          for (const person of staff) {
            const key = person.department ?? 'No department'
            const entry = byDepartment.get(key) ?? { total: 0, read: 0 }
            entry.total++
            if (read.has(person.username)) entry.read++
            byDepartment.set(key, entry)
          }
          return {
            ...instruction,
            read: current.length,
            notRead: staff.filter(person => !read.has(person.username)),
            byDepartment: [...byDepartment].map(([department, counts]) => ({ department, ...counts })),
          }
        }),
      }
    },

    // ---- Risk assessment ----

    async assessments(user: CurrentUser, establishmentCode: string) {
      if (!user.inScope(establishmentCode)) throw new NotFoundError()
      const [assessments, changes] = await Promise.all([
        db
          .selectFrom('lssRiskAssessment')
          .selectAll()
          .where('establishmentCode', '=', establishmentCode)
          .orderBy('startedAt', 'desc')
          .execute(),
        db
          .selectFrom('lssSignificantChange')
          .selectAll()
          .where('establishmentCode', '=', establishmentCode)
          .orderBy('recordedOn', 'desc')
          .execute(),
      ])
      return { assessments, changes }
    },

    async assessment(user: CurrentUser, ref: string) {
      const assessment = await db.selectFrom('lssRiskAssessment').selectAll().where('ref', '=', ref).executeTakeFirst()
      if (!assessment || !user.inScope(assessment.establishmentCode)) throw new NotFoundError()
      const [findings, evidence, contributors, actions] = await Promise.all([
        db
          .selectFrom('lssAssessmentFinding')
          .selectAll()
          .where('assessmentId', '=', assessment.id)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('lssAssessmentEvidence')
          .selectAll()
          .where('assessmentId', '=', assessment.id)
          .orderBy('id')
          .execute(),
        db
          .selectFrom('lssAssessmentContributor')
          .selectAll()
          .where('assessmentId', '=', assessment.id)
          .orderBy('name')
          .execute(),
        db
          .selectFrom('lssAssessmentAction')
          .selectAll()
          .where('assessmentId', '=', assessment.id)
          .orderBy('dueDate')
          .execute(),
      ])
      return { assessment, findings, evidence, contributors, actions }
    },

    /** Starts an assessment and pulls figures from the other modules' evidence sources (LSS PF 6.4–6.5). */
    async startAssessment(
      user: CurrentUser,
      input: { reason: 'annual' | 'significant-change'; reasonNote?: string },
      correlationId: string,
      now = new Date(),
    ) {
      const establishmentCode = user.establishmentCode
      const since = new Date(now.getTime() - 365 * 86_400_000)
      const figures: { source: string; values: { label: string; value: number }[] }[] = []
      for (const source of evidenceSources)
        figures.push({ source: source.source, values: await source.figures(establishmentCode, since) })
      return db.transaction().execute(async trx => {
        const open = await trx
          .selectFrom('lssRiskAssessment')
          .select('ref')
          .where('establishmentCode', '=', establishmentCode)
          .where('status', '=', 'in-progress')
          .executeTakeFirst()
        if (open)
          throw ValidationError.field('reason', `Assessment ${open.ref} is still in progress: complete it first`)
        const { rows } = await sql<{ n: number }>`select nextval('lss_assessment_seq') as n`.execute(trx)
        const ref = `RA-${establishmentCode}-${now.getUTCFullYear()}-${String(rows[0].n).padStart(3, '0')}`
        const created = await trx
          .insertInto('lssRiskAssessment')
          .values({
            ref,
            establishmentCode,
            reason: input.reason,
            reasonNote: input.reasonNote ?? null,
            status: 'in-progress',
            startedAt: now,
            startedBy: user.username,
            completedAt: null,
            completedBy: null,
            summary: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        for (const f of figures) {
          await trx
            .insertInto('lssAssessmentEvidence')
            .values({
              assessmentId: created.id,
              source: f.source,
              title: `${f.source}: figures from Portcullis for the last 12 months`,
              link: null,
              figures: JSON.stringify({ values: f.values }),
              addedBy: 'portcullis',
              addedAt: now,
            })
            .execute()
        }
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          { action: 'lss.assessment-started', subjectType: 'lss-assessment', subjectId: ref, establishmentCode },
          now,
        )
        return { ref }
      })
    },

    async addToAssessment(
      user: CurrentUser,
      ref: string,
      item:
        | {
            kind: 'finding'
            threatArea: string
            component: string
            finding: 'strength' | 'vulnerability'
            text: string
            evidence: string[]
          }
        | { kind: 'evidence'; source: string; title: string; link?: string }
        | { kind: 'contributor'; name: string; department: string }
        | { kind: 'action'; description: string; owner: string; dueDate: string },
      correlationId: string,
      now = new Date(),
    ) {
      await db.transaction().execute(async trx => {
        const assessment = await trx
          .selectFrom('lssRiskAssessment')
          .selectAll()
          .where('ref', '=', ref)
          .executeTakeFirst()
        if (!assessment || !user.inScope(assessment.establishmentCode)) throw new NotFoundError()
        if (assessment.status !== 'in-progress')
          throw new ConflictError('This assessment is completed; start a new one to change the picture.')
        if (item.kind === 'finding') {
          await trx
            .insertInto('lssAssessmentFinding')
            .values({
              assessmentId: assessment.id,
              threatArea: item.threatArea,
              component: item.component,
              kind: item.finding,
              text: item.text,
              evidence: item.evidence,
              addedBy: user.username,
              addedAt: now,
            })
            .execute()
        } else if (item.kind === 'evidence') {
          await trx
            .insertInto('lssAssessmentEvidence')
            .values({
              assessmentId: assessment.id,
              source: item.source,
              title: item.title,
              link: item.link ?? null,
              figures: null,
              addedBy: user.username,
              addedAt: now,
            })
            .execute()
        } else if (item.kind === 'contributor') {
          await trx
            .insertInto('lssAssessmentContributor')
            .values({ assessmentId: assessment.id, name: item.name, department: item.department })
            .onConflict(oc => oc.doNothing())
            .execute()
        } else {
          await trx
            .insertInto('lssAssessmentAction')
            .values({
              assessmentId: assessment.id,
              establishmentCode: assessment.establishmentCode,
              description: item.description,
              owner: item.owner,
              dueDate: item.dueDate,
              amendmentId: null,
              addedBy: user.username,
              addedAt: now,
            })
            .execute()
        }
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: `lss.assessment-${item.kind}-added`,
            subjectType: 'lss-assessment',
            subjectId: ref,
            establishmentCode: assessment.establishmentCode,
          },
          now,
        )
      })
    },

    async completeAssessment(user: CurrentUser, ref: string, summary: string, correlationId: string, now = new Date()) {
      await db.transaction().execute(async trx => {
        const assessment = await trx
          .selectFrom('lssRiskAssessment')
          .selectAll()
          .where('ref', '=', ref)
          .forUpdate()
          .executeTakeFirst()
        if (!assessment || !user.inScope(assessment.establishmentCode)) throw new NotFoundError()
        if (assessment.status !== 'in-progress') throw new ConflictError('This assessment is already completed.')
        const counts = await trx
          .selectFrom('lssAssessmentFinding')
          .select(eb => eb.fn.countAll<number>().as('n'))
          .where('assessmentId', '=', assessment.id)
          .executeTakeFirstOrThrow()
        const contributors = await trx
          .selectFrom('lssAssessmentContributor')
          .select(eb => eb.fn.count<number>('department').distinct().as('n'))
          .where('assessmentId', '=', assessment.id)
          .executeTakeFirstOrThrow()
        const problems = []
        if (counts.n === 0)
          problems.push({
            field: 'summary',
            message: 'Record at least one strength or vulnerability before completing the assessment',
          })
        // LSS PF 6.1: a whole-prison assessment by a multi-disciplinary team.
        if (contributors.n < 2)
          problems.push({
            field: 'summary',
            message: 'Record contributors from at least two departments (LSS PF 6.1: a multi-disciplinary team)',
          })
        if (problems.length) throw new ValidationError(problems.slice(0, 1))
        await trx
          .updateTable('lssRiskAssessment')
          .set({ status: 'completed', completedAt: now, completedBy: user.username, summary })
          .where('id', '=', assessment.id)
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'lss.assessment-completed',
            subjectType: 'lss-assessment',
            subjectId: ref,
            establishmentCode: assessment.establishmentCode,
          },
          now,
        )
      })
    },

    async recordSignificantChange(
      user: CurrentUser,
      input: { recordedOn: string; description: string },
      correlationId: string,
      now = new Date(),
    ) {
      await db.transaction().execute(async trx => {
        await trx
          .insertInto('lssSignificantChange')
          .values({
            establishmentCode: user.establishmentCode,
            recordedOn: input.recordedOn,
            description: input.description,
            recordedBy: user.username,
            recordedAt: now,
          })
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'lss.significant-change',
            subjectType: 'establishment',
            subjectId: user.establishmentCode,
            details: { recordedOn: input.recordedOn },
          },
          now,
        )
      })
    },

    // ---- Assurance ----

    async lastCompletedAssessment(establishmentCode: string) {
      return db
        .selectFrom('lssRiskAssessment')
        .select(['ref', 'completedAt'])
        .where('establishmentCode', '=', establishmentCode)
        .where('status', '=', 'completed')
        .orderBy('completedAt', 'desc')
        .executeTakeFirst()
    },

    async statements(user: CurrentUser, establishmentCode: string) {
      if (!user.inScope(establishmentCode)) throw new NotFoundError()
      return db
        .selectFrom('lssAssuranceStatement')
        .selectAll()
        .where('establishmentCode', '=', establishmentCode)
        .orderBy('year', 'desc')
        .execute()
    },

    /** Prepares this year's statement on the current LSS; the PGD's level and checks are set here (LSS PF 4.19–4.20). */
    async prepareStatement(
      user: CurrentUser,
      input: { establishmentCode: string; levelOfAssurance: string; additionalChecks: string[] },
      correlationId: string,
      now = new Date(),
    ) {
      if (!user.inScope(input.establishmentCode))
        throw ValidationError.field('establishmentCode', 'Select an establishment you oversee')
      const today = londonToday(now)
      const last = await service.lastCompletedAssessment(input.establishmentCode)
      const lastDay = last?.completedAt ? londonToday(last.completedAt) : null
      if (!assessmentSupportsAssurance(lastDay, today)) {
        throw ValidationError.field(
          'levelOfAssurance',
          'An evidence-based risk assessment must have been completed in the last twelve months (LSS PF 4.21)',
        )
      }
      const strategy = await service.strategy(user, input.establishmentCode)
      return db.transaction().execute(async trx => {
        const year = Number(today.slice(0, 4))
        const existing = await trx
          .selectFrom('lssAssuranceStatement')
          .select('id')
          .where('establishmentCode', '=', input.establishmentCode)
          .where('year', '=', year)
          .executeTakeFirst()
        if (existing)
          throw ValidationError.field('levelOfAssurance', `There is already an assurance statement for ${year}`)
        const created = await trx
          .insertInto('lssAssuranceStatement')
          .values({
            establishmentCode: input.establishmentCode,
            year,
            statement: modelStatement(strategy.establishment.name, year),
            levelOfAssurance: input.levelOfAssurance,
            additionalChecks: input.additionalChecks,
            lssHash: strategy.hash,
            riskAssessmentRef: last!.ref,
            preparedBy: user.username,
            preparedAt: now,
            governorUsername: null,
            governorSignedAt: null,
            pgdUsername: null,
            pgdSignedAt: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'lss.assurance-prepared',
            subjectType: 'lss-assurance',
            subjectId: created.id,
            establishmentCode: input.establishmentCode,
            details: { year },
          },
          now,
        )
        return { id: created.id }
      })
    },

    async statement(user: CurrentUser, id: string) {
      const statement = await db
        .selectFrom('lssAssuranceStatement as s')
        .innerJoin('establishment as e', 'e.code', 's.establishmentCode')
        .selectAll('s')
        .select('e.name as establishmentName')
        .where('s.id', '=', id)
        .executeTakeFirst()
      if (!statement || !user.inScope(statement.establishmentCode)) throw new NotFoundError()
      return statement
    },

    /** Signs as Governor or PGD: two different people, once each, on the LSS version the statement certifies. */
    async sign(user: CurrentUser, id: string, role: 'governor' | 'pgd', correlationId: string, now = new Date()) {
      return db.transaction().execute(async trx => {
        const statement = await trx
          .selectFrom('lssAssuranceStatement')
          .selectAll()
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst()
        if (!statement || !user.inScope(statement.establishmentCode)) throw new NotFoundError()
        const problem = signatureProblem(role, user, statement)
        if (problem) throw ValidationError.field('role', problem)
        await trx
          .updateTable('lssAssuranceStatement')
          .set(
            role === 'governor'
              ? { governorUsername: user.username, governorSignedAt: now }
              : { pgdUsername: user.username, pgdSignedAt: now },
          )
          .where('id', '=', id)
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: `lss.assurance-signed-${role}`,
            subjectType: 'lss-assurance',
            subjectId: id,
            establishmentCode: statement.establishmentCode,
            details: { lssHash: statement.lssHash },
          },
          now,
        )
      })
    },

    async setPgdRequired(user: CurrentUser, pgdRequired: boolean, correlationId: string, now = new Date()) {
      await db.transaction().execute(async trx => {
        await trx
          .insertInto('lssSetting')
          .values({ establishmentCode: user.establishmentCode, pgdRequired, updatedAt: now, updatedBy: user.username })
          .onConflict(oc =>
            oc.column('establishmentCode').doUpdateSet({ pgdRequired, updatedAt: now, updatedBy: user.username }),
          )
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'lss.pgd-required-set',
            subjectType: 'establishment',
            subjectId: user.establishmentCode,
            details: { pgdRequired },
          },
          now,
        )
      })
    },

    async editors(user: CurrentUser) {
      return db
        .selectFrom('lssEditor')
        .selectAll()
        .where('establishmentCode', '=', user.establishmentCode)
        .orderBy('username')
        .execute()
    },

    async nominateEditor(user: CurrentUser, username: string, correlationId: string, now = new Date()) {
      await db.transaction().execute(async trx => {
        const person = await trx
          .selectFrom('appUser')
          .select(['username', 'establishmentCode'])
          .where('username', '=', username.toLowerCase())
          .executeTakeFirst()
        if (!person || person.establishmentCode !== user.establishmentCode)
          throw ValidationError.field('editor', 'Enter the username of someone at your establishment')
        await trx
          .insertInto('lssEditor')
          .values({
            establishmentCode: user.establishmentCode,
            username: person.username,
            nominatedBy: user.username,
            nominatedAt: now,
          })
          .onConflict(oc => oc.doNothing())
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          { action: 'lss.editor-nominated', subjectType: 'user', subjectId: person.username },
          now,
        )
      })
    },

    /** Whether the user may add instructions and propose amendments here: the LSS owner or a nominated editor. */
    canEdit(user: CurrentUser, establishmentCode: string) {
      return mayEdit(db, user, establishmentCode)
    },

    settings(establishmentCode: string) {
      return pgdRequired(db, establishmentCode)
    },
  }
  return service
}
export type LssService = ReturnType<typeof lssService>

const OPEN: readonly string[] = ['awaiting-governor', 'awaiting-pgd', 'awaiting-ed-security']

function toDecisions(rows: readonly { role: string; decision: string; textHash: string }[]): Decision[] {
  return rows
    .filter(row => row.role !== 'proposer')
    .map(row => ({
      role: row.role as ApproverRole,
      decision: row.decision as 'approve' | 'reject',
      textHash: row.textHash,
    }))
}

function pickText(text: InstructionText): InstructionText {
  return {
    aimAndPurpose: text.aimAndPurpose,
    nationalReference: text.nationalReference,
    localReference: text.localReference,
    procedures: text.procedures,
  }
}

/** A hash of the whole LSS as published: what an assurance statement certifies. */
export function lssHash(
  instructions: readonly {
    ref: string
    currentVersion: number
    aimAndPurpose: string
    nationalReference: string
    localReference: string
    procedures: string
  }[],
) {
  const hash = createHash('sha256')
  for (const i of [...instructions].sort((a, b) => a.ref.localeCompare(b.ref))) {
    hash.update(
      JSON.stringify([i.ref, i.currentVersion, i.aimAndPurpose, i.nationalReference, i.localReference, i.procedures]),
    )
  }
  return hash.digest('hex')
}
