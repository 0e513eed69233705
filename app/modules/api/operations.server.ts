// The REST API's operations: one table of method, path, scope, schemas and handler. The router
// (handler.server.ts) and the OpenAPI document (openapi.server.ts) both read it, so what is
// documented is what is served. Handlers are thin: they call the domain functions the staff pages
// call, with the token as the actor.
import { getEnv } from '~/env.server'
import type { Locale } from '~/i18n/locales'
import { getAssessmentHeader, listAssessmentsAfter } from '~/modules/assessments/assessments.server'
import { dayIn } from '~/modules/dates/dates'
import { startAssessmentSchema } from '~/modules/assessments/staff-schemas'
import { startAssessmentFromForm } from '~/modules/assessments/start.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { getContract, listContracts, vendorForContracts } from '~/modules/contracts/contracts.server'
import { getFinding, listAssessmentFindings, listFindingsAfter, updateFinding } from '~/modules/findings/findings.server'
import { fieldErrorsOf, z, type FieldErrors } from '~/modules/forms/validation'
import { getIncident, listIncidentsAfter } from '~/modules/incidents/incidents.server'
import { loadAssessment, storedScoreOf } from '~/modules/review/score.server'
import { bucketVendors } from '~/modules/schedule/dashboard.server'
import { parseBucket } from '~/modules/schedule/buckets'
import { vendorInputSchema } from '~/modules/vendors/schemas'
import { getVendor, listVendorsAfter } from '~/modules/vendors/vendors.server'
import { createVendor, updateVendor } from '~/modules/vendors/writes.server'
import type { ProblemKind } from './problem.server'
import {
  assessmentListParams,
  decodeCursor,
  encodeCursor,
  findingListParams,
  findingPatchSchema,
  incidentListParams,
  objectIdParam,
  scheduleParams,
  vendorListParams,
} from './schemas'
import type { ApiScope } from './scopes'

/** What a handler answers: data (JSON), or a problem the router turns into problem+json. */
export type ApiResult =
  | { status: 200 | 201; body: unknown; etag?: number; location?: string }
  | { problem: ProblemKind; fieldErrors?: FieldErrors; detail?: string }

export interface ApiCall {
  params: Record<string, string>
  query: Record<string, unknown>
  body: unknown
  /** The version from If-Match, when sent. */
  ifMatch: number | null
  actor: SessionUser
  locale: Locale
  now: Date
}

export interface ApiOperation {
  id: string
  method: 'get' | 'post' | 'put' | 'patch'
  /** OpenAPI path template under /api/v1, e.g. /vendors/{vendorId}. */
  path: string
  scope: ApiScope
  tag: 'vendors' | 'contracts' | 'assessments' | 'findings' | 'incidents' | 'schedule'
  summary: string
  description?: string
  query?: z.ZodObject
  /** The request body's schema (for the document; the handler validates with the domain function). */
  body?: () => z.ZodType
  /** What a success looks like: a page of items, one item, or one item created. */
  returns: 'page' | 'item' | 'created'
  /** Reads If-Match (updates). */
  versioned?: boolean
  run: (call: ApiCall) => Promise<ApiResult>
}

const today = () => dayIn(new Date(), getEnv().INSTITUTION_TIMEZONE)

/** A keyset page: one more than asked tells whether there is a next page. */
async function keysetPage<T extends { id: string }>(query: { limit: number; cursor?: string }, read: (afterId: string | null, limit: number) => Promise<T[]>): Promise<ApiResult> {
  const afterId = query.cursor ? decodeCursor(query.cursor) : null
  if (query.cursor && !afterId) return { problem: 'validation', fieldErrors: { cursor: ['api:errors.cursor'] } }
  const rows = await read(afterId, query.limit + 1)
  const data = rows.slice(0, query.limit)
  const last = data.at(-1)
  return { status: 200, body: { data, nextCursor: rows.length > query.limit && last ? encodeCursor(last.id) : null } }
}

/** A domain write's refusal as a problem. */
function refusal(result: { status: 400 | 404 | 409; fieldErrors: FieldErrors; formError?: string }): ApiResult {
  if (result.status === 404) return { problem: 'notFound' }
  if (result.status === 409) return result.formError === 'errors:conflict' ? { problem: 'versionConflict' } : { problem: 'conflict', detail: result.formError }
  return { problem: 'validation', fieldErrors: result.fieldErrors, detail: result.formError }
}

/** A JSON body must be an object: the forms' schemas read fields from it. */
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const notAnObject: ApiResult = { problem: 'validation', fieldErrors: { _form: ['api:errors.bodyObject'] } }

/** The version an update is checked against: If-Match first, else the body's `version`. */
function versionOf(call: ApiCall): number | null {
  if (call.ifMatch !== null) return call.ifMatch
  const version = isObject(call.body) ? call.body.version : undefined
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : null
}

export const API_OPERATIONS: ApiOperation[] = [
  {
    id: 'listVendors',
    method: 'get',
    path: '/vendors',
    scope: 'vendors:read',
    tag: 'vendors',
    summary: 'List vendors',
    description: 'The vendor list page’s filters, in the order vendors were added; page with `cursor`.',
    query: vendorListParams,
    returns: 'page',
    run: (call) => {
      const query = call.query as z.output<typeof vendorListParams>
      return keysetPage(query, (afterId, limit) => listVendorsAfter(query, afterId, limit))
    },
  },
  {
    id: 'createVendor',
    method: 'post',
    path: '/vendors',
    scope: 'vendors:write',
    tag: 'vendors',
    summary: 'Create a vendor',
    description: 'The same fields and rules as the New vendor form. The inherent risk tier is computed.',
    body: () => vendorInputSchema,
    returns: 'created',
    run: async (call) => {
      if (!isObject(call.body)) return notAnObject
      const result = await createVendor(call.body, call.actor)
      if (!result.ok) return refusal(result)
      return { status: 201, body: await getVendor(result.vendorId), etag: result.version, location: `/api/v1/vendors/${result.vendorId}` }
    },
  },
  {
    id: 'getVendor',
    method: 'get',
    path: '/vendors/{vendorId}',
    scope: 'vendors:read',
    tag: 'vendors',
    summary: 'Read a vendor',
    description: 'The response’s ETag is the vendor’s version: send it back in If-Match to update.',
    returns: 'item',
    run: async (call) => {
      const vendor = await getVendor(call.params.vendorId!)
      return vendor ? { status: 200, body: vendor, etag: vendor.version } : { problem: 'notFound' }
    },
  },
  {
    id: 'updateVendor',
    method: 'put',
    path: '/vendors/{vendorId}',
    scope: 'vendors:write',
    tag: 'vendors',
    summary: 'Update a vendor',
    description: 'The whole vendor, as in the Edit vendor form. `If-Match: "<version>"` (or `version` in the body) is required: a stale version is 409.',
    body: () => vendorInputSchema,
    returns: 'item',
    versioned: true,
    run: async (call) => {
      if (!isObject(call.body)) return notAnObject
      const version = versionOf(call)
      if (version === null) return { problem: 'versionRequired' }
      const result = await updateVendor(call.params.vendorId!, { ...call.body, version }, call.actor)
      if (!result.ok) return refusal(result)
      return { status: 200, body: await getVendor(result.vendorId), etag: result.version }
    },
  },
  {
    id: 'listVendorContracts',
    method: 'get',
    path: '/vendors/{vendorId}/contracts',
    scope: 'contracts:read',
    tag: 'contracts',
    summary: 'List a vendor’s contracts',
    returns: 'item',
    run: async (call) => {
      if (!(await vendorForContracts(call.params.vendorId!))) return { problem: 'notFound' }
      return { status: 200, body: { data: await listContracts(call.params.vendorId!) } }
    },
  },
  {
    id: 'getContract',
    method: 'get',
    path: '/vendors/{vendorId}/contracts/{contractId}',
    scope: 'contracts:read',
    tag: 'contracts',
    summary: 'Read a contract',
    returns: 'item',
    run: async (call) => {
      const contract = await getContract(call.params.vendorId!, call.params.contractId!)
      return contract ? { status: 200, body: contract } : { problem: 'notFound' }
    },
  },
  {
    id: 'listAssessments',
    method: 'get',
    path: '/assessments',
    scope: 'assessments:read',
    tag: 'assessments',
    summary: 'List assessments',
    description: 'The assessment list page’s filters, in the order assessments were started.',
    query: assessmentListParams,
    returns: 'page',
    run: (call) => {
      const query = call.query as z.output<typeof assessmentListParams>
      return keysetPage(query, (afterId, limit) => listAssessmentsAfter(query, afterId, limit, call.now))
    },
  },
  {
    id: 'startAssessment',
    method: 'post',
    path: '/assessments',
    scope: 'assessments:write',
    tag: 'assessments',
    summary: 'Start an assessment',
    description: 'As the New assessment form: questionnaires as `id@version`, the contacts to invite, a due day after today. The invitations are e-mailed.',
    body: () => startAssessmentSchema(today()),
    returns: 'created',
    run: async (call) => {
      if (!isObject(call.body)) return notAnObject
      const timeZone = getEnv().INSTITUTION_TIMEZONE
      const parsed = startAssessmentSchema(dayIn(call.now, timeZone)).safeParse(call.body)
      if (!parsed.success) return { problem: 'validation', fieldErrors: fieldErrorsOf(parsed.error) }
      const result = await startAssessmentFromForm(parsed.data, { kind: 'user', id: call.actor.id, name: call.actor.name }, timeZone)
      if (!result.ok) return { problem: 'validation', fieldErrors: result.fieldErrors }
      return { status: 201, body: await assessmentDetail(result.assessmentId, call.locale), location: `/api/v1/assessments/${result.assessmentId}` }
    },
  },
  {
    id: 'getAssessment',
    method: 'get',
    path: '/assessments/{assessmentId}',
    scope: 'assessments:read',
    tag: 'assessments',
    summary: 'Read an assessment',
    description: 'Status and progress, the control score with each clause’s result, the residual risk, and the findings.',
    returns: 'item',
    run: async (call) => {
      const detail = await assessmentDetail(call.params.assessmentId!, call.locale)
      return detail ? { status: 200, body: detail } : { problem: 'notFound' }
    },
  },
  {
    id: 'listFindings',
    method: 'get',
    path: '/findings',
    scope: 'findings:read',
    tag: 'findings',
    summary: 'List findings',
    description: 'The findings page’s filters, in the order findings were opened.',
    query: findingListParams,
    returns: 'page',
    run: (call) => {
      const { vendorId, overdue, ...rest } = call.query as z.output<typeof findingListParams>
      return keysetPage(rest, (afterId, limit) => listFindingsAfter({ ...rest, vendor: vendorId, overdue: overdue ?? false }, afterId, limit, call.locale, call.now))
    },
  },
  {
    id: 'getFinding',
    method: 'get',
    path: '/findings/{findingId}',
    scope: 'findings:read',
    tag: 'findings',
    summary: 'Read a finding',
    returns: 'item',
    run: async (call) => {
      const finding = await getFinding(call.params.findingId!, call.locale)
      return finding ? { status: 200, body: finding, etag: finding.version } : { problem: 'notFound' }
    },
  },
  {
    id: 'updateFinding',
    method: 'patch',
    path: '/findings/{findingId}',
    scope: 'findings:write',
    tag: 'findings',
    summary: 'Change a finding’s status',
    description: 'The new status with a justification (`comment`); accepting a risk also needs `riskJustification` and `riskApprover`. Fields left out keep their value. `If-Match` (or `version`) is required: a stale version is 409.',
    body: () => findingPatchSchema,
    returns: 'item',
    versioned: true,
    run: async (call) => {
      if (!isObject(call.body)) return notAnObject
      const parsed = findingPatchSchema.safeParse(call.body)
      if (!parsed.success) return { problem: 'validation', fieldErrors: fieldErrorsOf(parsed.error) }
      const version = versionOf(call)
      if (version === null) return { problem: 'versionRequired' }
      const current = await getFinding(call.params.findingId!, call.locale)
      if (!current) return { problem: 'notFound' }
      const change = parsed.data
      const result = await updateFinding(
        current.id,
        {
          version,
          status: change.status,
          comment: change.comment,
          severity: change.severity ?? current.severity,
          owner: change.owner ?? current.owner,
          ownerName: change.ownerName ?? current.ownerName,
          dueAt: change.dueAt ?? dayIn(current.dueAt, getEnv().INSTITUTION_TIMEZONE),
          remediation: change.remediation ?? current.remediation,
          riskJustification: change.riskJustification ?? current.riskAcceptance?.justification,
          riskApprover: change.riskApprover ?? current.riskAcceptance?.approverName,
        },
        call.actor,
        call.now,
      )
      if (!result.ok) return refusal(result)
      const updated = await getFinding(current.id, call.locale)
      return { status: 200, body: updated, etag: result.version }
    },
  },
  {
    id: 'listIncidents',
    method: 'get',
    path: '/incidents',
    scope: 'incidents:read',
    tag: 'incidents',
    summary: 'List incidents',
    query: incidentListParams,
    returns: 'page',
    run: (call) => {
      const query = call.query as z.output<typeof incidentListParams>
      return keysetPage(query, (afterId, limit) => listIncidentsAfter(query, afterId, limit, call.locale, call.now))
    },
  },
  {
    id: 'getIncident',
    method: 'get',
    path: '/incidents/{incidentId}',
    scope: 'incidents:read',
    tag: 'incidents',
    summary: 'Read an incident',
    returns: 'item',
    run: async (call) => {
      const incident = await getIncident(call.params.incidentId!, call.now)
      return incident ? { status: 200, body: incident } : { problem: 'notFound' }
    },
  },
  {
    id: 'getSchedule',
    method: 'get',
    path: '/schedule',
    scope: 'schedule:read',
    tag: 'schedule',
    summary: 'What is due',
    description: 'The vendors behind one of the dashboard’s figures: reassessments overdue or due within 30/60/90 days, in progress, awaiting review, not covered, contracts expiring, not issued.',
    query: scheduleParams,
    returns: 'item',
    run: async (call) => {
      const { bucket: slug } = call.query as z.output<typeof scheduleParams>
      const bucket = parseBucket(slug, new URLSearchParams())
      if (!bucket) return { problem: 'validation', fieldErrors: { bucket: ['errors:choice'] } }
      const { rows, total, limit } = await bucketVendors(bucket, call.now)
      return { status: 200, body: { bucket: slug, total, limit, data: rows } }
    },
  },
]

/** Path parameters: every `{…Id}` is a 24-digit hexadecimal id. */
export const pathParamSchema = objectIdParam

/** An assessment with its score (each clause's result), residual risk and findings. */
async function assessmentDetail(id: string, locale: Locale) {
  const header = await getAssessmentHeader(id)
  if (!header) return null
  const stored = await loadAssessment(id)
  const score = stored ? storedScoreOf(stored) : null
  const { timeZone: _timeZone, ...rest } = header
  return {
    ...rest,
    score: score
      ? {
          controlScore: score.score,
          scoreStatus: score.scoreStatus,
          band: score.band,
          inherentTier: score.inherentTier,
          residualRisk: score.residualRisk,
          cappedByKnockOut: score.cappedByKnockOut,
          knockOutsFailed: score.knockOutsFailed,
          computedAt: new Date(score.computedAt).toISOString(),
          clauses: score.clauses.map((clause) => ({
            clauseId: clause.clauseId,
            severity: clause.severity,
            knockOut: clause.knockOut,
            computed: clause.computed,
            status: clause.status,
            overridden: clause.override !== null,
          })),
        }
      : null,
    findings: (await listAssessmentFindings(id, locale)).map(({ history: _history, ...finding }) => finding),
  }
}
