// Reading vendor request bodies with a size cap, so an oversized payload is refused before parsing.
import { discardBody, readCappedText } from '~/modules/forms/read.server'

export const MAX_JSON_BYTES = 64 * 1024

type ParsedBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; error: string }

/** The body as JSON, from its declared type and length and a reader that gives null past the cap. */
export async function parseJsonBody(body: { contentType: string; declaredLength: number; text: () => Promise<string | null> }): Promise<ParsedBody> {
  if (!/^(application\/json|text\/plain)\b/i.test(body.contentType)) return { ok: false, status: 415, error: 'vendorPortal:errors.badRequest' }
  if (body.declaredLength > MAX_JSON_BYTES) return { ok: false, status: 413, error: 'vendorPortal:errors.tooLarge' }
  const text = await body.text()
  if (text === null || text.length > MAX_JSON_BYTES) return { ok: false, status: 413, error: 'vendorPortal:errors.tooLarge' }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, status: 400, error: 'vendorPortal:errors.badRequest' }
  }
}

export async function readJsonBody(request: Request): Promise<ParsedBody> {
  const parsed = await parseJsonBody({ contentType: request.headers.get('content-type') ?? '', declaredLength: Number(request.headers.get('content-length') ?? 0), text: () => readCappedText(request, MAX_JSON_BYTES) })
  // Refused on its headers alone: the client may still be sending; let it finish and read the answer.
  if (!parsed.ok && !request.bodyUsed) await discardBody(request)
  return parsed
}

/**
 * A small JSON answer with its length declared, so the compression middleware leaves it alone:
 * autosave answers are a few hundred bytes and gzip's set-up would cost more than it saves.
 */
export function jsonResponse(body: unknown, status = 200): Response {
  const text = JSON.stringify(body)
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-store' },
  })
}
