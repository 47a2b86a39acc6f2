import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { type TestApp, testApp } from '../support/app.ts'

// Issue 12.6: the report form asks for the date with the GOV.UK date input and the time on the 24-hour clock, each
// with its own error; search filters by dates in day, month and year boxes. The API keeps ISO 8601.

let t: TestApp
let analystApi: ReturnType<TestApp['api']>

before(async () => {
  t = await testApp()
  analystApi = t.api(await t.token('analyst'))
})
after(() => t.close())

describe('the report form’s date and time (issue 12.6)', () => {
  const form = (fields: Record<string, string>) => ({
    text: 'A drone was heard over the exercise yard.',
    'occurredDate-day': '21',
    'occurredDate-month': '11',
    'occurredDate-year': '2026',
    occurredTime: '21:05',
    sourceType: 'own-observation',
    threatAreas: ['conveyance'],
    urgent: 'no',
    ...fields,
  })

  it('names the missing part of a half-filled date, and keeps what was typed', async () => {
    const reporter = await t.signIn('reporter')
    const response = await reporter.post(
      '/intelligence/report',
      form({ submissionKey: 'half-date-1', 'occurredDate-month': '' }),
      '/intelligence/report',
    )
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /The date it happened must include a month/)
    assert.match(response.body, /href="#occurredDate-month"/)
    assert.doesNotMatch(response.body, /Enter the time it happened/)
    assert.match(response.body, /name="occurredDate-day"[^>]*value="21"/)
  })

  it('an empty time is the time’s own error, not the date’s', async () => {
    const reporter = await t.signIn('reporter')
    const response = await reporter.post(
      '/intelligence/report',
      form({ submissionKey: 'no-time-1', occurredTime: '' }),
      '/intelligence/report',
    )
    assert.equal(response.statusCode, 400)
    assert.match(response.body, /href="#occurredTime">Enter the time it happened</)
    assert.doesNotMatch(response.body, /the date it happened/i)
    const twelveHour = await reporter.post(
      '/intelligence/report',
      form({ submissionKey: 'pm-time-1', occurredTime: '9:05pm' }),
      '/intelligence/report',
    )
    assert.match(twelveHour.body, /Enter the time it happened on the 24-hour clock, like 14:30/)
  })

  it('takes the day and time as London time, and a future date is the date’s error', async () => {
    const reporter = await t.signIn('reporter')
    // 21 July is in British Summer Time: 21:05 in London is 20:05 UTC.
    const summer = await reporter.post(
      '/intelligence/report',
      form({ submissionKey: 'bst-time-1', 'occurredDate-day': '21', 'occurredDate-month': '7' }),
      '/intelligence/report',
    )
    assert.equal(summer.statusCode, 303, summer.body)
    const stored = await t.db
      .selectFrom('intelligenceReport')
      .select('occurredAt')
      .where('submissionKey', '=', 'bst-time-1')
      .executeTakeFirstOrThrow()
    assert.equal(new Date(stored.occurredAt).toISOString(), '2026-07-21T20:05:00.000Z')
    const future = await reporter.post(
      '/intelligence/report',
      form({ submissionKey: 'future-1', 'occurredDate-year': '2099' }),
      '/intelligence/report',
    )
    assert.equal(future.statusCode, 400)
    assert.match(future.body, /href="#occurredDate-day">When it happened must be in the past</)
  })

  it('search filters by submitted dates in day, month and year boxes; the API keeps ISO dates', async () => {
    const analyst = await t.signIn('analyst')
    const half = await analyst.get(
      '/intelligence/search?q=drone&from-day=1&from-month=&from-year=2026&to-day=&to-month=&to-year=',
    )
    assert.equal(half.statusCode, 400)
    assert.match(half.body, /href="#from-month">The from date must include a month</)
    const wrong = await analyst.get(
      '/intelligence/search?from-day=31&from-month=2&from-year=2026&to-day=1&to-month=1&to-year=26',
    )
    assert.match(wrong.body, /href="#from-day">The from date must be a real date</)
    assert.match(wrong.body, /href="#to-year">The to date must include a year with 4 numbers</)
    const ok = await analyst.get(
      '/intelligence/search?q=drone&from-day=1&from-month=1&from-year=2026&to-day=&to-month=&to-year=',
    )
    assert.equal(ok.statusCode, 200)
    assert.match(ok.body, /name="from-month"[^>]*value="01"/)
    const api = await analystApi.get('/api/v1/intelligence-reports?from=2026-01-01&to=2026-12-31')
    assert.equal(api.statusCode, 200, api.body)
    assert.equal((await analystApi.get('/api/v1/intelligence-reports?from=2026-02-31')).statusCode, 400)
  })
})
