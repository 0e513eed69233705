// Offboarding's date rules: which reminder or escalation is due on a given day, how long a
// request link works, when an offboarded vendor's records are due for deletion. Pure.
import { addDays, addYears, differenceInCalendarDays, parseISO } from 'date-fns'
import { LINK_DAYS_AFTER_END } from './vocabulary'

/** Reminders to the vendor this many days before the end date. */
export const REMINDER_DAYS_BEFORE = [7, 1] as const
/** After the end date, the vendor is reminded and staff are told every this many days. */
export const ESCALATION_EVERY_DAYS = 7

export type OffboardingNotice = { kind: 'reminder'; round: string } | { kind: 'overdue'; round: string; daysOverdue: number }

const days = (from: string, to: string) => differenceInCalendarDays(parseISO(to), parseISO(from))

/**
 * The notice due on `today` (YYYY-MM-DD days in the institution's zone) for a request started on
 * `startDay` that ends on `endDay`, or null. Each notice has a round name that, in a mail's dedupe
 * key, makes it go out once however often the job runs; only the latest passed round is sent, so
 * a job that was down for a week sends one notice, not several.
 */
export function offboardingNoticeDue(input: { startDay: string; endDay: string; today: string }): OffboardingNotice | null {
  const left = days(input.today, input.endDay)
  if (left < 0) {
    const overdue = -left
    const round = Math.floor((overdue - 1) / ESCALATION_EVERY_DAYS)
    return { kind: 'overdue', round: `overdue-${round}`, daysOverdue: overdue }
  }
  // The closest reminder day already reached, and only if it falls after the request was sent.
  const reached = [...REMINDER_DAYS_BEFORE].sort((a, b) => a - b).find((before) => left <= before)
  if (reached === undefined) return null
  const reminderDay = addDays(parseISO(input.endDay), -reached)
  if (differenceInCalendarDays(reminderDay, parseISO(input.startDay)) <= 0) return null
  return { kind: 'reminder', round: `before-${reached}d` }
}

/** A request link works until this many days after the end date, or after today if that is later. */
export function linkExpiryFor(endOfEndDay: Date, now: Date): Date {
  const base = endOfEndDay.getTime() > now.getTime() ? endOfEndDay : now
  return addDays(base, LINK_DAYS_AFTER_END)
}

export const DEFAULT_RETENTION_YEARS = 5
export const MAX_RETENTION_YEARS = 30

/** When an offboarded vendor's records are due for deletion. */
export function retentionEndsAt(acceptedAt: Date, years: number): Date {
  return addYears(acceptedAt, years)
}

export function isRetentionDue(acceptedAt: Date | null | undefined, years: number, now: Date): boolean {
  return !!acceptedAt && retentionEndsAt(acceptedAt, years).getTime() <= now.getTime()
}
