// Field types every schema shares, so a rule about what a date or a name may be holds everywhere
// at once. Pure: the browser and the actions use the same ones.
import { isPlainText } from './plain-text'
import { z } from './validation'

// ---- Calendar days ---------------------------------------------------------------------------

/** The oldest and latest day any form accepts: far enough for old contracts and long renewals. */
export const DAY_RANGE = { min: '1990-01-01', max: '2200-12-31' } as const

/** A real calendar day written YYYY-MM-DD: "2027-02-30" and "9999-99-99" are not. */
export function isCalendarDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** A calendar day (YYYY-MM-DD) within DAY_RANGE; the server turns it into an instant in the institution's zone. */
export const calendarDay = () =>
  z
    .string()
    .trim()
    .refine(isCalendarDay, 'errors:date')
    .refine((value) => !isCalendarDay(value) || value >= DAY_RANGE.min, 'errors:dateTooEarly')
    .refine((value) => !isCalendarDay(value) || value <= DAY_RANGE.max, 'errors:dateTooLate')

/** An optional calendar day: an empty box is no day. */
export const optionalCalendarDay = () =>
  z.preprocess((value) => (value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value), calendarDay().optional())

// ---- Text ------------------------------------------------------------------------------------

/** A required line of text (names, titles, references). */
export const requiredText = (max: number, { min = 1, multiline = false }: { min?: number; multiline?: boolean } = {}) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    .refine((value) => isPlainText(value, { multiline }), 'errors:text')
