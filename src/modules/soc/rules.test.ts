import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  addMonths,
  assuranceVisitDue,
  bandOf,
  communityPlanDue,
  decisionProblems,
  dipSample,
  dipSampleDue,
  dueDates,
  nextReview,
  planAfterAdoptionDue,
  postReleaseBandingReview,
  shortSentence,
  socuCommunityNotification,
} from './rules.ts'

describe('month arithmetic', () => {
  it('keeps the day, or the last day of a shorter month', () => {
    assert.equal(addMonths('2026-11-23', 3), '2027-02-23')
    assert.equal(addMonths('2026-08-31', 6), '2027-02-28')
    assert.equal(addMonths('2027-06-30', -8), '2026-10-30')
    assert.equal(addMonths('2028-02-29', 12), '2029-02-28')
  })
})

describe('reviews', () => {
  // SOC PF 4.47: "all of the Band 1 cases will be reviewed on a quarterly basis to determine if they remain a priority"
  it('reviews Band 1 quarterly', () => {
    assert.equal(nextReview('1', '2026-11-23'), '2027-02-23')
  })

  // SOC PF 4.61: "local procedures in place to review management of Band 2 nominals on a monthly basis"
  it('reviews Band 2 monthly', () => {
    assert.equal(nextReview('2', '2026-11-23'), '2026-12-23')
    assert.equal(nextReview('2', '2027-01-31'), '2027-02-28')
  })
})

describe('release hand-off', () => {
  // SOC PF 4.39: "the SOCU Community Team are notified, usually 8 months prior to release"
  it('notifies the SOCU community team 8 months before release', () => {
    assert.equal(
      socuCommunityNotification({
        releaseDate: '2027-07-23',
        sentenceStart: '2024-01-10',
        releaseDateKnownOn: '2024-01-10',
      }),
      '2026-11-23',
    )
  })

  it('is due today when the release is exactly 8 months away', () => {
    const today = '2026-11-23'
    const releaseDate = addMonths(today, 8)
    assert.equal(
      socuCommunityNotification({ releaseDate, sentenceStart: '2025-01-01', releaseDateKnownOn: '2025-01-01' }),
      today,
    )
  })

  // SOC PF 4.39 / 4.62: "Where prison sentence is less than six months, SOCU community team should be notified as
  //   soon as release date is known"
  it('notifies at once when the sentence is under six months (5 months 30 days)', () => {
    const sentenceStart = '2026-11-01'
    const releaseDate = '2027-04-30' // 5 months and 29–30 days after 1 November
    assert.equal(shortSentence(sentenceStart, releaseDate), true)
    assert.equal(
      socuCommunityNotification({ releaseDate, sentenceStart, releaseDateKnownOn: '2026-11-02' }),
      '2026-11-02',
    )
  })

  it('treats a sentence of exactly six months as not short', () => {
    assert.equal(shortSentence('2026-11-01', '2027-05-01'), false)
    assert.equal(
      socuCommunityNotification({
        releaseDate: '2027-05-01',
        sentenceStart: '2026-11-01',
        releaseDateKnownOn: '2026-11-02',
      }),
      '2026-09-01',
    )
  })

  // SOC PF 4.52: "a SOCU (community) management plan 6 months prior to release for all Band 1 nominals in custody"
  it('wants the community plan 6 months before release', () => {
    assert.equal(communityPlanDue('2027-05-23'), '2026-11-23')
  })

  // SOC PF 4.54: "a SOCU management plan will be developed within 1 month of being adopted as a Band 1"
  it('wants a plan within a month of adoption in the community', () => {
    assert.equal(planAfterAdoptionDue('2026-11-23'), '2026-12-23')
  })

  // SOC PF 4.66 / 4.69: "review banding 3 months after release and regularly thereafter"
  it('reviews banding 3 months after release, then quarterly', () => {
    assert.equal(postReleaseBandingReview('2026-11-23', null), '2027-02-23')
    assert.equal(
      postReleaseBandingReview('2026-11-23', '2027-02-20'),
      '2027-02-23',
      'a review before the first date does not count',
    )
    assert.equal(postReleaseBandingReview('2026-11-23', '2027-02-25'), '2027-05-25')
  })
})

describe('assurance', () => {
  // SOC PF 5.3: "SOCU Custody Team will carry out regular (at least quarterly) visits to prisons"
  it('visits each prison quarterly', () => {
    assert.equal(assuranceVisitDue('2026-09-01', '2026-11-23'), '2026-12-01')
    assert.equal(assuranceVisitDue(null, '2026-11-23'), '2026-11-23')
  })

  // SOC PF 5.5: "a dip sample is taken every six months"
  it('dip samples every six months', () => {
    assert.equal(dipSampleDue('2026-06-01', '2026-11-23'), '2026-12-01')
  })
})

describe('due dates of a nominal', () => {
  it('names every clock that applies', () => {
    assert.deepEqual(
      dueDates({
        band: '1',
        selectedOn: '2026-10-01',
        lastReview: null,
        inCustody: true,
        releaseDate: '2027-08-01',
        sentenceStart: '2023-01-01',
        releaseDateKnownOn: '2023-01-01',
        releasedOn: null,
        adoptedInCommunityOn: null,
        communityPlanAgreedOn: null,
      }),
      { nextReview: '2027-01-01', socuCommunityNotification: '2026-12-01', communityPlan: '2027-02-01' },
    )
    assert.deepEqual(
      dueDates({
        band: '2',
        selectedOn: '2026-01-01',
        lastReview: '2026-11-10',
        inCustody: false,
        releaseDate: '2026-09-01',
        sentenceStart: null,
        releaseDateKnownOn: null,
        releasedOn: '2026-09-01',
        adoptedInCommunityOn: null,
        communityPlanAgreedOn: null,
      }),
      { nextReview: '2026-12-10', postReleaseBandingReview: '2026-12-01' },
    )
  })

  it('has none out of the cohort', () => {
    assert.deepEqual(
      dueDates({
        band: null,
        selectedOn: null,
        lastReview: null,
        inCustody: true,
        releaseDate: '2027-01-01',
        sentenceStart: null,
        releaseDateKnownOn: null,
        releasedOn: null,
        adoptedInCommunityOn: null,
        communityPlanAgreedOn: null,
      }),
      {},
    )
  })
})

describe('cohort decisions', () => {
  it('bands people and asks for a reason to leave them out', () => {
    assert.equal(bandOf('band-1'), '1')
    assert.equal(bandOf('de-selected'), null)
    assert.deepEqual(
      decisionProblems({ decision: 'de-selected' }).map(p => p.field),
      ['reason'],
    )
    assert.deepEqual(decisionProblems({ decision: 'band-2' }), [])
  })
})

describe('equality dip sample (SOC PF 5.5: whether any group is being disproportionately targeted)', () => {
  it('flags a group over-represented beyond the threshold with an interval above 1', () => {
    const rows = dipSample([
      { group: 'A', cohort: 30, population: 200 },
      { group: 'B', cohort: 20, population: 800 },
    ])
    const a = rows.find(r => r.group === 'A')!
    assert.equal(a.cohortShare, 0.6)
    assert.equal(a.populationShare, 0.2)
    assert.equal(a.relativeRate, 3)
    assert.ok(a.lower > 1)
    assert.equal(a.disproportionate, true)
    assert.equal(rows.find(r => r.group === 'B')!.disproportionate, false)
  })

  it('does not flag a difference that small numbers can explain', () => {
    const rows = dipSample([
      { group: 'A', cohort: 2, population: 100 },
      { group: 'B', cohort: 3, population: 300 },
    ])
    const a = rows.find(r => r.group === 'A')!
    assert.ok(a.relativeRate >= 1.25)
    assert.ok(a.lower <= 1)
    assert.equal(a.disproportionate, false)
  })

  it('copes with empty groups', () => {
    const rows = dipSample([
      { group: 'A', cohort: 0, population: 10 },
      { group: 'B', cohort: 5, population: 0 },
    ])
    assert.equal(rows[0].disproportionate, false)
    assert.ok(Number.isFinite(rows[1].relativeRate))
  })
})
