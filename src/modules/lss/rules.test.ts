import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  addYears,
  amendmentStatus,
  approvalsStillRequired,
  assessmentSupportsAssurance,
  assuranceDue,
  type Decision,
  mayDecide,
  type RELATES_TO,
  requiredApprovals,
  riskAssessmentDue,
  signatureProblem,
  textHash,
  wordDiff,
} from './rules.ts'

describe('authorisation route of an amendment', () => {
  // LSS PF 4.13: "All amendments to the LSS must be submitted to the Governor for authorisation"
  // LSS PF 4.14 (LTHSE): "Amendments to the LSS relating to Category A prisoners must be submitted to the Executive
  //   Director of Security for final approval"
  // LSS PF 4.15 (prisons outside the LTHSE): "Amendments to the LSS relating to Restricted Status (RS) prisoners must
  //   be submitted to Executive Director of Security for final approval"
  // LSS PF 4.16: "it may be agreed locally that changes required PGD authorisation, or the Governor may feel they
  //   should agree changes with the PGD, prior to implementation"
  const cases: { relatesTo: (typeof RELATES_TO)[number]; highSecurity: boolean; edSecurity: boolean }[] = [
    { relatesTo: 'none', highSecurity: false, edSecurity: false },
    { relatesTo: 'none', highSecurity: true, edSecurity: false },
    { relatesTo: 'category-a', highSecurity: true, edSecurity: true }, // 4.14
    { relatesTo: 'category-a', highSecurity: false, edSecurity: false }, // 4.14 applies in the LTHSE only
    { relatesTo: 'restricted-status', highSecurity: false, edSecurity: true }, // 4.15
    { relatesTo: 'restricted-status', highSecurity: true, edSecurity: false }, // 4.15 applies outside the LTHSE only
  ]
  for (const c of cases) {
    for (const pgdRequiredLocally of [false, true]) {
      for (const governorChoosesPgd of [false, true]) {
        const withPgd = pgdRequiredLocally || governorChoosesPgd
        const expected = ['governor', ...(withPgd ? ['pgd'] : []), ...(c.edSecurity ? ['ed-security'] : [])]
        it(`${c.relatesTo}, ${c.highSecurity ? 'high security' : 'other'} estate, PGD ${pgdRequiredLocally ? 'required locally' : 'not required'}${governorChoosesPgd ? ', chosen by the Governor' : ''} → ${expected.join(' → ')}`, () => {
          assert.deepEqual(requiredApprovals({ ...c, pgdRequiredLocally, governorChoosesPgd }), expected)
        })
      }
    }
  }
})

describe('status of an amendment', () => {
  const route = ['governor', 'pgd', 'ed-security'] as const
  const hash = textHash({ aimAndPurpose: 'a', nationalReference: 'b', localReference: 'c', procedures: 'd' })
  const approve = (role: Decision['role'], textHash = hash): Decision => ({ role, decision: 'approve', textHash })

  it('moves along the route in order', () => {
    assert.equal(amendmentStatus(route, [], hash), 'awaiting-governor')
    assert.equal(amendmentStatus(route, [approve('governor')], hash), 'awaiting-pgd')
    assert.equal(amendmentStatus(route, [approve('governor'), approve('pgd')], hash), 'awaiting-ed-security')
    assert.equal(
      amendmentStatus(route, [approve('governor'), approve('pgd'), approve('ed-security')], hash),
      'approved',
    )
    assert.deepEqual(approvalsStillRequired(route, [approve('governor')], hash), ['pgd', 'ed-security'])
  })

  it('stops at a rejection', () => {
    assert.equal(
      amendmentStatus(route, [approve('governor'), { role: 'pgd', decision: 'reject', textHash: hash }], hash),
      'rejected',
    )
    assert.deepEqual(
      approvalsStillRequired(route, [{ role: 'governor', decision: 'reject', textHash: hash }], hash),
      [],
    )
  })

  // Issue 5.4: "a change to the proposed text after any approval sends it back for approval again"
  it('goes back to the start when the proposed text changes after an approval', () => {
    const changed = textHash({
      aimAndPurpose: 'a',
      nationalReference: 'b',
      localReference: 'c',
      procedures: 'd, changed',
    })
    assert.equal(amendmentStatus(route, [approve('governor'), approve('pgd')], changed), 'awaiting-governor')
  })

  it('lets only the approver whose turn it is decide', () => {
    assert.deepEqual(mayDecide('awaiting-governor', ['governor'], 'approve'), { allowed: true, as: 'governor' })
    const pgdAsGovernor = mayDecide('awaiting-governor', ['pgd'], 'approve')
    assert.equal(pgdAsGovernor.allowed, false)
    const governorAsEd = mayDecide('awaiting-ed-security', ['governor'], 'approve')
    assert.equal(governorAsEd.allowed, false)
    assert.match(governorAsEd.allowed ? '' : governorAsEd.message, /executive director of security/)
    assert.equal(mayDecide('approved', ['governor'], 'approve').allowed, false)
  })
})

describe('word-level differences', () => {
  it('marks words added and removed', () => {
    assert.deepEqual(wordDiff('Search every cell weekly', 'Search every cell daily and log it'), [
      { kind: 'same', text: 'Search every cell ' },
      { kind: 'removed', text: 'weekly' },
      { kind: 'added', text: 'daily and log it' },
    ])
    assert.deepEqual(wordDiff('same text', 'same text'), [{ kind: 'same', text: 'same text' }])
  })
})

describe('risk assessment and assurance clocks', () => {
  // LSS PF 4.12: "Risks must be assessed annually as a minimum and in addition, whenever risks are perceived to have
  //   changed significantly"
  it('falls due a year after the last assessment, or at once after a significant change', () => {
    assert.equal(riskAssessmentDue('2026-03-01', null, '2026-11-23'), '2027-03-01')
    assert.equal(riskAssessmentDue('2026-03-01', '2026-10-10', '2026-11-23'), '2026-10-10')
    assert.equal(riskAssessmentDue(null, null, '2026-11-23'), '2026-11-23')
    assert.equal(addYears('2024-02-29', 1), '2025-02-28')
  })

  // LSS PF 4.21: "PGDs must satisfy themselves that an evidence-based risk assessment has been undertaken annually"
  it('lets a statement be signed only on an assessment from the previous twelve months', () => {
    assert.equal(assessmentSupportsAssurance('2026-01-10', '2026-11-23'), true)
    assert.equal(assessmentSupportsAssurance('2025-11-24', '2026-11-23'), true)
    assert.equal(assessmentSupportsAssurance('2025-11-23', '2026-11-23'), false, 'exactly twelve months ago is too old')
    assert.equal(assessmentSupportsAssurance(null, '2026-11-23'), false)
  })

  // LSS PF 4.18: "PGDs together with Governors are required to sign an annual assurance statement"
  it('makes the statement annual', () => {
    assert.equal(assuranceDue('2026-04-01', '2026-11-23'), '2027-04-01')
    assert.equal(assuranceDue(null, '2026-11-23'), '2026-11-23')
  })

  it('needs two different people, each in their own role', () => {
    const blank = { governorUsername: null, pgdUsername: null }
    assert.equal(signatureProblem('governor', { username: 'g', roles: ['governor'] }, blank), null)
    assert.match(
      signatureProblem('pgd', { username: 'g', roles: ['governor'] }, blank)!,
      /Only a prison group director/,
    )
    assert.match(
      signatureProblem(
        'pgd',
        { username: 'g', roles: ['governor', 'pgd'] },
        { governorUsername: 'g', pgdUsername: null },
      )!,
      /two different people/,
    )
    assert.match(
      signatureProblem(
        'governor',
        { username: 'g', roles: ['governor'] },
        { governorUsername: 'g', pgdUsername: null },
      )!,
      /already been signed/,
    )
  })
})
