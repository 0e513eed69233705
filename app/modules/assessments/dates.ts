// Due dates are whole days in the institution's time zone. Pure.
import { TZDate } from '@date-fns/tz'
import type { Locale } from '~/i18n/locales'

/** The last second of a calendar day (YYYY-MM-DD) in the given time zone. */
export function endOfDayIn(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number)
  return new Date(new TZDate(year, month - 1, date, 23, 59, 59, timeZone).getTime())
}

/** The calendar day (YYYY-MM-DD) of an instant in the given time zone. */
export function dayIn(instant: Date | string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(instant))
  return parts
}

export function formatDay(instant: Date | string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(instant))
}

export function formatDateTime(instant: Date | string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(instant))
}
