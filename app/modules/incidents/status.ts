// The incident's life: reported → triaged → contained → closed. Pure; the table is tested row by
// row (test/unit/incidents-rules.test.ts) and the write re-checks it in its update filter.
import type { IncidentStatus } from './vocabulary'

export const INCIDENT_TRANSITIONS: Record<IncidentStatus, readonly IncidentStatus[]> = {
  reported: ['triaged'],
  triaged: ['contained'],
  contained: ['closed'],
  closed: [],
}

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return INCIDENT_TRANSITIONS[from].includes(to)
}

export const STATUS_TONE: Record<IncidentStatus, 'bad' | 'warn' | 'info' | 'good'> = {
  reported: 'bad',
  triaged: 'warn',
  contained: 'info',
  closed: 'good',
}
