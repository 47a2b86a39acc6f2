import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, before, describe, it } from 'node:test'
import { testDatabase } from '../../../test/support/database.ts'
import { type DemoPrisoner, demoPrisoners, seedDemoPeople } from '../../demo/people.ts'
import { DEMO_ESTABLISHMENTS } from '../../demo/users.ts'
import type { Actor } from '../../platform/audit/audit.ts'
import type { DatabaseHandle, Db } from '../../platform/db/database.ts'
import { importPrisoners, parsePrisonerFile } from './imports.ts'
import { insertAlert } from './repository.ts'
import { ageOn, isCategoryA, normalisePnc, PRISON_NUMBER } from './rules.ts'
import { prisonerSearchRecord } from './schema.ts'

const FIXTURE = readFileSync(new URL('../../../test/fixtures/prisoner-search.json', import.meta.url), 'utf8')
const ACTOR: Actor = { userId: null, username: 'cli', establishmentCode: null, correlationId: null }
const NOW = new Date('2026-11-23T10:00:00Z')
const TODAY = '2026-11-23'

type FixtureRecord = { prisonerNumber: string; prisonId: string; alerts?: { alertCode: string }[] }

function fixtureRecords(): FixtureRecord[] {
  const parsed = parsePrisonerFile(FIXTURE)
  assert.ok('records' in parsed, 'the fixture is a valid file')
  return parsed.records as FixtureRecord[]
}

/** The fixture with one prisoner's record changed. */
function changed(records: FixtureRecord[], prisonerNumber: string, change: (record: FixtureRecord) => FixtureRecord) {
  return records.map(record => (record.prisonerNumber === prisonerNumber ? change(structuredClone(record)) : record))
}

async function countRows(db: Db, table: 'peopleAlertVersion' | 'peopleTransfer' | 'peopleAlert' | 'peopleAlias') {
  const row = await db
    .selectFrom(table)
    .select(eb => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

async function nominal(db: Db, prisonNumber: string) {
  return db.selectFrom('peopleNominal').selectAll().where('prisonNumber', '=', prisonNumber).executeTakeFirstOrThrow()
}

/** A prisoner's flags with their versions, oldest first. */
async function flagsOf(db: Db, prisonNumber: string) {
  return db
    .selectFrom('peopleAlert as a')
    .innerJoin('peopleNominal as n', 'n.id', 'a.nominalId')
    .innerJoin('peopleAlertVersion as v', 'v.alertId', 'a.id')
    .select(['a.id', 'a.alertCode', 'a.source', 'v.version', 'v.change', 'v.activeFrom', 'v.activeTo', 'v.comment'])
    .where('n.prisonNumber', '=', prisonNumber)
    .orderBy('a.alertCode')
    .orderBy('v.version')
    .execute()
}

describe('parsePrisonerFile', () => {
  it('reads a JSON array of prisoners', () => {
    assert.deepEqual(parsePrisonerFile('[{"prisonerNumber":"A1234BC"}]'), { records: [{ prisonerNumber: 'A1234BC' }] })
  })

  it('reads a Prisoner Search page, { content: [...] }', () => {
    const page = JSON.stringify({ content: [{ prisonerNumber: 'A1234BC' }], totalElements: 1, last: true })
    assert.deepEqual(parsePrisonerFile(page), { records: [{ prisonerNumber: 'A1234BC' }] })
  })

  it('refuses text that is not JSON, saying so', () => {
    const result = parsePrisonerFile('{"content": [')
    assert.ok('error' in result)
    assert.match(result.error, /^The file is not valid JSON: /)
  })

  it('refuses JSON that holds no list of prisoners', () => {
    for (const text of ['{"prisoners": []}', '42', 'null']) {
      const result = parsePrisonerFile(text)
      assert.ok('error' in result, text)
      assert.match(result.error, /a JSON array of prisoners, or an object with a "content" array/)
    }
  })
})

describe('importPrisoners', () => {
  let database: DatabaseHandle
  let db: Db
  let records: FixtureRecord[]
  const run = (file: FixtureRecord[]) =>
    importPrisoners(db, ACTOR, { fileName: 'prisoner-search.json', records: file }, { now: NOW })

  before(async () => {
    database = await testDatabase()
    db = database.db
    records = fixtureRecords()
  })
  after(() => database.close())

  it('creates the valid records and rejects the malformed ones, by record number and field', async () => {
    const summary = await run(records)
    assert.equal(summary.records, 10)
    assert.equal(summary.imported, 8)
    assert.equal(summary.created, 8)
    assert.equal(summary.updated, 0)
    assert.equal(summary.unchanged, 0)
    assert.equal(summary.transferred, 0)
    assert.equal(summary.rejected, 2)
    assert.deepEqual(
      summary.rejections.map(r => [r.record, r.prisonerNumber]),
      [
        [4, '12345'],
        [7, 'G2208PT'],
      ],
    )
    assert.equal(summary.rejections[0].reasons.length, 1)
    assert.match(summary.rejections[0].reasons[0], /^prisonerNumber: Enter a prison number in the correct format/)
    assert.deepEqual(summary.rejections[1].reasons, ['dateOfBirth: is in the future'])
    assert.deepEqual(summary.unknownAlertCodes, ['XYZZY'])

    const prisoners = await db.selectFrom('peopleNominal').select(['prisonNumber', 'kind', 'source']).execute()
    assert.equal(prisoners.length, 8)
    assert.ok(prisoners.every(p => p.kind === 'prisoner' && p.source === 'import'))
    assert.ok(!prisoners.some(p => p.prisonNumber === 'G2208PT'))

    const kevin = await nominal(db, 'A7201DZ')
    assert.equal(kevin.ref, 'A7201DZ')
    assert.equal(kevin.establishmentCode, 'MDI')
    assert.equal(kevin.middleNames, 'ARTHUR')
    assert.equal(kevin.pncNumber, '1995/0318224Q')
    assert.equal(kevin.croNumber, '318224/95L')
    assert.equal(kevin.bookingId, '1183406')
    assert.equal(kevin.cellLocation, 'C-3-021')
    assert.equal(kevin.securityCategory, 'C')
    assert.equal(kevin.incentiveLevel, 'Standard')
    assert.equal(kevin.releaseDate, '2027-09-13')
    assert.equal(kevin.inCustody, true)
    const aliases = await db.selectFrom('peopleAlias').selectAll().where('nominalId', '=', kevin.id).execute()
    assert.deepEqual(
      aliases.map(a => [a.firstName, a.lastName, a.dateOfBirth]),
      [['KEV', 'BRADSHAW', '1979-06-02']],
    )
    const characteristics = await db
      .selectFrom('peopleProtectedCharacteristics')
      .selectAll()
      .where('nominalId', '=', kevin.id)
      .executeTakeFirstOrThrow()
    assert.equal(characteristics.sex, 'Male')
    assert.equal(characteristics.religion, 'Church of England')
    assert.equal(characteristics.nationality, 'British')

    // Only active flags are created; an unknown code is reported, never created.
    const kevinFlags = await flagsOf(db, 'A7201DZ')
    assert.deepEqual(
      kevinFlags.map(f => [f.alertCode, f.source, f.change, f.activeFrom, f.activeTo]),
      [['XEL', 'import', 'created', TODAY, null]],
    )
    assert.deepEqual(
      (await flagsOf(db, 'G1188HN')).map(f => f.alertCode),
      ['XER'],
    )
    assert.deepEqual(
      (await flagsOf(db, 'A6619DA')).map(f => f.alertCode),
      ['DOCGM', 'XCO'],
    )

    const remanded = await nominal(db, 'G5412WB')
    assert.equal(remanded.securityCategory, 'U')
    assert.equal(remanded.releaseDate, null)

    const transfers = await db.selectFrom('peopleTransfer').selectAll().execute()
    assert.equal(transfers.length, 8)
    assert.ok(transfers.every(t => t.fromEstablishment === null && t.source === 'import'))

    const importRun = await db
      .selectFrom('peopleImportRun')
      .selectAll()
      .where('id', '=', summary.runId)
      .executeTakeFirstOrThrow()
    assert.ok(importRun.finishedAt)
    assert.equal(importRun.startedBy, 'cli')
    assert.equal(importRun.created, 8)
    assert.equal(importRun.rejected, 2)
    assert.deepEqual(
      importRun.rejections.map(r => r.record),
      [4, 7],
    )
  })

  it('changes nothing when the same file is imported again', async () => {
    const before = {
      versions: await countRows(db, 'peopleAlertVersion'),
      transfers: await countRows(db, 'peopleTransfer'),
      alerts: await countRows(db, 'peopleAlert'),
      aliases: await countRows(db, 'peopleAlias'),
      audit: (await db.selectFrom('auditEvent').select('id').where('action', '=', 'people.imported').execute()).length,
    }
    const nominalsBefore = await db.selectFrom('peopleNominal').select(['id', 'updatedAt']).orderBy('id').execute()

    const summary = await run(records)
    assert.equal(summary.created, 0)
    assert.equal(summary.updated, 0)
    assert.equal(summary.unchanged, 8)
    assert.equal(summary.transferred, 0)
    assert.equal(summary.rejected, 2)

    assert.deepEqual(
      {
        versions: await countRows(db, 'peopleAlertVersion'),
        transfers: await countRows(db, 'peopleTransfer'),
        alerts: await countRows(db, 'peopleAlert'),
        aliases: await countRows(db, 'peopleAlias'),
        audit: (await db.selectFrom('auditEvent').select('id').where('action', '=', 'people.imported').execute())
          .length,
      },
      before,
    )
    assert.deepEqual(
      await db.selectFrom('peopleNominal').select(['id', 'updatedAt']).orderBy('id').execute(),
      nominalsBefore,
    )
  })

  it('moves a prisoner whose prisonId changed as one transfer', async () => {
    records = changed(records, 'G3917UX', record => ({ ...record, prisonId: 'LEI', cellLocation: 'A-2-001' }))
    const summary = await run(records)
    assert.equal(summary.transferred, 1)
    assert.equal(summary.updated, 1)
    assert.equal(summary.unchanged, 7)
    assert.equal(summary.created, 0)

    const ionut = await nominal(db, 'G3917UX')
    assert.equal(ionut.establishmentCode, 'LEI')
    assert.equal(ionut.cellLocation, 'A-2-001')
    const transfers = await db
      .selectFrom('peopleTransfer')
      .select(['fromEstablishment', 'toEstablishment', 'source'])
      .where('nominalId', '=', ionut.id)
      .orderBy('id')
      .execute()
    assert.deepEqual(transfers, [
      { fromEstablishment: null, toEstablishment: 'MDI', source: 'import' },
      { fromEstablishment: 'MDI', toEstablishment: 'LEI', source: 'import' },
    ])

    const again = await run(records)
    assert.equal(again.transferred, 0)
    assert.equal(again.unchanged, 8)
  })

  it('closes an imported flag no longer in the file and leaves a flag set by hand alone', async () => {
    const kevin = await nominal(db, 'A7201DZ')
    await insertAlert(db, {
      nominalId: kevin.id,
      alertCode: 'XA',
      source: 'manual',
      description: 'Set fire to his cell',
      authorisedBy: 'Hannah Hughes',
      activeFrom: TODAY,
      activeTo: null,
      changedBy: 'head-of-security',
      now: NOW,
    })
    records = changed(records, 'A7201DZ', record => ({
      ...record,
      alerts: (record.alerts ?? []).filter(alert => alert.alertCode !== 'XEL'),
    }))

    const summary = await run(records)
    assert.equal(summary.updated, 1)
    assert.equal(summary.unchanged, 7)

    const flags = await flagsOf(db, 'A7201DZ')
    assert.deepEqual(
      flags.map(f => [f.alertCode, f.source, f.version, f.change, f.activeFrom, f.activeTo]),
      [
        ['XA', 'manual', 1, 'created', TODAY, null],
        ['XEL', 'import', 1, 'created', TODAY, null],
        ['XEL', 'import', 2, 'closed', TODAY, TODAY],
      ],
    )
    assert.equal(flags[2].comment, 'No longer active in NOMIS')

    const versions = await countRows(db, 'peopleAlertVersion')
    const again = await run(records)
    assert.equal(again.unchanged, 8)
    assert.equal(await countRows(db, 'peopleAlertVersion'), versions, 'a closed flag is not closed again')
  })

  it('marks a prisoner released (prisonId OUT) as out of custody and keeps the establishment', async () => {
    const farah = await nominal(db, 'A9034KL')
    const transfers = await countRows(db, 'peopleTransfer')
    records = changed(records, 'A9034KL', record => ({ ...record, prisonId: 'OUT' }))

    const summary = await run(records)
    assert.equal(summary.updated, 1)
    assert.equal(summary.transferred, 0)
    const released = await nominal(db, 'A9034KL')
    assert.equal(released.inCustody, false)
    assert.equal(released.establishmentCode, 'MDI')
    assert.equal(released.id, farah.id)
    assert.equal(await countRows(db, 'peopleTransfer'), transfers)
  })

  it('refuses an OUT record for a prisoner it does not hold when it names no prison to hold them under', async () => {
    const { lastPrisonId: _last, ...kevin } = structuredClone(records[0]) as FixtureRecord & { lastPrisonId?: string }
    const summary = await run([{ ...kevin, prisonerNumber: 'G7777ZZ', prisonId: 'OUT' }])
    assert.equal(summary.created, 0)
    assert.equal(summary.imported, 0)
    assert.equal(summary.rejected, 1)
    assert.match(summary.rejections[0].reasons[0], /^prisonId: OUT for a prisoner Portcullis does not yet hold/)
    assert.equal(
      await db.selectFrom('peopleNominal').select('id').where('ref', '=', 'G7777ZZ').executeTakeFirst(),
      undefined,
    )
  })
})

describe('importPrisoners with records as Prisoner Search gives them today', () => {
  const CURRENT = readFileSync(new URL('../../../test/fixtures/prisoner-search-current.json', import.meta.url), 'utf8')
  let database: DatabaseHandle
  let db: Db
  let summary: Awaited<ReturnType<typeof importPrisoners>>
  const page = parsePrisonerFile(CURRENT)
  assert.ok('records' in page)
  const run = (file: unknown[]) => importPrisoners(db, ACTOR, { fileName: 'page.json', records: file }, { now: NOW })

  before(async () => {
    database = await testDatabase()
    db = database.db
    summary = await run(page.records)
  })
  after(() => database.close())

  it('counts what it accepted: 3 of 4 records, 1 rejected', () => {
    assert.deepEqual(
      [summary.records, summary.imported, summary.created, summary.rejected],
      [4, 3, 3, 1],
      JSON.stringify(summary.rejections),
    )
  })

  it('takes an alert that carries only alertType and alertCode as active', async () => {
    assert.deepEqual(
      (await flagsOf(db, 'A4821RM')).map(f => [f.alertCode, f.change, f.activeFrom, f.activeTo]),
      [
        ['XCU', 'created', TODAY, null],
        ['XEL', 'created', TODAY, null],
      ],
    )
    assert.deepEqual(summary.unknownAlertCodes, ['HA', 'MFL'], 'codes Portcullis does not hold are named, not created')
    assert.equal((await nominal(db, 'A4821RM')).inCustody, true)
  })

  it('imports a released person it does not hold as out of custody, at the prison they left', async () => {
    const connor = await nominal(db, 'G6137UV')
    assert.deepEqual([connor.establishmentCode, connor.inCustody], ['LEI', false])
    assert.equal(connor.releaseDate, '2026-07-08')
    assert.deepEqual(
      (await flagsOf(db, 'G6137UV')).map(f => f.alertCode),
      ['XGANG'],
      'their history is kept',
    )
    const transfers = await db
      .selectFrom('peopleTransfer')
      .select(['fromEstablishment', 'toEstablishment'])
      .where('nominalId', '=', connor.id)
      .execute()
    assert.deepEqual(transfers, [{ fromEstablishment: null, toEstablishment: 'LEI' }])
  })

  it('imports a restricted patient discharged to hospital in the scope of their supporting prison', async () => {
    const stephen = await nominal(db, 'A0919KP')
    assert.deepEqual([stephen.establishmentCode, stephen.inCustody], ['MDI', false], 'MDI supports, WWI was the last')
    assert.deepEqual(
      (await flagsOf(db, 'A0919KP')).map(f => f.alertCode),
      ['XSA'],
    )
  })

  it('rejects a released person naming no prison, saying why', async () => {
    assert.deepEqual(summary.rejections, [
      {
        record: 4,
        prisonerNumber: 'G2750TB',
        reasons: [
          'prisonId: OUT for a prisoner Portcullis does not yet hold, and the record names no supportingPrisonId or ' +
            'lastPrisonId to hold them under; import them from their prison first',
        ],
      },
    ])
    const unknownPrison = await run([
      { ...(page.records[3] as object), prisonerNumber: 'G2751TB', supportingPrisonId: 'HAZLWD', lastPrisonId: 'ZZZ' },
    ])
    assert.deepEqual(unknownPrison.rejections[0].reasons, [
      'prisonId: OUT for a prisoner Portcullis does not yet hold, and supportingPrisonId HAZLWD and lastPrisonId ZZZ ' +
        'are not known establishments; import them from their prison first',
    ])
  })

  it('changes nothing on the second import, and an alert marked inactive is still not active', async () => {
    const again = await run(page.records)
    assert.deepEqual([again.imported, again.unchanged, again.rejected], [3, 3, 1])
    const withInactive = await run([
      {
        ...(page.records[0] as object),
        alerts: [
          { alertType: 'X', alertCode: 'XEL' },
          { alertType: 'X', alertCode: 'XCU', active: false, expired: true },
        ],
      },
    ])
    assert.equal(withInactive.updated, 1)
    assert.deepEqual(
      (await flagsOf(db, 'A4821RM')).map(f => [f.alertCode, f.change]),
      [
        ['XCU', 'created'],
        ['XCU', 'closed'],
        ['XEL', 'created'],
      ],
    )
  })
})

describe('demoPrisoners', () => {
  const prisoners = demoPrisoners()

  it('gives the same people for the same seed, and others for another seed', () => {
    assert.deepEqual(demoPrisoners(1), demoPrisoners(1))
    assert.deepEqual(demoPrisoners(), demoPrisoners(1))
    assert.notDeepEqual(demoPrisoners(2), demoPrisoners(1))
  })

  it('gives about 400 records that all pass the Prisoner Search schema, with unique prison numbers', () => {
    assert.ok(prisoners.length >= 380 && prisoners.length <= 420, String(prisoners.length))
    for (const [index, prisoner] of prisoners.entries()) {
      const parsed = prisonerSearchRecord.safeParse(prisoner)
      assert.ok(parsed.success, `record ${index + 1}: ${JSON.stringify(parsed.error?.issues)}`)
      assert.match(prisoner.prisonerNumber, PRISON_NUMBER)
    }
    assert.equal(new Set(prisoners.map(p => p.prisonerNumber)).size, prisoners.length)
  })

  it('starts with the fixed demo people', () => {
    const [hussain, okafor, categoryA] = prisoners
    assert.equal(hussain.prisonerNumber, 'A1234BC')
    assert.equal(`${hussain.firstName} ${hussain.lastName}`, 'MOHAMMED HUSSAIN')
    assert.equal(hussain.dateOfBirth, '1988-04-12')
    assert.deepEqual([hussain.prisonId, hussain.cellLocation, hussain.category], ['MDI', 'B-2-014', 'C'])
    assert.deepEqual(
      hussain.aliases.map(a => `${a.firstName} ${a.lastName}`),
      ['MOHAMMAD HUSAIN', 'MO HUSSEIN'],
    )
    assert.deepEqual(
      hussain.alerts.map(a => [a.alertCode, a.active]),
      [
        ['XEL', true],
        ['XGANG', true],
      ],
    )
    assert.deepEqual([okafor.prisonerNumber, okafor.firstName, okafor.lastName], ['G4821KT', 'DANIEL', 'OKAFOR'])
    assert.deepEqual([okafor.prisonId, okafor.category], ['MDI', 'B'])
    assert.deepEqual(
      okafor.aliases.map(a => `${a.firstName} ${a.lastName}`),
      ['DANNY OKAFFOR'],
    )
    assert.deepEqual(
      okafor.alerts.map(a => a.alertCode),
      ['XER'],
    )
    assert.deepEqual([categoryA.prisonerNumber, categoryA.prisonId, categoryA.category], ['A0001FS', 'FNI', 'H'])
  })

  it('holds Category A only at Full Sutton, and valid PNC numbers, ages and dates', () => {
    const byPrison = (code: string) => prisoners.filter(p => p.prisonId === code).length
    assert.ok(DEMO_ESTABLISHMENTS.every(code => byPrison(code) > 0))
    assert.ok(DEMO_ESTABLISHMENTS.every(code => code === 'MDI' || byPrison('MDI') > byPrison(code)))
    const categoryA = prisoners.filter(p => isCategoryA(p.category))
    assert.ok(categoryA.length > 0)
    assert.ok(categoryA.every(p => p.prisonId === 'FNI'))
    for (const prisoner of prisoners) {
      const age = ageOn(prisoner.dateOfBirth, '2026-11-01')
      assert.ok(age >= 18 && age <= 75, `${prisoner.prisonerNumber} is ${age}`)
      if (prisoner.pncNumber) assert.ok(normalisePnc(prisoner.pncNumber), prisoner.pncNumber)
      if (prisoner.releaseDate) assert.ok(prisoner.releaseDate >= '2026-12-01' && prisoner.releaseDate <= '2040-12-31')
      assert.equal(prisoner.gender, 'Male')
    }
    const share = (test: (p: DemoPrisoner) => boolean) => prisoners.filter(test).length / prisoners.length
    assert.ok(share(p => p.pncNumber !== undefined) > 0.75)
    assert.ok(share(p => p.nationality === 'British') > 0.8)
    const withAliases = share(p => p.aliases.length > 0)
    assert.ok(withAliases > 0.2 && withAliases < 0.4, String(withAliases))
    const withFlags = share(p => p.alerts.some(a => a.active))
    assert.ok(withFlags > 0.18 && withFlags < 0.32, String(withFlags))
  })
})

describe('seedDemoPeople', () => {
  let database: DatabaseHandle
  before(async () => {
    database = await testDatabase()
  })
  after(() => database.close())

  it('imports every demo prisoner and adds visitors, others and staff', { timeout: 120_000 }, async () => {
    const summary = await seedDemoPeople(database.db, { ...ACTOR, username: 'demo' })
    assert.equal(summary.created, demoPrisoners().length)
    assert.equal(summary.rejected, 0, JSON.stringify(summary.rejections))
    assert.deepEqual(summary.unknownAlertCodes, [])

    const kinds = await database.db
      .selectFrom('peopleNominal')
      .select(['kind', 'compartment', database.db.fn.countAll<number>().as('n')])
      .groupBy(['kind', 'compartment'])
      .orderBy('kind')
      .execute()
    assert.deepEqual(
      kinds.map(k => [k.kind, k.compartment, Number(k.n)]),
      [
        ['other', null, 5],
        ['prisoner', null, summary.created],
        ['staff', 'staff-corruption', 3],
        ['visitor', null, 5],
      ],
    )
    const staff = await database.db.selectFrom('peopleNominal').selectAll().where('kind', '=', 'staff').execute()
    assert.ok(staff.every(s => s.staffNumber && s.establishmentCode === 'MDI' && /^N-\d{7}$/.test(s.ref)))

    const characteristics = await database.db
      .selectFrom('peopleProtectedCharacteristics')
      .select(eb => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(Number(characteristics.n), summary.created, 'protected characteristics come only from the import')
    const hussain = await flagsOf(database.db, 'A1234BC')
    assert.deepEqual(
      hussain.map(f => f.alertCode),
      ['XEL', 'XGANG'],
    )
  })
})
