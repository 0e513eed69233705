// Signing webhook deliveries (docs/webhooks.md shows how a receiver verifies). Pure.
// signature = hex(HMAC-SHA256(secret, `${timestamp}.${body}`)), sent as `Clausewise-Signature: v1=<hex>`
// with the timestamp (Unix seconds) in `Clausewise-Timestamp`. Signing the timestamp with the body
// lets a receiver refuse replays of an old delivery.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'Clausewise-Signature'
export const TIMESTAMP_HEADER = 'Clausewise-Timestamp'
export const EVENT_ID_HEADER = 'Clausewise-Event-Id'
export const EVENT_KIND_HEADER = 'Clausewise-Event-Kind'
export const SIGNATURE_VERSION = 'v1'

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION}=${signatureOf(secret, timestamp, body)}`
}

/**
 * What a receiver does: true when one of the header's v1 signatures matches and the timestamp is
 * within `toleranceSeconds` of `now` (both directions).
 */
export function verifySignature(input: { secret: string; header: string | null | undefined; timestamp: string | null | undefined; body: string; now?: Date; toleranceSeconds?: number }): boolean {
  const timestamp = Number(input.timestamp)
  if (!input.header || !Number.isInteger(timestamp)) return false
  const now = Math.floor((input.now ?? new Date()).getTime() / 1000)
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return false
  const expected = Buffer.from(signatureOf(input.secret, timestamp, input.body), 'hex')
  return input.header.split(',').some((part) => {
    const [version, value] = part.trim().split('=')
    if (version !== SIGNATURE_VERSION || !value || !/^[0-9a-f]{64}$/.test(value)) return false
    return timingSafeEqual(Buffer.from(value, 'hex'), expected)
  })
}
