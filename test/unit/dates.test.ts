import { describe, expect, it } from 'vitest'
import { addDaysTo, dayIn, dayTimeIn, endOfDayIn, formatCalendarDay, formatDateTime, formatDay, isoOrNull, noonIn, startOfDayIn } from '~/modules/dates/dates'

const SHANGHAI = 'Asia/Shanghai'
const BERLIN = 'Europe/Berlin'

describe('day boundaries in the institution zone', () => {
  it.each([
    // zone, day, first instant, last instant
    [SHANGHAI, '2025-01-01', '2024-12-31T16:00:00.000Z', '2025-01-01T15:59:59.999Z'],
    [SHANGHAI, '2024-02-29', '2024-02-28T16:00:00.000Z', '2024-02-29T15:59:59.999Z'],
    [BERLIN, '2025-01-15', '2025-01-14T23:00:00.000Z', '2025-01-15T22:59:59.999Z'],
    [BERLIN, '2025-03-30', '2025-03-29T23:00:00.000Z', '2025-03-30T21:59:59.999Z'], // summer time starts: 23 hours
    [BERLIN, '2025-10-26', '2025-10-25T22:00:00.000Z', '2025-10-26T22:59:59.999Z'], // summer time ends: 25 hours
  ])('%s %s runs from %s to %s', (zone, day, first, last) => {
    expect(startOfDayIn(day, zone).toISOString()).toBe(first)
    expect(endOfDayIn(day, zone).toISOString()).toBe(last)
    expect(dayIn(startOfDayIn(day, zone), zone)).toBe(day)
    expect(dayIn(endOfDayIn(day, zone), zone)).toBe(day)
    expect(dayIn(new Date(startOfDayIn(day, zone).getTime() - 1), zone)).not.toBe(day)
    expect(dayIn(new Date(endOfDayIn(day, zone).getTime() + 1), zone)).not.toBe(day)
  })

  it('an end of day includes the whole last second, and still covers values stored at .000', () => {
    const end = endOfDayIn('2025-06-30', SHANGHAI)
    const lastMillisecond = new Date('2025-06-30T15:59:59.999Z')
    const storedBeforeTheRule = new Date('2025-06-30T15:59:59.000Z')
    expect(lastMillisecond.getTime() <= end.getTime()).toBe(true)
    expect(storedBeforeTheRule.getTime() <= end.getTime()).toBe(true)
    expect(dayIn(storedBeforeTheRule, SHANGHAI)).toBe('2025-06-30')
    expect(new Date(end.getTime() + 1).getTime()).toBe(startOfDayIn('2025-07-01', SHANGHAI).getTime())
  })

  it('noon of a day is the same day in the zone', () => {
    expect(noonIn('2025-03-30', BERLIN).toISOString()).toBe('2025-03-30T10:00:00.000Z')
    expect(noonIn('2025-06-30', 'UTC').toISOString()).toBe('2025-06-30T12:00:00.000Z')
  })
})

describe('calendar arithmetic', () => {
  it.each([
    ['2025-01-31', 1, '2025-02-01'],
    ['2025-03-01', -1, '2025-02-28'],
    ['2024-03-01', -1, '2024-02-29'],
    ['2025-12-31', 1, '2026-01-01'],
    ['2025-03-30', 1, '2025-03-31'], // a summer-time day is still one calendar day
  ])('%s + %i days = %s', (day, days, expected) => {
    expect(addDaysTo(day, days)).toBe(expected)
  })
})

describe('isoOrNull', () => {
  it.each([
    [new Date('2025-06-30T01:02:03.004Z'), '2025-06-30T01:02:03.004Z'],
    ['2025-06-30T01:02:03.004Z', '2025-06-30T01:02:03.004Z'],
    [null, null],
    [undefined, null],
    ['', null],
    ['not a date', null],
    [new Date(Number.NaN), null],
    [{}, null],
  ])('%o → %o', (value, expected) => {
    expect(isoOrNull(value)).toBe(expected)
  })
})

describe('formatting in both languages', () => {
  const instant = new Date('2025-06-30T16:30:00Z') // 1 July 00:30 in Shanghai, 30 June 18:30 in Berlin
  it.each([
    ['en', SHANGHAI, 'July 1, 2025'],
    ['zh-CN', SHANGHAI, '2025年7月1日'],
    ['en', BERLIN, 'June 30, 2025'],
    ['zh-CN', BERLIN, '2025年6月30日'],
  ] as const)('formatDay %s %s', (locale, zone, expected) => {
    expect(formatDay(instant, locale, zone)).toBe(expected)
  })

  it.each([
    ['en', SHANGHAI, /Jul 1, 2025.*12:30\s*AM/],
    ['zh-CN', SHANGHAI, /2025年7月1日.*00:30/],
    ['en', BERLIN, /Jun 30, 2025.*06:30\s*PM/],
    ['zh-CN', BERLIN, /2025年6月30日.*18:30/],
  ] as const)('formatDateTime %s %s', (locale, zone, expected) => {
    expect(formatDateTime(instant, locale, zone)).toMatch(expected)
  })

  it('a calendar day given as YYYY-MM-DD shows as that day in both languages', () => {
    expect(formatCalendarDay('2026-03-31', 'en')).toBe('March 31, 2026')
    expect(formatCalendarDay('2026-03-31', 'zh-CN')).toBe('2026年3月31日')
  })
})

describe('ISO day and time in the zone', () => {
  it.each([
    ['2025-06-30T16:30:00Z', SHANGHAI, '2025-07-01 00:30'],
    ['2025-06-30T16:30:00Z', BERLIN, '2025-06-30 18:30'],
    ['2025-03-30T01:30:00Z', BERLIN, '2025-03-30 03:30'], // just after summer time starts
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(dayTimeIn(instant, zone)).toBe(expected)
    expect(dayIn(instant, zone)).toBe(expected.slice(0, 10))
  })
})
