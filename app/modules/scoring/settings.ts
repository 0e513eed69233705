// The numbers of the scoring method: severity weights, the residual-risk matrix, the knock-out
// floor and the coverage threshold. Pure. The defaults are exported so the admin view, the PDF
// and docs/scoring.md all show the same figures; an admin-stored override is checked with
// `scoringSettingsSchema` before it reaches the engine.
import { z } from 'zod'
import { SEVERITIES, type ClauseEffect, type Severity } from '~/modules/library/content-schema'
import { RESIDUAL_RISKS, TIERS, type ResidualRisk, type Tier } from '~/modules/vendors/vocabulary'

/** Weight of a clause in the control score, by its severity. Whole numbers keep the sum exact. */
export const DEFAULT_SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = Object.freeze({
  critical: 10,
  high: 6,
  medium: 3,
  low: 1,
})

/** Share of a clause's weight earned by its status. Not part of the settings: the method fixes it. */
export const STATUS_CREDIT: Readonly<Record<Exclude<ClauseEffect, 'not_applicable'>, number>> = Object.freeze({
  meets: 1,
  partial: 0.5,
  fails: 0,
})

/** Control-score bands, best first; a score belongs to the first band whose minimum it reaches. */
export const SCORE_BAND_IDS = ['strong', 'adequate', 'weak', 'poor'] as const
export type ScoreBandId = (typeof SCORE_BAND_IDS)[number]

export interface RiskMatrix {
  /** Lowest score (inclusive) of each band, in SCORE_BAND_IDS order; the last one is 0. */
  bandMinimums: Readonly<Record<ScoreBandId, number>>
  /** Residual risk for each inherent tier (1 critical … 4 low), one cell per band in SCORE_BAND_IDS order. */
  rows: Readonly<Record<Tier, readonly [ResidualRisk, ResidualRisk, ResidualRisk, ResidualRisk]>>
}

/** Read it as a table: a tier-2 vendor scoring 72 (column "70–84.9") has medium residual risk. */
// prettier-ignore
export const DEFAULT_RISK_MATRIX: RiskMatrix = deepFreeze({
  bandMinimums: { strong: 85, adequate: 70, weak: 50, poor: 0 },
  rows: {
    //   score ≥ 85  70–84.9   50–69.9     < 50 or no score
    1: [ 'medium',   'high',   'critical', 'critical' ],
    2: [ 'low',      'medium', 'high',     'critical' ],
    3: [ 'low',      'low',    'medium',   'high'     ],
    4: [ 'low',      'low',    'low',      'medium'   ],
  },
})

/** A failed knock-out clause raises the residual risk to at least this, whatever the score. */
export const DEFAULT_KNOCK_OUT_FLOOR: ResidualRisk = 'high'

/**
 * When more than this share of the clauses that could be scored are "not assessed", the result
 * carries a coverage gap: a score computed from too few clauses must not pass unnoticed.
 */
export const DEFAULT_MAX_NOT_ASSESSED_SHARE = 0.25

export interface ScoringSettings {
  severityWeights: Readonly<Record<Severity, number>>
  riskMatrix: RiskMatrix
  knockOutFloor: ResidualRisk
  maxNotAssessedShare: number
}

export const DEFAULT_SCORING_SETTINGS: ScoringSettings = Object.freeze({
  severityWeights: DEFAULT_SEVERITY_WEIGHTS,
  riskMatrix: DEFAULT_RISK_MATRIX,
  knockOutFloor: DEFAULT_KNOCK_OUT_FLOOR,
  maxNotAssessedShare: DEFAULT_MAX_NOT_ASSESSED_SHARE,
})

const risk = z.enum(RESIDUAL_RISKS)
const matrixRow = z.tuple([risk, risk, risk, risk])

/** Validates admin-edited settings (stored elsewhere) before they are handed to the engine. */
export const scoringSettingsSchema = z.strictObject({
  severityWeights: z.strictObject(
    Object.fromEntries(SEVERITIES.map((severity) => [severity, z.number().int().min(0).max(1000)])) as Record<
      Severity,
      z.ZodNumber
    >,
  ),
  riskMatrix: z.strictObject({
    bandMinimums: z
      .strictObject({
        strong: z.number().min(0).max(100),
        adequate: z.number().min(0).max(100),
        weak: z.number().min(0).max(100),
        poor: z.literal(0),
      })
      .refine((m) => m.strong > m.adequate && m.adequate > m.weak && m.weak > m.poor, {
        message: 'band minimums must fall strictly from strong to poor',
      }),
    rows: z.strictObject({ 1: matrixRow, 2: matrixRow, 3: matrixRow, 4: matrixRow }),
  }),
  knockOutFloor: risk,
  maxNotAssessedShare: z.number().min(0).max(1),
})

/** Defaults completed with whatever the caller supplies, then checked: bad settings are a programming error. */
export function resolveSettings(partial: Partial<ScoringSettings> | undefined): ScoringSettings {
  if (!partial || partial === DEFAULT_SCORING_SETTINGS) return DEFAULT_SCORING_SETTINGS
  const known = checked.get(partial)
  if (known) return known
  const merged = { ...DEFAULT_SCORING_SETTINGS, ...stripUndefined(partial) }
  const parsed = scoringSettingsSchema.safeParse(merged)
  if (!parsed.success) {
    throw new Error(`Invalid scoring settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  }
  checked.set(partial, merged)
  return merged
}
// Settings objects already checked (the same object is usually passed for many assessments).
const checked = new WeakMap<object, ScoringSettings>()

export function scoreBand(score: number, matrix: RiskMatrix = DEFAULT_RISK_MATRIX): ScoreBandId {
  for (const band of SCORE_BAND_IDS) if (score >= matrix.bandMinimums[band]) return band
  return 'poor'
}

/** The matrix cell; a missing score (nothing could be scored) reads the lowest band. */
export function matrixRisk(tier: Tier, score: number | null, matrix: RiskMatrix = DEFAULT_RISK_MATRIX): ResidualRisk {
  const band = score === null ? 'poor' : scoreBand(score, matrix)
  return matrix.rows[tier][SCORE_BAND_IDS.indexOf(band)]
}

export function maxRisk(a: ResidualRisk, b: ResidualRisk): ResidualRisk {
  return RESIDUAL_RISKS.indexOf(a) >= RESIDUAL_RISKS.indexOf(b) ? a : b
}

export const isTier = (value: unknown): value is Tier => (TIERS as readonly unknown[]).includes(value)

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}
