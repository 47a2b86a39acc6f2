import fc from 'fast-check'

// Wrong and hostile values for the property test of every API operation and every form
// (test/integration/property.test.ts): values shaped by an operation's JSON schema, then broken on purpose.

/** The part of JSON Schema that zod's generated schemas use. */
export type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  maxItems?: number
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
}

/** Strings a careless parser trips on: length, NUL and other controls, traversal, prototype keys, odd Unicode. */
export const HOSTILE_STRINGS = [
  'x'.repeat(3000),
  'a\u0000b',
  '\u0000',
  'bell\u0007 and escape\u001b[31m',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '\uD800',
  'lone \uDC00 low surrogate',
  '\u202Egnp.exe',
  '\u200B\uFEFF',
  '😀👩‍👩‍👧‍👦🏴󠁧󠁢󠁳󠁣󠁴󠁿',
  'Z̸̢͎̈́a̵̙̓l̷̰̈g̶̱̉o̵̰͝',
  'Ω≈ç√∫˜µ≤≥÷ 田中さん ﷽',
  "' OR '1'='1' --",
  '"; DROP TABLE audit_event; --',
  '<script>alert(1)</script>',
  '{{ 7*7 }}',
  '%00',
  '%',
  '%zz',
  '',
  ' ',
  '\t\r\n',
  'null',
  'undefined',
  'true',
  '1e308',
  '-0',
  'NaN',
  'Infinity',
  '-1',
  '9007199254740993',
  '2026-02-30',
  '2026-13-01',
  '0000-00-00',
  '+275760-09-13',
  '2026-11-20T25:61:61Z',
  '00000000-0000-0000-0000-000000000000',
  'IR-MDI-2026-000001',
  'A1234BC',
]

export const hostileString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
)

/** An object with prototype keys as its own keys, as JSON.parse would make it from hostile text. */
function withPrototypeKeys(base: Record<string, unknown>, key: string) {
  const object = { ...base }
  Object.defineProperty(object, key, {
    value: { polluted: true, prototype: { polluted: true } },
    enumerable: true,
    configurable: true,
    writable: true,
  })
  return object
}

function nested(depth: number): unknown {
  let value: unknown = 'deep'
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value }
  return value
}

/** A value of any JSON type that no schema expects: wrong types, extremes, huge arrays, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileString },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      null,
      true,
      false,
      0,
      -0,
      -1,
      1e308,
      -1e308,
      5e-324,
      Number.MAX_SAFE_INTEGER + 2,
      3.5,
      [],
      {},
      [null],
      [''],
      { value: 'x' },
    ),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 10_000 }, (_, i) => `item ${i}`)) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 10_000 }, () => ({}))) },
  { weight: 1, arbitrary: fc.constant(nested(500)) },
  { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype').map(k => withPrototypeKeys({}, k)) },
)

/** A string as the schema would accept it, or close: the valid-looking half of the generated input. */
function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid()
    case 'date':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
        .map(d => d.toISOString().slice(0, 10))
    case 'date-time':
      return fc
        .date({ min: new Date('2020-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
        .map(d => d.toISOString())
    case 'email':
      return fc.emailAddress()
  }
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).map(s => s.slice(0, schema.maxLength ?? 200))
    } catch {
      // A pattern fast-check cannot generate from: plain text instead.
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 60, 200) })
}

/** A value shaped by the schema: the starting point that mutations then break. */
export function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return fc.constant('x')
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (schema.enum?.length) return fc.constantFrom(...schema.enum)
  const choices = schema.anyOf ?? schema.oneOf
  if (choices?.length) return fc.oneof(...choices.map(choice => valueFor(choice, depth + 1)))
  if (schema.allOf?.length) return valueFor(schema.allOf[0], depth + 1)
  const type = Array.isArray(schema.type) ? schema.type.find(t => t !== 'null') : schema.type
  switch (type) {
    case 'string':
      return stringFor(schema)
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000 })
    case 'number':
      return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000, noNaN: true })
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(valueFor(schema.items, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, 3),
      })
    case 'object':
      return objectFor(schema, depth)
    default:
      return fc.oneof(fc.string({ maxLength: 20 }), fc.integer())
  }
}

function objectFor(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = schema.properties ?? {}
  const model = Object.fromEntries(Object.entries(properties).map(([key, p]) => [key, valueFor(p, depth + 1)]))
  return fc.record(model, { requiredKeys: (schema.required ?? []).filter(key => key in properties) }) as fc.Arbitrary<
    Record<string, unknown>
  >
}

/**
 * A body derived from the operation's schema and then broken: one field of the wrong type or hostile, a required field
 * missing, prototype keys added, a string as large as the body limit allows, or no object at all.
 */
export function hostileBody(schema: JsonSchema | undefined, bodyLimit: number): fc.Arbitrary<unknown> {
  const base = valueFor(schema)
  const keys = Object.keys(schema?.properties ?? {})
  const key = keys.length ? fc.constantFrom(...keys) : fc.constant('unexpected')
  const asObject = (value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  return fc.oneof(
    { weight: 1, arbitrary: base },
    {
      weight: 5,
      arbitrary: fc.tuple(base, key, hostileValue).map(([body, name, value]) => ({ ...asObject(body), [name]: value })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(base, key).map(([body, name]) => {
        const { [name]: _dropped, ...rest } = asObject(body)
        return rest
      }),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(base, fc.constantFrom('__proto__', 'constructor', 'prototype'))
        .map(([body, name]) => withPrototypeKeys(asObject(body), name)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(base, key)
        .map(([body, name]) => ({ ...asObject(body), [name]: 'y'.repeat(bodyLimit - 2048) })),
    },
    { weight: 1, arbitrary: fc.tuple(base, fc.string()).map(([body, extra]) => ({ ...asObject(body), [extra]: 1 })) },
    { weight: 2, arbitrary: hostileValue },
  )
}

/** Percent-encodes for a URL, as a client would; a lone surrogate, which has no UTF-8, goes as the bytes of one. */
export function encodeForUrl(value: string): string {
  return Array.from(value, char => {
    try {
      return encodeURIComponent(char)
    } catch {
      return '%ED%A0%80'
    }
  }).join('')
}
