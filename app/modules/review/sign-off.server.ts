// Whether an assessment may be signed off now, and by whom: the one check shared by the
// confirmation page (which shows it) and the sign-off write (which enforces it).
import type { SessionUser } from '~/modules/auth/session.server'
import type { AssessmentStatus } from '~/modules/assessments/vocabulary'
import { indexAssessment } from '~/modules/scoring/question-index'
import type { ScoreResult } from '~/modules/scoring/score'
import { isTier } from '~/modules/scoring/settings'
import { answersOf, computeScore, hashScore, scoringContext, type AssessmentLean, type ScoringContext } from './score.server'
import { getReviewSettings } from './settings.server'
import { clauseDecisions, draftClarifications, makerCheckerBlocks, readReview, SIGNABLE, type ClauseDecision } from './state'

/** Why a sign-off is refused, as an i18n key of the review namespace's errors. */
export type SignOffBlocker = 'completed' | 'reviewNotStarted' | 'notSignable' | 'unsentDrafts' | 'undecidedClauses' | 'makerChecker'

export interface SignOffReadiness {
  blockers: SignOffBlocker[]
  result: ScoreResult
  scoreHash: string
  context: ScoringContext
  decisions: ClauseDecision[]
  undecided: ClauseDecision[]
  tier: number
  makerCheckerTiers: number[]
}

export async function signOffReadiness(assessment: AssessmentLean, signer: SessionUser): Promise<SignOffReadiness> {
  const status = assessment.status as AssessmentStatus
  const review = readReview(assessment.review)
  const context = await scoringContext(assessment)
  const result = computeScore(assessment, context)
  const answers = answersOf(assessment)
  const revs = Object.fromEntries(Object.entries(answers).map(([id, answer]) => [id, answer?.rev ?? 0]))
  const decisions = clauseDecisions(result.clauses, review, revs)
  const undecided = decisions.filter((decision) => decision.state === 'undecided')
  const tier = isTier(result.inherentTier) ? result.inherentTier : context.tier
  const { makerCheckerTiers } = await getReviewSettings()
  const blockers: SignOffBlocker[] = []
  if (status === 'completed') blockers.push('completed')
  else if (status === 'submitted') blockers.push('reviewNotStarted')
  else if (!SIGNABLE.includes(status)) blockers.push('notSignable')
  const order = indexAssessment(context.questionnaires).questions.map((entry) => entry.question.id)
  if (draftClarifications(review, order).length > 0) blockers.push('unsentDrafts')
  if (undecided.length > 0) blockers.push('undecidedClauses')
  if (makerCheckerBlocks({ tier, tiers: makerCheckerTiers, signerId: signer.id, review })) blockers.push('makerChecker')
  return { blockers, result, scoreHash: hashScore(result), context, decisions, undecided, tier, makerCheckerTiers }
}
