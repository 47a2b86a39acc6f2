// The forms of a page as a browser sees them, for tests that submit every form a person is shown
// (test/integration/property.test.ts).

/** A named field and the values the page offers for it: its current value, its options, its radios and boxes. */
export type FormField = { name: string; offered: string[] }

export type PageForm = { page: string; method: 'get' | 'post'; action: string; multipart: boolean; fields: FormField[] }

const decode = (text: string) =>
  text
    .replace(/&#x2F;/g, '/')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')

function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {}
  for (const [, name, value] of tag.matchAll(/([\w:-]+)(?:="([^"]*)")?/g))
    found[name.toLowerCase()] = decode(value ?? '')
  return found
}

/** Every field of a form with a name (the CSRF token aside), merging radios and checkboxes of one name. */
function fieldsOf(inner: string): FormField[] {
  const fields = new Map<string, Set<string>>()
  const offer = (name: string | undefined, value: string) => {
    if (!name || name === '_csrf') return
    const values = fields.get(name) ?? new Set()
    values.add(value)
    fields.set(name, values)
  }
  for (const [, tag] of inner.matchAll(/<(?:input|button)\b([^>]*)>/g)) {
    const a = attributes(tag)
    offer(a.name, a.value ?? '')
  }
  for (const [, tag, options] of inner.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    for (const [, option] of options.matchAll(/<option\b([^>]*)>/g))
      offer(attributes(tag).name, attributes(option).value ?? '')
  }
  for (const [, tag, text] of inner.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    offer(attributes(tag).name, decode(text))
  }
  return [...fields].map(([name, offered]) => ({ name, offered: [...offered] }))
}

/** The forms of a page; a form without an action posts to the page itself. */
export function formsOf(html: string, page: string): PageForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, tag, inner]) => {
    const a = attributes(tag)
    return {
      page,
      method: a.method?.toLowerCase() === 'post' ? 'post' : 'get',
      action: a.action || page,
      multipart: a.enctype === 'multipart/form-data',
      fields: fieldsOf(inner),
    }
  })
}
