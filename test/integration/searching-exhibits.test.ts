import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { inflateSync } from 'node:zlib'
import { insertFindForDemoExhibits } from '../../src/modules/searching/repository.ts'
import { type TestApp, testApp } from '../support/app.ts'

// Exhibits and their chain of custody (output 12) through the API and the pages: the chain's gaps shown and not
// refused, re-sealing witnessed, hand-overs to the police complete, disposal refused to the custodian and under a police
// hold; bad input named field by field, another prison's exhibit not found, and no change without searching:manage.

let t: TestApp
type Client = ReturnType<TestApp['api']>
const as: Record<string, Client> = {}
const finds: Record<string, string> = {}
const HOUR = 3_600_000

const fields = (response: { json(): { errors?: { field: string }[] } }) =>
  (response.json().errors ?? []).map(error => error.field)

async function find(key: string, establishmentCode = 'MDI', foundBy = 'reporter') {
  const foundAt = new Date(Date.now() - 48 * HOUR)
  const { ref } = await insertFindForDemoExhibits(t.db, {
    ref: `FD-${establishmentCode}-2026-${key}`,
    establishmentCode,
    category: 'mobile-phone',
    description: 'Black handset in a sock',
    foundAt,
    location: 'B-2-014',
    wing: 'B',
    how: 'search',
    searchId: null,
    foundBy,
    recordedBy: foundBy,
    recordedAt: foundAt,
  })
  finds[key] = ref
  return ref
}

async function exhibit(key: string, client = as.analyst) {
  const response = await client.post('/api/v1/exhibits', {
    findRef: await find(key),
    sealNumber: `S-${key}`,
    storedAt: 'Security evidence store, locker 4',
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json().ref as string
}

const move = (ref: string, body: Record<string, unknown>, client = as.analyst) =>
  client.post(`/api/v1/exhibits/${ref}/custody-events`, {
    location: 'Security office',
    reason: 'Booked in',
    sealIntact: true,
    ...body,
  })

const read = async (ref: string, client = as.analyst) => {
  const response = await client.get(`/api/v1/exhibits/${ref}`)
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

const audited = (action: string, subjectId: string) =>
  t.db
    .selectFrom('auditEvent')
    .select(['actorUsername', 'establishmentCode'])
    .where('action', '=', action)
    .where('subjectId', '=', subjectId)
    .execute()

/** The text a PDF shows: pdfkit compresses each page's content and writes the text as hex strings. */
function pdfText(pdf: Buffer) {
  const raw = pdf.toString('latin1')
  let text = ''
  // Each stream is read by the length its dictionary gives: compressed bytes may end in a carriage return, which a
  // pattern looking for the line before `endstream` would cut off.
  for (const match of raw.matchAll(/\/Length (\d+)[^>]*>>\s*stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length
    const data = Buffer.from(raw.slice(start, start + Number(match[1])), 'latin1')
    const content = (() => {
      try {
        return inflateSync(data).toString('latin1')
      } catch {
        return ''
      }
    })()
    for (const line of content.matchAll(/\[(.*?)\] TJ/g)) {
      text += `${[...line[1].matchAll(/<([0-9a-f]+)>/g)].map(hex => Buffer.from(hex[1], 'hex').toString('latin1')).join('')}\n`
    }
  }
  return text
}

before(async () => {
  t = await testApp()
  for (const username of ['analyst', 'head-of-security', 'reporter', 'auditor', 'reporter-lei', 'pgd'])
    as[username] = t.api(await t.token(username))
})
after(() => t.close())

describe('making an exhibit from a find', () => {
  it('draws a reference, starts custody with the officer who found it, and audits it', async () => {
    const ref = await exhibit('K7QX4M')
    assert.match(ref, /^EX-MDI-\d{4}-[34679CDFGHJKMNPQRTWXY]{6}$/)
    const view = await read(ref)
    assert.equal(view.state, 'with-officer')
    assert.deepEqual(view.custodian, { kind: 'person', name: 'Rachel Reporter' })
    assert.equal(view.seizedBy, 'Rachel Reporter')
    assert.equal(view.findRef, finds.K7QX4M)
    assert.deepEqual(view.chain, [])
    assert.deepEqual(view.gaps, [])
    assert.deepEqual(await audited('searching.exhibit-created', ref), [
      { actorUsername: 'analyst', establishmentCode: 'MDI' },
    ])
  })

  it('names each wrong field', async () => {
    const findRef = await find('M3NP4Q')
    const post = (body: Record<string, unknown>) => as.analyst.post('/api/v1/exhibits', body)
    assert.deepEqual(fields(await post({})), ['findRef', 'sealNumber', 'storedAt'])
    const good = { findRef, sealNumber: 'S1', storedAt: 'Store' }
    assert.deepEqual(fields(await post({ ...good, findRef: 'not a reference' })), ['findRef'])
    assert.deepEqual(fields(await post({ ...good, findRef: 'FD-MDI-2026-XXXXXX' })), ['findRef'], 'no such find')
    assert.deepEqual(fields(await post({ ...good, sealNumber: '<seal>' })), ['sealNumber'])
    assert.deepEqual(fields(await post({ ...good, storedAt: 'x'.repeat(201) })), ['storedAt'])
    assert.deepEqual(fields(await post({ ...good, seizedBy: 'reporter-lei' })), ['seizedBy'], 'staff of another prison')
    const tomorrow = new Date(Date.now() + 24 * HOUR).toISOString()
    assert.deepEqual(fields(await post({ ...good, seizedAt: tomorrow })), ['seizedAt'])
    assert.deepEqual(fields(await post({ ...good, seizedAt: '23/11/2026' })), ['seizedAt'])
  })

  it('needs searching:manage, and a find of a prison the user acts in', async () => {
    const findRef = await find('P4QR7T')
    const body = { findRef, sealNumber: 'S2', storedAt: 'Store' }
    assert.equal((await as.reporter.post('/api/v1/exhibits', body)).statusCode, 403)
    const elsewhere = await find('W9XY3C', 'LEI', 'reporter-lei')
    const refused = await as.analyst.post('/api/v1/exhibits', { ...body, findRef: elsewhere })
    assert.equal(refused.statusCode, 400)
    assert.deepEqual(fields(refused), ['findRef'])
  })
})

describe('the chain of custody', () => {
  it('records a movement that breaks the chain, and shows the gap where it falls', async () => {
    const ref = await exhibit('G4P7HC')
    const broken = await move(ref, { from: 'head-of-security', to: 'evidence-store' })
    assert.equal(broken.statusCode, 201, broken.body)
    const view = await read(ref)
    assert.equal(view.state, 'in-store')
    assert.equal(view.gaps.length, 1)
    assert.equal(view.gaps[0].afterEvent, null)
    assert.match(view.gaps[0].text, /Hannah Hughes passed it on, but the record shows Rachel Reporter held it/)
    const withGaps = (await as.analyst.get('/api/v1/exhibits?gaps=true'))
      .json()
      .results.map((x: { ref: string }) => x.ref)
    assert.ok(withGaps.includes(ref))
    const inStore = (await as.analyst.get('/api/v1/exhibits?state=in-store')).json().results
    assert.ok(inStore.every((x: { state: string }) => x.state === 'in-store'))
    assert.deepEqual(fields(await as.analyst.get('/api/v1/exhibits?state=lost')), ['state'])
  })

  it('refuses a re-seal without a witness, or witnessed by the person re-sealing, and records it witnessed', async () => {
    const ref = await exhibit('R3CH9K')
    const reseal = { kind: 'reseal', to: 'reporter', sealIntact: false, sealNumber: 'S-NEW' }
    const unwitnessed = await move(ref, reseal)
    assert.equal(unwitnessed.statusCode, 400)
    assert.match(String(unwitnessed.headers['content-type']), /application\/problem\+json/)
    assert.deepEqual(fields(unwitnessed), ['witness'])
    assert.deepEqual(fields(await move(ref, { ...reseal, witness: 'analyst' })), ['witness'])
    assert.deepEqual(fields(await move(ref, { ...reseal, sealNumber: undefined, witness: 'governor' })), ['sealNumber'])
    assert.deepEqual(fields(await move(ref, { ...reseal, witness: 'nobody-here' })), ['witness'])
    assert.equal((await move(ref, { ...reseal, witness: 'head-of-security' })).statusCode, 201)
    const view = await read(ref)
    assert.equal(view.currentSeal, 'S-NEW')
    assert.equal(view.chain[0].witness, 'Hannah Hughes')
    assert.deepEqual(view.gaps, [])
  })

  it('asks a hand-over to the police for the officer, the force and the crime reference', async () => {
    const ref = await exhibit('H7ND4W')
    assert.deepEqual(fields(await move(ref, { kind: 'police-handover', to: 'police' })), [
      'officer',
      'force',
      'crimeReference',
    ])
    assert.deepEqual(fields(await move(ref, { to: 'police' })), ['kind'], 'only a hand-over goes to the police')
    const police = { officer: 'DC Sarah Patel', force: 'West Yorkshire Police', crimeReference: '13/45678/26' }
    assert.equal((await move(ref, { kind: 'police-handover', to: 'police', ...police })).statusCode, 201)
    const view = await read(ref)
    assert.equal(view.state, 'with-police')
    assert.deepEqual(view.chain[0].police, police)
    assert.deepEqual(view.custodian, { kind: 'police', name: 'DC Sarah Patel, West Yorkshire Police' })
    const back = await move(ref, { kind: 'police-return', to: 'evidence-store' })
    assert.equal(back.statusCode, 201, back.body)
    const returned = await read(ref)
    assert.equal(returned.state, 'in-store')
    assert.deepEqual(returned.gaps, [])
  })

  it('names each wrong field of a movement', async () => {
    const ref = await exhibit('F4JK9M')
    assert.deepEqual(fields(await as.analyst.post(`/api/v1/exhibits/${ref}/custody-events`, {})), [
      'location',
      'reason',
      'to',
      'sealIntact',
    ])
    assert.deepEqual(fields(await move(ref, { to: 'evidence-store', kind: 'lost' })), ['kind'])
    assert.deepEqual(fields(await move(ref, { to: 'evidence-store', sealIntact: 'perhaps' })), ['sealIntact'])
    assert.deepEqual(fields(await move(ref, { to: 'reporter-lei' })), ['to'])
    assert.deepEqual(fields(await move(ref, { to: 'evidence-store', from: 'nobody' })), ['from'])
    const tomorrow = new Date(Date.now() + 24 * HOUR).toISOString()
    assert.deepEqual(fields(await move(ref, { to: 'evidence-store', at: tomorrow })), ['at'])
    assert.equal((await move(ref, { to: 'evidence-store' }, as.reporter)).statusCode, 403)
    assert.equal((await move('EX-MDI-2026-XXXXXX', { to: 'evidence-store' })).statusCode, 404)
  })
})

describe('police holds and disposal', () => {
  it('refuses disposal by the custodian and under a police hold, in words, and disposes once', async () => {
    const ref = await exhibit('D9GP7Q')
    assert.equal((await move(ref, { to: 'analyst' })).statusCode, 201)
    const dispose = (body: Record<string, unknown>, client = as.analyst) =>
      client.post(`/api/v1/exhibits/${ref}/disposal`, body)
    assert.deepEqual(fields(await dispose({})), ['method', 'witness'])
    const byCustodian = await dispose({ method: 'destroyed', witness: 'governor' })
    assert.equal(byCustodian.statusCode, 409)
    assert.match(String(byCustodian.headers['content-type']), /application\/problem\+json/)
    assert.match(byCustodian.json().detail, /someone other than its custodian/)

    const hold = {
      officer: 'DC Sarah Patel',
      force: 'West Yorkshire Police',
      crimeReference: '13/1/26',
      reason: 'Trial',
    }
    assert.deepEqual(fields(await as.analyst.post(`/api/v1/exhibits/${ref}/police-hold`, {})), [
      'officer',
      'force',
      'crimeReference',
      'reason',
    ])
    assert.equal((await as.analyst.post(`/api/v1/exhibits/${ref}/police-hold`, hold)).statusCode, 201)
    assert.equal((await as.analyst.post(`/api/v1/exhibits/${ref}/police-hold`, hold)).statusCode, 409, 'one at a time')
    const underHold = await dispose({ method: 'destroyed', witness: 'governor' }, as['head-of-security'])
    assert.equal(underHold.statusCode, 409)
    assert.match(underHold.json().detail, /hold/)
    assert.equal((await as.analyst.post(`/api/v1/exhibits/${ref}/police-hold/lift`, {})).statusCode, 200)
    assert.equal((await as.analyst.post(`/api/v1/exhibits/${ref}/police-hold/lift`, {})).statusCode, 409)

    const disposed = await dispose({ method: 'destroyed', witness: 'governor' }, as['head-of-security'])
    assert.equal(disposed.statusCode, 201, disposed.body)
    const view = await read(ref)
    assert.equal(view.state, 'disposed')
    assert.equal(view.disposal.witness, 'Gareth Gordon')
    assert.equal((await move(ref, { to: 'evidence-store' })).statusCode, 409, 'the chain is closed')
    assert.equal((await audited('searching.exhibit-disposed', ref)).length, 1)
    assert.equal((await audited('searching.police-hold-lifted', ref)).length, 1)
  })
})

describe('scope', () => {
  it('answers another prison’s user not found, audits the look, and lets a group reader see it', async () => {
    const ref = await exhibit('C6KW3N')
    assert.equal((await as['reporter-lei'].get(`/api/v1/exhibits/${ref}`)).statusCode, 404)
    assert.equal((await audited('searching.view-denied', ref)).length, 1)
    assert.equal((await as.pgd.get(`/api/v1/exhibits/${ref}`)).statusCode, 200)
    assert.equal((await as.auditor.get(`/api/v1/exhibits/${ref}`)).statusCode, 200)
    const lei = (await as['reporter-lei'].get('/api/v1/exhibits')).json()
    assert.equal(lei.establishment, 'LEI')
    assert.ok(!lei.results.some((x: { ref: string }) => x.ref === ref))
    assert.equal((await as['reporter-lei'].get('/api/v1/exhibits?establishment=MDI')).statusCode, 404)
  })
})

describe('the pages', () => {
  it('lists exhibits by state, marks the chains with gaps, and counts them on the hub', async () => {
    const ref = await exhibit('T3GW7K')
    await move(ref, { from: 'governor', to: 'evidence-store' })
    const analyst = await t.signIn('analyst')
    const list = await analyst.get('/searching/exhibits?gaps=true')
    assert.equal(list.statusCode, 200)
    assert.match(list.body, new RegExp(`href="/searching/exhibits/${ref}"`))
    assert.match(list.body, /1 gap/)
    const hub = await analyst.get('/searching')
    assert.match(hub.body, /data-qa="hub-exhibits"/)
    assert.match(hub.body, /exhibits? with gaps in the chain/)
    const page = await analyst.get(`/searching/exhibits/${ref}`)
    assert.equal(page.statusCode, 200)
    assert.match(
      page.body,
      /Gap in the chain: Gareth Gordon passed it on, but the record shows Rachel Reporter held it/,
    )
    assert.match(page.body, /data-qa="record-movement"/)
    const reader = await (await t.signIn('auditor')).get(`/searching/exhibits/${ref}`)
    assert.equal(reader.statusCode, 200)
    assert.doesNotMatch(reader.body, /data-qa="record-movement"/, 'a reader is offered no action')
    assert.equal((await (await t.signIn('reporter-lei')).get(`/searching/exhibits/${ref}`)).statusCode, 404)
  })

  it('makes an exhibit from the form, naming each wrong field', async () => {
    const findRef = await find('N7XM4J')
    const analyst = await t.signIn('analyst')
    const form = await analyst.get(`/searching/exhibits/new?findRef=${findRef}`)
    assert.equal(form.statusCode, 200)
    assert.match(form.body, /<option value="reporter" selected>Rachel Reporter<\/option>/, 'seized by the finder')
    const bad = await analyst.post(
      '/searching/exhibits/new',
      {
        findRef,
        sealNumber: '',
        storedAt: 'Store',
        seizedBy: 'reporter',
        'seizedDate-day': '31',
        'seizedDate-month': '2',
        'seizedDate-year': '2026',
        seizedTime: '25:00',
      },
      '/searching/exhibits/new',
    )
    assert.equal(bad.statusCode, 400)
    for (const href of ['#sealNumber', '#seizedDate-day', '#seizedTime'])
      assert.match(bad.body, new RegExp(`href="${href}"`))
    const made = await analyst.post(
      '/searching/exhibits/new',
      {
        findRef,
        sealNumber: 'M0040001',
        storedAt: 'Store',
        seizedBy: 'reporter',
        'seizedDate-day': '1',
        'seizedDate-month': '1',
        'seizedDate-year': '2026',
        seizedTime: '09:30',
      },
      '/searching/exhibits/new',
    )
    assert.equal(made.statusCode, 303, made.body)
    assert.match(String(made.headers.location), /^\/searching\/exhibits\/EX-MDI-/)
    assert.equal((await (await t.signIn('reporter')).get('/searching/exhibits/new')).statusCode, 403)
  })

  it('records a movement from the form and shows a refused disposal in words', async () => {
    const ref = await exhibit('Y4RC9D')
    const analyst = await t.signIn('analyst')
    const url = `/searching/exhibits/${ref}/custody-events/new`
    const form = await analyst.get(url)
    assert.match(form.body, /<option value="reporter" selected>Rachel Reporter<\/option>/, 'from the custodian')
    const empty = await analyst.post(
      url,
      { from: 'reporter', 'eventDate-day': '', 'eventDate-month': '', 'eventDate-year': '', eventTime: '' },
      url,
    )
    assert.equal(empty.statusCode, 400)
    for (const href of ['#kind', '#eventDate-day', '#eventTime', '#location', '#reason', '#sealIntact']) {
      assert.match(empty.body, new RegExp(`href="${href}"`), href)
    }
    const moved = await analyst.post(
      url,
      {
        kind: 'transfer',
        from: 'reporter',
        to: 'analyst',
        'eventDate-day': '2',
        'eventDate-month': '1',
        'eventDate-year': '2026',
        eventTime: '10:00',
        location: 'Security office',
        reason: 'For examination',
        sealIntact: 'yes',
      },
      url,
    )
    assert.equal(moved.statusCode, 303, moved.body)
    const disposal = `/searching/exhibits/${ref}/disposal`
    const refused = await analyst.post(disposal, { method: 'destroyed', witness: 'governor' }, disposal)
    assert.equal(refused.statusCode, 409)
    assert.match(refused.body, /You hold this exhibit: someone other than its custodian must dispose of it/)
    const reseal = await analyst.post(
      url,
      {
        kind: 'reseal',
        from: 'analyst',
        sealNumber: '',
        'eventDate-day': '2',
        'eventDate-month': '1',
        'eventDate-year': '2026',
        eventTime: '11:00',
        location: 'Security office',
        reason: 'Bag split',
        sealIntact: 'no',
      },
      url,
    )
    assert.equal(reseal.statusCode, 400)
    assert.match(reseal.body, /href="#sealNumber"/)
  })

  it('prints the label and the continuity sheet as PDFs that name the exhibit', async () => {
    const ref = await exhibit('Q9MT4H')
    await move(ref, { to: 'evidence-store', from: 'reporter' })
    const session = await t.signIn('auditor')
    for (const sheet of ['label', 'continuity']) {
      const pdf = await session.get(`/searching/exhibits/${ref}/${sheet}.pdf`)
      assert.equal(pdf.statusCode, 200)
      assert.equal(pdf.headers['content-type'], 'application/pdf')
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
      const text = pdfText(pdf.rawPayload)
      assert.match(text, new RegExp(ref), `${sheet} names the exhibit`)
      assert.match(text, /S-Q9MT4H/, `${sheet} gives the seal`)
    }
    const continuity = pdfText((await session.get(`/searching/exhibits/${ref}/continuity.pdf`)).rawPayload)
    assert.match(continuity, /Received by: name/)
  })
})
