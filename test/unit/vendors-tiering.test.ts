import { describe, expect, it } from 'vitest'
import { BASE_TIER, computeTier, effectiveTierOf, impliedSensitivity, volumeBand, type TieringProfile } from '~/modules/vendors/tiering'

// A vendor receiving C2 contact details of 5,000 customers, nothing aggravating: the plainest case.
const plain: TieringProfile = {
  piCategories: ['contact'],
  sensitivity: 'C2',
  recordCount: 5_000,
  crossBorder: false,
  crossBorderDestinations: [],
  usesSubProcessors: false,
  subProcessors: [],
  serviceCriticality: 'standard',
}
const profile = (changes: Partial<TieringProfile>): TieringProfile => ({ ...plain, ...changes })
const codes = (result: { reasons: { code: string }[] }) => result.reasons.map((reason) => reason.code)

describe('volume bands', () => {
  it.each([
    [0, 'small'],
    [9_999, 'small'],
    [10_000, 'medium'],
    [999_999, 'medium'],
    [1_000_000, 'large'],
    [50_000_000, 'large'],
  ] as const)('%i records are %s', (count, band) => {
    expect(volumeBand(count)).toBe(band)
  })
})

describe('the base tier: sensitivity × volume', () => {
  // Every cell of the matrix, with the reason that states it.
  const cells = [
    ['C3', 5_000, 2],
    ['C3', 50_000, 1],
    ['C3', 5_000_000, 1],
    ['C2', 5_000, 3],
    ['C2', 50_000, 2],
    ['C2', 5_000_000, 1],
    ['C1', 5_000, 4],
    ['C1', 50_000, 4],
    ['C1', 5_000_000, 3],
  ] as const
  it.each(cells)('%s data of %i customers → tier %i', (sensitivity, recordCount, tier) => {
    // Contact details set no floor, so every level can be declared with them.
    const result = computeTier(profile({ sensitivity, recordCount, piCategories: ['contact'] }))
    expect(result.tier).toBe(tier)
    expect(result.reasons).toEqual([{ code: 'base', params: { sensitivity, band: volumeBand(recordCount), recordCount, tier } }])
  })

  it('has the documented matrix', () => {
    expect(BASE_TIER).toEqual({
      C3: { small: 2, medium: 1, large: 1 },
      C2: { small: 3, medium: 2, large: 1 },
      C1: { small: 4, medium: 4, large: 3 },
    })
  })
})

describe('sensitivity implied by the categories', () => {
  it.each([
    [['biometric'], 'C3'],
    [['identity'], 'C2'],
    [['account_auth'], 'C2'],
    [['financial_credit'], 'C2'],
    [['transactions', 'location'], 'C2'],
    [['contact', 'biometric'], 'C3'],
    [['contact', 'location'], null],
    [[], null],
  ] as const)('%j imply at least %s', (categories, level) => {
    expect(impliedSensitivity(categories)).toBe(level)
  })

  it('uses the implied level when the declared one is lower, and says so', () => {
    const result = computeTier(profile({ sensitivity: 'C1', piCategories: ['identity'], recordCount: 50_000 }))
    expect(result.tier).toBe(2)
    expect(result.reasons[0]).toEqual({ code: 'sensitivity_raised', params: { declared: 'C1', effective: 'C2' } })
  })

  it('keeps a declared level higher than the categories imply', () => {
    const result = computeTier(profile({ sensitivity: 'C3', piCategories: ['contact'], recordCount: 5_000 }))
    expect(result.tier).toBe(2)
    expect(codes(result)).toEqual(['base'])
  })

  it('ignores the declared level and volume when no category is shared', () => {
    const result = computeTier(profile({ sensitivity: 'C1', piCategories: [], recordCount: 5_000_000 }))
    expect(result).toEqual({ tier: 4, reasons: [{ code: 'no_personal_data', params: { tier: 4 } }] })
  })
})

describe('no personal data', () => {
  it('is tier 4 whatever the data flows say, since nothing personal flows', () => {
    const result = computeTier(profile({ piCategories: [], recordCount: 0, crossBorder: true, crossBorderDestinations: ['US'], usesSubProcessors: true }))
    expect(result).toEqual({ tier: 4, reasons: [{ code: 'no_personal_data', params: { tier: 4 } }] })
  })
})

describe('aggravating factors', () => {
  it.each([
    ['cross-border transfer', { crossBorder: true, crossBorderDestinations: ['SG', 'US'] }, { code: 'cross_border', params: { destinations: 'SG, US' } }],
    ['sub-processors', { usesSubProcessors: true, subProcessors: [{}, {}] }, { code: 'sub_processors', params: { count: 2 } }],
  ] as const)('%s raises tier 3 to tier 2', (_name, changes, reason) => {
    const result = computeTier(profile(changes))
    expect(result.tier).toBe(2)
    expect(result.reasons).toEqual([
      { code: 'base', params: { sensitivity: 'C2', band: 'small', recordCount: 5_000, tier: 3 } },
      reason,
      { code: 'raised', params: { from: 3, to: 2 } },
    ])
  })

  it('biometric data is C3 and raises the tier: a few thousand face images are tier 1', () => {
    const result = computeTier(profile({ piCategories: ['biometric'], sensitivity: 'C3', recordCount: 3_000 }))
    expect(result.tier).toBe(1)
    expect(codes(result)).toEqual(['base', 'biometric_data', 'raised'])
  })

  it('raises by one step only, however many factors apply', () => {
    const result = computeTier(
      profile({ crossBorder: true, crossBorderDestinations: ['HK'], usesSubProcessors: true, subProcessors: [{}], piCategories: ['contact', 'biometric'], sensitivity: 'C3' }),
    )
    expect(result.tier).toBe(1) // C3 small = 2, one step up
    expect(codes(result)).toEqual(['base', 'cross_border', 'sub_processors', 'biometric_data', 'raised'])
  })

  it('cannot raise beyond tier 1, and says so', () => {
    const result = computeTier(profile({ recordCount: 2_000_000, crossBorder: true, crossBorderDestinations: ['US'] }))
    expect(result.tier).toBe(1)
    expect(codes(result)).toEqual(['base', 'cross_border', 'already_highest'])
  })

  it('a cross-border flag without destinations still counts (the form requires them; the rule does not guess)', () => {
    const result = computeTier(profile({ crossBorder: true, crossBorderDestinations: undefined }))
    expect(result.reasons[1]).toEqual({ code: 'cross_border', params: { destinations: '' } })
    expect(result.tier).toBe(2)
  })
})

describe('service criticality', () => {
  it.each([
    ['critical', plain, 2, { criticality: 'critical', floor: 2, from: 3, to: 2 }],
    ['important', profile({ piCategories: [], recordCount: 0 }), 3, { criticality: 'important', floor: 3, from: 4, to: 3 }],
    ['critical', profile({ piCategories: [], recordCount: 0 }), 2, { criticality: 'critical', floor: 2, from: 4, to: 2 }],
    ['important', profile({ recordCount: 50_000 }), 2, { criticality: 'important', floor: 3, from: 2, to: 2 }],
    ['critical', profile({ recordCount: 5_000_000 }), 1, { criticality: 'critical', floor: 2, from: 1, to: 1 }],
  ] as const)('a %s service is at least its floor tier (→ %#)', (criticality, base, tier, params) => {
    const result = computeTier({ ...base, serviceCriticality: criticality })
    expect(result.tier).toBe(tier)
    expect(result.reasons.at(-1)).toEqual({ code: 'criticality_floor', params })
  })

  it('a standard service adds no reason', () => {
    expect(codes(computeTier(plain))).toEqual(['base'])
  })
})

describe('every tier is reachable by a realistic vendor', () => {
  it.each([
    [1, 'payment platform: account and transaction data of millions', profile({ piCategories: ['identity', 'account_auth', 'transactions'], recordCount: 8_000_000, serviceCriticality: 'critical' })],
    [2, 'marketing agency: contact details of 200,000 customers', profile({ recordCount: 200_000 })],
    [3, 'small insurance broker: contact details of 2,000 customers', profile({ recordCount: 2_000 })],
    [4, 'office supplies: no customer data', profile({ piCategories: [], recordCount: 0 })],
  ] as const)('tier %i: %s', (tier, _name, vendor) => {
    expect(computeTier(vendor).tier).toBe(tier)
  })

  it('is deterministic: the same profile gives the same tier and reasons', () => {
    const vendor = profile({ crossBorder: true, crossBorderDestinations: ['SG'], serviceCriticality: 'important' })
    expect(computeTier(vendor)).toEqual(computeTier({ ...vendor }))
  })

  it('rounds a fractional record count down and treats a negative one as zero', () => {
    expect(computeTier(profile({ recordCount: 9_999.9 })).tier).toBe(3)
    expect(computeTier(profile({ recordCount: -5 })).reasons[0]).toMatchObject({ params: { recordCount: 0 } })
  })
})

describe('the tier in force', () => {
  it.each([
    [{ computed: 3 }, 3],
    [{ computed: 3, override: null }, 3],
    [{ computed: 3, override: { tier: null } }, 3],
    [{ computed: 3, override: { tier: 1 } }, 1],
    [{ computed: 1, override: { tier: 4 } }, 4],
  ])('%j → %i', (tier, effective) => {
    expect(effectiveTierOf(tier)).toBe(effective)
  })
})
