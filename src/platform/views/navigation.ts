import type { Permission } from '../access/roles.ts'
import type { CurrentUser } from '../access/user.ts'

export type NavigationItem = { text: string; href: string; permission: Permission; order: number }

/** The service navigation: each module adds its entries; a user sees those their permissions allow. */
export function createNavigation() {
  const items: NavigationItem[] = []
  return {
    add(item: NavigationItem) {
      items.push(item)
      items.sort((a, b) => a.order - b.order)
    },
    for(user: CurrentUser | null, currentPath: string) {
      if (!user) return []
      return items
        .filter(item => user.can(item.permission))
        .map(item => ({
          text: item.text,
          href: item.href,
          active:
            item.href === '/'
              ? currentPath === '/'
              : currentPath === item.href || currentPath.startsWith(`${item.href}/`),
        }))
    },
  }
}
export type Navigation = ReturnType<typeof createNavigation>
