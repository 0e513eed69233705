// How a write carries its domain events: pushed onto the document's pendingEvents in the same
// update (docs/decisions/038). Pure, so the stores can use it without importing the relay.
import type { DomainEvent } from './catalogue.server'

type Update = Record<string, unknown>

/** The same update, also pushing `events` onto the document's pendingEvents (merged with any $push). */
export function withEvents<U extends Update>(update: U, ...events: DomainEvent[]): U {
  if (events.length === 0) return update
  const push = { ...((update.$push as Update | undefined) ?? {}), pendingEvents: { $each: events } }
  return { ...update, $push: push }
}

/** Fields for a new document that records `events` as it is created. */
export function eventsOnCreate(...events: DomainEvent[]): { pendingEvents: DomainEvent[] } {
  return { pendingEvents: events }
}
