// Keeps `assessment.score` equal to what the scoring engine says about the assessment as it is
// now. Called after every change of answers, clause overrides or the contract snapshot until the
// sign-off. Pages read it with scoreForReading, which writes only when the stored score is stale
// (settings or the vendor's tier changed since it was stored).
//
// The score is derived data: storing it does not bump the assessment's `version` (a vendor saving
// an answer at the same moment must not get a conflict because a score was stored). The store is
// conditional on the version and `updatedAt` the score was computed from, so a score computed
// from answers that have since changed is never stored over a fresher state.
import { createHash } from 'node:crypto'
import type { VersionedDecision } from '~/modules/db/versioned-update.server'
import { findAssessment, updateAssessmentWithVersion, type AssessmentRecord, type StoredScore } from '~/modules/assessments/assessment-store.server'
import { findVendorFields } from '~/modules/vendors/vendor-store.server'
import { getQuestionnaire } from '~/modules/library/library.server'
import type { Clause, Questionnaire } from '~/modules/library/content-schema'
import { DEFAULT_SCORING_SETTINGS, scoreAssessment, type ScoreResult, type ScoringSettings } from '~/modules/scoring/score'
import { isTier } from '~/modules/scoring/settings'
import type { Tier } from '~/modules/vendors/vocabulary'
import type { AnswerLike } from '~/modules/scoring/types'
import { syncFindings } from '~/modules/findings/findings.server'
import { getEnv } from '~/env.server'
import { dayIn } from '~/modules/dates/dates'
import { engineOverrides, readReview } from './state'
import { answersThatCount } from '~/modules/assessments/carried'

/** The settings the engine uses. Admins view them on /admin/risk-matrix. */
export function scoringSettings(): ScoringSettings {
  return DEFAULT_SCORING_SETTINGS
}

export type { StoredScore }

/** The assessment as stored (the store's record). */
export type AssessmentLean = AssessmentRecord

export function loadAssessment(assessmentId: string): Promise<AssessmentRecord | null> {
  return findAssessment(assessmentId)
}

export interface ScoringContext {
  questionnaires: Questionnaire[]
  clauses: Clause[]
  answers: Record<string, AnswerLike>
  tier: Tier
}

/** Everything the engine needs, from the assessment and the vendor's current inherent tier. */
export async function scoringContext(assessment: AssessmentLean): Promise<ScoringContext> {
  const questionnaires = (assessment.questionnaires ?? []).map((ref) => getQuestionnaire(String(ref.id), Number(ref.version)))
  const clauses = assessment.contract?.clauses ?? []
  // Carried answers the vendor has not confirmed are not answers: the score is a fresh one's.
  const answers = answersThatCount(answersOf(assessment))
  const vendor = await findVendorFields(assessment.vendorId, 'tier')
  const snapshotTier = assessment.vendorSnapshot?.effectiveTier
  const tier = isTier(vendor?.effectiveTier) ? vendor.effectiveTier : isTier(snapshotTier) ? snapshotTier : 1
  return { questionnaires, clauses, answers, tier }
}

/** Answers as a plain record (a lean Map field may arrive as a Map or an object). */
export function answersOf(assessment: { answers?: unknown }): Record<string, AnswerLike & { rev?: number }> {
  const raw = assessment.answers
  if (!raw) return {}
  const entries = raw instanceof Map ? [...raw.entries()] : Object.entries(raw as Record<string, unknown>)
  return Object.fromEntries(entries) as Record<string, AnswerLike & { rev?: number }>
}

export function computeScore(assessment: AssessmentLean, context: ScoringContext, now = new Date()): ScoreResult {
  return scoreAssessment({
    // Evidence is judged on the institution's today: an expired document stops counting.
    today: dayIn(now, getEnv().INSTITUTION_TIMEZONE),
    questionnaires: context.questionnaires,
    clauses: context.clauses,
    answers: context.answers,
    overrides: engineOverrides(readReview(assessment.review)),
    inherentTier: context.tier,
    settings: scoringSettings(),
  })
}

export function hashScore(result: ScoreResult): string {
  return createHash('sha256').update(JSON.stringify(result)).digest('hex')
}

export function storedScoreOf(assessment: { score?: unknown }): StoredScore | null {
  const score = assessment.score as StoredScore | undefined | null
  return score && typeof score === 'object' && Array.isArray(score.clauses) ? score : null
}

export type RecomputeResult =
  | { status: 'stored' | 'unchanged'; score: StoredScore; assessment: AssessmentLean }
  | { status: 'completed'; score: StoredScore | null; assessment: AssessmentLean }
  | { status: 'not_found' }

const ATTEMPTS = 4

/**
 * For pages: the stored score, checked against the engine but not written when it still matches
 * (the write paths store it and refresh the findings: docs/decisions/008-page-hot-paths.md). Only
 * a stale score (scoring inputs that changed outside those paths, e.g. the vendor's tier) is stored
 * again, with its findings. The context is returned so the page does not load it twice.
 */
export async function scoreForReading(assessmentId: string): Promise<RecomputeResult & { context?: ScoringContext }> {
  const assessment = await loadAssessment(assessmentId)
  if (!assessment) return { status: 'not_found' }
  const previous = storedScoreOf(assessment)
  if (assessment.status === 'completed' || assessment.status === 'cancelled') return { status: 'completed', score: previous, assessment }
  const context = await scoringContext(assessment)
  if (previous && previous.hash === hashScore(computeScore(assessment, context))) return { status: 'unchanged', score: previous, assessment, context }
  return recomputeScore(assessmentId)
}

/**
 * Scores the assessment and stores the result if it differs from the stored one. Once the review
 * has started, the findings are refreshed from it too. A completed (signed-off) assessment is
 * never rescored: its score is the one that was signed off.
 */
export async function recomputeScore(assessmentId: string, options: { now?: Date } = {}): Promise<RecomputeResult> {
  type Scored = { status: 'stored' | 'unchanged'; score: StoredScore; context: ScoringContext }
  const outcome = await updateAssessmentWithVersion({
    attempts: ATTEMPTS,
    read: () => loadAssessment(assessmentId),
    decide: async (assessment): Promise<VersionedDecision<Scored, { status: 'completed'; score: StoredScore | null; assessment: AssessmentLean }>> => {
      const previous = storedScoreOf(assessment)
      if (assessment.status === 'completed' || assessment.status === 'cancelled') return { refuse: { status: 'completed', score: previous, assessment } }
      const context = await scoringContext(assessment)
      const result = computeScore(assessment, context, options.now)
      const hash = hashScore(result)
      if (previous?.hash === hash) return { unchanged: { status: 'unchanged', score: previous, context } }
      const score: StoredScore = { ...result, computedAt: options.now ?? new Date(), hash }
      // The score is derived from this version: stored without moving it (and without touching
      // updatedAt), only while nothing it was computed from has changed.
      return { update: { $set: { score } }, where: { updatedAt: assessment.updatedAt, status: assessment.status }, options: { timestamps: false }, keepVersion: true, result: { status: 'stored', score, context } }
    },
  })
  if (outcome.status === 'missing') return { status: 'not_found' }
  // Signed off (or cancelled): never rescored, its score is the one that was signed off.
  if (outcome.status === 'refused') return outcome.reason
  if (outcome.status !== 'conflict') {
    const { assessment, score, context, status } = { assessment: outcome.record, ...outcome.result }
    if (readReview(assessment.review).startedAt) {
      await syncFindings({ assessment, score, context, now: options.now })
    }
    return { status, score, assessment: { ...assessment, score } }
  }
  throw new Error(`recomputeScore(${assessmentId}): the assessment kept changing while it was being scored`)
}
