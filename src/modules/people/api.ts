import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { actorOf } from '../../platform/audit/audit.ts'
import { NotFoundError } from '../../platform/http/errors.ts'
import type { CurrentAlert, NominalRow } from './repository.ts'
import type { PeopleRouteDeps } from './routes.ts'
import { NOMINAL_KINDS } from './rules.ts'
import {
  alertChangeSchema,
  alertCloseSchema,
  alertParams,
  alertSchema,
  establishmentParams,
  establishmentSchema,
  nominalSchema,
  prisonerImportSchema,
  prisonNumber,
  refParams,
  searchQuery,
  today,
} from './schema.ts'
import type { PeopleService } from './service.ts'

const TAG = 'People'
const prisonerParams = z.object({ prisonNumber })

const apiAlert = z.object({
  id: z.string(),
  alertCode: z.string(),
  description: z.string(),
  authorisedBy: z.string().nullable(),
  activeFrom: z.iso.date(),
  activeTo: z.iso.date().nullable(),
  isActive: z.boolean(),
})
const apiAlias = z.object({ firstName: z.string(), lastName: z.string(), dateOfBirth: z.iso.date().nullable() })
const apiPrisoner = z.object({
  prisonerNumber: z.string(),
  bookingId: z.string().nullable(),
  firstName: z.string(),
  middleNames: z.string().nullable(),
  lastName: z.string(),
  dateOfBirth: z.iso.date().nullable(),
  prisonId: z.string(),
  prisonName: z.string(),
  cellLocation: z.string().nullable(),
  category: z.string().nullable(),
  releaseDate: z.iso.date().nullable(),
  pncNumber: z.string().nullable(),
  croNumber: z.string().nullable(),
  inCustody: z.boolean(),
  aliases: z.array(apiAlias),
  alerts: z.array(apiAlert),
})
const apiAlertWithHistory = apiAlert.extend({
  history: z.array(
    z.object({
      version: z.number().int(),
      change: z.string(),
      description: z.string().nullable(),
      authorisedBy: z.string().nullable(),
      activeFrom: z.iso.date(),
      activeTo: z.iso.date().nullable(),
      comment: z.string().nullable(),
      changedBy: z.string(),
      changedAt: z.string(),
    }),
  ),
})
const apiProfile = z.object({
  ref: z.string(),
  kind: z.enum(NOMINAL_KINDS),
  firstName: z.string(),
  middleNames: z.string().nullable(),
  lastName: z.string(),
  dateOfBirth: z.iso.date().nullable(),
  prisonNumber: z.string().nullable(),
  pncNumber: z.string().nullable(),
  croNumber: z.string().nullable(),
  staffNumber: z.string().nullable(),
  establishmentCode: z.string(),
  establishmentName: z.string(),
  cellLocation: z.string().nullable(),
  securityCategory: z.string().nullable(),
  releaseDate: z.iso.date().nullable(),
  inCustody: z.boolean(),
  aliases: z.array(apiAlias),
  activeAlerts: z.array(apiAlertWithHistory),
  inactiveAlerts: z.array(apiAlertWithHistory),
  transfers: z.array(z.object({ occurredAt: z.string(), from: z.string().nullable(), to: z.string() })),
  /** Only for roles that need them; null otherwise, or when none are recorded. */
  protectedCharacteristics: z
    .object({
      sex: z.string().nullable(),
      ethnicity: z.string().nullable(),
      religion: z.string().nullable(),
      nationality: z.string().nullable(),
      sexualOrientation: z.string().nullable(),
      disability: z.boolean().nullable(),
    })
    .nullable(),
})
const apiEstablishment = z.object({
  code: z.string(),
  name: z.string(),
  prisonGroup: z.string().nullable(),
  socuRegion: z.string().nullable(),
  highSecurity: z.boolean(),
})
const apiImportSummary = z.object({
  runId: z.string(),
  records: z.number().int(),
  imported: z.number().int().describe('records accepted (created, updated or unchanged); the rest were rejected'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  transferred: z.number().int(),
  rejected: z.number().int(),
  rejections: z.array(
    z.object({ record: z.number().int(), prisonerNumber: z.string().optional(), reasons: z.array(z.string()) }),
  ),
  unknownAlertCodes: z.array(z.string()),
})

type AlertWithState = CurrentAlert & { isActive: boolean }

function toApiAlert(alert: AlertWithState): z.infer<typeof apiAlert> {
  return {
    id: alert.id,
    alertCode: alert.alertCode,
    description: alert.description ?? alert.codeDescription,
    authorisedBy: alert.authorisedBy,
    activeFrom: alert.activeFrom,
    activeTo: alert.activeTo,
    isActive: alert.isActive,
  }
}

/** The page's actions and reads as JSON, with the same permissions. */
export function peopleApi(app: FastifyInstance, deps: PeopleRouteDeps) {
  prisonerApi(app, deps)
  flagApi(app, deps)
  referenceApi(app, deps)
}

function prisonerApi(app: FastifyInstance, { people, api }: PeopleRouteDeps) {
  api.route(app, {
    operationId: 'searchPrisoners',
    method: 'GET',
    url: '/api/v1/prisoners',
    summary:
      'Search prisoners in the caller’s scope by name (misspellings and aliases), prison number or PNC; best match first',
    tag: TAG,
    permission: 'people:read',
    query: searchQuery.omit({ kind: true }),
    response: z.object({ results: z.array(apiPrisoner), total: z.number().int() }),
    handler: async ({ user, query }) => {
      const { results, total } = await people.search(user, { ...query, kind: 'prisoner' })
      const active = (alerts: CurrentAlert[]) => alerts.map(a => ({ ...a, isActive: true }))
      return { total, results: results.map(row => toApiPrisoner(row, row.aliases, active(row.activeAlerts))) }
    },
  })

  api.route(app, {
    operationId: 'getPrisoner',
    method: 'GET',
    url: '/api/v1/prisoners/:prisonNumber',
    summary: 'A prisoner, with aliases and flags (the read is audited)',
    tag: TAG,
    permission: 'people:read',
    params: prisonerParams,
    response: apiPrisoner,
    handler: async ({ request, user, params }) => {
      const profile = await people.profile(user, params.prisonNumber, request.id)
      if (profile.nominal.kind !== 'prisoner') throw new NotFoundError()
      return toApiPrisoner(profile.nominal, profile.aliases, [...profile.activeAlerts, ...profile.inactiveAlerts])
    },
  })

  api.route(app, {
    operationId: 'getPersonProfile',
    method: 'GET',
    url: '/api/v1/people/:ref',
    summary:
      'A person’s profile, as the page shows it: identity, aliases, active and closed flags with their history, ' +
      'moves, and protected characteristics for the roles that need them (the read is audited)',
    tag: TAG,
    permission: 'people:read',
    params: refParams,
    response: apiProfile,
    handler: async ({ request, user, params }) => toApiProfile(await people.profile(user, params.ref, request.id)),
  })

  api.route(app, {
    operationId: 'createPerson',
    method: 'POST',
    url: '/api/v1/people',
    summary: 'Add a person by hand: a prisoner, a member of staff, a visitor or someone outside prison',
    tag: TAG,
    permission: 'people:manage',
    body: nominalSchema(today),
    response: z.object({ ref: z.string() }),
    status: 201,
    handler: async ({ request, user, body }) => people.create(user, body, request.id),
  })
}

function flagApi(app: FastifyInstance, { people, api }: PeopleRouteDeps) {
  api.route(app, {
    operationId: 'listPrisonerAlerts',
    method: 'GET',
    url: '/api/v1/prisoners/:prisonNumber/alerts',
    summary: 'A prisoner’s security flags, active and closed',
    tag: TAG,
    permission: 'people:read',
    params: prisonerParams,
    response: z.object({ results: z.array(apiAlert) }),
    handler: async ({ user, params }) => ({
      results: (await people.alerts(user, params.prisonNumber)).alerts.map(toApiAlert),
    }),
  })

  api.route(app, {
    operationId: 'createPrisonerAlert',
    method: 'POST',
    url: '/api/v1/prisoners/:prisonNumber/alerts',
    summary: 'Set a security flag',
    tag: TAG,
    permission: 'flags:manage',
    params: prisonerParams,
    body: alertSchema(today),
    response: apiAlert,
    status: 201,
    handler: async ({ request, user, params, body }) => {
      const { id } = await people.addAlert(user, params.prisonNumber, body, request.id)
      const { alerts } = await people.alerts(user, params.prisonNumber)
      return toApiAlert(alerts.find(a => a.id === id)!)
    },
  })

  api.route(app, {
    operationId: 'changeAlert',
    method: 'PATCH',
    url: '/api/v1/alerts/:id',
    summary: 'Amend or close a security flag; the change is kept as a new version',
    tag: TAG,
    permission: 'flags:manage',
    params: alertParams,
    body: alertChangeSchema,
    response: apiAlert,
    handler: async ({ request, user, params, body }) =>
      changedAlert(params.id, await people.changeAlert(user, params.id, body, request.id)),
  })

  api.route(app, {
    operationId: 'closeAlert',
    method: 'POST',
    url: '/api/v1/alerts/:id/close',
    summary: 'Close a security flag (today, unless an end date is given), with the reason; 409 if already closed',
    tag: TAG,
    permission: 'flags:manage',
    params: alertParams,
    body: alertCloseSchema,
    response: apiAlert,
    handler: async ({ request, user, params, body }) =>
      changedAlert(params.id, await people.changeAlert(user, params.id, { ...body, action: 'close' }, request.id)),
  })
}

function referenceApi(app: FastifyInstance, { people, api }: PeopleRouteDeps) {
  api.route(app, {
    operationId: 'listEstablishments',
    method: 'GET',
    url: '/api/v1/establishments',
    summary: 'Establishments, the caller’s own first',
    tag: TAG,
    permission: 'home:view',
    response: z.object({ results: z.array(apiEstablishment) }),
    handler: async ({ user }) => ({ results: (await people.establishments(user)).map(toApiEstablishment) }),
  })

  api.route(app, {
    operationId: 'updateEstablishment',
    method: 'PUT',
    url: '/api/v1/establishments/:code',
    summary: 'Change an establishment’s reference data (the changed fields are audited)',
    tag: TAG,
    permission: 'reference:manage',
    params: establishmentParams,
    body: establishmentSchema,
    response: apiEstablishment.extend({ active: z.boolean(), functions: z.array(z.string()) }),
    handler: async ({ request, user, params, body }) => {
      const saved = await people.updateEstablishment(user, params.code, body, request.id)
      return { ...toApiEstablishment(saved), active: saved.active, functions: saved.functions }
    },
  })

  api.route(app, {
    operationId: 'listAlertCodes',
    method: 'GET',
    url: '/api/v1/alert-codes',
    summary: 'The security flag codes the caller may see and set',
    tag: TAG,
    permission: 'people:read',
    response: z.object({ results: z.array(z.object({ code: z.string(), description: z.string() })) }),
    handler: async ({ user }) => ({
      results: (await people.alertCodes(user)).map(c => ({ code: c.code, description: c.description })),
    }),
  })

  api.route(app, {
    operationId: 'importPrisoners',
    method: 'POST',
    url: '/api/v1/imports/prisoners',
    summary:
      'Import prisoners in the HMPPS Prisoner Search shape (a search page: {content: [...]}); idempotent, and each ' +
      'malformed record is rejected with its reasons while the rest are imported',
    tag: TAG,
    permission: 'people:import',
    body: prisonerImportSchema,
    response: apiImportSummary,
    handler: async ({ request, user, body }) =>
      people.importPrisoners(actorOf(user, request.id), { fileName: body.fileName, records: body.content }),
  })
}

function changedAlert(id: string, result: Awaited<ReturnType<PeopleService['changeAlert']>>) {
  return {
    id,
    alertCode: result.alertCode,
    description: result.description ?? result.codeDescription,
    authorisedBy: result.authorisedBy,
    activeFrom: result.activeFrom,
    activeTo: result.activeTo,
    isActive: result.isActive,
  }
}

function toApiEstablishment(e: z.infer<typeof apiEstablishment>) {
  return {
    code: e.code,
    name: e.name,
    prisonGroup: e.prisonGroup,
    socuRegion: e.socuRegion,
    highSecurity: e.highSecurity,
  }
}

function toApiPrisoner(
  row: NominalRow,
  aliases: z.infer<typeof apiAlias>[],
  alerts: AlertWithState[],
): z.infer<typeof apiPrisoner> {
  return {
    prisonerNumber: row.prisonNumber!,
    bookingId: row.bookingId,
    firstName: row.firstName,
    middleNames: row.middleNames,
    lastName: row.lastName,
    dateOfBirth: row.dateOfBirth,
    prisonId: row.establishmentCode,
    prisonName: row.establishmentName,
    cellLocation: row.cellLocation,
    category: row.securityCategory,
    releaseDate: row.releaseDate,
    pncNumber: row.pncNumber,
    croNumber: row.croNumber,
    inCustody: row.inCustody,
    aliases: aliases.map(a => ({ firstName: a.firstName, lastName: a.lastName, dateOfBirth: a.dateOfBirth })),
    alerts: alerts.map(toApiAlert),
  }
}

function toApiProfile(profile: Awaited<ReturnType<PeopleService['profile']>>): z.infer<typeof apiProfile> {
  const { nominal: n } = profile
  const withHistory = (alert: (typeof profile.activeAlerts)[number]) => ({
    ...toApiAlert(alert),
    history: alert.history.map(v => ({
      version: v.version,
      change: v.change,
      description: v.description,
      authorisedBy: v.authorisedBy,
      activeFrom: v.activeFrom,
      activeTo: v.activeTo,
      comment: v.comment,
      changedBy: v.changedBy,
      changedAt: v.changedAt.toISOString(),
    })),
  })
  const pc = profile.protectedCharacteristics
  return {
    ref: n.ref,
    kind: n.kind,
    firstName: n.firstName,
    middleNames: n.middleNames,
    lastName: n.lastName,
    dateOfBirth: n.dateOfBirth,
    prisonNumber: n.prisonNumber,
    pncNumber: n.pncNumber,
    croNumber: n.croNumber,
    staffNumber: n.staffNumber,
    establishmentCode: n.establishmentCode,
    establishmentName: n.establishmentName,
    cellLocation: n.cellLocation,
    securityCategory: n.securityCategory,
    releaseDate: n.releaseDate,
    inCustody: n.inCustody,
    aliases: profile.aliases.map(a => ({ firstName: a.firstName, lastName: a.lastName, dateOfBirth: a.dateOfBirth })),
    activeAlerts: profile.activeAlerts.map(withHistory),
    inactiveAlerts: profile.inactiveAlerts.map(withHistory),
    transfers: profile.transfers.map(t => ({
      occurredAt: t.occurredAt.toISOString(),
      from: t.fromEstablishment,
      to: t.toEstablishment,
    })),
    protectedCharacteristics: pc
      ? {
          sex: pc.sex,
          ethnicity: pc.ethnicity,
          religion: pc.religion,
          nationality: pc.nationality,
          sexualOrientation: pc.sexualOrientation,
          disability: pc.disability,
        }
      : null,
  }
}
