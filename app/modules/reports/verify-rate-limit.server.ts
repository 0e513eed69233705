// The public verification page is rate-limited per client: a fixed window of VERIFY_LIMIT lookups
// per VERIFY_WINDOW_MS. Kept in this process's memory (each instance limits on its own), which
// is enough to make guessing short codes pointless: 2^64 codes at a handful a minute.
export const VERIFY_LIMIT = 10
export const VERIFY_WINDOW_MS = 60_000
const MAX_CLIENTS = 10_000

const windows = new Map<string, { start: number; count: number }>()

/** Counts one lookup by `client`; when over the limit, the seconds until it may try again. */
export function takeVerifyToken(client: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
  let entry = windows.get(client)
  if (!entry || now - entry.start >= VERIFY_WINDOW_MS) {
    if (windows.size >= MAX_CLIENTS) {
      for (const [key, value] of windows) if (now - value.start >= VERIFY_WINDOW_MS) windows.delete(key)
      if (windows.size >= MAX_CLIENTS) windows.delete(windows.keys().next().value!)
    }
    entry = { start: now, count: 0 }
    windows.set(client, entry)
  }
  entry.count++
  if (entry.count <= VERIFY_LIMIT) return { ok: true }
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((entry.start + VERIFY_WINDOW_MS - now) / 1000)) }
}

/** The client's address as the HTTP server saw it (server.ts passes it in the load context). */
export function clientAddressOf(context: unknown): string {
  const address = (context as { clientAddress?: unknown } | undefined)?.clientAddress
  return typeof address === 'string' && address ? address : 'unknown'
}
