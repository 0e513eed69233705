// The contract's clock: how many hours the vendor had to tell the institution, counted from when
// it detected the incident, and whether it did. Pure. Hours are elapsed hours (24 h is 24 h even
// across a daylight-saving change); times people type are wall-clock times in the institution's
// time zone (INSTITUTION_TIMEZONE), so "detected 10:00" means 10:00 there.
import { TZDate } from '@date-fns/tz'

/**
 * Breach-notification clauses of the clause library and their hours. A parameter in code rather
 * than parsed from the clause text (docs/decisions/018-incident-notification-clock.md): the text is
 * prose in two languages; a clause with another period gets its own id and its own row here.
 */
export const NOTIFICATION_CLAUSE_HOURS: Readonly<Record<string, number>> = {
  'INC-NOTIFY-01': 24,
}
/** When the vendor's current contract has no breach-notification clause. */
export const DEFAULT_NOTIFICATION_HOURS = 24
/** The library clause a missed default deadline is recorded against. */
export const DEFAULT_NOTIFICATION_CLAUSE = 'INC-NOTIFY-01'

export interface NotificationRule {
  hours: number
  /** The contract's clause that sets the hours; null when the default applies. */
  clauseId: string | null
  source: 'contract' | 'default'
}

/** The shortest breach-notification period among the contract's clauses, or the default. */
export function notificationRule(contractClauseIds: readonly string[] | null | undefined): NotificationRule {
  let rule: NotificationRule | null = null
  for (const clauseId of contractClauseIds ?? []) {
    const hours = NOTIFICATION_CLAUSE_HOURS[clauseId]
    if (hours !== undefined && (!rule || hours < rule.hours)) rule = { hours, clauseId, source: 'contract' }
  }
  return rule ?? { hours: DEFAULT_NOTIFICATION_HOURS, clauseId: null, source: 'default' }
}

export function notificationDeadline(detectedAt: Date, hours: number): Date {
  return new Date(detectedAt.getTime() + hours * 3_600_000)
}

export interface NotificationCheck {
  deadline: Date
  state: 'met' | 'missed'
  /** Minutes after the deadline the institution was told (0 when met). */
  lateMinutes: number
}

/** Met when the institution was told at or before the deadline; the deadline instant itself is still in time. */
export function checkNotification(input: { detectedAt: Date; notifiedAt: Date; hours: number }): NotificationCheck {
  const deadline = notificationDeadline(input.detectedAt, input.hours)
  const late = input.notifiedAt.getTime() - deadline.getTime()
  return late <= 0 ? { deadline, state: 'met', lateMinutes: 0 } : { deadline, state: 'missed', lateMinutes: Math.ceil(late / 60_000) }
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

/** "2026-03-01T10:00" (a datetime-local field) as the instant it names in the time zone; null if malformed. */
export function parseLocalDateTime(value: string, timeZone: string): Date | null {
  const match = LOCAL_DATE_TIME.exec(value.trim())
  if (!match) return null
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number]
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null
  const instant = new TZDate(year, month - 1, day, hour, minute, second, timeZone)
  // 31 February and friends roll over: refuse them.
  if (instant.getDate() !== day || instant.getMonth() !== month - 1) return null
  return new Date(instant.getTime())
}

/** The instant as a datetime-local value in the time zone ("2026-03-01T10:00"). */
export function toLocalDateTime(instant: Date, timeZone: string): string {
  const zoned = new TZDate(instant.getTime(), timeZone)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${zoned.getFullYear()}-${pad(zoned.getMonth() + 1)}-${pad(zoned.getDate())}T${pad(zoned.getHours())}:${pad(zoned.getMinutes())}`
}
