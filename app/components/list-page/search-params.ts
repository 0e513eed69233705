/** The current query with some parameters set (a string) or dropped (null), as a `?…` link. */
export function withSearchParams(params: URLSearchParams, changes: Record<string, string | number | null>): string {
  const next = new URLSearchParams(params)
  for (const [key, change] of Object.entries(changes)) {
    if (change === null) next.delete(key)
    else next.set(key, String(change))
  }
  return `?${next}`
}
