// The API reference at /api/docs (docs/decisions/037-api-reference-page.md): Scalar's standalone
// browser bundle, read from the installed npm package and served by the app at a versioned
// same-origin address, so the page runs under the app's CSP (script-src 'self') unchanged.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { translatorFor } from '~/i18n/i18n.server'
import type { Locale } from '~/i18n/locales'
import { API_BASE } from './handler.server'

export const REFERENCE_PAGE_PATH = '/api/docs'

interface ScalarBundle {
  version: string
  script: string
}

let bundle: Promise<ScalarBundle> | null = null

/** The package's own files: `dist/browser/standalone.js` beside the `dist/index.js` it exports. */
function scalarBundle(): Promise<ScalarBundle> {
  bundle ??= (async () => {
    const distDir = path.dirname(createRequire(import.meta.url).resolve('@scalar/api-reference'))
    const manifest = JSON.parse(await readFile(path.join(distDir, '..', 'package.json'), 'utf8')) as { version: string }
    return { version: manifest.version, script: await readFile(path.join(distDir, 'browser', 'standalone.js'), 'utf8') }
  })()
  bundle.catch(() => (bundle = null))
  return bundle
}

/** The bundle's address carries the package version, so browsers may keep it for good. */
export async function scalarScriptPath(): Promise<string> {
  return `${REFERENCE_PAGE_PATH}/scalar.js?v=${encodeURIComponent((await scalarBundle()).version)}`
}

export async function scalarScriptResponse(): Promise<Response> {
  const { script } = await scalarBundle()
  return new Response(script, {
    headers: {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}

// Only what reads the document: no "test request" client (a token belongs in the caller's
// system, not typed into a browser), no telemetry, no fonts or services from scalar.com.
const SCALAR_CONFIGURATION = {
  withDefaultFonts: false,
  telemetry: false,
  hideClientButton: true,
  hideTestRequestButton: true,
  persistAuth: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  documentDownloadType: 'json',
  hideDarkModeToggle: true,
  defaultOpenAllTags: true,
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

export async function referencePageResponse(locale: Locale): Promise<Response> {
  const t = await translatorFor(locale, 'api')
  const title = `${t('reference.title')} · Clausewise`
  // The element Scalar mounts beside: a data block (never run, so no CSP question), whose
  // attributes carry the document's address and the configuration.
  const html = `<!doctype html>
<html lang="${escapeHtml(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="${escapeHtml(t('reference.description'))}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<noscript><p>${escapeHtml(t('reference.noscript'))} <a href="${API_BASE}/openapi.json">${API_BASE}/openapi.json</a></p></noscript>
<script id="api-reference" type="application/json" data-url="${API_BASE}/openapi.json" data-configuration="${escapeHtml(JSON.stringify(SCALAR_CONFIGURATION))}"></script>
<script src="${escapeHtml(await scalarScriptPath())}"></script>
</body>
</html>`
  return new Response(html, {
    headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Language': locale, 'Cache-Control': 'no-cache' },
  })
}
