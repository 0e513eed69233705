import { RemixBrowser } from '@remix-run/react'
import i18next from 'i18next'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { i18nOptions } from './i18n/i18n'
import { mixedScriptSpacing } from './i18n/spacing'

async function hydrate() {
  await i18next.use(initReactI18next).use(mixedScriptSpacing).init({ ...i18nOptions, lng: document.documentElement.lang || 'zh-CN' })
  startTransition(() => {
    hydrateRoot(
      document,
      <I18nextProvider i18n={i18next}>
        <StrictMode>
          <RemixBrowser />
        </StrictMode>
      </I18nextProvider>,
    )
  })
}

void hydrate()
