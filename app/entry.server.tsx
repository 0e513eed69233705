import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { createInstance, type i18n } from 'i18next'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { NonceProvider } from './components/nonce'
import { i18nOptions } from './i18n/i18n'
import { mixedScriptSpacing } from './i18n/spacing'
import { getLocale } from './i18n/i18n.server'
import type { Locale } from './i18n/locales'
import { apiNodeRoutes } from './modules/api/node-route.server'
import { nodeRoutes as autosaveRoutes } from './modules/assessments/autosave-endpoint.server'

export { boot } from './boot.server'
export { inRequestScope } from './request-scope.server'
// What the production server answers ahead of Remix (server.ts mounts them): the vendor's autosave
// (hot), and the requests under /api/v1 that Remix cannot route.
export const nodeRoutes = [...autosaveRoutes, ...apiNodeRoutes] as const

const ABORT_DELAY = 5_000

// One initialised i18next instance per language, reused by every request in that language.
const instances = new Map<Locale, Promise<i18n>>()
function i18nFor(locale: Locale): Promise<i18n> {
  let ready = instances.get(locale)
  if (!ready) {
    const instance = createInstance()
    ready = instance
      .use(initReactI18next)
      .use(mixedScriptSpacing)
      .init({ ...i18nOptions, lng: locale })
      .then(() => memoizeLanguageCodes(instance))
    instances.set(locale, ready)
  }
  return ready
}

/**
 * i18next normalises the language code on every t() call (Intl.getCanonicalLocales, several
 * times per lookup): a page of a hundred answers spent a fifth of its render there. The result
 * depends only on the code, so each server instance remembers it.
 */
function memoizeLanguageCodes(instance: i18n): i18n {
  const utils = instance.services.languageUtils as { formatLanguageCode(code: string): string }
  const format = utils.formatLanguageCode.bind(utils)
  const known = new Map<string, string>()
  utils.formatLanguageCode = (code: string) => {
    if (typeof code !== 'string') return format(code)
    let formatted = known.get(code)
    if (formatted === undefined) {
      formatted = format(code)
      if (known.size < 100) known.set(code, formatted)
    }
    return formatted
  }
  return instance
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const i18n = await i18nFor(await getLocale(request))

  const callbackName = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'
  // nosniff, Referrer-Policy, frame and Content-Security-Policy headers come from helmet (server.ts).
  const nonce = typeof loadContext?.cspNonce === 'string' ? loadContext.cspNonce : ''

  return new Promise((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={i18n}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce || undefined} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce: nonce || undefined,
        [callbackName]: () => {
          shellRendered = true
          const body = new PassThrough()
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }))
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, ABORT_DELAY)
  })
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Aborted requests (a closed tab) are not errors worth logging.
  if (request.signal.aborted) return
  console.error(`[clausewise] ${request.method} ${new URL(request.url).pathname} failed:`, error)
}
