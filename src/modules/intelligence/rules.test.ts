import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { randomFrom } from '../../demo/random.ts'
import {
  actionsFrom,
  compartmentsFor,
  disseminationBlockers,
  drawReportRef,
  GRADING_SCALES,
  type GradingScheme,
  gradingLabel,
  gradingProblems,
  handlingCheck,
  nextStatus,
  originatesOutsideHmpps,
  parseReportRef,
  RECIPIENT_TYPES,
  REFERENCE_ALPHABET,
  REPORT_REF_PATTERN,
  restrictionProblem,
  withinHmpps,
} from './rules.ts'

/** Bytes from a seeded generator: the same draws every run. */
const seededBytes = (seed: number) => {
  const random = randomFrom(seed)
  return (size: number) => Uint8Array.from({ length: size }, () => random.int(0, 255))
}
/** These bytes, then the seeded ones: a test of what the generator does with particular bytes. */
const bytesThen = (first: number[], seed = 1) => {
  const rest = seededBytes(seed)
  let queue = [...first]
  return (size: number) => {
    const taken = queue.slice(0, size)
    queue = queue.slice(size)
    return Uint8Array.from([...taken, ...rest(size - taken.length)])
  }
}

// Issue 13, defect 6: "Report references are one sequence per prison and year, so an analyst sees gaps where
// compartmented reports sit, and roughly when they were made. A report in a compartment must not be inferable from
// the references that others see."
describe('report references', () => {
  it('name the establishment, the year and six characters drawn at random', () => {
    assert.match(drawReportRef('WWI', 2026, randomBytes), /^IR-WWI-2026-[34679CDFGHJKMNPQRTWXY]{6}$/)
    assert.match(drawReportRef('WWI', 2026, randomBytes), REPORT_REF_PATTERN)
  })

  it('use no character that passes for another, and no vowel', () => {
    assert.equal(new Set(REFERENCE_ALPHABET).size, REFERENCE_ALPHABET.length)
    for (const c of '0O1IL2Z5S8BUVAE') assert.ok(!REFERENCE_ALPHABET.includes(c), c)
  })

  it('are all different over many draws, each character as likely in every place, with no order', () => {
    const draw = seededBytes(13)
    const refs = Array.from({ length: 2000 }, () => drawReportRef('MDI', 2026, draw))
    assert.equal(new Set(refs).size, refs.length)
    assert.notDeepEqual([...refs].sort(), refs)
    const codes = refs.map(ref => ref.slice(-6))
    for (let place = 0; place < 6; place++) {
      for (const c of REFERENCE_ALPHABET) {
        const share = codes.filter(code => code[place] === c).length / codes.length
        assert.ok(Math.abs(share - 1 / REFERENCE_ALPHABET.length) < 0.025, `${c} in place ${place + 1}: ${share}`)
      }
    }
  })

  it('skip the bytes that would favour the first characters', () => {
    // 252 to 255 would be the first four characters again; 0 is the first, 20 the last.
    const ref = drawReportRef('MDI', 2026, bytesThen([252, 253, 254, 255, 0, 20, 21, 41, 42, 62]))
    assert.equal(ref.slice(-6), `${REFERENCE_ALPHABET[0]}${REFERENCE_ALPHABET[20]}`.repeat(3))
  })

  it('always have a letter, so that none is one of the numbered references of earlier years', () => {
    // Six bytes that draw only digits are drawn again.
    const ref = drawReportRef('MDI', 2026, bytesThen([0, 1, 2, 3, 4, 0, 5, 5, 5, 5, 5, 5]))
    assert.equal(ref, 'IR-MDI-2026-CCCCCC')
  })

  it('are read back in any case, spaced or dashed, and numbered ones stay references', () => {
    assert.equal(parseReportRef('ir-mdi-2026-k7qx4m'), 'IR-MDI-2026-K7QX4M')
    assert.equal(parseReportRef(' IR MDI 2026 K7QX 4M '), 'IR-MDI-2026-K7QX4M')
    assert.equal(parseReportRef('IR–MDI–2026–K7QX4M'), 'IR-MDI-2026-K7QX4M')
    assert.equal(parseReportRef('ir mdi 2026 000123'), 'IR-MDI-2026-000123')
    assert.equal(parseReportRef('IR-MDI-2026-K7QX4O'), null, 'O is not in a reference')
    assert.equal(parseReportRef('drugs on B wing'), null)
  })
})

describe('need-to-know on submission', () => {
  // Issue 4.3: "Reports about staff corruption are created in the staff-corruption compartment"
  it('puts staff corruption reports in the staff-corruption compartment', () => {
    assert.deepEqual(compartmentsFor({ threatAreas: ['conveyance', 'staff-corruption'], sourceType: 'overheard' }), {
      compartment: 'staff-corruption',
      originalCompartment: null,
    })
  })

  // Issue 4.3: "reports whose source is a CHIS only to the CHIS compartment" (the original; the sanitised text is shared)
  it('restricts the original words of a CHIS to the CHIS compartment', () => {
    assert.deepEqual(compartmentsFor({ threatAreas: ['soc'], sourceType: 'chis' }), {
      compartment: null,
      originalCompartment: 'chis',
    })
  })

  // SMS spec 11 (MOU: NOMS/PREVENT) "provides instruction on the management of intelligence regarding extremism and
  // radicalisation within prisons"; DESIGN "Need-to-know compartments (staff corruption, covert human intelligence
  // sources, counter-terrorism) cut across roles: without the compartment a record does not exist for that user".
  it('puts extremism reports in the counter-terrorism compartment', () => {
    assert.deepEqual(compartmentsFor({ threatAreas: ['extremism', 'violence-disorder'], sourceType: 'overheard' }), {
      compartment: 'counter-terrorism',
      originalCompartment: null,
    })
  })

  // The same compartments, one per report: a corrupt member of staff stays with counter-corruption.
  it('keeps a report about staff corruption and extremism with counter-corruption', () => {
    assert.equal(
      compartmentsFor({ threatAreas: ['extremism', 'staff-corruption'], sourceType: 'chis' }).compartment,
      'staff-corruption',
    )
  })

  // DESIGN, the same paragraph: a triage decision puts an open report in a compartment; once there it stays.
  it('restricts an open report at triage, and only an open one', () => {
    assert.equal(restrictionProblem(null), null)
    assert.equal(
      restrictionProblem('counter-terrorism'),
      'This report is already restricted to the counter-terrorism compartment',
    )
  })

  it('leaves other reports open', () => {
    assert.deepEqual(compartmentsFor({ threatAreas: ['escape-abscond'], sourceType: 'own-observation' }), {
      compartment: null,
      originalCompartment: null,
    })
  })
})

describe('grading (DESIGN glossary: 3x5x2 and the NIM 5x5x5 of the LEA sharing principles, Appendix D)', () => {
  // Glossary: 3x5x2 — source 1–3, intelligence A–E, handling P or C.
  it('accepts a 3x5x2 grade with codes from its scale', () => {
    assert.deepEqual(gradingProblems({ scheme: '3x5x2', source: '1', intelligence: 'B', handling: 'P' }), [])
  })

  // Glossary: "handling P (lawful sharing permitted) or C (lawful sharing with conditions, which must be stated)"
  it('requires the conditions of a 3x5x2 handling code C', () => {
    assert.deepEqual(gradingProblems({ scheme: '3x5x2', source: '2', intelligence: 'C', handling: 'C' }), [
      { field: 'conditions', message: 'State the conditions on sharing for handling code C' },
    ])
    assert.deepEqual(
      gradingProblems({ scheme: '3x5x2', source: '2', intelligence: 'C', handling: 'C', conditions: 'Police only' }),
      [],
    )
  })

  it('refuses codes from the other scheme', () => {
    const problems = gradingProblems({ scheme: '3x5x2', source: 'A', intelligence: '1', handling: '4' })
    assert.deepEqual(
      problems.map(p => p.field),
      ['source', 'intelligence', 'handling'],
    )
    assert.deepEqual(
      gradingProblems({ scheme: '5x5x5', source: '1', intelligence: 'A', handling: 'P' }).map(p => p.field),
      ['source', 'intelligence', 'handling'],
    )
  })

  // Glossary: 5x5x5 — source A–E, intelligence 1–5, handling code 1–5.
  it('accepts every 5x5x5 combination on its scale', () => {
    for (const source of 'ABCDE')
      for (const intelligence of '12345')
        for (const handling of '12345') {
          assert.deepEqual(gradingProblems({ scheme: '5x5x5', source, intelligence, handling }), [])
        }
  })

  // Glossary: 5x5x5 intelligence "5 (... suspected to be false or malicious)"; 3x5x2 intelligence A–E "(...; not known;
  // suspected to be false or malicious)".
  it('reads 3x5x2 E and 5x5x5 5 as suspected to be false or malicious', () => {
    const meaning = (scheme: GradingScheme, code: string) =>
      GRADING_SCALES[scheme].intelligence.find(step => step.code === code)?.meaning
    assert.equal(meaning('3x5x2', 'E'), 'Suspected to be false or malicious')
    assert.equal(meaning('5x5x5', '5'), 'Suspected to be false or malicious')
  })

  it('writes the grade as it appears on a report', () => {
    assert.equal(gradingLabel({ scheme: '3x5x2', source: '1', intelligence: 'B', handling: 'P' }), '3x5x2 1/B/P')
    assert.equal(gradingLabel({ scheme: '5x5x5', source: 'B', intelligence: '2', handling: '4' }), '5x5x5 B/2/4')
    assert.equal(gradingLabel(null), 'Not graded')
  })
})

describe('workflow (issue 4.2: submitted → in assessment → graded → disseminated / no further action / linked)', () => {
  it('moves a report along the table', () => {
    assert.equal(nextStatus('submitted', 'start-assessment'), 'in-assessment')
    assert.equal(nextStatus('in-assessment', 'grade'), 'graded')
    assert.equal(nextStatus('graded', 'grade'), 'graded', 're-grading keeps history and status')
    assert.equal(nextStatus('graded', 'disseminate'), 'disseminated')
    assert.equal(nextStatus('disseminated', 'disseminate'), 'disseminated', 'a report may go to several recipients')
    assert.equal(nextStatus('disseminated', 'grade'), 'disseminated', 're-grading what was shared does not unshare it')
    assert.equal(nextStatus('in-assessment', 'no-further-action'), 'no-further-action')
    assert.equal(nextStatus('graded', 'link-to-existing'), 'linked-to-existing')
  })

  it('refuses moves the table does not hold', () => {
    assert.equal(nextStatus('submitted', 'grade'), null, 'assessment starts first')
    assert.equal(nextStatus('submitted', 'disseminate'), null)
    assert.equal(nextStatus('in-assessment', 'disseminate'), null, 'grade before sharing')
    assert.equal(nextStatus('no-further-action', 'grade'), null)
    assert.equal(nextStatus('linked-to-existing', 'disseminate'), null)
  })

  it('lists the actions open from each status', () => {
    assert.deepEqual(actionsFrom('submitted'), ['start-assessment'])
    assert.deepEqual(actionsFrom('graded'), ['grade', 'disseminate', 'no-further-action', 'link-to-existing'])
    assert.deepEqual(actionsFrom('no-further-action'), [])
  })
})

describe('dissemination (LEA sharing principles, "Prison information to be disclosed to LEA\'s")', () => {
  it('counts establishments, SOCU and probation as inside HMPPS, and police, CT and NCA as outside', () => {
    assert.deepEqual(RECIPIENT_TYPES.filter(withinHmpps), ['establishment', 'socu', 'probation'])
  })

  // Issue 4.7: "A 5x5x5 code 4 or 5 ... blocks dissemination outside its terms unless a head of security records an override"
  it('blocks handling code 5 to anyone, and code 4 outside HMPPS', () => {
    const five = { scheme: '5x5x5' as const, source: 'B', intelligence: '2', handling: '5' }
    const four = { ...five, handling: '4' }
    for (const recipient of RECIPIENT_TYPES)
      assert.equal(handlingCheck(five, recipient, false).withinTerms, false, recipient)
    assert.equal(handlingCheck(four, 'police', false).withinTerms, false)
    assert.equal(handlingCheck(four, 'nca', false).withinTerms, false)
    assert.equal(handlingCheck(four, 'socu', false).withinTerms, true)
    assert.equal(handlingCheck(four, 'establishment', false).withinTerms, true)
    for (const handling of ['1', '2', '3'])
      assert.equal(handlingCheck({ ...five, handling }, 'police', false).withinTerms, true)
  })

  // LEA sharing principles: "Where there isn't a PIO for the prison establishment, the force FIB where the prison is
  // located will be the conduit" (police intelligence reaches the prison through the PIO); 5x5x5 handling code 5:
  // "No further dissemination: refer to the originator".
  it('knows police intelligence, from another agency or the PIO, as originating outside HMPPS', () => {
    assert.equal(originatesOutsideHmpps({ sourceType: 'other-agency', reporterRoles: ['analyst'] }), true)
    assert.equal(originatesOutsideHmpps({ sourceType: 'own-observation', reporterRoles: ['pio'] }), true)
    assert.equal(originatesOutsideHmpps({ sourceType: 'told-by-prisoner', reporterRoles: ['reporter'] }), false)
  })

  // The same: handling code 5 on intelligence from outside HMPPS is the originator's to release, never a local override.
  it('lets no one override handling code 5 on intelligence from outside HMPPS, and says whom to ask', () => {
    const five = { scheme: '5x5x5' as const, source: 'B', intelligence: '2', handling: '5' }
    const police = handlingCheck(five, 'socu', false, true)
    assert.equal(police.withinTerms, false)
    assert.equal(police.withinTerms ? true : police.overridable, false)
    assert.match(police.withinTerms ? '' : police.reason, /originating force through the prison intelligence officer/)
    const ours = handlingCheck(five, 'socu', false, false)
    assert.equal(ours.withinTerms ? false : ours.overridable, true, 'HMPPS intelligence may still be overridden')
    const four = handlingCheck({ ...five, handling: '4' }, 'establishment', false, true)
    assert.equal(four.withinTerms, true, 'code 4 within HMPPS is unchanged by where it came from')
  })

  // Issue 4.7: "or a 3x5x2 C with conditions, blocks dissemination outside its terms"
  it('blocks a 3x5x2 C unless the conditions are confirmed as met; P is shareable', () => {
    const c = {
      scheme: '3x5x2' as const,
      source: '1',
      intelligence: 'A',
      handling: 'C',
      conditions: 'Force intelligence bureau only',
    }
    const verdict = handlingCheck(c, 'police', false)
    assert.equal(verdict.withinTerms, false)
    assert.match(verdict.withinTerms ? '' : verdict.reason, /Force intelligence bureau only/)
    assert.equal(handlingCheck(c, 'police', true).withinTerms, true)
    assert.equal(handlingCheck({ ...c, handling: 'P', conditions: null }, 'nca', false).withinTerms, true)
  })

  it('needs a grade and a sanitised text before anything is shared', () => {
    assert.deepEqual(
      disseminationBlockers({ status: 'in-assessment', sanitisedText: null, grading: null }).map(b => b.field),
      ['grading', 'sanitisedText'],
    )
    assert.deepEqual(
      disseminationBlockers({
        status: 'graded',
        sanitisedText: 'Sanitised',
        grading: { scheme: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
      }),
      [],
    )
    assert.deepEqual(
      disseminationBlockers({
        status: 'no-further-action',
        sanitisedText: 'Sanitised',
        grading: { scheme: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
      }).map(b => b.field),
      ['status'],
    )
  })
})
