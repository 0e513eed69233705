// The journey as a new user walks it, in both languages: the small things that make a page lie or
// lose you — language switches that keep your place, server errors brought into view, fields that
// do not complain before anyone typed, no hydration error when the browser is in another zone, a
// menu on one line at 1366 px, a favicon.
import mongoose from 'mongoose'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'

let app: RunningApp
let browser: Browser
let db: mongoose.Connection

beforeAll(async () => {
  app = await startApp('journey')
  browser = await launchBrowser()
  db = await mongoose.createConnection(app.databaseUri).asPromise()
})

afterAll(async () => {
  await db?.close()
  await browser?.close()
  await app?.stop()
})

async function staffPage(email: string, password: string, options: { locale?: string; timezoneId?: string; width?: number } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: options.locale ?? 'en-US', timezoneId: options.timezoneId, viewport: { width: options.width ?? 1366, height: 768 } })
  const page = await context.newPage()
  await signIn(page, app.url, email, password)
  return page
}

async function switchLanguage(page: Page, { withoutScrolling = false } = {}) {
  const before = await page.locator('html').getAttribute('lang')
  // Playwright's click scrolls the button into view first; a keyboard user far down the page does not.
  if (withoutScrolling) await page.getByTestId('language-switch').evaluate((button) => (button as HTMLButtonElement).click())
  else await page.getByTestId('language-switch').click()
  await page.waitForFunction((lang) => document.documentElement.lang !== lang, before)
  await page.waitForLoadState('networkidle')
}

/** The vendor link of the seeded assessment in this status, from the e-mail that carried it. */
async function vendorToken(status: string): Promise<string> {
  const assessment = await db.collection('assessments').findOne({ status })
  const mails = await db.collection('mail_messages').find({ 'related.id': String(assessment!._id) }).sort({ createdAt: -1 }).toArray()
  for (const mail of mails) {
    const match = /\/v\/([A-Za-z0-9_-]{43})/.exec(String(mail.text))
    if (match) return match[1]!
  }
  throw new Error(`no vendor link for the ${status} assessment`)
}

describe('the journey in the browser', () => {
  it('serves a real /favicon.ico', async () => {
    const response = await fetch(`${app.url}/favicon.ico`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/icon/)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 4)]).toEqual([0, 0, 1, 0]) // the ICO signature
  })

  it('keeps the questionnaire on its section when the vendor switches language', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1366, height: 768 } })
    const page = await context.newPage()
    await page.goto(`${app.url}/v/${await vendorToken('in_progress')}/questionnaire`)
    await page.waitForLoadState('networkidle')
    await page.getByTestId('section-nav').locator('button').nth(2).click()
    const hash = await page.evaluate(() => window.location.hash)
    expect(hash).not.toBe('')
    expect(await page.locator('#section-title').textContent()).toMatch(/^3\./)
    await switchLanguage(page)
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await page.evaluate(() => window.location.hash)).toBe(hash)
    expect(await page.locator('#section-title').textContent()).toMatch(/^3\./)
    await context.close()
  })

  it('keeps the review page where the reader was when switching language', async () => {
    const page = await staffPage('compliance@clausewise.local', DEMO_PASSWORD)
    const assessment = await db.collection('assessments').findOne({ status: 'under_review' })
    await page.goto(`${app.url}/assessments/${String(assessment!._id)}/review`)
    await page.waitForLoadState('networkidle')
    await page.evaluate(() => window.scrollTo(0, 2500))
    const before = await page.evaluate(() => window.scrollY)
    expect(before).toBeGreaterThan(2000)
    await switchLanguage(page, { withoutScrolling: true })
    const after = await page.evaluate(() => window.scrollY)
    expect(Math.abs(after - before)).toBeLessThan(400) // the other language's text is a little taller or shorter
    await page.context().close()
  })

  it('brings a server-side error into view: a duplicate contract reference scrolls to and focuses the field', async () => {
    const page = await staffPage('procurement@clausewise.local', DEMO_PASSWORD)
    const existing = await db.collection('contracts').findOne({})
    const vendor = await db.collection('vendors').findOne({ _id: { $ne: existing!.vendorId }, status: 'active' })
    await page.goto(`${app.url}/vendors/${String(vendor!._id)}/contracts/new`)
    await page.getByTestId('clause-picker').locator('input[type="checkbox"]').first().waitFor()
    await page.waitForLoadState('networkidle')
    await page.locator('input[name="reference"]').fill(String(existing!.reference)) // only the server knows it is taken
    await page.locator('input[name="effectiveAt"]').fill('2025-01-01')
    const submit = page.locator('form button[type="submit"]').last()
    await submit.scrollIntoViewIfNeeded()
    await submit.click()
    await page.waitForSelector('input[name="reference"][aria-invalid="true"]')
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.name === 'reference')
    const inView = await page.locator('input[name="reference"]').evaluate((input) => {
      const box = input.getBoundingClientRect()
      return box.top >= 0 && box.bottom <= window.innerHeight
    })
    expect(inView).toBe(true)
    await page.context().close()
  })

  it('shows no "required" on a contact row nobody has touched, and asks for digits for a count in words', async () => {
    const page = await staffPage('procurement@clausewise.local', DEMO_PASSWORD, { locale: 'zh-CN' })
    await page.goto(`${app.url}/vendors/new`)
    await page.waitForLoadState('networkidle')
    if ((await page.locator('html').getAttribute('lang')) !== 'zh-CN') await switchLanguage(page)
    const required = page.getByText('此项为必填项。')
    // Touch and leave one field so react-hook-form validates, then add two contact rows.
    await page.locator('input[name="dataProfile.recordCount"]').fill('两百万')
    await page.locator('input[name="dataProfile.recordCount"]').blur()
    await expect(page.getByText('请用阿拉伯数字填写记录数，例如 2000000').count()).resolves.toBe(1)
    const before = await required.count()
    await page.getByRole('button', { name: '添加联系人' }).click()
    await page.getByRole('button', { name: '添加联系人' }).click()
    await page.waitForTimeout(300) // the array's validation runs asynchronously
    expect(await required.count()).toBe(before)
    await page.context().close()
  })

  it('renders Admin → Outbox without a hydration error for a browser in another time zone', async () => {
    const page = await staffPage(TEST_ADMIN.email, TEST_ADMIN.password, { timezoneId: 'America/New_York' })
    const errors: string[] = []
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    page.on('pageerror', (error) => errors.push(String(error)))
    await page.goto(`${app.url}/admin/outbox`)
    await page.waitForLoadState('networkidle')
    await page.getByTestId('outbox').waitFor()
    expect(errors).toEqual([])
    const created = await page.locator('[data-testid="outbox"] time').first().getAttribute('datetime')
    const shown = await page.locator('[data-testid="outbox"] time').first().textContent()
    const expected = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(created!))
    expect(shown).toBe(expected)
    await page.context().close()
  })

  it('keeps the staff menu on one line at 1366 px in both languages', async () => {
    const page = await staffPage(TEST_ADMIN.email, TEST_ADMIN.password)
    for (let round = 0; round < 2; round++) {
      await page.goto(`${app.url}/admin/outbox`)
      await page.waitForLoadState('networkidle')
      // The menu entries on view (the administration pages sit in one closed drop-down entry).
      const tops = await page.locator('header nav > a, header nav > details > summary').evaluateAll((links) => links.map((link) => Math.round(link.getBoundingClientRect().top)))
      expect(tops.length).toBeGreaterThan(5)
      expect(new Set(tops).size, `menu rows in ${await page.locator('html').getAttribute('lang')}`).toBe(1)
      const heights = await page.locator('header nav > a, header nav > details > summary').evaluateAll((links) => links.map((link) => Math.round(link.getBoundingClientRect().height)))
      expect(Math.max(...heights)).toBeLessThan(45) // no label broken over two lines
      await switchLanguage(page)
    }
    await page.context().close()
  })
})
