import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { ConflictError, ForbiddenError } from '../../platform/http/errors.ts'
import { activeStaffAt, departmentOfUser } from '../../platform/users/repository.ts'
import { visibleInstruction, withDenials } from './access.ts'
import { acknowledgementsAt, insertAcknowledgement, instructionsOf } from './repository.ts'

// Staff awareness (LSS PF 4.6): staff confirm they have read the current version of each instruction, and the LSS
// owner sees who has not.

/**
 * The user confirms reading the current version of an instruction; a second confirmation changes nothing. `version`,
 * when given, is the version the person read: if a newer one has been published since, they must read that first.
 */
async function acknowledge(
  db: Db,
  user: CurrentUser,
  instructionId: string,
  options: { correlationId?: string; version?: number; now?: Date } = {},
) {
  const { correlationId = null, now = new Date() } = options
  return withDenials(db, user, correlationId, () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const instruction = await visibleInstruction(trx, user, instructionId)
      if (options.version !== undefined && options.version !== instruction.currentVersion)
        throw new ConflictError(
          `Version ${instruction.currentVersion} of this instruction has been published since: read it, then confirm`,
        )
      await insertAcknowledgement(trx, {
        instructionId,
        version: instruction.currentVersion,
        username: user.username,
        department: await departmentOfUser(trx, user.id),
        establishmentCode: instruction.establishmentCode,
        acknowledgedAt: now,
      })
      await audit({
        action: 'lss.acknowledged',
        subjectType: 'lss-instruction',
        subjectId: instruction.ref,
        establishmentCode: instruction.establishmentCode,
        details: { version: instruction.currentVersion },
      })
      return { instructionId, ref: instruction.ref, version: instruction.currentVersion }
    }),
  )
}

/** LSS PF 4.6: who has read the current version of each instruction, by department and person. */
async function acknowledgements(db: Db, user: CurrentUser, establishmentCode: string) {
  if (!user.can('lss:manage', { establishmentCode }) && !user.can('lss:edit', { establishmentCode }))
    throw new ForbiddenError()
  const staff = await activeStaffAt(db, establishmentCode)
  const instructions = await instructionsOf(db, establishmentCode)
  const acks = await acknowledgementsAt(db, establishmentCode)
  return {
    staff,
    instructions: instructions.map(instruction => {
      const current = acks.filter(a => a.instructionId === instruction.id && a.version === instruction.currentVersion)
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
}

/** Staff awareness of the strategy. */
export function awarenessUseCases(db: Db) {
  return {
    acknowledge: acknowledge.bind(null, db),
    acknowledgements: acknowledgements.bind(null, db),
  }
}
