// The engine's input and result. Pure types: shared by the review screens, the report and the
// code that stores the latest result on the assessment.
import type { Clause, ClauseEffect, Questionnaire, Severity } from '~/modules/library/content-schema'
import type { ResidualRisk, Tier } from '~/modules/vendors/vocabulary'
import type { AnswerLike } from './question-index'
import type { ScoreBandId, ScoringSettings } from './settings'
import type { AnswerLookup } from './visibility'

export type { AnswerLike, AnswerLookup }

/** A clause's result: an effect, or "not assessed" when no visible answer bears on it. */
export type ClauseStatus = ClauseEffect | 'not_assessed'

/** A reviewer's decision that replaces the computed status of one clause. */
export interface ClauseOverride {
  status: ClauseEffect
  justification: string
  byName: string
  at: string | Date
}

export interface ScoreInput {
  /** The assessment's questionnaires, at their pinned versions. */
  questionnaires: readonly Questionnaire[]
  /** The contract snapshot's clauses: only these are scored. */
  clauses: readonly Clause[]
  /** Answers keyed by question id (ids are unique across questionnaires). */
  answers: AnswerLookup
  /** Reviewer decisions keyed by clause id. */
  overrides?: Readonly<Record<string, ClauseOverride | undefined>>
  /** The vendor's inherent risk tier: 1 critical … 4 low. */
  inherentTier: Tier
  /** Admin settings; anything left out takes the documented default. */
  settings?: Partial<ScoringSettings>
  /**
   * The institution's calendar day (YYYY-MM-DD) the evidence is judged on: a file whose expiry day
   * is before it no longer satisfies an evidence rule. Absent: expiry is not looked at.
   */
  today?: string
}

/** One answered, visible question bearing on a clause: what was chosen and what it means for the clause. */
export interface Contribution {
  questionnaireId: string
  questionnaireVersion: number
  questionId: string
  /** The chosen options that bear on this clause, in the question's option order. */
  optionIds: string[]
  /** The worst of those options' effects on this clause (not_applicable only if all are). */
  effect: ClauseEffect
  /** True when this answer decided the computed status (its effect equals it). */
  decisive: boolean
}

export interface ClauseResult {
  clauseId: string
  severity: Severity
  knockOut: boolean
  /** Severity weight of this clause. */
  weight: number
  /** What the answers say. */
  computed: ClauseStatus
  /** What counts: the override's status when there is one, otherwise `computed`. */
  status: ClauseStatus
  override: ClauseOverride | null
  /** Share of the weight earned (1, 0.5, 0); null when the clause is left out of the score. */
  credit: number | null
  /** Answers that bear on the clause, in canonical questionnaire order (baseline first) and document order. */
  contributions: Contribution[]
}

interface GapQuestion {
  questionnaireId: string
  questionnaireVersion: number
  sectionId: string
  questionId: string
  /** Clauses of the contract snapshot this question can bear on (through any of its options). */
  clauseIds: string[]
  /** The highest severity among those clauses; "medium" when it bears on none of them. */
  severity: Severity
}

export type Gap =
  | ({ kind: 'missing_answer' } & GapQuestion)
  | ({
      kind: 'missing_evidence'
      /** The options chosen (empty for questions without options). */
      optionIds: string[]
      requiredWhen: 'always' | string[]
      /** Files attached that no longer count because they expired (empty when nothing was attached). */
      expired: { fileId: string; filename: string; expiresOn: string }[]
    } & GapQuestion)
  | {
      kind: 'low_coverage'
      notAssessed: number
      /** Clauses that could be scored: all clauses of the snapshot except the not-applicable ones. */
      scorable: number
      /** notAssessed / scorable, rounded to 3 decimals. */
      share: number
      threshold: number
      /** The clauses not assessed, in snapshot order. */
      clauseIds: string[]
      /** The highest severity among them. */
      severity: Severity
    }

export interface ScoreCounts {
  /** Clauses in the contract snapshot. */
  total: number
  meets: number
  partial: number
  fails: number
  not_assessed: number
  not_applicable: number
  /** meets + partial + fails: the clauses in the score. */
  assessed: number
  /** Clauses whose status is a reviewer's override. */
  overridden: number
}

export interface ScoreResult {
  /** Control score 0–100, one decimal; null when no clause could be scored. */
  score: number | null
  scoreStatus: 'scored' | 'insufficient'
  /** The band of the rounded score; null when there is no score. */
  band: ScoreBandId | null
  /** Weight earned and weight possible: score = earned / possible × 100. */
  weights: { earned: number; possible: number }
  inherentTier: Tier
  /** The matrix cell for the tier and band (the lowest band when there is no score). */
  matrixRisk: ResidualRisk
  /** The final residual risk: the matrix cell, raised to the knock-out floor when a knock-out clause failed. */
  residualRisk: ResidualRisk
  cappedByKnockOut: boolean
  /** Knock-out clauses whose status is "fails", in snapshot order. */
  knockOutsFailed: string[]
  counts: ScoreCounts
  /** One entry per clause of the snapshot, in snapshot order. */
  clauses: ClauseResult[]
  gaps: Gap[]
  /** Visible questions answered. */
  answered: number
  /** Questions answered but hidden by their condition: their answers were ignored. */
  ignoredHiddenAnswers: string[]
  /** Overrides naming a clause that is not in the snapshot: ignored. */
  ignoredOverrides: string[]
  /** The settings used, so a stored result can be checked by hand later. */
  settings: ScoringSettings
}
