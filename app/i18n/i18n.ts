import type { InitOptions } from 'i18next'
import { DEFAULT_LOCALE, LOCALES } from './locales'
import { NAMESPACES, resources } from './resources'

/** Options shared by the server and browser i18next instances. */
export const i18nOptions = {
  supportedLngs: [...LOCALES],
  fallbackLng: DEFAULT_LOCALE,
  defaultNS: 'common',
  ns: NAMESPACES,
  resources,
  interpolation: { escapeValue: false }, // React escapes
  // Registered with .use(mixedScriptSpacing) on every instance (./spacing.ts).
  postProcess: ['mixedScriptSpacing'],
  returnNull: false,
} satisfies InitOptions
