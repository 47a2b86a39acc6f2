import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import type { EvidenceSource } from '../../platform/evidence/evidence.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import { visibleAssessment, withDenials } from './access.ts'
import {
  assessmentCounts,
  assessmentInProgress,
  assessmentParts,
  assessmentsOf,
  insertAction,
  insertAssessment,
  insertContributor,
  insertEvidence,
  insertFinding,
  insertSignificantChange,
  lastCompletedAssessment,
  latestSignificantChange,
  markAssessmentCompleted,
  nextNumber,
  significantChangesOf,
} from './repository.ts'

// The evidence-based risk assessment (LSS PF 6): started annually or after a significant change in risk, built up
// from findings, evidence, contributors and actions, completed by a multi-disciplinary team.

export type AssessmentItem =
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
  | { kind: 'action'; description: string; owner: string; dueDate: string }

async function assessments(db: Db, user: CurrentUser, establishmentCode: string) {
  if (!user.inScope(establishmentCode)) throw new NotFoundError()
  const [list, changes] = await Promise.all([
    assessmentsOf(db, establishmentCode),
    significantChangesOf(db, establishmentCode),
  ])
  return {
    assessments: await withDisplayNames(db, list, ['startedBy']),
    changes: await withDisplayNames(db, changes, ['recordedBy']),
  }
}

async function assessment(db: Db, user: CurrentUser, ref: string, correlationId: string | null = null) {
  return withDenials(db, user, correlationId, async () => {
    const found = await visibleAssessment(db, user, ref)
    const [named] = await withDisplayNames(db, [found], ['startedBy', 'completedBy'])
    const parts = await assessmentParts(db, found.id)
    return { assessment: named, ...parts, evidence: await withDisplayNames(db, parts.evidence, ['addedBy']) }
  })
}

/** Starts an assessment and pulls figures from the other modules' evidence sources (LSS PF 6.4–6.5). */
async function startAssessment(
  db: Db,
  evidenceSources: readonly EvidenceSource[],
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
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const open = await assessmentInProgress(trx, establishmentCode)
    if (open) throw ValidationError.field('reason', `Assessment ${open.ref} is still in progress: complete it first`)
    const number = String(await nextNumber(trx, 'lss_assessment_seq')).padStart(3, '0')
    const ref = `RA-${establishmentCode}-${now.getUTCFullYear()}-${number}`
    const created = await insertAssessment(trx, {
      ref,
      establishmentCode,
      reason: input.reason,
      reasonNote: input.reasonNote ?? null,
      startedAt: now,
      startedBy: user.username,
    })
    for (const f of figures) {
      await insertEvidence(trx, {
        assessmentId: created.id,
        source: f.source,
        title: `${f.source}: figures from Portcullis for the last 12 months`,
        link: null,
        figures: { values: f.values },
        addedBy: 'portcullis',
        addedAt: now,
      })
    }
    await audit({ action: 'lss.assessment-started', subjectType: 'lss-assessment', subjectId: ref, establishmentCode })
    return { ref }
  })
}

/** Adds one item, of the kind it says, to an assessment in progress. */
async function addItem(
  trx: Executor,
  assessment: { id: string; establishmentCode: string },
  item: AssessmentItem,
  by: { username: string; at: Date },
) {
  const added = { assessmentId: assessment.id, addedBy: by.username, addedAt: by.at }
  if (item.kind === 'finding') {
    const { threatArea, component, finding, text, evidence } = item
    return insertFinding(trx, { ...added, threatArea, component, kind: finding, text, evidence })
  }
  if (item.kind === 'evidence') {
    const { source, title, link } = item
    return insertEvidence(trx, { ...added, source, title, link: link ?? null, figures: null })
  }
  if (item.kind === 'contributor')
    return insertContributor(trx, { assessmentId: assessment.id, name: item.name, department: item.department })
  const { description, owner, dueDate } = item
  return insertAction(trx, { ...added, establishmentCode: assessment.establishmentCode, description, owner, dueDate })
}

async function addToAssessment(
  db: Db,
  user: CurrentUser,
  ref: string,
  item: AssessmentItem,
  correlationId: string,
  now = new Date(),
) {
  return withDenials(db, user, correlationId, () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const assessment = await visibleAssessment(trx, user, ref)
      if (assessment.status !== 'in-progress')
        throw new ConflictError('This assessment is completed; start a new one to change the picture.')
      await addItem(trx, assessment, item, { username: user.username, at: now })
      await audit({
        action: `lss.assessment-${item.kind}-added`,
        subjectType: 'lss-assessment',
        subjectId: ref,
        establishmentCode: assessment.establishmentCode,
      })
      return { ref, kind: item.kind }
    }),
  )
}

async function completeAssessment(
  db: Db,
  user: CurrentUser,
  ref: string,
  summary: string,
  correlationId: string,
  now = new Date(),
) {
  return withDenials(db, user, correlationId, () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const assessment = await visibleAssessment(trx, user, ref, { lock: true })
      if (assessment.status !== 'in-progress') throw new ConflictError('This assessment is already completed.')
      const counts = await assessmentCounts(trx, assessment.id)
      if (counts.findings === 0)
        throw ValidationError.field(
          'summary',
          'Record at least one strength or vulnerability before completing the assessment',
        )
      // LSS PF 6.1: a whole-prison assessment by a multi-disciplinary team.
      if (counts.departments < 2)
        throw ValidationError.field(
          'summary',
          'Record contributors from at least two departments (LSS PF 6.1: a multi-disciplinary team)',
        )
      await markAssessmentCompleted(trx, assessment.id, { completedAt: now, completedBy: user.username, summary })
      await audit({
        action: 'lss.assessment-completed',
        subjectType: 'lss-assessment',
        subjectId: ref,
        establishmentCode: assessment.establishmentCode,
      })
      return { ref, status: 'completed' as const }
    }),
  )
}

/** LSS PF 4.12: a significant change in risk makes a new assessment due at once. */
async function recordSignificantChange(
  db: Db,
  user: CurrentUser,
  input: { recordedOn: string; description: string },
  correlationId: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    await insertSignificantChange(trx, {
      establishmentCode: user.establishmentCode,
      recordedOn: input.recordedOn,
      description: input.description,
      recordedBy: user.username,
      recordedAt: now,
    })
    await audit({
      action: 'lss.significant-change',
      subjectType: 'establishment',
      subjectId: user.establishmentCode,
      details: { recordedOn: input.recordedOn },
    })
    return { establishmentCode: user.establishmentCode, recordedOn: input.recordedOn }
  })
}

/** The establishment's last completed assessment, if any. */
export function lastCompleted(db: Db, establishmentCode: string) {
  return lastCompletedAssessment(db, establishmentCode)
}

/** The date of the establishment's latest significant change in risk, if any. */
async function lastSignificantChange(db: Db, establishmentCode: string) {
  return (await latestSignificantChange(db, establishmentCode))?.recordedOn ?? null
}

/** The risk assessment and significant changes in risk. */
export function riskAssessmentUseCases(db: Db, evidenceSources: readonly EvidenceSource[]) {
  return {
    assessments: assessments.bind(null, db),
    assessment: assessment.bind(null, db),
    startAssessment: startAssessment.bind(null, db, evidenceSources),
    addToAssessment: addToAssessment.bind(null, db),
    completeAssessment: completeAssessment.bind(null, db),
    recordSignificantChange: recordSignificantChange.bind(null, db),
    lastCompletedAssessment: lastCompleted.bind(null, db),
    lastSignificantChange: lastSignificantChange.bind(null, db),
  }
}
