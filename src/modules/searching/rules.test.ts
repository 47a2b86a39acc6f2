import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { luhnValid } from '../intelligence/entities.ts'
import { addMonths } from '../soc/rules.ts'
import {
  type CustodyEvent,
  chainGaps,
  changeInWords,
  currentCustody,
  custodyEventProblems,
  disposalRefusal,
  type Exhibit,
  exhibitState,
  findProblems,
  iccidValid,
  identifierProblems,
  interrogationProblems,
  interrogationRefusal,
  interrogationResultProblems,
  interrogationState,
  itemPermissionProblems,
  itemPermissionState,
  monthsBetween,
  needsInterrogation,
  permissionCovers,
  plannedCount,
  plannedDates,
  programmeClock,
  searchAreaOf,
  searchProblems,
  shiftMonth,
  trendMonths,
  visitMeasureProblems,
  visitMeasureReviewDue,
  visitMeasureReviewProblems,
  visitMeasureState,
  wingOf,
} from './rules.ts'

describe('the search programme', () => {
  // Spec output 9: "A local searching strategy which manages identified local risks … is agreed, documented in the
  // LSS, and implemented." A requirement "every 7 days" searched on the 1st is due on the 8th, overdue on the 9th.
  const weekly = { everyDays: 7, startsOn: '2026-10-01' }

  it('is scheduled, then due soon, then due on the day, then overdue the day after', () => {
    assert.deepEqual(programmeClock(weekly, '2026-11-01', '2026-11-04'), { nextDue: '2026-11-08', state: 'scheduled' })
    assert.equal(programmeClock(weekly, '2026-11-01', '2026-11-05').state, 'due-soon')
    assert.equal(programmeClock(weekly, '2026-11-01', '2026-11-08').state, 'due-soon', 'due on the day is not late')
    assert.equal(programmeClock(weekly, '2026-11-01', '2026-11-09').state, 'overdue')
  })

  it('counts from the start of the requirement when nothing has met it, or only searches before it', () => {
    assert.equal(programmeClock(weekly, null, '2026-10-08').nextDue, '2026-10-08')
    assert.equal(programmeClock(weekly, null, '2026-10-09').state, 'overdue')
    assert.equal(programmeClock(weekly, '2026-09-01', '2026-10-05').nextDue, '2026-10-08')
  })

  it('generates planned searches at the interval, up to and including the last day', () => {
    assert.deepEqual(plannedDates({ everyDays: 14 }, '2026-11-01', '2026-11-29'), [
      '2026-11-01',
      '2026-11-15',
      '2026-11-29',
    ])
    assert.deepEqual(plannedDates({ everyDays: 14 }, '2026-11-01', '2026-10-31'), [])
  })

  // Spec output 10: "Testing for the presence of Arms and Explosives is undertaken" — for "Prisoners held in HSE
  // establishments".
  it('allows arms and explosives tests in the high security estate only', () => {
    const now = new Date('2026-11-25T12:00:00Z')
    const test = {
      method: 'arms-explosives-test',
      reason: 'planned',
      conductedAt: new Date('2026-11-25T10:00:00Z'),
    } as const
    assert.deepEqual(searchProblems(test, { highSecurity: true, now }), [])
    assert.deepEqual(
      searchProblems(test, { highSecurity: false, now }).map(p => p.field),
      ['method'],
    )
  })

  it('asks an intelligence-led search for the report it came from, and refuses a search in the future', () => {
    const now = new Date('2026-11-25T12:00:00Z')
    const problems = searchProblems(
      { method: 'standard', reason: 'intelligence-led', conductedAt: new Date('2026-11-26T09:00:00Z') },
      { highSecurity: false, now },
    )
    assert.deepEqual(
      problems.map(p => p.field),
      ['reportRef', 'conductedAt'],
    )
  })
})

describe('coverage of the search programme', () => {
  // Spec output 9: the programme is implemented, and issue 14 asks for "coverage by wing and month".
  it('puts a cell or a place named for its wing on that wing, and keeps other places as areas of their own', () => {
    assert.equal(searchAreaOf('B-2-014'), 'B wing')
    assert.equal(searchAreaOf('b wing landing 2'), 'B wing')
    assert.equal(searchAreaOf('  Works   department '), 'Works department')
    assert.equal(searchAreaOf('Gate'), 'Gate')
  })

  it('counts the searches a requirement asked for in a period, the first one interval after it started', () => {
    const fortnightly = { everyDays: 14, startsOn: '2026-10-05' }
    assert.equal(plannedCount(fortnightly, '2026-10-01', '2026-10-31'), 1, 'due on 19th October, not the 5th')
    assert.equal(plannedCount(fortnightly, '2026-11-01', '2026-11-30'), 3, '2nd, 16th and 30th November')
    assert.equal(plannedCount(fortnightly, '2026-11-01', '2026-11-29'), 2, 'the last day counts only when it is in')
    assert.equal(plannedCount(fortnightly, '2026-09-01', '2026-09-30'), 0, 'nothing before it started')
  })
})

describe('finds', () => {
  // Spec output 15: "Mobile phones found within a prison are interrogated."
  it('sends phones and SIM cards for interrogation, and nothing else', () => {
    assert.ok(needsInterrogation('mobile-phone'))
    assert.ok(needsInterrogation('sim-card'))
    assert.ok(!needsInterrogation('charger'))
  })

  it('lists every month of a trend, across a year end', () => {
    assert.deepEqual(monthsBetween('2025-11', '2026-02'), ['2025-11', '2025-12', '2026-01', '2026-02'])
  })

  // Output 11 counts finds by location: "B-2-014" is cell 14 on landing 2 of B wing.
  it('finds the wing of a cell location, or of a location that names it, and of nothing else', () => {
    assert.equal(wingOf('B-2-014'), 'B wing')
    assert.equal(wingOf(' d-1-027 '), 'D wing')
    assert.equal(wingOf('C wing landing 3 servery'), 'C wing')
    assert.equal(wingOf('Visits hall, table 12'), null)
    assert.equal(wingOf('Workshop 4'), null)
  })

  it('refuses a find made after it was recorded, with a few minutes for a clock ahead', () => {
    const now = new Date('2026-11-20T10:00:00Z')
    assert.deepEqual(findProblems({ foundAt: new Date('2026-11-20T10:04:00Z') }, now), [])
    assert.deepEqual(findProblems({ foundAt: new Date('2026-11-20T10:06:00Z') }, now), [
      { field: 'foundAt', message: 'When it was found must be in the past' },
    ])
  })

  it('trends over the last twelve months, and compares a month with the same month a year before', () => {
    const months = trendMonths('2026-03')
    assert.equal(months.length, 12)
    assert.equal(months[0], '2025-04')
    assert.equal(months[11], '2026-03')
    assert.equal(shiftMonth('2026-01', -12), '2025-01')
    assert.equal(shiftMonth('2026-12', 1), '2027-01')
    assert.equal(changeInWords(5, 2), 'up 3')
    assert.equal(changeInWords(1, 3), 'down 2')
    assert.equal(changeInWords(4, 4), 'no change')
  })
})

describe('the chain of custody', () => {
  // Spec output 12: "Evidence, or items found are preserved, accounted for, recorded, stored and disposed of
  // correctly."
  const officer = { kind: 'person', name: 'Olu Officer' } as const
  const store = { kind: 'store', name: 'Evidence safe' } as const
  const exhibit: Exhibit = {
    seizedBy: officer,
    seizedAt: new Date('2026-11-20T10:00:00Z'),
    sealNumber: 'S100',
    disposedAt: null,
    policeHold: false,
  }
  const move = (overrides: Partial<CustodyEvent>): CustodyEvent => ({
    kind: 'transfer',
    at: new Date('2026-11-20T11:00:00Z'),
    from: officer,
    to: store,
    location: 'Security office',
    reason: 'Stored',
    sealIntact: true,
    sealNumber: 'S100',
    witness: null,
    ...overrides,
  })

  it('holds when each movement starts where the last ended', () => {
    const events = [move({}), move({ at: new Date('2026-11-21T09:00:00Z'), from: store, to: officer })]
    assert.deepEqual(chainGaps(exhibit, events), [])
    assert.deepEqual(currentCustody(exhibit, events).holder, officer)
  })

  it('shows a gap when someone passes on what the record says another held', () => {
    const events = [
      move({}),
      move({ at: new Date('2026-11-21T09:00:00Z'), from: { kind: 'person', name: 'Sam Stranger' } }),
    ]
    const gaps = chainGaps(exhibit, events)
    assert.equal(gaps.length, 1)
    assert.match(gaps[0].text, /Sam Stranger passed it on, but the record shows Evidence safe held it/)
    assert.equal(gaps[0].afterEvent, 0)
  })

  it('shows a gap when the first movement is not from the officer who seized it', () => {
    assert.match(chainGaps(exhibit, [move({ from: { kind: 'person', name: 'Someone Else' } })])[0].text, /Olu Officer/)
  })

  it('shows a gap when movements are out of time order', () => {
    const gaps = chainGaps(exhibit, [move({ at: new Date('2026-11-19T09:00:00Z') })])
    assert.match(gaps[0].text, /earlier than the one before/)
  })

  it('shows a broken seal until it is re-sealed in front of a witness', () => {
    const broken = move({ sealIntact: false })
    assert.match(chainGaps(exhibit, [broken]).at(-1)?.text ?? '', /seal is broken/)
    const resealed = move({
      kind: 'reseal',
      at: new Date('2026-11-20T12:00:00Z'),
      from: store,
      to: store,
      sealNumber: 'S200',
      witness: 'Wendy Witness',
    })
    assert.deepEqual(chainGaps(exhibit, [broken, resealed]), [])
    const movedOnBroken = move({ at: new Date('2026-11-20T12:00:00Z'), from: store, to: officer })
    assert.ok(chainGaps(exhibit, [broken, movedOnBroken]).some(g => /moved on with the seal broken/.test(g.text)))
  })

  it('shows a seal changed without a witness', () => {
    const gaps = chainGaps(exhibit, [move({ sealNumber: 'S999' })])
    assert.match(gaps[0].text, /seal changed from S100 to S999 without a witness/)
  })

  it('refuses a re-seal without a witness, or witnessed by the person re-sealing', () => {
    const reseal = { kind: 'reseal', to: store, sealNumber: 'S200', police: null, recordedBy: 'Olu Officer' } as const
    assert.deepEqual(
      custodyEventProblems({ ...reseal, witness: null }, { seal: 'S100' }).map(p => p.field),
      ['witness'],
    )
    assert.deepEqual(
      custodyEventProblems({ ...reseal, witness: 'olu officer' }, { seal: 'S100' }).map(p => p.field),
      ['witness'],
    )
    assert.deepEqual(custodyEventProblems({ ...reseal, witness: 'Wendy Witness' }, { seal: 'S100' }), [])
    assert.deepEqual(
      custodyEventProblems({ ...reseal, sealNumber: 'S100', witness: 'Wendy Witness' }, { seal: 'S100' }).map(
        p => p.field,
      ),
      ['sealNumber'],
    )
  })

  it('asks a hand-over to the police for the officer, the force and the crime reference', () => {
    const problems = custodyEventProblems(
      {
        kind: 'police-handover',
        to: { kind: 'police', name: 'PC Patel' },
        sealNumber: 'S100',
        witness: null,
        police: { officer: '', force: ' ', crimeReference: '' },
        recordedBy: 'Olu Officer',
      },
      { seal: 'S100' },
    )
    assert.deepEqual(
      problems.map(p => p.field),
      ['officer', 'force', 'crimeReference'],
    )
  })

  it('sends an exhibit to the police only by a hand-over that names them', () => {
    const moved = {
      kind: 'transfer',
      sealNumber: 'S100',
      witness: null,
      police: null,
      recordedBy: 'Olu Officer',
    } as const
    assert.deepEqual(
      custodyEventProblems({ ...moved, to: { kind: 'police', name: 'PC Patel' } }, { seal: 'S100' }).map(p => p.field),
      ['kind'],
    )
    assert.deepEqual(custodyEventProblems({ ...moved, to: store }, { seal: 'S100' }), [])
  })

  it('refuses disposal by the custodian, without a distinct witness, under a police hold or with the police', () => {
    const disposer = { username: 'hos', name: 'Hannah Hughes' }
    assert.equal(disposalRefusal(exhibit, store, { by: disposer, witness: 'Wendy Witness' }), null)
    assert.match(
      disposalRefusal(exhibit, { kind: 'person', name: 'Hannah Hughes' }, { by: disposer, witness: 'Wendy Witness' }) ??
        '',
      /someone other than its custodian/,
    )
    assert.match(disposalRefusal(exhibit, store, { by: disposer, witness: 'hannah hughes' }) ?? '', /witness/)
    assert.match(disposalRefusal({ ...exhibit, policeHold: true }, store, { by: disposer, witness: 'W' }) ?? '', /hold/)
    assert.match(
      disposalRefusal(exhibit, { kind: 'police', name: 'PC Patel' }, { by: disposer, witness: 'W' }) ?? '',
      /police have this exhibit/,
    )
    assert.match(
      disposalRefusal({ ...exhibit, disposedAt: new Date() }, store, { by: disposer, witness: 'W' }) ?? '',
      /already/,
    )
  })

  it('names the state an exhibit is in', () => {
    assert.equal(exhibitState(exhibit, officer), 'with-officer')
    assert.equal(exhibitState(exhibit, store), 'in-store')
    assert.equal(exhibitState(exhibit, { kind: 'police', name: 'PC Patel' }), 'with-police')
    assert.equal(exhibitState({ ...exhibit, disposedAt: new Date() }, store), 'disposed')
  })
})

describe('seized phones', () => {
  // Spec output 15, with Prison Rules 35A: interrogation has a lawful basis, and an authorisation where it needs one.
  it('asks for the authorisation reference where the lawful basis needs one', () => {
    assert.deepEqual(interrogationProblems({ lawfulBasis: 'security-examination' }), [])
    assert.deepEqual(
      interrogationProblems({ lawfulBasis: 'stored-communications', authorisationRef: ' ' }).map(p => p.field),
      ['authorisationRef'],
    )
    assert.deepEqual(interrogationProblems({ lawfulBasis: 'police-request', authorisationRef: 'AUTH-1' }), [])
  })

  it('checks an ICCID: 89, 19 or 20 digits, and the Luhn digit', () => {
    assert.ok(iccidValid('8944110068256270054', luhnValid))
    assert.ok(!iccidValid('8944110068256270055', luhnValid), 'wrong check digit')
    assert.ok(!iccidValid('7944110068256270054', luhnValid), 'not a telecoms ICCID')
    assert.ok(!iccidValid('894411006825627', luhnValid), 'too short')
  })

  // Spec output 15: "Mobile phones found within a prison are interrogated", mobile phones including "component parts
  // (including but not limited to SIM cards ...)".
  it('interrogates a phone or a SIM card, and no other find, one request at a time', () => {
    assert.equal(interrogationRefusal({ category: 'mobile-phone' }, null), null)
    assert.equal(interrogationRefusal({ category: 'sim-card' }, null), null)
    assert.match(interrogationRefusal({ category: 'charger' }, null) ?? '', /recorded as charger/)
    assert.match(
      interrogationRefusal({ category: 'mobile-phone' }, { ref: 'PH-MDI-2026-K7QX4M' }) ?? '',
      /PH-MDI-2026-K7QX4M of this find is awaiting its result/,
    )
  })

  it('asks for no IMEI of a SIM card, which has none', () => {
    assert.deepEqual(
      identifierProblems({ category: 'sim-card' }, { imei: '490154203237518' }).map(p => p.field),
      ['imei'],
    )
    assert.deepEqual(identifierProblems({ category: 'mobile-phone' }, { imei: '490154203237518' }), [])
    assert.deepEqual(identifierProblems({ category: 'sim-card' }, {}), [])
  })

  it('records a result only when the interrogation found something', () => {
    assert.deepEqual(
      interrogationResultProblems({ imeis: [], numbers: [], contacts: [] }).map(p => p.field),
      ['imeis'],
    )
    assert.deepEqual(interrogationResultProblems({ imeis: [], numbers: ['+447700900123'], contacts: [] }), [])
    assert.equal(interrogationState({ resultAt: null }), 'awaiting-result')
    assert.equal(interrogationState({ resultAt: new Date() }), 'result-recorded')
  })
})

describe('authorised items', () => {
  // Spec output 14: "Conveying of, possession of, transmission of and/or using prohibited items or information is
  // authorised where appropriate."
  const permission = {
    category: 'mobile-phone',
    location: 'Works department',
    validFrom: new Date('2026-11-01T00:00:00Z'),
    validUntil: new Date('2026-11-30T23:59:59Z'),
    revokedAt: null,
  } as const
  const find = {
    category: 'mobile-phone',
    location: 'works department',
    foundAt: new Date('2026-11-10T10:00:00Z'),
  } as const

  it('covers the same kind of item, in its place, while it is live', () => {
    assert.ok(permissionCovers(permission, find))
    assert.ok(permissionCovers({ ...permission, location: null }, { ...find, location: 'A wing' }))
    assert.ok(!permissionCovers(permission, { ...find, category: 'sim-card' }))
    assert.ok(!permissionCovers(permission, { ...find, location: 'A wing' }))
    assert.ok(!permissionCovers(permission, { ...find, foundAt: new Date('2026-12-01T00:00:00Z') }))
    assert.ok(!permissionCovers({ ...permission, revokedAt: new Date('2026-11-05T00:00:00Z') }, find))
  })
})

describe('visitors who threaten security', () => {
  // Spec output 13: "Prisoners and visitors who pose a threat to security … are managed and actions are reported."
  const measure = { startsOn: '2026-11-01', reviewOn: '2027-02-01', endsOn: null, reason: 'Passed a package' }

  it('has a reason and a review within three months', () => {
    assert.deepEqual(visitMeasureProblems(measure, addMonths), [])
    assert.deepEqual(
      visitMeasureProblems({ ...measure, reviewOn: '2027-02-02' }, addMonths).map(p => p.field),
      ['reviewOn'],
    )
    assert.deepEqual(
      visitMeasureProblems({ ...measure, reason: ' ', reviewOn: '2026-10-31' }, addMonths).map(p => p.field),
      ['reason', 'reviewOn'],
    )
  })
})

describe('reviews of measures on visitors', () => {
  // Spec output 13: "Prisoners and visitors who pose a threat to security … are managed and actions are reported."
  // A measure from 1 November is reviewed by 1 February at the latest; continued on 1 February, by 1 May.
  const measure = { startsOn: '2026-11-01', reviewOn: '2027-02-01', endsOn: null, ended: false }
  const context = { today: '2027-02-01', addMonths }

  it('continues to a new review within three months of the review, to the day', () => {
    const review = { reviewedOn: '2027-02-01', outcome: 'continue', nextReviewOn: '2027-05-01' } as const
    assert.deepEqual(visitMeasureReviewProblems(review, measure, context), [])
    assert.deepEqual(
      visitMeasureReviewProblems({ ...review, nextReviewOn: '2027-05-02' }, measure, context).map(p => p.message),
      ['The next review must be within 3 months of this one'],
    )
    assert.deepEqual(
      visitMeasureReviewProblems({ ...review, nextReviewOn: null }, measure, context).map(p => p.field),
      ['nextReviewOn'],
    )
    assert.deepEqual(
      visitMeasureReviewProblems({ ...review, nextReviewOn: '2027-02-01' }, measure, context).map(p => p.field),
      ['nextReviewOn'],
    )
  })

  it('is held on or after the start, never in the future; ending needs no next review', () => {
    const ending = { reviewedOn: '2027-02-01', outcome: 'end', nextReviewOn: null } as const
    assert.deepEqual(visitMeasureReviewProblems(ending, measure, context), [])
    assert.deepEqual(
      visitMeasureReviewProblems({ ...ending, reviewedOn: '2027-02-02' }, measure, context).map(p => p.field),
      ['reviewedOn'],
    )
    assert.deepEqual(
      visitMeasureReviewProblems({ ...ending, reviewedOn: '2026-10-31' }, measure, context).map(p => p.field),
      ['reviewedOn'],
    )
  })

  it('is due in the fortnight before the review, overdue the day after, and ends with its end date', () => {
    assert.equal(visitMeasureState(measure, '2027-01-17'), 'in-force')
    assert.equal(visitMeasureState(measure, '2027-01-18'), 'review-due')
    assert.equal(visitMeasureState(measure, '2027-02-01'), 'review-due')
    assert.equal(visitMeasureState(measure, '2027-02-02'), 'review-overdue')
    assert.equal(visitMeasureState({ ...measure, startsOn: '2026-12-01' }, '2026-11-20'), 'upcoming')
    assert.equal(visitMeasureState({ ...measure, ended: true }, '2027-02-02'), 'ended')
    assert.equal(visitMeasureState({ ...measure, endsOn: '2026-12-31' }, '2027-01-01'), 'ended')
    // A measure that ends before its review date needs no review.
    assert.equal(visitMeasureReviewDue({ ...measure, endsOn: '2027-01-31' }, '2027-01-20'), null)
    assert.equal(visitMeasureReviewDue(measure, '2027-01-20'), '2027-02-01')
  })
})

describe('permissions for items', () => {
  // Spec output 14: "Conveying of, possession of, transmission of and/or using prohibited items or information is
  // authorised where appropriate."
  it('runs from one day to the same or a later one, still to come', () => {
    assert.deepEqual(itemPermissionProblems({ validFrom: '2026-11-10', validUntil: '2026-11-10' }, '2026-11-10'), [])
    assert.deepEqual(
      itemPermissionProblems({ validFrom: '2026-11-10', validUntil: '2026-11-09' }, '2026-11-01').map(p => p.field),
      ['validUntil'],
    )
    assert.deepEqual(
      itemPermissionProblems({ validFrom: '2026-10-01', validUntil: '2026-10-31' }, '2026-11-01').map(p => p.field),
      ['validUntil'],
    )
  })

  it('is live between its dates, until revoked', () => {
    const permission = {
      validFrom: new Date('2026-11-01T00:00:00Z'),
      validUntil: new Date('2026-11-30T23:59:59Z'),
      revokedAt: null,
    }
    assert.equal(itemPermissionState(permission, new Date('2026-10-31T23:00:00Z')), 'upcoming')
    assert.equal(itemPermissionState(permission, new Date('2026-11-15T12:00:00Z')), 'live')
    assert.equal(itemPermissionState(permission, new Date('2026-12-01T00:00:00Z')), 'expired')
    const revoked = { ...permission, revokedAt: new Date('2026-11-10T09:00:00Z') }
    assert.equal(itemPermissionState(revoked, new Date('2026-11-15T12:00:00Z')), 'revoked')
  })
})
