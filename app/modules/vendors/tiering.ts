// Inherent risk tier of a vendor, from what it receives. Pure and deterministic; the rule is
// explained in docs/tiering.md and every branch has a row in test/unit/vendors-tiering.test.ts.
import type { PiCategory, SensitivityLevel, ServiceCriticality, Tier } from './vocabulary'

export interface TieringProfile {
  piCategories: readonly PiCategory[]
  sensitivity: SensitivityLevel
  recordCount: number
  crossBorder: boolean
  crossBorderDestinations?: readonly string[]
  usesSubProcessors: boolean
  subProcessors?: readonly unknown[]
  serviceCriticality: ServiceCriticality
}

export type VolumeBand = 'small' | 'medium' | 'large'

/**
 * Why the tier is what it is, in the order the rule applied them. `params` fill the translated
 * sentence (vendors.json, tierReasons.<code>).
 */
export type TierReason =
  | { code: 'no_personal_data'; params: { tier: Tier } }
  | { code: 'sensitivity_raised'; params: { declared: SensitivityLevel; effective: SensitivityLevel } }
  | { code: 'base'; params: { sensitivity: SensitivityLevel; band: VolumeBand; recordCount: number; tier: Tier } }
  | { code: 'cross_border'; params: { destinations: string } }
  | { code: 'sub_processors'; params: { count: number } }
  | { code: 'biometric_data'; params: Record<string, never> }
  | { code: 'raised'; params: { from: Tier; to: Tier } }
  | { code: 'already_highest'; params: Record<string, never> }
  | { code: 'criticality_floor'; params: { criticality: 'critical' | 'important'; floor: Tier; from: Tier; to: Tier } }

export interface TierResult {
  tier: Tier
  reasons: TierReason[]
}

/** Volume bands, in customers' records. 10,000 and 1,000,000 follow the thresholds PRC rules use for personal information. */
export const VOLUME_THRESHOLDS = { medium: 10_000, large: 1_000_000 } as const

export function volumeBand(recordCount: number): VolumeBand {
  if (recordCount >= VOLUME_THRESHOLDS.large) return 'large'
  if (recordCount >= VOLUME_THRESHOLDS.medium) return 'medium'
  return 'small'
}

/**
 * The lowest JR/T 0171-2020 level a category can be declared at, where the standard leaves no
 * doubt. Contact details and location depend on what exactly is shared (a mobile number is C2, a
 * city is not), so the person declaring decides.
 */
export const MINIMUM_SENSITIVITY: Partial<Record<PiCategory, SensitivityLevel>> = {
  biometric: 'C3',
  account_auth: 'C2',
  identity: 'C2',
  transactions: 'C2',
  financial_credit: 'C2',
}

const RANK: Record<SensitivityLevel, number> = { C1: 1, C2: 2, C3: 3 }

export function higherSensitivity(a: SensitivityLevel, b: SensitivityLevel): SensitivityLevel {
  return RANK[a] >= RANK[b] ? a : b
}

/** The level the categories imply, or null when none of them sets a floor. */
export function impliedSensitivity(categories: readonly PiCategory[]): SensitivityLevel | null {
  let implied: SensitivityLevel | null = null
  for (const category of categories) {
    const level = MINIMUM_SENSITIVITY[category]
    if (level) implied = implied ? higherSensitivity(implied, level) : level
  }
  return implied
}

/** Base tier by sensitivity (rows) and volume band (columns). */
export const BASE_TIER: Record<SensitivityLevel, Record<VolumeBand, Tier>> = {
  C3: { small: 2, medium: 1, large: 1 },
  C2: { small: 3, medium: 2, large: 1 },
  C1: { small: 4, medium: 4, large: 3 },
}

/** The least critical tier a service may have, whatever data it receives. */
export const CRITICALITY_FLOOR: Record<'critical' | 'important', Tier> = { critical: 2, important: 3 }

export function computeTier(profile: TieringProfile): TierResult {
  const reasons: TierReason[] = []
  const sharesPersonalData = profile.piCategories.length > 0
  let tier: Tier

  if (!sharesPersonalData) {
    // Nothing personal leaves the institution: sensitivity, volume and data flows do not apply.
    tier = 4
    reasons.push({ code: 'no_personal_data', params: { tier } })
  } else {
    const implied = impliedSensitivity(profile.piCategories)
    const sensitivity = implied ? higherSensitivity(profile.sensitivity, implied) : profile.sensitivity
    if (sensitivity !== profile.sensitivity) {
      reasons.push({ code: 'sensitivity_raised', params: { declared: profile.sensitivity, effective: sensitivity } })
    }
    const recordCount = Math.max(0, Math.floor(profile.recordCount))
    const band = volumeBand(recordCount)
    tier = BASE_TIER[sensitivity][band]
    reasons.push({ code: 'base', params: { sensitivity, band, recordCount, tier } })

    // Aggravating factors: each is shown, together they raise the tier by one step at most.
    const aggravating: TierReason[] = []
    if (profile.crossBorder) {
      aggravating.push({ code: 'cross_border', params: { destinations: (profile.crossBorderDestinations ?? []).join(', ') } })
    }
    if (profile.usesSubProcessors) {
      aggravating.push({ code: 'sub_processors', params: { count: profile.subProcessors?.length ?? 0 } })
    }
    if (profile.piCategories.includes('biometric')) aggravating.push({ code: 'biometric_data', params: {} })
    if (aggravating.length > 0) {
      reasons.push(...aggravating)
      if (tier > 1) {
        const raised = (tier - 1) as Tier
        reasons.push({ code: 'raised', params: { from: tier, to: raised } })
        tier = raised
      } else {
        reasons.push({ code: 'already_highest', params: {} })
      }
    }
  }

  if (profile.serviceCriticality !== 'standard') {
    const floor = CRITICALITY_FLOOR[profile.serviceCriticality]
    const from = tier
    if (tier > floor) tier = floor
    reasons.push({ code: 'criticality_floor', params: { criticality: profile.serviceCriticality, floor, from, to: tier } })
  }

  return { tier, reasons }
}

/** The tier that counts: an admin's override wins over the computed one. */
export function effectiveTierOf(tier: { computed: number; override?: { tier?: number | null } | null }): Tier {
  return (tier.override?.tier ?? tier.computed) as Tier
}
