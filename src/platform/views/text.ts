// Text formatting shared by templates and rules; no dependencies.

/** Names as NOMIS stores them (upper case) shown as people write them: "O'NEILL" → "O'Neill". */
export function nameCase(name: string | null | undefined): string {
  return (name ?? '')
    .toLowerCase()
    .replace(/(^|[\s'-])([a-z])/g, (_, sep: string, letter: string) => sep + letter.toUpperCase())
}
