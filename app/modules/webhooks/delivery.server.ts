// Delivering webhooks: at least once, signed, with retries (docs/decisions/039-webhook-delivery.md).
// The same pattern as the mail outbox (app/modules/mail/delivery.server.ts):
// - a delivery is claimed atomically (queued → sending, with a lease), so the request that made
//   the event and the job on any instance never post it at the same time; a sender that dies
//   leaves a claim that expires, and the delivery is posted again — with the same event id, the
//   receiver's de-duplication key;
// - a failed attempt (no 2xx within WEBHOOK_TIMEOUT_MS) goes back to queued with exponential
//   backoff until WEBHOOK_MAX_ATTEMPTS, then it is failed; an admin can redeliver it;
// - WEBHOOK_DISABLE_AFTER failed attempts in a row turn the endpoint off (audited, shown).
import os from 'node:os'
import { Types } from 'mongoose'
import { getEnv } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { openSecret } from '~/modules/auth/secret-box.server'
import { eventBody } from '~/modules/events/catalogue.server'
import { findEvent } from '~/modules/events/domain-event-store.server'
import { postSigned, type PostOutcome } from './http.server'
import { EVENT_ID_HEADER, EVENT_KIND_HEADER, SIGNATURE_HEADER, signatureHeader, TIMESTAMP_HEADER } from './signature.server'
import { parseAllowedNetworks } from './target.server'
import { claimDueWebhookDelivery, markWebhookDelivered, recordFailedWebhookAttempt, requeueWebhookDelivery, skipWebhookDelivery, type ClaimedDelivery } from './webhook-delivery-store.server'
import { countWebhookFailure, disableWebhookEndpoint, findWebhookEndpoint, recordWebhookSuccess } from './webhook-endpoint-store.server'

const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000
export const SENDER_ID = `${os.hostname()}:${process.pid}`

/** Wait before attempt `attempts + 1`, after `attempts` failed ones. */
export function retryDelay(attempts: number, baseMs = getEnv().WEBHOOK_RETRY_BASE_MS): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS)
}

function claim(now: Date, by: string, only?: string[]) {
  return claimDueWebhookDelivery({ now, by, until: new Date(now.getTime() + getEnv().WEBHOOK_CLAIM_LEASE_MS), only })
}

export type AttemptOutcome = 'delivered' | 'queued' | 'failed' | 'skipped'

async function attempt(delivery: ClaimedDelivery, by: string): Promise<AttemptOutcome> {
  const env = getEnv()
  const endpoint = await findWebhookEndpoint(new Types.ObjectId(delivery.endpointId))
  const event = await findEvent(delivery.eventId)
  const now = new Date()
  if (!endpoint?.enabled || !event) {
    // Held back while the endpoint is off; turning it on again queues these once more.
    const error = !event ? 'event not found' : endpoint ? 'endpoint is turned off' : 'endpoint was deleted'
    await skipWebhookDelivery(delivery, by, { at: now, error })
    return 'skipped'
  }
  const secret = openSecret(endpoint.secretSealed, String(endpoint._id))
  const body = eventBody(event)
  const timestamp = Math.floor(now.getTime() / 1000)
  const outcome: PostOutcome = secret
    ? await postSigned(endpoint.url, body, { [EVENT_ID_HEADER]: event.id, [EVENT_KIND_HEADER]: event.kind, [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signatureHeader(secret, timestamp, body) }, {
        timeoutMs: env.WEBHOOK_TIMEOUT_MS,
        allow: parseAllowedNetworks(env.WEBHOOK_ALLOW_NETWORKS),
      })
    : { error: 'the signing secret cannot be opened with this installation\'s key', durationMs: 0 }
  const ok = 'statusCode' in outcome && outcome.statusCode >= 200 && outcome.statusCode < 300
  const entry = {
    at: now,
    ...('statusCode' in outcome ? { statusCode: outcome.statusCode, response: outcome.response } : { error: outcome.error }),
    durationMs: outcome.durationMs,
  }
  if (ok) {
    await markWebhookDelivered(delivery._id, entry, new Date())
    await recordWebhookSuccess(endpoint._id, now)
    return 'delivered'
  }
  const giveUp = delivery.attempts >= env.WEBHOOK_MAX_ATTEMPTS
  await recordFailedWebhookAttempt(delivery, by, entry, giveUp ? null : new Date(Date.now() + retryDelay(delivery.attempts)))
  await countFailure(endpoint._id, now)
  return giveUp ? 'failed' : 'queued'
}

/** One more failed attempt in a row; at WEBHOOK_DISABLE_AFTER the endpoint is turned off, once. */
async function countFailure(endpointId: Types.ObjectId, now: Date) {
  const counted = await countWebhookFailure(endpointId, now)
  const limit = getEnv().WEBHOOK_DISABLE_AFTER
  if (!counted || (counted.consecutiveFailures ?? 0) < limit) return
  if (!(await disableWebhookEndpoint(endpointId, { at: now, reason: 'failures' }))) return
  console.warn(`[clausewise] webhooks: endpoint ${counted.name} turned off after ${counted.consecutiveFailures} failed deliveries in a row`)
  await recordAudit({
    actor: { kind: 'system', label: 'webhooks' },
    action: 'webhook.auto_disable',
    subject: { kind: 'webhook', id: String(endpointId) },
    details: { name: counted.name, consecutiveFailures: counted.consecutiveFailures },
  })
}

export type DeliveryCounts = { delivered: number; retrying: number; failed: number; skipped: number }

async function deliverWhile(claimNext: () => ReturnType<typeof claim>, by: string, limit: number): Promise<DeliveryCounts> {
  const counts: DeliveryCounts = { delivered: 0, retrying: 0, failed: 0, skipped: 0 }
  for (let index = 0; index < limit; index++) {
    const delivery = await claimNext()
    if (!delivery) break
    const outcome = await attempt(delivery, by)
    counts[outcome === 'queued' ? 'retrying' : outcome]++
  }
  return counts
}

/** Posts what is due, one delivery after another (the webhooks job of the scheduler). */
export function deliverDueWebhooks(options: { now?: () => Date; limit?: number; by?: string } = {}) {
  const by = options.by ?? SENDER_ID
  return deliverWhile(() => claim(options.now?.() ?? new Date(), by), by, options.limit ?? 200)
}

/** First attempts at deliveries just queued (by the request whose change made the events). */
export function deliverNow(deliveryIds: string[], by = SENDER_ID) {
  return deliverWhile(() => claim(new Date(), by, deliveryIds), by, deliveryIds.length)
}

/**
 * An admin's redelivery: the delivery is queued again for now, as a new round of attempts (its log
 * keeps the earlier ones). Not while it is being posted. False when there is nothing to redeliver.
 */
export function requeueDelivery(deliveryId: string, now = new Date()): Promise<boolean> {
  return requeueWebhookDelivery(deliveryId, now)
}
