import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  drawCode,
  drawReference,
  insertUnderDrawnReference,
  parseReference,
  REFERENCE_ALPHABET,
  referencePattern,
} from './codes.ts'

/** A seeded source of bytes (mulberry32), so a test draws the same codes every run. */
function seeded(seed: number) {
  let state = seed
  return (size: number) =>
    Uint8Array.from({ length: size }, () => {
      state = (state + 0x6d2b79f5) | 0
      let t = Math.imul(state ^ (state >>> 15), 1 | state)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) & 0xff
    })
}

describe('drawn references', () => {
  // Issue 13, defect 6: "A report in a compartment must not be inferable from the references that others see."
  it('draws six characters of the alphabet, at least one a letter, with no look-alikes', () => {
    const random = seeded(7)
    for (let i = 0; i < 2000; i++) {
      const code = drawCode(random)
      assert.match(code, new RegExp(`^[${REFERENCE_ALPHABET}]{6}$`))
      assert.match(code, /[A-Z]/)
    }
    assert.doesNotMatch(REFERENCE_ALPHABET, /[0125OILSZBUVAE]/)
  })

  it('rarely draws the same code twice', () => {
    const random = seeded(11)
    const codes = new Set(Array.from({ length: 10_000 }, () => drawCode(random)))
    assert.ok(codes.size >= 9990, `${codes.size} distinct of 10,000`)
  })

  it('reads back what people type, in its one written form', () => {
    const ref = drawReference('EX', 'MDI', 2026, seeded(3))
    assert.match(ref, referencePattern('EX'))
    assert.equal(parseReference('EX', ref.toLowerCase().replaceAll('-', ' ')), ref)
    assert.equal(parseReference('EX', ref.replaceAll('-', '\u2013')), ref)
    assert.equal(parseReference('FD', ref), null, 'another prefix is another kind of record')
    assert.equal(parseReference('EX', 'EX-MDI-2026-OOOOOO'), null, 'look-alikes are not in the alphabet')
  })

  it('draws again while a reference is taken, and gives up after ten draws or when told to stop', async () => {
    const taken = new Set(['A', 'B'])
    const drawn = ['A', 'B', 'C'][Symbol.iterator]()
    const insert = async (ref: string) => (taken.has(ref) ? undefined : { ref })
    assert.deepEqual(await insertUnderDrawnReference('test', () => drawn.next().value as string, insert), { ref: 'C' })
    await assert.rejects(
      insertUnderDrawnReference('test', () => 'A', insert),
      /No free test reference in 10 draws/,
    )
    assert.equal(
      await insertUnderDrawnReference(
        'test',
        () => 'A',
        insert,
        async () => true,
      ),
      null,
    )
  })
})
