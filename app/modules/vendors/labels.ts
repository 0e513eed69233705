// Turning stored vendor values into words, for pages, CSV export and mail alike. Pure.
import type { TFunction } from 'i18next'
import type { Locale } from '~/i18n/locales'
import { REGIONS } from './regions'
import type { TierReason } from './tiering'
import { criticalityLabel } from '~/i18n/glossary'
import { dayIn, dayTimeIn } from '~/modules/dates/dates'

/** "SG" → "Singapore" / "新加坡"; an unknown code is shown as it is. */
export function regionName(code: string, locale: Locale): string {
  const names = REGIONS[code]
  return names ? names[locale === 'en' ? 0 : 1] : code
}

/**
 * Dates as ISO days in the institution's time zone: read the same in both languages, and render
 * identically on the server and in the browser (Intl date styles differ between ICU versions).
 */
export function formatDay(iso: string | null | undefined, timeZone: string): string | null {
  return iso ? dayIn(iso, timeZone) : null
}

export function formatDateTime(iso: string | null | undefined, timeZone: string): string | null {
  return iso ? dayTimeIn(iso, timeZone) : null
}

const countFormats = new Map<Locale, Intl.NumberFormat>()
export function formatCount(value: number, locale: Locale): string {
  // Building a NumberFormat is costly; a list page formats dozens of numbers.
  let countFormat = countFormats.get(locale)
  if (!countFormat) {
    countFormat = new Intl.NumberFormat(locale)
    countFormats.set(locale, countFormat)
  }
  return countFormat.format(value)
}

/** One reason of the tier rule as a sentence in the reader's language (t bound to the vendors namespace). */
export function tierReasonText(t: TFunction, reason: { code: string; params?: Record<string, unknown> }, locale: Locale): string {
  const params = (reason.params ?? {}) as Record<string, string | number>
  switch (reason.code as TierReason['code']) {
    case 'base':
      return t('tierReasons.base', { ...params, recordCount: formatCount(Number(params.recordCount ?? 0), locale), band: t(`band.${params.band}`) })
    case 'cross_border': {
      const destinations = String(params.destinations ?? '')
        .split(',')
        .map((code) => code.trim())
        .filter(Boolean)
        .map((code) => regionName(code, locale))
        .join(locale === 'en' ? ', ' : '、')
      return t('tierReasons.cross_border', { destinations: destinations || '—' })
    }
    case 'criticality_floor':
      return t(params.from === params.to ? 'tierReasons.criticality_floor' : 'tierReasons.criticality_floor_applied', {
        ...params,
        criticality: criticalityLabel(t, String(params.criticality)),
      })
    default:
      return t(`tierReasons.${reason.code}`, params) as string
  }
}
