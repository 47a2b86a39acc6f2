import type { CurrentUser } from '../../platform/access/user.ts'
import type { Db } from '../../platform/db/database.ts'
import type { NominalRow } from './repository.ts'

/** A section of a nominal's profile filled by another module: its own template and data. */
export type ProfilePanel = { title: string; template: string; data: Record<string, unknown> }

export type ProfilePanelSource = {
  name: string
  order: number
  /** Null when the panel has nothing this user may see. */
  load(db: Db, user: CurrentUser, nominal: NominalRow): Promise<ProfilePanel | null>
}

/** Modules add panels to the profile (intelligence, SOC, authorisations, finds) without editing it. */
export function createProfilePanels() {
  const sources: ProfilePanelSource[] = []
  return {
    register(source: ProfilePanelSource) {
      sources.push(source)
      sources.sort((a, b) => a.order - b.order)
    },
    async load(db: Db, user: CurrentUser, nominal: NominalRow) {
      const panels: ProfilePanel[] = []
      // One after another: on the embedded database there is one connection, and panels are few.
      for (const source of sources) {
        const panel = await source.load(db, user, nominal)
        if (panel) panels.push(panel)
      }
      return panels
    },
  }
}
export type ProfilePanels = ReturnType<typeof createProfilePanels>
