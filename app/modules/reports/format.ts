// Dates and numbers as printed in reports: in the institution's time zone, the same in both
// languages (ISO order reads unambiguously to Chinese and English readers alike). Pure.
import { tz } from '@date-fns/tz'
import { format } from 'date-fns'
import type { Locale } from '~/i18n/locales'

export function formatDate(iso: string | undefined | null, timeZone: string): string {
  if (!iso) return '—'
  return format(new Date(iso), 'yyyy-MM-dd', { in: tz(timeZone) })
}

export function formatDateTime(iso: string | Date | undefined | null, timeZone: string): string {
  if (!iso) return '—'
  return format(new Date(iso), 'yyyy-MM-dd HH:mm', { in: tz(timeZone) })
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'zh-CN').format(value)
}

/** The control score as printed: whole numbers as they are, others with their one decimal. */
export function formatScore(score: number): string {
  return Number.isInteger(score) ? String(score) : score.toFixed(1)
}
