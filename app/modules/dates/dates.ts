// Calendar days in the institution's time zone, and how instants are shown. Pure and client-safe.
//
// A calendar day ("2025-06-30") is stored as the instants it begins and ends in the zone. The end of
// a day is its LAST REPRESENTABLE INSTANT, 23:59:59.999, so `instant <= endOfDayIn(day)` holds for
// every moment of that day (docs/decisions/045-dates-and-day-boundaries.md). Values written before
// this rule end at 23:59:59.000; they still fall on the same day and inside every `<=` range built
// here, so no stored value needs rewriting.
import { TZDate, tz } from '@date-fns/tz'
import { format } from 'date-fns'
import type { Locale } from '~/i18n/locales'
import { dateTimeFormat } from '~/modules/formatting/date-format'

const parts = (day: string) => day.split('-').map(Number) as [number, number, number]

/** The calendar day (YYYY-MM-DD) an instant falls on in the zone. */
export function dayIn(instant: Date | string, timeZone: string): string {
  return dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant))
}

/** The first instant of a calendar day (YYYY-MM-DD) in the zone. */
export function startOfDayIn(day: string, timeZone: string): Date {
  const [year, month, date] = parts(day)
  return new Date(new TZDate(year, month - 1, date, 0, 0, 0, 0, timeZone).getTime())
}

/** The last instant (23:59:59.999) of a calendar day (YYYY-MM-DD) in the zone. */
export function endOfDayIn(day: string, timeZone: string): Date {
  const [year, month, date] = parts(day)
  return new Date(new TZDate(year, month - 1, date, 23, 59, 59, 999, timeZone).getTime())
}

/** Noon of a calendar day in the zone: an instant that shows as that day in any nearby zone. */
export function noonIn(day: string, timeZone: string): Date {
  const [year, month, date] = parts(day)
  return new Date(new TZDate(year, month - 1, date, 12, 0, 0, 0, timeZone).getTime())
}

/** The calendar day `days` after (or before, when negative) `day`; zone-free calendar arithmetic. */
export function addDaysTo(day: string, days: number): string {
  const [year, month, date] = parts(day)
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10)
}

/** An instant as an ISO string for a loader's JSON, or null when there is none. */
export function isoOrNull(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
  if (typeof value === 'string' || typeof value === 'number') {
    const date = new Date(value)
    return Number.isNaN(date.getTime()) ? null : date.toISOString()
  }
  return null
}

/** "30 June 2025" / "2025年6月30日": the calendar day of an instant in the zone. */
export function formatDay(instant: Date | string, locale: Locale, timeZone: string): string {
  return dateTimeFormat(locale, { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(instant))
}

/** A calendar day given as YYYY-MM-DD, shown as a day (no zone shift can move it). */
export function formatCalendarDay(day: string, locale: Locale): string {
  return formatDay(noonIn(day, 'UTC'), locale, 'UTC')
}

/** "30 Jun 2025, 14:05" / "2025年6月30日 14:05": an instant in the zone. */
export function formatDateTime(instant: Date | string, locale: Locale, timeZone: string): string {
  return dateTimeFormat(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(instant))
}

/**
 * "2025-06-30 14:05": an instant in the zone in ISO order, the same in both languages and on every
 * ICU version (lists, exports and reports, where server and browser must render alike).
 */
export function dayTimeIn(instant: Date | string, timeZone: string): string {
  return format(new Date(instant), 'yyyy-MM-dd HH:mm', { in: tz(timeZone) })
}
