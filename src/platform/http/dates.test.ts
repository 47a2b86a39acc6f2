import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { z } from 'zod'
import { dateInput, foldDateInputs, optionalDateInput, timeInput } from './dates.ts'
import { parseInput, ValidationError } from './errors.ts'

const schema = z.object({ heldOn: dateInput('the date of the meeting'), note: z.string().optional() })
const optionalSchema = z.object({ reviewDue: optionalDateInput('the review date') })

/** The field errors a form with these boxes gets. */
function errorsOf(target: z.ZodType, body: Record<string, string>) {
  try {
    parseInput(target, foldDateInputs(body))
    return []
  } catch (error) {
    assert.ok(error instanceof ValidationError)
    return error.fields
  }
}

describe('foldDateInputs', () => {
  it('folds the three boxes of each date into one value and leaves other fields alone', () => {
    assert.deepEqual(foldDateInputs({ 'heldOn-day': ' 5 ', 'heldOn-month': '11', 'heldOn-year': '2026', note: 'x' }), {
      heldOn: { day: '5', month: '11', year: '2026' },
      note: 'x',
    })
  })

  it('leaves a field alone unless all three boxes were sent', () => {
    assert.deepEqual(foldDateInputs({ 'time-day': 'Monday' }), { 'time-day': 'Monday' })
    assert.equal(foldDateInputs(undefined), undefined)
  })
})

describe('dateInput: the GOV.UK date input, and ISO dates from the API', () => {
  it('reads day, month and year as a calendar date, without leading zeros', () => {
    const body = { 'heldOn-day': '5', 'heldOn-month': '1', 'heldOn-year': '2026' }
    assert.equal(parseInput(schema, foldDateInputs(body)).heldOn, '2026-01-05')
  })

  it('reads an ISO date from the API', () => {
    assert.equal(parseInput(schema, { heldOn: '2026-11-25' }).heldOn, '2026-11-25')
  })

  it('asks for the date when every box is empty: an error about the whole date', () => {
    assert.deepEqual(errorsOf(schema, { 'heldOn-day': '', 'heldOn-month': '', 'heldOn-year': '' }), [
      { field: 'heldOn', message: 'Enter the date of the meeting' },
    ])
  })

  it('names every missing box, and points at the first', () => {
    assert.deepEqual(errorsOf(schema, { 'heldOn-day': '', 'heldOn-month': '', 'heldOn-year': '2026' }), [
      { field: 'heldOn.day', message: 'The date of the meeting must include a day and month' },
    ])
  })

  it('names the missing part, and points at its box', () => {
    assert.deepEqual(errorsOf(schema, { 'heldOn-day': '5', 'heldOn-month': '', 'heldOn-year': '2026' }), [
      { field: 'heldOn.month', message: 'The date of the meeting must include a month' },
    ])
  })

  it('refuses a date that does not exist, and a year without four numbers', () => {
    assert.deepEqual(errorsOf(schema, { 'heldOn-day': '31', 'heldOn-month': '2', 'heldOn-year': '2026' }), [
      { field: 'heldOn', message: 'The date of the meeting must be a real date' },
    ])
    assert.deepEqual(errorsOf(schema, { 'heldOn-day': '1', 'heldOn-month': '2', 'heldOn-year': '26' }), [
      { field: 'heldOn.year', message: 'The date of the meeting must include a year with 4 numbers' },
    ])
    assert.deepEqual(errorsOf(schema, { 'heldOn-day': 'x', 'heldOn-month': '2', 'heldOn-year': '2026' }), [
      { field: 'heldOn', message: 'The date of the meeting must be a real date' },
    ])
  })

  it('refuses an ISO date that does not exist, naming the field', () => {
    assert.deepEqual(errorsOf(schema, { heldOn: '2026-02-30' }), [
      { field: 'heldOn', message: 'The date of the meeting must be a real date, like 2026-11-25' },
    ])
  })

  it('an optional date may be left empty, but not half-filled', () => {
    assert.deepEqual(
      parseInput(optionalSchema, foldDateInputs({ 'reviewDue-day': '', 'reviewDue-month': '', 'reviewDue-year': '' })),
      {
        reviewDue: undefined,
      },
    )
    assert.deepEqual(errorsOf(optionalSchema, { 'reviewDue-day': '1', 'reviewDue-month': '', 'reviewDue-year': '' }), [
      { field: 'reviewDue.month', message: 'The review date must include a month and year' },
    ])
  })
})

describe('timeInput: the 24-hour clock', () => {
  const time = z.object({ at: timeInput('the time it happened') })
  it('reads 14:30, 9:05 and 09.05', () => {
    assert.equal(parseInput(time, { at: '14:30' }).at, '14:30')
    assert.equal(parseInput(time, { at: '9:05' }).at, '09:05')
    assert.equal(parseInput(time, { at: '09.05' }).at, '09:05')
  })

  it('names an empty or impossible time as the time’s error', () => {
    assert.deepEqual(errorsOf(time, { at: '' }), [{ field: 'at', message: 'Enter the time it happened' }])
    assert.deepEqual(errorsOf(time, { at: '2:30pm' }), [
      { field: 'at', message: 'Enter the time it happened on the 24-hour clock, like 14:30' },
    ])
    assert.deepEqual(errorsOf(time, { at: '24:00' }), [
      { field: 'at', message: 'Enter the time it happened on the 24-hour clock, like 14:30' },
    ])
  })
})
