import { ConflictError, ForbiddenError } from '../../platform/http/errors.ts'
import type { PageContext, Pages } from '../../platform/http/pages.ts'
import { AMENDMENT_STATUS_NAMES, APPROVER_NAMES, type ApproverRole, wordDiff } from './rules.ts'
import { amendmentSchema, decisionSchema, idParams, logQuery, refParams, reviseSchema } from './schema.ts'
import type { LssService } from './service.ts'

const proposalSchema = amendmentSchema.omit({ instructionId: true })

/** The amendment page: the proposed text against the version it amends, the route, the decisions and the forms. */
async function showAmendment(
  lss: LssService,
  context: PageContext<{ ref: string }, unknown, unknown>,
  extra: Record<string, unknown> = {},
  status?: number,
) {
  const { user, params, correlationId, render } = context
  const view = await lss.amendmentByRef(user, params.ref, correlationId)
  const { amendment, base } = view
  const diff = {
    aimAndPurpose: wordDiff(base.aimAndPurpose, amendment.aimAndPurpose),
    nationalReference: wordDiff(base.nationalReference, amendment.nationalReference),
    localReference: wordDiff(base.localReference, amendment.localReference),
    procedures: wordDiff(base.procedures, amendment.procedures),
  }
  const nextApprover = view.requiredApprovals[0]
  const canDecide = nextApprover !== undefined && user.roles.includes(nextApprover)
  return render('amendment', { ...view, diff, canDecide, nextApprover, ...extra }, status)
}

/** Proposing an amendment, deciding it, changing its text and withdrawing it. */
export function amendmentPages(pages: Pages, lss: LssService) {
  pages.get('/lss/instructions/:id/amend', {
    permission: 'lss:read',
    params: idParams,
    handler: async ({ user, params, correlationId, render }) => {
      const view = await lss.instruction(user, params.id, correlationId)
      if (!view.canEdit) throw new ForbiddenError()
      return render('amend', { ...view, current: view.versions[0], values: view.versions[0] })
    },
  })

  pages.post('/lss/instructions/:id/amend', {
    permission: 'lss:read',
    params: idParams,
    body: proposalSchema,
    invalid: async ({ user, params, correlationId, render }, form) => {
      const view = await lss.instruction(user, params.id, correlationId)
      return render('amend', { ...view, current: view.versions[0], ...form })
    },
    handler: async ({ user, params, body, correlationId, redirect }) => {
      const view = await lss.propose(user, { ...body, instructionId: params.id }, correlationId)
      const { ref } = view.amendment
      return redirect(`/lss/amendments/${ref}`, `Amendment ${ref} submitted for authorisation`)
    },
  })

  pages.get('/lss/amendments/:ref', {
    permission: 'lss:read',
    params: refParams,
    handler: context => showAmendment(lss, context),
  })

  pages.post('/lss/amendments/:ref/decisions', {
    permission: 'lss:decide',
    params: refParams,
    body: decisionSchema,
    invalid: (context, form) => showAmendment(lss, context, form),
    handler: async context => {
      const { user, params, body, correlationId, redirect } = context
      const { amendment } = await lss.amendmentByRef(user, params.ref, correlationId)
      const decided = await lss.decide(user, amendment.id, body, correlationId).catch(error => {
        if (error instanceof ConflictError) return error
        throw error
      })
      // Someone else decided first: the page again, as it is now, saying so beside the decision.
      if (decided instanceof ConflictError) {
        const errors = { summary: [{ text: decided.message, href: '#decision' }], byField: {} }
        return showAmendment(lss, context, { errors }, 409)
      }
      const status = decided.amendment.status as keyof typeof AMENDMENT_STATUS_NAMES
      return redirect(
        `/lss/amendments/${params.ref}`,
        status === 'approved'
          ? 'Amendment approved and the new version published'
          : `Decision recorded: ${AMENDMENT_STATUS_NAMES[status].toLowerCase()}`,
      )
    },
  })

  pages.post('/lss/amendments/:ref/revise', {
    permission: 'lss:read',
    params: refParams,
    body: reviseSchema,
    invalid: (context, form) => showAmendment(lss, context, form),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      const { amendment } = await lss.amendmentByRef(user, params.ref, correlationId)
      await lss.revise(user, amendment.id, body, body.seenVersion, correlationId)
      return redirect(
        `/lss/amendments/${params.ref}`,
        'Proposed text changed: the amendment goes back for authorisation',
      )
    },
  })

  pages.post('/lss/amendments/:ref/withdraw', {
    permission: 'lss:read',
    params: refParams,
    handler: async ({ user, params, correlationId, redirect }) => {
      const { amendment } = await lss.amendmentByRef(user, params.ref, correlationId)
      await lss.withdraw(user, amendment.id, correlationId)
      return redirect(`/lss/amendments/${params.ref}`, 'Amendment withdrawn')
    },
  })

  amendmentLogPage(pages, lss)
}

/** The amendment log (LSS PF 4.17), filterable, and as CSV. */
function amendmentLogPage(pages: Pages, lss: LssService) {
  pages.get('/lss/amendments', {
    permission: 'lss:read',
    query: logQuery,
    invalid: async ({ user, render }, { errors, values }) =>
      render('log', { filter: values, rows: [], errors, establishments: await lss.logEstablishments(user) }),
    handler: async ({ user, query: filter, reply, render }) => {
      const rows = await lss.log(user, filter)
      if (filter.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="lss-amendment-log.csv"')
          .send(
            amendmentLogCsv(rows.map(row => ({ ...row, decisions: row.decisions.map(decisionInWords).join('; ') }))),
          )
      }
      const csvQuery = new URLSearchParams({ ...stripEmpty(filter), format: 'csv' }).toString()
      return render('log', { filter, rows, csvQuery, establishments: await lss.logEstablishments(user) })
    },
  })
}

function stripEmpty(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values)
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => [k, String(v)]),
  )
}

const LOG_COLUMNS = [
  ['ref', 'Reference'],
  ['establishmentCode', 'Establishment'],
  ['instructionRef', 'Instruction'],
  ['instructionTitle', 'Instruction title'],
  ['riskArea', 'Risk area'],
  ['proposerName', 'Proposed by'],
  ['proposedAt', 'Proposed at'],
  ['baseVersion', 'Amends version'],
  ['change', 'Change'],
  ['reasoning', 'Reasoning'],
  ['relatesTo', 'Relates to'],
  ['requiredApprovals', 'Authorisation route'],
  ['status', 'Status'],
  ['publishedVersion', 'Published as version'],
  ['textHash', 'Hash of the proposed text'],
  ['decisions', 'Decisions'],
] as const

const DECISION_WORDS = { approve: 'Approved', reject: 'Rejected', withdraw: 'Withdrawn' } as Record<string, string>

/** "Approved by Jo Bloggs, Governor, 2026-11-25 14:30: notes", for the CSV's decisions column. */
function decisionInWords(d: {
  decision: string
  role: string
  decidedByName: string
  decidedAt: Date
  notes: string | null
  onEarlierText: boolean
}) {
  const role = APPROVER_NAMES[d.role as ApproverRole]
  const when = d.decidedAt.toLocaleString('sv-SE', { timeZone: 'Europe/London' }).slice(0, 16)
  return [
    `${DECISION_WORDS[d.decision] ?? d.decision} by ${d.decidedByName}${role ? `, ${role}` : ''}, ${when}`,
    d.notes ? `: ${d.notes}` : '',
    d.onEarlierText ? ' (on an earlier text)' : '',
  ].join('')
}

/** CSV of the log, with formula-looking cells neutralised for spreadsheets. */
export function amendmentLogCsv(rows: readonly Record<string, unknown>[]): string {
  const cell = (value: unknown) => {
    let text =
      value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(' → ') : String(value ?? '')
    if (/^[=+\-@]/.test(text)) text = `'${text}`
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
  }
  const lines = [LOG_COLUMNS.map(([, header]) => cell(header)).join(',')]
  for (const row of rows) lines.push(LOG_COLUMNS.map(([key]) => cell(row[key])).join(','))
  return `${lines.join('\r\n')}\r\n`
}
