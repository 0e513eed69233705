// A vendor's completed (signed-off) assessments: the source of carried-over answers, of "what
// changed since last time" and of the score chart on the vendor page.
import { Types } from 'mongoose'
import { findForCarryOver, findLastCompletedDay, listCompletedScores, listLastCompleted, type CompletedRow } from './assessment-store.server'
import { findQuestionnaire } from '~/modules/library/library.server'
import type { Questionnaire } from '~/modules/library/content-schema'
import type { PreviousAnswer } from './carry-over'

export interface CompletedAssessment {
  assessmentId: string
  completedAt: Date
  questionnaires: Questionnaire[]
  answers: Record<string, PreviousAnswer & { evidence?: unknown[] }>
  score: unknown
}

function toCompleted(row: CompletedRow): CompletedAssessment {
  const raw = row.answers
  const answers = raw instanceof Map ? Object.fromEntries(raw) : ((raw ?? {}) as Record<string, PreviousAnswer>)
  return {
    assessmentId: row._id.toString(),
    completedAt: row.signOff?.at ?? row.updatedAt ?? new Date(0),
    // A version no longer in the library cannot be compared with; its answers are simply not carried.
    questionnaires: (row.questionnaires ?? []).flatMap((ref) => findQuestionnaire(String(ref.id), Number(ref.version)) ?? []),
    answers,
    score: row.score,
  }
}

function completedVendor(vendorId: string) {
  return Types.ObjectId.isValid(vendorId) ? new Types.ObjectId(vendorId) : null
}

/** The vendor's last signed-off assessment (optionally: signed off before a moment), or null. */
export async function lastCompletedAssessment(vendorId: string, options: { before?: Date; excluding?: string } = {}): Promise<CompletedAssessment | null> {
  const vendor = completedVendor(vendorId)
  if (!vendor) return null
  const rows = await listLastCompleted(vendor, options.before)
  const row = rows.find((candidate) => candidate._id.toString() !== options.excluding)
  return row ? toCompleted(row) : null
}

/**
 * What carry-over reads of the vendor's last signed-off assessment. Found by the id the sign-off
 * wrote on the vendor (assessmentSummary.lastAssessmentId, written only by the latest sign-off;
 * the scheduler's cadence trusts the same summary): one lookup by _id instead of a scan of the
 * vendor's assessments, and neither the score nor the other fields. Without a usable summary
 * (data written before it, or an id that is not a completed assessment of this vendor) it falls
 * back to the query.
 */
export async function lastCompletedForCarryOver(vendorId: string, lastAssessmentId: string | null | undefined): Promise<CompletedAssessment | null> {
  if (lastAssessmentId && Types.ObjectId.isValid(lastAssessmentId)) {
    const row = await findForCarryOver(lastAssessmentId)
    if (row && row.status === 'completed' && String(row.vendorId) === vendorId) return toCompleted(row)
  }
  return lastCompletedAssessment(vendorId)
}

/** Score and residual risk of every signed-off assessment of the vendor, oldest first (the chart). */
export async function completedScoreHistory(vendorId: string): Promise<{ assessmentId: string; completedAt: string; score: number | null; residual: string | null }[]> {
  const vendor = completedVendor(vendorId)
  if (!vendor) return []
  const rows = await listCompletedScores(vendor)
  return rows.map((row) => {
    const score = row.score as { score?: unknown; residualRisk?: unknown } | null | undefined
    return {
      assessmentId: row._id.toString(),
      completedAt: (row.signOff?.at ?? row.updatedAt ?? new Date(0)).toISOString(),
      score: typeof score?.score === 'number' ? score.score : null,
      residual: typeof score?.residualRisk === 'string' ? score.residualRisk : null,
    }
  })
}

/** When the vendor's last assessment was signed off (the start form offers to carry it over), or null. */
export async function lastCompletedAssessmentDay(vendorId: string): Promise<Date | null> {
  const vendor = completedVendor(vendorId)
  if (!vendor) return null
  const row = await findLastCompletedDay(vendor)
  return row ? (row.signOff?.at ?? row.updatedAt ?? null) : null
}
