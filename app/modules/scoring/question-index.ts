// Flat, precomputed views of questionnaires so visibility and scoring touch each question once.
// Pure. A questionnaire's index is cached on the questionnaire object itself (WeakMap): the library
// hands out the same parsed object for an id and version, and a different object with the same id
// and version (a test fixture, edited content) can never be served a stale index.
import type { AnswerValue } from '~/modules/assessments/vocabulary'
import type { ClauseEffect, Question, Questionnaire } from '~/modules/library/content-schema'

export interface IndexedOption {
  id: string
  /** This option's effects, in content order. */
  effects: readonly { clause: string; effect: ClauseEffect }[]
}

export interface IndexedQuestion {
  questionnaireId: string
  questionnaireVersion: number
  sectionId: string
  /** Position in its questionnaire (document order), for stable sorting. */
  position: number
  question: Question
  isChoice: boolean
  /** Option ids in content order (a handful: a linear search beats a map). */
  optionIds: readonly string[]
  options: readonly IndexedOption[]
  /** Every clause any option bears on, in first-seen order. */
  clauseIds: readonly string[]
  /** Options whose choice requires evidence; null when evidence is required always or never. */
  evidenceOptions: ReadonlySet<string> | null
  evidenceAlways: boolean
}

export interface QuestionnaireIndex {
  questionnaire: Questionnaire
  questions: readonly IndexedQuestion[]
}

/** Baseline before supplements, then by id, then by version. */
export function canonicalOrder(a: Questionnaire, b: Questionnaire): number {
  if (a.kind !== b.kind) return a.kind === 'baseline' ? -1 : 1
  if (a.id !== b.id) return a.id < b.id ? -1 : 1
  return a.version - b.version
}

const CHOICE = new Set(['yes_no_na', 'single_choice', 'multi_choice'])
const cache = new WeakMap<Questionnaire, QuestionnaireIndex>()

export function indexQuestionnaire(questionnaire: Questionnaire): QuestionnaireIndex {
  const cached = cache.get(questionnaire)
  if (cached) return cached
  const questions: IndexedQuestion[] = []
  for (const section of questionnaire.sections) {
    for (const question of section.questions) {
      const options = (question.options ?? []).map((option) => ({ id: option.id, effects: option.clauses ?? [] }))
      const clauseIds: string[] = []
      for (const option of options) for (const { clause } of option.effects) if (!clauseIds.includes(clause)) clauseIds.push(clause)
      const requiredWhen = question.evidence?.requiredWhen
      questions.push({
        questionnaireId: questionnaire.id,
        questionnaireVersion: questionnaire.version,
        sectionId: section.id,
        position: questions.length,
        question,
        isChoice: CHOICE.has(question.kind),
        optionIds: options.map((option) => option.id),
        options,
        clauseIds,
        evidenceAlways: requiredWhen === 'always',
        evidenceOptions: Array.isArray(requiredWhen) ? new Set(requiredWhen) : null,
      })
    }
  }
  const index = { questionnaire, questions }
  cache.set(questionnaire, index)
  return index
}

/**
 * The questionnaires of one assessment in a canonical order — the baseline first, then supplements,
 * each by id and version — so nothing depends on the order in which the caller listed them.
 * Duplicated references are dropped. Cached per combination of questionnaire objects.
 */
export function indexAssessment(questionnaires: readonly Questionnaire[]): AssessmentIndex {
  const first = questionnaires[0]
  if (first === undefined) return EMPTY_ASSESSMENT
  const known = assessmentCache.get(first) ?? []
  const hit = known.find((entry) => entry.members.length === questionnaires.length && entry.members.every((q, i) => q === questionnaires[i]))
  if (hit) return hit.index
  const index = buildAssessmentIndex(questionnaires)
  // A few combinations per leading questionnaire (baseline alone, baseline + a supplement, …).
  assessmentCache.set(first, [{ members: [...questionnaires], index }, ...known.slice(0, 7)])
  return index
}

export interface AssessmentIndex {
  /** Every question of every questionnaire, in canonical order. */
  questions: readonly IndexedQuestion[]
  /** Question id → position in `questions`. */
  byId: ReadonlyMap<string, number>
}

const EMPTY_ASSESSMENT: AssessmentIndex = { questions: [], byId: new Map() }
const assessmentCache = new WeakMap<Questionnaire, { members: readonly Questionnaire[]; index: AssessmentIndex }[]>()

function buildAssessmentIndex(questionnaires: readonly Questionnaire[]): AssessmentIndex {
  const seen = new Set<string>()
  const indexes = [...questionnaires]
    .sort(canonicalOrder)
    .filter((questionnaire) => {
      const key = `${questionnaire.id}@${questionnaire.version}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .map(indexQuestionnaire)
  const questions: IndexedQuestion[] = []
  const byId = new Map<string, number>()
  for (const index of indexes) {
    for (const entry of index.questions) {
      // Question ids are unique across questionnaires; should content ever break that, the
      // first one in canonical order is the one conditions refer to.
      if (!byId.has(entry.question.id)) byId.set(entry.question.id, questions.length)
      questions.push(entry)
    }
  }
  return { questions, byId }
}

/**
 * The options an answer chose, in the question's option order, keeping only options the question
 * has (a stale or mistyped id chooses nothing). A single id is accepted for any choice kind.
 */
export function chosenOptions(entry: IndexedQuestion, value: AnswerValue | undefined): number[] {
  if (typeof value === 'string') {
    const position = entry.optionIds.indexOf(value)
    return position < 0 ? NOTHING : [position]
  }
  if (!Array.isArray(value) || value.length === 0) return NOTHING
  const positions: number[] = []
  for (const id of value) {
    const position = typeof id === 'string' ? entry.optionIds.indexOf(id) : -1
    if (position >= 0 && !positions.includes(position)) positions.push(position)
  }
  return positions.length > 1 ? positions.sort((a, b) => a - b) : positions
}

// One shared empty result, frozen so a caller that pushed into it would fail loudly; typed as the mutable result it stands for.
const NOTHING: number[] = Object.freeze([]) as unknown as number[]

export interface AnswerLike {
  value?: AnswerValue
  evidence?: readonly unknown[] | null
}

/** Whether a question counts as answered: a valid option, a non-blank text, a number, a file. */
export function isAnswered(entry: IndexedQuestion, answer: AnswerLike | undefined): boolean {
  if (!answer) return false
  const value = answer.value
  if (entry.isChoice) return chosenOptions(entry, value).length > 0
  if (entry.question.kind === 'file') return (answer.evidence?.length ?? 0) > 0
  if (entry.question.kind === 'number') return typeof value === 'number' && Number.isFinite(value)
  return typeof value === 'string' && value.trim().length > 0
}
