// Single sign-on in Chromium against a real OpenID provider (oidc-provider) on loopback: its own
// login and consent pages, users created with the mapped role, the unmapped user refused in both
// languages, tampered state / nonce / PKCE refused, no open redirect; then the audit trail page.
import mongoose from 'mongoose'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, freePort, type RunningApp, startApp, TEST_ADMIN } from '../support/app-server'
import { launchBrowser } from '../support/browser'
import { startOidcProvider, type RunningProvider } from '../support/oidc-provider'

let provider: RunningProvider
let app: RunningApp
let browser: Browser
let database: mongoose.Connection
let appUrl = ''

beforeAll(async () => {
  // The provider must know the app's redirect URI before the app starts, so the port is chosen here.
  const port = await freePort()
  appUrl = `http://127.0.0.1:${port}`
  provider = await startOidcProvider({ redirectUris: [`${appUrl}/auth/oidc/callback`] })
  app = await startApp('sso', { ...provider.env(appUrl), PORT: String(port), PASSWORD_SIGN_IN: 'admins-only' })
  browser = await launchBrowser()
  database = await mongoose.createConnection(app.databaseUri).asPromise()
})

afterAll(async () => {
  await database?.close()
  await browser?.close()
  await app?.stop()
  await provider?.stop()
})

async function newPage(locale: 'en' | 'zh-CN' = 'en'): Promise<{ context: BrowserContext; page: Page }> {
  // The language comes from Chromium's Accept-Language.
  const context = await browser.newContext({ locale })
  return { context, page: await context.newPage() }
}

/** On the provider's own pages: its login form (any password), then its consent page. */
async function loginAtProvider(page: Page, login: string) {
  await page.waitForURL((url) => url.href.startsWith(provider.issuer))
  await page.locator('input[name="login"]').fill(login)
  await page.locator('input[name="password"]').fill('any password')
  await page.locator('button[type="submit"]').click()
  await page.locator('button[type="submit"]', { hasText: 'Continue' }).click()
}

async function ssoSignIn(page: Page, login: string, start = '/login') {
  await page.goto(appUrl + start)
  if (start.startsWith('/login')) await page.getByTestId('sso-sign-in').click()
  await loginAtProvider(page, login)
  await page.waitForURL((url) => url.href.startsWith(appUrl) && !url.pathname.startsWith('/auth/oidc/start'))
}

const users = () => database.collection('users')

describe('single sign-on with OpenID Connect', () => {
  it('shows "Sign in with Bank ID" and keeps the password form folded away for administrators', async () => {
    const { context, page } = await newPage('zh-CN')
    await page.goto(`${appUrl}/login`)
    await expect(page.getByTestId('sso-sign-in').textContent()).resolves.toBe('使用 Bank ID 登录')
    expect(await page.locator('details summary').textContent()).toContain('管理员密码登录')
    await context.close()
  })

  it('creates each user on the first sign-in with the role their groups map to (highest of several)', async () => {
    const expected: Record<string, string> = { 'ada-admin': 'admin', 'pat-procurement': 'procurement', 'cora-compliance': 'compliance', 'vic-viewer': 'viewer' }
    for (const [login, role] of Object.entries(expected)) {
      const { context, page } = await newPage()
      await ssoSignIn(page, login)
      expect(new URL(page.url()).pathname).toBe('/')
      const user = await users().findOne({ email: provider.accounts[login]!.email })
      expect(user, login).toMatchObject({ role, ssoKey: `${provider.issuer} ${login}`, name: provider.accounts[login]!.name })
      await context.close()
    }
    // Ada is an admin: the audit trail opens; Vic (viewer) gets a 403.
    const { context, page } = await newPage()
    await ssoSignIn(page, 'vic-viewer')
    expect((await page.goto(`${appUrl}/admin/audit`))!.status()).toBe(403)
    await context.close()
  })

  it('moves a user to a new role when the provider moves them between groups (audited)', async () => {
    provider.accounts['pat-procurement']!.groups = ['auditors']
    const { context, page } = await newPage()
    await ssoSignIn(page, 'pat-procurement')
    expect((await users().findOne({ email: 'pat@idp.example' }))!.role).toBe('viewer')
    const change = await database.collection('audit_events').findOne({ action: 'user.role-change', 'details.email': 'pat@idp.example' })
    expect(change!.details).toMatchObject({ from: 'procurement', to: 'viewer' })
    provider.accounts['pat-procurement']!.groups = ['procurement']
    await context.close()
  })

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`refuses a user whose groups map to no role with a clear page (${locale})`, async () => {
      const { context, page } = await newPage(locale)
      const statuses: number[] = []
      page.on('response', (response) => response.url().includes('/auth/oidc/callback') && statuses.push(response.status()))
      await ssoSignIn(page, 'nora-nogroup')
      expect(new URL(page.url()).pathname).toBe('/auth/oidc/callback')
      expect(statuses).toContain(403)
      await expect(page.getByTestId('sso-refused').getAttribute('data-reason')).resolves.toBe('unmapped')
      expect(await page.locator('h1').textContent()).toBe(locale === 'en' ? 'No access to Clausewise' : '无权访问 Clausewise')
      expect(await users().findOne({ email: '=2+3@idp.example' })).toBeNull()
      // Not signed in.
      await page.goto(`${appUrl}/`)
      expect(new URL(page.url()).pathname).toBe('/login')
      await context.close()
    })
  }

  /**
   * Runs a sign-in up to the provider's answer and returns the callback URL without letting the
   * browser reach it. The browser follows redirects on its own, so the two hops are taken here
   * through the context's own request client (same cookies as the browser).
   */
  async function heldCallback(page: Page, rewriteAuthorization?: (url: URL) => void): Promise<URL> {
    const start = await page.request.get(`${appUrl}/auth/oidc/start`, { maxRedirects: 0 })
    expect(start.status()).toBe(302)
    const authorization = new URL(start.headers().location!)
    rewriteAuthorization?.(authorization)
    let callback: URL | undefined
    await page.route(`${provider.issuer}/interaction/**`, async (route) => {
      if (route.request().method() !== 'POST' || !String(route.request().postData()).includes('prompt=consent')) return route.continue()
      const confirmed = await route.fetch({ maxRedirects: 0 })
      const resumed = await page.request.get(new URL(confirmed.headers().location!, provider.issuer).href, { maxRedirects: 0 })
      callback = new URL(resumed.headers().location!)
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'held' })
    })
    await page.goto(authorization.href)
    await loginAtProvider(page, 'ada-admin')
    await expect.poll(() => callback).toBeDefined()
    await page.unrouteAll({ behavior: 'ignoreErrors' })
    expect(callback!.href.startsWith(`${appUrl}/auth/oidc/callback?`)).toBe(true)
    return callback!
  }

  async function expectRefused(page: Page, url: string, reason: string) {
    const response = await page.goto(url)
    expect(response!.status()).toBe(400)
    await expect(page.getByTestId('sso-refused').getAttribute('data-reason')).resolves.toBe(reason)
    await page.goto(`${appUrl}/`)
    expect(new URL(page.url()).pathname).toBe('/login')
  }

  it('refuses a tampered state', async () => {
    const { context, page } = await newPage()
    const callback = await heldCallback(page)
    callback.searchParams.set('state', `${callback.searchParams.get('state')}x`)
    await expectRefused(page, callback.href, 'unverified')
    await context.close()
  })

  it('refuses a tampered nonce (the ID token then carries a nonce this browser never chose)', async () => {
    const { context, page } = await newPage()
    const callback = await heldCallback(page, (url) => url.searchParams.set('nonce', 'attacker-chosen-nonce'))
    await expectRefused(page, callback.href, 'unverified')
    await context.close()
  })

  it('refuses a tampered PKCE challenge, and a callback in a browser that did not start the flow', async () => {
    const { context, page } = await newPage()
    const callback = await heldCallback(page, (url) => url.searchParams.set('code_challenge', 'A'.repeat(43)))
    await expectRefused(page, callback.href, 'unverified')
    await context.close()
    // A genuine code carried to another browser: no flow cookie there.
    const first = await newPage()
    const genuine = await heldCallback(first.page)
    const other = await newPage()
    await expectRefused(other.page, genuine.href, 'expired')
    // And the genuine browser still gets in with it.
    await first.page.goto(genuine.href)
    expect(new URL(first.page.url()).pathname).toBe('/')
    await first.context.close()
    await other.context.close()
  })

  it('returns to a page of the app after sign-in, never to another site', async () => {
    const { context, page } = await newPage()
    await ssoSignIn(page, 'cora-compliance', '/auth/oidc/start?redirectTo=%2Fassessments%3Fstatus%3Dsubmitted')
    expect(page.url()).toBe(`${appUrl}/assessments?status=submitted`)
    await context.close()
    for (const target of ['https://evil.example/x', '//evil.example/x', '/\\evil.example', '/%0d%0aLocation:https://evil.example']) {
      const attempt = await newPage()
      await ssoSignIn(attempt.page, 'cora-compliance', `/auth/oidc/start?redirectTo=${encodeURIComponent(target)}`)
      // Whatever the attempt, the browser ends on this app (the last one is a harmless local path).
      expect(new URL(attempt.page.url()).origin, target).toBe(appUrl)
      if (!target.includes('%0d')) expect(attempt.page.url(), target).toBe(`${appUrl}/`)
      await attempt.context.close()
    }
  })

  it('keeps the break-glass password for admins only (PASSWORD_SIGN_IN=admins-only)', async () => {
    const { context, page } = await newPage()
    await page.goto(`${appUrl}/login`)
    await page.locator('details summary').click()
    await page.locator('input[name="email"]').fill(TEST_ADMIN.email)
    await page.locator('input[name="password"]').fill(TEST_ADMIN.password)
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.locator('details button[type="submit"]').click()])
    expect(new URL(page.url()).pathname).toBe('/')
    await context.close()
    // A non-admin with a right password is refused with a pointer to single sign-on.
    const viewer = await database.collection('users').findOne({ role: 'viewer', ssoKey: { $exists: false } })
    expect(viewer).not.toBeNull()
    const response = await fetch(`${appUrl}/login`, { method: 'POST', body: new URLSearchParams({ email: viewer!.email, password: DEMO_PASSWORD, redirectTo: '/' }), redirect: 'manual' })
    expect(response.status).toBe(403)
  })
})

describe('audit trail page', () => {
  it('shows SSO sign-ins and refusals with who, when and from where; filters; exports CSV', async () => {
    const { context, page } = await newPage()
    await ssoSignIn(page, 'ada-admin', '/auth/oidc/start?redirectTo=%2Fadmin%2Faudit%3Fkind%3Dauth')
    expect(new URL(page.url()).pathname).toBe('/admin/audit')
    const actions = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')))
    expect(actions.length).toBeGreaterThan(5)
    expect(actions.every((action) => action!.startsWith('auth.'))).toBe(true)
    expect(actions).toEqual(expect.arrayContaining(['auth.sso-sign-in', 'auth.sso-refused', 'auth.sign-in', 'auth.sign-in-refused']))
    expect(await page.getByTestId('audit-table').textContent()).toContain('127.0.0.1')

    // Filter by person through the form.
    await page.locator('input[name="actor"]').fill('=2+3@idp.example')
    await Promise.all([page.waitForURL((url) => url.searchParams.get('actor') === '=2+3@idp.example'), page.locator('[data-testid="audit-filters"] button[type="submit"]').click()])
    await page.waitForLoadState('networkidle')
    const refused = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-action')))
    expect(refused.length).toBeGreaterThanOrEqual(2)
    expect(new Set(refused)).toEqual(new Set(['auth.sso-refused']))

    // A bad date is a 400 with a message, not a 5xx.
    const bad = await page.goto(`${appUrl}/admin/audit?from=31.12.2026`)
    expect(bad!.status()).toBe(400)
    expect(await page.locator('#audit-from-error').textContent()).toBe('Enter a date as YYYY-MM-DD.')

    // The export: same filters, BOM, formula protection.
    const csv = await page.request.get(`${appUrl}/admin/audit.csv?actor=${encodeURIComponent('=2+3@idp.example')}`, { headers: { 'Accept-Language': 'en' } })
    expect(csv.status()).toBe(200)
    expect(csv.headers()['content-type']).toContain('text/csv')
    const body = await csv.body()
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const lines = body.subarray(3).toString('utf8').trim().split('\r\n')
    expect(lines[0]).toBe('When,Who,User id,What,Object kind,Object,From,Details')
    expect(lines.length).toBe(refused.length + 1)
    expect(lines.slice(1).every((line) => line.includes(",'=2+3@idp.example,") && line.includes('auth.sso-refused'))).toBe(true)
    // The export itself is in the trail.
    expect(await database.collection('audit_events').countDocuments({ action: 'report.audit-export' })).toBe(1)
    await context.close()
  })
})
