// Reads a posted form with a size cap and a content-type check: whatever arrives, the answer is
// a FormData or a 4xx — never an exception from the body parser, never an unbounded read.
import { formDataToObject } from './form-data'

/** Plain forms are a few kilobytes; uploads pass their own cap. */
export const FORM_MAX_BYTES = 1024 * 1024

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i

const refusal = (status: 400 | 413 | 415, text: string) => new Response(text, { status, statusText: text, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/** The request's body as FormData, or throws a 400/413/415 Response. */
export async function readFormData(request: Request, { maxBytes = FORM_MAX_BYTES }: { maxBytes?: number } = {}): Promise<FormData> {
  const type = request.headers.get('content-type') ?? ''
  if (!FORM_TYPES.test(type)) throw refusal(415, 'Unsupported Media Type')
  const body = await readBounded(request, maxBytes)
  try {
    return await new Response(new Uint8Array(body), { headers: { 'Content-Type': type } }).formData()
  } catch {
    throw refusal(400, 'Bad Request')
  }
}

/** The posted form as the nested object the schemas expect (see form-data.ts). */
export async function readFormObject(request: Request, options?: { maxBytes?: number }): Promise<Record<string, unknown>> {
  return formDataToObject(await readFormData(request, options))
}

/** JSON bodies (the REST API): at most this much is read, whatever the body holds. */
export const JSON_MAX_BYTES = 256 * 1024
const JSON_TYPES = /^application\/([a-z.+-]*\+)?json\s*(;|$)/i

/** The request's JSON body, or throws a 400/413/415 Response: bounded work whatever arrives. */
export async function readJsonBody(request: Request, { maxBytes = JSON_MAX_BYTES }: { maxBytes?: number } = {}): Promise<unknown> {
  if (!JSON_TYPES.test(request.headers.get('content-type') ?? '')) throw refusal(415, 'Unsupported Media Type')
  const body = await readBounded(request, maxBytes)
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    throw refusal(400, 'Bad Request')
  }
}

/** The body's bytes, at most maxBytes of them, or throws a 413 Response (a too-large declared length is refused before reading). */
async function readBounded(request: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) {
    await discard(request, DRAIN_BYTES)
    throw refusal(413, 'Payload Too Large')
  }
  return readCapped(request, maxBytes)
}

// An oversized body is still read (and dropped) up to this much, so the client, still sending,
// gets the 413 instead of a reset connection; past it the connection is cut.
const DRAIN_BYTES = 32 * 1024 * 1024

async function discard(request: Request, limit: number) {
  if (request.body && !request.bodyUsed) await drain(request.body.getReader(), limit).catch(() => undefined)
}

/** The body as text, or null past `maxBytes` (the rest is drained, bounded); never an unbounded read. */
export async function readCappedText(request: Request, maxBytes: number): Promise<string | null> {
  try {
    return (await readCapped(request, maxBytes)).toString('utf8')
  } catch {
    return null
  }
}

/** For a route that refuses before reading the body: reads and drops it (bounded), so the client gets the answer. */
export function discardBody(request: Request): Promise<void> {
  return discard(request, DRAIN_BYTES)
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number) {
  let dropped = 0
  while (dropped <= limit) {
    const { done, value } = await reader.read()
    if (done) return
    dropped += value.byteLength
  }
  await reader.cancel().catch(() => undefined)
}

async function readCapped(request: Request, maxBytes: number): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0)
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = request.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        await drain(reader, DRAIN_BYTES)
        throw refusal(413, 'Payload Too Large')
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof Response) throw error
    throw refusal(400, 'Bad Request')
  }
  return Buffer.concat(chunks)
}
