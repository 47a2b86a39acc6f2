import { intelligenceService } from '../modules/intelligence/service.ts'
import { searchingService } from '../modules/searching/service.ts'
import type { Db } from '../platform/db/database.ts'
import { seedSearchingControls } from './searching-controls.ts'
import { seedSearchingExhibits } from './searching-exhibits.ts'
import { seedSearchingFinds } from './searching-finds.ts'
import { seedSearchingPhones } from './searching-phones.ts'
import { seedSearchingSearches } from './searching-searches.ts'
import { FIRST_ESTABLISHMENT } from './users.ts'

/**
 * Searching, finds and evidence at the demo prison, through the service as staff would record them: the programme and
 * a month of searches first, then the finds (linked to those searches), the phones among them sent for interrogation,
 * exhibits in every state, and the measures on visitors and permissions for items. Each part creates nothing when
 * its records are already there. Returns whether anything was created.
 */
export async function seedDemoSearching(db: Db, log: (line: string) => void): Promise<boolean> {
  const searching = searchingService(db, { intelligence: intelligenceService(db) })
  let created = false
  const searches = (await any(db, 'searchingSearch')) ? 0 : await seedSearchingSearches(db, searching)
  if (searches > 0) {
    log(`created the demo search programme at ${FIRST_ESTABLISHMENT} and ${searches} searches over the last month`)
    created = true
  }
  const finds = await seedSearchingFinds(db, searching)
  if (finds > 0) {
    log(`created ${finds} demo finds over two years, linked to prisoners, searches and reports`)
    created = true
  }
  const phones = await seedSearchingPhones(db, searching)
  if (phones > 0) {
    log(`created ${phones} demo interrogations of seized phones, their results in intelligence`)
    created = true
  }
  const exhibits = await seedSearchingExhibits(db, searching)
  if (exhibits > 0) {
    log(`created ${exhibits} demo exhibits in every state, with their chains of custody`)
    created = true
  }
  if (await any(db, 'searchingVisitMeasure')) return created
  const controls = await seedSearchingControls(db, searching)
  if (controls.measures > 0) {
    log(`created ${controls.measures} demo measures on visitors and ${controls.permissions} permissions for items`)
    created = true
  }
  return created
}

async function any(db: Db, table: 'searchingSearch' | 'searchingVisitMeasure') {
  return (await db.selectFrom(table).select('id').limit(1).executeTakeFirst()) !== undefined
}
