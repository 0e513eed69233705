// Showing library content in one language or both, and the switch between them.
import { Link, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { isLocale, localized, type Locale } from '~/i18n/locales'
import type { LocalizedText } from './content-schema'

export type ShowLanguage = Locale | 'both'

/** The ?show= parameter, or the reader's own language. */
export function showLanguageOf(url: URL, locale: Locale): ShowLanguage {
  const show = url.searchParams.get('show')
  return show === 'both' || isLocale(show) ? show : locale
}

export function Bilingual({ text, show, className = '' }: { text: LocalizedText | undefined; show: ShowLanguage; className?: string }) {
  if (!text) return null
  if (show !== 'both') {
    return (
      <span lang={show} className={className}>
        {localized(text, show)}
      </span>
    )
  }
  return (
    <span className={`flex flex-col gap-0.5 ${className}`}>
      <span lang="zh-CN">{text['zh-CN']}</span>
      <span lang="en" className="text-[0.92em] text-slate-500">
        {text.en}
      </span>
    </span>
  )
}

/** 中文 | English | Both: keeps the rest of the address (and the anchor) as it is. */
export function ShowLanguageSwitch({ show }: { show: ShowLanguage }) {
  const { t } = useTranslation('library')
  const location = useLocation()
  const choices: { value: ShowLanguage; label: string; lang?: string }[] = [
    { value: 'zh-CN', label: '中文', lang: 'zh-CN' },
    { value: 'en', label: 'English', lang: 'en' },
    { value: 'both', label: t('show.both') },
  ]
  return (
    <div role="group" aria-label={t('show.label')} className="inline-flex rounded-md shadow-sm ring-1 ring-inset ring-slate-300" data-testid="show-language">
      {choices.map((choice, index) => {
        const params = new URLSearchParams(location.search)
        params.set('show', choice.value)
        const active = choice.value === show
        return (
          <Link
            key={choice.value}
            to={`${location.pathname}?${params}`}
            lang={choice.lang}
            aria-current={active ? 'true' : undefined}
            preventScrollReset
            className={`px-3 py-1.5 text-sm font-medium ${index === 0 ? 'rounded-l-md' : ''} ${index === choices.length - 1 ? 'rounded-r-md' : 'border-r border-slate-300'} ${
              active ? 'bg-sky-700 text-white' : 'bg-white text-slate-700 hover:bg-slate-50'
            }`}
          >
            {choice.label}
          </Link>
        )
      })}
    </div>
  )
}
