import { z } from 'zod'
import type { CurrentUser } from '../../platform/access/user.ts'
import { ValidationError } from '../../platform/http/errors.ts'
import type { FormState, PageContext, Pages } from '../../platform/http/pages.ts'
import { pdfField, renderPdf } from '../../platform/views/pdf.ts'
import { refParams } from './page-locals.ts'
import {
  actionsFrom,
  GRADING_SCALES,
  gradingFromColumns,
  gradingLabel,
  PURPOSE_NAMES,
  RECIPIENT_TYPE_NAMES,
  REPORT_COMPARTMENT_NAMES,
  type ReportStatus,
} from './rules.ts'
import {
  closeSchema,
  disseminationSchema,
  entityDecisionSchema,
  gradingSchema,
  linksSchema,
  nominalLinkFormSchema,
  restrictSchema,
  sanitiseSchema,
} from './schema.ts'
import type { IntelligenceService } from './service.ts'

/** One assessment step of the report page: its form, the use case it runs and the banner shown after it. */
type AssessmentStep<B extends z.ZodType> = {
  path: string
  body: B
  banner: string
  run(intelligence: IntelligenceService, user: CurrentUser, ref: string, input: z.output<B>, cid: string): unknown
}
const step = <B extends z.ZodType>(spec: AssessmentStep<B>) => spec

/** A link made from a one-field form: an error about what was linked belongs to that field. */
const onField = (field: string) => (error: unknown) => {
  if (error instanceof ValidationError) throw ValidationError.field(field, error.fields[0].message)
  throw error
}

/** The report page's assessment steps, each posted to /intelligence/reports/{ref}/{path}. */
export const ASSESSMENT_STEPS: AssessmentStep<z.ZodType>[] = [
  step({
    path: 'start',
    body: z.unknown(),
    banner: 'Assessment started',
    run: (intelligence, user, ref, _input, cid) => intelligence.startAssessment(user, ref, cid),
  }),
  step({
    path: 'grading',
    body: gradingSchema,
    banner: 'Report graded',
    run: (intelligence, user, ref, input, cid) => intelligence.grade(user, ref, input, cid),
  }),
  step({
    path: 'sanitised',
    body: sanitiseSchema,
    banner: 'Sanitised text saved',
    run: (intelligence, user, ref, input, cid) => intelligence.sanitise(user, ref, input.sanitisedText, cid),
  }),
  step({
    path: 'close',
    body: closeSchema,
    banner: 'Report closed',
    run: (intelligence, user, ref, input, cid) => intelligence.close(user, ref, input, cid),
  }),
  step({
    path: 'nominals',
    body: nominalLinkFormSchema,
    banner: 'Person linked',
    run: (intelligence, user, ref, link, cid) =>
      intelligence
        .links(user, ref, { nominals: [{ prisonerNumber: link.ref, role: link.role }] }, cid)
        .catch(onField('ref')),
  }),
  step({
    path: 'entities',
    body: linksSchema.shape.entities.unwrap().element,
    banner: 'Entity linked',
    run: (intelligence, user, ref, entity, cid) =>
      intelligence.links(user, ref, { entities: [entity] }, cid).catch(onField('value')),
  }),
  step({
    path: 'entity-decisions',
    body: entityDecisionSchema,
    banner: 'Entity decision saved',
    run: (intelligence, user, ref, input, cid) =>
      intelligence.decideEntity(user, ref, input.entityId, input.decision, cid),
  }),
]

type Shown = Pick<PageContext<unknown, unknown, unknown>, 'user' | 'correlationId' | 'render'>

/** One report: its page, its assessment steps, dissemination, the printable copy and its readers. */
export function reportPages(pages: Pages, intelligence: IntelligenceService) {
  /** The report page, with a form's errors and values when a step was refused. */
  async function showReport({ user, correlationId, render }: Shown, ref: string, form?: FormState) {
    const view = await intelligence.read(user, ref, correlationId)
    const report = view.report
    const scheme = report.grading?.scheme ?? (await intelligence.gradingScheme(report.establishmentCode))
    const where = { establishmentCode: report.establishmentCode, compartment: report.compartment }
    const canAssess = user.can('intelligence:assess', where)
    return render('report', {
      ...view,
      gradingText: gradingLabel(report.grading),
      scheme,
      actions: canAssess ? actionsFrom(report.status as ReportStatus) : [],
      canAssess,
      canDisseminate: user.can('intelligence:disseminate', where),
      canSeeReaders: user.can('intelligence:view-readers', { establishmentCode: report.establishmentCode }),
      ...form,
    })
  }

  pages.get('/intelligence/reports/:ref', {
    permission: 'intelligence:read',
    params: refParams,
    handler: context => showReport(context, context.params.ref),
  })

  for (const assessment of ASSESSMENT_STEPS) {
    pages.post(`/intelligence/reports/:ref/${assessment.path}`, {
      permission: 'intelligence:assess',
      params: refParams,
      body: assessment.body,
      invalid: (context, form) => showReport(context, context.params.ref, form),
      handler: async ({ user, params, body, correlationId, redirect }) => {
        await assessment.run(intelligence, user, params.ref, body, correlationId)
        return redirect(`/intelligence/reports/${params.ref}`, assessment.banner)
      },
    })
  }

  // A triage decision that the report is need-to-know: whoever lacks the compartment can no longer open it, so they
  // go back to the queue.
  pages.post('/intelligence/reports/:ref/compartment', {
    permission: 'intelligence:assess',
    params: refParams,
    body: restrictSchema,
    invalid: (context, form) => showReport(context, context.params.ref, form),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      const { stillVisible } = await intelligence.restrict(user, params.ref, body, correlationId)
      const banner = `${params.ref} is now seen only by the ${REPORT_COMPARTMENT_NAMES[body.compartment].toLowerCase()} compartment`
      return redirect(stillVisible ? `/intelligence/reports/${params.ref}` : '/intelligence/queue', banner)
    },
  })

  disseminationPages(pages, intelligence)

  pages.get('/intelligence/reports/:ref/readers', {
    permission: 'intelligence:view-readers',
    params: refParams,
    handler: async ({ user, params: { ref }, render }) =>
      render('readers', { ref, readers: await intelligence.readers(user, ref) }),
  })
}

/** Dissemination: the form, one dissemination as recorded, and its printable copy. */
function disseminationPages(pages: Pages, intelligence: IntelligenceService) {
  async function showForm(
    { user, correlationId, render }: Shown,
    ref: string,
    form: Partial<FormState> = { values: {} },
  ) {
    const view = await intelligence.read(user, ref, correlationId)
    return render('disseminate', {
      ...view,
      gradingText: gradingLabel(view.report.grading),
      canOverride: user.can('intelligence:override-handling', { establishmentCode: view.report.establishmentCode }),
      ...form,
    })
  }

  pages.get('/intelligence/reports/:ref/disseminate', {
    permission: 'intelligence:disseminate',
    params: refParams,
    handler: context => showForm(context, context.params.ref),
  })

  pages.post('/intelligence/reports/:ref/disseminate', {
    permission: 'intelligence:disseminate',
    params: refParams,
    body: disseminationSchema,
    invalid: (context, form) => showForm(context, context.params.ref, form),
    handler: async ({ user, params: { ref }, body, correlationId, redirect }) => {
      const { id } = await intelligence.disseminate(user, ref, body, correlationId)
      return redirect(`/intelligence/reports/${ref}/disseminations/${id}`, 'Dissemination recorded')
    },
  })

  const disseminationParams = refParams.extend({ id: z.uuid() })

  /** A dissemination with the grade as it was when shared: a later re-grading does not rewrite what was sent. */
  async function sharedAsIt(user: CurrentUser, params: z.output<typeof disseminationParams>, cid: string) {
    const view = await intelligence.dissemination(user, params.ref, params.id, cid)
    const shared = view.dissemination
    const grading = gradingFromColumns({ ...shared, gradingConditions: view.report.grading?.conditions ?? null })
    return { view, shared, grading }
  }

  pages.get('/intelligence/reports/:ref/disseminations/:id', {
    permission: 'intelligence:read',
    params: disseminationParams,
    handler: async ({ user, params, correlationId, render }) => {
      const { view, grading } = await sharedAsIt(user, params, correlationId)
      return render('dissemination', {
        ...view,
        report: { ...view.report, grading },
        gradingText: gradingLabel(grading),
      })
    },
  })

  pages.get('/intelligence/reports/:ref/disseminations/:id.pdf', {
    permission: 'intelligence:read',
    params: disseminationParams,
    handler: async ({ user, params, correlationId, reply }) => {
      const { view, shared: d, grading } = await sharedAsIt(user, params, correlationId)
      const handlingMeaning =
        (grading && GRADING_SCALES[grading.scheme].handling.find(h => h.code === grading.handling)?.meaning) ??
        d.gradingHandling
      const handling = `Grading: ${gradingLabel(grading)}. Handling: ${handlingMeaning}.`
      const ref = params.ref
      const pdf = await renderPdf(`Intelligence report ${ref}`, doc => {
        doc.font('Helvetica-Bold').fontSize(10).text(handling)
        doc.moveDown().font('Helvetica-Bold').fontSize(18).text(`Intelligence report ${ref}`)
        pdfField(doc, 'From', view.report.establishmentName)
        const recipientType = RECIPIENT_TYPE_NAMES[d.recipientType as keyof typeof RECIPIENT_TYPE_NAMES]
        pdfField(doc, 'Recipient', `${d.recipientName} (${recipientType ?? d.recipientType})`)
        pdfField(doc, 'Lawful purpose', PURPOSE_NAMES[d.purpose as keyof typeof PURPOSE_NAMES] ?? d.purpose)
        const at = d.disseminatedAt.toISOString().slice(0, 16).replace('T', ' ')
        pdfField(doc, 'Disseminated', `${at} UTC by ${d.authorisedBy}`)
        pdfField(doc, 'Intelligence', d.sanitisedText)
        doc.moveDown().font('Helvetica-Bold').fontSize(10).text(handling)
      })
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${ref}-dissemination.pdf"`)
        .send(pdf)
    },
  })
}
