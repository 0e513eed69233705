// In Chromium: the Content-Security-Policy blocks nothing the app itself does (no violation, no
// console error on any page, staff or vendor), and a crafted redirectTo never leaves the app.
import mongoose from 'mongoose'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, TEST_ADMIN, startApp, type RunningApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'

let app: RunningApp
let browser: Browser
let database: mongoose.Connection
let vendorToken = ''

beforeAll(async () => {
  app = await startApp('hardening-e2e')
  browser = await launchBrowser()
  database = await mongoose.createConnection(app.databaseUri).asPromise()
  for (const mail of await database.collection('mail_messages').find({}).toArray()) {
    const match = /\/v\/([A-Za-z0-9_-]{43})/.exec(String(mail.text ?? ''))
    if (match && (await fetch(`${app.url}/v/${match[1]}/questionnaire`, { redirect: 'manual' })).status === 200) {
      vendorToken = match[1]!
      break
    }
  }
})

afterAll(async () => {
  await database?.close()
  await browser?.close()
  await app?.stop()
})

/** Every console error and CSP violation a page reports while it loads and hydrates. */
function watch(page: Page) {
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${page.url()}: console: ${message.text()}`)
  })
  page.on('pageerror', (error) => problems.push(`${page.url()}: page error: ${error.message}`))
  return problems
}

async function visit(page: Page, path: string) {
  await page.goto(app.url + path)
  await page.waitForLoadState('networkidle')
  // Hydrated: React's handlers answer (a CSP blocking the inline bootstrap would stop this).
  await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter), undefined, { timeout: 10_000 })
}

describe('Content-Security-Policy in the browser', () => {
  it('staff pages load and hydrate without a violation or console error', async () => {
    const context = await browser.newContext()
    const page = await context.newPage()
    const problems = watch(page)
    await signIn(page, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    const vendor = await database.collection('vendors').findOne({})
    const assessment = await database.collection('assessments').findOne({ status: { $in: ['submitted', 'under_review', 'completed'] } })
    const finding = await database.collection('findings').findOne({})
    const pages = [
      '/', '/vendors', `/vendors/${vendor!._id}`, `/vendors/${vendor!._id}/edit`, `/vendors/${vendor!._id}/contracts`, '/vendors/new', '/vendors/import',
      '/assessments', '/assessments/new', `/assessments/${assessment!._id}`, `/assessments/${assessment!._id}/review`,
      '/findings', `/findings/${finding!._id}`, '/library', '/library/clauses', '/reports/batch', '/admin/users', '/admin/settings', '/admin/outbox',
    ]
    for (const path of pages) await visit(page, path)
    // A client-side navigation and a form post still work under the policy.
    expect(problems).toEqual([])
    await page.goto(`${app.url}/vendors`)
    const href = await page.$$eval('a', (links) => links.map((link) => link.getAttribute('href') ?? '').find((value) => /^\/vendors\/[0-9a-f]{24}$/.test(value)))
    await page.locator(`a[href="${href}"]`).first().click()
    await page.waitForURL((url) => url.pathname === href)
    expect(problems).toEqual([])
    await context.close()
  })

  it('the vendor portal loads, hydrates and autosaves without a violation', async () => {
    expect(vendorToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const context = await browser.newContext()
    const page = await context.newPage()
    const problems = watch(page)
    for (const path of [`/v/${vendorToken}`, `/v/${vendorToken}/questionnaire`, `/v/${vendorToken}/submit`]) await visit(page, path)
    expect(problems).toEqual([])
    await context.close()
  })
})

describe('redirect after sign-in', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`stays on the app for a crafted redirectTo (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context: BrowserContext = await browser.newContext({ javaScriptEnabled })
      const page = await context.newPage()
      for (const redirectTo of ['/\t/evil.example', '/\\evil.example', '//evil.example', '/.//evil.example']) {
        await context.clearCookies()
        await page.goto(`${app.url}/login?${new URLSearchParams({ redirectTo })}`)
        await page.locator('input[name="email"]').fill('procurement@clausewise.local')
        await page.locator('input[name="password"]').fill(DEMO_PASSWORD)
        await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.locator('button[type="submit"]').last().click()])
        expect(new URL(page.url()).origin).toBe(app.url)
      }
      await context.close()
    })
  }
})
