import { insertAuditEvent, insertAuditEvents, listAuditEvents as listMatchingAuditEvents, listAuditEventsOfSubject, type AuditDetails, type AuditEventRecord } from './audit-event-store.server'
import type { AuditFilters } from './filters'

export type AuditActor =
  | { kind: 'user'; id: string; label: string }
  | { kind: 'vendor-contact'; id?: string; label: string }
  | { kind: 'system'; label?: string }

export interface AuditEntry {
  actor: AuditActor
  action: string
  subject: { kind: string; id: string }
  details?: AuditDetails
  /** The client's address (context.clientAddress), wherever the request is at hand. */
  clientAddress?: string
}

/** The only way events are written: one insert, never an update (models/audit-event.ts refuses those). */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  await insertAuditEvent(entry)
}

/** Several events in one insert (e.g. the contracts of an import). */
export async function recordAudits(entries: AuditEntry[]): Promise<void> {
  await insertAuditEvents(entries)
}

export function listAuditEvents(subject: { kind: string; id: string }, limit = 50): Promise<AuditEventRecord[]> {
  return listAuditEventsOfSubject(subject, limit)
}

export const AUDIT_PAGE_SIZE = 50

export interface AuditRow {
  id: string
  at: string
  actor: { kind: string; id: string | null; label: string | null }
  action: string
  subject: { kind: string; id: string }
  details: AuditDetails | null
  clientAddress: string | null
}

function toRow(event: AuditEventRecord): AuditRow {
  return {
    id: event._id.toHexString(),
    at: (event.createdAt ?? event._id.getTimestamp()).toISOString(),
    actor: { kind: event.actor?.kind ?? 'system', id: event.actor?.id ?? null, label: event.actor?.label ?? null },
    action: event.action,
    subject: { kind: event.subject?.kind ?? '', id: event.subject?.id ?? '' },
    details: event.details ?? null,
    clientAddress: event.clientAddress ?? null,
  }
}

/** One page, newest first, and the cursor for the next one (null on the last page). */
export async function auditPage(filters: AuditFilters, timeZone: string, pageSize = AUDIT_PAGE_SIZE): Promise<{ events: AuditRow[]; nextBefore: string | null }> {
  const events = await listMatchingAuditEvents(filters, timeZone, pageSize + 1)
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
