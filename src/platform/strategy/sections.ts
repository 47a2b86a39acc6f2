import type { CurrentUser } from '../access/user.ts'

/**
 * A section of the Local Security Strategy page filled by another module: the searching strategy (service
 * specification output 9: "agreed, documented in the LSS"), with its own template and data.
 */
export type StrategySection = { name: string; title: string; template: string; data: Record<string, unknown> }

/** A module's section, made with that module's service: it reads through the service, never the database. */
export type StrategySectionSource = {
  name: string
  order: number
  /** Null when the section has nothing this user may see. */
  load(user: CurrentUser, establishmentCode: string): Promise<StrategySection | null>
}

/** Modules add sections to the LSS page without the LSS module knowing them. */
export function createStrategySections() {
  const sources: StrategySectionSource[] = []
  return {
    register(source: StrategySectionSource) {
      sources.push(source)
      sources.sort((a, b) => a.order - b.order)
    },
    async load(user: CurrentUser, establishmentCode: string) {
      const sections: StrategySection[] = []
      for (const source of sources) {
        const section = await source.load(user, establishmentCode)
        if (section) sections.push(section)
      }
      return sections
    },
  }
}
export type StrategySections = ReturnType<typeof createStrategySections>
