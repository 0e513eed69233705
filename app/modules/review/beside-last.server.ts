// The assessment header's "beside last time": this assessment's stored score, residual risk and
// clause results next to the vendor's previous signed-off assessment's, with the difference.
// Read on every tab, so it reads only the two stored scores (not the answers).
import { findPreviousCompletedScore, findScoreRow } from '~/modules/assessments/assessment-store.server'
import { clauseCounts, riskMovement, scoreDelta } from './diff'
import { storedScoreOf } from './score.server'

export async function scoreBesideLast(assessmentId: string) {
  if (!/^[a-f0-9]{24}$/.test(assessmentId)) return null
  const current = await findScoreRow(assessmentId)
  if (!current?.vendorId) return null
  // A completed assessment is compared with the one signed off before it.
  const previous = await findPreviousCompletedScore(current)
  if (!previous) return null
  const now = storedScoreOf(current)
  const then = storedScoreOf(previous)
  return {
    previousId: previous._id.toString(),
    completedAt: (previous.signOff?.at ?? new Date(0)).toISOString(),
    score: { before: then?.score ?? null, after: now?.score ?? null, delta: scoreDelta(now?.score, then?.score) },
    residualRisk: { before: then?.residualRisk ?? null, after: now?.residualRisk ?? null, movement: riskMovement(now?.residualRisk, then?.residualRisk) },
    // No clause results yet (not scored): nothing to set beside last time's.
    clauses: { before: clauseCounts(then?.clauses ?? []), after: now ? clauseCounts(now.clauses) : null },
  }
}
export type ScoreBesideLast = NonNullable<Awaited<ReturnType<typeof scoreBesideLast>>>
