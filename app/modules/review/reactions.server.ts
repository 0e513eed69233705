// What review reacts to (docs/decisions/050-in-app-reactions-to-domain-events.md): the score is
// recomputed when the vendor submits, and when a document the answers rely on expires. A rescore
// is idempotent (the same answers give the same score, stored only when it changed), so running
// it again after a crash changes nothing.
import { reactTo } from '~/modules/events/reactions.server'
import { recomputeScore } from './score.server'

export function registerReviewReactions() {
  // Compliance sees the score and findings at once; the submission stands even if scoring fails
  // (the events job retries it).
  reactTo('assessment.submitted', 'review.rescore-submitted', (event) => recomputeScore(event.payload.assessmentId))
  // Scored as of the sweep that saw the expiry, as the sweep itself did before.
  reactTo('document.expired', 'review.rescore-expired-evidence', (event) => recomputeScore(event.payload.assessmentId, { now: event.at }))
}
