// Vendor link tokens: 256 bits from the operating system's CSPRNG, base64url in the link, and only
// their SHA-256 stored. A database leak therefore gives no working link, and a token cannot be
// guessed (2^256) or derived from another one.
import { createHash, randomBytes } from 'node:crypto'
import { addDays } from 'date-fns'
import { appUrl } from '~/env.server'

export const TOKEN_BYTES = 32
/** Days a link keeps working after the due date, so a late vendor can still finish. */
export const GRACE_DAYS = 14
/** What a well-formed token looks like: 32 bytes in base64url without padding. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export function newAccessToken(): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url')
  return { token, tokenHash: hashAccessToken(token) }
}

export function hashAccessToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

export function linkExpiry(dueAt: Date): Date {
  return addDays(dueAt, GRACE_DAYS)
}

export function vendorLink(token: string): string {
  return `${appUrl()}/v/${token}`
}
