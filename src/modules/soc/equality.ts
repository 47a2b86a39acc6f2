import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ForbiddenError, ValidationError } from '../../platform/http/errors.ts'
import { establishmentNames } from '../../platform/reference/establishments.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import * as repository from './repository.ts'
import { type Characteristic, dipSample as compare, DISPROPORTION_THRESHOLD } from './rules.ts'

// The equality dip sample (SOC PF 5.5, 6.1): the cohort against the population of the same prisons, by one
// protected characteristic, taken every six months and recorded with any corrective action.

const PRISON_CODE = /^[A-Z]{3}$/

export type DipSampleInput = { scope: string; characteristic: Characteristic; correctiveAction?: string }

/** An establishment code, or the user's whole region, as establishment codes in scope. */
async function scopeCodes(db: Db, user: CurrentUser, scope: string): Promise<string[]> {
  if (PRISON_CODE.test(scope)) {
    if (!user.inScope(scope)) throw ValidationError.field('scope', 'Select a prison you oversee')
    return [scope]
  }
  const codes = (await repository.establishmentCodesOfRegion(db, scope)).filter(code => user.inScope(code))
  if (codes.length === 0) throw ValidationError.field('scope', 'Select your region or a prison in it')
  return codes
}

async function dipSample(db: Db, user: CurrentUser, input: DipSampleInput, now = new Date()) {
  if (!user.can('people:protected-characteristics')) throw new ForbiddenError()
  const codes = await scopeCodes(db, user, input.scope)
  const [counts, names] = await Promise.all([
    repository.dipSampleCounts(db, codes, input.characteristic, londonToday(now)),
    establishmentNames(db, codes),
  ])
  return {
    scope: input.scope,
    scopeName: names.get(input.scope) ?? input.scope,
    codes,
    prisonNames: codes.map(code => names.get(code) ?? code).sort(),
    characteristic: input.characteristic,
    threshold: DISPROPORTION_THRESHOLD,
    rows: compare(counts),
  }
}

async function saveDipSample(
  db: Db,
  user: CurrentUser,
  input: DipSampleInput,
  correlationId: string,
  now = new Date(),
) {
  const sample = await dipSample(db, user, input, now)
  const id = await auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const created = await repository.insertDipSample(trx, {
      scope: input.scope,
      characteristic: input.characteristic,
      takenOn: londonToday(now),
      threshold: sample.threshold,
      rows: sample.rows,
      correctiveAction: input.correctiveAction ?? null,
      takenBy: user.username,
      takenAt: now,
    })
    await audit({
      action: 'soc.dip-sample',
      subjectType: 'soc-dip-sample',
      subjectId: created,
      details: {
        scope: input.scope,
        characteristic: input.characteristic,
        flagged: sample.rows.filter(r => r.disproportionate).map(r => r.group),
      },
    })
    return created
  })
  return { id, ...sample }
}

/** The samples taken, with who took them and the prison (or region) they cover by name. */
async function dipSamples(db: Db) {
  const samples = await withDisplayNames(db, await repository.listDipSamples(db), ['takenBy'])
  const names = await establishmentNames(db, [...new Set(samples.map(s => s.scope).filter(s => PRISON_CODE.test(s)))])
  return samples.map(s => ({ ...s, scopeName: names.get(s.scope) ?? s.scope }))
}

export function equalityUseCases(db: Db) {
  return {
    dipSample: dipSample.bind(null, db),
    saveDipSample: saveDipSample.bind(null, db),
    dipSamples: dipSamples.bind(null, db),
  }
}
