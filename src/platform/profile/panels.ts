import type { CurrentUser } from '../access/user.ts'

/** The person a profile is about, as a panel needs them: ids and scope, never their details. */
export type ProfileSubject = { id: string; ref: string; establishmentCode: string; compartment: string | null }

/** A section of a nominal's profile filled by another module: its own template and data. */
export type ProfilePanel = { title: string; template: string; data: Record<string, unknown> }

/** A module's panel, made with that module's service: it reads through the service, never the database. */
export type ProfilePanelSource = {
  name: string
  order: number
  /** Null when the panel has nothing this user may see. */
  load(user: CurrentUser, subject: ProfileSubject): Promise<ProfilePanel | null>
}

/** Modules add panels to the profile (intelligence, SOC, authorisations, finds) without editing it. */
export function createProfilePanels() {
  const sources: ProfilePanelSource[] = []
  return {
    register(source: ProfilePanelSource) {
      sources.push(source)
      sources.sort((a, b) => a.order - b.order)
    },
    async load(user: CurrentUser, subject: ProfileSubject) {
      const panels: ProfilePanel[] = []
      // One after another: on the embedded database there is one connection, and panels are few.
      for (const source of sources) {
        const panel = await source.load(user, subject)
        if (panel) panels.push(panel)
      }
      return panels
    },
  }
}
export type ProfilePanels = ReturnType<typeof createProfilePanels>
