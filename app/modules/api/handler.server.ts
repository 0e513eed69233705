// The REST API's front door (/api/v1/*), mounted as one Remix resource route (app/routes/
// api.v1.$.tsx; docs/decisions/035-rest-api.md): bearer token only (a staff cookie authorises
// nothing here), a rate limit per token, the operation's scope, the query checked by its schema,
// the JSON body read capped, and every call by a token written to the audit trail.
import { getEnv } from '~/env.server'
import { getLocale } from '~/i18n/i18n.server'
import type { Locale } from '~/i18n/locales'
import { recordAudit } from '~/modules/audit/audit.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { readJsonBody } from '~/modules/forms/read.server'
import { fieldErrorsOf } from '~/modules/forms/validation'
import { RateLimiter } from '~/modules/rate-limit'
import { isDatabaseUnavailable } from '~/db.server'
import { openApiDocument } from './openapi.server'
import { API_OPERATIONS, pathParamSchema, type ApiCall, type ApiOperation, type ApiResult } from './operations.server'
import { problemResponse, type ProblemKind } from './problem.server'
import { authenticateApiToken, type ApiCaller } from './tokens.server'

export const API_BASE = '/api/v1'

interface CompiledRoute {
  operation: ApiOperation
  pattern: RegExp
  names: string[]
}

const routes: CompiledRoute[] = API_OPERATIONS.map((operation) => {
  const names: string[] = []
  const source = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name)
    return '([^/]+)'
  })
  return { operation, pattern: new RegExp(`^${source}/?$`), names }
})

let limiter: RateLimiter | null = null
function rateLimiter() {
  limiter ??= new RateLimiter({ limit: getEnv().API_RATE_LIMIT_PER_MINUTE, windowMs: 60_000 })
  return limiter
}
/** Tests start each case with fresh windows. */
export function resetApiRateLimits() {
  limiter?.reset()
}


function routesAt(path: string) {
  return routes.map((route) => ({ route, match: route.pattern.exec(path) })).filter((entry) => entry.match !== null)
}
const allowHeader = (matches: ReturnType<typeof routesAt>) => [...new Set(matches.map((entry) => entry.route.operation.method.toUpperCase()))].join(', ')

/** The Allow header for a path under /api/v1 (e.g. "/vendors/…"), or null when no operation is there. */
export function allowedMethodsAt(path: string): string | null {
  if (path === '/openapi.json') return 'GET'
  const matches = routesAt(path)
  return matches.length > 0 ? allowHeader(matches) : null
}

/** `"3"`, `W/"3"` or `3` → 3; anything else is not a version we issued. */
function parseIfMatch(header: string | null): number | null | 'invalid' {
  if (header === null) return null
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header)
  return match ? Number(match[1]) : 'invalid'
}

/** The domain functions' actor for a token: its scopes were checked before any call. */
function actorOf(caller: ApiCaller, locale: Locale): SessionUser {
  return { id: caller.tokenId, email: `api-token:${caller.name}`, name: `API · ${caller.name}`, role: 'admin', locale }
}

function json(result: Extract<ApiResult, { status: number }>, locale: Locale): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'Content-Language': locale, 'Cache-Control': 'no-store' }
  if (result.etag !== undefined) headers.ETag = `"${result.etag}"`
  if (result.location) headers.Location = result.location
  return new Response(JSON.stringify(result.body), { status: result.status, headers })
}

export async function handleApiRequest(request: Request): Promise<Response> {
  const url = new URL(request.url)
  const locale = await getLocale(request)
  const path = url.pathname.slice(API_BASE.length) || '/'
  const method = request.method.toLowerCase()
  const instance = url.pathname
  const problem = (kind: ProblemKind, options: Parameters<typeof problemResponse>[2] = {}) => problemResponse(kind, locale, { instance, ...options })

  if (path === '/openapi.json') {
    if (method !== 'get' && method !== 'head') return problem('methodNotAllowed', { headers: { Allow: 'GET' } })
    return new Response(JSON.stringify(openApiDocument()), { headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' } })
  }

  const matches = routesAt(path)
  if (matches.length === 0) return problem('notFound')
  const found = matches.find((entry) => entry.route.operation.method === method)
  if (!found) return problem('methodNotAllowed', { headers: { Allow: allowHeader(matches) } })
  const { operation } = found.route

  // Only the Authorization header: cookies are never read here.
  const caller = await authenticateApiToken(request.headers.get('authorization'))
  if (!caller) return problem('unauthorized', { headers: { 'WWW-Authenticate': 'Bearer realm="clausewise"' } })
  const limit = rateLimiter().hit(caller.tokenId)
  if (!limit.ok) return problem('rateLimited', { detailParams: { seconds: limit.retryAfterSeconds }, headers: { 'Retry-After': String(limit.retryAfterSeconds) } })

  const response = await answer(operation, found.route, found.match!, caller, request, url, locale, problem)
  await recordAudit({
    actor: { kind: 'user', id: caller.tokenId, label: `api-token:${caller.name}` },
    action: 'api.call',
    subject: { kind: 'api-token', id: caller.tokenId },
    details: { operation: operation.id, method: request.method, path: url.pathname.slice(0, 200), status: response.status },
  })
  return response
}

async function answer(
  operation: ApiOperation,
  route: CompiledRoute,
  match: RegExpExecArray,
  caller: ApiCaller,
  request: Request,
  url: URL,
  locale: Locale,
  problem: (kind: ProblemKind, options?: Parameters<typeof problemResponse>[2]) => Promise<Response>,
): Promise<Response> {
  if (!caller.scopes.includes(operation.scope)) return problem('forbidden', { detailParams: { scope: operation.scope } })

  const params: Record<string, string> = {}
  for (const [index, name] of route.names.entries()) {
    const value = decodeURIComponentSafe(match[index + 1]!)
    // A malformed id names nothing: 404, as an unknown one.
    if (value === null || !pathParamSchema.safeParse(value).success) return problem('notFound')
    params[name] = value
  }

  let query: Record<string, unknown> = {}
  if (operation.query) {
    const raw: Record<string, string> = {}
    for (const key of new Set(url.searchParams.keys())) raw[key] = url.searchParams.get(key)!
    const parsed = operation.query.safeParse(raw)
    if (!parsed.success) return problem('validation', { fieldErrors: fieldErrorsOf(parsed.error) })
    query = parsed.data as Record<string, unknown>
  }

  const ifMatch = parseIfMatch(request.headers.get('if-match'))
  if (ifMatch === 'invalid') return problem('validation', { fieldErrors: { 'If-Match': ['api:errors.ifMatch'] } })

  let body: unknown = undefined
  if (operation.body) {
    try {
      body = await readJsonBody(request)
    } catch (error) {
      if (error instanceof Response) return problem(error.status === 413 ? 'payloadTooLarge' : error.status === 415 ? 'unsupportedMediaType' : 'badRequest')
      throw error
    }
  }

  const call: ApiCall = { params, query, body, ifMatch, actor: actorOf(caller, locale), locale, now: new Date() }
  try {
    const result = await operation.run(call)
    if ('problem' in result) return problem(result.problem, { fieldErrors: result.fieldErrors, detail: result.detail })
    return json(result, locale)
  } catch (error) {
    if (error instanceof Response) return problem(error.status === 404 ? 'notFound' : error.status === 403 ? 'forbidden' : 'badRequest')
    if (isDatabaseUnavailable(error)) return problem('unavailable', { headers: { 'Retry-After': '5' } })
    console.error(`[api] ${operation.id} failed:`, error)
    return problem('internal')
  }
}

function decodeURIComponentSafe(value: string): string | null {
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}
