// Turning stored vendor values into words, for pages, CSV export and mail alike. Pure.
import type { TFunction } from 'i18next'
import type { Locale } from '~/i18n/locales'
import type { TierReason } from './tiering'

const regionNamesByLocale = new Map<string, Intl.DisplayNames>()

/** "SG" → "Singapore" / "新加坡"; an unknown code is shown as it is. */
export function regionName(code: string, locale: Locale): string {
  let names = regionNamesByLocale.get(locale)
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region' })
    regionNamesByLocale.set(locale, names)
  }
  try {
    return names.of(code) ?? code
  } catch {
    return code
  }
}

export function formatCount(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(value)
}

/** One reason of the tier rule as a sentence in the reader's language (t bound to the vendors namespace). */
export function tierReasonText(t: TFunction, reason: { code: string; params?: Record<string, unknown> }, locale: Locale): string {
  const params = (reason.params ?? {}) as Record<string, any>
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
        criticality: t(`criticality.${params.criticality}`),
      })
    default:
      return t(`tierReasons.${reason.code}`, params) as string
  }
}
