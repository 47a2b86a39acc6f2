import { auditingDenials } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { visibleNominalOr404 } from './nominals.ts'
import * as repo from './repository.ts'
import { alertCodeVisible, alertDatesProblem, alertIsActive } from './rules.ts'
import type { AlertChange, AlertInput } from './schema.ts'

/** Security flags (NOMIS alerts): set, amend and close, each change a new version. */
export function flagUseCases(db: Db) {
  async function alerts(user: CurrentUser, ref: string, now = new Date()) {
    const nominal = await auditingDenials(db, actorOf(user, null), () => visibleNominalOr404(db, user, ref))
    const today = londonToday(now)
    const current = await repo.listCurrentAlerts(db, user, [nominal.id])
    return { nominal, alerts: current.map(alert => ({ ...alert, isActive: alertIsActive(alert, today) })) }
  }

  return {
    alerts,

    async alertCodes(user: CurrentUser) {
      return (await repo.listAlertCodes(db)).filter(code => alertCodeVisible(code.visibleToRoles, user.roles))
    },

    /** A flag the user may change, with whose it is: "not found" for anything else. */
    async alertForChange(user: CurrentUser, alertId: string) {
      const ref = await repo.findAlertNominalRef(db, alertId)
      if (!ref) throw new NotFoundError('That flag does not exist')
      const { nominal, alerts: current } = await alerts(user, ref)
      const alert = current.find(a => a.id === alertId)
      if (!alert || !user.can('flags:manage', { establishmentCode: nominal.establishmentCode })) {
        throw new NotFoundError()
      }
      return { alert, nominal }
    },

    /** Counts for the LSS risk assessment's evidence: flags that every role may see, of prisoners in custody. */
    flaggedPrisonerCounts(establishmentCode: string) {
      return repo.flaggedPrisonerCounts(db, establishmentCode)
    },

    addAlert: (user: CurrentUser, ref: string, input: AlertInput, correlationId: string, now = new Date()) =>
      addAlert(db, user, ref, input, correlationId, now),

    changeAlert: (user: CurrentUser, alertId: string, change: AlertChange, correlationId: string, now = new Date()) =>
      changeAlert(db, user, alertId, change, correlationId, now),
  }
}

/** Sets a flag. A person cannot hold two active flags with the same code (as in NOMIS). */
async function addAlert(db: Db, user: CurrentUser, ref: string, input: AlertInput, correlationId: string, now: Date) {
  const actor = actorOf(user, correlationId)
  return auditingDenials(db, actor, () =>
    auditedTransaction(db, actor, now, async (trx, audit) => {
      const nominal = await visibleNominalOr404(trx, user, ref)
      const code = await repo.findAlertCode(trx, input.alertCode)
      if (!code?.active || !alertCodeVisible(code.visibleToRoles, user.roles)) {
        throw ValidationError.field('alertCode', 'Select a flag from the list')
      }
      const period = { activeFrom: input.activeFrom, activeTo: input.activeTo ?? null }
      const problem = alertDatesProblem(period)
      if (problem) throw ValidationError.field(problem.field, problem.message)
      const today = londonToday(now)
      const current = await repo.listCurrentAlerts(trx, user, [nominal.id])
      if (current.some(alert => alert.alertCode === code.code && alertIsActive(alert, today))) {
        throw ValidationError.field('alertCode', `This person already has an active ${code.description} flag`)
      }
      const id = await repo.insertAlert(trx, {
        nominalId: nominal.id,
        alertCode: code.code,
        source: 'manual',
        description: input.description ?? null,
        authorisedBy: input.authorisedBy,
        ...period,
        changedBy: user.username,
        now,
      })
      await audit({
        action: 'flag.created',
        subjectType: 'nominal',
        subjectId: nominal.ref,
        establishmentCode: nominal.establishmentCode,
        details: { alertId: id, alertCode: code.code, activeFrom: period.activeFrom, activeTo: period.activeTo },
      })
      return { id }
    }),
  )
}

/** Amends or closes a flag as a new version; the earlier versions stay as they were. */
async function changeAlert(
  db: Db,
  user: CurrentUser,
  alertId: string,
  change: AlertChange,
  correlationId: string,
  now: Date,
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const alert = await repo.findAlert(trx, alertId)
    if (
      !alert ||
      !user.can('flags:manage', { establishmentCode: alert.establishmentCode, compartment: alert.compartment }) ||
      !alertCodeVisible(alert.visibleToRoles, user.roles)
    ) {
      throw new NotFoundError('That flag does not exist')
    }
    const today = londonToday(now)
    const closing = change.action === 'close'
    if (closing && alert.activeTo !== null && alert.activeTo <= today) {
      throw new ConflictError('This flag is already closed.')
    }
    const next = {
      description: change.description ?? alert.description,
      authorisedBy: change.authorisedBy ?? alert.authorisedBy,
      activeFrom: change.activeFrom ?? alert.activeFrom,
      activeTo: closing ? (change.activeTo ?? today) : (change.activeTo ?? alert.activeTo),
    }
    const problem = alertDatesProblem(next)
    if (problem) throw ValidationError.field(problem.field, problem.message)
    const version = alert.version + 1
    await repo.insertAlertVersion(trx, {
      alertId,
      version,
      change: closing ? 'closed' : 'amended',
      ...next,
      comment: change.comment,
      changedBy: user.username,
      changedAt: now,
    })
    await audit({
      action: closing ? 'flag.closed' : 'flag.amended',
      subjectType: 'nominal',
      subjectId: alert.ref,
      establishmentCode: alert.establishmentCode,
      details: {
        alertId,
        alertCode: alert.alertCode,
        version,
        activeFrom: next.activeFrom,
        activeTo: next.activeTo,
      },
    })
    return {
      ref: alert.ref,
      isActive: alertIsActive(next, today),
      ...next,
      alertCode: alert.alertCode,
      codeDescription: alert.codeDescription,
    }
  })
}
