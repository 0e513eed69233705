// What the admin pages read and do: endpoints with their last delivery, one endpoint's log,
// turning an endpoint off, a manual redelivery, a new signing secret and deleting (all audited).
import { Types } from 'mongoose'
import { recordAudit } from '~/modules/audit/audit.server'
import { sealSecret } from '~/modules/auth/secret-box.server'
import { requeueDelivery } from './delivery.server'
import { generateSecret } from './endpoints.server'
import { deleteDeliveriesOfEndpoint, findLastDeliveryOfEndpoint, listDeliveriesOfEndpoint, type WebhookDeliveryRecord } from './webhook-delivery-store.server'
import { deleteWebhookEndpoint, disableWebhookEndpoint, findWebhookEndpoint, listWebhookEndpoints, replaceWebhookSecret, type WebhookEndpointRecord } from './webhook-endpoint-store.server'

export type EndpointSummary = {
  id: string
  name: string
  url: string
  events: string[]
  enabled: boolean
  disabledReason: 'admin' | 'failures' | null
  consecutiveFailures: number
  lastDelivery: { status: string; statusCode: number | null; at: string } | null
}

function toSummary(endpoint: WebhookEndpointRecord, last: WebhookDeliveryRecord | null): EndpointSummary {
  const lastAttempt = last?.log.at(-1)
  return {
    id: String(endpoint._id),
    name: endpoint.name,
    url: endpoint.url,
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabledReason: endpoint.enabled ? null : (endpoint.disabled?.reason ?? 'admin'),
    consecutiveFailures: endpoint.consecutiveFailures ?? 0,
    lastDelivery: last ? { status: last.status, statusCode: lastAttempt?.statusCode ?? null, at: (lastAttempt?.at ?? last.updatedAt ?? last.createdAt).toISOString() } : null,
  }
}

export async function listEndpoints(): Promise<EndpointSummary[]> {
  const endpoints = await listWebhookEndpoints(200)
  return Promise.all(
    endpoints.map(async (endpoint) => toSummary(endpoint, await findLastDeliveryOfEndpoint(String(endpoint._id)))),
  )
}

export async function endpointWithLog(endpointId: string) {
  if (!Types.ObjectId.isValid(endpointId)) return null
  const endpoint = await findWebhookEndpoint(new Types.ObjectId(endpointId))
  if (!endpoint) return null
  const deliveries = await listDeliveriesOfEndpoint(endpointId, 200)
  return {
    endpoint: toSummary(endpoint, deliveries[0] ?? null),
    deliveries: deliveries.map((delivery) => ({
      id: delivery._id,
      eventId: delivery.eventId,
      kind: delivery.kind,
      status: delivery.status,
      attempts: delivery.attempts ?? 0,
      nextAttemptAt: delivery.status === 'queued' && delivery.nextAttemptAt ? delivery.nextAttemptAt.toISOString() : null,
      createdAt: delivery.createdAt.toISOString(),
      log: delivery.log.map((attempt) => ({ at: attempt.at.toISOString(), statusCode: attempt.statusCode ?? null, error: attempt.error ?? null, manual: attempt.manual ?? false })),
    })),
  }
}

type Actor = { id: string; email: string; name: string }

/** An admin turns an endpoint off: nothing is sent until it is enabled again (held deliveries are skipped). */
export async function disableEndpoint(endpointId: string, actor: Actor): Promise<boolean> {
  if (!Types.ObjectId.isValid(endpointId)) return false
  if (!(await disableWebhookEndpoint(new Types.ObjectId(endpointId), { at: new Date(), reason: 'admin', byName: actor.name }))) return false
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'webhook.disable', subject: { kind: 'webhook', id: endpointId } })
  return true
}

/** Sends a delivery of this endpoint again, with the same event id (receivers de-duplicate by it). */
export async function redeliver(endpointId: string, deliveryId: string, actor: Actor): Promise<boolean> {
  // The delivery id names its endpoint: a form cannot redeliver another endpoint's event from this page.
  if (!deliveryId.endsWith(`:${endpointId}`)) return false
  if (!(await requeueDelivery(deliveryId))) return false
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'webhook.redeliver', subject: { kind: 'webhook', id: endpointId }, details: { deliveryId } })
  return true
}

/**
 * A new signing secret, returned this once. Every attempt reads the endpoint's secret when it
 * signs, so from this update on only the new one signs (a request already on the wire keeps the old).
 */
export async function rotateSecret(endpointId: string, actor: Actor): Promise<{ secret: string } | null> {
  if (!Types.ObjectId.isValid(endpointId)) return null
  const secret = generateSecret()
  if (!(await replaceWebhookSecret(new Types.ObjectId(endpointId), sealSecret(secret, endpointId), new Date()))) return null
  await recordAudit({ actor: { kind: 'user', id: actor.id, label: actor.email }, action: 'webhook.rotate_secret', subject: { kind: 'webhook', id: endpointId } })
  return { secret }
}

/**
 * Deletes an endpoint and its delivery log (docs/webhooks.md). The endpoint goes first, in one
 * update: from then on nothing new is queued for it and a queued delivery is never posted (the
 * sender finds no endpoint). The audit trail keeps what it was and how many deliveries it had.
 */
export async function deleteEndpoint(endpointId: string, actor: Actor): Promise<boolean> {
  if (!Types.ObjectId.isValid(endpointId)) return false
  const endpoint = await deleteWebhookEndpoint(new Types.ObjectId(endpointId))
  if (!endpoint) return false
  const { pending, removed } = await deleteDeliveriesOfEndpoint(endpointId)
  await recordAudit({
    actor: { kind: 'user', id: actor.id, label: actor.email },
    action: 'webhook.delete',
    subject: { kind: 'webhook', id: endpointId },
    details: { name: endpoint.name, url: endpoint.url, events: endpoint.events, pendingCancelled: pending, deliveriesRemoved: removed },
  })
  return true
}
