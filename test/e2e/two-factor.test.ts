// Two-step sign-in in Chromium against the built app, in Chinese and English, with codes computed
// from the secret the enrolment page shows (as an authenticator app would). The app runs with
// TWO_FACTOR_REQUIRED_ROLES=admin,compliance, the product's default.
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { generate } from 'otplib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser } from '../support/browser'

let app: RunningApp
let browser: Browser

beforeAll(async () => {
  app = await startApp('twofactor', { TWO_FACTOR_REQUIRED_ROLES: 'admin,compliance' })
  browser = await launchBrowser()
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const code = (secret: string, offsetSeconds = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSeconds })

async function passwordStep(page: Page, email: string, password: string) {
  await page.goto(`${app.url}/login`)
  await page.locator('input[name="email"]').fill(email)
  await page.locator('input[name="password"]').fill(password)
  await Promise.all([page.waitForURL((url) => url.pathname !== '/login'), page.locator('button[type="submit"]').last().click()])
}

async function codeStep(page: Page, value: string) {
  await page.getByTestId('two-factor-step').waitFor()
  await page.locator('input[name="code"]').fill(value)
  await page.getByTestId('two-factor-submit').click()
}

async function enrolInPage(page: Page): Promise<{ secret: string; recoveryCodes: string[]; usedCode: string }> {
  await page.getByTestId('two-factor-page').waitFor()
  await page.getByTestId('two-factor-start').click()
  await page.getByTestId('two-factor-qr').waitFor()
  expect(await page.getByTestId('two-factor-qr').getAttribute('src')).toMatch(/^data:image\/png;base64,/)
  const secret = (await page.getByTestId('two-factor-secret').textContent())!.trim()
  const usedCode = await code(secret)
  await page.locator('input[name="code"]').fill(usedCode)
  await page.locator('form button[type="submit"]').filter({ hasNotText: /Sign out|退出/ }).last().click()
  await page.getByTestId('recovery-codes').waitFor()
  const recoveryCodes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((text) => text.trim())
  return { secret, recoveryCodes, usedCode }
}

async function signOut(page: Page) {
  await page.locator('form[action="/logout"] button').first().click()
  await page.waitForURL(/\/login/)
}

describe('a role that requires two-step sign-in', () => {
  it('reaches no staff page before enrolling (every staff route walked)', async () => {
    const client = httpClient(app.url)
    await client.signIn('compliance@clausewise.local', DEMO_PASSWORD)
    const routes = staffRoutePaths()
    expect(routes.length).toBeGreaterThan(30)
    const reached: string[] = []
    for (const route of routes) {
      const response = await client.request(route)
      const location = response.headers.get('location') ?? ''
      if (!(response.status === 302 && location.startsWith('/account/two-factor?redirectTo='))) reached.push(`${route} → ${response.status} ${location}`)
    }
    expect(reached).toEqual([])
    // Actions too.
    const posted = await client.request('/vendors/new', { method: 'POST', body: new URLSearchParams({ name: 'X' }) })
    expect(posted.status).toBe(302)
    expect(posted.headers.get('location')).toMatch(/^\/account\/two-factor/)
    // The enrolment page is open.
    expect((await client.request('/account/two-factor')).status).toBe(200)
    await client.request('/logout', { method: 'POST' })
  })
})

describe('enrolment and sign-in in the browser', () => {
  it('in Chinese: enrol after the password, then a replayed code is refused, a fresh one and a recovery code (once) work', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    await passwordStep(page, TEST_ADMIN.email, TEST_ADMIN.password)
    expect(new URL(page.url()).pathname).toBe('/account/two-factor')
    await expect(page.getByTestId('two-factor-required').textContent()).resolves.toContain('您的角色要求使用两步验证登录')
    // Nothing else opens meanwhile.
    await page.goto(`${app.url}/vendors`)
    expect(new URL(page.url()).pathname).toBe('/account/two-factor')
    const { secret, recoveryCodes, usedCode } = await enrolInPage(page)
    expect(recoveryCodes).toHaveLength(10)
    await page.getByTestId('two-factor-continue').click()
    await page.waitForURL((url) => url.pathname === '/vendors')
    await signOut(page)

    // The password alone now opens only the code step.
    await passwordStep(page, TEST_ADMIN.email, TEST_ADMIN.password)
    expect(new URL(page.url()).pathname).toBe('/login/two-factor')
    await page.locator('h1', { hasText: '两步验证登录' }).waitFor()
    expect(await page.locator('h1').textContent()).toBe('两步验证登录')
    await page.goto(`${app.url}/vendors`)
    expect(new URL(page.url()).pathname).toBe('/login/two-factor')
    // The code used for enrolment, replayed (still inside the window): refused.
    await codeStep(page, usedCode)
    await page.getByText('验证码不正确或已被使用。').first().waitFor()
    // The next step's code (within the ±1 step window): in.
    await codeStep(page, await code(secret, 30))
    await page.waitForURL((url) => url.pathname === '/vendors')
    await signOut(page)

    await passwordStep(page, TEST_ADMIN.email, TEST_ADMIN.password)
    await codeStep(page, recoveryCodes[0]!)
    await page.waitForURL((url) => !url.pathname.startsWith('/login'))
    await signOut(page)
    await passwordStep(page, TEST_ADMIN.email, TEST_ADMIN.password)
    await codeStep(page, recoveryCodes[0]!)
    await page.getByText('验证码不正确或已被使用。').first().waitFor()
    expect(new URL(page.url()).pathname).toBe('/login/two-factor')
    await context.close()
  })

  it('in English: enrol, sign in from a second browser with a code, and end that session from the first', async () => {
    const first = await browser.newContext({ locale: 'en-US' })
    const page = await first.newPage()
    await passwordStep(page, 'compliance@clausewise.local', DEMO_PASSWORD)
    await expect(page.getByTestId('two-factor-required').textContent()).resolves.toContain('Your role requires two-step sign-in')
    const { secret } = await enrolInPage(page)
    await page.getByTestId('two-factor-continue').click()
    await page.waitForURL((url) => url.pathname === '/')

    const second = await browser.newContext({ locale: 'en-US' })
    const other = await second.newPage()
    await passwordStep(other, 'compliance@clausewise.local', DEMO_PASSWORD)
    // The URL changes before the new page has rendered (client-side navigation): wait for its heading.
    await other.locator('h1', { hasText: 'Two-step sign-in' }).waitFor()
    expect(await other.locator('h1').textContent()).toBe('Two-step sign-in')
    await codeStep(other, '000000')
    await other.getByText('This code is not correct or was already used.').first().waitFor()
    await codeStep(other, await code(secret, 30))
    await other.waitForURL((url) => url.pathname === '/')

    await page.goto(`${app.url}/account/sessions`)
    const rows = page.getByTestId('session-row')
    await expect(rows.count()).resolves.toBe(2)
    await expect(page.locator('[data-current="true"]').textContent()).resolves.toContain('This browser')
    await page.locator('[data-testid="session-row"]:not([data-current]) button').click()
    await page.getByTestId('session-ended').waitFor()
    await expect(rows.count()).resolves.toBe(1)
    // The ended browser is signed out on its next request.
    await other.goto(`${app.url}/vendors`)
    expect(new URL(other.url()).pathname).toBe('/login')
    await first.close()
    await second.close()
  })
})

/** Every staff page's URL, from the route files (parameters filled with a well-formed id). */
function staffRoutePaths(): string[] {
  // Vendor link pages (v., i., o.) and the sign-in flow, single sign-on included, are not staff pages;
  // nor is the REST API, which takes API tokens only and answers a staff cookie with 401.
  const PUBLIC = [/^api\./, /^v\./, /^i\./, /^o\./, /^auth\.oidc\./, /^login/, /^logout/, /^language/, /^verify/, /^reports\.verify/, /^change-password/, /^account\.two-factor/, /^\$\.tsx$/]
  return readdirSync(path.join(process.cwd(), 'app/routes'))
    .filter((file) => file.endsWith('.tsx') && !PUBLIC.some((pattern) => pattern.test(file)))
    .map((file) => {
      const segments = file.replace(/\.tsx$/, '').replace(/\[\.(\w+)\]/g, '\u0000$1').split('.')
      const parts = segments
        .map((segment) => segment.replace(/_$/, '').replace('\u0000', '.'))
        .filter((segment) => segment !== '_index')
        .map((segment) => (segment.startsWith('$') ? (segment === '$version' ? '1' : segment === '$bucket' ? 'overdue' : '0123456789abcdef01234567') : segment))
      return `/${parts.join('/')}`
    })
}
