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
