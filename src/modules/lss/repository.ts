import { type Insertable, sql } from 'kysely'
import type { Executor } from '../../platform/db/database.ts'
import type { InstructionText } from './rules.ts'
import type { LssTables } from './tables.ts'

type New<T extends keyof LssTables> = Insertable<LssTables[T]>

// Every query of the Local Security Strategy: instructions and their versions, amendments and their decisions,
// acknowledgements, risk assessments, assurance statements and the local settings.

/** The next number of one of the module's references (lss_instruction_seq, lss_amendment_seq, lss_assessment_seq). */
export async function nextNumber(
  db: Executor,
  sequence: 'lss_instruction_seq' | 'lss_amendment_seq' | 'lss_assessment_seq',
) {
  const { rows } = await sql<{ n: number }>`select nextval(${sql.lit(sequence)}) as n`.execute(db)
  return Number(rows[0].n)
}

/** An establishment on the register, or undefined for a code that names none. */
export function establishmentOf(db: Executor, code: string) {
  return db
    .selectFrom('establishment')
    .select(['code', 'name', 'highSecurity'])
    .where('code', '=', code)
    .executeTakeFirst()
}

// ---- Instructions ----

export function findInstruction(db: Executor, id: string) {
  return db.selectFrom('lssInstruction').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The instruction row locked for this transaction, for publishing a new version. */
export function lockInstruction(db: Executor, id: string) {
  return db
    .selectFrom('lssInstruction')
    .select(['currentVersion'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

/** The current instructions of an establishment, with whether this user has read the current version. */
export function currentInstructions(db: Executor, establishmentCode: string, username: string) {
  return db
    .selectFrom('lssInstruction as i')
    .innerJoin('lssInstructionVersion as v', join =>
      join.onRef('v.instructionId', '=', 'i.id').onRef('v.version', '=', 'i.currentVersion'),
    )
    .leftJoin('lssAcknowledgement as k', join =>
      join
        .onRef('k.instructionId', '=', 'i.id')
        .onRef('k.version', '=', 'i.currentVersion')
        .on('k.username', '=', username),
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
}

export function instructionVersions(db: Executor, instructionId: string) {
  return db
    .selectFrom('lssInstructionVersion')
    .selectAll()
    .where('instructionId', '=', instructionId)
    .orderBy('version', 'desc')
    .execute()
}

export function instructionVersion(db: Executor, instructionId: string, version: number) {
  return db
    .selectFrom('lssInstructionVersion')
    .selectAll()
    .where('instructionId', '=', instructionId)
    .where('version', '=', version)
    .executeTakeFirstOrThrow()
}

export function amendmentsOfInstruction(db: Executor, instructionId: string) {
  return db
    .selectFrom('lssAmendment')
    .select(['id', 'ref', 'status', 'proposedAt', 'proposer', 'change'])
    .where('instructionId', '=', instructionId)
    .orderBy('proposedAt', 'desc')
    .execute()
}

export function insertInstruction(
  db: Executor,
  values: Omit<New<'lssInstruction'>, 'supportingTools'> & { supportingTools: { title: string; url: string }[] },
) {
  return db
    .insertInto('lssInstruction')
    .values({ ...values, supportingTools: JSON.stringify(values.supportingTools) })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function insertInstructionVersion(db: Executor, values: New<'lssInstructionVersion'>) {
  return db.insertInto('lssInstructionVersion').values(values).execute()
}

export function setCurrentVersion(db: Executor, instructionId: string, version: number) {
  return db.updateTable('lssInstruction').set({ currentVersion: version }).where('id', '=', instructionId).execute()
}

/** Establishments among these that have an LSS (at least one instruction). */
export async function establishmentsWithInstructions(db: Executor, codes: readonly string[]) {
  const rows = await db
    .selectFrom('lssInstruction')
    .select('establishmentCode')
    .distinct()
    .where('establishmentCode', 'in', [...codes])
    .execute()
  return rows.map(row => row.establishmentCode)
}

/** Instructions of an establishment whose review falls on or before a date. */
export function instructionsForReview(db: Executor, establishmentCode: string, until: string) {
  return db
    .selectFrom('lssInstruction')
    .select(['id', 'title', 'reviewDue'])
    .where('establishmentCode', '=', establishmentCode)
    .where('reviewDue', 'is not', null)
    .where('reviewDue', '<=', until)
    .execute()
}

// ---- Editors and settings ----

export async function isNominatedEditor(db: Executor, establishmentCode: string, username: string) {
  const found = await db
    .selectFrom('lssEditor')
    .select('username')
    .where('establishmentCode', '=', establishmentCode)
    .where('username', '=', username)
    .executeTakeFirst()
  return Boolean(found)
}

export function editorsOf(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssEditor')
    .selectAll()
    .where('establishmentCode', '=', establishmentCode)
    .orderBy('username')
    .execute()
}

export function insertEditor(db: Executor, values: New<'lssEditor'>) {
  return db
    .insertInto('lssEditor')
    .values(values)
    .onConflict(oc => oc.doNothing())
    .execute()
}

export async function pgdRequiredAt(db: Executor, establishmentCode: string) {
  const setting = await db
    .selectFrom('lssSetting')
    .select('pgdRequired')
    .where('establishmentCode', '=', establishmentCode)
    .executeTakeFirst()
  return setting?.pgdRequired ?? false
}

export function savePgdRequired(db: Executor, values: New<'lssSetting'>) {
  const { pgdRequired, updatedAt, updatedBy } = values
  return db
    .insertInto('lssSetting')
    .values(values)
    .onConflict(oc => oc.column('establishmentCode').doUpdateSet({ pgdRequired, updatedAt, updatedBy }))
    .execute()
}

// ---- Amendments ----

export function findAmendmentIdByRef(db: Executor, ref: string) {
  return db.selectFrom('lssAmendment').select('id').where('ref', '=', ref).executeTakeFirst()
}

export function findAmendment(db: Executor, id: string) {
  return db.selectFrom('lssAmendment').selectAll().where('id', '=', id).executeTakeFirst()
}

/** The amendment locked for this transaction. */
export function lockAmendment(db: Executor, id: string) {
  return db.selectFrom('lssAmendment').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

/** The amendment with the instruction it amends. */
export function amendmentWithInstruction(db: Executor, id: string) {
  return db
    .selectFrom('lssAmendment as a')
    .innerJoin('lssInstruction as i', 'i.id', 'a.instructionId')
    .selectAll('a')
    .select(['i.title as instructionTitle', 'i.ref as instructionRef', 'i.riskArea', 'i.currentVersion'])
    .where('a.id', '=', id)
    .executeTakeFirstOrThrow()
}

export function decisionsOf(db: Executor, amendmentId: string) {
  return db
    .selectFrom('lssAmendmentDecision')
    .selectAll()
    .where('amendmentId', '=', amendmentId)
    .orderBy('id')
    .execute()
}

/** The decisions on several amendments in one query, oldest first (the amendment log). */
export function decisionsOfAmendments(db: Executor, amendmentIds: readonly string[]) {
  if (amendmentIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('lssAmendmentDecision')
    .selectAll()
    .where('amendmentId', 'in', [...amendmentIds])
    .orderBy('id')
    .execute()
}

export function openAmendmentOf(db: Executor, instructionId: string, openStatuses: readonly string[]) {
  return db
    .selectFrom('lssAmendment')
    .select('ref')
    .where('instructionId', '=', instructionId)
    .where('status', 'in', [...openStatuses])
    .executeTakeFirst()
}

export function insertAmendment(db: Executor, values: New<'lssAmendment'>) {
  return db.insertInto('lssAmendment').values(values).returning('id').executeTakeFirstOrThrow()
}

export function insertDecision(db: Executor, values: New<'lssAmendmentDecision'>) {
  return db.insertInto('lssAmendmentDecision').values(values).execute()
}

/** Moves the amendment on if nobody else has since `seenRowVersion`; undefined when someone has. */
export function updateAmendmentStatus(
  db: Executor,
  id: string,
  seenRowVersion: number,
  changes: { status: string; publishedVersion?: number | null },
) {
  return db
    .updateTable('lssAmendment')
    .set({ ...changes, rowVersion: seenRowVersion + 1 })
    .where('id', '=', id)
    .where('rowVersion', '=', seenRowVersion)
    .returning('id')
    .executeTakeFirst()
}

export function insertRevision(db: Executor, values: New<'lssAmendmentRevision'>) {
  return db.insertInto('lssAmendmentRevision').values(values).execute()
}

export function updateAmendmentText(
  db: Executor,
  id: string,
  changes: InstructionText & { textHash: string; status: string; rowVersion: number },
) {
  return db.updateTable('lssAmendment').set(changes).where('id', '=', id).execute()
}

export type LogFilter = { establishment?: string; status?: string; relatesTo?: string; from?: string; to?: string }

/** The amendment log (LSS PF 4.17): every field of every amendment with its decisions in one line, filterable. */
export function amendmentLog(db: Executor, codes: readonly string[] | 'all', filter: LogFilter) {
  let query = db
    .selectFrom('lssAmendment as a')
    .innerJoin('lssInstruction as i', 'i.id', 'a.instructionId')
    .innerJoin('establishment as e', 'e.code', 'a.establishmentCode')
    .selectAll('a')
    .select(['i.ref as instructionRef', 'i.title as instructionTitle', 'i.riskArea', 'e.name as establishmentName'])
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
  if (codes !== 'all') query = query.where('a.establishmentCode', 'in', [...codes])
  if (filter.establishment) query = query.where('a.establishmentCode', '=', filter.establishment)
  if (filter.status) query = query.where('a.status', '=', filter.status)
  if (filter.relatesTo) query = query.where('a.relatesTo', '=', filter.relatesTo)
  if (filter.from) query = query.where('a.proposedAt', '>=', new Date(`${filter.from}T00:00:00Z`))
  if (filter.to)
    query = query.where('a.proposedAt', '<', new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000))
  return query.orderBy('a.proposedAt', 'desc').limit(1000).execute()
}

/** Amendments in these statuses, oldest first, within the establishments given. */
export function amendmentsAwaiting(db: Executor, statuses: readonly string[], codes: readonly string[] | 'all') {
  let query = db
    .selectFrom('lssAmendment as a')
    .innerJoin('lssInstruction as i', 'i.id', 'a.instructionId')
    .leftJoin('establishment as e', 'e.code', 'a.establishmentCode')
    .select(['a.id', 'a.ref', 'a.status', 'a.proposedAt', 'a.establishmentCode', 'i.title as instructionTitle'])
    .select('e.name as establishmentName')
    .where('a.status', 'in', [...statuses])
  if (codes !== 'all') query = query.where('a.establishmentCode', 'in', [...codes])
  return query.orderBy('a.proposedAt').execute()
}

// ---- Acknowledgements ----

export function acknowledgementOf(db: Executor, instructionId: string, username: string) {
  return db
    .selectFrom('lssAcknowledgement')
    .select(['version', 'acknowledgedAt'])
    .where('instructionId', '=', instructionId)
    .where('username', '=', username)
    .orderBy('version', 'desc')
    .executeTakeFirst()
}

export function insertAcknowledgement(db: Executor, values: New<'lssAcknowledgement'>) {
  return db
    .insertInto('lssAcknowledgement')
    .values(values)
    .onConflict(oc => oc.columns(['instructionId', 'version', 'username']).doNothing())
    .execute()
}

export function instructionsOf(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssInstruction')
    .select(['id', 'ref', 'title', 'currentVersion'])
    .where('establishmentCode', '=', establishmentCode)
    .orderBy('title')
    .execute()
}

export function acknowledgementsAt(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssAcknowledgement')
    .select(['instructionId', 'version', 'username', 'acknowledgedAt'])
    .where('establishmentCode', '=', establishmentCode)
    .execute()
}

// ---- Risk assessment ----

export function assessmentsOf(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssRiskAssessment')
    .selectAll()
    .where('establishmentCode', '=', establishmentCode)
    .orderBy('startedAt', 'desc')
    .execute()
}

export function significantChangesOf(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssSignificantChange')
    .selectAll()
    .where('establishmentCode', '=', establishmentCode)
    .orderBy('recordedOn', 'desc')
    .execute()
}

export function latestSignificantChange(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssSignificantChange')
    .select('recordedOn')
    .where('establishmentCode', '=', establishmentCode)
    .orderBy('recordedOn', 'desc')
    .executeTakeFirst()
}

export function findAssessment(db: Executor, ref: string, options: { lock?: boolean } = {}) {
  const query = db.selectFrom('lssRiskAssessment').selectAll().where('ref', '=', ref)
  return (options.lock ? query.forUpdate() : query).executeTakeFirst()
}

export async function assessmentParts(db: Executor, assessmentId: string) {
  const [findings, evidence, contributors, actions] = await Promise.all([
    db.selectFrom('lssAssessmentFinding').selectAll().where('assessmentId', '=', assessmentId).orderBy('id').execute(),
    db.selectFrom('lssAssessmentEvidence').selectAll().where('assessmentId', '=', assessmentId).orderBy('id').execute(),
    db
      .selectFrom('lssAssessmentContributor')
      .selectAll()
      .where('assessmentId', '=', assessmentId)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('lssAssessmentAction')
      .selectAll()
      .where('assessmentId', '=', assessmentId)
      .orderBy('dueDate')
      .execute(),
  ])
  return { findings, evidence, contributors, actions }
}

export function assessmentInProgress(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssRiskAssessment')
    .select('ref')
    .where('establishmentCode', '=', establishmentCode)
    .where('status', '=', 'in-progress')
    .executeTakeFirst()
}

export function lastCompletedAssessment(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssRiskAssessment')
    .select(['ref', 'completedAt'])
    .where('establishmentCode', '=', establishmentCode)
    .where('status', '=', 'completed')
    .orderBy('completedAt', 'desc')
    .executeTakeFirst()
}

export function insertAssessment(
  db: Executor,
  values: Omit<New<'lssRiskAssessment'>, 'status' | 'completedAt' | 'completedBy' | 'summary'>,
) {
  return db
    .insertInto('lssRiskAssessment')
    .values({ ...values, status: 'in-progress', completedAt: null, completedBy: null, summary: null })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function insertEvidence(
  db: Executor,
  values: Omit<New<'lssAssessmentEvidence'>, 'figures'> & { figures: Record<string, unknown> | null },
) {
  return db
    .insertInto('lssAssessmentEvidence')
    .values({ ...values, figures: values.figures === null ? null : JSON.stringify(values.figures) })
    .execute()
}

export function insertFinding(db: Executor, values: New<'lssAssessmentFinding'>) {
  return db.insertInto('lssAssessmentFinding').values(values).execute()
}

export function insertContributor(db: Executor, values: New<'lssAssessmentContributor'>) {
  return db
    .insertInto('lssAssessmentContributor')
    .values(values)
    .onConflict(oc => oc.doNothing())
    .execute()
}

export function insertAction(db: Executor, values: Omit<New<'lssAssessmentAction'>, 'amendmentId'>) {
  return db
    .insertInto('lssAssessmentAction')
    .values({ ...values, amendmentId: null })
    .execute()
}

/** What completing needs: how many findings, and from how many departments the contributors come. */
export async function assessmentCounts(db: Executor, assessmentId: string) {
  const findings = await db
    .selectFrom('lssAssessmentFinding')
    .select(eb => eb.fn.countAll<number>().as('n'))
    .where('assessmentId', '=', assessmentId)
    .executeTakeFirstOrThrow()
  const departments = await db
    .selectFrom('lssAssessmentContributor')
    .select(eb => eb.fn.count<number>('department').distinct().as('n'))
    .where('assessmentId', '=', assessmentId)
    .executeTakeFirstOrThrow()
  return { findings: Number(findings.n), departments: Number(departments.n) }
}

export function markAssessmentCompleted(
  db: Executor,
  id: string,
  values: { completedAt: Date; completedBy: string; summary: string },
) {
  return db
    .updateTable('lssRiskAssessment')
    .set({ status: 'completed', ...values })
    .where('id', '=', id)
    .execute()
}

export function insertSignificantChange(db: Executor, values: New<'lssSignificantChange'>) {
  return db.insertInto('lssSignificantChange').values(values).execute()
}

// ---- Assurance ----

export function statementsOf(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssAssuranceStatement')
    .selectAll()
    .where('establishmentCode', '=', establishmentCode)
    .orderBy('year', 'desc')
    .execute()
}

export function statementForYear(db: Executor, establishmentCode: string, year: number) {
  return db
    .selectFrom('lssAssuranceStatement')
    .select('id')
    .where('establishmentCode', '=', establishmentCode)
    .where('year', '=', year)
    .executeTakeFirst()
}

export function insertStatement(
  db: Executor,
  values: Omit<New<'lssAssuranceStatement'>, `${'governor' | 'pgd'}${'Username' | 'SignedAt'}`>,
) {
  return db
    .insertInto('lssAssuranceStatement')
    .values({ ...values, governorUsername: null, governorSignedAt: null, pgdUsername: null, pgdSignedAt: null })
    .returning('id')
    .executeTakeFirstOrThrow()
}

/** The statement with the name of its establishment. */
export function findStatement(db: Executor, id: string) {
  return db
    .selectFrom('lssAssuranceStatement as s')
    .innerJoin('establishment as e', 'e.code', 's.establishmentCode')
    .selectAll('s')
    .select('e.name as establishmentName')
    .where('s.id', '=', id)
    .executeTakeFirst()
}

export function lockStatement(db: Executor, id: string) {
  return db.selectFrom('lssAssuranceStatement').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
}

export function signStatement(db: Executor, id: string, role: 'governor' | 'pgd', username: string, at: Date) {
  return db
    .updateTable('lssAssuranceStatement')
    .set(
      role === 'governor'
        ? { governorUsername: username, governorSignedAt: at }
        : { pgdUsername: username, pgdSignedAt: at },
    )
    .where('id', '=', id)
    .execute()
}

/** The latest statement signed by both the Governor and the PGD. */
export function lastFullySignedStatement(db: Executor, establishmentCode: string) {
  return db
    .selectFrom('lssAssuranceStatement')
    .select(['pgdSignedAt', 'governorSignedAt'])
    .where('establishmentCode', '=', establishmentCode)
    .where('governorSignedAt', 'is not', null)
    .where('pgdSignedAt', 'is not', null)
    .orderBy('year', 'desc')
    .executeTakeFirst()
}
