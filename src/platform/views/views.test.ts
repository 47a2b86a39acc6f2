import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatDate, formatDateTime, formatTime } from './views.ts'

// Issue 12, point 6: dates are shown as "25 November 2026" and times as "14:30", in Europe/London.
describe('dates and times as people read them', () => {
  it('shows a calendar date in words, whatever the time zone', () => {
    assert.equal(formatDate('2026-11-25'), '25 November 2026')
    assert.equal(formatDate('2026-03-29'), '29 March 2026')
  })

  it('shows times on the 24-hour clock in London time, summer and winter', () => {
    assert.equal(formatTime(new Date('2026-11-25T14:30:00Z')), '14:30')
    assert.equal(formatTime(new Date('2026-07-01T13:05:00Z')), '14:05')
    assert.equal(formatTime(new Date('2026-11-25T00:03:00Z')), '00:03')
    assert.equal(formatDateTime(new Date('2026-07-01T23:30:00Z')), '2 July 2026 at 00:30')
  })

  it('shows nothing for nothing', () => {
    assert.equal(formatDate(null), '')
    assert.equal(formatDateTime(undefined), '')
    assert.equal(formatTime(null), '')
  })
})
