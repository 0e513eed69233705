// The OpenAPI 3.1 document at /api/v1/openapi.json, generated from the operation table and the
// forms' zod schemas with zod's own JSON Schema output (z.toJSONSchema, draft 2020-12: OpenAPI
// 3.1's dialect). Built once per process.
import { z } from '~/modules/forms/validation'
import { API_OPERATIONS, type ApiOperation } from './operations.server'
import { PROBLEM_TYPE } from './problem.server'
import { API_SCOPES } from './scopes'

type JsonSchema = Record<string, unknown>

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema
  return rest
}

const problemRef = { $ref: '#/components/schemas/Problem' }
const problem = (description: string, headers?: Record<string, unknown>) => ({ description, ...(headers ? { headers } : {}), content: { [PROBLEM_TYPE]: { schema: problemRef } } })

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details, in the language of Accept-Language (English or Simplified Chinese).',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', description: 'A URI naming the kind of problem, e.g. urn:clausewise:problem:validation' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Each invalid field: its path in the body or query, a JSON Pointer, and what is wrong.',
      items: {
        type: 'object',
        required: ['field', 'pointer', 'detail'],
        properties: { field: { type: 'string' }, pointer: { type: 'string' }, detail: { type: 'string' } },
      },
    },
  },
}

/** Every record the API returns has its id (what links and path parameters take). */
const RECORD_SCHEMA: JsonSchema = { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{24}$' } } }

const PAGE_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['data', 'nextCursor'],
  properties: {
    data: { type: 'array', items: RECORD_SCHEMA },
    nextCursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page; null on the last page.' },
  },
}

/** The two answers that are not one record. */
const BODY_SCHEMAS: Record<string, JsonSchema> = {
  listVendorContracts: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: RECORD_SCHEMA } } },
  getSchedule: {
    type: 'object',
    required: ['bucket', 'total', 'limit', 'data'],
    properties: { bucket: { type: 'string' }, total: { type: 'integer' }, limit: { type: 'integer' }, data: { type: 'array', items: { type: 'object' } } },
  },
}

/**
 * OpenAPI links: where the ids (and versions) a response gives can be used next. Clients read
 * them as documentation; schemathesis's stateful phase follows them to real records.
 */
const link = (operationId: string, parameters: Record<string, string>) => ({ operationId, parameters })
const firstOfPage = '$response.body#/data/0/id'
const LINKS: Record<string, Record<string, ReturnType<typeof link>>> = {
  listVendors: {
    GetVendor: link('getVendor', { vendorId: firstOfPage }),
    ListVendorContracts: link('listVendorContracts', { vendorId: firstOfPage }),
  },
  createVendor: {
    GetVendor: link('getVendor', { vendorId: '$response.body#/id' }),
    UpdateVendor: link('updateVendor', { vendorId: '$response.body#/id', 'header.If-Match': '$response.header.ETag' }),
  },
  getVendor: {
    UpdateVendor: link('updateVendor', { vendorId: '$request.path.vendorId', 'header.If-Match': '$response.header.ETag' }),
    ListVendorContracts: link('listVendorContracts', { vendorId: '$request.path.vendorId' }),
  },
  listVendorContracts: { GetContract: link('getContract', { vendorId: '$request.path.vendorId', contractId: firstOfPage }) },
  listAssessments: { GetAssessment: link('getAssessment', { assessmentId: firstOfPage }) },
  startAssessment: { GetAssessment: link('getAssessment', { assessmentId: '$response.body#/id' }) },
  listFindings: { GetFinding: link('getFinding', { findingId: firstOfPage }) },
  getFinding: { UpdateFinding: link('updateFinding', { findingId: '$request.path.findingId', 'header.If-Match': '$response.header.ETag' }) },
  listIncidents: { GetIncident: link('getIncident', { incidentId: firstOfPage }) },
}

function parametersOf(operation: ApiOperation) {
  const pathParams = [...operation.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[0-9a-f]{24}$' },
  }))
  const query = operation.query ? jsonSchemaOf(operation.query) : null
  const required = new Set((query?.required as string[] | undefined) ?? [])
  const queryParams = Object.entries((query?.properties as Record<string, JsonSchema> | undefined) ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema,
    ...(name === 'cursor' ? { description: 'The previous page’s nextCursor.' } : {}),
  }))
  const headers = operation.versioned
    ? [{ name: 'If-Match', in: 'header', required: false, description: 'The ETag of the version you read, e.g. "3".', schema: { type: 'string', pattern: '^(W/)?"[0-9]{1,9}"$' } }]
    : []
  return [...pathParams, ...queryParams, ...headers]
}

function operationObject(operation: ApiOperation) {
  const etag = { ETag: { description: 'The version, for If-Match.', schema: { type: 'string' } } }
  const links = LINKS[operation.id] ? { links: LINKS[operation.id] } : {}
  const schema = BODY_SCHEMAS[operation.id] ?? RECORD_SCHEMA
  const success =
    operation.returns === 'page'
      ? { '200': { description: 'A page.', content: { 'application/json': { schema: PAGE_SCHEMA } }, ...links } }
      : operation.returns === 'created'
        ? { '201': { description: 'Created.', headers: { Location: { schema: { type: 'string' } }, ...etag }, content: { 'application/json': { schema } }, ...links } }
        : { '200': { description: 'OK.', headers: etag, content: { 'application/json': { schema } }, ...links } }
  return {
    operationId: operation.id,
    tags: [operation.tag],
    summary: operation.summary,
    description: `${operation.description ? `${operation.description}\n\n` : ''}Scope: \`${operation.scope}\`.`,
    security: [{ bearerToken: [] }],
    parameters: parametersOf(operation),
    ...(operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(operation.body()) } } } } : {}),
    responses: {
      ...success,
      '400': problem('The query, body or If-Match is not valid: `errors` names each field.'),
      '401': problem('No token, or an unknown, expired or revoked one.', { 'WWW-Authenticate': { schema: { type: 'string' } } }),
      '403': problem(`The token lacks the scope \`${operation.scope}\`.`),
      '404': problem('No such record.'),
      ...(operation.body ? { '413': problem('The body is over 256 KiB.'), '415': problem('The body is not JSON.') } : {}),
      ...(operation.returns !== 'page' && operation.method !== 'get' ? { '409': problem('Someone changed the record since you read it (stale version), or it cannot change now.') } : {}),
      ...(operation.versioned ? { '428': problem('Send If-Match (or `version` in the body).') } : {}),
      '429': problem('Too many calls with this token: wait Retry-After seconds.', { 'Retry-After': { schema: { type: 'integer' } } }),
      '503': problem('The database is restarting: retry after Retry-After seconds.', { 'Retry-After': { schema: { type: 'integer' } } }),
    },
  }
}

let cached: JsonSchema | null = null

export function openApiDocument(): JsonSchema {
  if (cached) return cached
  const paths: Record<string, Record<string, unknown>> = {}
  for (const operation of API_OPERATIONS) (paths[operation.path] ??= {})[operation.method] = operationObject(operation)
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Clausewise API',
      version: '1.0.0',
      description:
        'Vendors, contracts, assessments, findings, incidents and the schedule of Clausewise. Authenticate with an API token created by an admin (Admin → API tokens): `Authorization: Bearer cw_…`. Lists are keyset pages (`limit`, `cursor`); updates need `If-Match`; errors are RFC 9457 problem details in the language of `Accept-Language`. See docs/api.md.',
    },
    servers: [{ url: '/api/v1' }],
    tags: ['vendors', 'contracts', 'assessments', 'findings', 'incidents', 'schedule'].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: `An API token. Scopes: ${API_SCOPES.join(', ')}.` } },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
  }
  return cached
}
