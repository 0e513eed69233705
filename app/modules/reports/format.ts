// Dates and numbers as printed in reports: in the institution's time zone, the same in both
// languages (ISO order reads unambiguously to Chinese and English readers alike). Pure.
import type { Locale } from '~/i18n/locales'
import { dayIn, dayTimeIn } from '~/modules/dates/dates'

// Time-zone arithmetic is slow and a report prints the same few dates many times (one per table
// row, one per page footer): remember what each instant looks like.
const formatted = new Map<string, string>()

function inZone(instant: string | Date, timeZone: string, shapeName: string, shape: typeof dayIn): string {
  const key = `${shapeName}|${timeZone}|${instant instanceof Date ? instant.toISOString() : instant}`
  let text = formatted.get(key)
  if (text === undefined) {
    if (formatted.size > 10_000) formatted.clear()
    text = shape(instant, timeZone)
    formatted.set(key, text)
  }
  return text
}

export function formatDate(iso: string | undefined | null, timeZone: string): string {
  return iso ? inZone(iso, timeZone, 'day', dayIn) : '—'
}

export function formatDateTime(iso: string | Date | undefined | null, timeZone: string): string {
  return iso ? inZone(iso, timeZone, 'dayTime', dayTimeIn) : '—'
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'zh-CN').format(value)
}

/** The control score as printed: whole numbers as they are, others with their one decimal. */
export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1)
}
