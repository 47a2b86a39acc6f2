import type { CurrentUser } from '../access/user.ts'
import type { EstablishmentNames } from './deadlines.ts'

/** One thing in a list of work: a report, an amendment; with where to act on it. */
export type WorkLine = {
  text: string
  href: string
  /** A second line of plain words: "Proposed 3 days ago", "Submitted 23 November 2026 at 2:05pm". */
  detail?: string
  /** Its state in words, shown as a tag: "In assessment", "Overdue". */
  tag?: { text: string; colour: 'grey' | 'blue' | 'light-blue' | 'turquoise' | 'green' | 'red' | 'yellow' }
  /** The prison it is about, by code: the page shows its name after the detail. */
  establishmentCode?: string
}

/** One kind of work waiting for a user, shown as a section of their home page. */
export type WorkSection = {
  title: string
  /** What is waiting, counted in words: "9 reports are waiting for triage, 1 urgent." */
  summary: string
  /** The page that holds all of it, and the link's words. */
  href: string
  linkText: string
  /** A few of the items themselves, when they are worth listing on the home page. */
  lines?: WorkLine[]
}

/**
 * A module's work waiting for a user (the triage queue, decisions awaited, their own reports). Made with the module's
 * service: it reads through the service, never the database. Null when the user has none of this kind of work.
 */
export type WorkSource = {
  name: string
  /** Where its section comes on the page: lower first. */
  order: number
  list(user: CurrentUser, now: Date): Promise<WorkSection | null>
}

/** Modules register the work they hold for people; the home page asks for one user's. */
export function createWork(establishmentNames: EstablishmentNames) {
  const sources: WorkSource[] = []
  return {
    register(source: WorkSource) {
      sources.push(source)
      sources.sort((a, b) => a.order - b.order)
    },
    async forUser(user: CurrentUser, now: Date): Promise<WorkSection[]> {
      // One after another: on the embedded database there is one connection, and sources are few.
      const sections: WorkSection[] = []
      for (const source of sources) {
        const section = await source.list(user, now)
        if (section) sections.push(section)
      }
      const codes = sections.flatMap(s =>
        (s.lines ?? []).flatMap(l => (l.establishmentCode ? [l.establishmentCode] : [])),
      )
      const names = await establishmentNames([...new Set(codes)])
      return sections.map(section => ({
        ...section,
        lines: section.lines?.map(line => ({
          ...line,
          establishmentName: line.establishmentCode ? names.get(line.establishmentCode) : undefined,
        })),
      }))
    },
  }
}
export type Work = ReturnType<typeof createWork>
