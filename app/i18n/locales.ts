export const LOCALES = ['zh-CN', 'en'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'zh-CN'

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/** Picks a text in the user's language from a bilingual value, falling back to the other one. */
export function localized(text: { 'zh-CN'?: string; en?: string } | undefined | null, locale: Locale): string {
  if (!text) return ''
  return (locale === 'en' ? text.en || text['zh-CN'] : text['zh-CN'] || text.en) ?? ''
}
