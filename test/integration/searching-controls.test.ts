import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { coveringPermissions } from '../../src/modules/searching/repository.ts'
import { addMonths } from '../../src/modules/soc/rules.ts'
import { addDays, londonToday } from '../../src/platform/deadlines/deadlines.ts'
import { usersService } from '../../src/platform/users/service.ts'
import { DEMO_PASSWORD, type TestApp, testApp } from '../support/app.ts'
import { auditActors, importTestPrisoners, prisonerRecord, TEST_IMPORTER } from '../support/fixtures.ts'

// Output 13 (measures on visitors who convey or try to) and output 14 (permissions for otherwise prohibited items):
// pages and API, the three-month review rule at its boundary, which finds a permission covers, bad input in every
// field, prison scope and permissions.

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}
const today = londonToday(new Date())

/** A date as the GOV.UK date input sends it: day, month and year boxes. */
function dateBoxes(name: string, iso: string) {
  const [year, month, day] = iso.split('-')
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year }
}

const measure = (extra: Record<string, unknown> = {}) => ({
  visitorName: 'Jade Marsh',
  visitorDateOfBirth: '1991-04-02',
  prisonerNumber: 'A1234BC',
  measure: 'ban',
  reason: 'Passed a wrapped package to the prisoner in the visits hall',
  startsOn: today,
  reviewOn: addMonths(today, 1),
  ...extra,
})

const permission = (extra: Record<string, unknown> = {}) => ({
  category: 'mobile-phone',
  description: 'Samsung phone of the lift engineer',
  holder: 'Dan Price, Northern Lifts Ltd',
  location: 'Works department',
  validFrom: addDays(today, -10),
  validUntil: addDays(today, 20),
  ...extra,
})

async function findAt(ref: string, category: string, location: string, foundAt: Date, establishmentCode = 'MDI') {
  await t.db
    .insertInto('searchingFind')
    .values({
      ref,
      establishmentCode,
      category,
      description: 'Found in a search',
      foundAt,
      location,
      wing: location,
      how: 'search',
      foundBy: 'head-of-security',
      recordedBy: 'head-of-security',
      recordedAt: foundAt,
    })
    .execute()
}

async function created(response: Awaited<ReturnType<Client['post']>>) {
  assert.equal(response.statusCode, 201, response.body)
  return response.json().id as string
}

before(async () => {
  t = await testApp()
  await importTestPrisoners(
    t.db,
    [
      prisonerRecord({ prisonerNumber: 'A1234BC', firstName: 'MOHAMMED', lastName: 'HUSSAIN' }),
      prisonerRecord({ prisonerNumber: 'D4444DD', firstName: 'ANDREI', lastName: 'POPESCU', prisonId: 'WWI' }),
    ],
    'controls.json',
  )
  // A head of security at another prison: the same permission, another scope.
  await usersService(t.db).create(
    { actor: TEST_IMPORTER, user: null },
    {
      username: 'security-wwi',
      displayName: 'Wanda West',
      establishmentCode: 'WWI',
      roles: ['head-of-security'],
      scope: 'establishment',
      compartments: [],
      password: DEMO_PASSWORD,
    },
  )
  for (const username of ['head-of-security', 'reporter', 'security-wwi']) as[username] = t.api(await t.token(username))
  await findAt('FD-MDI-2026-K7QX4M', 'mobile-phone', 'Visits hall', new Date(Date.now() - 86_400_000))
  await findAt('FD-WWI-2026-K7QX4N', 'mobile-phone', 'Visits hall', new Date(Date.now() - 86_400_000), 'WWI')
})

after(() => t.close())

describe('measures on visitors', () => {
  it('records a ban through the pages and shows it with its prisoner, find and review', async () => {
    const hos = await t.signIn('head-of-security')
    assert.equal((await hos.get('/searching/visitors/new?prisonerNumber=A1234BC')).statusCode, 200)
    const response = await hos.post(
      '/searching/visitors',
      {
        visitorName: 'Kerry Doyle',
        ...dateBoxes('visitorDateOfBirth', '1988-07-14'),
        prisonerNumber: 'a1234bc',
        measure: 'closed-visits',
        reason: 'Seen passing a balloon during the visit',
        findRef: 'fd-mdi-2026-k7qx4m',
        ...dateBoxes('startsOn', today),
        ...dateBoxes('reviewOn', addMonths(today, 3)),
        'endsOn-day': '',
        'endsOn-month': '',
        'endsOn-year': '',
      },
      '/searching/visitors/new',
    )
    assert.equal(response.statusCode, 303, response.body)
    const page = await hos.get(response.headers.location as string)
    assert.match(page.body, /Kerry Doyle/)
    assert.match(page.body, /Mohammed Hussain/)
    assert.match(page.body, /FD-MDI-2026-K7QX4M/)
    assert.match(page.body, /Closed visits only/)
    assert.match((await hos.get('/searching/visitors')).body, /Kerry Doyle/)
    assert.match((await hos.get('/searching')).body, /measures? on visitors in force/)
    assert.match((await hos.get('/people/A1234BC')).body, /data-qa="visit-measures-panel"[\s\S]*Kerry Doyle/)
    const id = (response.headers.location as string).split('/').at(-1) as string
    assert.deepEqual(await auditActors(t.db, 'searching.visit-measure-imposed', id), ['head-of-security'])
  })

  it('names every field a page form leaves empty or gets wrong', async () => {
    const hos = await t.signIn('head-of-security')
    const empty = await hos.post('/searching/visitors', {}, '/searching/visitors/new')
    assert.equal(empty.statusCode, 400)
    for (const field of ['visitorName', 'prisonerNumber', 'measure', 'reason', 'startsOn', 'reviewOn']) {
      assert.match(empty.body, new RegExp(`href="#${field}`), field)
    }
    const wrong = await hos.post(
      '/searching/visitors',
      {
        visitorName: 'Kerry Doyle',
        ...dateBoxes('visitorDateOfBirth', addDays(today, 1)),
        prisonerNumber: 'A1234BC',
        measure: 'ban',
        reason: 'Package',
        ...dateBoxes('startsOn', today),
        ...dateBoxes('reviewOn', today),
      },
      '/searching/visitors/new',
    )
    assert.equal(wrong.statusCode, 400)
    assert.match(wrong.body, /Date of birth must be in the past/)
  })

  it('refuses bad input in every field of the API with a 400 naming it', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ visitorName: ' ' }, 'visitorName'],
      [{ visitorName: 'x'.repeat(201) }, 'visitorName'],
      [{ visitorDateOfBirth: '1991-02-30' }, 'visitorDateOfBirth'],
      [{ visitorDateOfBirth: addDays(today, 1) }, 'visitorDateOfBirth'],
      [{ prisonerNumber: 'nobody' }, 'prisonerNumber'],
      [{ prisonerNumber: 'D4444DD' }, 'prisonerNumber'],
      [{ prisonerNumber: 'Z9999ZZ' }, 'prisonerNumber'],
      [{ measure: 'curfew' }, 'measure'],
      [{ reason: '' }, 'reason'],
      [{ findRef: 'phone' }, 'findRef'],
      [{ findRef: 'FD-MDI-2026-CCCCCC' }, 'findRef'],
      [{ findRef: 'FD-WWI-2026-K7QX4N' }, 'findRef'],
      [{ startsOn: 'tomorrow' }, 'startsOn'],
      [{ reviewOn: addDays(today, -1) }, 'reviewOn'],
      [{ reviewOn: addDays(addMonths(today, 3), 1) }, 'reviewOn'],
      [{ endsOn: addDays(today, -1) }, 'endsOn'],
    ]
    for (const [change, field] of cases) {
      const response = await as['head-of-security'].post('/api/v1/visitor-measures', measure(change))
      assert.equal(response.statusCode, 400, `${JSON.stringify(change)}: ${response.body}`)
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8')
      assert.ok(
        response.json().errors.some((e: { field: string }) => e.field === field),
        `${JSON.stringify(change)} names ${field}: ${response.body}`,
      )
    }
  })

  it('takes a first review three months after the start, to the day, and a next one three months after a review', async () => {
    const hos = as['head-of-security']
    const id = await created(await hos.post('/api/v1/visitor-measures', measure({ reviewOn: addMonths(today, 3) })))
    const tooLate = await hos.post(`/api/v1/visitor-measures/${id}/reviews`, {
      reviewedOn: today,
      outcome: 'continue',
      nextReviewOn: addDays(addMonths(today, 3), 1),
      notes: 'Still a risk',
    })
    assert.equal(tooLate.statusCode, 400)
    assert.deepEqual(
      tooLate.json().errors.map((e: { field: string }) => e.field),
      ['nextReviewOn'],
    )
    const review = await hos.post(`/api/v1/visitor-measures/${id}/reviews`, {
      reviewedOn: today,
      outcome: 'continue',
      nextReviewOn: addMonths(today, 3),
      notes: 'Still a risk: intelligence says she will try again',
    })
    assert.equal(review.statusCode, 201, review.body)
    const read = (await hos.get(`/api/v1/visitor-measures/${id}`)).json()
    assert.equal(read.reviewOn, addMonths(today, 3))
    assert.equal(read.reviews.length, 1)
    assert.deepEqual(await auditActors(t.db, 'searching.visit-measure-reviewed', id), ['head-of-security'])
  })

  it('refuses bad input in every field of a review', async () => {
    const hos = as['head-of-security']
    const id = await created(await hos.post('/api/v1/visitor-measures', measure()))
    const good = { reviewedOn: today, outcome: 'continue', nextReviewOn: addMonths(today, 1), notes: 'Reviewed' }
    const cases: [Record<string, unknown>, string][] = [
      [{ reviewedOn: '' }, 'reviewedOn'],
      [{ reviewedOn: addDays(today, 1) }, 'reviewedOn'],
      [{ reviewedOn: addDays(today, -1) }, 'reviewedOn'],
      [{ outcome: 'pause' }, 'outcome'],
      [{ nextReviewOn: undefined }, 'nextReviewOn'],
      [{ nextReviewOn: '2026-13-01' }, 'nextReviewOn'],
      [{ nextReviewOn: today }, 'nextReviewOn'],
      [{ notes: ' ' }, 'notes'],
    ]
    for (const [change, field] of cases) {
      const response = await hos.post(`/api/v1/visitor-measures/${id}/reviews`, { ...good, ...change })
      assert.equal(response.statusCode, 400, `${JSON.stringify(change)}: ${response.body}`)
      assert.ok(
        response.json().errors.some((e: { field: string }) => e.field === field),
        response.body,
      )
    }
    const page = await (await t.signIn('head-of-security')).post(
      `/searching/visitors/${id}/reviews`,
      { outcome: 'continue', notes: '' },
      `/searching/visitors/${id}`,
    )
    assert.equal(page.statusCode, 400)
    assert.match(page.body, /Enter the date of the review/)
    assert.match(page.body, /Enter what the review found/)
  })

  it('ends a measure at a review, after which it has nothing to review', async () => {
    const hos = await t.signIn('head-of-security')
    const id = await created(
      await as['head-of-security'].post('/api/v1/visitor-measures', measure({ visitorName: 'Tina Shaw' })),
    )
    const ended = await hos.post(
      `/searching/visitors/${id}/reviews`,
      { ...dateBoxes('reviewedOn', today), outcome: 'end', notes: 'No further risk: the prisoner has moved on' },
      `/searching/visitors/${id}`,
    )
    assert.equal(ended.statusCode, 303, ended.body)
    const read = (await as['head-of-security'].get(`/api/v1/visitor-measures/${id}`)).json()
    assert.equal(read.state, 'ended')
    const again = await as['head-of-security'].post(`/api/v1/visitor-measures/${id}/reviews`, {
      reviewedOn: today,
      outcome: 'end',
      notes: 'Again',
    })
    assert.equal(again.statusCode, 409)
    const live = (await as['head-of-security'].get('/api/v1/visitor-measures')).json()
    assert.ok(!live.results.some((m: { id: string }) => m.id === id))
    const gone = (await as['head-of-security'].get('/api/v1/visitor-measures?state=ended')).json()
    assert.ok(gone.results.some((m: { id: string }) => m.id === id))
  })

  it('puts an overdue review on the home page of the security department, not of other staff', async () => {
    const id = await created(
      await as['head-of-security'].post(
        '/api/v1/visitor-measures',
        measure({ visitorName: 'Owen Late', startsOn: addMonths(today, -2), reviewOn: addDays(today, -1) }),
      ),
    )
    const list = (await as['head-of-security'].get('/api/v1/visitor-measures')).json()
    assert.equal(list.results[0].id, id, 'the overdue review comes first')
    assert.equal(list.results[0].state, 'review-overdue')
    const home = await (await t.signIn('head-of-security')).get('/')
    assert.match(home.body, /Review the visiting ban on Owen Late, visitor of Mohammed Hussain \(A1234BC\)/)
    assert.doesNotMatch((await (await t.signIn('reporter')).get('/')).body, /Owen Late/)
  })

  it('keeps measures to their prison and their writing to the security department', async () => {
    const id = await created(await as['head-of-security'].post('/api/v1/visitor-measures', measure()))
    assert.equal((await as.reporter.get(`/api/v1/visitor-measures/${id}`)).statusCode, 200)
    assert.equal((await as.reporter.post('/api/v1/visitor-measures', measure())).statusCode, 403)
    assert.equal((await (await t.signIn('reporter')).get('/searching/visitors/new')).statusCode, 403)
    const other = as['security-wwi']
    assert.equal((await other.get(`/api/v1/visitor-measures/${id}`)).statusCode, 404)
    const review = { reviewedOn: today, outcome: 'end', notes: 'Not theirs' }
    assert.equal((await other.post(`/api/v1/visitor-measures/${id}/reviews`, review)).statusCode, 404)
    assert.deepEqual(await auditActors(t.db, 'searching.view-denied', id), ['security-wwi', 'security-wwi'])
    assert.equal((await other.get('/api/v1/visitor-measures')).json().total, 0)
    assert.equal((await other.get('/api/v1/visitor-measures?establishment=MDI')).statusCode, 400)
  })
})

describe('permissions for items', () => {
  it('records a permission through the pages, authorised by the signed-in person', async () => {
    const hos = await t.signIn('head-of-security')
    assert.equal((await hos.get('/searching/permissions/new')).statusCode, 200)
    const response = await hos.post(
      '/searching/permissions',
      {
        category: 'tools',
        description: 'Angle grinder for the boiler repair',
        holder: 'Sean Kirby, Heatwise Ltd',
        location: 'Boiler house',
        ...dateBoxes('validFrom', today),
        ...dateBoxes('validUntil', today),
      },
      '/searching/permissions/new',
    )
    assert.equal(response.statusCode, 303, response.body)
    const page = await hos.get(response.headers.location as string)
    assert.match(page.body, /Angle grinder for the boiler repair/)
    assert.match(page.body, /Hannah Hughes/)
    assert.match((await hos.get('/searching/permissions')).body, /Angle grinder/)
    const id = (response.headers.location as string).split('/').at(-1) as string
    assert.deepEqual(await auditActors(t.db, 'searching.item-permission-granted', id), ['head-of-security'])
  })

  it('refuses bad input in every field, on the page and in the API', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ category: 'laptop' }, 'category'],
      [{ description: '' }, 'description'],
      [{ holder: ' ' }, 'holder'],
      [{ location: 'x'.repeat(201) }, 'location'],
      [{ validFrom: '2026-02-30' }, 'validFrom'],
      [{ validUntil: '' }, 'validUntil'],
      [{ validUntil: addDays(today, -11) }, 'validUntil'],
      [{ validFrom: addDays(today, -30), validUntil: addDays(today, -1) }, 'validUntil'],
      [{ establishmentCode: 'WWI' }, 'establishmentCode'],
      [{ establishmentCode: 'nope' }, 'establishmentCode'],
    ]
    for (const [change, field] of cases) {
      const response = await as['head-of-security'].post('/api/v1/item-permissions', permission(change))
      assert.equal(response.statusCode, 400, `${JSON.stringify(change)}: ${response.body}`)
      assert.ok(
        response.json().errors.some((e: { field: string }) => e.field === field),
        response.body,
      )
    }
    const page = await (await t.signIn('head-of-security')).post('/searching/permissions', {}, '/searching/permissions')
    assert.equal(page.statusCode, 400)
    for (const field of ['category', 'description', 'holder', 'validFrom', 'validUntil']) {
      assert.match(page.body, new RegExp(`href="#${field}`), field)
    }
  })

  it('covers a find of its kind, in its place, while it stands, and shows it', async () => {
    const hos = as['head-of-security']
    const id = await created(await hos.post('/api/v1/item-permissions', permission()))
    const anywhere = await created(
      await hos.post('/api/v1/item-permissions', permission({ category: 'charger', location: undefined })),
    )
    const yesterday = new Date(Date.now() - 86_400_000)
    await findAt('FD-MDI-2026-CDFGH3', 'mobile-phone', 'works department', yesterday)
    await findAt('FD-MDI-2026-CDFGH4', 'mobile-phone', 'A wing', yesterday)
    await findAt('FD-MDI-2026-CDFGH6', 'sim-card', 'Works department', yesterday)
    await findAt('FD-MDI-2026-CDFGH7', 'mobile-phone', 'Works department', new Date(Date.now() - 30 * 86_400_000))
    await findAt('FD-MDI-2026-CDFGH9', 'charger', 'B-2-014', yesterday)

    const read = (await hos.get(`/api/v1/item-permissions/${id}`)).json()
    assert.deepEqual(
      read.covers.map((f: { ref: string }) => f.ref),
      ['FD-MDI-2026-CDFGH3'],
    )
    const page = await (await t.signIn('reporter')).get(`/searching/permissions/${id}`)
    assert.match(page.body, /FD-MDI-2026-CDFGH3/)
    assert.doesNotMatch(page.body, /FD-MDI-2026-CDFGH4/)

    const find = { establishmentCode: 'MDI', location: 'Works department', foundAt: yesterday }
    assert.deepEqual(
      (await coveringPermissions(t.db, { ...find, category: 'mobile-phone' })).map(p => p.id),
      [id],
    )
    assert.deepEqual(await coveringPermissions(t.db, { ...find, category: 'sim-card' }), [])
    assert.deepEqual(await coveringPermissions(t.db, { ...find, category: 'mobile-phone', location: 'A wing' }), [])
    assert.deepEqual(
      (await coveringPermissions(t.db, { ...find, category: 'charger', location: 'B-2-014' })).map(p => p.id),
      [anywhere],
    )
    assert.deepEqual(
      await coveringPermissions(t.db, { ...find, category: 'mobile-phone', establishmentCode: 'WWI' }),
      [],
    )
  })

  it('is revoked with a reason, once, and covers nothing found after', async () => {
    const hos = as['head-of-security']
    const id = await created(await hos.post('/api/v1/item-permissions', permission({ location: 'Kitchen' })))
    const noReason = await hos.post(`/api/v1/item-permissions/${id}/revocation`, { reason: '' })
    assert.equal(noReason.statusCode, 400)
    assert.equal(noReason.json().errors[0].field, 'reason')
    const revoked = await (await t.signIn('head-of-security')).post(
      `/searching/permissions/${id}/revocation`,
      { reason: 'The contract ended early' },
      `/searching/permissions/${id}`,
    )
    assert.equal(revoked.statusCode, 303, revoked.body)
    assert.equal((await hos.get(`/api/v1/item-permissions/${id}`)).json().state, 'revoked')
    assert.equal((await hos.post(`/api/v1/item-permissions/${id}/revocation`, { reason: 'Again' })).statusCode, 409)
    const later = { establishmentCode: 'MDI', category: 'mobile-phone', location: 'Kitchen', foundAt: new Date() }
    assert.deepEqual(await coveringPermissions(t.db, later), [])
    const listed = (await hos.get('/api/v1/item-permissions?state=revoked')).json()
    assert.ok(listed.results.some((p: { id: string }) => p.id === id))
    assert.deepEqual(await auditActors(t.db, 'searching.item-permission-revoked', id), ['head-of-security'])
  })

  it('keeps permissions to their prison and their giving to the security department', async () => {
    const id = await created(await as['head-of-security'].post('/api/v1/item-permissions', permission()))
    assert.equal((await as.reporter.get('/api/v1/item-permissions')).statusCode, 200)
    assert.equal((await as.reporter.post('/api/v1/item-permissions', permission())).statusCode, 403)
    assert.equal((await as.reporter.post(`/api/v1/item-permissions/${id}/revocation`, { reason: 'x' })).statusCode, 403)
    assert.equal((await as['security-wwi'].get(`/api/v1/item-permissions/${id}`)).statusCode, 404)
    const revoke = await as['security-wwi'].post(`/api/v1/item-permissions/${id}/revocation`, { reason: 'Not ours' })
    assert.equal(revoke.statusCode, 404)
    assert.equal((await as['security-wwi'].get('/api/v1/item-permissions')).json().total, 0)
    assert.equal((await as.reporter.get('/api/v1/item-permissions?state=lost')).statusCode, 400)
  })
})
