// The domain_events collection: every query and update of it (the only importer of its model).
// An event is inserted once, keyed by its id; the relay marks its webhook deliveries queued and
// its in-app reactions done (docs/decisions/038-domain-event-outbox.md, 050).
import type { mongo } from 'mongoose'
import { DomainEventModel } from '~models/domain-event'
import type { DomainEvent, EventKind, EventPayloads } from './catalogue.server'

/** The document an event was recorded on (or, for an observed event, the one it is about). */
export type EventSourceRef = { collection: string; id: string }

/** A stored event, its payload typed by its kind. */
export type StoredDomainEvent = { [K in EventKind]: DomainEvent<K> & { source: EventSourceRef | null } }[EventKind]

type Row = {
  _id: string
  kind: string
  at: Date
  payload: unknown
  source?: { collection?: string | null; id?: string | null } | null
  createdAt?: Date
  queuedAt?: Date | null
  reactionsDue?: boolean
  reactedAt?: Date
  reactionAttempts?: number
  reactionsFailedAt?: Date
  reactionError?: string
}

// Typed once here: an event's _id is its UUID string, which the driver's default (ObjectId) does
// not name; every query below then type-checks against the row as stored.
const collection = () => DomainEventModel.collection as unknown as mongo.Collection<Row>

// The one place a row becomes a typed event: rows are only ever written by `insertEvent` below,
// from a `DomainEvent` whose payload the catalogue typed by its kind.
function eventOf(row: Row): StoredDomainEvent {
  const source = row.source?.collection && row.source.id ? { collection: row.source.collection, id: row.source.id } : null
  return { id: row._id, kind: row.kind as EventKind, at: row.at, payload: row.payload as EventPayloads[EventKind], source } as StoredDomainEvent
}

/** Waits for the collection's indexes (the job runner does, before its first run). */
export async function ensureDomainEventIndexes(): Promise<void> {
  await DomainEventModel.init()
}

/** Records an event once: 'duplicate' when a relay cut short by a crash (or a sweep) recorded it before. */
export async function insertEvent(event: DomainEvent, source: EventSourceRef, options: { reactionsDue: boolean }): Promise<'inserted' | 'duplicate'> {
  try {
    await collection().insertOne({
      _id: event.id,
      kind: event.kind,
      at: event.at,
      payload: event.payload,
      source,
      ...(options.reactionsDue ? { reactionsDue: true } : {}),
      createdAt: new Date(),
    })
    return 'inserted'
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error
    return 'duplicate'
  }
}

export async function findEvent(id: string): Promise<StoredDomainEvent | null> {
  const row = await collection().findOne({ _id: id })
  return row ? eventOf(row) : null
}

/** The webhook deliveries of these events exist. */
export async function markQueued(ids: string[]): Promise<void> {
  if (ids.length === 0) return
  await collection().updateMany({ _id: { $in: ids }, queuedAt: null }, { $set: { queuedAt: new Date() } })
}

/** Events among `ids` (or any, oldest first, when `ids` is null) whose reactions have yet to succeed. */
export async function eventsWithReactionsDue(ids: string[] | null, limit = 500): Promise<StoredDomainEvent[]> {
  if (ids && ids.length === 0) return []
  const filter = { reactionsDue: true, ...(ids ? { _id: { $in: ids } } : {}) }
  const rows = await collection().find(filter).sort({ at: 1 }).limit(limit).toArray()
  return rows.map((row) => eventOf(row))
}

export async function markReacted(id: string, at = new Date()): Promise<void> {
  await collection().updateOne({ _id: id, reactionsDue: true }, { $set: { reactedAt: at }, $unset: { reactionsDue: '', reactionError: '' } })
}

/** Notes a failed attempt; returns how many there were so far. */
export async function noteReactionFailure(id: string, message: string): Promise<number> {
  const row = await collection().findOneAndUpdate({ _id: id, reactionsDue: true }, { $inc: { reactionAttempts: 1 }, $set: { reactionError: message.slice(0, 1000) } }, { returnDocument: 'after' })
  return Number((row as { reactionAttempts?: number } | null)?.reactionAttempts ?? 0)
}

/** Stops retrying (the error stays on the event for an operator). */
export async function giveUpReactions(id: string, at = new Date()): Promise<void> {
  await collection().updateOne({ _id: id, reactionsDue: true }, { $set: { reactionsFailedAt: at }, $unset: { reactionsDue: '' } })
}
