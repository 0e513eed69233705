import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import mongoose from 'mongoose'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'
import { seedReportableAssessment } from '../integration/reports-support'

// The built app: PDF download by role, the verification page, the batch ZIP with its progress.

let app: RunningApp
let browser: Browser
let submitted: Awaited<ReturnType<typeof seedReportableAssessment>>
let completed: Awaited<ReturnType<typeof seedReportableAssessment>>
let draft: Awaited<ReturnType<typeof seedReportableAssessment>>
const shots = process.env.REPORTS_SCREENSHOTS // a directory to keep screenshots in, when looking at the pages by hand

const accounts = {
  admin: TEST_ADMIN,
  procurement: { email: 'procurement@clausewise.local', password: DEMO_PASSWORD },
  compliance: { email: 'compliance@clausewise.local', password: DEMO_PASSWORD },
  viewer: { email: 'viewer@clausewise.local', password: DEMO_PASSWORD },
}

async function client(role: keyof typeof accounts) {
  const http = httpClient(app.url)
  await http.signIn(accounts[role].email, accounts[role].password)
  return http
}

beforeAll(async () => {
  app = await startApp('reports')
  // Seed the app's database from here, through the same models the app uses.
  await mongoose.connect(app.databaseUri)
  submitted = await seedReportableAssessment({ status: 'submitted', nameZh: '沪上云付科技有限公司', nameEn: 'Hushang Cloud Pay Co., Ltd.' })
  completed = await seedReportableAssessment({ status: 'completed', nameZh: '东方数据服务有限公司', nameEn: 'Orient Data Services Ltd.' })
  draft = await seedReportableAssessment({ status: 'in_progress' })
  await mongoose.disconnect()
  browser = await launchBrowser()
  if (shots) mkdirSync(shots, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

describe('downloading a report', () => {
  it('is for compliance and admins only: others get 403, nobody signed in goes to sign-in', async () => {
    const path = `/assessments/${submitted.assessmentId}/report?lang=en`
    const anonymous = await httpClient(app.url).request(path)
    expect(anonymous.status).toBe(302)
    expect(anonymous.headers.get('location')).toContain('/login')
    for (const role of ['procurement', 'viewer'] as const) {
      const response = await (await client(role)).request(path)
      expect({ role, status: response.status }).toEqual({ role, status: 403 })
      expect(response.headers.get('content-type')).not.toContain('application/pdf')
    }
    for (const role of ['compliance', 'admin'] as const) {
      const response = await (await client(role)).request(path)
      expect({ role, status: response.status }).toEqual({ role, status: 200 })
      expect(response.headers.get('content-type')).toBe('application/pdf')
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="clausewise-report_hushang-cloud-pay-co-ltd_\d{4}-\d{2}-\d{2}_en\.pdf"; filename\*=UTF-8''/)
      const pdf = Buffer.from(await response.arrayBuffer())
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      const text = execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, '')
      expect(text).toContain('沪上云付科技有限公司')
      expect(text).toContain('HushangCloudPayCo.,Ltd.')
      expect(text).toContain(response.headers.get('x-report-fingerprint')!.slice(0, 16))
    }
  })

  it('refuses vendor links entirely', async () => {
    const vendor = httpClient(app.url)
    expect((await vendor.request(`/v/${submitted.token}`)).status).toBe(200) // the link works for the portal…
    const report = await vendor.request(`/assessments/${submitted.assessmentId}/report?lang=en&token=${submitted.token}`)
    expect(report.status).toBe(302) // …but is no key to the report
    expect(report.headers.get('location')).toContain('/login')
    expect((await vendor.request(`/v/${submitted.token}/report`)).status).toBe(404)
  })

  it('answers bad requests with 400, 404 and 409, never 500', async () => {
    const compliance = await client('compliance')
    expect((await compliance.request(`/assessments/${submitted.assessmentId}/report?lang=fr`)).status).toBe(400)
    expect((await compliance.request(`/assessments/665f1c2e9b1e8a0012345678/report?lang=en`)).status).toBe(404)
    expect((await compliance.request(`/assessments/nonsense/report?lang=en`)).status).toBe(404)
    expect((await compliance.request(`/assessments/${draft.assessmentId}/report?lang=en`)).status).toBe(409)
  })
})

describe('verifying a printed report', () => {
  it('accepts the fingerprint of an issued report and refuses a wrong one, in both languages', async () => {
    const download = await (await client('compliance')).request(`/assessments/${completed.assessmentId}/report?lang=zh-CN`)
    expect(download.status).toBe(200)
    const fingerprint = download.headers.get('x-report-fingerprint')!
    await download.arrayBuffer()

    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    await signIn(page, app.url, accounts.viewer.email, accounts.viewer.password) // any signed-in staff member
    await page.goto(`${app.url}/reports/verify`)
    // Typed as printed: groups of four, upper case.
    await page.locator('textarea[name="fingerprint"]').fill(fingerprint.toUpperCase().match(/.{4}/g)!.join(' '))
    await page.getByRole('button', { name: '核验' }).click()
    const result = page.getByTestId('verify-result')
    await expect(result.getAttribute('data-result')).resolves.toBe('genuine')
    const text = await result.textContent()
    expect(text).toContain('报告真实')
    expect(text).toContain('东方数据服务有限公司')
    expect(text).toContain('已完成')
    if (shots) await page.screenshot({ path: `${shots}/verify-genuine-zh.png`, fullPage: true })

    const wrong = (fingerprint[0] === 'a' ? 'b' : 'a') + fingerprint.slice(1)
    await page.goto(`${app.url}/reports/verify?lng=en&fingerprint=${wrong}`)
    await expect(page.getByTestId('verify-result').getAttribute('data-result')).resolves.toBe('unknown')
    expect(await page.getByTestId('verify-result').textContent()).toContain('No report with this fingerprint was issued')
    if (shots) await page.screenshot({ path: `${shots}/verify-unknown-en.png`, fullPage: true })

    const malformed = await page.goto(`${app.url}/reports/verify?fingerprint=12345`)
    expect(malformed?.status()).toBe(400)
    expect(await page.getByRole('alert').first().textContent()).toContain('64')
    await context.close()
  })
})

describe('verifying a printed report without an account', () => {
  it('opens /verify without signing in, by the short code or the QR link, and says "not found" for another code', async () => {
    const download = await (await client('compliance')).request(`/assessments/${completed.assessmentId}/report?lang=en`)
    const fingerprint = download.headers.get('x-report-fingerprint')!
    await download.arrayBuffer()
    const short = fingerprint.slice(0, 16).toUpperCase().match(/.{4}/g)!.join('-')

    const context = await browser.newContext({ locale: 'zh-CN' }) // nobody signed in
    const page = await context.newPage()
    await page.goto(`${app.url}/verify`)
    expect(page.url()).toBe(`${app.url}/verify`)
    await page.locator('input[name="code"]').fill(short)
    await page.getByRole('button', { name: '核验' }).click()
    const result = page.getByTestId('verify-result')
    await expect(result.getAttribute('data-result')).resolves.toBe('genuine')
    const text = await result.textContent()
    expect(text).toContain('东方数据服务有限公司')
    expect(text).not.toContain('Li Hegui') // who downloaded it is not shown
    if (shots) await page.screenshot({ path: `${shots}/public-verify-zh.png`, fullPage: true })
    // The QR code on the cover carries the full fingerprint.
    const qr = await page.goto(`${app.url}/verify?lng=en&code=${fingerprint}`)
    expect(qr?.status()).toBe(200)
    const wrong = await page.goto(`${app.url}/verify?lng=en&code=0000-0000-0000-0000`)
    expect(wrong?.status()).toBe(404)
    expect(await page.getByTestId('verify-result').textContent()).toContain('No report with this code was found')
    // The page stays out of reach of the staff pages: the assessment is not linked.
    expect(await page.locator(`a[href*="/assessments/"]`).count()).toBe(0)
    await context.close()
  })
})

describe('batch download', () => {
  it('builds a ZIP of the filtered reports with a progress indicator', async () => {
    const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true })
    const page = await context.newPage()
    await signIn(page, app.url, accounts.compliance.email, accounts.compliance.password)
    await page.goto(`${app.url}/reports/batch?lng=en&status=all&lang=en`)
    const count = Number(await page.getByTestId('batch-count').getAttribute('data-count'))
    expect(count).toBeGreaterThanOrEqual(2) // ours, and any the demo data has
    if (shots) await page.screenshot({ path: `${shots}/batch-en.png`, fullPage: true })

    await page.getByTestId('batch-create').getByRole('button').click()
    const progress = page.getByTestId('batch-progress')
    await progress.waitFor()
    expect(await page.getByRole('progressbar').getAttribute('aria-valuemax')).toBe(String(count))
    await page.waitForSelector('[data-testid="batch-progress"][data-state="done"]', { timeout: 60_000 })
    expect(await page.getByTestId('batch-progress-text').textContent()).toBe(`${count} of ${count} reports generated`)
    if (shots) await page.screenshot({ path: `${shots}/batch-done-en.png`, fullPage: true })

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-download').click()])
    expect(download.suggestedFilename()).toMatch(/^clausewise-reports_\d{4}-\d{2}-\d{2}_en_\d+\.zip$/)
    await context.close()
  })

  it('is refused to roles without the report permission', async () => {
    for (const role of ['procurement', 'viewer'] as const) {
      const http = await client(role)
      expect((await http.request('/reports/batch')).status).toBe(403)
      expect((await http.request('/reports/batch', { method: 'POST', body: new URLSearchParams({ status: 'all', lang: 'en' }) })).status).toBe(403)
    }
  })

  it('looks right on a phone, in Chinese', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await signIn(page, app.url, accounts.compliance.email, accounts.compliance.password)
    await page.goto(`${app.url}/reports/batch?lng=zh-CN`)
    expect(await page.locator('h1').textContent()).toBe('批量下载报告')
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    if (shots) await page.screenshot({ path: `${shots}/batch-phone-zh.png`, fullPage: true })
    await context.close()
  })
})
