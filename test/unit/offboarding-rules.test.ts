import { describe, expect, it } from 'vitest'
import { isRetentionDue, linkExpiryFor, offboardingNoticeDue, retentionEndsAt } from '~/modules/offboarding/rules'
import { calendarDay, reviewOffboardingSchema, startOffboardingSchema, vendorResponseSchema } from '~/modules/offboarding/schemas'

describe('offboarding notices', () => {
  const start = '2026-03-01'
  const end = '2026-03-31'
  const cases: [string, string | null][] = [
    ['2026-03-01', null],
    ['2026-03-23', null], // 8 days before
    ['2026-03-24', 'before-7d'],
    ['2026-03-29', 'before-7d'],
    ['2026-03-30', 'before-1d'],
    ['2026-03-31', 'before-1d'], // the end day itself
    ['2026-04-01', 'overdue-0'],
    ['2026-04-07', 'overdue-0'],
    ['2026-04-08', 'overdue-1'],
    ['2026-04-15', 'overdue-2'],
  ]
  for (const [today, round] of cases) {
    it(`on ${today} → ${round ?? 'nothing'}`, () => {
      expect(offboardingNoticeDue({ startDay: start, endDay: end, today })?.round ?? null).toBe(round)
    })
  }
  it('sends no reminder whose day is not after the request', () => {
    // Started 3 days before the end: the 7-day reminder's day has passed before the request.
    expect(offboardingNoticeDue({ startDay: '2026-03-28', endDay: end, today: '2026-03-28' })).toBeNull()
    expect(offboardingNoticeDue({ startDay: '2026-03-28', endDay: end, today: '2026-03-30' })?.round).toBe('before-1d')
    expect(offboardingNoticeDue({ startDay: '2026-03-30', endDay: end, today: '2026-03-30' })).toBeNull()
  })
  it('counts days overdue', () => {
    expect(offboardingNoticeDue({ startDay: start, endDay: end, today: '2026-04-09' })).toEqual({ kind: 'overdue', round: 'overdue-1', daysOverdue: 9 })
  })
})

describe('retention', () => {
  const accepted = new Date('2026-01-15T10:00:00Z')
  it('is due exactly at the anniversary', () => {
    expect(retentionEndsAt(accepted, 5).toISOString()).toBe('2031-01-15T10:00:00.000Z')
    expect(isRetentionDue(accepted, 5, new Date('2031-01-15T09:59:59.999Z'))).toBe(false)
    expect(isRetentionDue(accepted, 5, new Date('2031-01-15T10:00:00Z'))).toBe(true)
    expect(isRetentionDue(null, 5, new Date('2040-01-01'))).toBe(false)
  })
  it('a link lasts 30 days after the end date, or after today if the end date has passed', () => {
    const endOfDay = new Date('2026-03-31T15:59:59Z')
    expect(linkExpiryFor(endOfDay, new Date('2026-03-01')).toISOString()).toBe('2026-04-30T15:59:59.000Z')
    expect(linkExpiryFor(endOfDay, new Date('2026-05-01T00:00:00Z')).toISOString()).toBe('2026-05-31T00:00:00.000Z')
  })
})

describe('offboarding schemas', () => {
  it('accepts only real calendar days', () => {
    for (const day of ['2026-02-28', '2028-02-29', '2026-12-31']) expect(calendarDay.safeParse(day).success).toBe(true)
    for (const day of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-04-31', '31/03/2026', '', '2026-3-1']) {
      const result = calendarDay.safeParse(day)
      expect(result.success, day).toBe(false)
    }
    expect(startOffboardingSchema.safeParse({ intent: 'start', reason: 'Contract ends', endDate: '2026-02-30' }).error?.issues[0]?.message).toBe('offboarding:errors.day')
  })
  it('needs a comment to send back', () => {
    expect(reviewOffboardingSchema.safeParse({ intent: 'review', decision: 'accept' }).success).toBe(true)
    const refused = reviewOffboardingSchema.safeParse({ intent: 'review', decision: 'send_back', comment: '  ' })
    expect(refused.error?.issues[0]?.path).toEqual(['comment'])
  })
  it('needs an answer per category and the confirmation', () => {
    const schema = vendorResponseSchema(['identity', 'transactions'])
    const good = { categories: { identity: { disposal: 'deleted', method: 'wipe', date: '2026-03-20' }, transactions: { disposal: 'returned', method: 'SFTP', date: '2026-03-19' } }, attestationName: 'Zhang', attestationTitle: 'CISO', confirm: 'on' }
    expect(schema.safeParse(good).success).toBe(true)
    const missing = schema.safeParse({ ...good, categories: { identity: good.categories.identity }, confirm: undefined })
    const paths = missing.error?.issues.map((issue) => issue.path.join('.'))
    expect(paths).toContain('categories.transactions')
    expect(paths).toContain('confirm')
  })
})
