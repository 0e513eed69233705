// Which answers of a vendor's last completed assessment are carried into the next one. Pure: the
// start action, the scheduler's reassessments, the tests and the benchmark all call the same rule.
//
// An answer is carried when its question (same id) is asked again with an unchanged meaning:
//   1. the question still exists in one of the new assessment's questionnaires;
//   2. it is of the same kind;
//   3. a choice question offers exactly the same option ids (an added or removed option changes
//      what the others mean, e.g. "partly" between "yes" and "no");
//   4. the library did not mark a change of meaning since the version it was answered in
//      (`meaningChangedIn: N` on the question: answers given to versions before N are not carried);
//   5. the old value still passes the new question's own validation (bounds, lengths, options).
// Wording fixes that keep the meaning keep `meaningChangedIn` as it was, and answers carry over.
// Evidence files are not carried: documents are offered for reuse separately (issue 16, item 2).
// See questionnaires/README.md ("Change log and carry-over") and docs/decisions/026.
import type { Questionnaire } from '~/modules/library/content-schema'
import { indexAssessment, isAnswered, type IndexedQuestion } from '~/modules/scoring/question-index'
import { answerValueSchema, commentSchema } from './answer-schema'
import type { AnswerValue } from './vocabulary'

export { answersThatCount, isUnconfirmedCarry } from './carried'

/** Where a carried answer came from: shown as "from last assessment (date)". */
export interface CarriedFrom {
  assessmentId: string
  at: Date // the sign-off of the assessment it came from
}

export interface PreviousAnswer {
  value?: AnswerValue | null
  comment?: string | null
}

export interface PreviousAssessment {
  assessmentId: string
  completedAt: Date
  questionnaires: readonly Questionnaire[]
  answers: Readonly<Record<string, PreviousAnswer | undefined>>
}

/** Why a question of the new assessment got (or did not get) last time's answer. */
export type CarryDecision = 'carried' | 'new' | 'changed' | 'unanswered'

export interface CarriedAnswer {
  value: AnswerValue
  comment: string | null
  carriedFrom: CarriedFrom
}

export interface CarryOverPlan {
  answers: Record<string, CarriedAnswer>
  /** One decision per question of the new assessment. */
  decisions: Record<string, CarryDecision>
  /** Questions answered last time that the new assessment no longer asks. */
  removed: string[]
}

/** Whether a question asks the same thing in both versions (rules 2–4 above). */
export function sameMeaning(before: IndexedQuestion, after: IndexedQuestion): boolean {
  if (before.question.kind !== after.question.kind) return false
  if (after.isChoice) {
    if (before.optionIds.length !== after.optionIds.length) return false
    if (!after.optionIds.every((id) => before.optionIds.includes(id))) return false
  }
  const changedIn = after.question.meaningChangedIn
  if (changedIn !== undefined && after.questionnaireId === before.questionnaireId && before.questionnaireVersion < changedIn) return false
  if (changedIn !== undefined && after.questionnaireId !== before.questionnaireId) return false // moved and reworded: ask afresh
  return true
}

export function planCarryOver(previous: PreviousAssessment, next: readonly Questionnaire[]): CarryOverPlan {
  const before = indexAssessment(previous.questionnaires)
  const after = indexAssessment(next)
  const answers: Record<string, CarriedAnswer> = {}
  const decisions: Record<string, CarryDecision> = {}
  const carriedFrom = { assessmentId: previous.assessmentId, at: previous.completedAt }
  for (const entry of after.questions) {
    const id = entry.question.id
    if (decisions[id]) continue // a duplicated id: the first one in canonical order decides
    const position = before.byId.get(id)
    if (position === undefined) {
      decisions[id] = 'new'
      continue
    }
    const old = before.questions[position]
    const answer = Object.prototype.hasOwnProperty.call(previous.answers, id) ? previous.answers[id] : undefined
    if (!sameMeaning(old, entry)) {
      decisions[id] = 'changed'
      continue
    }
    // A file question's answer is its evidence, which is not carried; nothing else to carry.
    if (entry.question.kind === 'file' || !answer || !isAnswered(old, { value: answer.value ?? undefined })) {
      decisions[id] = 'unanswered'
      continue
    }
    const value = answerValueSchema(entry.question).safeParse(answer.value)
    const comment = commentSchema.safeParse(answer.comment ?? null)
    if (!value.success || value.data === null || !comment.success) {
      decisions[id] = 'changed'
      continue
    }
    answers[id] = { value: value.data, comment: (comment.data as string | null) ?? null, carriedFrom }
    decisions[id] = 'carried'
  }
  const removed = before.questions.map((entry) => entry.question.id).filter((id) => !after.byId.has(id) && previous.answers[id] !== undefined)
  return { answers, decisions, removed }
}
