import { describe, expect, it } from 'vitest'
import {
  cadenceFor,
  calendarDaysUntil,
  dayKey,
  dueDateAfter,
  escalationRound,
  issueMomentFor,
  reminderDue,
} from '~/modules/schedule/cadence'
import { DEFAULT_SETTINGS } from '~/modules/schedule/settings'

const SHANGHAI = 'Asia/Shanghai'
// A moment given as Beijing wall-clock time (UTC+8, no daylight saving).
const bj = (local: string) => new Date(`${local}+08:00`)

describe('dueDateAfter: sign-off date + cadence, in the institution’s zone', () => {
  // [signed off (Beijing time), months, due day]
  const cases: [string, number, string][] = [
    ['2025-03-15T10:00:00', 12, '2026-03-15'],
    ['2025-01-31T10:00:00', 1, '2025-02-28'], // month end → shorter month
    ['2024-01-31T10:00:00', 1, '2024-02-29'], // … in a leap year
    ['2025-03-31T10:00:00', 6, '2025-09-30'],
    ['2025-08-31T10:00:00', 6, '2026-02-28'], // across a year end to February
    ['2027-08-31T10:00:00', 6, '2028-02-29'], // … into a leap February
    ['2024-02-29T10:00:00', 12, '2025-02-28'], // 29 February + a year
    ['2024-02-29T10:00:00', 24, '2026-02-28'],
    ['2023-02-28T10:00:00', 12, '2024-02-28'], // not moved to the 29th
    ['2025-12-31T23:30:00', 1, '2026-01-31'], // late evening on New Year's Eve
    ['2025-11-30T09:00:00', 3, '2026-02-28'],
    ['2025-05-31T09:00:00', 36, '2028-05-31'],
  ]
  it.each(cases)('signed off %s + %i months → due %s', (signedOff, months, due) => {
    const result = dueDateAfter(bj(signedOff), months, SHANGHAI)
    expect(dayKey(result, SHANGHAI)).toBe(due)
    // Due at the very end of that day, Beijing time.
    expect(result.toISOString()).toBe(new Date(`${due}T23:59:59.999+08:00`).toISOString())
  })

  it('counts the day in the institution’s zone, not the server’s (UTC)', () => {
    // 17:30 UTC on 31 January is already 1 February in Shanghai.
    const signedOff = new Date('2025-01-31T17:30:00Z')
    expect(dayKey(dueDateAfter(signedOff, 1, SHANGHAI), SHANGHAI)).toBe('2025-03-01')
    expect(dayKey(dueDateAfter(signedOff, 1, 'UTC'), 'UTC')).toBe('2025-02-28')
  })

  it('keeps local calendar days in a zone with daylight saving', () => {
    const signedOff = new Date('2025-03-01T12:00:00Z') // winter time in Berlin
    const due = dueDateAfter(signedOff, 6, 'Europe/Berlin') // summer time
    expect(dayKey(due, 'Europe/Berlin')).toBe('2025-09-01')
    expect(due.toISOString()).toBe('2025-09-01T21:59:59.999Z')
  })
})

describe('cadenceFor', () => {
  const settings = { ...DEFAULT_SETTINGS, tierCadenceMonths: { 1: 6, 2: 9, 3: null, 4: null } }
  const cases: [string, { cadenceMonths?: number | null; tier: number }, number, string][] = [
    ['the vendor’s own cadence', { cadenceMonths: 3, tier: 1 }, 3, 'vendor'],
    ['the tier’s cadence', { tier: 1 }, 6, 'tier'],
    ['another tier', { cadenceMonths: null, tier: 2 }, 9, 'tier'],
    ['the default when the tier has none', { tier: 3 }, 12, 'default'],
  ]
  it.each(cases)('%s', (_label, vendor, months, source) => {
    expect(cadenceFor(vendor, settings)).toEqual({ months, source })
  })
})

describe('calendar days in the zone', () => {
  it('counts days, not 24-hour periods', () => {
    expect(calendarDaysUntil(bj('2025-06-30T23:59:59'), bj('2025-06-29T23:00:00'), SHANGHAI)).toBe(1)
    expect(calendarDaysUntil(bj('2025-06-30T00:10:00'), bj('2025-06-29T23:50:00'), SHANGHAI)).toBe(1)
    expect(calendarDaysUntil(bj('2025-06-30T08:00:00'), bj('2025-06-30T01:00:00'), SHANGHAI)).toBe(0)
    expect(calendarDaysUntil(bj('2024-03-01T08:00:00'), bj('2024-02-28T08:00:00'), SHANGHAI)).toBe(2)
  })

  it('issues 30 days ahead at the start of that day', () => {
    const due = bj('2025-03-01T23:59:59.999')
    expect(issueMomentFor(due, 30, SHANGHAI).toISOString()).toBe(bj('2025-01-30T00:00:00').toISOString())
  })
})

describe('reminderDue', () => {
  const due = bj('2025-06-30T23:59:59.999')
  const createdLongAgo = bj('2025-05-31T09:00:00')
  const offsets = [14, 7, 1]
  // [now (Beijing), created, expected offset]
  const cases: [string, Date, number | null][] = [
    ['2025-06-15T23:59:00', createdLongAgo, null], // 15 days before
    ['2025-06-16T00:00:00', createdLongAgo, 14], // the 14-day reminder's day begins
    ['2025-06-16T09:00:00', createdLongAgo, 14],
    ['2025-06-22T09:00:00', createdLongAgo, 14], // still the 14-day round (already sent once)
    ['2025-06-23T09:00:00', createdLongAgo, 7],
    ['2025-06-29T09:00:00', createdLongAgo, 1],
    ['2025-06-30T09:00:00', createdLongAgo, 1], // due today: the last reminder's round still
    ['2025-07-01T09:00:00', createdLongAgo, null], // overdue: escalation's business
    ['2025-06-26T09:00:00', bj('2025-06-25T15:00:00'), null], // invited inside the 7-day window
    ['2025-06-29T09:00:00', bj('2025-06-25T15:00:00'), 1], // … gets the 1-day reminder
    ['2025-06-16T09:00:00', bj('2025-06-16T08:00:00'), null], // invited on the 14-day reminder's day
  ]
  it.each(cases)('at %s → %s', (now, createdAt, expected) => {
    expect(reminderDue({ dueAt: due, createdAt, offsets, now: bj(now), timeZone: SHANGHAI })).toBe(expected)
  })
})

describe('escalationRound', () => {
  const due = bj('2025-06-30T23:59:59.999')
  const cases: [string, number, number | null][] = [
    ['2025-06-30T20:00:00', 7, null],
    ['2025-07-01T00:00:01', 7, 0],
    ['2025-07-07T09:00:00', 7, 0],
    ['2025-07-08T09:00:00', 7, 1],
    ['2025-07-15T09:00:00', 7, 2],
    ['2025-12-31T09:00:00', 7, 26],
    ['2025-07-03T09:00:00', 1, 2],
  ]
  it.each(cases)('at %s every %i days → round %s', (now, everyDays, expected) => {
    expect(escalationRound({ dueAt: due, now: bj(now), everyDays, timeZone: SHANGHAI })).toBe(expected)
  })
})
