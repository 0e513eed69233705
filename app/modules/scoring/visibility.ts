// Which questions a vendor sees, given the answers so far. Pure: the vendor portal uses it to show
// and count questions, scoring uses it to ignore answers to questions that are now hidden.
//
// A question with `showWhen: { question, anyOf }` is visible when the question it refers to is
// itself visible and its answer chose at least one of `anyOf`. A condition on a question that is
// not part of the assessment, or a circular chain of conditions, hides the question.
import type { Questionnaire, Question } from '~/modules/library/content-schema'
import { chosenOptions, indexAssessment, type AnswerLike, type IndexedQuestion } from './question-index'

export type AnswerLookup = Readonly<Record<string, AnswerLike | undefined>> | ReadonlyMap<string, AnswerLike | undefined>

export interface VisibleQuestion {
  questionnaireId: string
  questionnaireVersion: number
  sectionId: string
  question: Question
}

/**
 * The visible questions, questionnaire by questionnaire (baseline first, then supplements, each by
 * id and version) and in document order within each.
 */
export function visibleQuestions(questionnaires: readonly Questionnaire[], answers: AnswerLookup): VisibleQuestion[] {
  const { questions, byId } = indexAssessment(questionnaires)
  const visible = resolveVisibility(questions, byId, answerReader(answers))
  const result: VisibleQuestion[] = []
  questions.forEach((entry, i) => {
    if (visible[i]) {
      result.push({
        questionnaireId: entry.questionnaireId,
        questionnaireVersion: entry.questionnaireVersion,
        sectionId: entry.sectionId,
        question: entry.question,
      })
    }
  })
  return result
}

/** Reads answers by question id from a plain record (own keys only) or a Map. */
export function answerReader(answers: AnswerLookup): (questionId: string) => AnswerLike | undefined {
  if (answers instanceof Map) return (questionId) => answers.get(questionId)
  const record = answers as Readonly<Record<string, AnswerLike | undefined>>
  return (questionId) => (Object.prototype.hasOwnProperty.call(record, questionId) ? record[questionId] : undefined)
}

// Resolution states; 0 means not resolved yet.
const VISITING = 1
const VISIBLE = 2
const HIDDEN = 3

export type AnswerReader = (questionId: string) => AnswerLike | undefined

/** One flag per indexed question (1 visible, 0 hidden). */
export function resolveVisibility(
  questions: readonly IndexedQuestion[],
  byId: ReadonlyMap<string, number>,
  answers: AnswerLookup | AnswerReader,
): Uint8Array {
  const answerFor = typeof answers === 'function' ? answers : answerReader(answers)
  const state = new Uint8Array(questions.length)
  const resolve = (i: number): boolean => {
    const current = state[i]
    if (current === VISIBLE) return true
    if (current === HIDDEN || current === VISITING) return false // a cycle never shows anything
    const condition = questions[i].question.showWhen
    if (!condition) {
      state[i] = VISIBLE
      return true
    }
    state[i] = VISITING
    const controller = byId.get(condition.question)
    let shown = false
    if (controller !== undefined && resolve(controller)) {
      const entry = questions[controller]
      const chosen = chosenOptions(entry, answerFor(condition.question)?.value)
      shown = chosen.some((position) => condition.anyOf.includes(entry.options[position].id))
    }
    state[i] = shown ? VISIBLE : HIDDEN
    return shown
  }
  const flags = new Uint8Array(questions.length)
  for (let i = 0; i < questions.length; i++) flags[i] = resolve(i) ? 1 : 0
  return flags
}
