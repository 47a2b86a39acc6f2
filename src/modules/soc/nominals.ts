import { auditingDenials, NotVisibleError } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import * as repository from './repository.ts'
import { type Band, type DueDates, dueDates } from './rules.ts'

// Reading SOC nominals: the cohort, one nominal with their history, the profile panel and the Band 1 briefing.

type ClockColumns = {
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
}

/** The clocks whose date has passed: due before today, as the home page counts them overdue. */
function overdueClocks(due: DueDates, today: string): Partial<Record<keyof DueDates, true>> {
  const overdue: Partial<Record<keyof DueDates, true>> = {}
  for (const [clock, date] of Object.entries(due)) if (date && date < today) overdue[clock as keyof DueDates] = true
  return overdue
}

/** A nominal with the due date of each clock that applies to them, and which of those are overdue today. */
export function withDueDates<T extends ClockColumns>(row: T, today = londonToday(new Date())) {
  const due = dueDates({
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
  })
  return { ...row, dueDates: due, overdue: overdueClocks(due, today) }
}

const NOT_VISIBLE = 'That person is not a SOC nominal you can see'

/**
 * A SOC nominal the user may see. One held outside their scope is a denied look (audited where the use case runs
 * under `auditingDenials`); one in a compartment they lack does not exist for them.
 */
export async function socNominalOr404(trx: Executor, user: CurrentUser, prisonerNumber: string) {
  const row = await repository.findSocNominal(trx, user, prisonerNumber)
  if (row) return row
  const placing = await repository.findSocNominalPlacing(trx, prisonerNumber)
  if (placing && user.holds(placing.compartment))
    throw new NotVisibleError(
      {
        action: 'soc.view-denied',
        subjectType: 'soc-nominal',
        subjectId: prisonerNumber,
        establishmentCode: placing.establishmentCode,
      },
      NOT_VISIBLE,
    )
  throw new NotFoundError(NOT_VISIBLE)
}

/** A person the user may see, named by their reference in a form field. */
export async function visiblePerson(trx: Executor, user: CurrentUser, ref: string, field = 'prisonerNumber') {
  const person = await repository.findVisiblePerson(trx, user, ref)
  if (!person) throw ValidationError.field(field, `No person you can see has the reference ${ref}`)
  return person
}

/** The SOC panel of a profile (SOC PF 4.6): band, status and groups; the caller has checked soc:read. */
function profileSummary(db: Db, nominalId: string) {
  return repository.findProfileSummary(db, nominalId)
}

export async function list(db: Db, user: CurrentUser, filter: { band?: Band; status?: string }) {
  const today = londonToday(new Date())
  return (await repository.listSocNominals(db, user, filter)).map(row => withDueDates(row, today))
}

/** Whether the person has a SOC page the user may see (a form's errors are shown there). */
async function isVisible(db: Db, user: CurrentUser, prisonerNumber: string) {
  return (await repository.findSocNominal(db, user, prisonerNumber)) !== undefined
}

/** A SOC nominal with their history, its reading audited. Plan details are need-to-know (soc:case). */
async function get(db: Db, user: CurrentUser, prisonerNumber: string, correlationId: string | null, now = new Date()) {
  const actor = actorOf(user, correlationId)
  return auditingDenials(db, actor, () =>
    auditedTransaction(db, actor, now, async (trx, audit) => {
      const nominal = withDueDates(await socNominalOr404(trx, user, prisonerNumber), londonToday(now))
      const [decisions, reviews, triggers, disruptions, groups, actions] = await Promise.all([
        repository.listDecisionsOf(trx, nominal.id),
        repository.listReviewsOf(trx, nominal.id),
        repository.listTriggersOf(trx, [nominal.id]),
        repository.listDisruptionsOf(trx, [nominal.id]),
        repository.listGroupsOf(trx, nominal.nominalId),
        user.can('soc:case') ? repository.listPlanActionsOf(trx, nominal.id) : Promise.resolve(null),
      ])
      // The other members of their groups whom the viewer may see: each links to the intelligence about them.
      const associates = groups.length ? await repository.listVisibleAssociates(trx, user, nominal.nominalId) : []
      await audit({
        action: 'soc.nominal-viewed',
        subjectType: 'soc-nominal',
        subjectId: prisonerNumber,
        establishmentCode: nominal.establishmentCode,
      })
      return {
        nominal,
        decisions: await withDisplayNames(trx, decisions, ['decidedBy']),
        reviews: await withDisplayNames(trx, reviews, ['reviewedBy']),
        triggers: await withDisplayNames(trx, triggers, ['recordedBy']),
        disruptions,
        groups,
        associates,
        actions,
      }
    }),
  )
}

/** The monthly Band 1 briefing for a Governor (SOC PF 4.40). */
async function briefing(db: Db, user: CurrentUser, establishmentCode: string) {
  if (!user.inScope(establishmentCode)) throw new NotFoundError()
  const band1 = (await list(db, user, { band: '1' })).filter(n => n.establishmentCode === establishmentCode)
  const ids = band1.map(n => n.id)
  const [triggers, disruptions, establishment] = await Promise.all([
    repository.listTriggersOf(db, ids),
    repository.listDisruptionsOf(db, ids),
    repository.findEstablishment(db, establishmentCode),
  ])
  return { establishment, band1, triggers, disruptions }
}

export function nominalUseCases(db: Db) {
  return {
    profileSummary: profileSummary.bind(null, db),
    list: list.bind(null, db),
    isVisible: isVisible.bind(null, db),
    get: get.bind(null, db),
    briefing: briefing.bind(null, db),
  }
}
export type NominalUseCases = ReturnType<typeof nominalUseCases>
