// Reassessment dates and the day rules of the scheduler. Pure: every function takes the moment it
// reasons about (`now`) and the institution's time zone, so tests can drive the calendar.
//
// Dates are reckoned in calendar days of the institution's zone (default Asia/Shanghai): a due date
// is the END of that day there, so "due on 30 June" stays due until 23:59:59.999 Beijing time, and a
// reminder "7 days before" goes out on the day that is 7 calendar days before, whatever the hour.
import { TZDate } from '@date-fns/tz'
import { addDays, addMonths, differenceInCalendarDays, endOfDay, format, startOfDay, subDays } from 'date-fns'
import type { Tier } from '~/modules/vendors/vocabulary'
import type { ScheduleSettings } from './settings'

const inZone = (date: Date, timeZone: string) => new TZDate(date.getTime(), timeZone)
const plain = (date: Date) => new Date(date.getTime())

export type CadenceSource = 'vendor' | 'tier' | 'default'

/** The vendor's own cadence wins, then its tier's, then the institution's default. */
export function cadenceFor(
  vendor: { cadenceMonths?: number | null; tier: number },
  settings: Pick<ScheduleSettings, 'defaultCadenceMonths' | 'tierCadenceMonths'>,
): { months: number; source: CadenceSource } {
  if (vendor.cadenceMonths) return { months: vendor.cadenceMonths, source: 'vendor' }
  const tierMonths = settings.tierCadenceMonths[vendor.tier as Tier]
  if (tierMonths) return { months: tierMonths, source: 'tier' }
  return { months: settings.defaultCadenceMonths, source: 'default' }
}

/**
 * The next due date: the calendar day `months` after `from` in the zone, at the end of that day.
 * A day that does not exist in the target month falls back to the month's last day
 * (31 January + 1 month = 28 or 29 February; 29 February + 12 months = 28 February).
 */
export function dueDateAfter(from: Date, months: number, timeZone: string): Date {
  return plain(endOfDay(addMonths(inZone(from, timeZone), months)))
}

/** The end (23:59:59.999, as ~/modules/dates/dates) of the calendar day `days` after `now`'s day in the zone. */
export function endOfDayAfter(now: Date, days: number, timeZone: string): Date {
  return plain(endOfDay(addDays(inZone(now, timeZone), days)))
}

export function startOfDayIn(now: Date, timeZone: string): Date {
  return plain(startOfDay(inZone(now, timeZone)))
}

/** "2025-06-30": the calendar day of `date` in the zone (used in keys and links). */
export function dayKey(date: Date, timeZone: string): string {
  return format(inZone(date, timeZone), 'yyyy-MM-dd')
}

/** "2025-06": the calendar month of `date` in the zone. */
export function monthKey(date: Date, timeZone: string): string {
  return format(inZone(date, timeZone), 'yyyy-MM')
}

/** Calendar days from `now`'s day to `date`'s day in the zone: 0 today, 1 tomorrow, -1 yesterday. */
export function calendarDaysUntil(date: Date, now: Date, timeZone: string): number {
  return differenceInCalendarDays(inZone(date, timeZone), inZone(now, timeZone))
}

/** The moment the reassessment for `dueAt` is issued: the start of the day `aheadDays` before it. */
export function issueMomentFor(dueAt: Date, aheadDays: number, timeZone: string): Date {
  return plain(startOfDay(subDays(inZone(dueAt, timeZone), aheadDays)))
}

/** The moment the reminder `offset` days before `dueAt` becomes due: the start of that day. */
export function reminderMomentFor(dueAt: Date, offset: number, timeZone: string): Date {
  return plain(startOfDay(subDays(inZone(dueAt, timeZone), offset)))
}

/**
 * Which reminder (an offset in days) is due at `now`, if any: the latest one whose day has come,
 * provided the assessment already existed when that day began (someone invited five days before
 * the due date gets the 1-day reminder, not a "14 days left" one). A sweep that missed a day
 * catches up with the latest reminder only, never with a burst of old ones.
 */
export function reminderDue(input: { dueAt: Date; createdAt: Date; offsets: readonly number[]; now: Date; timeZone: string }): number | null {
  const { dueAt, createdAt, offsets, now, timeZone } = input
  if (now.getTime() > dueAt.getTime()) return null
  const passed = [...offsets]
    .sort((a, b) => a - b)
    .find((offset) => reminderMomentFor(dueAt, offset, timeZone).getTime() <= now.getTime())
  if (passed === undefined) return null
  return reminderMomentFor(dueAt, passed, timeZone).getTime() > createdAt.getTime() ? passed : null
}

/**
 * The escalation round due at `now` for an assessment due at `dueAt`: round 0 on the first day
 * after the due date, round 1 `everyDays` later, and so on; null while it is not overdue.
 */
export function escalationRound(input: { dueAt: Date; now: Date; everyDays: number; timeZone: string }): number | null {
  const { dueAt, now, everyDays, timeZone } = input
  if (now.getTime() <= dueAt.getTime()) return null
  const daysOverdue = calendarDaysUntil(now, dueAt, timeZone)
  if (daysOverdue < 1) return null
  return Math.floor((daysOverdue - 1) / everyDays)
}

/**
 * The date the vendor is asked to answer by when its reassessment is issued: the scheduled due
 * date, unless that has already passed (an overdue vendor, or an instance that was down): then
 * the normal response window from today, so an overdue vendor is issued at once and never
 * skipped for a due date in the past.
 */
export function responseDueAt(scheduledDueAt: Date, now: Date, responseDays: number, timeZone: string): Date {
  return scheduledDueAt.getTime() > now.getTime() ? scheduledDueAt : endOfDayAfter(now, responseDays, timeZone)
}
