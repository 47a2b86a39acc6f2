import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import fastifyView from '@fastify/view'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import nunjucks from 'nunjucks'
import type { FieldError } from '../http/errors.ts'
import { nameCase } from './text.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SRC = path.join(ROOT, 'src')
const GOVUK = path.join(ROOT, 'node_modules/govuk-frontend/dist')
const MOJ = path.join(ROOT, 'node_modules/@ministryofjustice/frontend')

const LONDON = 'Europe/London'
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: LONDON })
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: LONDON,
})

/** "23 November 2026": calendar dates ('YYYY-MM-DD') as they are, instants in Europe/London. */
export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return ''
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return dayFormat.format(new Date(`${value}T12:00:00Z`))
  }
  return dayFormat.format(new Date(value))
}

/** "23 November 2026 at 14:05", in Europe/London, on the 24-hour clock. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return ''
  const date = new Date(value)
  return `${dayFormat.format(date)} at ${formatTime(date)}`
}

/** "14:05", in Europe/London, on the 24-hour clock. */
export function formatTime(value: Date | string | null | undefined): string {
  if (!value) return ''
  return timeFormat.format(new Date(value))
}

/** The error summary and per-field messages of the GOV.UK error pattern, from one list of field errors. */
export function errorView(fields: readonly FieldError[]) {
  return {
    summary: fields.map(error => ({ text: error.message, href: `#${fieldId(error.field)}` })),
    byField: Object.fromEntries(fields.map(error => [error.field, { text: error.message }])) as Record<
      string,
      { text: string }
    >,
  }
}

/** The id of the input a field's error links to: dots become hyphens. */
export function fieldId(field: string): string {
  return field.replace(/\./g, '-')
}

function configureNunjucks(env: nunjucks.Environment) {
  env.addFilter('nameCase', nameCase)
  env.addFilter('date', formatDate)
  env.addFilter('dateTime', formatDateTime)
  env.addFilter('time', formatTime)
  env.addFilter('fieldId', fieldId)
  env.addGlobal('serviceName', 'Portcullis')
}

/** Nunjucks with the GOV.UK and MoJ templates, and the design systems' assets served from node_modules. */
export const views = fp(async (app: FastifyInstance, options: { production: boolean }) => {
  await app.register(fastifyView, {
    engine: { nunjucks },
    templates: [path.join(SRC, 'platform/views/templates'), SRC, GOVUK, MOJ],
    production: options.production,
    options: { onConfigure: configureNunjucks, autoescape: true, throwOnUndefined: false },
  })

  // Static files are public: a plugin of their own marks every route it adds as such.
  await app.register(async assets => {
    assets.addHook('onRoute', route => {
      route.config = { ...(route.config ?? {}), public: true }
    })
    await assets.register(fastifyStatic, {
      root: [path.join(GOVUK, 'govuk/assets'), path.join(MOJ, 'moj/assets')],
      prefix: '/assets/',
      index: false,
      maxAge: options.production ? '1d' : 0,
    })
    await assets.register(fastifyStatic, {
      root: path.join(GOVUK, 'govuk'),
      prefix: '/assets/govuk/',
      decorateReply: false,
      index: false,
      allowedPath: file => /\.(css|js|mjs|map)$/.test(file),
    })
    await assets.register(fastifyStatic, {
      root: path.join(MOJ, 'moj'),
      prefix: '/assets/moj/',
      decorateReply: false,
      index: false,
      allowedPath: file => /\.(css|js|mjs|map)$/.test(file),
    })
    await assets.register(fastifyStatic, {
      root: path.join(ROOT, 'node_modules/cytoscape/dist'),
      prefix: '/assets/vendor/cytoscape/',
      decorateReply: false,
      index: false,
      allowedPath: file => file === '/cytoscape.min.js',
    })
    await assets.register(fastifyStatic, {
      root: path.join(SRC, 'platform/views/assets'),
      prefix: '/assets/app/',
      decorateReply: false,
      index: false,
    })
  })
})
