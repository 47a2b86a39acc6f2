import type { CurrentUser } from '../access/user.ts'

/** One thing a policy clock says must be done by a date. */
export type DeadlineItem = {
  title: string
  /** Calendar date, 'YYYY-MM-DD'. */
  dueDate: string
  href: string
  /** Which module's clock produced it, e.g. 'RIPA', 'SOC', 'LSS'. */
  source: string
}

/**
 * A module's clock: lists, for a user, every item in their scope that is due, in any time frame. Made with the
 * module's service: it reads through the service, never the database.
 */
export type DeadlineSource = {
  name: string
  list(user: CurrentUser, today: string): Promise<DeadlineItem[]>
}

export const DUE_SOON_DAYS = 14

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

// Made once: a formatter costs far more to make than to use (a profile page spent 23 ms of 6 s making them).
const LONDON_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })

/** Today's calendar date in Europe/London. */
export function londonToday(now: Date): string {
  return LONDON_DATE.format(now)
}

/** Splits items into overdue (before today) and due within the next 14 days; later items are left out. */
export function partitionDeadlines(items: readonly DeadlineItem[], today: string) {
  const horizon = addDays(today, DUE_SOON_DAYS)
  const byDate = [...items].sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.title.localeCompare(b.title))
  return {
    overdue: byDate.filter(item => item.dueDate < today),
    dueSoon: byDate.filter(item => item.dueDate >= today && item.dueDate <= horizon),
  }
}

/** Modules register their clocks; the home page asks for one user's due and overdue work. */
export function createDeadlines() {
  const sources: DeadlineSource[] = []
  return {
    register(source: DeadlineSource) {
      sources.push(source)
    },
    get sourceCount() {
      return sources.length
    },
    async forUser(user: CurrentUser, now: Date) {
      const today = londonToday(now)
      const lists = await Promise.all(sources.map(source => source.list(user, today)))
      return partitionDeadlines(lists.flat(), today)
    },
  }
}
export type Deadlines = ReturnType<typeof createDeadlines>
