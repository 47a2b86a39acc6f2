import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { socNominalOr404 } from './nominals.ts'
import * as repository from './repository.ts'

// Disruptions (SOC PF 5.6): what was done, against whom, its impact; moderated later by a panel.

export type DisruptionInput = {
  prisonerNumber?: string
  groupRef?: string
  occurredOn: string
  what: string
  impact: string
}
export type ModerationInput = { moderation: string; moderatedImpact?: string; notes?: string }

/** Who was disrupted: a SOC nominal the user may see, an organised crime group, or both. */
async function disruptedParties(trx: Executor, user: CurrentUser, input: DisruptionInput) {
  let nominal: { id: string; establishmentCode: string } | null = null
  let groupId: string | null = null
  if (input.prisonerNumber) {
    nominal = await socNominalOr404(trx, user, input.prisonerNumber).catch(() => {
      throw ValidationError.field('prisonerNumber', 'Record disruptions against SOC nominals you can see')
    })
  }
  if (input.groupRef) {
    const group = await repository.findGroupByRef(trx, input.groupRef)
    if (!group) throw ValidationError.field('groupRef', 'No organised crime group has that reference')
    groupId = group.id
  }
  if (!nominal && !groupId) throw ValidationError.field('prisonerNumber', 'Say who was disrupted: a nominal or a group')
  return { socNominalId: nominal?.id ?? null, establishmentCode: nominal?.establishmentCode ?? null, groupId }
}

async function disrupt(db: Db, user: CurrentUser, input: DisruptionInput, correlationId: string, now = new Date()) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const parties = await disruptedParties(trx, user, input)
    const id = await repository.insertDisruption(trx, {
      ...parties,
      occurredOn: input.occurredOn,
      what: input.what,
      impact: input.impact,
      recordedBy: user.username,
      recordedAt: now,
    })
    await audit({
      action: 'soc.disruption',
      subjectType: 'soc-disruption',
      subjectId: id,
      establishmentCode: parties.establishmentCode,
      details: { impact: input.impact },
    })
    return { id }
  })
}

function disruptions(db: Db, user: CurrentUser) {
  return repository.listDisruptions(db, user)
}

/** The moderation panel's decision on a disruption, once. */
async function moderate(
  db: Db,
  user: CurrentUser,
  id: string,
  input: ModerationInput,
  correlationId: string,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const found = await repository.findDisruption(trx, id)
    if (!found || (found.establishmentCode && !user.inScope(found.establishmentCode))) throw new NotFoundError()
    if (found.moderation !== 'pending') throw new ConflictError('This disruption has already been moderated.')
    await repository.moderateDisruption(trx, id, {
      moderation: input.moderation,
      moderatedImpact: input.moderatedImpact ?? null,
      moderationNotes: input.notes ?? null,
      moderatedBy: user.username,
      moderatedAt: now,
    })
    await audit({
      action: 'soc.disruption-moderated',
      subjectType: 'soc-disruption',
      subjectId: id,
      establishmentCode: found.establishmentCode,
      details: { moderation: input.moderation },
    })
    return { id, moderation: input.moderation }
  })
}

export function disruptionUseCases(db: Db) {
  return {
    disrupt: disrupt.bind(null, db),
    disruptions: disruptions.bind(null, db),
    moderate: moderate.bind(null, db),
  }
}
