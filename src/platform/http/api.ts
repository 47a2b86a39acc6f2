import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Permission } from '../access/roles.ts'
import type { CurrentUser } from '../access/user.ts'
import type { Db } from '../db/database.ts'
import { idempotent, keyOf } from '../idempotency/idempotency.ts'
import { parseInput, UnauthenticatedError } from './errors.ts'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

export type ApiRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> = {
  method: Method
  /** Fastify style: '/api/v1/users/:username'. */
  url: string
  /** The name a generated client gives the call, a verb and its object: 'submitIntelligenceReport'. */
  operationId: string
  summary: string
  tag: string
  /** Deny by default: an API route needs a permission too. */
  permission: Permission
  params?: P
  query?: Q
  body?: B
  response: z.ZodType
  /** Status of success; 200 unless said. */
  status?: number
  /**
   * The use case finds its own earlier result from the request's Idempotency-Key (a report's submission key), so a
   * retry whose first answer was lost when the server stopped may run it again to get that answer.
   */
  rerunnable?: boolean
  handler(input: {
    request: FastifyRequest
    reply: FastifyReply
    user: CurrentUser
    params: z.output<P>
    query: z.output<Q>
    body: z.output<B>
  }): Promise<unknown>
}

type Registered = {
  method: Method
  url: string
  operationId: string
  summary: string
  tag: string
  permission: Permission
  params?: z.ZodType
  query?: z.ZodType
  body?: z.ZodType
  response: z.ZodType
  status: number
}

/** The API's route table: every JSON route is registered through it, so the OpenAPI document cannot drift. */
export function createApi(db: Db) {
  const routes: Registered[] = []

  function route<
    P extends z.ZodType = z.ZodObject,
    Q extends z.ZodType = z.ZodObject,
    B extends z.ZodType = z.ZodUnknown,
  >(app: FastifyInstance, spec: ApiRoute<P, Q, B>) {
    const status = spec.status ?? 200
    if (routes.some(r => r.operationId === spec.operationId))
      throw new Error(`Two API routes are called ${spec.operationId}: operation ids name one call each`)
    routes.push({ ...spec, status })
    app.route({
      method: spec.method,
      url: spec.url,
      config: { permission: spec.permission },
      handler: async (request, reply) => {
        const params = spec.params ? parseInput(spec.params, request.params) : {}
        const query = spec.query ? parseInput(spec.query, request.query) : {}
        const body = spec.body ? parseInput(spec.body, request.body) : undefined
        const user = request.user
        if (!user) throw new UnauthenticatedError()
        // Set first, so a handler may answer otherwise (200 for a repeated submission, say).
        reply.code(status)
        const work = () =>
          spec.handler({
            request,
            reply,
            user,
            params: params as z.output<P>,
            query: query as z.output<Q>,
            body: body as z.output<B>,
          })
        const key = spec.method === 'POST' ? keyOf(request) : undefined
        if (!key) return work()
        return idempotent(
          db,
          request,
          reply,
          {
            userId: user.id,
            key,
            operation: spec.operationId,
            body,
            rerunnable: spec.rerunnable === true,
          },
          work,
        )
      },
    })
  }

  function document(info: { version: string }) {
    const paths: Record<string, Record<string, unknown>> = {}
    for (const r of routes) {
      const path = r.url.replace(/:([A-Za-z]+)/g, '{$1}')
      paths[path] ??= {}
      paths[path][r.method.toLowerCase()] = operationDocument(r)
    }
    return {
      openapi: '3.1.0',
      info: {
        title: 'Portcullis API',
        version: info.version,
        license: { name: 'MIT', identifier: 'MIT' },
        description:
          'The security management system for prisons. Authenticate with an API token issued by an administrator: ' +
          '`Authorization: Bearer pcl_…`. Errors are application/problem+json (RFC 9457). ' +
          'Every POST accepts an `Idempotency-Key` header (1 to 255 visible ASCII characters, a UUID say): send the ' +
          'same key when you retry a request whose answer you did not receive, and you get the first answer again ' +
          '(marked `Idempotency-Replayed: true`) instead of a second record. Keys are kept for 24 hours.',
      },
      servers: [{ url: '/' }],
      security: [{ bearer: [] }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        schemas: { Problem: PROBLEM_SCHEMA },
      },
      paths,
    }
  }

  return { route, document, routes: routes as readonly Registered[] }
}
export type Api = ReturnType<typeof createApi>

/** One operation of the OpenAPI document. */
function operationDocument(r: Registered) {
  const parameters = [
    ...objectParameters(r.params, 'path'),
    ...objectParameters(r.query, 'query'),
    ...(r.method === 'POST' ? [IDEMPOTENCY_PARAMETER] : []),
  ]
  return {
    operationId: r.operationId,
    summary: r.summary,
    tags: [r.tag],
    'x-permission': r.permission,
    ...(parameters.length ? { parameters } : {}),
    ...(r.body
      ? {
          requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } },
        }
      : {}),
    responses: {
      [String(r.status)]: {
        description: 'Success',
        content: { 'application/json': { schema: jsonSchema(r.response, 'output') } },
      },
      '400': problemResponse('Invalid input: each invalid field is named in errors'),
      '401': problemResponse('No valid credentials'),
      '403': problemResponse('The credentials do not carry the permission'),
      '404': problemResponse('Not found, or outside your scope'),
      ...(r.method === 'POST'
        ? {
            '409': problemResponse('A request with the same Idempotency-Key is still being processed'),
            '422': problemResponse('The Idempotency-Key was used before for a different request'),
          }
        : {}),
    },
  }
}

const IDEMPOTENCY_PARAMETER = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'A key unique to this request. A retry with the same key and body gets the first answer instead of doing the ' +
    'work twice; the same key with a different body is refused (422). Kept for 24 hours.',
  schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >
  return rest
}

function objectParameters(schema: z.ZodType | undefined, where: 'path' | 'query') {
  if (!schema) return []
  const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] }
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }))
}

function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } }
}

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    correlationId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
}
