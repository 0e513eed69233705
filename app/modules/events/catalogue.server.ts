// The domain events Clausewise records: what happened, in the domain's words, with a small typed
// payload of ids and the facts a receiver needs to decide whether to fetch more (through the API).
// Pure: the write functions build events here, the outbox stores them in the same update as the
// change (outbox.server.ts), webhooks deliver them (docs/webhooks.md lists every kind and payload).
import { randomUUID } from 'node:crypto'

export interface EventPayloads {
  'vendor.created': { vendorId: string; name: { 'zh-CN': string; en: string }; tier: number }
  'vendor.tier_changed': { vendorId: string; from: number; to: number; overridden: boolean }
  'assessment.started': { assessmentId: string; vendorId: string; dueAt: string; trigger: string | null }
  'assessment.submitted': { assessmentId: string; vendorId: string; round: number }
  'assessment.signed_off': { assessmentId: string; vendorId: string; controlScore: number | null; residualRisk: string | null }
  'finding.opened': { findingId: string; vendorId: string; assessmentId: string | null; severity: string; dueAt: string; reopened: boolean }
  'finding.closed': { findingId: string; vendorId: string; assessmentId: string | null; status: 'closed' | 'risk_accepted'; byScore: boolean }
  'finding.overdue': { findingId: string; vendorId: string; assessmentId: string | null; severity: string; dueAt: string }
  'incident.reported': { incidentId: string; vendorId: string; reference: string; severity: string }
  'reassessment.due': { vendorId: string; dueAt: string; assessmentId: string }
}

export type EventKind = keyof EventPayloads
export const EVENT_KINDS = [
  'vendor.created',
  'vendor.tier_changed',
  'assessment.started',
  'assessment.submitted',
  'assessment.signed_off',
  'finding.opened',
  'finding.closed',
  'finding.overdue',
  'incident.reported',
  'reassessment.due',
] as const satisfies readonly EventKind[]

/** One event as stored: in a document's pendingEvents first, then in domain_events. */
export interface DomainEvent<K extends EventKind = EventKind> {
  /** Random UUID: the receiver's de-duplication key, the same on every delivery attempt. */
  id: string
  kind: K
  at: Date
  payload: EventPayloads[K]
}

export function isEventKind(value: unknown): value is EventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value)
}

export function domainEvent<K extends EventKind>(kind: K, payload: EventPayloads[K], at = new Date()): DomainEvent<K> {
  return { id: randomUUID(), kind, at, payload }
}

/** What a receiver gets: the same bytes on every attempt (the signature covers them). */
export function eventBody(event: { id: string; kind: string; at: Date; payload: unknown }): string {
  return JSON.stringify({ id: event.id, kind: event.kind, at: event.at.toISOString(), data: event.payload })
}
