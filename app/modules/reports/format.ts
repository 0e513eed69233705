// Dates and numbers as printed in reports: in the institution's time zone, the same in both
// languages (ISO order reads unambiguously to Chinese and English readers alike). Pure.
import { tz } from '@date-fns/tz'
import { format } from 'date-fns'
import type { Locale } from '~/i18n/locales'

// Time-zone arithmetic is slow and a report prints the same few dates many times (one per table
// row, one per page footer): remember what each instant looks like.
const formatted = new Map<string, string>()

function inZone(instant: string | Date, timeZone: string, pattern: string): string {
  const key = `${pattern}|${timeZone}|${instant instanceof Date ? instant.toISOString() : instant}`
  let text = formatted.get(key)
  if (text === undefined) {
    if (formatted.size > 10_000) formatted.clear()
    text = format(new Date(instant), pattern, { in: tz(timeZone) })
    formatted.set(key, text)
  }
  return text
}

export function formatDate(iso: string | undefined | null, timeZone: string): string {
  return iso ? inZone(iso, timeZone, 'yyyy-MM-dd') : '—'
}

export function formatDateTime(iso: string | Date | undefined | null, timeZone: string): string {
  return iso ? inZone(iso, timeZone, 'yyyy-MM-dd HH:mm') : '—'
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'zh-CN').format(value)
}

/** The control score as printed: whole numbers as they are, others with their one decimal. */
export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1)
}
