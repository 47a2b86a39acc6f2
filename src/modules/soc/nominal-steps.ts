import type { z } from 'zod'
import type { Permission } from '../../platform/access/roles.ts'
import type { CurrentUser } from '../../platform/access/user.ts'
import {
  actionParams,
  actionSchema,
  actionStatusSchema,
  milestoneSchema,
  personParams,
  reviewSchema,
  triggerSchema,
} from './schema.ts'
import type { SocService } from './service.ts'

// The forms of a SOC nominal's page as one table, like TRANSITIONS in intelligence/rules.ts: each step is a POST
// to /soc/nominals/:prisonerNumber/<path>, with the permission it needs, what it accepts, the use case it runs,
// and the banner shown after. Invalid input shows the page again with the errors of that one form.

type StepInput<P, B> = { user: CurrentUser; params: P; body: B; correlationId: string }

type PersonParams = z.ZodType<{ prisonerNumber: string }>

export type NominalStep<P extends PersonParams = PersonParams, B extends z.ZodType = z.ZodType> = {
  /** After /soc/nominals/:prisonerNumber/. */
  path: string
  /** The form on the nominal page that shows this step's errors and values. */
  form: string
  permission: Permission
  params: P
  body: B
  banner: string
  perform(soc: SocService, input: StepInput<z.output<P>, z.output<B>>): Promise<unknown>
}

/** Keeps each row typed by its own schemas, then lets the rows share one table. */
const step = <P extends PersonParams, B extends z.ZodType>(row: NominalStep<P, B>) => row as unknown as NominalStep

export const NOMINAL_STEPS: readonly NominalStep[] = [
  step({
    path: 'reviews',
    form: 'review',
    permission: 'soc:case',
    params: personParams,
    body: reviewSchema,
    banner: 'Review recorded',
    perform: (soc, { user, params, body, correlationId }) =>
      soc.review(user, params.prisonerNumber, body, correlationId),
  }),
  step({
    path: 'actions',
    form: 'action',
    permission: 'soc:case',
    params: personParams,
    body: actionSchema,
    banner: 'Action added to the case plan',
    perform: (soc, { user, params, body, correlationId }) =>
      soc.addAction(user, params.prisonerNumber, body, correlationId),
  }),
  step({
    path: 'actions/:id',
    form: 'action-status',
    permission: 'soc:case',
    params: actionParams,
    body: actionStatusSchema,
    banner: 'Action updated',
    perform: (soc, { user, params, body, correlationId }) =>
      soc.setActionStatus(user, params.prisonerNumber, params.id, body.status, correlationId),
  }),
  step({
    path: 'milestones',
    form: 'milestone',
    permission: 'soc:case',
    params: personParams,
    body: milestoneSchema,
    banner: 'Release hand-off recorded',
    perform: (soc, { user, params, body, correlationId }) =>
      soc.recordMilestone(user, params.prisonerNumber, body, correlationId),
  }),
  step({
    path: 'triggers',
    form: 'trigger',
    permission: 'soc:trigger',
    params: personParams,
    body: triggerSchema,
    banner: 'Trigger point recorded and flagged to SOCU',
    perform: (soc, { user, params, body, correlationId }) =>
      soc.trigger(user, params.prisonerNumber, body, correlationId),
  }),
]
