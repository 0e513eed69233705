import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, TEST_ADMIN, DEMO_PASSWORD, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'

let app: RunningApp
let browser: Browser

beforeAll(async () => {
  app = await startApp('foundation')
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('a staff member in the browser', () => {
  it('signs in, switches language, sees the dashboard and signs out', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    await signIn(page, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await page.getByTestId('dashboard').locator('h1', { hasText: '工作台' }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')

    await page.getByTestId('language-switch').click()
    // Wait for the re-rendered heading, not just <html lang>, which changes first.
    await page.getByTestId('dashboard').locator('h1', { hasText: 'Dashboard' }).waitFor()
    expect(await page.locator('html').getAttribute('lang')).toBe('en')

    // The choice is remembered across pages and sign-ins.
    await page.reload()
    expect(await page.locator('html').getAttribute('lang')).toBe('en')

    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/login/)
    await page.goto(`${app.url}/`)
    expect(new URL(page.url()).pathname).toBe('/login')
    await context.close()
  })

  it('sees a clear message for a wrong password, in the chosen language', async () => {
    const context = await browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await page.goto(`${app.url}/login`)
    await page.locator('input[name="email"]').fill('procurement@clausewise.local')
    await page.locator('input[name="password"]').fill('not the password')
    await page.locator('button[type="submit"]').last().click()
    await expect(page.getByRole('alert').first().textContent()).resolves.toContain('The e-mail or password is not correct.')
    await context.close()
  })

  it('gets field messages from the browser before anything is posted', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${app.url}/login`)
    await page.locator('input[name="email"]').fill('not-an-email')
    await page.locator('button[type="submit"]').last().click()
    await expect(page.locator('input[name="email"]').getAttribute('aria-invalid')).resolves.toBe('true')
    expect(await page.getByText('请输入有效的电子邮箱地址。').count()).toBe(1)
    await context.close()
  })

  it('sees a friendly 404 page for an unknown URL', async () => {
    const context = await browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await signIn(page, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    const response = await page.goto(`${app.url}/no/such/page`)
    expect(response?.status()).toBe(404)
    expect(await page.getByTestId('error-page').textContent()).toContain('Page not found')
    await context.close()
  })
})

describe('roles over HTTP', () => {
  // [path, roles allowed]; every other role is refused with 403, and nobody signed in is sent to sign-in.
  const guarded: [string, string[]][] = [
    ['/', ['admin', 'procurement', 'compliance', 'viewer']],
    ['/admin/users', ['admin']],
    ['/admin/audit', ['admin', 'compliance']],
    ['/admin/audit.csv', ['admin', 'compliance']],
  ]
  const accounts: Record<string, { email: string; password: string }> = {
    admin: TEST_ADMIN,
    procurement: { email: 'procurement@clausewise.local', password: DEMO_PASSWORD },
    compliance: { email: 'compliance@clausewise.local', password: DEMO_PASSWORD },
    viewer: { email: 'viewer@clausewise.local', password: DEMO_PASSWORD },
  }

  for (const [path, allowed] of guarded) {
    it(`${path}: allowed for ${allowed.join(', ')}, refused for the rest`, async () => {
      const anonymous = await httpClient(app.url).request(path)
      expect(anonymous.status).toBe(302)
      expect(anonymous.headers.get('location')).toContain('/login')
      for (const [role, account] of Object.entries(accounts)) {
        const client = httpClient(app.url)
        await client.signIn(account.email, account.password)
        const response = await client.request(path)
        expect({ role, status: response.status }).toEqual({ role, status: allowed.includes(role) ? 200 : 403 })
      }
    })
  }

  it('refuses to create a user from a non-admin role, and the user is not created', async () => {
    const client = httpClient(app.url)
    await client.signIn('procurement@clausewise.local', DEMO_PASSWORD)
    const body = new URLSearchParams({ name: 'Mallory', email: 'mallory@x.cn', role: 'admin', locale: 'en', password: 'mallory-password-1' })
    expect((await client.request('/admin/users', { method: 'POST', body })).status).toBe(403)
    const admin = httpClient(app.url)
    await admin.signIn(TEST_ADMIN.email, TEST_ADMIN.password)
    expect(await (await admin.request('/admin/users')).text()).not.toContain('mallory@x.cn')
  })

  it('answers bad input to an admin action with 400 and field messages, not 500', async () => {
    const admin = httpClient(app.url)
    await admin.signIn(TEST_ADMIN.email, TEST_ADMIN.password)
    const body = new URLSearchParams({ name: '', email: 'bad', role: 'emperor', locale: 'en', password: 'x' })
    const response = await admin.request('/admin/users?lng=en', { method: 'POST', body })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Enter a valid e-mail address.')
    expect(html).toContain('Enter at least 12 characters.')
    expect(html).not.toMatch(/at .*\.(ts|js):\d+/) // no stack trace
  })
})

describe('a password someone else knows', () => {
  it('must be replaced at the first sign-in: nothing else opens until it is', async () => {
    const admin = httpClient(app.url)
    await admin.signIn(TEST_ADMIN.email, TEST_ADMIN.password)
    const body = new URLSearchParams({ name: '新同事 New Colleague', email: 'new.colleague@bank.test', role: 'viewer', locale: 'zh-CN', password: 'set-by-the-admin-1' })
    expect((await admin.request('/admin/users', { method: 'POST', body })).status).toBe(302)

    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    await signIn(page, app.url, 'new.colleague@bank.test', 'set-by-the-admin-1')
    await page.waitForURL(/\/change-password/)
    await page.goto(`${app.url}/vendors`)
    await page.waitForURL(/\/change-password\?redirectTo=%2Fvendors/)
    await page.waitForLoadState('networkidle')
    await expect(page.getByTestId('change-password').textContent()).resolves.toContain('一次性密码')
    await page.getByLabel('当前（一次性）密码').fill('set-by-the-admin-1')
    await page.locator('input[name="newPassword"]').fill('my-own-password-42')
    await page.getByLabel('再次输入新密码').fill('my-own-password-42')
    if (process.env.E2E_SHOTS) await page.screenshot({ path: `${process.env.E2E_SHOTS}/change-password-zh.png`, fullPage: true })
    await page.getByRole('button', { name: '保存新密码' }).click()
    await page.waitForURL(/\/vendors$/)
    await context.close()

    // The admin's password no longer works; the new one does.
    const old = httpClient(app.url)
    await old.signIn('new.colleague@bank.test', 'set-by-the-admin-1').catch(() => undefined)
    expect((await old.request('/vendors')).status).toBe(302)
    const fresh = httpClient(app.url)
    await fresh.signIn('new.colleague@bank.test', 'my-own-password-42')
    expect((await fresh.request('/vendors')).status).toBe(200)
  })
})
