// The relay: copies a document's pending events into domain_events and queues their webhook
// deliveries, then pulls them from the document. Every step is idempotent (the event id is the
// _id of domain_events, a delivery's _id is event id + endpoint id), and the pull comes last, so a
// crash anywhere in between leaves the events on the document for the events job to finish.
import { Types } from 'mongoose'
import { AssessmentModel } from '~models/assessment'
import { DomainEventModel } from '~models/domain-event'
import { findingsCollection } from '~/modules/findings/finding-store.server'
import { incidentsCollection } from '~/modules/incidents/incident-store.server'
import { VendorModel } from '~models/vendor'
import { queueDeliveries } from '~/modules/webhooks/fan-out.server'
import type { DomainEvent } from './catalogue.server'

const SOURCES = { vendors: VendorModel, assessments: AssessmentModel, findings: { collection: findingsCollection() }, incidents: { collection: incidentsCollection() } } as const
export type EventSource = keyof typeof SOURCES

type Stored = { _id: Types.ObjectId; pendingEvents?: DomainEvent[] | null }

const collectionOf = (source: EventSource) => SOURCES[source].collection

function objectIdOf(id: Types.ObjectId | string): Types.ObjectId {
  return typeof id === 'string' ? new Types.ObjectId(id) : id
}

async function recordEvent(event: DomainEvent, source: EventSource, documentId: string) {
  try {
    await DomainEventModel.collection.insertOne({ _id: event.id as never, kind: event.kind, at: event.at, payload: event.payload, source: { collection: source, id: documentId }, createdAt: new Date() })
  } catch (error) {
    // Recorded before a crash cut this relay short: the same event, once.
    if ((error as { code?: number }).code !== 11000) throw error
  }
}

/** Relays one document's pending events; returns their ids and the webhook deliveries queued. */
export async function relayDocumentEvents(source: EventSource, id: Types.ObjectId | string): Promise<{ eventIds: string[]; deliveryIds: string[] }> {
  const _id = objectIdOf(id)
  const document = (await collectionOf(source).findOne({ _id }, { projection: { pendingEvents: 1 } })) as Stored | null
  const events = document?.pendingEvents ?? []
  if (events.length === 0) return { eventIds: [], deliveryIds: [] }
  const deliveryIds: string[] = []
  for (const event of events) {
    await recordEvent(event, source, String(_id))
    deliveryIds.push(...(await queueDeliveries(event)))
  }
  const ids = events.map((event) => event.id)
  await DomainEventModel.collection.updateMany({ _id: { $in: ids as never[] }, queuedAt: null }, { $set: { queuedAt: new Date() } })
  // Not a version change: the business data is as it was, and open edit forms stay valid.
  await collectionOf(source).updateOne({ _id }, { $pull: { pendingEvents: { id: { $in: ids } } } as never })
  return { eventIds: ids, deliveryIds }
}

/**
 * The events job: relays what a crash (or a database hiccup after the write) left on documents.
 * Scans for documents with pending events; after a clean run there are none.
 */
export async function relayLeftoverEvents(limit = 500): Promise<number> {
  let relayed = 0
  for (const source of Object.keys(SOURCES) as EventSource[]) {
    const documents = await collectionOf(source).find({ 'pendingEvents.0': { $exists: true } }, { projection: { _id: 1 } }).limit(limit).toArray()
    for (const document of documents) relayed += (await relayDocumentEvents(source, document._id as Types.ObjectId)).eventIds.length
  }
  return relayed
}
