// Every (state, event) pair of the assessment's life cycle: the next state, or a refusal (null).
import { describe, expect, it } from 'vitest'
import {
  ASSESSMENT_EVENTS,
  ASSESSMENT_STATUSES,
  AWAITING_REVIEW,
  FINAL_STATUSES,
  OPEN_STATUSES,
  REPORTABLE_STATUSES,
  REVIEWABLE,
  SIGNABLE,
  transition,
  VENDOR_EDITABLE,
  type AssessmentEvent,
  type AssessmentStatus,
} from '~/modules/assessments/lifecycle'
import { AWAITING_VENDOR } from '~/modules/assessments/status'

const _ = null
// Rows: states; columns: vendor_saved, vendor_submitted, review_written, clarification_sent, signed_off, cancelled.
const TABLE: Record<AssessmentStatus, (AssessmentStatus | null)[]> = {
  invited: ['in_progress', 'submitted', _, _, _, 'cancelled'],
  in_progress: ['in_progress', 'submitted', _, _, _, 'cancelled'],
  submitted: [_, _, 'under_review', 'clarification_requested', _, 'cancelled'],
  under_review: [_, _, 'under_review', 'clarification_requested', 'completed', 'cancelled'],
  clarification_requested: ['clarification_requested', 'submitted', 'clarification_requested', 'clarification_requested', _, 'cancelled'],
  completed: [_, _, _, _, _, _],
  cancelled: [_, _, _, _, _, _],
}

describe('assessment life cycle', () => {
  it('names every event in the table', () => {
    expect(ASSESSMENT_EVENTS).toEqual(['vendor_saved', 'vendor_submitted', 'review_written', 'clarification_sent', 'signed_off', 'cancelled'])
    expect(Object.keys(TABLE)).toEqual([...ASSESSMENT_STATUSES])
  })

  const pairs = ASSESSMENT_STATUSES.flatMap((status) => ASSESSMENT_EVENTS.map((event, column) => [status, event, TABLE[status][column]] as [AssessmentStatus, AssessmentEvent, AssessmentStatus | null]))
  it.each(pairs)('%s + %s → %s', (status, event, next) => {
    expect(transition(status, event)).toBe(next)
  })

  it('derives the status sets the code asks about from the transitions', () => {
    expect(FINAL_STATUSES).toEqual(['completed', 'cancelled'])
    expect(OPEN_STATUSES).toEqual(['invited', 'in_progress', 'submitted', 'under_review', 'clarification_requested'])
    expect(VENDOR_EDITABLE).toEqual(['invited', 'in_progress', 'clarification_requested'])
    expect(AWAITING_VENDOR).toEqual(VENDOR_EDITABLE)
    expect(REVIEWABLE).toEqual(['submitted', 'under_review', 'clarification_requested'])
    expect(SIGNABLE).toEqual(['under_review'])
    expect(AWAITING_REVIEW).toEqual(['submitted', 'under_review'])
    expect(REPORTABLE_STATUSES).toEqual(['submitted', 'under_review', 'clarification_requested', 'completed'])
  })
})
