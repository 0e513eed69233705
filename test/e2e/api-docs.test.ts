// /api/docs in Chromium: Scalar's bundle, served by the app itself, renders the OpenAPI document's
// operations under the app's Content-Security-Policy, with no violation, console error or request
// to another origin; the page needs no sign-in and carries no data.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'

let app: RunningApp
let browser: Browser

beforeAll(async () => {
  app = await startApp('api_docs')
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('the API reference page', () => {
  it('renders the operations under the CSP, from this origin only', { timeout: 90_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    const page = await context.newPage()
    const problems: string[] = []
    const foreign: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy/i.test(message.text())) problems.push(`console ${message.type()}: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== app.url) foreign.push(request.url())
    })

    const response = await page.goto(`${app.url}/api/docs`)
    expect(response!.status()).toBe(200)
    const csp = response!.headers()['content-security-policy'] ?? ''
    // The app's own policy, not a relaxed one: no inline script, no eval, nothing from elsewhere.
    const scriptSrc = csp.split(';').map((directive) => directive.trim()).find((directive) => directive.startsWith('script-src ')) ?? ''
    expect(scriptSrc).toMatch(/^script-src 'self' 'nonce-[^']+'$/)
    expect(csp).toContain("connect-src 'self'")

    // The operation list: the vendors operations' summaries from the OpenAPI document.
    const document = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary?: string }>> }
    const vendorSummaries = Object.values(document.paths['/vendors'] ?? {}).map((operation) => operation.summary ?? '')
    expect(vendorSummaries.length).toBeGreaterThan(0)
    for (const summary of vendorSummaries) await page.getByText(summary, { exact: true }).first().waitFor({ timeout: 30_000 })
    await page.getByText('vendors', { exact: false }).first().waitFor()
    // Late requests (fonts, telemetry) would come right after the first render; not "networkidle",
    // which a loaded machine may not reach in time.
    await page.waitForLoadState('load')
    await page.waitForTimeout(1_500)
    await page.screenshot({ path: 'test-results/api-docs.png', fullPage: false })

    expect(problems).toEqual([])
    expect(foreign).toEqual([])
    await context.close()
  })

  it('serves the bundle from this origin, cacheable by version, and never asks for a sign-in', async () => {
    const html = await (await fetch(`${app.url}/api/docs`, { redirect: 'manual' })).text()
    const src = /<script src="([^"]+)"><\/script>/.exec(html)?.[1] ?? ''
    expect(src).toMatch(/^\/api\/docs\/scalar\.js\?v=\d+\.\d+\.\d+/)
    expect(html).not.toMatch(/https?:\/\//)
    const bundle = await fetch(app.url + src)
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-type')).toContain('text/javascript')
    expect(bundle.headers.get('cache-control')).toContain('immutable')
    expect((await bundle.text()).length).toBeGreaterThan(100_000)
  })

  it('is linked from Admin → API tokens', { timeout: 60_000 }, async () => {
    const page = await browser.newPage()
    await signIn(page, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    await page.goto(`${app.url}/admin/api-tokens`)
    await Promise.all([page.waitForURL((url) => url.pathname === '/api/docs'), page.getByTestId('api-reference-link').click()])
    await page.getByText('List vendors', { exact: true }).first().waitFor({ timeout: 30_000 })
    await page.close()
  })
})
