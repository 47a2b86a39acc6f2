import type { MultipartFile } from '@fastify/multipart'
import { z } from 'zod'
import { actorOf } from '../../platform/audit/audit.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { asList } from '../../platform/http/fields.ts'
import { paginationView, queryString } from '../../platform/http/forms.ts'
import type { Pages } from '../../platform/http/pages.ts'
import { SOCU_REGIONS } from '../../platform/reference/establishment-areas.ts'
import { parsePrisonerFile } from './imports.ts'
import {
  type EstablishmentFilter,
  establishmentFilterSchema,
  establishmentParams,
  establishmentSchema,
} from './schema.ts'
import type { PeopleService } from './service.ts'

type Establishment = Awaited<ReturnType<PeopleService['establishments']>>[number]

/** The upload form's file field: a file the browser sent, with its name. */
const uploadSchema = z.object({
  file: z.custom<MultipartFile>(
    value =>
      typeof (value as MultipartFile | undefined)?.toBuffer === 'function' &&
      Boolean((value as MultipartFile).filename),
    'Select a Prisoner Search JSON file',
  ),
})

/** A re-shown establishment form needs its checkboxes as the first render had them. */
function establishmentValues(values: unknown) {
  const body = (values ?? {}) as Record<string, unknown>
  return {
    ...body,
    highSecurity: body.highSecurity === 'true',
    active: body.active === 'true',
    functions: asList(body.functions),
  }
}

const ESTABLISHMENTS_PAGE = 25

/** Whether an establishment passes the list's filter: name or code, prison group, SOCU region and estate. */
function matches(filter: EstablishmentFilter) {
  const words = filter.q?.toLowerCase()
  return (e: Establishment) =>
    (!words || e.name.toLowerCase().includes(words) || e.code.toLowerCase() === words) &&
    (!filter.group || e.prisonGroup === filter.group) &&
    (!filter.region || e.socuRegion === filter.region) &&
    (!filter.estate ||
      (filter.estate === 'high-security' && e.highSecurity) ||
      (filter.estate === 'women' && e.gender !== 'male' && e.gender !== null) ||
      (filter.estate === 'men' && e.gender !== 'female' && e.gender !== null))
}

/** Reference data and the prisoner import, for administrators. */
export function adminPages(pages: Pages, people: PeopleService) {
  pages.get('/admin/imports/prisoners', {
    permission: 'people:import',
    handler: async ({ render }) => render('import'),
  })

  pages.post('/admin/imports/prisoners', {
    permission: 'people:import',
    body: uploadSchema,
    invalid: 'import',
    handler: async ({ user, body, correlationId, render }) => {
      const parsed = parsePrisonerFile((await body.file.toBuffer()).toString('utf8'))
      if ('error' in parsed) throw ValidationError.field('file', parsed.error)
      const fileName = body.file.filename
      const summary = await people.importPrisoners(actorOf(user, correlationId), { fileName, records: parsed.records })
      return render('import', { summary, fileName })
    },
  })

  pages.get('/admin/establishments', {
    permission: 'reference:manage',
    query: establishmentFilterSchema,
    invalid: async ({ user, render }, { errors, values }) => {
      const all = await people.establishments(user)
      const groups = [...new Set(all.map(e => e.prisonGroup).filter(Boolean))].sort()
      return render('establishments', {
        establishments: [],
        total: 0,
        filter: values,
        groups,
        regions: SOCU_REGIONS,
        errors,
      })
    },
    handler: async ({ user, query, render }) => {
      const all = (await people.establishments(user)).sort((a, b) => a.name.localeCompare(b.name))
      const found = all.filter(matches(query))
      const { page: _page, ...kept } = query
      const pageRows = found.slice((query.page - 1) * ESTABLISHMENTS_PAGE, query.page * ESTABLISHMENTS_PAGE)
      return render('establishments', {
        establishments: pageRows,
        total: found.length,
        filtered: Object.values(kept).some(Boolean),
        filter: query,
        groups: [...new Set(all.map(e => e.prisonGroup).filter(Boolean))].sort(),
        regions: SOCU_REGIONS,
        pagination: paginationView(
          query.page,
          ESTABLISHMENTS_PAGE,
          found.length,
          page => `/admin/establishments${queryString({ ...kept, page })}`,
        ),
      })
    },
  })

  pages.get('/admin/establishments/:code/edit', {
    permission: 'reference:manage',
    params: establishmentParams,
    handler: async ({ params, render }) =>
      render('establishment-edit', { code: params.code, values: await people.establishment(params.code) }),
  })

  pages.post('/admin/establishments/:code/edit', {
    permission: 'reference:manage',
    params: establishmentParams,
    body: establishmentSchema,
    invalid: async ({ params, render }, { errors, values }) =>
      render('establishment-edit', { code: params.code, values: establishmentValues(values), errors }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await people.updateEstablishment(user, params.code, body, correlationId)
      return redirect('/admin/establishments', `${body.name} saved`)
    },
  })
}
