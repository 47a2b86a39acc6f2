import { z } from 'zod'
import { ENTITY_TYPE_NAMES, ENTITY_TYPES } from './entities.ts'
import {
  GRADING_SCALES,
  NOMINAL_ROLES,
  PURPOSE_NAMES,
  PURPOSES,
  RECIPIENT_TYPE_NAMES,
  RECIPIENT_TYPES,
  REPORT_COMPARTMENT_NAMES,
  REPORT_COMPARTMENTS,
  SOURCE_TYPE_NAMES,
  SOURCE_TYPES,
  STATUS_NAMES,
  STATUSES,
  THREAT_AREA_NAMES,
  THREAT_AREAS,
} from './rules.ts'
import { reportReference } from './schema.ts'

export const VIEWS = 'modules/intelligence/views'

export const refParams = z.object({ ref: reportReference })

/** Names for every code a template shows, in one place. */
export const LABELS = {
  sourceTypes: SOURCE_TYPE_NAMES,
  threatAreas: THREAT_AREA_NAMES,
  statuses: STATUS_NAMES,
  recipientTypes: RECIPIENT_TYPE_NAMES,
  purposes: PURPOSE_NAMES,
  entityTypes: ENTITY_TYPE_NAMES,
  compartments: REPORT_COMPARTMENT_NAMES,
}

/** The options of every list a form offers. */
export const CHOICES = {
  sourceTypes: SOURCE_TYPES,
  threatAreas: THREAT_AREAS,
  statuses: STATUSES,
  recipientTypes: RECIPIENT_TYPES,
  purposes: PURPOSES,
  entityTypes: ENTITY_TYPES,
  roles: NOMINAL_ROLES,
  scales: GRADING_SCALES,
  compartments: REPORT_COMPARTMENTS,
}

/** The pages' labels and choices, given once to every intelligence template. */
export const PAGE_LOCALS = { views: VIEWS, locals: { labels: LABELS, choices: CHOICES } }
