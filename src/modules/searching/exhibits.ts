import { randomBytes } from 'node:crypto'
import { auditingDenials, visibleOr404 } from '../../platform/access/denials.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db, Executor } from '../../platform/db/database.ts'
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { drawReference } from '../../platform/reference/codes.ts'
import { activeStaffAt, displayNames } from '../../platform/users/repository.ts'
import * as repo from './exhibits/repository.ts'
import {
  CUSTODY_EVENT_NAMES,
  type CustodyEvent,
  type CustodyEventKind,
  chainGaps,
  currentCustody,
  custodyEventProblems,
  disposalRefusal,
  type Exhibit,
  type ExhibitState,
  exhibitState,
  type Holder,
  type HolderKind,
} from './rules.ts'
import {
  type CustodyEventInput,
  type DisposalInput,
  EVIDENCE_STORE,
  type ExhibitInput,
  POLICE,
  type PoliceHoldInput,
} from './schema.ts'

// Exhibits and their chain of custody (output 12): made from a find, moved, re-sealed, handed to the police and back,
// held by the police, and disposed of. Custody is stored as it happened (a member of staff by username); the rules
// read it by name, so that a gap says "Adam Analyst passed it on", never a username.

const STORE_NAME = 'Evidence store'
const POLICE_NAME = 'Police'

/** The movement of an exhibit as a page or the API sends it; `to` may be left out where it is plain. */
export type CustodyEventRequest = Omit<CustodyEventInput, 'to' | 'at'> & { to?: string; at?: string }

type Names = ReadonlyMap<string, string>

/** A holder as people read it: a member of staff by name, the store and the police as recorded. */
const shown = (holder: Holder, names: Names): Holder =>
  holder.kind === 'person' ? { kind: 'person', name: names.get(holder.name) ?? holder.name } : holder

const holderOf = (kind: string, name: string): Holder => ({ kind: kind as HolderKind, name })

/** What a form's "from" and "to" choose for a holder: a username, the store or the police. */
const choiceOf = (holder: Holder) =>
  holder.kind === 'store' ? EVIDENCE_STORE : holder.kind === 'police' ? POLICE : holder.name

function ruleEvent(event: repo.CustodyEventRow, names: Names): CustodyEvent {
  return {
    kind: event.kind as CustodyEventKind,
    at: event.at,
    from: shown(holderOf(event.fromKind, event.fromName), names),
    to: shown(holderOf(event.toKind, event.toName), names),
    location: event.location,
    reason: event.reason,
    sealIntact: event.sealIntact,
    sealNumber: event.sealNumber,
    witness: event.witness ? (names.get(event.witness) ?? event.witness) : null,
    police: event.policeOfficer
      ? { officer: event.policeOfficer, force: event.policeForce ?? '', crimeReference: event.crimeReference ?? '' }
      : null,
  }
}

function ruleExhibit(row: repo.ExhibitRow, holds: readonly repo.PoliceHoldRow[], names: Names): Exhibit {
  return {
    seizedBy: shown(holderOf(row.seizedByKind, row.seizedByName), names),
    seizedAt: row.seizedAt,
    sealNumber: row.sealNumber,
    disposedAt: row.disposedAt,
    policeHold: holds.some(hold => !hold.liftedAt),
  }
}

/** An exhibit's chain read by the rules: who holds it now, under which seal, its state and its gaps. */
function chainOf(
  row: repo.ExhibitRow,
  events: readonly repo.CustodyEventRow[],
  holds: readonly repo.PoliceHoldRow[],
  names: Names,
) {
  const exhibit = ruleExhibit(row, holds, names)
  const chain = events.map(event => ruleEvent(event, names))
  const custody = currentCustody(exhibit, chain)
  const last = events.at(-1)
  const stored = last ? holderOf(last.toKind, last.toName) : holderOf(row.seizedByKind, row.seizedByName)
  return {
    exhibit,
    chain,
    custodian: custody.holder,
    custodianChoice: choiceOf(stored),
    stored,
    seal: custody.seal,
    state: exhibitState(exhibit, custody.holder) as ExhibitState,
    gaps: chainGaps(exhibit, chain),
    liveHold: holds.find(hold => !hold.liftedAt) ?? null,
  }
}

function usernamesIn(
  row: repo.ExhibitRow,
  events: readonly repo.CustodyEventRow[],
  holds: readonly repo.PoliceHoldRow[],
) {
  return [
    row.seizedByName,
    row.createdBy,
    row.disposedBy,
    row.disposalWitness,
    ...events.flatMap(e => [e.fromName, e.toName, e.witness, e.recordedBy]),
    ...holds.flatMap(h => [h.placedBy, h.liftedBy]),
  ]
}

/** An exhibit the user may see, or not found (audited when it is real but in another prison). */
async function exhibitOr404(db: Executor, user: CurrentUser, ref: string) {
  return visibleOr404(user, await repo.exhibitByRef(db, user, ref), () => repo.exhibitPlacing(db, ref), {
    action: 'searching.view-denied',
    subjectType: 'searching-exhibit',
    subjectId: ref,
  })
}

/** The exhibit with its chain: everything the exhibit page, the API and the printed sheets show. */
async function loadExhibit(db: Executor, user: CurrentUser, ref: string) {
  const row = await exhibitOr404(db, user, ref)
  const [events, holds] = await Promise.all([repo.custodyEventsOf(db, [row.id]), repo.policeHoldsOf(db, [row.id])])
  const names = await displayNames(db, usernamesIn(row, events, holds))
  const chain = chainOf(row, events, holds, names)
  const name = (username: string | null) => (username ? (names.get(username) ?? username) : null)
  return {
    exhibit: {
      ...row,
      seizedBy: chain.exhibit.seizedBy.name,
      createdByName: name(row.createdBy),
      disposedByName: name(row.disposedBy),
      disposalWitnessName: name(row.disposalWitness),
    },
    events: events.map((event, index) => ({
      ...event,
      kindName: CUSTODY_EVENT_NAMES[event.kind as CustodyEventKind] ?? event.kind,
      from: chain.chain[index].from,
      to: chain.chain[index].to,
      witnessName: chain.chain[index].witness,
      recordedByName: name(event.recordedBy),
    })),
    holds: holds.map(hold => ({ ...hold, placedByName: name(hold.placedBy), liftedByName: name(hold.liftedBy) })),
    custodian: chain.custodian,
    custodianChoice: chain.custodianChoice,
    seal: chain.seal,
    state: chain.state,
    gaps: chain.gaps,
    liveHold: chain.liveHold,
  }
}
export type ExhibitView = Awaited<ReturnType<typeof loadExhibit>>

function exhibit(db: Db, user: CurrentUser, ref: string, correlationId: string | null) {
  return auditingDenials(db, actorOf(user, correlationId), () => loadExhibit(db, user, ref))
}

/** The active staff of a prison by username, with their names: who may hold, seize or witness there. */
async function staffOf(db: Executor, establishmentCode: string) {
  const staff = await activeStaffAt(db, establishmentCode)
  return new Map(staff.map(person => [person.username, person.displayName]))
}

function staffMember(staff: Names, username: string, field: string, prison: string) {
  const found = [...staff.keys()].find(name => name.toLowerCase() === username.toLowerCase())
  if (!found) throw ValidationError.field(field, `Choose a member of staff at ${prison}`)
  return found
}

async function createExhibit(
  db: Db,
  user: CurrentUser,
  input: ExhibitInput,
  correlationId: string | null,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const find = await repo.visibleFindByRef(trx, user, input.findRef)
    if (!find) throw ValidationError.field('findRef', 'No find you can see has that reference')
    const prison = (await repo.exhibitPrison(trx, find.establishmentCode))?.name ?? find.establishmentCode
    const staff = await staffOf(trx, find.establishmentCode)
    const seizedBy = staffMember(staff, input.seizedBy ?? find.foundBy, 'seizedBy', prison)
    const code = find.establishmentCode
    const created = await repo.insertExhibit(
      trx,
      {
        findId: find.id,
        establishmentCode: code,
        sealNumber: input.sealNumber,
        seizedByKind: 'person',
        seizedByName: seizedBy,
        seizedAt: input.seizedAt ? new Date(input.seizedAt) : find.foundAt,
        storedAt: input.storedAt,
        createdBy: user.username,
        createdAt: now,
      },
      () => drawReference('EX', code, now.getUTCFullYear(), randomBytes),
    )
    await audit({
      action: 'searching.exhibit-created',
      subjectType: 'searching-exhibit',
      subjectId: created.ref,
      establishmentCode: code,
      details: { findRef: find.ref, sealNumber: input.sealNumber },
    })
    return { ref: created.ref }
  })
}

/** The exhibit locked for a change, with its chain and the staff of its prison. */
async function forChange(trx: Executor, user: CurrentUser, ref: string) {
  const row = await exhibitOr404(trx, user, ref)
  await repo.lockExhibit(trx, row.id)
  if (row.disposedAt) throw new ConflictError('This exhibit has been disposed of: its chain of custody is closed.')
  const [events, holds, staff] = await Promise.all([
    repo.custodyEventsOf(trx, [row.id]),
    repo.policeHoldsOf(trx, [row.id]),
    staffOf(trx, row.establishmentCode),
  ])
  const names = await displayNames(trx, usernamesIn(row, events, holds))
  for (const [username, name] of staff) (names as Map<string, string>).set(username, name)
  return { row, events, holds, staff, names, chain: chainOf(row, events, holds, names) }
}
type Change = Awaited<ReturnType<typeof forChange>>

/** A holder a form or the API named, checked against the staff of the exhibit's prison. */
function chosenHolder(change: Change, choice: string, field: string, policeName: string): Holder {
  if (choice === EVIDENCE_STORE) return { kind: 'store', name: STORE_NAME }
  if (choice === POLICE) return { kind: 'police', name: policeName }
  return { kind: 'person', name: staffMember(change.staff, choice, field, change.row.establishmentName) }
}

/**
 * Who gave and who received it. "From" is the custodian unless the person says otherwise (a movement that breaks the
 * chain is recorded, and the gap shows); "to" is the police on a hand-over and the custodian on a re-seal when left out.
 */
function endsOf(change: Change, input: CustodyEventRequest) {
  const { stored, liveHold } = change.chain
  const policeNow = stored.kind === 'police' ? stored.name : POLICE_NAME
  const returning = input.kind === 'police-return' && !input.from && stored.kind !== 'police'
  const from = returning
    ? { kind: 'police' as const, name: POLICE_NAME }
    : input.from
      ? chosenHolder(change, input.from, 'from', policeNow)
      : stored
  const handedTo = input.officer
    ? [input.officer, input.force].filter(Boolean).join(', ')
    : (liveHold?.force ?? POLICE_NAME)
  const to = input.to
    ? chosenHolder(change, input.to, 'to', input.kind === 'police-handover' ? handedTo : policeNow)
    : input.kind === 'police-handover'
      ? { kind: 'police' as const, name: handedTo }
      : input.kind === 'reseal'
        ? from
        : null
  if (!to) throw ValidationError.field('to', 'Choose who received it')
  return { from, to }
}

async function recordCustodyEvent(
  db: Db,
  user: CurrentUser,
  ref: string,
  input: CustodyEventRequest,
  correlationId: string | null,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const change = await forChange(trx, user, ref)
    const { from, to } = endsOf(change, input)
    const witness = input.witness
      ? staffMember(change.staff, input.witness, 'witness', change.row.establishmentName)
      : null
    const sealNumber = input.sealNumber ?? change.chain.seal
    const handover = input.kind === 'police-handover'
    const police = handover
      ? { officer: input.officer ?? '', force: input.force ?? '', crimeReference: input.crimeReference ?? '' }
      : null
    const problems = custodyEventProblems(
      {
        kind: input.kind,
        sealNumber,
        witness: witness ? (change.names.get(witness) ?? witness) : null,
        police,
        to: shown(to, change.names),
        recordedBy: user.displayName,
      },
      { seal: change.chain.seal },
    )
    if (problems.length > 0) throw new ValidationError(problems)
    const id = await repo.insertCustodyEvent(trx, {
      exhibitId: change.row.id,
      kind: input.kind,
      at: input.at ? new Date(input.at) : now,
      fromKind: from.kind,
      fromName: from.name,
      toKind: to.kind,
      toName: to.name,
      location: input.location,
      reason: input.reason,
      sealIntact: input.sealIntact,
      sealNumber,
      witness,
      policeOfficer: police?.officer ?? null,
      policeForce: police?.force ?? null,
      crimeReference: police?.crimeReference ?? null,
      recordedBy: user.username,
      recordedAt: now,
    })
    await audit({
      action: 'searching.custody-recorded',
      subjectType: 'searching-exhibit',
      subjectId: change.row.ref,
      establishmentCode: change.row.establishmentCode,
      details: { kind: input.kind, sealIntact: input.sealIntact, resealed: sealNumber !== change.chain.seal },
    })
    return { ref: change.row.ref, event: Number(id) }
  })
}

async function placePoliceHold(
  db: Db,
  user: CurrentUser,
  ref: string,
  input: PoliceHoldInput,
  correlationId: string | null,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const { row } = await forChange(trx, user, ref)
    const placed = await repo.insertPoliceHold(trx, {
      exhibitId: row.id,
      ...input,
      placedAt: now,
      placedBy: user.username,
    })
    if (!placed)
      throw new ConflictError('The police already have a hold on this exhibit: lift it before placing another.')
    await audit({
      action: 'searching.police-hold-placed',
      subjectType: 'searching-exhibit',
      subjectId: row.ref,
      establishmentCode: row.establishmentCode,
      details: { force: input.force, crimeReference: input.crimeReference },
    })
    return { ref: row.ref, hold: placed.id }
  })
}

async function liftPoliceHold(db: Db, user: CurrentUser, ref: string, correlationId: string | null, now = new Date()) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const row = await exhibitOr404(trx, user, ref)
    await repo.lockExhibit(trx, row.id)
    const lifted = await repo.liftPoliceHold(trx, row.id, { liftedBy: user.username, liftedAt: now })
    if (!lifted) throw new ConflictError('There is no police hold on this exhibit to lift.')
    await audit({
      action: 'searching.police-hold-lifted',
      subjectType: 'searching-exhibit',
      subjectId: row.ref,
      establishmentCode: row.establishmentCode,
      details: { crimeReference: lifted.crimeReference },
    })
    return { ref: row.ref, hold: lifted.id }
  })
}

/** Output 12 ("disposed of correctly"): by someone other than the custodian, witnessed, never under a police hold. */
async function dispose(
  db: Db,
  user: CurrentUser,
  ref: string,
  input: DisposalInput,
  correlationId: string | null,
  now = new Date(),
) {
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const change = await forChange(trx, user, ref)
    const witness = staffMember(change.staff, input.witness, 'witness', change.row.establishmentName)
    const refusal = disposalRefusal(change.chain.exhibit, change.chain.custodian, {
      by: { username: user.username, name: user.displayName },
      witness: change.names.get(witness) ?? witness,
    })
    if (refusal) throw new ConflictError(refusal)
    await repo.recordDisposal(trx, change.row.id, {
      disposedAt: now,
      disposalMethod: input.method,
      disposedBy: user.username,
      disposalWitness: witness,
      disposalNotes: input.notes ?? null,
    })
    await audit({
      action: 'searching.exhibit-disposed',
      subjectType: 'searching-exhibit',
      subjectId: change.row.ref,
      establishmentCode: change.row.establishmentCode,
      details: { method: input.method },
    })
    return { ref: change.row.ref, disposedAt: now }
  })
}

/** A prison's exhibits with where each stands: its state, who holds it, and the gaps in its chain. */
async function exhibitsAt(db: Db, user: CurrentUser, establishmentCode: string) {
  const establishment = user.inScope(establishmentCode) ? await repo.exhibitPrison(db, establishmentCode) : undefined
  if (!establishment) throw new NotFoundError()
  const rows = await repo.exhibitsAt(db, user, establishmentCode)
  const ids = rows.map(row => row.id)
  const [events, holds] = await Promise.all([repo.custodyEventsOf(db, ids), repo.policeHoldsOf(db, ids)])
  const names = await displayNames(db, [
    ...rows.map(row => row.seizedByName),
    ...events.flatMap(event => [event.fromName, event.toName, event.witness]),
  ])
  const exhibits = rows.map(row => {
    const chain = chainOf(
      row,
      events.filter(event => event.exhibitId === row.id),
      holds.filter(hold => hold.exhibitId === row.id),
      names,
    )
    return {
      ...row,
      state: chain.state,
      custodian: chain.custodian,
      seal: chain.seal,
      gaps: chain.gaps,
      onHold: Boolean(chain.liveHold),
    }
  })
  return { establishment, exhibits }
}

/** The hub's figures: exhibits by state, and how many have a chain with gaps (open ones: a closed chain is history). */
async function exhibitFigures(db: Db, user: CurrentUser, establishmentCode: string) {
  const { exhibits } = await exhibitsAt(db, user, establishmentCode)
  const byState = Object.fromEntries(
    (['with-officer', 'in-store', 'with-police', 'disposed'] as const).map(state => [
      state,
      exhibits.filter(x => x.state === state).length,
    ]),
  ) as Record<ExhibitState, number>
  return { byState, withGaps: exhibits.filter(x => x.gaps.length > 0).length, total: exhibits.length }
}

/** The staff of the user's prison by name, for the forms' choices of who seized, held or witnessed an exhibit. */
async function staffChoices(db: Db, establishmentCode: string) {
  const staff = await activeStaffAt(db, establishmentCode)
  return staff
    .map(person => ({ username: person.username, name: person.displayName }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

/** A find the user may see, by reference, for the form that makes an exhibit of it. */
function findForExhibit(db: Db, user: CurrentUser, findRef: string) {
  return repo.visibleFindByRef(db, user, findRef)
}

export function exhibitUseCases(db: Db) {
  return {
    createExhibit: createExhibit.bind(null, db),
    exhibit: exhibit.bind(null, db),
    recordCustodyEvent: recordCustodyEvent.bind(null, db),
    placePoliceHold: placePoliceHold.bind(null, db),
    liftPoliceHold: liftPoliceHold.bind(null, db),
    dispose: dispose.bind(null, db),
    exhibitsAt: exhibitsAt.bind(null, db),
    exhibitFigures: exhibitFigures.bind(null, db),
    staffChoices: staffChoices.bind(null, db),
    findForExhibit: findForExhibit.bind(null, db),
  }
}
