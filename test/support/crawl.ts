// Following every link a signed-in person is shown, from the home page on, as the crawl tests do: in memory
// (test/integration/crawl.test.ts) and in Chromium (test/browser/every-page.test.ts).
// Same-origin GET links only; each URL pattern once (a path with its identifiers generalised, and its query's names);
// assets and signing out are never followed.

/** The links of a page, as same-origin paths with their query, without fragments. */
export function linksOf(html: string): string[] {
  const links: string[] = []
  for (const [, raw] of html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/g)) {
    const href = raw
      .replace(/&amp;/g, '&')
      .replace(/&#x2F;/g, '/')
      .replace(/&#39;/g, "'")
      .split('#')[0]
    if (!href.startsWith('/') || href.startsWith('//')) continue
    links.push(href)
  }
  return links
}

/** A URL's pattern: identifiers (anything with a digit) generalised, and the names of its query parameters. */
export function patternOf(url: string): string {
  const [path, query = ''] = url.split('?')
  const shape = path
    .split('/')
    .map(segment => (/\d/.test(segment) ? ':id' : segment))
    .join('/')
  const names = [...new URLSearchParams(query).keys()].sort()
  return names.length ? `${shape}?${[...new Set(names)].join('&')}` : shape
}

export const NOT_FOLLOWED = [/^\/assets\//, /^\/sign-out/, /^\/logout/]

/** Links to a file rather than a page: a PDF or a CSV. */
export const DOWNLOADS = [/\.(pdf|csv)(\?|$)/, /[?&]format=(csv|pdf)(&|$)/]

/**
 * What opening a link gave: its status, where a redirect leads (when the visitor does not follow redirects itself),
 * the address it ended at (when it does), and the page's HTML when it is a page.
 */
export type Visited = { status: number; location?: string; endedAt?: string; html?: string }

/**
 * Opens the home page with `visit`, then every link found, breadth first, each URL pattern once, up to `max` visits.
 * A link answering 403, 404 or 5xx is broken, named with the page that showed it; `skip` leaves more links unfollowed,
 * and `pattern` may generalise more than `patternOf` does.
 */
export async function crawlFromHome(
  visit: (url: string, pattern: string) => Promise<Visited>,
  options: { max: number; skip?: RegExp[]; pattern?: (url: string) => string },
) {
  const notFollowed = [...NOT_FOLLOWED, ...(options.skip ?? [])]
  const patternOfUrl = options.pattern ?? patternOf
  const seen = new Set<string>()
  const queue: { url: string; from: string }[] = [{ url: '/', from: '(home)' }]
  const broken: string[] = []
  let fetched = 0
  while (queue.length > 0 && fetched < options.max) {
    const { url, from } = queue.shift() as { url: string; from: string }
    const pattern = patternOfUrl(url)
    if (seen.has(pattern) || notFollowed.some(rule => rule.test(url))) continue
    seen.add(pattern)
    const { status, location, endedAt, html } = await visit(url, pattern)
    fetched++
    if (endedAt) seen.add(patternOfUrl(endedAt))
    if (status === 403 || status === 404 || status >= 500) {
      broken.push(`${status} ${url} (linked from ${from})`)
      continue
    }
    if (status >= 300 && status < 400) {
      if (location?.startsWith('/')) queue.push({ url: location, from: url })
      continue
    }
    for (const link of html === undefined ? [] : linksOf(html)) queue.push({ url: link, from: endedAt ?? url })
  }
  return { broken, fetched, patterns: [...seen] }
}
