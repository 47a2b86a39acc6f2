import type { CurrentUser } from '../../platform/access/user.ts'
import { actorOf, auditedTransaction } from '../../platform/audit/audit.ts'
import type { Db } from '../../platform/db/database.ts'
import { londonToday } from '../../platform/deadlines/deadlines.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/http/errors.ts'
import { establishmentNames } from '../../platform/reference/establishments.ts'
import { withDisplayNames } from '../../platform/users/repository.ts'
import { lockedStatement, visibleStatement, withDenials } from './access.ts'
import { strategy } from './instructions.ts'
import {
  insertStatement,
  lastFullySignedStatement,
  signStatement,
  statementForYear,
  statementsOf,
} from './repository.ts'
import { lastCompleted } from './risk-assessment.ts'
import { assessmentSupportsAssurance, modelStatement, signatureProblem } from './rules.ts'

// The annual assurance statement (LSS PF 4.18–4.21): prepared by the prison group director on the LSS as published,
// with the level of assurance and the additional checks they set, then signed by the Governor and the PGD.

async function statements(db: Db, user: CurrentUser, establishmentCode: string) {
  if (!user.inScope(establishmentCode)) throw new NotFoundError()
  return withDisplayNames(db, await statementsOf(db, establishmentCode), ['governorUsername', 'pgdUsername'])
}

/** Prepares this year's statement on the current LSS; the PGD's level and checks are set here (LSS PF 4.19–4.20). */
async function prepareStatement(
  db: Db,
  user: CurrentUser,
  input: { establishmentCode: string; levelOfAssurance: string; additionalChecks: string[] },
  correlationId: string,
  now = new Date(),
) {
  // LSS PF 4.19–4.20: the level and the checks are the PGD's to set; a Governor signs what the PGD prepared.
  if (!user.can('lss:set-assurance-level'))
    throw new ForbiddenError('Only the prison group director sets the level of assurance and the additional checks.')
  if (!user.inScope(input.establishmentCode))
    throw ValidationError.field('establishmentCode', 'Select an establishment you oversee')
  const today = londonToday(now)
  const last = await lastCompleted(db, input.establishmentCode)
  const lastDay = last?.completedAt ? londonToday(last.completedAt) : null
  if (!last || !assessmentSupportsAssurance(lastDay, today)) {
    throw ValidationError.field(
      'levelOfAssurance',
      'An evidence-based risk assessment must have been completed in the last twelve months (LSS PF 4.21)',
    )
  }
  const lss = await strategy(db, user, input.establishmentCode)
  return auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
    const year = Number(today.slice(0, 4))
    if (await statementForYear(trx, input.establishmentCode, year))
      throw ValidationError.field('levelOfAssurance', `There is already an assurance statement for ${year}`)
    const created = await insertStatement(trx, {
      establishmentCode: input.establishmentCode,
      year,
      statement: modelStatement(lss.establishment.name, year),
      levelOfAssurance: input.levelOfAssurance,
      additionalChecks: input.additionalChecks,
      lssHash: lss.hash,
      riskAssessmentRef: last.ref,
      preparedBy: user.username,
      preparedAt: now,
    })
    await audit({
      action: 'lss.assurance-prepared',
      subjectType: 'lss-assurance',
      subjectId: created.id,
      establishmentCode: input.establishmentCode,
      details: { year },
    })
    return { id: created.id }
  })
}

async function statement(db: Db, user: CurrentUser, id: string, correlationId: string | null = null) {
  return withDenials(db, user, correlationId, async () => {
    const [named] = await withDisplayNames(
      db,
      [await visibleStatement(db, user, id)],
      ['governorUsername', 'pgdUsername'],
    )
    return named
  })
}

/** Signs as Governor or PGD: two different people, once each, on the LSS version the statement certifies. */
async function sign(
  db: Db,
  user: CurrentUser,
  id: string,
  role: 'governor' | 'pgd',
  correlationId: string,
  now = new Date(),
) {
  return withDenials(db, user, correlationId, () =>
    auditedTransaction(db, actorOf(user, correlationId), now, async (trx, audit) => {
      const found = await lockedStatement(trx, user, id)
      const problem = signatureProblem(role, user, found)
      if (problem) throw ValidationError.field('role', problem)
      await signStatement(trx, id, role, user.username, now)
      await audit({
        action: `lss.assurance-signed-${role}`,
        subjectType: 'lss-assurance',
        subjectId: id,
        establishmentCode: found.establishmentCode,
        details: { lssHash: found.lssHash },
      })
      return { id, role }
    }),
  )
}

/** The day the latest statement was completed: when the second of the Governor and the PGD signed it. */
async function lastSigned(db: Db, establishmentCode: string) {
  const last = await lastFullySignedStatement(db, establishmentCode)
  if (!last?.pgdSignedAt || !last.governorSignedAt) return null
  return londonToday(new Date(Math.max(last.pgdSignedAt.getTime(), last.governorSignedAt.getTime())))
}

/** The name of an establishment, for a page's caption. */
async function establishmentName(db: Db, establishmentCode: string) {
  return (await establishmentNames(db, [establishmentCode])).get(establishmentCode) ?? establishmentCode
}

/** The annual assurance statement. */
export function assuranceUseCases(db: Db) {
  return {
    statements: statements.bind(null, db),
    prepareStatement: prepareStatement.bind(null, db),
    statement: statement.bind(null, db),
    sign: sign.bind(null, db),
    lastSigned: lastSigned.bind(null, db),
    establishmentName: establishmentName.bind(null, db),
  }
}
