// Reading vendor request bodies with a size cap, so an oversized payload is refused before parsing.
const MAX_JSON_BYTES = 64 * 1024

export async function readJsonBody(request: Request): Promise<{ ok: true; value: unknown } | { ok: false; status: 400 | 413 | 415; error: string }> {
  const type = request.headers.get('content-type') ?? ''
  if (!/^(application\/json|text\/plain)\b/i.test(type)) return { ok: false, status: 415, error: 'vendorPortal:errors.badRequest' }
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > MAX_JSON_BYTES) return { ok: false, status: 413, error: 'vendorPortal:errors.tooLarge' }
  const text = await request.text()
  if (text.length > MAX_JSON_BYTES) return { ok: false, status: 413, error: 'vendorPortal:errors.tooLarge' }
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, status: 400, error: 'vendorPortal:errors.badRequest' }
  }
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
