// Queues one delivery per endpoint that subscribes to an event (called by the events relay).
import { WebhookDeliveryModel } from '~models/webhook-delivery'
import { WebhookEndpointModel } from '~models/webhook-endpoint'
import type { DomainEvent } from '~/modules/events/catalogue.server'

export const deliveryIdOf = (eventId: string, endpointId: string) => `${eventId}:${endpointId}`

/** Deliveries for the enabled endpoints subscribed to the event's kind (their ids); a repeat adds nothing. */
export async function queueDeliveries(event: DomainEvent): Promise<string[]> {
  const endpoints = await WebhookEndpointModel.find({ enabled: true, events: event.kind }, { _id: 1 }).lean()
  if (endpoints.length === 0) return []
  const now = new Date()
  const documents = endpoints.map((endpoint) => ({
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
  try {
    await WebhookDeliveryModel.collection.insertMany(documents as never[], { ordered: false })
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors
    const onlyDuplicates = (error as { code?: number }).code === 11000 || (writeErrors?.length && writeErrors.every((entry) => (entry.code ?? entry.err?.code) === 11000))
    if (!onlyDuplicates) throw error
  }
  // Also the ones a cut-short relay queued before: each is claimed only while it is due.
  return documents.map((document) => document._id)
}
