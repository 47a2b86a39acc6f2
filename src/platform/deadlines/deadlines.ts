import type { CurrentUser } from '../access/user.ts'

/** One thing a policy clock says must be done by a date. */
export type DeadlineItem = {
  title: string
  /** Calendar date, 'YYYY-MM-DD'. */
  dueDate: string
  href: string
  /** Which module's clock produced it, e.g. 'RIPA', 'SOC', 'LSS'. */
  source: string
  /**
   * Like clocks share a group ("Quarterly SOCU assurance visits"): the home page shows them as one line naming each
   * prison, not one identical line per prison.
   */
  group?: string
  /** The prison the item is about, by code: the page shows its name. */
  establishmentCode?: string
}

/** One line of the home page's clocks: one item, or the items of a group falling due in the same period. */
export type DeadlineLine = {
  /** The group's title ("Quarterly SOCU assurance visits"), or the item's. */
  title: string
  /** The title of one item of the line, for a group that has only one ("Quarterly SOCU assurance visit"). */
  itemTitle: string
  /** The earliest due date of the line's items. */
  dueDate: string
  href: string
  source: string
  /** For a group: the names of the prisons (or other subjects) whose item is due. */
  subjects: string[]
}

/** Names for establishment codes; a code without a name stands for itself. */
export type EstablishmentNames = (codes: readonly string[]) => Promise<ReadonlyMap<string, string>>

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
    later: byDate.filter(item => item.dueDate > horizon),
  }
}

/**
 * The lines of one period: an item alone is its own line; the items of a group become one line naming each
 * subject, at the group's first place in date order.
 */
function linesOf(items: readonly DeadlineItem[], names: ReadonlyMap<string, string>): DeadlineLine[] {
  const lines: DeadlineLine[] = []
  const groups = new Map<string, DeadlineLine>()
  for (const item of items) {
    const subject = item.establishmentCode ? (names.get(item.establishmentCode) ?? item.establishmentCode) : null
    const existing = item.group ? groups.get(item.group) : undefined
    if (existing) {
      if (subject) existing.subjects.push(subject)
      continue
    }
    const line = {
      title: item.group ?? item.title,
      itemTitle: item.title,
      dueDate: item.dueDate,
      href: item.href,
      source: item.source,
      subjects: subject && item.group ? [subject] : [],
    }
    if (item.group) groups.set(item.group, line)
    lines.push(line)
  }
  return lines
}

/** The home page's clocks: overdue and due soon as lines, like items grouped, with prisons by name. */
export function deadlineLines(
  parts: ReturnType<typeof partitionDeadlines>,
  names: ReadonlyMap<string, string>,
): { overdue: DeadlineLine[]; dueSoon: DeadlineLine[] } {
  // Work not yet due is not shown: the home page says what is due (issue 12.5).
  const overdue = linesOf(parts.overdue, names)
  const dueSoon = linesOf(parts.dueSoon, names)
  return { overdue, dueSoon }
}

/** Modules register their clocks; the home page asks for one user's due and overdue work. */
export function createDeadlines(establishmentNames: EstablishmentNames) {
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
      const items = lists.flat()
      const codes = [...new Set(items.flatMap(item => (item.establishmentCode ? [item.establishmentCode] : [])))]
      return deadlineLines(partitionDeadlines(items, today), await establishmentNames(codes))
    },
  }
}
export type Deadlines = ReturnType<typeof createDeadlines>

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`

/** How long something has waited, in words a person reads at a glance: "5 minutes", "3 hours", "4 days", "6 weeks". */
export function waitedInWords(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000))
  if (minutes < 1) return 'Less than a minute'
  if (minutes < 60) return plural(minutes, 'minute')
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return plural(hours, 'hour')
  const days = Math.floor(hours / 24)
  if (days < 28) return plural(days, 'day')
  return plural(Math.floor(days / 7), 'week')
}
