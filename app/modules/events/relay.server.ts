// The relay: copies a document's pending events into domain_events and queues their webhook
// deliveries, then pulls them from the document; then runs the app's own reactions to them and
// marks them done. Every step is idempotent (the event id is the _id of domain_events, a delivery's
// _id is event id + endpoint id, a reaction is idempotent by contract), and each mark comes after
// its work, so a crash anywhere in between leaves work for the events job to finish: events on
// the document, or reactions still due on domain_events (decisions 038 and 050).
import { Types } from 'mongoose'
import { assessmentEventSource } from '~/modules/assessments/assessment-store.server'
import { contractEventSource } from '~/modules/contracts/contract-store.server'
import { findingsCollection } from '~/modules/findings/finding-store.server'
import { incidentsCollection } from '~/modules/incidents/incident-store.server'
import { vendorOutbox } from '~/modules/vendors/vendor-store.server'
import { queueDeliveries } from '~/modules/webhooks/fan-out.server'
import { isEventKind, type DomainEvent } from './catalogue.server'
import { eventsWithReactionsDue, giveUpReactions, insertEvent, markQueued, markReacted, noteReactionFailure, type EventSourceRef } from './domain-event-store.server'
import { areReactionsWired, awaitsReactions, runReactions } from './reactions.server'

const SOURCES = { vendors: vendorOutbox, assessments: assessmentEventSource, findings: { collection: findingsCollection() }, incidents: { collection: incidentsCollection() }, contracts: contractEventSource } as const
export type EventSource = keyof typeof SOURCES

/** Failed attempts after which an event's reactions are given up on (logged as an error). */
const MAX_REACTION_ATTEMPTS = 20

type Stored = { _id: Types.ObjectId; pendingEvents?: DomainEvent[] | null }

const collectionOf = (source: EventSource) => SOURCES[source].collection

function objectIdOf(id: Types.ObjectId | string): Types.ObjectId {
  return typeof id === 'string' ? new Types.ObjectId(id) : id
}

/** Records one event (once) and queues its webhook deliveries; returns the deliveries' ids. */
async function recordAndQueue(event: DomainEvent, source: EventSourceRef): Promise<{ inserted: boolean; deliveryIds: string[] }> {
  const inserted = (await insertEvent(event, source, { reactionsDue: awaitsReactions(event.kind) })) === 'inserted'
  return { inserted, deliveryIds: isEventKind(event.kind) ? await queueDeliveries(event) : [] }
}

/**
 * Relays one document's pending events; returns their ids, the webhook deliveries queued and the
 * events that await reactions (for `reactToEvents`).
 */
export async function relayDocumentEvents(source: EventSource, id: Types.ObjectId | string): Promise<{ eventIds: string[]; deliveryIds: string[]; reactionsDue: string[] }> {
  const _id = objectIdOf(id)
  const document = (await collectionOf(source).findOne({ _id }, { projection: { pendingEvents: 1 } })) as Stored | null
  const events = document?.pendingEvents ?? []
  if (events.length === 0) return { eventIds: [], deliveryIds: [], reactionsDue: [] }
  const deliveryIds: string[] = []
  for (const event of events) deliveryIds.push(...(await recordAndQueue(event, { collection: source, id: String(_id) })).deliveryIds)
  const ids = events.map((event) => event.id)
  await markQueued(ids)
  // Not a version change: the business data is as it was, and open edit forms stay valid.
  // The sources are different collections; the driver cannot type a $pull shared by all of them.
  await collectionOf(source).updateOne({ _id }, { $pull: { pendingEvents: { id: { $in: ids } } } as never })
  return { eventIds: ids, deliveryIds, reactionsDue: events.filter((event) => awaitsReactions(event.kind)).map((event) => event.id) }
}

/**
 * Records an event a sweep observed rather than a write made (its id derived from the fact, see
 * `observedEvent`) and queues its deliveries; the insert is the durable record. `recorded: false`
 * when it was recorded before (its reactions, if a crash cut them short, are the events job's).
 */
export async function relayObservedEvent(event: DomainEvent, about: EventSourceRef): Promise<{ recorded: boolean; deliveryIds: string[] }> {
  const { inserted, deliveryIds } = await recordAndQueue(event, about)
  if (inserted) await markQueued([event.id])
  return { recorded: inserted, deliveryIds }
}

/**
 * Runs the reactions still due of these events (all due ones when `ids` is null), one event at a
 * time; a failure is noted on the event and retried by the events job. Only a process that wired
 * the reactions runs them (one that did not would mark them done without running them).
 */
export async function reactToEvents(ids: string[] | null, limit = 500): Promise<number> {
  if (!areReactionsWired()) return 0
  let reacted = 0
  for (const event of await eventsWithReactionsDue(ids, limit)) {
    try {
      await runReactions(event)
      await markReacted(event.id)
      reacted++
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const attempts = await noteReactionFailure(event.id, message)
      if (attempts < MAX_REACTION_ATTEMPTS) {
        console.warn(`[clausewise] events: ${message} (attempt ${attempts}; the events job retries)`)
      } else {
        await giveUpReactions(event.id)
        console.error(`[clausewise] events: gave up after ${attempts} attempts: ${message}`)
      }
    }
  }
  return reacted
}

/**
 * The events job: relays what a crash (or a database hiccup after the write) left on documents,
 * then runs the reactions still due. Scans for documents with pending events; after a clean run
 * there are none. Returns how many events it relayed from documents.
 */
export async function relayLeftoverEvents(limit = 500): Promise<number> {
  let relayed = 0
  for (const source of Object.keys(SOURCES) as EventSource[]) {
    const documents = await collectionOf(source).find({ 'pendingEvents.0': { $exists: true } }, { projection: { _id: 1 } }).limit(limit).toArray()
    for (const document of documents) relayed += (await relayDocumentEvents(source, document._id as Types.ObjectId)).eventIds.length
  }
  await reactToEvents(null, limit)
  return relayed
}
