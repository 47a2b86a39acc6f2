import type { MultipartFile } from '@fastify/multipart'
import { z } from 'zod'
import { actorOf } from '../../platform/audit/audit.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import { asList } from '../../platform/http/fields.ts'
import type { Pages } from '../../platform/http/pages.ts'
import { parsePrisonerFile } from './imports.ts'
import { establishmentParams, establishmentSchema } from './schema.ts'
import type { PeopleService } from './service.ts'

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
    handler: async ({ user, render }) =>
      render('establishments', { establishments: await people.establishments(user) }),
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
