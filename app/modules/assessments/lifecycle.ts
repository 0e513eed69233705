// The assessment's life cycle in one place (docs/decisions/041-assessment-lifecycle.md): its
// states, the events that move it, and every status set the rest of the code asks about, derived
// from the transitions rather than written out again. Pure: safe in the browser.

export const ASSESSMENT_STATUSES = [
  'invited', // sent, nobody has answered yet
  'in_progress', // the vendor has saved at least one answer
  'submitted', // attested and submitted by the vendor; read-only for them
  'under_review', // compliance has started reviewing
  'clarification_requested', // some questions reopened to the vendor
  'completed', // signed off: immutable
  'cancelled',
] as const
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number]

export const ASSESSMENT_EVENTS = [
  'vendor_saved', // an answer saved, evidence attached or removed, a carried section confirmed
  'vendor_submitted', // the vendor attests and submits
  'review_written', // compliance decides an answer, overrides a clause, starts the review
  'clarification_sent', // compliance reopens questions to the vendor
  'signed_off',
  'cancelled', // the vendor is offboarded
] as const
export type AssessmentEvent = (typeof ASSESSMENT_EVENTS)[number]

/** For each event, the states it may happen in and the state it leads to; absent = refused. */
const TRANSITIONS: Record<AssessmentEvent, Partial<Record<AssessmentStatus, AssessmentStatus>>> = {
  vendor_saved: { invited: 'in_progress', in_progress: 'in_progress', clarification_requested: 'clarification_requested' },
  vendor_submitted: { invited: 'submitted', in_progress: 'submitted', clarification_requested: 'submitted' },
  // The first review write moves a submitted assessment to "under review"; while questions are
  // reopened the vendor still owes answers, so it stays there.
  review_written: { submitted: 'under_review', under_review: 'under_review', clarification_requested: 'clarification_requested' },
  clarification_sent: { submitted: 'clarification_requested', under_review: 'clarification_requested', clarification_requested: 'clarification_requested' },
  // Only from review: a merely submitted assessment has not been looked at, and nothing may be owed by the vendor.
  signed_off: { under_review: 'completed' },
  cancelled: { invited: 'cancelled', in_progress: 'cancelled', submitted: 'cancelled', under_review: 'cancelled', clarification_requested: 'cancelled' },
}

/** The state after `event`, or null when the event is not allowed in `status`. */
export function transition(status: AssessmentStatus, event: AssessmentEvent): AssessmentStatus | null {
  return TRANSITIONS[event][status] ?? null
}

/** The states in which `event` is allowed, in life-cycle order. */
export function statusesAllowing(event: AssessmentEvent): readonly AssessmentStatus[] {
  return ASSESSMENT_STATUSES.filter((status) => transition(status, event) !== null)
}

/** Every state reachable from `from` (itself included). */
function reachableFrom(from: AssessmentStatus): Set<AssessmentStatus> {
  const seen = new Set<AssessmentStatus>([from])
  const queue = [from]
  while (queue.length) {
    const status = queue.shift()!
    for (const event of ASSESSMENT_EVENTS) {
      const next = transition(status, event)
      if (next && !seen.has(next)) {
        seen.add(next)
        queue.push(next)
      }
    }
  }
  return seen
}

/** States with no way out: signed off or cancelled. */
export const FINAL_STATUSES: readonly AssessmentStatus[] = ASSESSMENT_STATUSES.filter((status) => ASSESSMENT_EVENTS.every((event) => transition(status, event) === null))
/** Statuses that count as "open" (not yet signed off or cancelled). */
export const OPEN_STATUSES: readonly AssessmentStatus[] = ASSESSMENT_STATUSES.filter((status) => !FINAL_STATUSES.includes(status))
/** Statuses in which the vendor may edit (all questions, or only the reopened ones) — and so still owes an answer. */
export const VENDOR_EDITABLE: readonly AssessmentStatus[] = statusesAllowing('vendor_saved')
/** Statuses in which compliance may decide answers, override clauses and request clarification. */
export const REVIEWABLE: readonly AssessmentStatus[] = statusesAllowing('review_written')
/** Statuses from which an assessment may be signed off. */
export const SIGNABLE: readonly AssessmentStatus[] = statusesAllowing('signed_off')
/** Submitted and waiting on compliance (nothing owed by the vendor). */
export const AWAITING_REVIEW: readonly AssessmentStatus[] = REVIEWABLE.filter((status) => !VENDOR_EDITABLE.includes(status))
/** The vendor has submitted at least once and it was not cancelled: a report can be produced. */
export const REPORTABLE_STATUSES: readonly AssessmentStatus[] = (() => {
  const reachable = reachableFrom('submitted')
  return ASSESSMENT_STATUSES.filter((status) => reachable.has(status) && status !== 'cancelled')
})()
