import { describe, expect, it } from 'vitest'
import { resolveSettings } from '~/modules/scoring/settings'
import { DEFAULT_RISK_MATRIX, DEFAULT_SCORING_SETTINGS, DEFAULT_SEVERITY_WEIGHTS, matrixRisk, scoreBand, scoringSettingsSchema } from '~/modules/scoring/score'

describe('scoring settings', () => {
  it('the documented default weights and matrix', () => {
    expect(DEFAULT_SEVERITY_WEIGHTS).toEqual({ critical: 10, high: 6, medium: 3, low: 1 })
    // Rows tiers 1–4; columns ≥ 85, 70–84.9, 50–69.9, < 50 (as in docs/scoring.md).
    expect(DEFAULT_RISK_MATRIX.rows).toEqual({
      1: ['medium', 'high', 'critical', 'critical'],
      2: ['low', 'medium', 'high', 'critical'],
      3: ['low', 'low', 'medium', 'high'],
      4: ['low', 'low', 'low', 'medium'],
    })
    expect(scoringSettingsSchema.safeParse(DEFAULT_SCORING_SETTINGS).success).toBe(true)
  })

  it.each([
    [100, 'strong'],
    [85, 'strong'],
    [84.9, 'adequate'],
    [70, 'adequate'],
    [69.9, 'weak'],
    [50, 'weak'],
    [49.9, 'poor'],
    [0, 'poor'],
  ] as const)('score %s is in band %s', (score, band) => {
    expect(scoreBand(score)).toBe(band)
  })

  it.each([
    [1, 90, 'medium'],
    [1, 75, 'high'],
    [2, 72, 'medium'],
    [3, 60, 'medium'],
    [4, 10, 'medium'],
    [4, 99, 'low'],
    [2, null, 'critical'],
  ] as const)('tier %s with score %s → %s', (tier, score, risk) => {
    expect(matrixRisk(tier, score)).toBe(risk)
  })

  it('partial settings are completed with the defaults and checked', () => {
    expect(resolveSettings(undefined)).toBe(DEFAULT_SCORING_SETTINGS)
    expect(resolveSettings({ knockOutFloor: 'critical' })).toEqual({ ...DEFAULT_SCORING_SETTINGS, knockOutFloor: 'critical' })
    expect(() => resolveSettings({ severityWeights: { critical: 2.5, high: 1, medium: 1, low: 1 } })).toThrow(/severityWeights\.critical/)
    expect(() => resolveSettings({ maxNotAssessedShare: 2 })).toThrow(/maxNotAssessedShare/)
    expect(() =>
      resolveSettings({ riskMatrix: { ...DEFAULT_RISK_MATRIX, bandMinimums: { strong: 70, adequate: 85, weak: 50, poor: 0 } } }),
    ).toThrow(/strictly/)
  })

  it('custom band minimums move the columns', () => {
    const matrix = { ...DEFAULT_RISK_MATRIX, bandMinimums: { strong: 90, adequate: 75, weak: 60, poor: 0 } }
    expect(scoreBand(88, matrix)).toBe('adequate')
    expect(matrixRisk(2, 88, matrix)).toBe('medium')
  })
})
