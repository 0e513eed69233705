// The domain events Clausewise records: what happened, in the domain's words, with a small typed
// payload of ids and the facts a receiver needs to decide whether to fetch more (through the API).
// Pure: the write functions build events here, the outbox stores them in the same update as the
// change (outbox.server.ts), webhooks deliver them (docs/webhooks.md lists every kind and payload)
// and other domains react to them in-process (reactions.server.ts). The in-app kinds at the end
// are never offered to webhooks: they carry what a reaction needs (an actor's name, a policy).
import { createHash, randomUUID } from 'node:crypto'

/** Who caused an in-app event, for the reaction's own record (a trigger's "by"). */
export type EventActor = { kind: 'user'; id: string; name: string } | { kind: 'system' }

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
  // In-app only (IN_APP_EVENT_KINDS):
  'contract.renewed': { contractId: string; vendorId: string; reference: string; by: EventActor }
  'incident.reassessment_requested': { incidentId: string; vendorId: string; reference: string; severity: string; key: string; startNow: boolean; dueAt: string | null }
  'document.expired': { fileId: string; vendorId: string; assessmentId: string; questionId: string; expiresOn: string }
}

export type EventKind = keyof EventPayloads
/** The kinds webhooks can subscribe to (docs/webhooks.md). */
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

export type WebhookEventKind = (typeof EVENT_KINDS)[number]

/** Kinds only the app itself reacts to (docs/decisions/050-in-app-reactions-to-domain-events.md). */
export const IN_APP_EVENT_KINDS = ['contract.renewed', 'incident.reassessment_requested', 'document.expired'] as const satisfies readonly EventKind[]

// Every kind is in exactly one of the two lists: a new kind that is in neither does not compile.
type Unlisted = Exclude<EventKind, (typeof EVENT_KINDS)[number] | (typeof IN_APP_EVENT_KINDS)[number]>
const everyKindListed: [Unlisted] extends [never] ? true : never = true
void everyKindListed

/** One event as stored: in a document's pendingEvents first, then in domain_events. */
export interface DomainEvent<K extends EventKind = EventKind> {
  /** Random UUID: the receiver's de-duplication key, the same on every delivery attempt. */
  id: string
  kind: K
  at: Date
  payload: EventPayloads[K]
}

/** Whether `value` is a kind webhooks can subscribe to. */
export function isEventKind(value: unknown): value is WebhookEventKind {
  return typeof value === 'string' && (EVENT_KINDS as readonly string[]).includes(value)
}

export function domainEvent<K extends EventKind>(kind: K, payload: EventPayloads[K], at = new Date()): DomainEvent<K> {
  return { id: randomUUID(), kind, at, payload }
}

/**
 * An event for a fact a sweep observes and may observe again (a document past its expiry): its id
 * is derived from `key`, so every observation is the same event and is recorded once.
 */
export function observedEvent<K extends EventKind>(kind: K, key: string, payload: EventPayloads[K], at = new Date()): DomainEvent<K> {
  const hex = createHash('sha256').update(`${kind}\n${key}`).digest('hex')
  // Shaped as a UUID (version 8, "custom"), like the random ids receivers and logs already see.
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
  return { id, kind, at, payload }
}

/** What a receiver gets: the same bytes on every attempt (the signature covers them). */
export function eventBody(event: { id: string; kind: string; at: Date; payload: unknown }): string {
  return JSON.stringify({ id: event.id, kind: event.kind, at: event.at.toISOString(), data: event.payload })
}
