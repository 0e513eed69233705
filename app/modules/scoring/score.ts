// Scores an assessment's answers against the clauses of the vendor's contract. Pure and
// deterministic: the method is written out for compliance officers in docs/scoring.md, and every
// rule below is one paragraph there.
import { CLAUSE_EFFECTS, SEVERITIES, type Clause, type ClauseEffect, type Severity } from '~/modules/library/content-schema'
import { chosenOptions, indexAssessment, isAnswered, type IndexedQuestion } from './question-index'
import { matrixRisk, maxRisk, resolveSettings, scoreBand } from './settings'
import type { ClauseOverride, ClauseResult, ClauseStatus, Contribution, Gap, ScoreCounts, ScoreInput, ScoreResult } from './types'
import { answerReader, resolveVisibility } from './visibility'

export type * from './types'
export { visibleQuestions } from './visibility'
export {
  DEFAULT_KNOCK_OUT_FLOOR,
  DEFAULT_MAX_NOT_ASSESSED_SHARE,
  DEFAULT_RISK_MATRIX,
  DEFAULT_SCORING_SETTINGS,
  DEFAULT_SEVERITY_WEIGHTS,
  SCORE_BAND_IDS,
  STATUS_CREDIT,
  matrixRisk,
  scoreBand,
  scoringSettingsSchema,
  type RiskMatrix,
  type ScoreBandId,
  type ScoringSettings,
} from './settings'

// Effects ranked so that "worst wins" is a minimum; not_applicable ranks last and never wins over
// a real effect.
const FAILS = 0
const PARTIAL = 1
const MEETS = 2
const NOT_APPLICABLE = 3
const NONE = 4
const RANK: Record<ClauseEffect, number> = { fails: FAILS, partial: PARTIAL, meets: MEETS, not_applicable: NOT_APPLICABLE }
const EFFECT_OF_RANK: readonly ClauseEffect[] = ['fails', 'partial', 'meets', 'not_applicable']
/** Twice the credit of a status, so sums stay whole numbers: meets 2, partial 1, fails 0. */
const DOUBLE_CREDIT = [0, 1, 2] as const

const NO_OPTIONS: readonly number[] = []

/** A gap for a question without any snapshot clause gets this severity. */
const UNMAPPED_GAP_SEVERITY: Severity = 'medium'

export function scoreAssessment(input: ScoreInput): ScoreResult {
  const settings = resolveSettings(input.settings)
  const { questions, byId } = indexAssessment(input.questionnaires)
  const answerFor = answerReader(input.answers)
  const visible = resolveVisibility(questions, byId, answerFor)

  // The snapshot's clauses in snapshot order, each once.
  const clauses: Clause[] = []
  const slotOf = new Map<string, number>()
  for (const clause of input.clauses) {
    if (slotOf.has(clause.id)) continue
    slotOf.set(clause.id, clauses.length)
    clauses.push(clause)
  }
  const contributions: Contribution[][] = clauses.map(() => [])
  const lastQuestionAt = new Int32Array(clauses.length).fill(-1) // which question last touched a slot

  const gaps: Gap[] = []
  const ignoredHiddenAnswers: string[] = []
  let answered = 0

  for (let i = 0; i < questions.length; i++) {
    const entry = questions[i]
    const questionId = entry.question.id
    const answer = answerFor(questionId)
    const chosen = entry.isChoice ? chosenOptions(entry, answer?.value) : NO_OPTIONS
    const isGiven = entry.isChoice ? chosen.length > 0 : isAnswered(entry, answer)
    if (!visible[i]) {
      if (isGiven) ignoredHiddenAnswers.push(questionId)
      continue
    }
    if (!isGiven) {
      if (entry.question.required) gaps.push({ kind: 'missing_answer', ...gapQuestion(entry, slotOf, clauses) })
      continue
    }
    answered++

    if (evidenceRequired(entry, chosen)) {
      const { valid, expired } = judgeEvidence(answer!.evidence, input.today)
      if (valid === 0) {
        gaps.push({
          kind: 'missing_evidence',
          optionIds: chosen.map((p) => entry.options[p].id),
          requiredWhen: entry.evidenceAlways ? 'always' : [...entry.evidenceOptions!],
          expired,
          ...gapQuestion(entry, slotOf, clauses),
        })
      }
    }

    for (const position of chosen) {
      const option = entry.options[position]
      for (const { clause, effect } of option.effects) {
        const slot = slotOf.get(clause)
        if (slot === undefined) continue // a clause the contract does not have
        const list = contributions[slot]
        if (lastQuestionAt[slot] !== i) {
          lastQuestionAt[slot] = i
          list.push({
            questionnaireId: entry.questionnaireId,
            questionnaireVersion: entry.questionnaireVersion,
            questionId,
            optionIds: [option.id],
            effect,
            decisive: false,
          })
        } else {
          // Several chosen options (multi-choice) bear on the same clause: one contribution, worst effect.
          const contribution = list[list.length - 1]
          if (contribution.optionIds[contribution.optionIds.length - 1] !== option.id) contribution.optionIds.push(option.id)
          contribution.effect = EFFECT_OF_RANK[worse(RANK[contribution.effect], RANK[effect])]
        }
      }
    }
  }

  // Per clause: worst answer wins, then the reviewer's override, then the weights.
  const counts: ScoreCounts = { total: clauses.length, meets: 0, partial: 0, fails: 0, not_assessed: 0, not_applicable: 0, assessed: 0, overridden: 0 }
  const clauseResults: ClauseResult[] = []
  const knockOutsFailed: string[] = []
  const notAssessed: Clause[] = []
  let earnedTwice = 0
  let possible = 0
  for (let slot = 0; slot < clauses.length; slot++) {
    const clause = clauses[slot]
    const list = contributions[slot]
    let rank = NONE
    for (const contribution of list) rank = worse(rank, RANK[contribution.effect])
    const computed: ClauseStatus = rank === NONE ? 'not_assessed' : EFFECT_OF_RANK[rank]
    for (const contribution of list) contribution.decisive = contribution.effect === computed

    const override = overrideFor(input.overrides, clause.id)
    const status: ClauseStatus = override ? override.status : computed
    const weight = settings.severityWeights[clause.severity]
    let credit: number | null = null
    if (status === 'meets' || status === 'partial' || status === 'fails') {
      const statusRank = RANK[status] as 0 | 1 | 2
      credit = DOUBLE_CREDIT[statusRank] / 2
      earnedTwice += weight * DOUBLE_CREDIT[statusRank]
      possible += weight
      counts.assessed++
    }
    counts[status]++
    if (override) counts.overridden++
    if (status === 'not_assessed') notAssessed.push(clause)
    if (status === 'fails' && clause.knockOut) knockOutsFailed.push(clause.id)
    clauseResults.push({
      clauseId: clause.id,
      severity: clause.severity,
      knockOut: clause.knockOut ?? false,
      weight,
      computed,
      status,
      override,
      credit,
      contributions: list,
    })
  }

  // Exact arithmetic until the end: score in tenths = round half up (1000 × earned / possible).
  const score = possible === 0 ? null : roundedTenths(earnedTwice, possible) / 10
  const band = score === null ? null : scoreBand(score, settings.riskMatrix)
  const fromMatrix = matrixRisk(input.inherentTier, score, settings.riskMatrix)
  const cappedByKnockOut = knockOutsFailed.length > 0 && maxRisk(fromMatrix, settings.knockOutFloor) !== fromMatrix
  const residualRisk = knockOutsFailed.length > 0 ? maxRisk(fromMatrix, settings.knockOutFloor) : fromMatrix

  const scorable = counts.total - counts.not_applicable
  if (counts.not_assessed > 0 && counts.not_assessed / scorable > settings.maxNotAssessedShare) {
    gaps.push({
      kind: 'low_coverage',
      notAssessed: counts.not_assessed,
      scorable,
      share: Math.round((counts.not_assessed / scorable) * 1000) / 1000,
      threshold: settings.maxNotAssessedShare,
      clauseIds: notAssessed.map((clause) => clause.id),
      severity: highestSeverity(notAssessed.map((clause) => clause.severity)) ?? UNMAPPED_GAP_SEVERITY,
    })
  }

  return {
    score,
    scoreStatus: score === null ? 'insufficient' : 'scored',
    band,
    weights: { earned: earnedTwice / 2, possible },
    inherentTier: input.inherentTier,
    matrixRisk: fromMatrix,
    residualRisk,
    cappedByKnockOut,
    knockOutsFailed,
    counts,
    clauses: clauseResults,
    gaps,
    answered,
    ignoredHiddenAnswers: ignoredHiddenAnswers.sort(),
    ignoredOverrides: ignoredOverrides(input.overrides, slotOf),
    settings,
  }
}

type EvidenceLike = { fileId?: unknown; filename?: unknown; expiresOn?: unknown }

/** How many attached files count on `today`, and which ones stopped counting because they expired. */
function judgeEvidence(evidence: readonly unknown[] | null | undefined, today: string | undefined) {
  const expired: { fileId: string; filename: string; expiresOn: string }[] = []
  let valid = 0
  for (const file of evidence ?? []) {
    const expiresOn = (file as EvidenceLike | null)?.expiresOn
    if (today && typeof expiresOn === 'string' && expiresOn < today) {
      expired.push({ fileId: String((file as EvidenceLike).fileId ?? ''), filename: String((file as EvidenceLike).filename ?? ''), expiresOn })
    } else valid++
  }
  return { valid, expired }
}

function evidenceRequired(entry: IndexedQuestion, chosen: readonly number[]): boolean {
  if (entry.evidenceAlways) return true
  if (entry.evidenceOptions === null) return false
  for (const position of chosen) if (entry.evidenceOptions.has(entry.optionIds[position])) return true
  return false
}

/** The worse of two ranks; not_applicable and "none" never beat a real effect. */
function worse(a: number, b: number): number {
  if (a >= NOT_APPLICABLE && b >= NOT_APPLICABLE) return Math.min(a, b)
  if (a >= NOT_APPLICABLE) return b
  if (b >= NOT_APPLICABLE) return a
  return Math.min(a, b)
}

/** round(1000 × earnedTwice / (2 × possible)), halves rounded up, in whole-number arithmetic. */
function roundedTenths(earnedTwice: number, possible: number): number {
  const numerator = 1000 * earnedTwice + possible
  const denominator = 2 * possible
  return (numerator - (numerator % denominator)) / denominator
}

const isEffect = (value: unknown): value is ClauseEffect => (CLAUSE_EFFECTS as readonly unknown[]).includes(value)

function overrideFor(overrides: ScoreInput['overrides'], clauseId: string): ClauseOverride | null {
  if (!overrides || !Object.prototype.hasOwnProperty.call(overrides, clauseId)) return null
  const override = overrides[clauseId]
  return override && isEffect(override.status) ? override : null
}

function ignoredOverrides(overrides: ScoreInput['overrides'], slotOf: ReadonlyMap<string, number>): string[] {
  if (!overrides) return []
  return Object.keys(overrides)
    .filter((clauseId) => overrides[clauseId] !== undefined && (!slotOf.has(clauseId) || !isEffect(overrides[clauseId]!.status)))
    .sort()
}

function gapQuestion(entry: IndexedQuestion, slotOf: ReadonlyMap<string, number>, clauses: readonly Clause[]) {
  const clauseIds = entry.clauseIds.filter((clauseId) => slotOf.has(clauseId))
  return {
    questionnaireId: entry.questionnaireId,
    questionnaireVersion: entry.questionnaireVersion,
    sectionId: entry.sectionId,
    questionId: entry.question.id,
    clauseIds,
    severity: highestSeverity(clauseIds.map((clauseId) => clauses[slotOf.get(clauseId)!].severity)) ?? UNMAPPED_GAP_SEVERITY,
  }
}

function highestSeverity(severities: readonly Severity[]): Severity | null {
  let best: number = SEVERITIES.length
  for (const severity of severities) best = Math.min(best, SEVERITIES.indexOf(severity))
  return best < SEVERITIES.length ? SEVERITIES[best] : null
}
