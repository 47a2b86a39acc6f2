// Linking people and entities to a report: shared by submission (what the reporter names, what the text holds) and
// assessment (what the analyst links).
import type { CurrentUser } from '../../platform/access/user.ts'
import type { Executor } from '../../platform/db/database.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { type EntityType, extractEntities, normaliseEntity } from './entities.ts'
import * as repo from './repository.ts'

/** Links people the user may see, with a role; a reference the user cannot see is an error on its field. */
export async function linkNominals(
  trx: Executor,
  user: CurrentUser,
  report: { id: string; establishmentCode: string },
  links: readonly { prisonerNumber: string; role: string }[],
  now: Date,
  field = 'nominals',
) {
  if (links.length === 0) return
  // One row per person; named twice, the later role stands.
  const roles = new Map(links.map(link => [link.prisonerNumber, link.role]))
  const found = await repo.linkNominals(trx, user, report, roles, { username: user.username, now })
  const missing = links.findIndex(link => !found.has(link.prisonerNumber))
  // The transaction is abandoned with the error, so the links made are undone.
  if (missing >= 0)
    throw ValidationError.field(
      `${field}.${missing}.prisonerNumber`,
      `No person you can see has the reference ${links[missing].prisonerNumber}`,
    )
}

/** Suggests the entities found in a report's text; do-not-link values are marked as such. */
export async function suggestEntities(trx: Executor, report: { id: string; establishmentCode: string }, text: string) {
  const found = extractEntities(text)
  if (found.length === 0) return
  const ids = await repo.entityIds(trx, found)
  await repo.suggestEntities(
    trx,
    report,
    found.map(e => ({ ...e, entityId: ids.get(`${e.type}:${e.value}`) ?? 0 })),
  )
}

/** Entities typed by an analyst, normalised; one that is not valid for its type is an error on its field. */
export function normalisedEntities(entities: readonly { type: EntityType; value: string }[]) {
  return entities.map((entity, index) => {
    const value = normaliseEntity(entity.type, entity.value)
    if (!value) throw ValidationError.field(`entities.${index}.value`, `Enter a valid ${entity.type.replace('-', ' ')}`)
    return { type: entity.type, value }
  })
}
