// The assessment header's "beside last time": this assessment's stored score, residual risk and
// clause results next to the vendor's previous signed-off assessment's, with the difference.
// Read on every tab, so it reads only the two stored scores (not the answers).
import { Types } from 'mongoose'
import { AssessmentModel } from '~models/assessment'
import { clauseCounts, riskMovement, scoreDelta } from './diff'
import { storedScoreOf } from './score.server'

type Row = { _id: Types.ObjectId; vendorId?: Types.ObjectId; status?: string; signOff?: { at?: Date | null } | null; score?: unknown }

export async function scoreBesideLast(assessmentId: string) {
  if (!/^[a-f0-9]{24}$/.test(assessmentId)) return null
  const current = (await AssessmentModel.findById(assessmentId, { vendorId: 1, status: 1, signOff: 1, score: 1 }).lean()) as Row | null
  if (!current?.vendorId) return null
  // A completed assessment is compared with the one signed off before it.
  const before = current.status === 'completed' && current.signOff?.at ? { 'signOff.at': { $lt: current.signOff.at } } : {}
  const previous = (await AssessmentModel.findOne(
    { vendorId: current.vendorId, status: 'completed', _id: { $ne: current._id }, ...before },
    { signOff: 1, score: 1 },
  )
    .sort({ 'signOff.at': -1, _id: -1 })
    .lean()) as Row | null
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
