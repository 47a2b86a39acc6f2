import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, recordAudit } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import * as repo from './repository.ts'
import { alertCodeVisible, alertDatesProblem, alertIsActive, compartmentForKind, isSecurityCategory } from './rules.ts'
import type { AlertChange, AlertInput, EstablishmentInput, NominalInput, SearchQuery } from './schema.ts'

export const SEARCH_PAGE_SIZE = 20

/** Use cases for people and their flags. Every read and write is scoped to what the user may see. */
export function peopleService(db: Db) {
  /** The nominal if the user may see it; otherwise "not found", remembering a look at a real record for audit. */
  async function visibleOr404(trx: Executor, user: CurrentUser, ref: string) {
    const nominal = await repo.findVisibleNominal(trx, user, ref)
    if (nominal) return nominal
    const exists = await repo.nominalExists(trx, ref)
    throw exists ? new NotVisibleError(ref, exists.establishmentCode) : new NotFoundError()
  }

  /**
   * Runs a use case; a look at a record outside the user's scope or compartments is answered "not found" (the
   * person is not told it exists) and audited in its own transaction, since the use case's own rolled back.
   */
  async function auditingDenials<T>(
    user: CurrentUser,
    correlationId: string | null,
    work: () => Promise<T>,
    now = new Date(),
  ) {
    try {
      return await work()
    } catch (error) {
      if (!(error instanceof NotVisibleError)) throw error
      await db.transaction().execute(trx =>
        recordAudit(
          trx,
          { userId: user.id, username: user.username, establishmentCode: user.establishmentCode, correlationId },
          {
            action: 'nominal.view-denied',
            subjectType: 'nominal',
            subjectId: error.ref,
            establishmentCode: error.establishmentCode,
          },
          now,
        ),
      )
      throw new NotFoundError()
    }
  }

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
      return auditingDenials(user, correlationId, () =>
        db.transaction().execute(async trx => {
          const nominal = await visibleOr404(trx, user, ref)
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
          await recordAudit(
            trx,
            { userId: user.id, username: user.username, establishmentCode: user.establishmentCode, correlationId },
            {
              action: 'nominal.viewed',
              subjectType: 'nominal',
              subjectId: nominal.ref,
              establishmentCode: nominal.establishmentCode,
            },
            now,
          )
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

    /** Counts for the LSS risk assessment's evidence: flags that every role may see, of prisoners in custody. */
    flaggedPrisonerCounts(establishmentCode: string) {
      return repo.flaggedPrisonerCounts(db, establishmentCode)
    },

    async findVisible(user: CurrentUser, ref: string) {
      return (await repo.findVisibleNominal(db, user, ref)) ?? null
    },

    async create(user: CurrentUser, input: NominalInput, correlationId: string, now = new Date()) {
      return db.transaction().execute(async trx => {
        await assertEstablishmentInScope(trx, user, input.establishmentCode)
        if (input.securityCategory && !isSecurityCategory(input.securityCategory)) {
          throw ValidationError.field('securityCategory', 'Select a security category from the list')
        }
        if (input.prisonNumber && (await repo.findNominalByPrisonNumber(trx, input.prisonNumber))) {
          throw ValidationError.field('prisonNumber', 'A person with this prison number already exists')
        }
        const ref = input.prisonNumber ?? (await repo.nextNominalRef(trx))
        await trx
          .insertInto('peopleNominal')
          .values({
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
            cellLocation: input.kind === 'prisoner' ? (input.cellLocation ?? null) : null,
            securityCategory: input.kind === 'prisoner' ? (input.securityCategory ?? null) : null,
            incentiveLevel: null,
            sentenceStartDate: null,
            releaseDate: input.kind === 'prisoner' ? (input.releaseDate ?? null) : null,
            conditionalReleaseDate: null,
            notes: input.notes ?? null,
            createdAt: now,
            updatedAt: now,
          })
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'nominal.created',
            subjectType: 'nominal',
            subjectId: ref,
            establishmentCode: input.establishmentCode,
            details: { kind: input.kind },
          },
          now,
        )
        return { ref }
      })
    },

    async alertCodes(user: CurrentUser) {
      return (await repo.listAlertCodes(db)).filter(code => alertCodeVisible(code.visibleToRoles, user.roles))
    },

    async alerts(user: CurrentUser, ref: string, now = new Date()) {
      const nominal = await auditingDenials(user, null, () => visibleOr404(db, user, ref))
      const today = londonToday(now)
      const alerts = await repo.listCurrentAlerts(db, user, [nominal.id])
      return { nominal, alerts: alerts.map(alert => ({ ...alert, isActive: alertIsActive(alert, today) })) }
    },

    /** Sets a flag. A person cannot hold two active flags with the same code (as in NOMIS). */
    async addAlert(user: CurrentUser, ref: string, input: AlertInput, correlationId: string, now = new Date()) {
      return auditingDenials(user, correlationId, () =>
        db.transaction().execute(async trx => {
          const nominal = await visibleOr404(trx, user, ref)
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
          const id = await insertAlert(trx, {
            nominalId: nominal.id,
            alertCode: code.code,
            source: 'manual',
            description: input.description ?? null,
            authorisedBy: input.authorisedBy,
            ...period,
            changedBy: user.username,
            now,
          })
          await recordAudit(
            trx,
            actorOf(user, correlationId),
            {
              action: 'flag.created',
              subjectType: 'nominal',
              subjectId: nominal.ref,
              establishmentCode: nominal.establishmentCode,
              details: { alertId: id, alertCode: code.code, activeFrom: period.activeFrom, activeTo: period.activeTo },
            },
            now,
          )
          return { id }
        }),
      )
    },

    /** Amends or closes a flag as a new version; the earlier versions stay as they were. */
    async changeAlert(
      user: CurrentUser,
      alertId: string,
      change: AlertChange,
      correlationId: string,
      now = new Date(),
    ) {
      return db.transaction().execute(async trx => {
        const alert = await repo.findAlert(trx, alertId)
        if (
          !alert ||
          !user.can('flags:manage', { establishmentCode: alert.establishmentCode, compartment: alert.compartment }) ||
          !alertCodeVisible(alert.visibleToRoles, user.roles)
        ) {
          throw new NotFoundError('That flag does not exist')
        }
        const today = londonToday(now)
        const period = {
          activeFrom: change.activeFrom ?? alert.activeFrom,
          activeTo: change.action === 'close' ? (change.activeTo ?? today) : (change.activeTo ?? alert.activeTo),
        }
        if (change.action === 'close' && alert.activeTo !== null && alert.activeTo <= today) {
          throw new ConflictError('This flag is already closed.')
        }
        const problem = alertDatesProblem(period)
        if (problem) throw ValidationError.field(problem.field, problem.message)
        const next = {
          description: change.description ?? alert.description,
          authorisedBy: change.authorisedBy ?? alert.authorisedBy,
          ...period,
        }
        await trx
          .insertInto('peopleAlertVersion')
          .values({
            alertId,
            version: alert.version + 1,
            change: change.action === 'close' ? 'closed' : 'amended',
            description: next.description,
            authorisedBy: next.authorisedBy,
            activeFrom: next.activeFrom,
            activeTo: next.activeTo,
            comment: change.comment,
            changedBy: user.username,
            changedAt: now,
          })
          .execute()
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: change.action === 'close' ? 'flag.closed' : 'flag.amended',
            subjectType: 'nominal',
            subjectId: alert.ref,
            establishmentCode: alert.establishmentCode,
            details: {
              alertId,
              alertCode: alert.alertCode,
              version: alert.version + 1,
              activeFrom: next.activeFrom,
              activeTo: next.activeTo,
            },
          },
          now,
        )
        return {
          ref: alert.ref,
          isActive: alertIsActive(next, today),
          ...next,
          alertCode: alert.alertCode,
          codeDescription: alert.codeDescription,
        }
      })
    },

    async establishment(code: string) {
      const found = await db.selectFrom('establishment').selectAll().where('code', '=', code).executeTakeFirst()
      if (!found) throw new NotFoundError()
      return found
    },

    /** Reference data: codes are never deleted, only deactivated. */
    async updateEstablishment(
      user: CurrentUser,
      code: string,
      input: EstablishmentInput,
      correlationId: string,
      now = new Date(),
    ) {
      await db.transaction().execute(async trx => {
        const before = await trx.selectFrom('establishment').selectAll().where('code', '=', code).executeTakeFirst()
        if (!before) throw new NotFoundError()
        const next = { ...input, prisonGroup: input.prisonGroup ?? null, socuRegion: input.socuRegion ?? null }
        await trx
          .updateTable('establishment')
          .set({ ...next, updatedAt: now })
          .where('code', '=', code)
          .execute()
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
          key => JSON.stringify(before[key]) !== JSON.stringify(next[key]),
        )
        await recordAudit(
          trx,
          actorOf(user, correlationId),
          {
            action: 'establishment.updated',
            subjectType: 'establishment',
            subjectId: code,
            establishmentCode: code,
            details: { changed },
          },
          now,
        )
      })
    },

    /** Establishments, the user's own first. */
    async establishments(user: CurrentUser) {
      const all = await repo.listEstablishments(db)
      return [
        ...all.filter(e => e.code === user.establishmentCode),
        ...all.filter(e => e.code !== user.establishmentCode),
      ]
    },
  }
}
export type PeopleService = ReturnType<typeof peopleService>

class NotVisibleError extends NotFoundError {
  readonly ref: string
  readonly establishmentCode: string
  constructor(ref: string, establishmentCode: string) {
    super()
    this.ref = ref
    this.establishmentCode = establishmentCode
  }
}

async function assertEstablishmentInScope(trx: Executor, user: CurrentUser, code: string) {
  const found = await trx.selectFrom('establishment').select('code').where('code', '=', code).executeTakeFirst()
  if (!found || !user.inScope(code))
    throw ValidationError.field('establishmentCode', 'Select an establishment from the list')
}

export async function insertAlert(
  trx: Executor,
  alert: {
    nominalId: string
    alertCode: string
    source: 'manual' | 'import' | 'ocgm'
    description: string | null
    authorisedBy: string | null
    activeFrom: string
    activeTo: string | null
    changedBy: string
    comment?: string
    now: Date
  },
): Promise<string> {
  const created = await trx
    .insertInto('peopleAlert')
    .values({
      nominalId: alert.nominalId,
      alertCode: alert.alertCode,
      source: alert.source,
      createdAt: alert.now,
      createdBy: alert.changedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('peopleAlertVersion')
    .values({
      alertId: created.id,
      version: 1,
      change: 'created',
      description: alert.description,
      authorisedBy: alert.authorisedBy,
      activeFrom: alert.activeFrom,
      activeTo: alert.activeTo,
      comment: alert.comment ?? null,
      changedBy: alert.changedBy,
      changedAt: alert.now,
    })
    .execute()
  return created.id
}

export type AlertVersion = {
  alertId: string
  version: number
  description: string | null
  authorisedBy: string | null
  activeFrom: string
  activeTo: string | null
}

/** Closes a flag today (or on its first day, if that is later) as a new version; the earlier ones stay. */
export async function closeAlert(
  trx: Executor,
  latest: AlertVersion,
  by: string,
  comment: string,
  today: string,
  now: Date,
) {
  await trx
    .insertInto('peopleAlertVersion')
    .values({
      alertId: latest.alertId,
      version: latest.version + 1,
      change: 'closed',
      description: latest.description,
      authorisedBy: latest.authorisedBy,
      activeFrom: latest.activeFrom,
      activeTo: today < latest.activeFrom ? latest.activeFrom : today,
      comment,
      changedBy: by,
      changedAt: now,
    })
    .execute()
}

/** Every flag of one code that is active today, with its latest version and whose it is. */
export async function activeAlertsWithCode(trx: Executor, alertCode: string, today: string) {
  const rows = await trx
    .selectFrom('peopleAlert as a')
    .innerJoinLateral(
      eb =>
        eb
          .selectFrom('peopleAlertVersion as v')
          .selectAll('v')
          .whereRef('v.alertId', '=', 'a.id')
          .orderBy('v.version', 'desc')
          .limit(1)
          .as('v'),
      join => join.onTrue(),
    )
    .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
    .select([
      'a.id',
      'a.nominalId',
      'a.source',
      'n.ref',
      'v.alertId',
      'v.version',
      'v.activeFrom',
      'v.activeTo',
      'v.description',
      'v.authorisedBy',
    ])
    .where('a.alertCode', '=', alertCode)
    .execute()
  return rows.filter(row => alertIsActive(row, today))
}
