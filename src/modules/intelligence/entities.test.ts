import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  ENTITY_TYPE_NAMES,
  ENTITY_TYPES,
  type EntityType,
  type ExtractedEntity,
  extractEntities,
  luhnValid,
  normaliseEntity,
} from './entities.ts'

/** The entities of a text as 'type:value', in order; every entity's offsets must slice back to its raw text. */
function found(text: string): string[] {
  const entities = extractEntities(text)
  assertOffsets(text, entities)
  return entities.map(e => `${e.type}:${e.value}`)
}

function assertOffsets(text: string, entities: ExtractedEntity[]) {
  for (const entity of entities) {
    assert.equal(text.slice(entity.start, entity.end), entity.raw, `offsets of ${entity.type} ${entity.value}`)
    assert.ok(entity.start < entity.end)
  }
  for (let i = 1; i < entities.length; i++) {
    assert.ok(entities[i - 1].end <= entities[i].start, 'sorted by start and not overlapping')
  }
}

/** The one entity of a text (failing otherwise). */
function only(text: string): ExtractedEntity {
  const entities = extractEntities(text)
  assertOffsets(text, entities)
  assert.equal(entities.length, 1, `one entity in ${JSON.stringify(text)}: ${JSON.stringify(entities)}`)
  return entities[0]
}

/** An independent Luhn check digit for a 14-digit IMEI body (doubling every second digit from the right). */
function luhnCheckDigit(body: string): string {
  let sum = 0
  for (let i = 0; i < body.length; i++) {
    let digit = Number(body[body.length - 1 - i])
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2
    sum += digit
  }
  return String((10 - (sum % 10)) % 10)
}

/** A valid IMEI from its first 14 digits. */
function imei(body: string): string {
  return `${body}${luhnCheckDigit(body)}`
}

/** The same 15 digits with the last one changed, so the check digit is wrong. */
function badImei(body: string): string {
  return `${body}${(Number(luhnCheckDigit(body)) + 1) % 10}`
}

/** An independent PNC check character. */
function pncCheck(twoDigitYear: string, serial: string): string {
  return 'ZABCDEFGHJKLMNPQRTUVWXY'[Number(`${twoDigitYear}${serial.padStart(7, '0')}`) % 23]
}

const REPORT =
  'Prisoner A1234BC on B-2-014 was overheard telling G4821KT that his cousin would drive the silver Audi AB12 CDE ' +
  'to the visits car park. He asked for 07700 900123 to be called and mentioned the handset with IMEI ' +
  '35-209900-176148-1. His PNC is 2012/0123456Y and he emailed bigman99@example.com.'

describe('entity types', () => {
  it('lists the seven types in order', () => {
    assert.deepEqual([...ENTITY_TYPES], ['phone', 'imei', 'vehicle', 'prison-number', 'pnc', 'email', 'cell'])
  })

  it('names every type', () => {
    assert.deepEqual(ENTITY_TYPE_NAMES, {
      phone: 'Phone number',
      imei: 'IMEI',
      vehicle: 'Vehicle registration',
      'prison-number': 'Prison number',
      pnc: 'PNC number',
      email: 'Email address',
      cell: 'Cell location',
    })
    for (const type of ENTITY_TYPES) assert.ok(ENTITY_TYPE_NAMES[type].length > 0)
  })
})

describe('luhnValid', () => {
  it('accepts the textbook example and rejects its neighbours', () => {
    assert.equal(luhnValid('79927398713'), true)
    for (const last of '012456789') assert.equal(luhnValid(`7992739871${last}`), false)
  })

  it('accepts the IMEI used in these tests, as an independent check digit agrees', () => {
    assert.equal(luhnCheckDigit('35209900176148'), '1')
    assert.equal(luhnValid('352099001761481'), true)
    assert.equal(luhnValid('352099001761482'), false)
  })

  it('agrees with the independent check digit for many bodies, with exactly one valid last digit', () => {
    for (let n = 0; n < 200; n++) {
      const body = String(35209900176100 + n * 7919).padStart(14, '0')
      assert.equal(luhnValid(imei(body)), true, body)
      const valid = [...'0123456789'].filter(last => luhnValid(`${body}${last}`))
      assert.deepEqual(valid, [luhnCheckDigit(body)], body)
    }
  })

  it('accepts zeros and rejects what is not digits', () => {
    assert.equal(luhnValid('0'), true)
    assert.equal(luhnValid('000000000000000'), true)
    assert.equal(luhnValid(''), false)
    assert.equal(luhnValid('3520 9900 1761 481'), false)
    assert.equal(luhnValid('35209900176148a'), false)
    assert.equal(luhnValid('-79927398713'), false)
  })
})

describe('normaliseEntity: phone', () => {
  const mobiles = [
    '07700 900123',
    '07700900123',
    '07700-900-123',
    '07700 900 123',
    '0770 090 0123',
    '(07700) 900123',
    '(07700)900123',
    '+44 7700 900123',
    '+447700900123',
    '+44-7700-900123',
    '+44 (0)7700 900123',
    '+44(0)7700900123',
    '+44 07700 900123',
    '0044 7700 900123',
    '00447700900123',
    '447700900123',
    '  07700 900123  ',
    '07700.900.123',
  ]
  for (const raw of mobiles) {
    it(`normalises the mobile ${JSON.stringify(raw)}`, () => {
      assert.equal(normaliseEntity('phone', raw), '+447700900123')
    })
  }

  const others: [string, string][] = [
    ['020 7946 0018', '+442079460018'],
    ['(020) 7946 0018', '+442079460018'],
    ['+44 (0)20 7946 0018', '+442079460018'],
    ['0113 496 0000', '+441134960000'],
    ['01632 960123', '+441632960123'],
    ['0303 123 4567', '+443031234567'],
    ['0800 123 4567', '+448001234567'],
    ['0800 123 456', '+44800123456'],
    ['0845 123 4567', '+448451234567'],
    ['0870 123 4567', '+448701234567'],
    // Premium rate is a real UK range: the hand-written list of ranges left it out, libphonenumber-js does not.
    ['0900 123 4567', '+449001234567'],
    // Numbers abroad, common in organised-crime intelligence, with + or the 00 dialled from the UK.
    ['+33 1 23 45 67 89', '+33123456789'],
    ['+1 202 555 0100', '+12025550100'],
    ['+353 87 123 4567', '+353871234567'],
    ['0048 601 234 567', '+48601234567'],
    ['+234 803 123 4567', '+2348031234567'],
  ]
  for (const [raw, value] of others) {
    it(`normalises ${JSON.stringify(raw)} to ${value}`, () => {
      assert.equal(normaliseEntity('phone', raw), value)
    })
  }

  const invalid = [
    '',
    'phone',
    '0770090012', // a mobile one digit short
    '077009001234', // and one too long
    '7700900123', // no leading 0
    '020 7946 001', // 02 numbers have 11 digits
    '0303 123 456',
    '0600 123456', // no 06 numbers
    '0500 123456',
    '0845 123 456',
    // A 9-digit number in the fictional 01632 area: no such number exists (the drama range is 01632 960000-960999).
    '01632 96012',
    '4477009001234',
    '07700 900123 ext 2',
    '07700 9OO123',
    '001761481',
  ]
  for (const raw of invalid) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      assert.equal(normaliseEntity('phone', raw), null)
    })
  }
})

describe('normaliseEntity: imei', () => {
  it('normalises grouped and plain forms to the 15 digits', () => {
    for (const raw of ['35-209900-176148-1', '352099 001761481', '352099001761481', ' 35 209900 176148 1 ']) {
      assert.equal(normaliseEntity('imei', raw), '352099001761481', raw)
    }
  })

  it('accepts computed valid IMEIs', () => {
    const value = imei('49015420323751')
    assert.equal(normaliseEntity('imei', value), value)
  })

  it('rejects a bad check digit, the wrong length and other characters', () => {
    for (const raw of [
      '35-209900-176148-2',
      badImei('35209900176148'),
      '35209900176148', // 14 digits
      '3520990017614810', // 16 digits
      '35209900176148a',
      '35--209900-176148-1',
      '-352099001761481',
      '',
    ]) {
      assert.equal(normaliseEntity('imei', raw), null, raw)
    }
  })
})

describe('normaliseEntity: vehicle', () => {
  const valid: [string, string][] = [
    ['AB12 CDE', 'AB12CDE'],
    ['AB12CDE', 'AB12CDE'],
    ['ab12 cde', 'AB12CDE'],
    [' Ab12  cDe ', 'AB12CDE'],
    ['YX68 ZZA', 'YX68ZZA'],
    ['A123 BCD', 'A123BCD'],
    ['A1 BCD', 'A1BCD'],
    ['p12bcd', 'P12BCD'],
    ['ABC 123D', 'ABC123D'],
    ['ABC1D', 'ABC1D'],
  ]
  for (const [raw, value] of valid) {
    it(`normalises ${JSON.stringify(raw)} to ${value}`, () => {
      assert.equal(normaliseEntity('vehicle', raw), value)
    })
  }

  const invalid = [
    '',
    'A1234BC', // a prison number
    '2012/0123456Y',
    'AB123 CDE',
    'AB12 CD',
    'AB12 CDEF',
    'ABC DEF',
    'QB12 CDE', // Q is never a memory tag letter
    'I123 BCD', // I is never a year letter
    'ABC 123U',
    'A1234 BCD',
    'AB12-CDE',
  ]
  for (const raw of invalid) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      assert.equal(normaliseEntity('vehicle', raw), null)
    })
  }
})

describe('normaliseEntity: prison number', () => {
  it('normalises to upper case', () => {
    assert.equal(normaliseEntity('prison-number', 'A1234BC'), 'A1234BC')
    assert.equal(normaliseEntity('prison-number', ' g4821kt '), 'G4821KT')
  })

  it('rejects other shapes', () => {
    for (const raw of ['A123BC', 'A12345BC', 'AB1234C', 'A1234B', 'A1234BCD', '1234ABC', 'A1234 BC', '']) {
      assert.equal(normaliseEntity('prison-number', raw), null, raw)
    }
  })
})

describe('normaliseEntity: pnc', () => {
  it('accepts the worked example', () => {
    assert.equal(120123456 % 23, 22)
    assert.equal(normaliseEntity('pnc', '2012/0123456Y'), '2012/0123456Y')
  })

  it('expands short forms and pads the serial', () => {
    assert.equal(normaliseEntity('pnc', '12/0123456Y'), '2012/0123456Y')
    assert.equal(normaliseEntity('pnc', '12/123456Y'), '2012/0123456Y')
    assert.equal(normaliseEntity('pnc', '2012/123456y'), '2012/0123456Y')
    const check = pncCheck('05', '42')
    assert.equal(normaliseEntity('pnc', `05/42${check}`), `2005/0000042${check}`)
  })

  it('reads two-digit years 00-50 as 20YY and 51-99 as 19YY', () => {
    for (const [year, century] of [
      ['00', '20'],
      ['26', '20'],
      ['50', '20'],
      ['51', '19'],
      ['99', '19'],
    ]) {
      const check = pncCheck(year, '1234567')
      assert.equal(normaliseEntity('pnc', `${year}/1234567${check}`), `${century}${year}/1234567${check}`)
    }
  })

  it('rejects a wrong check character', () => {
    for (const letter of 'ZABCDEFGHJKLMNPQRTUVWX') {
      assert.equal(normaliseEntity('pnc', `2012/0123456${letter}`), null, letter)
    }
  })

  it('rejects other shapes', () => {
    for (const raw of [
      '2012/12345678Y',
      '201/0123456Y',
      '2012-0123456Y',
      '2012/Y',
      '1812/0123456Y',
      '2012/0123456',
      '',
    ]) {
      assert.equal(normaliseEntity('pnc', raw), null, raw)
    }
  })
})

describe('normaliseEntity: email', () => {
  it('lower-cases and trims', () => {
    assert.equal(normaliseEntity('email', ' BigMan99@Example.COM '), 'bigman99@example.com')
    assert.equal(normaliseEntity('email', 'first.last+tag@mail.example.co.uk'), 'first.last+tag@mail.example.co.uk')
  })

  it('rejects what is not an ordinary address', () => {
    for (const raw of [
      '',
      'bigman99',
      'bigman99@',
      '@example.com',
      'bigman99@example',
      'big man@example.com',
      'bigman99@@example.com',
      'bigman99@example..com',
      '.bigman@example.com',
      'big..man@example.com',
      'bigman@-example.com',
      'bigman99@example.c',
      'mailto:bigman99@example.com',
    ]) {
      assert.equal(normaliseEntity('email', raw), null, raw)
    }
  })
})

describe('normaliseEntity: cell', () => {
  it('normalises to upper case, keeping the digits as written', () => {
    assert.equal(normaliseEntity('cell', 'A-1-002'), 'A-1-002')
    assert.equal(normaliseEntity('cell', 'hb1-2-014'), 'HB1-2-014')
    assert.equal(normaliseEntity('cell', ' B-3-21 '), 'B-3-21')
    assert.equal(normaliseEntity('cell', 'SEG1-10-1'), 'SEG1-10-1')
  })

  it('rejects dates and other shapes', () => {
    for (const raw of [
      '2026-11-23',
      '1A-1-002',
      'A-123-002',
      'A-1-0002',
      'ABCDE-1-002',
      'A-1',
      'A1-02',
      'A-B-002',
      '',
    ]) {
      assert.equal(normaliseEntity('cell', raw), null, raw)
    }
  })
})

describe('extractEntities: the example report', () => {
  it('finds every entity, in order, with offsets that slice back to the text', () => {
    assert.deepEqual(found(REPORT), [
      'prison-number:A1234BC',
      'cell:B-2-014',
      'prison-number:G4821KT',
      'vehicle:AB12CDE',
      'phone:+447700900123',
      'imei:352099001761481',
      'pnc:2012/0123456Y',
      'email:bigman99@example.com',
    ])
  })

  it('keeps the raw text as written', () => {
    const byType = new Map(extractEntities(REPORT).map(e => [e.type, e]))
    assert.equal(byType.get('vehicle')?.raw, 'AB12 CDE')
    assert.equal(byType.get('phone')?.raw, '07700 900123')
    assert.equal(byType.get('imei')?.raw, '35-209900-176148-1')
    assert.equal(byType.get('email')?.raw, 'bigman99@example.com')
    const phone = byType.get('phone')!
    assert.equal(phone.start, REPORT.indexOf('07700 900123'))
    assert.equal(phone.end, REPORT.indexOf('07700 900123') + 12)
  })

  it('finds the same in capitals, except nothing new', () => {
    assert.deepEqual(found(REPORT.toUpperCase()), [
      'prison-number:A1234BC',
      'cell:B-2-014',
      'prison-number:G4821KT',
      'vehicle:AB12CDE',
      'phone:+447700900123',
      'imei:352099001761481',
      'pnc:2012/0123456Y',
      'email:bigman99@example.com',
    ])
  })
})

describe('extractEntities: phones', () => {
  const forms = [
    '07700 900123',
    '07700900123',
    '07700-900-123',
    '07700 900 123',
    '(07700) 900123',
    '+44 7700 900123',
    '+44 (0)7700 900123',
    '+44(0)7700900123',
    '0044 7700 900123',
    '+447700900123',
  ]
  for (const form of forms) {
    it(`finds ${JSON.stringify(form)} in a sentence`, () => {
      const text = `He said to ring ${form} after bang-up.`
      const entity = only(text)
      assert.equal(entity.type, 'phone')
      assert.equal(entity.value, '+447700900123')
      assert.equal(entity.raw, form)
      assert.equal(entity.start, text.indexOf(form))
    })
  }

  it('finds landlines and 08 numbers', () => {
    assert.deepEqual(found('Calls to 020 7946 0018, 0113 496 0000 and 01632 960123.'), [
      'phone:+442079460018',
      'phone:+441134960000',
      'phone:+441632960123',
    ])
    assert.deepEqual(found('Freephone 0800 123 4567 then 0845 123 4567 or 0870-123-4567'), [
      'phone:+448001234567',
      'phone:+448451234567',
      'phone:+448701234567',
    ])
  })

  it('accepts a 10-digit 01 number', () => {
    assert.deepEqual(found('Landline 016977 3456 noted'), ['phone:+44169773456'])
  })

  it('leaves an unclosed bracket around a number out of it', () => {
    const entity = only('A number (07700 900123) was on the wall.')
    assert.equal(entity.raw, '07700 900123')
  })

  it('finds the number at the very start and end of the text', () => {
    assert.deepEqual(found('07700900123'), ['phone:+447700900123'])
    assert.deepEqual(found('07700 900123 and 07700 900456'), ['phone:+447700900123', 'phone:+447700900456'])
  })

  it('separates numbers written one after the other', () => {
    assert.deepEqual(found('Numbers: 07700 900123 07700 900456, 0113 496 0000 020 7946 0018'), [
      'phone:+447700900123',
      'phone:+447700900456',
      'phone:+441134960000',
      'phone:+442079460018',
    ])
    assert.deepEqual(found('07700 900123/07700 900456'), ['phone:+447700900123', 'phone:+447700900456'])
  })

  it('does not take a following count as part of the number', () => {
    const entity = only('He rang 07700 900123 3 times')
    assert.equal(entity.raw, '07700 900123')
  })

  it('needs the + before a bare 44', () => {
    assert.deepEqual(found('Number 447700900123 noted'), [])
    assert.deepEqual(found('Number +447700900123 noted'), ['phone:+447700900123'])
  })

  it('does not take a number out of a longer digit run', () => {
    assert.deepEqual(found('Card 0770090012345678 seized'), [])
    assert.deepEqual(found('Ref 1207700900123 seen'), [])
    assert.deepEqual(found('Ref 077009001234 seen'), [])
    assert.deepEqual(found('Card 4929 0770 0900 1234 seized'), [])
  })

  it('does not take a number glued to letters', () => {
    assert.deepEqual(found('ref X07700900123 and ref_07700900123'), [])
  })

  it('finds numbers abroad, with + or 00 and their country code, in E.164', () => {
    assert.deepEqual(
      found(
        'Calls to +353 87 123 4567 and 0048 601 234 567; the courier uses +234 803 123 4567, UK contact 07700 900123.',
      ),
      ['phone:+353871234567', 'phone:+48601234567', 'phone:+2348031234567', 'phone:+447700900123'],
    )
    const irish = only('He rang +353 87 123 4567 twice')
    assert.equal(irish.raw, '+353 87 123 4567')
    assert.equal(only('Number 0048 601 234 567 noted').raw, '0048 601 234 567')
    assert.deepEqual(found('Paris +33 1 23 45 67 89, Washington +1 202 555 0100'), [
      'phone:+33123456789',
      'phone:+12025550100',
    ])
  })

  it('rejects numbers that are too short, too long or in unused ranges', () => {
    for (const text of [
      'ring 0770 090012',
      'ring 020 7946 001',
      'ring 0600 123456',
      'ring 07700 9001234',
      'ring +33 1 23 45 67 8',
    ]) {
      assert.deepEqual(found(text), [], text)
    }
  })
})

describe('extractEntities: IMEIs', () => {
  const forms = ['35-209900-176148-1', '352099 001761481', '352099001761481', '35 209900 176148 1']
  for (const form of forms) {
    it(`finds ${JSON.stringify(form)}`, () => {
      const entity = only(`Handset with IMEI ${form} found in the recess.`)
      assert.equal(entity.type, 'imei')
      assert.equal(entity.value, '352099001761481')
      assert.equal(entity.raw, form)
    })
  }

  it('finds computed IMEIs', () => {
    const a = imei('49015420323751')
    const b = imei('86723400123456')
    assert.deepEqual(found(`IMEIs ${a} and ${b}`), [`imei:${a}`, `imei:${b}`])
  })

  it('does not take a 15-digit number with a bad check digit, nor a phone from it', () => {
    const bad = badImei('07700900123456')
    assert.equal(luhnValid(bad), false)
    assert.deepEqual(found(`Number ${bad} written on a card`), [])
    assert.deepEqual(found('IMEI 35-209900-176148-2'), [])
    assert.deepEqual(found(`IMEI ${badImei('35209900176148')}`), [])
  })

  it('does not take 14 or 16 digits', () => {
    assert.deepEqual(found('IMEI 35209900176148 and 3520990017614810'), [])
  })

  it('does not also yield a phone from the digits of an IMEI', () => {
    // An IMEI whose last eleven digits, written apart, are a valid mobile number.
    const digit = [...'0123456789'].find(d => luhnValid(`35${d}007700900123`))!
    const spaced = `35${digit}0 07700 900123`
    assert.deepEqual(found(`IMEI ${spaced} seized`), [`imei:35${digit}007700900123`])
    assert.deepEqual(found(`IMEI 35${digit}007700900123 seized`), [`imei:35${digit}007700900123`])
    assert.deepEqual(found(`IMEI 35${digit}0-07700-900123.`), [`imei:35${digit}007700900123`])
  })

  it('finds an IMEI written next to a phone number', () => {
    assert.deepEqual(found('35-209900-176148-1 07700 900123'), ['imei:352099001761481', 'phone:+447700900123'])
    assert.deepEqual(found('352099001761481 07700 900123'), ['imei:352099001761481', 'phone:+447700900123'])
  })

  it('does not take an IMEI out of a longer digit run', () => {
    assert.deepEqual(found('Ref 1352099001761481 and 3520990017614810'), [])
  })
})

describe('extractEntities: vehicles', () => {
  const cases: [string, string][] = [
    ['AB12 CDE', 'AB12CDE'],
    ['AB12CDE', 'AB12CDE'],
    ['YX68 ZZA', 'YX68ZZA'],
    ['A123 BCD', 'A123BCD'],
    ['P7 XYZ', 'P7XYZ'],
    ['ABC 123D', 'ABC123D'],
    ['ABC123D', 'ABC123D'],
  ]
  for (const [raw, value] of cases) {
    it(`finds ${JSON.stringify(raw)}`, () => {
      const entity = only(`A car, ${raw}, was seen at the gate.`)
      assert.deepEqual([entity.type, entity.value, entity.raw], ['vehicle', value, raw])
    })
  }

  it('does not take registrations written in lower or mixed case', () => {
    assert.deepEqual(found('the car ab12 cde was seen'), [])
    assert.deepEqual(found('the car ab12cde was seen'), [])
    assert.deepEqual(found('the car Ab12 Cde was seen'), [])
    assert.deepEqual(found('the car AB12 cde was seen'), [])
  })

  it('needs word boundaries', () => {
    assert.deepEqual(found('XAB12 CDE and AB12 CDEF and AB12CDE9'), [])
  })

  it('does not take ordinary capitalised words', () => {
    assert.deepEqual(found('CELL A1 AND B2 WERE SEARCHED. THE 12A BUS WAS LATE. PAGE A1 OFF THE RECORD.'), [])
    assert.deepEqual(found('THE PRISONER WAS ON THE WING AT 14:30 WITH NO ISSUES'), [])
  })

  it('does not take a prison number or a PNC number for a registration', () => {
    assert.deepEqual(found('A1234BC'), ['prison-number:A1234BC'])
    assert.deepEqual(found('2012/0123456Y'), ['pnc:2012/0123456Y'])
  })
})

describe('extractEntities: prison numbers', () => {
  it('finds them in any case, upper-cased', () => {
    const entity = only('Moved a1234bc to the segregation unit')
    assert.deepEqual([entity.type, entity.value, entity.raw], ['prison-number', 'A1234BC', 'a1234bc'])
    assert.deepEqual(found('A1234BC, G4821KT.'), ['prison-number:A1234BC', 'prison-number:G4821KT'])
  })

  it('needs the exact shape and word boundaries', () => {
    assert.deepEqual(found('A123BC A12345BC AA1234BC A1234BCD 9A1234BC A1234BC9'), [])
  })
})

describe('extractEntities: PNC numbers', () => {
  it('finds valid long and short forms', () => {
    assert.deepEqual(found('PNC 2012/0123456Y'), ['pnc:2012/0123456Y'])
    const entity = only('PNC 12/123456Y noted')
    assert.deepEqual([entity.value, entity.raw], ['2012/0123456Y', '12/123456Y'])
    const check = pncCheck('98', '7654321')
    assert.deepEqual(found(`old PNC 98/7654321${check}.`), [`pnc:1998/7654321${check}`])
  })

  it('ignores a wrong check character, producing nothing else from its parts', () => {
    assert.deepEqual(found('PNC 2012/0123456X'), [])
    assert.deepEqual(found('PNC 12/0123456A'), [])
  })

  it('reports a long and a short form of the same number once', () => {
    assert.deepEqual(found('PNC 2012/0123456Y (12/123456Y)'), ['pnc:2012/0123456Y'])
  })

  it('needs boundaries', () => {
    assert.deepEqual(found('x2012/0123456Y 2012/0123456YZ 1/2012/0123456Y'), [])
  })
})

describe('extractEntities: email addresses', () => {
  it('finds addresses and lower-cases them', () => {
    const entity = only('He emailed BigMan99@Example.COM yesterday')
    assert.deepEqual([entity.type, entity.value, entity.raw], ['email', 'bigman99@example.com', 'BigMan99@Example.COM'])
  })

  it('leaves trailing punctuation out', () => {
    for (const text of [
      'Sent to bigman99@example.com.',
      'Sent to bigman99@example.com, then deleted',
      'Sent (bigman99@example.com) twice',
      'Sent to <bigman99@example.com>',
      'Sent to "bigman99@example.com".',
    ]) {
      const entity = only(text)
      assert.equal(entity.raw, 'bigman99@example.com', text)
    }
  })

  it('finds addresses with dots, plus signs and subdomains', () => {
    assert.deepEqual(found('first.last+tag@mail.example.co.uk; x_y-z@a-b.org'), [
      'email:first.last+tag@mail.example.co.uk',
      'email:x_y-z@a-b.org',
    ])
  })

  it('takes nothing else from inside an address', () => {
    assert.deepEqual(found('A1234BC@example.com 07700900123@example.com AB12CDE@example.com'), [
      'email:a1234bc@example.com',
      'email:07700900123@example.com',
      'email:ab12cde@example.com',
    ])
  })

  it('ignores what is not an address', () => {
    assert.deepEqual(found('meet @ 14:30, user@localhost, @example.com, bigman@example.c'), [])
  })
})

describe('extractEntities: cell locations', () => {
  it('finds NOMIS style locations', () => {
    assert.deepEqual(found('Moved from A-1-002 to HB1-2-014, then b-3-21.'), [
      'cell:A-1-002',
      'cell:HB1-2-014',
      'cell:B-3-21',
    ])
    const entity = only('in hb1-2-014')
    assert.deepEqual([entity.value, entity.raw], ['HB1-2-014', 'hb1-2-014'])
  })

  it('does not take dates or other hyphenated things', () => {
    assert.deepEqual(
      found('On 2026-11-23 and 1A-1-002, A-123-002, ABCDE-1-002, A-1-0002, X-A-1-002-3, well-1-2, Seg-1-2'),
      [],
    )
    assert.deepEqual(found('SEG-1-2'), ['cell:SEG-1-2'])
  })
})

describe('extractEntities: what is not an entity', () => {
  it('finds nothing in dates and times', () => {
    assert.deepEqual(found('On 23/11/2026 at 14:30'), [])
    assert.deepEqual(found('On 2026-11-23 at 14:30:15'), [])
    assert.deepEqual(found('Seen 01/02/2026 at 0930 and 03/11/26 at 21.45; 2026-11-23T14:30:00Z'), [])
    assert.deepEqual(found('Between 09:00-17:00 on 23.11.2026'), [])
  })

  it('finds nothing in ordinary prose', () => {
    const prose =
      'during association the prisoner was seen passing a small package to another prisoner on the landing. ' +
      'staff searched the cell and found nothing of note. he was polite and compliant, and said it was a letter ' +
      'from his mum. the officer in charge was informed at about half past two and the wing was unlocked as usual.'
    assert.deepEqual(found(prose), [])
    assert.deepEqual(found(prose.replace(/\. (\w)/g, (_, c: string) => `. ${c.toUpperCase()}`)), [])
  })

  it('finds nothing in an empty text', () => {
    assert.deepEqual(extractEntities(''), [])
  })

  it('finds nothing in short numbers, money and quantities', () => {
    assert.deepEqual(found('He owed £250.00 for 3 items, 12 grams, room 101, extension 4021, 0.5 ml'), [])
  })
})

describe('extractEntities: duplicates and ordering', () => {
  it('reports each (type, value) once, at its first occurrence', () => {
    const text = 'Ring 07700 900123. Later he said +44 7700 900123 again, and 07700900123 a third time.'
    const entities = extractEntities(text)
    assert.equal(entities.length, 1)
    assert.equal(entities[0].raw, '07700 900123')
    assert.equal(entities[0].start, 5)
  })

  it('de-duplicates each type separately', () => {
    assert.deepEqual(found('A1234BC a1234bc B-2-014 b-2-014 BigMan@Example.com bigman@example.com A1234BC'), [
      'prison-number:A1234BC',
      'cell:B-2-014',
      'email:bigman@example.com',
    ])
  })

  it('sorts by start whatever order the types are found in', () => {
    const text = 'bigman99@example.com 07700 900123 2012/0123456Y AB12CDE A1234BC A-1-002 352099001761481'
    const entities = extractEntities(text)
    assertOffsets(text, entities)
    assert.deepEqual(
      entities.map(e => e.type),
      ['email', 'phone', 'pnc', 'vehicle', 'prison-number', 'cell', 'imei'] satisfies EntityType[],
    )
  })
})

describe('extractEntities: a realistic report', () => {
  it('finds entities across a long mixed report', () => {
    const text = [
      'INTELLIGENCE REPORT. On 23/11/2026 at 14:30 Officer Smith searched cell HB1-2-014 occupied by G4821KT.',
      'A Samsung handset (IMEI 352099 001761481) was found in the toilet cistern with a SIM card.',
      'Text messages refer to "the drop" and give the numbers 07700-900-456 and (020) 7946 0018.',
      'The prisoner told staff his brother drives a black BMW, reg YX68 ZZA, and visits on Sundays.',
      'A second prisoner, a1234bc, was also present; his PNC is 12/123456Y.',
      'Messages were also sent to drop.off@protonmail.com, and the contact saved as "Big Man" is +44 (0)7700 900123.',
      'The handset was bagged (evidence bag 000123) and passed to the police on 2026-11-24.',
    ].join('\n')
    assert.deepEqual(found(text), [
      'cell:HB1-2-014',
      'prison-number:G4821KT',
      'imei:352099001761481',
      'phone:+447700900456',
      'phone:+442079460018',
      'vehicle:YX68ZZA',
      'prison-number:A1234BC',
      'pnc:2012/0123456Y',
      'email:drop.off@protonmail.com',
      'phone:+447700900123',
    ])
  })
})

describe('extractEntities: long texts', () => {
  const cases: [string, string][] = [
    ['spaced zeros', '0 '.repeat(25_000)],
    ['dashed digits', '1-'.repeat(25_000)],
    ['one long digit run', '0'.repeat(50_000)],
    ['a long local part without a domain', `${'a'.repeat(49_999)}@`],
    ['many dots in a domain', `a@${'b.'.repeat(24_999)}`],
    ['cell-like hyphens', 'A-1-'.repeat(12_500)],
    ['capital letters and digits', 'AB1 '.repeat(12_500)],
    ['brackets and digits', '(0) '.repeat(12_500)],
    ['plus signs', '+44 '.repeat(12_500)],
    ['slashes', '12/'.repeat(16_666)],
  ]
  for (const [name, text] of cases) {
    it(`scans ${name} quickly`, () => {
      const began = performance.now()
      const entities = extractEntities(text)
      assertOffsets(text, entities)
      assert.ok(performance.now() - began < 2000, `${name} took ${performance.now() - began}ms`)
    })
  }

  it('finds every entity of a report repeated to 50,000 characters, once each', () => {
    const text = `${REPORT} `.repeat(Math.ceil(50_000 / (REPORT.length + 1))).slice(0, 50_000)
    const began = performance.now()
    assert.equal(found(text).length, 8)
    assert.ok(performance.now() - began < 2000)
  })
})
