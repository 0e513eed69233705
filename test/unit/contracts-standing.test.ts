import { describe, expect, it } from 'vitest'
import { contractChanges } from '~/modules/contracts/changes'
import { contractSchema } from '~/modules/contracts/schema'
import { contractStanding, currentContractOf, daysUntilExpiry, type ContractDates } from '~/modules/contracts/standing'
import { dayIn as dayOf, endOfDayIn as endOfDay, startOfDayIn as startOfDay } from '~/modules/dates/dates'

const SHANGHAI = 'Asia/Shanghai'
const contract = (status: ContractDates['status'], effective: string, expires?: string): ContractDates & { name: string } => ({
  name: `${status} ${effective}…${expires ?? ''}`,
  status,
  effectiveAt: startOfDay(effective, SHANGHAI),
  expiresAt: expires ? endOfDay(expires, SHANGHAI) : null,
})

describe('calendar days in the institution time zone', () => {
  it('turns a day into the instants it begins and ends, and back', () => {
    expect(startOfDay('2025-01-01', SHANGHAI).toISOString()).toBe('2024-12-31T16:00:00.000Z')
    expect(endOfDay('2025-01-01', SHANGHAI).toISOString()).toBe('2025-01-01T15:59:59.999Z')
    expect(dayOf(new Date('2024-12-31T16:00:00.000Z'), SHANGHAI)).toBe('2025-01-01')
    expect(dayOf(new Date('2024-12-31T15:59:59.999Z'), SHANGHAI)).toBe('2024-12-31')
    expect(startOfDay('2025-03-30', 'Europe/Berlin').toISOString()).toBe('2025-03-29T23:00:00.000Z') // the day summer time starts
  })
})

describe('what a contract means at a moment', () => {
  const now = new Date('2025-06-15T04:00:00Z') // 12:00 in Shanghai
  const cases: [ContractDates, string][] = [
    [contract('draft', '2025-01-01', '2026-01-01'), 'draft'],
    [contract('terminated', '2025-01-01', '2026-01-01'), 'terminated'],
    [contract('expired', '2025-01-01', '2026-01-01'), 'expired'],
    [contract('active', '2025-01-01', '2026-01-01'), 'in_force'],
    [contract('active', '2025-01-01'), 'in_force'],
    [contract('active', '2025-06-15', '2025-06-15'), 'in_force'], // a one-day contract, today
    [contract('active', '2025-01-01', '2025-06-14'), 'expired'], // ended yesterday
    [contract('active', '2025-06-16', '2026-01-01'), 'scheduled'], // starts tomorrow
  ]
  for (const [dates, standing] of cases) {
    it(`${dates.status} ${dates.effectiveAt.toISOString().slice(0, 10)}…${dates.expiresAt?.toISOString().slice(0, 10) ?? ''} is ${standing}`, () => {
      expect(contractStanding(dates, now)).toBe(standing)
    })
  }

  it('picks the contract in force that took effect last', () => {
    const older = contract('active', '2024-01-01', '2026-12-31')
    const renewal = contract('active', '2025-06-01', '2028-05-31')
    const future = contract('active', '2025-07-01', '2029-06-30')
    const draft = contract('draft', '2025-06-10', '2030-01-01')
    expect(currentContractOf([older, renewal, future, draft], now)).toBe(renewal)
    expect(currentContractOf([older, future, draft], now)).toBe(older)
    expect(currentContractOf([future, draft], now)).toBeNull()
  })

  it('counts the days left', () => {
    expect(daysUntilExpiry(contract('active', '2025-01-01', '2025-06-15'), now)).toBe(0)
    expect(daysUntilExpiry(contract('active', '2025-01-01', '2025-07-15'), now)).toBe(30)
    expect(daysUntilExpiry(contract('active', '2025-01-01'), now)).toBeNull()
  })
})

describe('the contract form schema', () => {
  const valid = { reference: 'HT-1', title: 'DPA', effectiveAt: '2025-01-01', expiresAt: '', status: 'active', clauseIds: 'PRIV-01' }
  it('accepts one clause posted without JavaScript and an empty end date', () => {
    const parsed = contractSchema.parse(valid)
    expect(parsed.clauseIds).toEqual(['PRIV-01'])
    expect(parsed.expiresAt).toBeUndefined()
  })
  it('refuses impossible days and an end before the start', () => {
    const result = contractSchema.safeParse({ ...valid, effectiveAt: '2025-02-29' })
    expect(result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['effectiveAt', 'errors:date']])
    const reversed = contractSchema.safeParse({ ...valid, expiresAt: '2024-12-31' })
    expect(reversed.success ? [] : reversed.error.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['expiresAt', 'contracts:errors.expiryBeforeEffective']])
  })
})

describe('what an edit changed', () => {
  const base = { reference: 'HT-1', title: 'DPA', effectiveAt: new Date('2025-01-01T00:00:00Z'), expiresAt: null, status: 'draft' as const, clauseIds: ['A-1', 'B-1'] }
  it('is nothing when nothing changed', () => {
    expect(contractChanges(base, { ...base, clauseIds: ['A-1', 'B-1'] })).toBeNull()
  })
  it('lists fields and clauses that changed', () => {
    expect(contractChanges(base, { ...base, status: 'active', expiresAt: new Date('2027-01-01T00:00:00Z'), clauseIds: ['B-1', 'C-1'] })).toEqual({
      fields: { status: ['draft', 'active'], expiresAt: [null, '2027-01-01T00:00:00.000Z'] },
      clausesAdded: ['C-1'],
      clausesRemoved: ['A-1'],
    })
  })
})
