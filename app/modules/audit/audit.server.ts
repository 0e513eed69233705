import { TZDate } from '@date-fns/tz'
import { Types, type FilterQuery } from 'mongoose'
import { AuditEventModel, type AuditEventDocument } from '~models/audit-event'
import { escapeRegex } from '~/modules/vendors/search'
import { parseObjectFilter, type AuditFilters } from './filters'

export type AuditActor =
  | { kind: 'user'; id: string; label: string }
  | { kind: 'vendor-contact'; id?: string; label: string }
  | { kind: 'system'; label?: string }

/** The only way events are written: one insert, never an update (models/audit-event.ts refuses those). */
export async function recordAudit(entry: {
  actor: AuditActor
  action: string
  subject: { kind: string; id: string }
  details?: Record<string, unknown>
  /** The client's address (context.clientAddress), wherever the request is at hand. */
  clientAddress?: string
}): Promise<void> {
  await AuditEventModel.create(entry)
}

export async function listAuditEvents(subject: { kind: string; id: string }, limit = 50) {
  return AuditEventModel.find({ 'subject.kind': subject.kind, 'subject.id': subject.id })
    .sort({ createdAt: -1 })
    .limit(limit)
    .lean()
}

export const AUDIT_PAGE_SIZE = 50

/** A day's start in the institution's zone, as the smallest ObjectId created then. */
function dayBound(day: string, timeZone: string, nextDay = false): Types.ObjectId {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  const start = new TZDate(year, month - 1, date + (nextDay ? 1 : 0), timeZone)
  return Types.ObjectId.createFromTime(Math.floor(start.getTime() / 1000))
}

/**
 * The query for a set of filters. Events are ordered by _id, whose leading four bytes are the
 * creation second, so a date range is an _id range and paging is keyset paging on the unique
 * _id (docs/decisions/025-audit-trail.md): no skip, no count over the whole collection.
 */
export function auditQuery(filters: AuditFilters, timeZone: string): FilterQuery<AuditEventDocument> {
  const query: FilterQuery<AuditEventDocument> = {}
  const id: { $lt?: Types.ObjectId; $gte?: Types.ObjectId } = {}
  if (filters.from) id.$gte = dayBound(filters.from, timeZone)
  const upper = [filters.to ? dayBound(filters.to, timeZone, true) : null, filters.before ? new Types.ObjectId(filters.before) : null].filter((bound): bound is Types.ObjectId => bound !== null)
  if (upper.length) id.$lt = upper.reduce((lowest, bound) => (bound.toHexString() < lowest.toHexString() ? bound : lowest))
  if (id.$gte || id.$lt) query._id = id
  if (filters.actor) {
    const pattern = new RegExp(`^${escapeRegex(filters.actor)}$`, 'i')
    query.$or = [{ 'actor.label': pattern }, { 'actor.id': filters.actor }]
  }
  if (filters.kind) query.action = new RegExp(`^${escapeRegex(filters.kind)}\\.`)
  if (filters.object) {
    const object = parseObjectFilter(filters.object)
    query['subject.id'] = object.id
    if (object.kind) query['subject.kind'] = object.kind
  }
  return query
}

export interface AuditRow {
  id: string
  at: string
  actor: { kind: string; id: string | null; label: string | null }
  action: string
  subject: { kind: string; id: string }
  details: Record<string, unknown> | null
  clientAddress: string | null
}

function toRow(event: AuditEventDocument): AuditRow {
  return {
    id: event._id.toHexString(),
    at: (event.createdAt ?? event._id.getTimestamp()).toISOString(),
    actor: { kind: event.actor?.kind ?? 'system', id: event.actor?.id ?? null, label: event.actor?.label ?? null },
    action: event.action,
    subject: { kind: event.subject?.kind ?? '', id: event.subject?.id ?? '' },
    details: (event.details as Record<string, unknown> | undefined) ?? null,
    clientAddress: event.clientAddress ?? null,
  }
}

/** One page, newest first, and the cursor for the next one (null on the last page). */
export async function auditPage(filters: AuditFilters, timeZone: string, pageSize = AUDIT_PAGE_SIZE): Promise<{ events: AuditRow[]; nextBefore: string | null }> {
  const events = await AuditEventModel.find(auditQuery(filters, timeZone)).sort({ _id: -1 }).limit(pageSize + 1).lean<AuditEventDocument[]>()
  const page = events.slice(0, pageSize).map(toRow)
  return { events: page, nextBefore: events.length > pageSize ? page[page.length - 1]!.id : null }
}

/** Every matching event, newest first, in batches of keyset pages (for the CSV export). */
export async function* auditEvents(filters: AuditFilters, timeZone: string, batch = 1000): AsyncGenerator<AuditRow> {
  let before = filters.before
  for (;;) {
    const { events, nextBefore } = await auditPage({ ...filters, before }, timeZone, batch)
    yield* events
    if (!nextBefore) return
    before = nextBefore
  }
}
