// What the schedule reacts to (docs/decisions/050-in-app-reactions-to-domain-events.md): a contract
// renewal and an incident's consequences bring the vendor's reassessment forward. Each trigger is
// recorded at most once per key (`onlyOnce`: the renewed contract, the incident's key), so a
// reaction that runs again after a crash records nothing new.
import { reactTo } from '~/modules/events/reactions.server'
import { recordTrigger } from './schedule.server'

export function registerScheduleReactions() {
  reactTo('contract.renewed', 'schedule.trigger-contract-renewal', (event) =>
    recordTrigger({
      vendorId: event.payload.vendorId,
      reason: 'contract_renewal',
      detail: event.payload.reference,
      actor: event.payload.by,
      now: event.at,
      onlyOnce: `contract:${event.payload.contractId}`,
    }),
  )
  reactTo('incident.reassessment_requested', 'schedule.trigger-incident', (event) =>
    recordTrigger({
      vendorId: event.payload.vendorId,
      reason: 'incident',
      detail: `${event.payload.reference} (${event.payload.severity})`,
      actor: { kind: 'system' },
      onlyOnce: event.payload.key,
      startNow: event.payload.startNow,
      dueAt: event.payload.dueAt ? new Date(event.payload.dueAt) : undefined,
      now: event.at,
    }),
  )
}
