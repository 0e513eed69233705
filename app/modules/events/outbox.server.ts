// Recording domain events in the same update as the change they report, so a crash can never keep
// the change and lose the event (docs/decisions/038-domain-event-outbox.md). A write function adds
// its events with one helper call to the update (or the new document) it already makes, and calls
// `publishEvents` once that write succeeded; the relay does the rest, including the app's own
// reactions (reactions.server.ts, docs/decisions/050-in-app-reactions-to-domain-events.md).
import type { Types } from 'mongoose'
import type { DomainEvent } from './catalogue.server'
import type { EventSourceRef } from './domain-event-store.server'
import { deliverNow } from '~/modules/webhooks/delivery.server'
import { reactToEvents, relayDocumentEvents, relayObservedEvent, type EventSource } from './relay.server'

export { eventsOnCreate, withEvents } from './pending'

/**
 * What happens in the request right after its write: relay, reactions and first delivery attempt
 * (normal), relay and reactions only, or nothing — as if the process died right after the write
 * (tests of the jobs).
 */
export type InlinePublishing = 'relay-and-deliver' | 'relay-only' | 'nothing'
let inline: InlinePublishing = 'relay-and-deliver'
export function setInlinePublishing(mode: InlinePublishing) {
  inline = mode
}

/**
 * After a successful write: hands the document's pending events to the relay now, and waits for
 * the app's reactions to them (a rescore, a reassessment trigger), so the writer's caller sees
 * their effect as before. Never fails the write that already happened; whatever is left (a relay
 * or a reaction that failed) is finished by the events job (relay.server.ts).
 */
export async function publishEvents(source: EventSource, id: Types.ObjectId | string): Promise<void> {
  if (inline === 'nothing') return
  let relayed: Awaited<ReturnType<typeof relayDocumentEvents>>
  try {
    relayed = await relayDocumentEvents(source, id)
  } catch (error) {
    console.warn(`[clausewise] events: relay of ${source} ${String(id)} postponed to the events job:`, error instanceof Error ? error.message : error)
    return
  }
  if (inline === 'relay-and-deliver') deliverSoon(relayed.deliveryIds)
  await reactNow(relayed.reactionsDue)
}

/**
 * For a sweep: records an event about `about` that is no write's (`observedEvent`) and runs its
 * reactions now. Returns false when the same event was recorded before (nothing is run again).
 */
export async function announceEvent(event: DomainEvent, about: EventSourceRef): Promise<boolean> {
  const { recorded, deliveryIds } = await relayObservedEvent(event, about)
  if (!recorded || inline === 'nothing') return recorded
  if (inline === 'relay-and-deliver') deliverSoon(deliveryIds)
  await reactNow([event.id])
  return true
}

function deliverSoon(deliveryIds: string[]) {
  if (deliveryIds.length === 0) return
  // Not awaited: the request does not wait for a receiver; the webhooks job retries what fails here.
  void deliverNow(deliveryIds).catch((error: unknown) => console.warn('[clausewise] webhooks: first attempt postponed to the webhooks job:', error instanceof Error ? error.message : error))
}

async function reactNow(eventIds: string[]) {
  if (eventIds.length === 0) return
  try {
    await reactToEvents(eventIds)
  } catch (error) {
    console.warn('[clausewise] events: reactions postponed to the events job:', error instanceof Error ? error.message : error)
  }
}
