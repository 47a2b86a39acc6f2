import { randomBytes } from 'node:crypto'
import type { CurrentUser } from '../../platform/access/user.ts'
import type { AuditEntry } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { ConflictError } from '../../platform/http/errors.ts'
import { formatDate } from '../../platform/views/views.ts'
import { linkNominals } from './linking.ts'
import * as repo from './repository.ts'
import { drawReportRef, type SourceType, type ThreatArea } from './rules.ts'

// The result of interrogating a seized phone (service specification output 15) becomes intelligence: a report at the
// prison where the phone was found, about the people the find is linked to, whose entities are the IMEIs and numbers
// found on it. Correlation (reports sharing an entity), the entity search and the network then see them as they see
// any analyst's links.

/** What an interrogation found on a seized phone or SIM card, and where the device was found. */
export type PhoneInterrogationResult = {
  interrogationRef: string
  findRef: string
  /** What was interrogated, in words: "mobile phone", "SIM card". */
  device: string
  establishmentCode: string
  foundAt: Date
  location: string
  /** The lawful basis in words, and the authorisation it was exercised under where it needs one. */
  lawfulBasis: string
  authorisationRef: string | null
  /** The people the find is linked to that the user may see, by reference (a prisoner's is their prison number). */
  people: readonly string[]
  /** IMEIs as their 15 digits; numbers in E.164. */
  imeis: readonly string[]
  numbers: readonly string[]
  contacts: readonly { name: string; number: string }[]
}

const SOURCE: SourceType = 'phone-interrogation'
const THREAT_AREAS: ThreatArea[] = ['illicit-communications']

/**
 * The report's words: what was interrogated and under what authority, then what was found. No more than the
 * interrogation holds, so that the report says nothing the result does not.
 */
export function phoneInterrogationText(result: PhoneInterrogationResult): string {
  const authority = result.authorisationRef
    ? `${result.lawfulBasis} (authorisation ${result.authorisationRef})`
    : result.lawfulBasis
  const lines = [
    `Interrogation ${result.interrogationRef} of a ${result.device} found at ${result.location} on ` +
      `${formatDate(result.foundAt)} (find ${result.findRef}). Lawful basis: ${authority}.`,
  ]
  if (result.imeis.length > 0) lines.push(`IMEIs: ${result.imeis.join(', ')}.`)
  if (result.numbers.length > 0) lines.push(`Numbers: ${result.numbers.join(', ')}.`)
  if (result.contacts.length > 0) {
    lines.push(`Contacts: ${result.contacts.map(contact => `${contact.name} ${contact.number}`).join('; ')}.`)
  }
  return lines.join('\n')
}

/** The entities of the result: its IMEIs, and every number found on its own or against a contact, each once. */
function entitiesOf(result: PhoneInterrogationResult) {
  const numbers = new Set([...result.numbers, ...result.contacts.map(contact => contact.number)])
  return [
    ...[...new Set(result.imeis)].map(value => ({ type: 'imei', value })),
    ...[...numbers].map(value => ({ type: 'phone', value })),
  ]
}

/**
 * Records the result as a report, in the caller's transaction (the interrogation's result and its report commit
 * together), with its audit event through the caller's `audit`. The people are linked as subjects; the entities are
 * confirmed as an analyst's links are, or marked do-not-link where the prison's list holds the value (a solicitor's
 * number found on a phone is not intelligence).
 */
async function reportPhoneInterrogation(
  trx: Executor,
  audit: (entry: AuditEntry) => Promise<void>,
  user: CurrentUser,
  result: PhoneInterrogationResult,
  now: Date,
) {
  const { establishmentCode } = result
  const inserted = await repo.insertReport(
    trx,
    {
      establishmentCode,
      compartment: null,
      originalCompartment: null,
      reporterId: user.id,
      reporterUsername: user.username,
      submissionKey: `phone-interrogation:${result.interrogationRef}`,
      submittedAt: now,
      occurredAt: result.foundAt,
      location: result.location,
      sourceType: SOURCE,
      threatAreas: THREAT_AREAS,
      urgent: false,
      text: phoneInterrogationText(result),
      namedPeople: [],
      status: 'submitted',
      linkedToRef: null,
      sanitisedText: null,
      gradingScheme: null,
      gradingSource: null,
      gradingIntelligence: null,
      gradingHandling: null,
      gradingConditions: null,
    },
    () => drawReportRef(establishmentCode, now.getUTCFullYear(), randomBytes),
    user.username,
    now,
  )
  if (inserted.previous) throw new ConflictError(`The result of ${result.interrogationRef} is already in intelligence.`)
  const report = { id: inserted.created.id, establishmentCode }
  const subjects = result.people.map(ref => ({ prisonerNumber: ref, role: 'subject' }))
  await linkNominals(trx, user, report, subjects, now, 'people')
  const entities = entitiesOf(result)
  const ids = await repo.entityIds(trx, entities)
  const blocked = new Set((await repo.doNotLinkValues(trx, establishmentCode)).map(d => `${d.type}:${d.value}`))
  for (const entity of entities) {
    const key = `${entity.type}:${entity.value}`
    await repo.decideLinkedEntity(
      trx,
      { reportId: report.id, entityId: ids.get(key) ?? 0, establishmentCode },
      { status: blocked.has(key) ? 'do-not-link' : 'accepted', decidedBy: user.username, decidedAt: now },
    )
  }
  await audit({
    action: 'intelligence.submitted',
    subjectType: 'intelligence-report',
    subjectId: inserted.created.ref,
    establishmentCode,
    compartment: null,
    details: {
      sourceType: SOURCE,
      threatAreas: THREAT_AREAS,
      interrogationRef: result.interrogationRef,
      nominals: subjects.length,
      entities: entities.length,
    },
  })
  return { id: report.id, ref: inserted.created.ref }
}

/** What other modules record as intelligence (the interrogation of a seized phone), and which of those reports a user sees. */
export function phoneInterrogationUseCases(db: Db) {
  return {
    reportPhoneInterrogation,
    /** The references of these reports that exist for the user, by id: a report in a compartment they lack does not. */
    visibleReportRefs: (user: CurrentUser, reportIds: readonly string[]) => repo.visibleReportRefs(db, user, reportIds),
  }
}
