import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ageOn,
  alertDatesProblem,
  alertIsActive,
  categoryDescription,
  compartmentForKind,
  isCategoryA,
  isRestrictedStatus,
  isSecurityCategory,
  normaliseCro,
  normalisePnc,
  normalisePrisonNumber,
  PRISON_NUMBER,
  SECURITY_CATEGORIES,
} from './rules.ts'

describe('normalisePnc', () => {
  // 12/394773H: (12 and 0394773) mod 23 = 8, the ninth letter of ZABCDEFGHJ... (no I, O or S).
  it('accepts the long form with the right check character', () => {
    assert.equal(normalisePnc('2012/0394773H'), '2012/0394773H')
  })

  it('expands the short form to four-digit year and seven-digit serial', () => {
    assert.equal(normalisePnc('12/394773H'), '2012/0394773H')
    assert.equal(normalisePnc(' 12/394773h '), '2012/0394773H')
    assert.equal(normalisePnc('00/1A'), '2000/0000001A')
  })

  it('reads two-digit years above 50 as the 1900s and up to 50 as the 2000s', () => {
    assert.equal(normalisePnc('51/1234567W'), '1951/1234567W')
    assert.equal(normalisePnc('50/1234567F'), '2050/1234567F')
    assert.equal(normalisePnc('95/318224Q'), '1995/0318224Q')
  })

  it('refuses every wrong check character', () => {
    for (const letter of 'ABCDEFGJKLMNPQRTUVWXYZ') {
      assert.equal(normalisePnc(`12/394773${letter}`), null, letter)
      assert.equal(normalisePnc(`2012/0394773${letter}`), null, letter)
    }
  })

  it('refuses what is not a PNC number', () => {
    for (const value of ['', '2012-0394773H', '12/12345678H', '123/394773H', '12/394773', '12/394773HH', 'A1234BC']) {
      assert.equal(normalisePnc(value), null, value)
    }
  })
})

describe('normaliseCro', () => {
  it('accepts serial/year and check letter, and the SF form, upper-cased', () => {
    assert.equal(normaliseCro('123456/99A'), '123456/99A')
    assert.equal(normaliseCro(' 1/07x '), '1/07X')
    assert.equal(normaliseCro('SF93/123456A'), 'SF93/123456A')
    assert.equal(normaliseCro('sf05/12a'), 'SF05/12A')
  })

  it('refuses other shapes', () => {
    for (const value of ['', '1234567/99A', '123456/9A', '123456/99', '123456/99AB', 'SF93/123456', 'SF3/1A', '99A']) {
      assert.equal(normaliseCro(value), null, value)
    }
  })
})

describe('prison numbers', () => {
  it('match a letter, four digits and two letters, in capitals', () => {
    for (const value of ['A1234BC', 'G4821KT', 'Z0000AA']) assert.match(value, PRISON_NUMBER)
    for (const value of ['a1234bc', '12345', 'A123BC', 'A12345BC', 'AB1234C', 'A1234B', ' A1234BC']) {
      assert.doesNotMatch(value, PRISON_NUMBER)
    }
  })

  it('are normalised by trimming and upper-casing', () => {
    assert.equal(normalisePrisonNumber(' a1234bc '), 'A1234BC')
  })
})

describe('security categories', () => {
  // SMS spec 4: "managing risk posed by potential Category A, Category A and E List prisoners"; DESIGN glossary:
  // "E-List — escape list prisoners. Cat A / RS — Category A and Restricted Status prisoners." The E List is a flag
  // (NOMIS XEL/XELH), so category E is Category A's exceptional escape risk, H its high escape risk.
  it('isCategoryA: standard, exceptional and high escape risk, and provisional', () => {
    for (const code of ['A', 'E', 'H', 'P']) assert.equal(isCategoryA(code), true, code)
    for (const code of ['B', 'C', 'D', 'Q', 'V', 'U', 'a', '', null, undefined]) assert.equal(isCategoryA(code), false)
  })

  it('isRestrictedStatus: the female and YOI restricted statuses only', () => {
    assert.equal(isRestrictedStatus('Q'), true)
    assert.equal(isRestrictedStatus('V'), true)
    for (const code of ['A', 'H', 'B', 'R', 'I', null]) assert.equal(isRestrictedStatus(code), false)
  })

  // SMS spec 4 and DESIGN glossary (E-List): no category is labelled the escape list, which is a separate regime.
  it('knows the NOMIS codes and describes unknown ones plainly', () => {
    assert.equal(isSecurityCategory('H'), true)
    assert.equal(isSecurityCategory('W'), false)
    assert.equal(categoryDescription('H'), 'Category A High escape risk')
    assert.equal(categoryDescription('E'), 'Category A Exceptional escape risk')
    for (const c of SECURITY_CATEGORIES) assert.doesNotMatch(c.description, /escape list/i, c.code)
    assert.equal(categoryDescription('ZZ'), 'Category ZZ')
    assert.equal(categoryDescription(null), 'Not recorded')
  })
})

describe('compartmentForKind', () => {
  it('puts staff in the staff-corruption compartment and nobody else', () => {
    assert.equal(compartmentForKind('staff'), 'staff-corruption')
    for (const kind of ['prisoner', 'visitor', 'other'] as const) assert.equal(compartmentForKind(kind), null)
  })
})

describe('alertIsActive', () => {
  const today = '2026-11-23'

  it('is active from its first day', () => {
    assert.equal(alertIsActive({ activeFrom: today, activeTo: null }, today), true)
    assert.equal(alertIsActive({ activeFrom: '2026-11-24', activeTo: null }, today), false)
  })

  it('is no longer active on its end date, and still active the day before', () => {
    assert.equal(alertIsActive({ activeFrom: '2026-01-01', activeTo: today }, today), false)
    assert.equal(alertIsActive({ activeFrom: '2026-01-01', activeTo: '2026-11-24' }, today), true)
  })
})

describe('alertDatesProblem', () => {
  it('names activeTo when the end is before the start', () => {
    const problem = alertDatesProblem({ activeFrom: '2026-11-23', activeTo: '2026-11-22' })
    assert.equal(problem?.field, 'activeTo')
    assert.match(problem?.message ?? '', /end date must be the same as or after the start date/)
  })

  it('allows an end on the start day, and no end at all', () => {
    assert.equal(alertDatesProblem({ activeFrom: '2026-11-23', activeTo: '2026-11-23' }), null)
    assert.equal(alertDatesProblem({ activeFrom: '2026-11-23', activeTo: null }), null)
  })
})

describe('ageOn', () => {
  it('counts a year on the birthday, not the day before', () => {
    assert.equal(ageOn('1990-03-27', '2026-03-26'), 35)
    assert.equal(ageOn('1990-03-27', '2026-03-27'), 36)
    assert.equal(ageOn('1990-03-27', '2026-12-31'), 36)
  })

  it('takes a 29 February birthday on 1 March in other years', () => {
    assert.equal(ageOn('2000-02-29', '2025-02-28'), 24)
    assert.equal(ageOn('2000-02-29', '2025-03-01'), 25)
  })
})
