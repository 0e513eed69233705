// Admin → API tokens: an admin creates a token on the page, sees it once, it works against the API;
// revoking it on the page makes the API refuse it; other roles are refused the page.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'

let app: RunningApp
let browser: Browser

beforeAll(async () => {
  app = await startApp('api_tokens')
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const callVendors = (token: string) => fetch(`${app.url}/api/v1/vendors?limit=1`, { headers: { authorization: `Bearer ${token}` } })

describe('the API tokens page', () => {
  it('creates a token shown once that works against the API, and revokes it', { timeout: 150_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    await signIn(page, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    await page.goto(`${app.url}/admin/api-tokens`)
    await expect(page.locator('nav a[href="/admin/api-tokens"]').count()).resolves.toBeGreaterThan(0)
    await page.getByLabel('Name').fill('Risk register')
    await page.locator('input[name="scopes"][value="vendors:read"]').check()
    await page.getByLabel('Expires after').selectOption('30')
    await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), page.getByRole('button', { name: 'Create token' }).click()])
    const token = (await page.getByTestId('new-api-token').textContent())?.trim() ?? ''
    expect(token).toMatch(/^cw_[A-Za-z0-9_-]{43}$/)
    await page.screenshot({ path: 'test-results/api-tokens.png', fullPage: true })
    expect(page.url()).not.toContain(token)

    const row = page.locator('tr', { hasText: 'Risk register' })
    await expect(row.textContent()).resolves.toContain('vendors:read')
    const listed = await callVendors(token)
    expect(listed.status).toBe(200)
    expect(((await listed.json()) as { data: unknown[] }).data.length).toBe(1)

    // Shown once: a fresh load of the page does not show it again.
    await page.goto(`${app.url}/admin/api-tokens`)
    await expect(page.getByTestId('new-api-token').count()).resolves.toBe(0)
    await expect(page.content()).resolves.not.toContain(token)

    await Promise.all([page.waitForResponse((response) => response.request().method() === 'POST'), page.locator('tr', { hasText: 'Risk register' }).getByRole('button', { name: 'Revoke' }).click()])
    // The page reloads its list after the action: wait for the row to say so.
    await page.locator('tr', { hasText: 'Risk register' }).getByText('Revoked', { exact: true }).waitFor({ timeout: 10_000 })
    expect((await callVendors(token)).status).toBe(401)

    // Both steps are in the audit trail, with readable names.
    await page.goto(`${app.url}/admin/audit`)
    const audit = await page.content()
    expect(audit).toContain('API token created')
    expect(audit).toContain('API token revoked')
    await page.close()
  })

  it('is refused to roles other than admin', { timeout: 60_000 }, async () => {
    for (const email of ['compliance@clausewise.local', 'viewer@clausewise.local']) {
      const client = httpClient(app.url)
      await client.signIn(email, DEMO_PASSWORD)
      expect((await client.request('/admin/api-tokens')).status).toBe(403)
      const created = await client.request('/admin/api-tokens', { method: 'POST', body: new URLSearchParams({ intent: 'create', name: 'x', scopes: 'vendors:read', lifetimeDays: '30' }) })
      expect(created.status).toBe(403)
    }
  })
})
