import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { ForbiddenError, NotFoundError } from '../../platform/http/errors.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import { mayEdit, visibleInstruction, withDenials } from './access.ts'
import {
  acknowledgementOf,
  amendmentsOfInstruction,
  currentInstructions,
  establishmentOf,
  establishmentsWithInstructions,
  insertInstruction,
  insertInstructionVersion,
  instructionsForReview,
  instructionVersions,
  nextNumber,
} from './repository.ts'
import { type InstructionText, lssHash, pickText, textHash } from './rules.ts'

export type InstructionInput = InstructionText & {
  riskArea: string
  title: string
  owner: string
  nationalPolicyUrl?: string
  reviewDue?: string
  supportingTools: { title: string; url: string }[]
}

/** The strategy as published: an establishment's current instructions, and the hash a statement certifies. */
export async function strategy(db: Db, user: CurrentUser, establishmentCode: string) {
  // A national scope covers every prison, not every three letters: a code that names no prison is not found.
  const establishment = user.inScope(establishmentCode) ? await establishmentOf(db, establishmentCode) : undefined
  if (!establishment) throw new NotFoundError()
  const instructions = await currentInstructions(db, establishmentCode, user.username)
  return { establishment, instructions, hash: lssHash(instructions) }
}

/** One instruction with every version, its amendments, and the version this user last confirmed reading. */
async function instruction(db: Db, user: CurrentUser, id: string, correlationId: string | null = null) {
  return withDenials(db, user, correlationId, async () => {
    const found = await visibleInstruction(db, user, id)
    const [versions, amendments, acknowledged] = await Promise.all([
      instructionVersions(db, id),
      amendmentsOfInstruction(db, id),
      acknowledgementOf(db, id, user.username),
    ])
    return {
      instruction: found,
      versions: await withDisplayNames(db, versions, ['publishedBy']),
      amendments: await withDisplayNames(db, amendments, ['proposer']),
      acknowledged: acknowledged ?? null,
      canEdit: await mayEdit(db, user, found.establishmentCode),
    }
  })
}

/** Publishes a new instruction at the user's establishment, as version 1. */
async function createInstruction(
  db: Db,
  user: CurrentUser,
  input: InstructionInput,
  correlationId: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const establishmentCode = user.establishmentCode
    if (!(await mayEdit(trx, user, establishmentCode)))
      throw new ForbiddenError('Only the LSS owner or a nominated editor can add instructions.')
    const ref = `LI-${establishmentCode}-${String(await nextNumber(trx, 'lss_instruction_seq')).padStart(4, '0')}`
    const created = await insertInstruction(trx, {
      ref,
      establishmentCode,
      riskArea: input.riskArea,
      title: input.title,
      owner: input.owner,
      nationalPolicyUrl: input.nationalPolicyUrl ?? null,
      supportingTools: input.supportingTools,
      reviewDue: input.reviewDue ?? null,
      createdAt: now,
      createdBy: user.username,
    })
    await insertInstructionVersion(trx, {
      instructionId: created.id,
      version: 1,
      ...pickText(input),
      textHash: textHash(input),
      amendmentId: null,
      publishedAt: now,
      publishedBy: user.username,
    })
    await audit({
      action: 'lss.instruction-created',
      subjectType: 'lss-instruction',
      subjectId: ref,
      establishmentCode,
    })
    return { id: created.id, ref }
  })
}

/** Whether the user may add instructions and propose amendments here: the LSS owner or a nominated editor. */
function canEdit(db: Db, user: CurrentUser, establishmentCode: string) {
  return mayEdit(db, user, establishmentCode)
}

/** Of these establishments, those that have an LSS. */
function establishmentsWithLss(db: Db, codes: readonly string[]) {
  return establishmentsWithInstructions(db, codes)
}

/** An establishment's instructions whose review falls on or before `until`. */
function reviewsDue(db: Db, establishmentCode: string, until: string) {
  return instructionsForReview(db, establishmentCode, until)
}

/** The strategy and its local instructions. */
export function instructionUseCases(db: Db) {
  return {
    strategy: strategy.bind(null, db),
    instruction: instruction.bind(null, db),
    createInstruction: createInstruction.bind(null, db),
    canEdit: canEdit.bind(null, db),
    establishmentsWithLss: establishmentsWithLss.bind(null, db),
    reviewsDue: reviewsDue.bind(null, db),
  }
}
