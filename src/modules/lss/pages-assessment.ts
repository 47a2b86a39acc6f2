import type { z } from 'zod'
import type { CurrentUser } from '../../platform/access/user.ts'
import type { FormState, PageContext, Pages } from '../../platform/http/pages.ts'
import type { AssessmentItem } from './risk-assessment.ts'
import { COMPONENT_NAMES, COMPONENTS, RISK_AREA_NAMES, THREAT_AREAS } from './rules.ts'
import {
  ASSESSMENT_ADDITIONS,
  completeSchema,
  establishmentQuery,
  refParams,
  significantChangeSchema,
  startAssessmentSchema,
} from './schema.ts'
import type { LssService } from './service.ts'

/** The assessment with its findings laid out as the grid of threat areas × components (LSS PF 6.2). */
async function assessmentView(lss: LssService, user: CurrentUser, ref: string, correlationId: string) {
  const view = await lss.assessment(user, ref, correlationId)
  const grid = THREAT_AREAS.map(area => ({
    area,
    name: RISK_AREA_NAMES[area],
    components: COMPONENTS.map(component => ({
      component,
      name: COMPONENT_NAMES[component],
      findings: view.findings.filter(f => f.threatArea === area && f.component === component),
    })),
  }))
  return { ...view, grid, values: {} }
}

/** The risk assessments of an establishment: starting one, recording a significant change in risk. */
export function assessmentPages(pages: Pages, lss: LssService) {
  pages.get('/lss/assessments', {
    permission: 'lss:read',
    query: establishmentQuery,
    handler: async ({ user, query, render }) =>
      render('assessments', {
        ...(await lss.assessments(user, query.establishment ?? user.establishmentCode)),
        values: {},
      }),
  })

  const listAgain = async ({ user, render }: PageContext<object, unknown, unknown>, form: FormState) =>
    render('assessments', { ...(await lss.assessments(user, user.establishmentCode)), ...form })

  pages.post('/lss/assessments', {
    permission: 'lss:assess',
    body: startAssessmentSchema,
    invalid: listAgain,
    handler: async ({ user, body, correlationId, redirect }) => {
      const { ref } = await lss.startAssessment(user, body, correlationId)
      return redirect(`/lss/assessments/${ref}`)
    },
  })

  pages.post('/lss/significant-changes', {
    permission: 'lss:assess',
    body: significantChangeSchema,
    invalid: listAgain,
    handler: async ({ user, body, correlationId, redirect }) => {
      await lss.recordSignificantChange(user, body, correlationId)
      return redirect('/lss/assessments', 'Significant change recorded: a new risk assessment is now due')
    },
  })

  assessmentStepPages(pages, lss)
}

/** One assessment: adding findings, evidence, contributors and actions, and completing it. */
function assessmentStepPages(pages: Pages, lss: LssService) {
  pages.get('/lss/assessments/:ref', {
    permission: 'lss:read',
    params: refParams,
    handler: async ({ user, params, correlationId, render }) =>
      render('assessment', await assessmentView(lss, user, params.ref, correlationId)),
  })

  for (const [path, { schema, kind }] of Object.entries(ASSESSMENT_ADDITIONS)) {
    pages.post(`/lss/assessments/:ref/${path}`, {
      permission: 'lss:assess',
      params: refParams,
      body: schema as z.ZodType<Record<string, unknown>>,
      invalid: async ({ user, params, correlationId, render }, form) =>
        render('assessment', { ...(await assessmentView(lss, user, params.ref, correlationId)), form: path, ...form }),
      handler: async ({ user, params, body, correlationId, redirect }) => {
        await lss.addToAssessment(user, params.ref, { kind, ...body } as AssessmentItem, correlationId)
        return redirect(`/lss/assessments/${params.ref}#${path}`, 'Added to the assessment')
      },
    })
  }

  pages.post('/lss/assessments/:ref/complete', {
    permission: 'lss:assess',
    params: refParams,
    body: completeSchema,
    invalid: async ({ user, params, correlationId, render }, form) =>
      render('assessment', {
        ...(await assessmentView(lss, user, params.ref, correlationId)),
        form: 'complete',
        ...form,
      }),
    handler: async ({ user, params, body, correlationId, redirect }) => {
      await lss.completeAssessment(user, params.ref, body.summary, correlationId)
      return redirect(`/lss/assessments/${params.ref}`, 'Risk assessment completed')
    },
  })
}
