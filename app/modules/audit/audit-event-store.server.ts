// The only module that reads and writes the audit trail (the AuditEvent model): inserts and
// reads, never an update (models/audit-event.ts refuses those).
import { TZDate } from '@date-fns/tz'
import { Types, type FilterQuery } from 'mongoose'
import { AuditEventModel, type AuditDetails, type AuditEventRecord } from '~models/audit-event'
import { escapeRegex } from '~/modules/vendors/search'
import { parseObjectFilter, type AuditFilters } from './filters'

export type { AuditDetails, AuditEventRecord }

export type NewAuditEvent = Pick<AuditEventRecord, 'actor' | 'action' | 'subject'> & Partial<Pick<AuditEventRecord, 'details' | 'clientAddress'>>

export async function insertAuditEvent(event: NewAuditEvent): Promise<void> {
  await AuditEventModel.create(event)
}

/** Several events in one round trip (e.g. a contract import). */
export async function insertAuditEvents(events: NewAuditEvent[]): Promise<void> {
  await AuditEventModel.insertMany(events)
}

/** A record's events, newest first. */
export function listAuditEventsOfSubject(subject: { kind: string; id: string }, limit: number): Promise<AuditEventRecord[]> {
  return AuditEventModel.find({ 'subject.kind': subject.kind, 'subject.id': subject.id }).sort({ createdAt: -1 }).limit(limit).lean<AuditEventRecord[]>()
}

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
function auditQuery(filters: AuditFilters, timeZone: string): FilterQuery<AuditEventRecord> {
  const query: FilterQuery<AuditEventRecord> = {}
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

/** The events matching the filters, newest first (by _id), at most `limit`. */
export function listAuditEvents(filters: AuditFilters, timeZone: string, limit: number): Promise<AuditEventRecord[]> {
  return AuditEventModel.find(auditQuery(filters, timeZone)).sort({ _id: -1 }).limit(limit).lean<AuditEventRecord[]>()
}
