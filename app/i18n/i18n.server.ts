import { createCookie } from '@remix-run/node'
import { createInstance, type i18n, type TFunction } from 'i18next'
import { RemixI18Next } from 'remix-i18next/server'
import { i18nOptions } from './i18n'
import { DEFAULT_LOCALE, isLocale, LOCALES, type Locale } from './locales'
import type { Namespace } from './resources'
import { mixedScriptSpacing } from './spacing'

// The chosen language is remembered in this cookie (and on the staff user's record).
export const localeCookie = createCookie('clausewise_lng', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  secure: /^https:\/\//i.test(process.env.APP_URL ?? ''),
  maxAge: 365 * 24 * 3600,
})

export const i18nServer = new RemixI18Next({
  detection: {
    supportedLanguages: [...LOCALES],
    fallbackLanguage: DEFAULT_LOCALE,
    cookie: localeCookie,
    order: ['searchParams', 'cookie', 'header'],
  },
  i18next: i18nOptions,
  plugins: [mixedScriptSpacing],
})

export async function getLocale(request: Request): Promise<Locale> {
  const detected = await i18nServer.getLocale(request)
  if (isLocale(detected)) return detected
  return detected.toLowerCase().startsWith('zh') ? 'zh-CN' : detected.toLowerCase().startsWith('en') ? 'en' : DEFAULT_LOCALE
}

const instances = new Map<Locale, Promise<i18n>>()

/** A translation function for a fixed language, for mail, PDFs and jobs outside a request. */
export async function translatorFor(locale: Locale, namespace: Namespace = 'common'): Promise<TFunction> {
  let ready = instances.get(locale)
  if (!ready) {
    const instance = createInstance()
    ready = instance.use(mixedScriptSpacing).init({ ...i18nOptions, lng: locale }).then(() => instance)
    instances.set(locale, ready)
  }
  return (await ready).getFixedT(locale, namespace) as TFunction
}
