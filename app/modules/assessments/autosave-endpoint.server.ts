// The autosave endpoint, POST /v/:token/save, in two shapes sharing one function: the Remix
// resource route (app/routes/v.$token.save.tsx, used in development and as the fallback) and a
// plain Node handler that the production server mounts before everything else, so a save — the
// request a vendor makes every few seconds — skips Remix's route matching, the static-file
// look-ups, compression and the Fetch Request/Response copies (see docs/decisions/007).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isDatabaseUnavailable } from '~/db.server'
import { checkVendorAccessForWrite, LINK_PROBLEM_STATUS } from './access.server'
import { saveAnswer } from './portal.server'
import { MAX_JSON_BYTES, parseJsonBody } from './request.server'

type Reply = { status: number; body: unknown }

/** One autosave: the link, then the body, then the save. Never throws for anything a client sends. */
export async function autosave(token: unknown, body: { contentType: string; declaredLength: number; text: () => Promise<string | null> }): Promise<Reply> {
  const checked = await checkVendorAccessForWrite(token)
  if (!checked.ok) return { status: LINK_PROBLEM_STATUS[checked.problem], body: { ok: false, linkProblem: checked.problem } }
  const parsed = await parseJsonBody(body)
  if (!parsed.ok) return { status: parsed.status, body: { ok: false, fieldErrors: { _form: [parsed.error] } } }
  const result = await saveAnswer(checked.access, parsed.value)
  return { status: result.status, body: result.body }
}

/** Reads at most `limit` bytes; null when the body is longer. */
function readText(request: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let length = 0
    let over = false
    request.on('data', (chunk: Buffer) => {
      length += chunk.length
      if (length > limit) over = true
      else chunks.push(chunk)
    })
    request.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

// A body refused on its headers alone (type, declared length) is still read and dropped, up to
// this much, before the answer: a reply sent while the client is still uploading ends with the
// connection cut under it, and the client sees a network error instead of the 413 or 415.
const DRAIN_BYTES = 32 * 1024 * 1024

function bodyDrained(request: IncomingMessage, limit: number): Promise<void> {
  if (request.complete || request.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    let dropped = 0
    request.on('data', (chunk: Buffer) => {
      dropped += chunk.length
      if (dropped > limit) resolve() // past the limit: answer now; the connection will be cut
    })
    request.on('end', resolve)
    request.on('close', resolve)
    request.on('error', () => resolve())
  })
}

function send(response: ServerResponse, reply: Reply) {
  const text = JSON.stringify(reply.body)
  response.writeHead(reply.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  })
  response.end(text)
}

/** Express-style handler for POST /v/:token/save. */
export function autosaveNodeHandler(request: IncomingMessage & { params?: Record<string, string> }, response: ServerResponse) {
  autosave(request.params?.token, {
    contentType: request.headers['content-type'] ?? '',
    declaredLength: Number(request.headers['content-length'] ?? 0),
    text: () => readText(request, MAX_JSON_BYTES),
  }).then(
    async (reply) => {
      await bodyDrained(request, DRAIN_BYTES)
      send(response, reply)
    },
    async (error: unknown) => {
      if (response.headersSent) return void response.destroy()
      await bodyDrained(request, DRAIN_BYTES)
      // The database restarting or failing over is a moment to wait, not a server error: the
      // browser's queue keeps the edit and sends it again after Retry-After.
      if (isDatabaseUnavailable(error)) {
        console.warn(`[clausewise] autosave: database unavailable (${(error as Error).name}); answered 503`)
        response.setHeader('Retry-After', '5')
        return send(response, { status: 503, body: { ok: false, unavailable: true, retryAfter: 5 } })
      }
      console.error('[clausewise] autosave failed:', error)
      send(response, { status: 500, body: { ok: false } })
    },
  )
}

/** Routes the production server mounts ahead of Remix (server.ts). */
export const nodeRoutes = [{ method: 'post', path: '/v/:token/save', handler: autosaveNodeHandler }] as const
