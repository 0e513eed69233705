// Sign-in throttling per (account, client) with exponential backoff (OWASP Authentication Cheat
// Sheet): a stranger's guesses slow down only the stranger, and an unknown e-mail is throttled
// exactly like a real one, so the answers never tell which accounts exist.
// Every step is one atomic single-document update found by a unique key: parallel guesses each
// get their own count from $inc, and past the free attempts only one of them can claim a check.
import { createHash } from 'node:crypto'
import { claimSignInCheck, countSignInAttempt, deleteSignInThrottle, findNextAttemptAt, resetStaleThrottle } from './sign-in-throttle-store.server'

export const SIGN_IN_LIMITS = {
  /** Attempts checked without delay (typos, a forgotten caps lock). */
  freeAttempts: 5,
  /** First delay after the free attempts; doubles with each further attempt. */
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  /** A record untouched this long starts again from zero. */
  forgetAfterMs: 24 * 3600_000,
} as const

export type ThrottleDecision = { allowed: true; key: string } | { allowed: false; retryAfterSeconds: number }

export function throttleKey(email: string, client: string): string {
  return createHash('sha256').update(`${email.trim().toLowerCase()}\n${client}`).digest('hex')
}

export function backoffMs(attemptsBeyondFree: number): number {
  if (attemptsBeyondFree <= 0) return 0
  return Math.min(SIGN_IN_LIMITS.maxDelayMs, SIGN_IN_LIMITS.firstDelayMs * 2 ** Math.min(attemptsBeyondFree - 1, 30))
}

/** Reserves one password check for this e-mail from this client, or says how long to wait. */
export async function reserveSignInAttempt(email: string, client: string, now = new Date()): Promise<ThrottleDecision> {
  const key = throttleKey(email, client)
  await resetStaleThrottle(key, new Date(now.getTime() - SIGN_IN_LIMITS.forgetAfterMs))
  const counted = await countSignInAttempt(key, now)
  const beyond = (counted?.attempts ?? 1) - SIGN_IN_LIMITS.freeAttempts
  if (beyond <= 0) return { allowed: true, key }
  // Only one request can move nextAttemptAt forward from the past: the others wait.
  if (await claimSignInCheck(key, now, new Date(now.getTime() + backoffMs(beyond)))) return { allowed: true, key }
  const nextAttemptAt = await findNextAttemptAt(key)
  const waitMs = Math.max(1_000, (nextAttemptAt?.getTime() ?? now.getTime()) - now.getTime())
  return { allowed: false, retryAfterSeconds: Math.ceil(waitMs / 1000) }
}

/** A successful sign-in clears the record for this account and client. */
export async function clearSignInAttempts(key: string) {
  await deleteSignInThrottle(key)
}

/** The client's address as the server saw it (server.ts puts it in the load context). */
export function clientAddressOf(context: unknown): string {
  const address = (context as { clientAddress?: unknown } | undefined)?.clientAddress
  return typeof address === 'string' && address ? address : 'unknown'
}
