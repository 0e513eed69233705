// A vendor's completed (signed-off) assessments: the source of carried-over answers, of "what
// changed since last time" and of the score chart on the vendor page.
import { Types } from 'mongoose'
import { AssessmentModel } from '~models/assessment'
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

type CompletedRow = { _id: Types.ObjectId; signOff?: { at?: Date | null } | null; updatedAt?: Date; questionnaires?: { id?: string | null; version?: number | null }[]; answers?: unknown; score?: unknown }

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

function completedQuery(vendorId: string, before?: Date) {
  if (!Types.ObjectId.isValid(vendorId)) return null
  return { vendorId: new Types.ObjectId(vendorId), status: 'completed', ...(before ? { 'signOff.at': { $lt: before } } : {}) }
}

/** The vendor's last signed-off assessment (optionally: signed off before a moment), or null. */
export async function lastCompletedAssessment(vendorId: string, options: { before?: Date; excluding?: string } = {}): Promise<CompletedAssessment | null> {
  const query = completedQuery(vendorId, options.before)
  if (!query) return null
  const rows = (await AssessmentModel.find(query, { signOff: 1, updatedAt: 1, questionnaires: 1, answers: 1, score: 1 })
    .sort({ 'signOff.at': -1, _id: -1 })
    .limit(2)
    .lean()) as CompletedRow[]
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
    const row = (await AssessmentModel.findById(lastAssessmentId, { vendorId: 1, status: 1, signOff: 1, updatedAt: 1, questionnaires: 1, answers: 1 }).lean()) as
      | (CompletedRow & { vendorId?: Types.ObjectId; status?: string })
      | null
    if (row && row.status === 'completed' && String(row.vendorId) === vendorId) return toCompleted(row)
  }
  return lastCompletedAssessment(vendorId)
}

/** Score and residual risk of every signed-off assessment of the vendor, oldest first (the chart). */
export async function completedScoreHistory(vendorId: string): Promise<{ assessmentId: string; completedAt: string; score: number | null; residual: string | null }[]> {
  const query = completedQuery(vendorId)
  if (!query) return []
  const rows = (await AssessmentModel.find(query, { signOff: 1, updatedAt: 1, score: 1 }).sort({ 'signOff.at': 1 }).lean()) as CompletedRow[]
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
  const query = completedQuery(vendorId)
  if (!query) return null
  const row = (await AssessmentModel.findOne(query, { signOff: 1, updatedAt: 1 }).sort({ 'signOff.at': -1 }).lean()) as CompletedRow | null
  return row ? (row.signOff?.at ?? row.updatedAt ?? null) : null
}
