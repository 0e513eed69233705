// The two kinds of request under /api/v1 that Remix cannot hand to the API route, answered by the
// API itself ahead of Remix (server.ts mounts this through entry.server's nodeRoutes), both found
// by schemathesis (docs/decisions/049-api-fuzzing-with-schemathesis.md):
// - a method Remix does not route: TRACE, which the Fetch API refuses to carry (Remix's adapter
//   threw and Express answered a 500 HTML page), or QUERY and the like (Remix's own 405, in JSON
//   without an Allow header). They are 405 problem+json with Allow, as any other method the path
//   lacks.
// - a path whose decoded form has a line break (`/vendors/%0A/contracts`): Remix's route patterns
//   never match one, so the staff 404 page answered in HTML. The API answers it (a 404 problem).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getLocale } from '~/i18n/i18n.server'
import { allowedMethodsAt, API_BASE, handleApiRequest } from './handler.server'
import { problemResponse } from './problem.server'

// The methods Remix's router takes; the API uses some of them, and answers the others itself.
const REMIX_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'])
// What `.` in a route pattern does not match, once the path is decoded.
const LINE_BREAK = /[\n\r\u2028\u2029]/
// The headers the API reads; the rest mean nothing to it.
const FORWARDED_HEADERS = ['authorization', 'accept-language', 'if-match', 'content-type']

function decodedPath(url: string): string {
  const pathname = url.split('?')[0] ?? ''
  try {
    return decodeURIComponent(pathname)
  } catch {
    return pathname
  }
}

/** A Fetch Request with the API's headers and no body: neither case below reads one. */
function fetchRequest(request: IncomingMessage, method: string): Request {
  const headers = new Headers()
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers[name]
    if (typeof value === 'string') {
      try {
        headers.set(name, value)
      } catch {
        // A value Fetch refuses is a value the API would refuse too: left out.
      }
    }
  }
  return new Request(`http://localhost${request.url ?? '/'}`, { method, headers })
}

async function send(response: ServerResponse, answer: Response) {
  const text = await answer.text()
  const headers: Record<string, string> = { 'Content-Length': String(Buffer.byteLength(text)) }
  answer.headers.forEach((value, name) => (headers[name] = value))
  response.writeHead(answer.status, headers)
  response.end(text)
}

async function answer(request: IncomingMessage): Promise<Response | null> {
  const method = (request.method ?? 'GET').toUpperCase()
  const url = request.url ?? '/'
  if (!REMIX_METHODS.has(method)) {
    const locale = await getLocale(fetchRequest(request, 'GET'))
    const pathname = url.split('?')[0] ?? ''
    const allowed = allowedMethodsAt(pathname.slice(API_BASE.length) || '/')
    if (allowed === null) return problemResponse('notFound', locale, { instance: pathname })
    return problemResponse('methodNotAllowed', locale, { instance: pathname, headers: { Allow: allowed } })
  }
  if (LINE_BREAK.test(decodedPath(url))) return handleApiRequest(fetchRequest(request, method))
  return null
}

/** Express-style handler for every method on /api/v1/*: answers the two cases, passes the rest on to Remix. */
export function apiNodeHandler(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) {
  answer(request)
    .then((result) => (result ? send(response, result) : next()))
    .catch((error: unknown) => next(error))
}

/** Mounted by the production server ahead of Remix (entry.server.tsx's nodeRoutes). */
export const apiNodeRoutes = [{ method: 'all', path: `${API_BASE}/*`, handler: apiNodeHandler }] as const
