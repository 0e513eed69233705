import { PassThrough } from 'node:stream'
import { createReadableStreamFromReadable, type EntryContext } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { createInstance, type i18n } from 'i18next'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { i18nOptions } from './i18n/i18n'
import { mixedScriptSpacing } from './i18n/spacing'
import { getLocale } from './i18n/i18n.server'
import type { Locale } from './i18n/locales'

export { boot } from './boot.server'

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
      .then(() => instance)
    instances.set(locale, ready)
  }
  return ready
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const i18n = await i18nFor(await getLocale(request))

  const callbackName = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'
  responseHeaders.set('X-Content-Type-Options', 'nosniff')
  responseHeaders.set('Referrer-Policy', 'same-origin')
  responseHeaders.set('X-Frame-Options', 'DENY')

  return new Promise((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} />
      </I18nextProvider>,
      {
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
