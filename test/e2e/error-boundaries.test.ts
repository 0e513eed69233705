import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localeCookie } from '~/i18n/i18n.server'
import { DEMO_PASSWORD, startApp, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'

let app: RunningApp
let browser: Browser

// Well-formed ids that no record has.
const UNKNOWN_ID = '0123456789abcdef01234567'
const STACK = /\bat \S+ \(|\.server\.ts|node_modules|Error: /

beforeAll(async () => {
  app = await startApp('error-boundaries')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('error pages per route', () => {
  it('answers an unknown vendor tab with 404 inside the staff shell, naming the vendor, in either language', async () => {
    const client = httpClient(app.url)
    await client.signIn('procurement@clausewise.local', DEMO_PASSWORD)

    const zh = await client.request(`/vendors/${UNKNOWN_ID}/contracts`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } })
    expect(zh.status).toBe(404)
    const zhHtml = await zh.text()
    expect(zhHtml).toContain('该合作机构不存在或已被删除。')
    expect(zhHtml).toContain('data-testid="current-user"') // the staff shell and its navigation stay
    expect(zhHtml).toContain('data-testid="error-page" data-status="404"')
    expect(zhHtml).not.toMatch(STACK)

    const en = await client.request(`/vendors/${UNKNOWN_ID}/contracts`, { headers: { cookie: await localeCookie.serialize('en') } })
    expect(en.status).toBe(404)
    const enHtml = await en.text()
    expect(enHtml).toContain('This vendor does not exist or was deleted.')
    expect(enHtml).toContain('data-testid="current-user"')
    expect(enHtml).not.toContain('The page you asked for does not exist or has moved.')
    expect(enHtml).not.toMatch(STACK)
  })

  it('keeps the vendor header and tabs when a tab fails (an unknown contact on the Incidents tab)', async () => {
    const client = httpClient(app.url)
    await client.signIn('procurement@clausewise.local', DEMO_PASSWORD)
    const list = await (await client.request('/vendors', { headers: { 'accept-language': 'en' } })).text()
    const vendorId = /\/vendors\/([0-9a-f]{24})/.exec(list)![1]!
    const response = await client.request(`/vendors/${vendorId}/incidents`, {
      method: 'POST',
      headers: { 'accept-language': 'en', origin: app.url },
      body: new URLSearchParams({ intent: 'issue-link', contactId: UNKNOWN_ID }),
    })
    expect(response.status).toBe(404)
    const html = await response.text()
    expect(html).toContain('data-testid="vendor-name"')
    expect(html).toContain(`href="/vendors/${vendorId}/contracts"`)
    expect(html).toContain('data-testid="error-page" data-status="404"')
    expect(html).not.toMatch(STACK)
  })

  it('names a missing assessment, and keeps the generic page for an unknown URL', async () => {
    const client = httpClient(app.url)
    await client.signIn('procurement@clausewise.local', DEMO_PASSWORD)
    const missing = await client.request(`/assessments/${UNKNOWN_ID}`, { headers: { 'accept-language': 'en' } })
    expect(missing.status).toBe(404)
    const html = await missing.text()
    expect(html).toContain('This assessment does not exist or was deleted.')
    expect(html).toContain('data-testid="current-user"')
    expect(html).not.toMatch(STACK)

    const review = await client.request(`/assessments/${UNKNOWN_ID}/review`, { headers: { 'accept-language': 'zh-CN' } })
    expect(review.status).toBe(404)
    expect(await review.text()).toContain('该评估不存在或已被删除。')

    const unknown = await client.request('/no-such-page', { headers: { 'accept-language': 'en' } })
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toContain('The page you asked for does not exist or has moved.')
  })

  it('shows the named 404 in the browser with the navigation around it', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    await signIn(page, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    const response = await page.goto(`${app.url}/vendors/${UNKNOWN_ID}/contracts`)
    expect(response?.status()).toBe(404)
    await expect.poll(() => page.getByTestId('error-page').textContent()).toContain('该合作机构不存在或已被删除。')
    expect(await page.getByTestId('current-user').count()).toBe(1)
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/vendor-404.png`, fullPage: true })
    await context.close()
  })
})
