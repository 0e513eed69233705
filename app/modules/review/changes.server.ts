// "What changed since last time" for one assessment: the vendor's previous signed-off assessment
// beside this one — per answer, per clause, and in score and residual risk. Read by the review
// page and the PDF report; the comparison itself is the pure diff.ts.
import { localized, type Locale } from '~/i18n/locales'
import { answersThatCount } from '~/modules/assessments/carried'
import { lastCompletedAssessment } from '~/modules/assessments/history.server'
import type { AnswerValue } from '~/modules/assessments/vocabulary'
import { getClause } from '~/modules/library/library.server'
import type { Question, Questionnaire } from '~/modules/library/content-schema'
import { indexAssessment } from '~/modules/scoring/question-index'
import { clauseCounts, compareAnswers, compareClauses, riskMovement, scoreDelta, type AnswerChange } from './diff'
import { answersOf, storedScoreOf, type AssessmentLean } from './score.server'
import { questionnairesOf } from '~/modules/assessments/catalog.server'

type ScoreLike = { score?: number | null; residualRisk?: string | null; clauses?: { clauseId: string; status: string }[] } | null

function displayValue(value: AnswerValue | null | undefined, question: Question | undefined, locale: Locale): string[] {
  if (value === null || value === undefined || value === '') return []
  if (question?.options?.length) {
    const ids = Array.isArray(value) ? value : [String(value)]
    return ids.map((id) => localized(question.options!.find((option) => option.id === id)?.label, locale) || String(id))
  }
  return [Array.isArray(value) ? value.join(', ') : String(value)]
}

function questionLookup(questionnaires: readonly Questionnaire[]) {
  const { questions, byId } = indexAssessment(questionnaires)
  return (id: string) => {
    const position = byId.get(id)
    return position === undefined ? undefined : questions[position].question
  }
}

export interface AnswerChangeView {
  questionId: string
  text: string
  change: AnswerChange
  previous: string[]
  current: string[]
  previousComment: string | null
}

/**
 * The comparison with the vendor's previous completed assessment, or null when there is none.
 * `currentScore` replaces this assessment's stored score (the PDF compares the score it prints).
 */
export async function changesSinceLast(assessment: AssessmentLean, locale: Locale, currentScore?: ScoreLike) {
  const signedOffAt = assessment.status === 'completed' && assessment.signOff?.at ? new Date(assessment.signOff.at) : undefined
  const previous = await lastCompletedAssessment(String(assessment.vendorId), { before: signedOffAt, excluding: assessment._id.toString() })
  if (!previous) return null
  const questionnaires = questionnairesOf(assessment.questionnaires ?? [])
  const currentQuestion = questionLookup(questionnaires)
  const previousQuestion = questionLookup(previous.questionnaires)
  const currentAnswers = answersThatCount(answersOf(assessment)) as Record<string, { value?: AnswerValue | null; comment?: string | null }>
  const ids = [...new Set([...indexAssessment(questionnaires).questions.map((entry) => entry.question.id), ...Object.keys(previous.answers)])]
  const changes = compareAnswers(ids, currentAnswers, previous.answers)
  const answers: Record<string, AnswerChangeView> = {}
  for (const [questionId, change] of Object.entries(changes)) {
    const question = currentQuestion(questionId) ?? previousQuestion(questionId)
    answers[questionId] = {
      questionId,
      text: localized(question?.text, locale) || questionId,
      change,
      previous: displayValue(previous.answers[questionId]?.value, previousQuestion(questionId) ?? question, locale),
      current: displayValue(currentAnswers[questionId]?.value, currentQuestion(questionId), locale),
      previousComment: previous.answers[questionId]?.comment ?? null,
    }
  }
  const now = currentScore ?? (storedScoreOf(assessment) as ScoreLike)
  const before = storedScoreOf(previous as { score?: unknown }) as ScoreLike
  const clauseTitle = (id: string) => localized(getClause(id)?.title, locale) || id
  return {
    previous: { assessmentId: previous.assessmentId, completedAt: previous.completedAt.toISOString() },
    score: { before: before?.score ?? null, after: now?.score ?? null, delta: scoreDelta(now?.score, before?.score) },
    residualRisk: { before: before?.residualRisk ?? null, after: now?.residualRisk ?? null, movement: riskMovement(now?.residualRisk, before?.residualRisk) },
    clauseCounts: { before: clauseCounts(before?.clauses ?? []), after: clauseCounts(now?.clauses ?? []) },
    clauses: compareClauses(now?.clauses ?? [], before?.clauses ?? []).map((entry) => ({ ...entry, title: clauseTitle(entry.clauseId) })),
    answers,
    changedCount: Object.values(changes).filter((change) => change !== 'unchanged').length,
  }
}
export type ChangesSinceLast = NonNullable<Awaited<ReturnType<typeof changesSinceLast>>>
