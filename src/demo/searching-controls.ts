import { allNominals } from '../modules/people/repository.ts'
import type { SearchingService } from '../modules/searching/service.ts'
import { addMonths } from '../modules/soc/rules.ts'
import { type CurrentUser, loadCurrentUser } from '../platform/access/user.ts'
import type { Db } from '../platform/db/database.ts'
import { addDays, londonToday } from '../platform/deadlines/deadlines.ts'
import { findUserByUsername } from '../platform/users/repository.ts'

// Demo measures on visitors and permissions for items at the demo prison (outputs 13 and 14), written through the
// searching service on the days they were decided: bans and closed visits in every state (one review overdue, one
// ended at a review), and permissions live, expired and revoked.

const CID = 'demo'

async function demoUser(db: Db, username: string): Promise<CurrentUser> {
  const record = await findUserByUsername(db, username)
  if (!record) throw new Error(`The demo user ${username} is missing: seed the demo accounts first`)
  return loadCurrentUser(db, record, 'session')
}

/** A day so many days before or after today, and the instant at its midday (when the decision was made). */
const dayFrom = (today: string, days: number) => addDays(today, days)
const middayOf = (day: string) => new Date(`${day}T12:00:00Z`)

type Measure = Parameters<SearchingService['recordVisitMeasure']>[1]

/** Five visitors, each with the prisoner they visit (by position among the demo prison's prisoners). */
function measures(today: string, prisoners: readonly string[]): (Measure & { review?: 'continue' | 'end' })[] {
  const start = (days: number) => dayFrom(today, -days)
  return [
    {
      visitorName: 'Jade Marsh',
      visitorDateOfBirth: '1991-04-02',
      prisonerNumber: prisoners[0],
      measure: 'ban',
      reason:
        'Tried to pass a balloon of cannabis resin across the table in the visits hall; staff saw it and seized it.',
      startsOn: start(40),
      reviewOn: addMonths(start(40), 3),
    },
    {
      visitorName: 'Lee Carter',
      visitorDateOfBirth: '1986-11-19',
      prisonerNumber: prisoners[1],
      measure: 'closed-visits',
      reason: 'Seen passing a small package; the prisoner swallowed it before staff reached the table.',
      startsOn: start(100),
      reviewOn: start(70),
      review: 'continue',
    },
    {
      visitorName: 'Mark Bell',
      prisonerNumber: prisoners[2],
      measure: 'ban',
      reason: 'Brought two SIM cards sewn into the lining of a jacket; found at the visitors’ search.',
      startsOn: start(120),
      reviewOn: start(60),
      review: 'end',
    },
    {
      visitorName: 'Donna Reid',
      visitorDateOfBirth: '1979-06-30',
      prisonerNumber: prisoners[3],
      measure: 'closed-visits',
      reason: 'Intelligence that she was asked to bring in spice-soaked paper; the drug dog indicated on her at entry.',
      startsOn: start(14),
      reviewOn: dayFrom(today, 10),
      endsOn: dayFrom(today, 60),
    },
    {
      visitorName: 'Ricky Shaw',
      visitorDateOfBirth: '1995-01-08',
      prisonerNumber: prisoners[4],
      measure: 'ban',
      reason:
        'Handed over a SIM card hidden in a sweet wrapper; the search dog found it on the prisoner after the visit.',
      startsOn: start(5),
      reviewOn: addMonths(start(5), 3),
    },
  ]
}

async function seedMeasures(searching: SearchingService, head: CurrentUser, today: string, prisoners: string[]) {
  for (const { review, ...measure } of measures(today, prisoners)) {
    const { id } = await searching.recordVisitMeasure(head, measure, CID, middayOf(measure.startsOn))
    if (!review) continue
    // Lee Carter's measure was continued at its first review to a date now passed: the review is overdue.
    await searching.reviewVisitMeasure(
      head,
      id,
      {
        reviewedOn: measure.reviewOn,
        outcome: review,
        nextReviewOn: review === 'continue' ? dayFrom(today, -3) : null,
        notes:
          review === 'continue'
            ? 'Still a risk: a second visitor of the same prisoner was stopped last month.'
            : 'Has visited under supervision with no concerns; the prisoner has completed a drug recovery course.',
      },
      CID,
      middayOf(measure.reviewOn),
    )
  }
}

async function seedPermissions(searching: SearchingService, head: CurrentUser, today: string) {
  const grant = (input: Parameters<SearchingService['grantItemPermission']>[1], daysAgo: number) =>
    searching.grantItemPermission(head, input, CID, middayOf(dayFrom(today, -daysAgo)))
  await grant(
    {
      category: 'mobile-phone',
      description: 'Samsung Galaxy A15 of the lift engineer',
      holder: 'Dan Price, Northern Lifts Ltd',
      location: 'Works department',
      validFrom: dayFrom(today, -7),
      validUntil: dayFrom(today, 21),
    },
    8,
  )
  await grant(
    {
      category: 'other',
      description: 'Digital camera for recording building defects',
      holder: 'Maintenance team (Steve Hollis)',
      validFrom: dayFrom(today, -30),
      validUntil: dayFrom(today, 150),
    },
    31,
  )
  await grant(
    {
      category: 'tools',
      description: 'Cordless drill and masonry bits for the cell window repairs',
      holder: 'Gary Moss, Estates',
      location: 'B wing',
      validFrom: dayFrom(today, -20),
      validUntil: dayFrom(today, 10),
    },
    21,
  )
  await grant(
    {
      category: 'mobile-phone',
      description: 'Phone of the visiting choir leader, for the carol service recording',
      holder: 'Ruth Allen, St Mary’s choir',
      location: 'Chapel',
      validFrom: dayFrom(today, -60),
      validUntil: dayFrom(today, -59),
    },
    62,
  )
  const charger = await grant(
    {
      category: 'charger',
      description: 'Laptop charger of the education contractor',
      holder: 'Priya Nair, Learning Works',
      location: 'Education block',
      validFrom: dayFrom(today, -45),
      validUntil: dayFrom(today, 45),
    },
    46,
  )
  await searching.revokeItemPermission(
    head,
    charger.id,
    { reason: 'The education contract moved to another provider.' },
    CID,
    middayOf(dayFrom(today, -3)),
  )
}

/**
 * Bans and closed visits on five visitors of prisoners at MDI, and five permissions for items there. Returns how
 * many of each were made; none when the demo prison has too few prisoners.
 */
export async function seedSearchingControls(db: Db, searching: SearchingService, now = new Date()) {
  const today = londonToday(now)
  const prisoners = await db
    .selectFrom(allNominals(db).as('n'))
    .select('n.ref')
    .where('n.kind', '=', 'prisoner')
    .where('n.establishmentCode', '=', 'MDI')
    .orderBy('n.ref')
    .limit(5)
    .execute()
  if (prisoners.length < 5) return { measures: 0, permissions: 0 }
  const head = await demoUser(db, 'head-of-security')
  await seedMeasures(
    searching,
    head,
    today,
    prisoners.map(p => p.ref),
  )
  await seedPermissions(searching, head, today)
  return { measures: 5, permissions: 5 }
}
