// The procurement dashboard and the reassessment settings, in the built app and a real browser.
import { mkdirSync } from 'node:fs'
import mongoose, { Types } from 'mongoose'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'

const SHOTS = '/tmp/schedule'
const DAY = 86_400_000
let app: RunningApp
let browser: Browser
let connection: mongoose.Connection

const fixtureVendor = (name: string, fields: Record<string, unknown>) => ({
  _id: new Types.ObjectId(),
  legalName: { en: name, 'zh-CN': `${name}（测试）` },
  category: 'cloud_it',
  status: 'active',
  contacts: [{ _id: new Types.ObjectId(), name: 'Contact', email: `${name.replace(/\W/g, '').toLowerCase()}@vendor.test`, locale: 'en' }],
  tier: { computed: 2, reasons: [] },
  effectiveTier: 2,
  version: 0,
  ...fields,
})

beforeAll(async () => {
  app = await startApp('dashboard')
  browser = await launchBrowser()
  mkdirSync(SHOTS, { recursive: true })
  // Vendors in every figure, beside whatever the demo seeded.
  connection = await mongoose.createConnection(app.databaseUri).asPromise()
  const now = Date.now()
  const vendors = [
    fixtureVendor('E2E Overdue Ltd', { reassessment: { nextDueAt: new Date(now - 5 * DAY) }, effectiveTier: 1 }),
    fixtureVendor('E2E Soon Ltd', { reassessment: { nextDueAt: new Date(now + 10 * DAY) }, assessmentSummary: { lastAssessedAt: new Date(now - 200 * DAY), residualRisk: 'high' } }),
    fixtureVendor('E2E Later Ltd', { reassessment: { nextDueAt: new Date(now + 75 * DAY) }, assessmentSummary: { lastAssessedAt: new Date(now - 100 * DAY), residualRisk: 'low' }, effectiveTier: 3 }),
    fixtureVendor('E2E Lapsed Ltd', { assessmentSummary: { lastAssessedAt: new Date(now - 500 * DAY), residualRisk: 'critical' }, effectiveTier: 1 }),
  ]
  await connection.collection('vendors').insertMany(vendors)
  await connection.collection('contracts').insertOne({
    vendorId: vendors[1]!._id, reference: 'E2E-EXP-1', title: 'Agreement', effectiveAt: new Date(now - 300 * DAY), expiresAt: new Date(now + 20 * DAY), status: 'active', clauseIds: [], history: [], version: 0,
  })
}, 180_000)

afterAll(async () => {
  await connection?.close()
  await browser?.close()
  await app?.stop()
})

async function page(locale: 'en' | 'zh-CN', account = { email: 'procurement@clausewise.local', password: DEMO_PASSWORD }, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ locale: locale === 'en' ? 'en-US' : 'zh-CN', viewport })
  const tab = await context.newPage()
  await signIn(tab, app.url, account.email, account.password)
  // The language follows the user's choice; set it explicitly for the screenshots.
  await tab.goto(`${app.url}/?lng=${locale}`)
  return tab
}

const figure = async (tab: Page, key: string) => Number(await tab.getByTestId(`figure-${key}`).locator('span').nth(1).textContent())

describe('the dashboard', () => {
  it('shows every figure, and each number opens the list of the vendors behind it', async () => {
    const tab = await page('en')
    await expect(tab.getByTestId('dashboard').locator('h1').textContent()).resolves.toBe('Dashboard')
    for (const key of ['overdue', 'due30', 'due60', 'due90', 'inProgress', 'awaitingReview']) {
      const shown = await figure(tab, key)
      await tab.getByTestId(`figure-${key}`).click()
      await tab.waitForSelector('[data-testid="schedule-bucket"]')
      const subtitle = await tab.locator('[data-testid="schedule-bucket"] p').first().textContent()
      expect({ key, listed: Number(/\d+/.exec(subtitle ?? '')?.[0]) }).toEqual({ key, listed: shown })
      await tab.goBack()
      await tab.waitForSelector('[data-testid="dashboard"]')
    }
    expect(await figure(tab, 'overdue')).toBeGreaterThanOrEqual(1)
    expect(await figure(tab, 'due30')).toBeGreaterThanOrEqual(1)
    expect(await figure(tab, 'due90')).toBeGreaterThanOrEqual(await figure(tab, 'due60'))

    // The fixtures are where they belong.
    await tab.goto(`${app.url}/schedule/overdue`)
    expect(await tab.getByTestId('bucket-row').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('E2E Overdue Ltd')]))
    await tab.goto(`${app.url}/schedule/due-90`)
    const due90 = (await tab.getByTestId('bucket-row').allTextContents()).join('\n')
    expect(due90).toContain('E2E Soon Ltd')
    expect(due90).toContain('E2E Later Ltd')
    expect(due90).not.toContain('E2E Overdue Ltd')
    await tab.goto(`${app.url}/schedule/uncovered`)
    const uncovered = (await tab.getByTestId('bucket-row').allTextContents()).join('\n')
    expect(uncovered).toContain('E2E Lapsed Ltd')
    expect(uncovered).toContain('E2E Overdue Ltd')
    expect(uncovered).not.toContain('E2E Soon Ltd')
    await tab.goto(`${app.url}/schedule/risk?tier=1&risk=critical`)
    expect((await tab.getByTestId('bucket-row').allTextContents()).join('\n')).toContain('E2E Lapsed Ltd')
    await tab.goto(`${app.url}/schedule/contracts`)
    expect((await tab.getByTestId('bucket-row').allTextContents()).join('\n')).toContain('E2E-EXP-1')
    await tab.context().close()
  })

  it('shows coverage, the timeline and the risk chart, in both languages and on a phone', async () => {
    const en = await page('en')
    const coverage = await en.getByTestId('coverage-percent').textContent()
    expect(coverage).toMatch(/^\d+(\.\d)?%$/)
    expect(Number(coverage!.replace('%', ''))).toBeLessThan(100) // the lapsed and overdue fixtures break it
    expect(await en.getByTestId('uncovered').textContent()).toContain('E2E Lapsed Ltd')
    expect(await en.getByTestId('timeline').locator('li').first().textContent()).toBeTruthy()
    await en.waitForSelector('.recharts-surface')
    expect(await en.getByTestId('risk-table').textContent()).toContain('Very high') // the glossary's word for the top risk level
    await en.screenshot({ path: `${SHOTS}/dashboard-en.png`, fullPage: true })
    await en.context().close()

    const zh = await page('zh-CN')
    await expect(zh.getByTestId('dashboard').locator('h1').textContent()).resolves.toBe('工作台')
    expect(await zh.getByTestId('risk-table').textContent()).toContain('极高')
    await zh.waitForSelector('.recharts-surface')
    await zh.screenshot({ path: `${SHOTS}/dashboard-zh.png`, fullPage: true })
    await zh.context().close()

    const phone = await page('zh-CN', undefined, { width: 390, height: 844 })
    await phone.screenshot({ path: `${SHOTS}/dashboard-phone.png`, fullPage: true })
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await phone.context().close()
  })

  it('answers an unknown list with 404', async () => {
    const client = httpClient(app.url)
    await client.signIn('viewer@clausewise.local', DEMO_PASSWORD)
    expect((await client.request('/schedule/everything')).status).toBe(404)
    expect((await client.request('/schedule/month?month=2025-13')).status).toBe(404)
    expect((await client.request('/schedule/risk?tier=9&risk=low')).status).toBe(404)
    expect((await client.request('/schedule/overdue')).status).toBe(200)
  })
})

describe('the reassessment settings', () => {
  it('are for admins only', async () => {
    for (const email of ['procurement@clausewise.local', 'compliance@clausewise.local', 'viewer@clausewise.local']) {
      const client = httpClient(app.url)
      await client.signIn(email, DEMO_PASSWORD)
      expect({ email, status: (await client.request('/admin/settings')).status }).toEqual({ email, status: 403 })
      const post = await client.request('/admin/settings', { method: 'POST', body: new URLSearchParams({ defaultCadenceMonths: '1' }) })
      expect({ email, status: post.status }).toEqual({ email, status: 403 })
    }
  })

  it('refuse bad values with 400 and field messages, and save good ones', async () => {
    const admin = httpClient(app.url)
    await admin.signIn(TEST_ADMIN.email, TEST_ADMIN.password)
    const bad = new URLSearchParams({
      defaultCadenceMonths: '0', tier1: '24', tier2: '', tier3: '', tier4: '', issueAheadDays: '30', reminderOffsetsDays: '14, 7, 40',
      escalationEnabled: 'on', escalationEveryDays: '7', contractExpiryWarningDays: '60', version: '0',
    })
    const refused = await admin.request('/admin/settings?lng=en', { method: 'POST', body: bad })
    expect(refused.status).toBe(400)
    const html = await refused.text()
    expect(html).toContain('Reminders must fall after the questionnaire is issued (30 days before the due date).')
    expect(html).not.toMatch(/at .*\.(ts|js):\d+/)

    const tab = await page('en', TEST_ADMIN)
    await tab.goto(`${app.url}/admin/settings`)
    expect(await tab.getByTestId('time-zone').textContent()).toBe('Asia/Shanghai')
    await tab.getByLabel('Tier 1 (months)').fill('6')
    await tab.getByLabel('Remind the vendor this many days before the due date').fill('abc')
    await tab.getByRole('button', { name: 'Save settings' }).click()
    await expect(tab.getByText('Enter up to six whole numbers of days from 1 to 90, separated by commas, e.g. 14, 7, 1.').count()).resolves.toBe(1)
    await tab.getByLabel('Remind the vendor this many days before the due date').fill('21, 3')
    await Promise.all([tab.waitForURL(/saved=1/), tab.getByRole('button', { name: 'Save settings' }).click()])
    expect(await tab.getByTestId('settings-saved').textContent()).toBe('Settings saved.')
    expect(await tab.getByLabel('Tier 1 (months)').inputValue()).toBe('6')
    expect(await tab.getByLabel('Remind the vendor this many days before the due date').inputValue()).toBe('21, 3')
    await tab.screenshot({ path: `${SHOTS}/settings-en.png`, fullPage: true })

    // A second save from a stale page is refused instead of overwriting.
    const stale = await admin.request('/admin/settings', { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(bad), defaultCadenceMonths: '12', tier1: '', reminderOffsetsDays: '14' }) })
    expect(stale.status).toBe(409)
    await tab.context().close()

    const zh = await page('zh-CN', TEST_ADMIN)
    await zh.goto(`${app.url}/admin/settings`)
    await zh.screenshot({ path: `${SHOTS}/settings-zh.png`, fullPage: true })
    await zh.context().close()
  })
})
