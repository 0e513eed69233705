// Which questions an assessment shows and how far the vendor has got. Pure: shared by the vendor
// portal (browser and server), the staff pages and the list. Visibility itself is the scoring
// module's rule, so the portal and the score never disagree about which answers count.
import type { AnswerValue } from './vocabulary'
import { isUnconfirmedCarry } from './carried'
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

/**
 * What is still to do, counted in questions. A question counts when it is visible and either
 * required or its answer calls for evidence; it is complete only when answered (if required) AND
 * its evidence is attached (if needed). So "12/12 ✓" never hides a missing file. See
 * docs/decisions/016-progress-counts-evidence.md.
 */
export interface Progress {
  answered: number // questions complete (answer and any evidence it needs)
  required: number // questions that must be completed: visible required ones, and visible ones needing evidence
  percent: number // 0–100, rounded down so 100 means really complete
  /** Required visible questions with no answer. */
  missing: string[]
  /** Visible answered questions whose answer calls for evidence that was not attached. */
  missingEvidence: string[]
  /**
   * Required questions hidden now that other answers could still reveal: the total can grow by
   * at most this much, and the page says so instead of letting "79 of 79" turn into "79 of 93".
   */
  mayAppear: number
  /** Visible questions pre-filled from the last assessment that the vendor has not confirmed or edited yet. */
  toConfirm: number
  /** The same counts per section, in the order of sectionsOf. */
  sections: SectionProgress[]
}

export interface SectionProgress {
  questionnaireId: string
  sectionId: string
  done: number
  total: number
  missing: string[]
  missingEvidence: string[]
  mayAppear: number
  /** Carried answers of this section still to confirm (their ids). */
  toConfirm: string[]
}

export function progressOf(questionnaires: readonly Questionnaire[], answers: AnswerLookup): Progress {
  const { questions, byId } = indexAssessment(questionnaires)
  const flags = resolveVisibility(questions, byId, answers)
  const sections = new Map<string, SectionProgress>()
  for (const { questionnaire, section } of sectionsOf(questionnaires)) {
    const key = `${questionnaire.id}\u0000${section.id}`
    if (!sections.has(key)) sections.set(key, { questionnaireId: questionnaire.id, sectionId: section.id, done: 0, total: 0, missing: [], missingEvidence: [], mayAppear: 0, toConfirm: [] })
  }
  let answered = 0
  let required = 0
  let mayAppear = 0
  let toConfirm = 0
  const missing: string[] = []
  const missingEvidence: string[] = []
  questions.forEach((entry, i) => {
    const section = sections.get(`${entry.questionnaireId}\u0000${entry.sectionId}`)
    if (!flags[i]) {
      if (entry.question.required) {
        mayAppear++
        if (section) section.mayAppear++
      }
      return
    }
    const answer = lookup(answers, entry.question.id)
    // A carried answer shows its value (and so drives visibility) but is not an answer until confirmed.
    const carried = isUnconfirmedCarry(answer)
    if (carried) {
      toConfirm++
      section?.toConfirm.push(entry.question.id)
    }
    const done = !carried && isAnswered(entry, answer)
    const evidenceCount = answer?.evidence?.length ?? 0
    const evidenceMissing = entry.question.kind !== 'file' && (done || entry.evidenceAlways) && needsEvidence(entry, answer?.value) && evidenceCount === 0
    const counts = entry.question.required || evidenceMissing || (done && needsEvidence(entry, answer?.value) && entry.question.kind !== 'file')
    if (entry.question.required && !done) {
      missing.push(entry.question.id)
      section?.missing.push(entry.question.id)
    }
    if (evidenceMissing) {
      missingEvidence.push(entry.question.id)
      section?.missingEvidence.push(entry.question.id)
    }
    if (!counts) return
    required++
    if (section) section.total++
    if ((done || !entry.question.required) && !evidenceMissing) {
      answered++
      if (section) section.done++
    }
  })
  const percent = required === 0 ? 100 : Math.floor((answered * 100) / required)
  return { answered, required, percent, missing, missingEvidence, mayAppear, toConfirm, sections: [...sections.values()] }
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
