// The chain of custody of an exhibit (service specification output 12) as pure functions: who holds it, the breaks in
// its chain, what a movement needs, and who may dispose of it. Re-exported by ../rules.ts.

import type { Problem } from '../rules.ts'

/** Who holds an exhibit: a member of staff, the evidence store, or the police. */
export const HOLDER_KINDS = ['person', 'store', 'police'] as const
export type HolderKind = (typeof HOLDER_KINDS)[number]
export type Holder = { kind: HolderKind; name: string }

export const CUSTODY_EVENT_KINDS = ['transfer', 'reseal', 'police-handover', 'police-return'] as const
export type CustodyEventKind = (typeof CUSTODY_EVENT_KINDS)[number]
export const CUSTODY_EVENT_NAMES: Record<CustodyEventKind, string> = {
  transfer: 'Moved',
  reseal: 'Re-sealed',
  'police-handover': 'Handed to the police',
  'police-return': 'Returned by the police',
}

export type CustodyEvent = {
  kind: CustodyEventKind
  at: Date
  from: Holder
  to: Holder
  location: string
  reason: string
  sealIntact: boolean
  /** The seal on the bag after this event: the same number unless it was re-sealed. */
  sealNumber: string
  witness: string | null
  police?: { officer: string; force: string; crimeReference: string } | null
}

export type Exhibit = {
  seizedBy: Holder
  seizedAt: Date
  sealNumber: string
  disposedAt: Date | null
  policeHold: boolean
}

export type ChainGap = { afterEvent: number | null; text: string }

const sameHolder = (a: Holder, b: Holder) =>
  a.kind === b.kind && a.name.trim().toLowerCase() === b.name.trim().toLowerCase()

/** Who holds the exhibit now, and under which seal: the last event's receiver, or whoever seized it. */
export function currentCustody(exhibit: Exhibit, events: readonly CustodyEvent[]): { holder: Holder; seal: string } {
  const last = events.at(-1)
  return last ? { holder: last.to, seal: last.sealNumber } : { holder: exhibit.seizedBy, seal: exhibit.sealNumber }
}

/**
 * Output 12 ("evidence, or items found are preserved, accounted for, recorded, stored"): the breaks in an exhibit's
 * chain of custody, each in words. A chain holds when each movement starts with whoever received it last (the
 * first with the officer who seized it), movements are in time order, and a seal found broken or changed is
 * re-sealed before the exhibit moves on, in front of a witness.
 */
export function chainGaps(exhibit: Exhibit, events: readonly CustodyEvent[]): ChainGap[] {
  const gaps: ChainGap[] = []
  let holder = exhibit.seizedBy
  let seal = exhibit.sealNumber
  let seizedOrLast = exhibit.seizedAt
  let brokenSince: number | null = null
  events.forEach((event, index) => {
    const afterEvent = index === 0 ? null : index - 1
    if (!sameHolder(event.from, holder)) {
      gaps.push({
        afterEvent,
        text: `${event.from.name} passed it on, but the record shows ${holder.name} held it`,
      })
    }
    if (event.at.getTime() < seizedOrLast.getTime()) {
      gaps.push({ afterEvent, text: 'This movement is recorded as earlier than the one before it' })
    }
    const resealed = event.sealNumber !== seal
    if (resealed && !event.witness) {
      gaps.push({ afterEvent: index, text: `The seal changed from ${seal} to ${event.sealNumber} without a witness` })
    }
    if (brokenSince !== null && !resealed) {
      gaps.push({ afterEvent: index, text: `It moved on with the seal broken since movement ${brokenSince + 1}` })
    }
    if (!event.sealIntact && !resealed) brokenSince = brokenSince ?? index
    else if (resealed && event.witness) brokenSince = null
    holder = event.to
    seal = event.sealNumber
    seizedOrLast = event.at
  })
  if (brokenSince !== null && !exhibit.disposedAt) {
    gaps.push({ afterEvent: events.length - 1, text: 'The seal is broken and it has not been re-sealed' })
  }
  return dedupe(gaps)
}

function dedupe(gaps: ChainGap[]): ChainGap[] {
  const seen = new Set<string>()
  return gaps.filter(gap => {
    const key = `${gap.afterEvent}:${gap.text}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/**
 * Field problems with a movement before it is recorded. Re-sealing (a new seal number) needs a witness who is not
 * the person re-sealing; a hand-over to the police records the officer, the force and the crime reference.
 * A movement that breaks the chain is recorded, not refused: the record must say what happened, and the gap shows.
 */
export function custodyEventProblems(
  event: Pick<CustodyEvent, 'kind' | 'sealNumber' | 'witness' | 'police' | 'to'> & { recordedBy: string },
  current: { seal: string },
): Problem[] {
  const problems: Problem[] = []
  const resealing = event.kind === 'reseal' || event.sealNumber !== current.seal
  if (event.kind === 'reseal' && event.sealNumber === current.seal) {
    problems.push({ field: 'sealNumber', message: 'Enter the number of the new seal' })
  }
  if (resealing && !event.witness?.trim()) {
    problems.push({ field: 'witness', message: 'Enter who witnessed the re-sealing' })
  } else if (resealing && sameName(event.witness, event.recordedBy)) {
    problems.push({ field: 'witness', message: 'The witness must be someone other than the person re-sealing it' })
  }
  if (event.kind === 'police-handover') {
    if (!event.police?.officer.trim()) problems.push({ field: 'officer', message: 'Enter the police officer’s name' })
    if (!event.police?.force.trim()) problems.push({ field: 'force', message: 'Enter the police force' })
    if (!event.police?.crimeReference.trim()) {
      problems.push({ field: 'crimeReference', message: 'Enter the crime reference' })
    }
    if (event.to.kind !== 'police')
      problems.push({ field: 'to', message: 'A hand-over to the police goes to the police' })
  } else if (event.to.kind === 'police') {
    // Only a hand-over records the officer, force and crime reference the police will be asked for.
    problems.push({ field: 'kind', message: 'To give it to the police, record it as handed to the police' })
  }
  return problems
}

const sameName = (a: string | null | undefined, b: string | null | undefined) =>
  Boolean(a && b && a.trim().toLowerCase() === b.trim().toLowerCase())

export const DISPOSAL_METHODS = ['destroyed', 'returned-to-owner', 'retained-by-police', 'other'] as const
export type DisposalMethod = (typeof DISPOSAL_METHODS)[number]
export const DISPOSAL_METHOD_NAMES: Record<DisposalMethod, string> = {
  destroyed: 'Destroyed',
  'returned-to-owner': 'Returned to its owner',
  'retained-by-police': 'Retained by the police',
  other: 'Other',
}

/**
 * Output 12 ("disposed of correctly"): why a disposal may not happen now, if it may not. Disposal is by someone
 * other than the custodian, in front of a witness who is neither, and never while a police hold stands or while the
 * police have it.
 */
export function disposalRefusal(
  exhibit: Exhibit,
  custodian: Holder,
  disposal: { by: { username: string; name: string }; witness: string },
): string | null {
  if (exhibit.disposedAt) return 'This exhibit has already been disposed of.'
  if (exhibit.policeHold) return 'The police have a hold on this exhibit: it cannot be disposed of until they lift it.'
  if (custodian.kind === 'police') return 'The police have this exhibit: record its return before disposing of it.'
  if (
    custodian.kind === 'person' &&
    (sameName(custodian.name, disposal.by.name) || sameName(custodian.name, disposal.by.username))
  ) {
    return 'You hold this exhibit: someone other than its custodian must dispose of it.'
  }
  if (sameName(disposal.witness, disposal.by.name) || sameName(disposal.witness, disposal.by.username)) {
    return 'The witness must be someone other than the person disposing of it.'
  }
  if (custodian.kind === 'person' && sameName(disposal.witness, custodian.name)) {
    return 'The witness must be someone other than the exhibit’s custodian.'
  }
  return null
}

export const EXHIBIT_STATES = ['with-officer', 'in-store', 'with-police', 'disposed'] as const
export type ExhibitState = (typeof EXHIBIT_STATES)[number]
export const EXHIBIT_STATE_NAMES: Record<ExhibitState, string> = {
  'with-officer': 'With an officer',
  'in-store': 'In the evidence store',
  'with-police': 'With the police',
  disposed: 'Disposed of',
}

export function exhibitState(exhibit: Exhibit, custodian: Holder): ExhibitState {
  if (exhibit.disposedAt) return 'disposed'
  if (custodian.kind === 'police') return 'with-police'
  return custodian.kind === 'store' ? 'in-store' : 'with-officer'
}
