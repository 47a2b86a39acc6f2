import { z } from 'zod'
import { errorView } from '../views/views.ts'
import { ValidationError } from './errors.ts'

/** The error summary for a form that failed validation; anything else is not a form error and propagates. */
export function formErrors(error: unknown) {
  if (error instanceof ValidationError) return errorView(error.fields)
  throw error
}

/** A page number from a query string: 1 when missing or nonsense. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
})

/** Parameters for the GOV.UK pagination component. */
export function paginationView(page: number, pageSize: number, total: number, href: (page: number) => string) {
  const pages = Math.max(1, Math.ceil(total / pageSize))
  if (pages <= 1) return null
  const items: { number?: number; href?: string; current?: boolean; ellipsis?: boolean }[] = []
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) {
      items.push({ number: n, href: href(n), current: n === page })
    } else if (!items.at(-1)?.ellipsis) {
      items.push({ ellipsis: true })
    }
  }
  return {
    items,
    previous: page > 1 ? { href: href(page - 1) } : undefined,
    next: page < pages ? { href: href(page + 1) } : undefined,
    summary: { from: (page - 1) * pageSize + 1, to: Math.min(total, page * pageSize), total },
  }
}

/** A query string from the filters that are set, for links that keep the current filters. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}
