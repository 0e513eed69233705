// A fixed-window counter for the vendor links (incident report, data return or deletion): per
// link and per client address. In memory, per process (docs/decisions/019-incident-links.md): it
// slows guessing and flooding from one place; it is not an account lockout and is not shared
// between instances.
export interface RateLimit {
  limit: number
  windowMs: number
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()
  constructor(private readonly rule: RateLimit) {}

  /** Counts one hit; false (with the seconds to wait) once the key is over its limit in this window. */
  hit(key: string, now = Date.now()): { ok: true } | { ok: false; retryAfterSeconds: number } {
    const current = this.windows.get(key)
    if (!current || now - current.start >= this.rule.windowMs) {
      if (this.windows.size > 10_000) this.prune(now)
      this.windows.set(key, { start: now, count: 1 })
      return { ok: true }
    }
    current.count += 1
    if (current.count <= this.rule.limit) return { ok: true }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((current.start + this.rule.windowMs - now) / 1000)) }
  }

  reset() {
    this.windows.clear()
  }

  private prune(now: number) {
    for (const [key, window] of this.windows) if (now - window.start >= this.rule.windowMs) this.windows.delete(key)
  }
}
