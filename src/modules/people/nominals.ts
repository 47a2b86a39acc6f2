import { auditingDenials, NotVisibleError } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import * as repo from './repository.ts'
import { alertIsActive, compartmentForKind, isSecurityCategory } from './rules.ts'
import type { NominalInput, SearchQuery } from './schema.ts'

export const SEARCH_PAGE_SIZE = 20

/**
 * The nominal if the user may see it. Otherwise "not found": a real record outside their scope is a NotVisibleError,
 * which `auditingDenials` records as a denied look.
 */
export async function visibleNominalOr404(trx: Executor, user: CurrentUser, ref: string) {
  const nominal = await repo.findVisibleNominal(trx, user, ref)
  if (nominal) return nominal
  const exists = await repo.nominalExists(trx, ref)
  if (!exists) throw new NotFoundError()
  throw new NotVisibleError({
    action: 'nominal.view-denied',
    subjectType: 'nominal',
    subjectId: ref,
    establishmentCode: exists.establishmentCode,
  })
}

/** Finding people, reading a profile, and adding a person by hand. */
export function nominalUseCases(db: Db) {
  return {
    async search(user: CurrentUser, query: SearchQuery) {
      const { rows, total } = await repo.searchNominals(db, user, query, SEARCH_PAGE_SIZE)
      const ids = rows.map(row => row.id)
      const [aliases, alerts] = await Promise.all([repo.listAliases(db, ids), repo.listCurrentAlerts(db, user, ids)])
      const today = londonToday(new Date())
      return {
        total,
        results: rows.map(row => ({
          ...row,
          aliases: aliases.filter(alias => alias.nominalId === row.id),
          activeAlerts: alerts.filter(alert => alert.nominalId === row.id && alertIsActive(alert, today)),
        })),
      }
    },

    /** A nominal's identity, location and flags; the read is audited. */
    async profile(user: CurrentUser, ref: string, correlationId: string, now = new Date()) {
      const actor = actorOf(user, correlationId)
      return auditingDenials(db, actor, () =>
        auditedTransaction(db, actor, now, async (trx, audit) => {
          const nominal = await visibleNominalOr404(trx, user, ref)
          const [aliases, alerts, transfers, protectedCharacteristics] = await Promise.all([
            repo.listAliases(trx, [nominal.id]),
            repo.listCurrentAlerts(trx, user, [nominal.id]),
            repo.listTransfers(trx, nominal.id),
            user.can('people:protected-characteristics')
              ? repo.findProtectedCharacteristics(trx, nominal.id)
              : Promise.resolve(undefined),
          ])
          const history = await repo.listAlertHistory(
            trx,
            alerts.map(alert => alert.id),
          )
          await audit({
            action: 'nominal.viewed',
            subjectType: 'nominal',
            subjectId: nominal.ref,
            establishmentCode: nominal.establishmentCode,
          })
          const today = londonToday(now)
          const withState = alerts.map(alert => ({
            ...alert,
            isActive: alertIsActive(alert, today),
            history: history.filter(version => version.alertId === alert.id),
          }))
          return {
            nominal,
            aliases,
            transfers,
            protectedCharacteristics: protectedCharacteristics ?? null,
            activeAlerts: withState.filter(alert => alert.isActive),
            inactiveAlerts: withState.filter(alert => !alert.isActive),
          }
        }),
      )
    },

    async findVisible(user: CurrentUser, ref: string) {
      return (await repo.findVisibleNominal(db, user, ref)) ?? null
    },

    /** A person added by hand: a prisoner by prison number, anyone else under a new N- reference. */
    async create(user: CurrentUser, input: NominalInput, correlationId: string, now = new Date()) {
      return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
        const establishment = await repo.findEstablishment(trx, input.establishmentCode)
        if (!establishment || !user.inScope(input.establishmentCode)) {
          throw ValidationError.field('establishmentCode', 'Select an establishment from the list')
        }
        if (input.securityCategory && !isSecurityCategory(input.securityCategory)) {
          throw ValidationError.field('securityCategory', 'Select a security category from the list')
        }
        if (input.prisonNumber && (await repo.findNominalByPrisonNumber(trx, input.prisonNumber))) {
          throw ValidationError.field('prisonNumber', 'A person with this prison number already exists')
        }
        const ref = input.prisonNumber ?? (await repo.nextNominalRef(trx))
        await repo.insertNominal(trx, nominalRow(ref, input, now))
        await audit({
          action: 'nominal.created',
          subjectType: 'nominal',
          subjectId: ref,
          establishmentCode: input.establishmentCode,
          details: { kind: input.kind },
        })
        return { ref }
      })
    },
  }
}

/** The row for a person added by hand: fields that belong to another kind of person are not kept. */
export function nominalRow(ref: string, input: NominalInput, now: Date) {
  const prisoner = input.kind === 'prisoner'
  return {
    ref,
    kind: input.kind,
    establishmentCode: input.establishmentCode,
    compartment: compartmentForKind(input.kind),
    firstName: input.firstName,
    middleNames: input.middleNames ?? null,
    lastName: input.lastName,
    dateOfBirth: input.dateOfBirth ?? null,
    prisonNumber: input.prisonNumber ?? null,
    bookingId: null,
    pncNumber: input.pncNumber ?? null,
    croNumber: input.croNumber ?? null,
    staffNumber: input.kind === 'staff' ? (input.staffNumber ?? null) : null,
    cellLocation: prisoner ? (input.cellLocation ?? null) : null,
    securityCategory: prisoner ? (input.securityCategory ?? null) : null,
    incentiveLevel: null,
    sentenceStartDate: null,
    releaseDate: prisoner ? (input.releaseDate ?? null) : null,
    conditionalReleaseDate: null,
    notes: input.notes ?? null,
    createdAt: now,
    updatedAt: now,
  }
}
