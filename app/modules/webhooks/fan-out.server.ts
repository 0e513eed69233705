// Queues one delivery per endpoint that subscribes to an event (called by the events relay).
import type { DomainEvent } from '~/modules/events/catalogue.server'
import { insertWebhookDeliveries, type WebhookDeliveryRecord } from './webhook-delivery-store.server'
import { listSubscribedEndpointIds } from './webhook-endpoint-store.server'

export const deliveryIdOf = (eventId: string, endpointId: string) => `${eventId}:${endpointId}`

/** Deliveries for the enabled endpoints subscribed to the event's kind (their ids); a repeat adds nothing. */
export async function queueDeliveries(event: DomainEvent): Promise<string[]> {
  const endpoints = await listSubscribedEndpointIds(event.kind)
  if (endpoints.length === 0) return []
  const now = new Date()
  const documents = endpoints.map((endpoint): WebhookDeliveryRecord => ({
    _id: deliveryIdOf(event.id, String(endpoint._id)),
    eventId: event.id,
    endpointId: String(endpoint._id),
    kind: event.kind,
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    log: [],
    createdAt: now,
    updatedAt: now,
  }))
  await insertWebhookDeliveries(documents)
  // Also the ones a cut-short relay queued before: each is claimed only while it is due.
  return documents.map((document) => document._id)
}
