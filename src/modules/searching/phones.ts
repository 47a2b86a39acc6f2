import { randomBytes } from 'node:crypto'
import { auditingDenials, visibleOr404 } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction, recordAudit } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ConflictError, ValidationError } from '../../platform/http/errors.ts'
import { drawReference } from '../../platform/reference/codes.ts'
import { listEstablishmentOptions, withDisplayNames } from '../../platform/users/repository.ts'
import { formatDateTime } from '../../platform/views/views.ts'
import type { IntelligenceService } from '../intelligence/service.ts'
import * as repository from './repository.ts'
import {
  FIND_CATEGORY_NAMES,
  type FindCategory,
  identifierProblems,
  interrogationProblems,
  interrogationRefusal,
  interrogationResultProblems,
  interrogationState,
  LAWFUL_BASIS_NAMES,
  type LawfulBasis,
} from './rules.ts'
import type { InterrogationRequestInput, InterrogationResultInput } from './schema.ts'

// Seized phones and SIM cards (output 15): a find is sent for interrogation under a lawful basis, and the result is
// recorded as intelligence (intelligence's phone-interrogation report), so that the numbers and IMEIs found are
// entities that correlation and the network see. What was found is intelligence: it is shown with its report, to
// those who may read that report.

/**
 * What searching asks of intelligence: the report a result is recorded in (written in searching's transaction), and
 * which of those reports exist for a user.
 */
export type PhoneIntelligence = Pick<IntelligenceService, 'reportPhoneInterrogation' | 'visibleReportRefs'>

/** A find the user may see. One held at a prison outside their scope is a denied look, audited; then "not found". */
async function phoneFindOr404(trx: Executor, user: CurrentUser, ref: string) {
  return visibleOr404(user, await repository.phoneFind(trx, user, ref), () => repository.findPlacing(trx, ref), {
    action: 'searching.view-denied',
    subjectType: 'searching-find',
    subjectId: ref,
  })
}

async function interrogationOr404(trx: Executor, user: CurrentUser, ref: string) {
  const row = await repository.visibleInterrogationByRef(trx, user, ref)
  return visibleOr404(user, row, () => repository.interrogationPlacing(trx, ref), {
    action: 'searching.view-denied',
    subjectType: 'searching-interrogation',
    subjectId: ref,
  })
}

/** Output 15: a phone or SIM card found is sent for interrogation under a lawful basis. */
async function requestInterrogation(
  db: Db,
  user: CurrentUser,
  findRef: string,
  input: InterrogationRequestInput,
  correlationId: string | null,
  now = new Date(),
) {
  const actor = actorOf(user, correlationId)
  return auditingDenials(db, actor, () =>
    auditedTransaction(db, actor, now, async (trx, audit) => {
      const find = await phoneFindOr404(trx, user, findRef)
      const category = find.category as FindCategory
      const refusal = interrogationRefusal(
        { category },
        (await repository.awaitingInterrogationOf(trx, find.id)) ?? null,
      )
      if (refusal) throw new ConflictError(refusal)
      const problems = [...interrogationProblems(input), ...identifierProblems({ category }, input)]
      if (problems.length > 0) throw new ValidationError(problems)
      const { establishmentCode } = find
      const inserted = await repository.insertInterrogation(
        trx,
        {
          findId: find.id,
          establishmentCode,
          imei: input.imei ?? null,
          iccid: input.iccid ?? null,
          lawfulBasis: input.lawfulBasis,
          authorisationRef: input.authorisationRef ?? null,
          requestedBy: user.username,
          requestedAt: now,
        },
        () => drawReference('PH', establishmentCode, now.getUTCFullYear(), randomBytes),
      )
      if (!inserted) throw new ConflictError('Someone else asked for this find to be interrogated first.')
      await audit({
        action: 'searching.interrogation-requested',
        subjectType: 'searching-interrogation',
        subjectId: inserted.ref,
        establishmentCode,
        details: {
          findRef: find.ref,
          lawfulBasis: input.lawfulBasis,
          authorisationRef: input.authorisationRef ?? null,
        },
      })
      return { ref: inserted.ref, findRef: find.ref }
    }),
  )
}

const unique = <T>(values: readonly T[]) => [...new Set(values)]

/**
 * Output 15: the result of an interrogation, recorded once, with the report it becomes in the same transaction: the
 * people linked to the find (those the user may see) are its subjects, its IMEIs and numbers its entities.
 */
async function recordInterrogationResult(
  db: Db,
  intelligence: PhoneIntelligence,
  user: CurrentUser,
  ref: string,
  input: InterrogationResultInput,
  correlationId: string | null,
  now = new Date(),
) {
  const actor = actorOf(user, correlationId)
  return auditingDenials(db, actor, () =>
    auditedTransaction(db, actor, now, async (trx, audit) => {
      const row = await interrogationOr404(trx, user, ref)
      if (row.resultAt) {
        throw new ConflictError(`The result of ${row.ref} was recorded on ${formatDateTime(row.resultAt)}.`)
      }
      const found = {
        imeis: unique(input.imeis),
        numbers: unique(input.numbers),
        contacts: input.contacts.filter(
          (contact, index) =>
            input.contacts.findIndex(c => c.name === contact.name && c.number === contact.number) === index,
        ),
      }
      const problems = interrogationResultProblems(found)
      if (problems.length > 0) throw new ValidationError(problems)
      const people = await repository.peopleOfFind(trx, user, row.findId)
      const report = await intelligence.reportPhoneInterrogation(
        trx,
        audit,
        user,
        {
          interrogationRef: row.ref,
          findRef: row.findRef,
          device: FIND_CATEGORY_NAMES[row.category as FindCategory].replace(/^Mobile/, 'mobile'),
          establishmentCode: row.establishmentCode,
          foundAt: row.foundAt,
          location: row.location,
          lawfulBasis: LAWFUL_BASIS_NAMES[row.lawfulBasis as LawfulBasis] ?? row.lawfulBasis,
          authorisationRef: row.authorisationRef,
          people: people.map(person => person.prisonerNumber),
          ...found,
        },
        now,
      )
      if (
        !(await repository.recordInterrogationResult(trx, row.id, {
          resultAt: now,
          resultBy: user.username,
          reportId: report.id,
        }))
      ) {
        throw new ConflictError(`Someone else recorded the result of ${row.ref} first.`)
      }
      await repository.insertInterrogationItems(trx, row.id, [
        ...found.imeis.map(value => ({ type: 'imei' as const, value, name: null })),
        ...found.numbers.map(value => ({ type: 'phone' as const, value, name: null })),
        ...found.contacts.map(contact => ({ type: 'contact' as const, value: contact.number, name: contact.name })),
      ])
      await audit({
        action: 'searching.interrogation-result',
        subjectType: 'searching-interrogation',
        subjectId: row.ref,
        establishmentCode: row.establishmentCode,
        details: {
          reportRef: report.ref,
          imeis: found.imeis.length,
          numbers: found.numbers.length,
          contacts: found.contacts.length,
          people: people.length,
        },
      })
      return { ref: row.ref, findRef: row.findRef, reportRef: report.ref, ...found }
    }),
  )
}

/**
 * The references of the reports these results went into, for those who read intelligence and only where the report
 * exists for them (an analyst may since have put it in a compartment they lack).
 */
function reportRefs(intelligence: PhoneIntelligence, user: CurrentUser, rows: readonly { reportId: string | null }[]) {
  if (!user.can('intelligence:read')) return Promise.resolve(new Map<string, string>())
  return intelligence.visibleReportRefs(
    user,
    rows.flatMap(row => (row.reportId ? [row.reportId] : [])),
  )
}

type Found = { imeis: string[]; numbers: string[]; contacts: { name: string; number: string }[] }

/**
 * Interrogations as people read them: names for usernames, the state in words, the report's reference where the
 * user may see it, and what was found only where they read intelligence and the report exists for them. A look at
 * what was found is audited, as every read of intelligence is.
 */
async function described(
  db: Db,
  intelligence: PhoneIntelligence,
  user: CurrentUser,
  rows: readonly repository.InterrogationRow[],
  correlationId: string | null,
) {
  const named = await withDisplayNames(db, rows, ['requestedBy', 'resultBy'])
  const refs = await reportRefs(intelligence, user, rows)
  const readable = rows.filter(row => row.reportId && refs.has(row.reportId))
  const items = await repository.interrogationItems(
    db,
    readable.map(row => row.id),
  )
  for (const row of readable) {
    await recordAudit(db, actorOf(user, correlationId), {
      action: 'searching.interrogation-viewed',
      subjectType: 'searching-interrogation',
      subjectId: row.ref,
      establishmentCode: row.establishmentCode,
    })
  }
  const readableIds = new Set(readable.map(row => row.id))
  return named.map(row => {
    const own = items.filter(item => item.interrogationId === row.id)
    const found: Found | null = readableIds.has(row.id)
      ? {
          imeis: own.filter(item => item.type === 'imei').map(item => item.value),
          numbers: own.filter(item => item.type === 'phone').map(item => item.value),
          contacts: own
            .filter(item => item.type === 'contact')
            .map(item => ({ name: item.name ?? '', number: item.value })),
        }
      : null
    const reportRef = row.reportId ? (refs.get(row.reportId) ?? null) : null
    return { ...row, state: interrogationState(row), reportRef, found }
  })
}
export type InterrogationView = Awaited<ReturnType<typeof described>>[number]

/** A find's interrogations, with what was found where the user may read it, and whether another may be asked for. */
async function phoneInterrogations(
  db: Db,
  intelligence: PhoneIntelligence,
  user: CurrentUser,
  findRef: string,
  correlationId: string | null,
) {
  return auditingDenials(db, actorOf(user, correlationId), async () => {
    const find = await phoneFindOr404(db, user, findRef)
    const [people, rows] = await Promise.all([
      repository.peopleOfFind(db, user, find.id),
      repository.interrogationsOfPhoneFind(db, user, find.id),
    ])
    const awaiting = rows.find(row => !row.resultAt) ?? null
    const [named] = await withDisplayNames(db, [find], ['foundBy'])
    return {
      find: named,
      people,
      interrogations: await described(db, intelligence, user, rows, correlationId),
      refusal: interrogationRefusal({ category: find.category as FindCategory }, awaiting),
    }
  })
}
export type PhoneInterrogationsView = Awaited<ReturnType<typeof phoneInterrogations>>

/** One interrogation, as the API reads it. */
async function interrogation(
  db: Db,
  intelligence: PhoneIntelligence,
  user: CurrentUser,
  ref: string,
  correlationId: string | null,
) {
  return auditingDenials(db, actorOf(user, correlationId), async () => {
    const row = await interrogationOr404(db, user, ref)
    const [view] = await described(db, intelligence, user, [row], correlationId)
    return view
  })
}

/** Interrogations at the user's prisons, awaiting a result first: what was found is read one interrogation at a time. */
async function interrogations(
  db: Db,
  intelligence: PhoneIntelligence,
  user: CurrentUser,
  filter: repository.InterrogationFilter,
) {
  const rows = await repository.listInterrogations(db, user, filter)
  const named = await withDisplayNames(db, rows, ['requestedBy', 'resultBy'])
  const refs = await reportRefs(intelligence, user, rows)
  return named.map(row => ({
    ...row,
    state: interrogationState(row),
    reportRef: row.reportId ? (refs.get(row.reportId) ?? null) : null,
  }))
}

/** Phones and SIM cards found at a prison this month that nobody has asked to be interrogated. */
function phonesWithoutRequest(db: Db, user: CurrentUser, establishmentCode: string, now = new Date()) {
  return repository.phonesWithoutRequest(db, user, establishmentCode, `${londonToday(now).slice(0, 7)}-01`)
}

/** The hub's and the home page's figures at one prison: interrogations awaiting a result, phones not yet sent. */
async function phoneFigures(db: Db, user: CurrentUser, establishmentCode = user.establishmentCode, now = new Date()) {
  const [awaiting, unrequested] = await Promise.all([
    repository.awaitingInterrogationCount(db, user, establishmentCode),
    phonesWithoutRequest(db, user, establishmentCode, now),
  ])
  return { awaiting, withoutRequest: unrequested.length }
}

export function phoneUseCases(db: Db, intelligence: PhoneIntelligence) {
  return {
    requestInterrogation: requestInterrogation.bind(null, db),
    recordInterrogationResult: recordInterrogationResult.bind(null, db, intelligence),
    phoneInterrogations: phoneInterrogations.bind(null, db, intelligence),
    interrogation: interrogation.bind(null, db, intelligence),
    interrogations: interrogations.bind(null, db, intelligence),
    phonesWithoutRequest: phonesWithoutRequest.bind(null, db),
    phoneFigures: phoneFigures.bind(null, db),
    /** The prisons whose interrogations the user may choose between. */
    interrogationPrisons: (user: CurrentUser) => listEstablishmentOptions(db, user.establishmentCodes),
  }
}
