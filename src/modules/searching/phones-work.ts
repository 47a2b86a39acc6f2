import type { CurrentUser } from '../../platform/access/user.ts'
import { waitedInWords } from '../../platform/deadlines/deadlines.ts'
import type { WorkSection, WorkSource } from '../../platform/deadlines/work.ts'
import { FIND_CATEGORY_NAMES, type FindCategory } from './rules.ts'
import type { SearchingService } from './service.ts'

/** Interrogations listed on the home page: the oldest waiting, the rest a click away. */
const LISTED = 5

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`

/**
 * Output 15 ("mobile phones found within a prison are interrogated"), as the security department's work on their
 * home page: interrogations awaiting a result, and phones and SIM cards found this month that nobody has sent.
 */
export const interrogationWork = (searching: SearchingService): WorkSource => ({
  name: 'Seized phones',
  order: 30,
  async list(user: CurrentUser, now: Date): Promise<WorkSection | null> {
    if (!user.can('searching:interrogate')) return null
    const { awaiting, withoutRequest } = await searching.phoneFigures(user, user.establishmentCode, now)
    if (awaiting + withoutRequest === 0) return null
    const waiting = await searching.interrogations(user, { establishmentCode: user.establishmentCode, awaiting: true })
    const parts = [
      ...(awaiting ? [`${count(awaiting, 'interrogation is', 'interrogations are')} awaiting a result`] : []),
      ...(withoutRequest
        ? [`${count(withoutRequest, 'phone or SIM card', 'phones or SIM cards')} found this month not yet sent for one`]
        : []),
    ]
    return {
      title: 'Seized phones',
      summary: `${parts.join('; ')}.`.replace(/^./, first => first.toUpperCase()),
      href: '/searching/interrogations',
      linkText: 'See seized phones and their interrogations',
      lines: waiting.slice(0, LISTED).map(row => ({
        text: `Record the result of ${row.ref}`,
        href: `/searching/finds/${encodeURIComponent(row.findRef)}/interrogation#${row.ref}`,
        detail: `${FIND_CATEGORY_NAMES[row.category as FindCategory]} found at ${row.location}, asked for ${waitedInWords(row.requestedAt, now).toLowerCase()} ago`,
        establishmentCode: row.establishmentCode,
        tag: { text: 'Awaiting result', colour: 'blue' as const },
      })),
    }
  },
})
