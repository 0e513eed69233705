// Which questions an assessment shows and how far the vendor has got. Pure: shared by the vendor
// portal (browser and server), the staff pages and the list. Visibility itself is the scoring
// module's rule, so the portal and the score never disagree about which answers count.
import type { AnswerValue } from './vocabulary'
import type { Question, Questionnaire } from '~/modules/library/content-schema'
import { chosenOptions, indexAssessment, isAnswered, type AnswerLike, type IndexedQuestion } from '~/modules/scoring/question-index'
import { resolveVisibility, visibleQuestions as scoringVisibleQuestions, type AnswerLookup, type VisibleQuestion } from '~/modules/scoring/visibility'

export type { AnswerLike, AnswerLookup, VisibleQuestion }

/** The questions the vendor sees for these answers, in display order. */
export function visibleQuestions(questionnaires: readonly Questionnaire[], answers: AnswerLookup): VisibleQuestion[] {
  return scoringVisibleQuestions(questionnaires, answers)
}

/** Ids of the visible questions, for quick membership tests. */
export function visibleQuestionIds(questionnaires: readonly Questionnaire[], answers: AnswerLookup): Set<string> {
  const { questions, byId } = indexAssessment(questionnaires)
  const flags = resolveVisibility(questions, byId, answers)
  const ids = new Set<string>()
  questions.forEach((entry, i) => flags[i] && ids.add(entry.question.id))
  return ids
}

/** Finds a question of the assessment by id. */
export function findQuestion(questionnaires: readonly Questionnaire[], questionId: string): Question | undefined {
  const { questions, byId } = indexAssessment(questionnaires)
  const position = byId.get(questionId)
  return position === undefined ? undefined : questions[position].question
}

function lookup(answers: AnswerLookup, id: string): AnswerLike | undefined {
  if (answers instanceof Map) return answers.get(id)
  return Object.prototype.hasOwnProperty.call(answers, id) ? (answers as Record<string, AnswerLike | undefined>)[id] : undefined
}

/** Whether this answer calls for evidence (always, or because of the option chosen). */
export function needsEvidence(entry: IndexedQuestion, value: AnswerValue | undefined): boolean {
  if (entry.evidenceAlways) return true
  if (!entry.evidenceOptions) return false
  return chosenOptions(entry, value).some((position) => entry.evidenceOptions!.has(entry.options[position].id))
}

export interface Progress {
  answered: number // required visible questions answered
  required: number // required visible questions
  percent: number // 0–100, rounded down so 100 means really complete
  /** Required visible questions with no answer. */
  missing: string[]
  /** Visible answered questions whose answer calls for evidence that was not attached. */
  missingEvidence: string[]
}

export function progressOf(questionnaires: readonly Questionnaire[], answers: AnswerLookup): Progress {
  const { questions, byId } = indexAssessment(questionnaires)
  const flags = resolveVisibility(questions, byId, answers)
  let answered = 0
  let required = 0
  const missing: string[] = []
  const missingEvidence: string[] = []
  questions.forEach((entry, i) => {
    if (!flags[i]) return
    const answer = lookup(answers, entry.question.id)
    const done = isAnswered(entry, answer)
    if (entry.question.required) {
      required++
      if (done) answered++
      else missing.push(entry.question.id)
    }
    const evidenceCount = answer?.evidence?.length ?? 0
    if (entry.question.kind !== 'file' && (done || entry.evidenceAlways) && needsEvidence(entry, answer?.value) && evidenceCount === 0) {
      missingEvidence.push(entry.question.id)
    }
  })
  const percent = required === 0 ? 100 : Math.floor((answered * 100) / required)
  return { answered, required, percent, missing, missingEvidence }
}

/** The indexed entry of a question (options, evidence rule), or undefined. */
export function questionEntry(questionnaires: readonly Questionnaire[], questionId: string): IndexedQuestion | undefined {
  const { questions, byId } = indexAssessment(questionnaires)
  const position = byId.get(questionId)
  return position === undefined ? undefined : questions[position]
}

/** Sections of the assessment in display order, with the questionnaire they belong to. */
export function sectionsOf(questionnaires: readonly Questionnaire[]) {
  return [...questionnaires]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version))
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'baseline' ? -1 : 1))
    .flatMap((questionnaire) => questionnaire.sections.map((section) => ({ questionnaire, section })))
}
