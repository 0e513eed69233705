// Offboarding in headless Chromium, in Chinese, against the built app with a real SMTP server on
// loopback: procurement starts it (the open assessment is cancelled), the vendor answers through
// the e-mailed link with a certificate, compliance accepts, and the vendor is offboarded and
// read-only. Also: the demo's two offboardings and the admin's retention pages.
import { mkdirSync } from 'node:fs'
import mongoose from 'mongoose'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { OffboardingModel } from '~models/offboarding'
import { VendorModel } from '~models/vendor'
import { newAccessToken } from '~/modules/assessments/tokens.server'
import { DEMO_PASSWORD, freePort, type RunningApp, startApp, TEST_ADMIN } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'
import { startControlledSmtp, type SmtpControls } from '../support/smtp'

const SHOTS = '/tmp/offboarding'
let app: RunningApp
let browser: Browser
let smtp: SmtpControls
let vendorId = ''
let assessmentToken = ''

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  smtp = await startControlledSmtp()
  const appPort = await freePort()
  app = await startApp('offboarding', {
    SMTP_URL: smtp.url,
    INSTITUTION_NAME: '示例银行',
    PORT: String(appPort),
    APP_URL: `http://127.0.0.1:${appPort}`,
  })
  browser = await launchBrowser()
  await mongoose.connect(app.databaseUri)
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': '远航数据服务有限公司', en: 'Yuanhang Data Services Co., Ltd.' },
    category: 'cloud_it',
    status: 'active',
    contacts: [
      { name: '周敏', email: 'zhou.min@yuanhang.test', locale: 'zh-CN', title: '数据保护官' },
      { name: 'Grace Lee', email: 'grace.lee@yuanhang.test', locale: 'en' },
    ],
    dataProfile: { piCategories: ['identity', 'transactions'], sensitivity: 'C2', recordCount: 80000 },
    tier: { computed: 2 },
    effectiveTier: 2,
  })
  vendorId = vendor._id.toString()
  // An assessment in progress, with a working link, that offboarding must close.
  const { token, tokenHash } = newAccessToken()
  assessmentToken = token
  await AssessmentModel.create({
    vendorId: vendor._id,
    status: 'in_progress',
    vendorSnapshot: { legalName: vendor.legalName },
    questionnaires: [{ id: 'baseline', version: 1 }],
    dueAt: new Date(Date.now() + 20 * 86_400_000),
    invitations: [{ name: '周敏', email: 'zhou.min@yuanhang.test', tokenHash, expiresAt: new Date(Date.now() + 40 * 86_400_000) }],
  })
})

afterAll(async () => {
  await mongoose.disconnect()
  await browser?.close()
  await app?.stop()
  await smtp?.close()
})

/** The quoted-printable body, unwrapped enough to find the link. */
function offboardingLinkIn(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  const match = /https?:\/\/[^\s"<>]+\/o\/([A-Za-z0-9_-]{43})/.exec(unfolded)
  if (!match) throw new Error(`no link in mail:\n${raw.slice(0, 1500)}`)
  return match[0]
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

describe('offboarding in the browser, in Chinese', () => {
  it('procurement starts → the vendor uploads a certificate → compliance accepts → offboarded and read-only', async () => {
    const base = `${app.url}/vendors/${vendorId}/offboarding`
    // Procurement starts offboarding.
    const procurementContext = await browser.newContext({ locale: 'zh-CN' })
    const procurement = await procurementContext.newPage()
    await signIn(procurement, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await procurement.goto(`${base}?lng=zh-CN`)
    await expect.poll(() => procurement.getByRole('heading', { name: '发起退出' }).count()).toBe(1)
    // On the server: an impossible date is a 400 with the message in Chinese; compliance may not start.
    const http = httpClient(app.url)
    await http.signIn('procurement@clausewise.local', DEMO_PASSWORD)
    const impossible = await http.request(`/vendors/${vendorId}/offboarding?lng=zh-CN`, { method: 'POST', body: new URLSearchParams({ intent: 'start', reason: '测试', endDate: '2030-02-30' }) })
    expect(impossible.status).toBe(400)
    expect(await impossible.text()).toContain('请输入有效的日历日期（YYYY-MM-DD）。')
    const complianceHttp = httpClient(app.url)
    await complianceHttp.signIn('compliance@clausewise.local', DEMO_PASSWORD)
    const forbidden = await complianceHttp.request(`/vendors/${vendorId}/offboarding`, { method: 'POST', body: new URLSearchParams({ intent: 'start', reason: '测试', endDate: '2030-06-30' }) })
    expect(forbidden.status).toBe(403)
    expect(await OffboardingModel.countDocuments({ vendorId: new mongoose.Types.ObjectId(vendorId) })).toBe(0)
    await procurement.locator('textarea[name="reason"]').fill('数据服务合同到期，不再续签')
    await procurement.locator('input[name="endDate"]').fill('2030-06-30')
    await procurement.screenshot({ path: `${SHOTS}/1-start-zh.png`, fullPage: true })
    await procurement.getByRole('button', { name: '发起退出' }).click()
    await expect.poll(() => procurement.getByTestId('flash').getAttribute('data-flash')).toBe('offboardingStarted')
    await expect.poll(() => procurement.getByTestId('offboarding-page').getAttribute('data-status')).toBe('requested')
    expect(await procurement.getByTestId('offboarding-cancelled').textContent()).toBe('1')
    expect(await procurement.getByTestId('vendor-page').textContent()).toContain('退出中')
    await procurement.screenshot({ path: `${SHOTS}/2-requested-zh.png`, fullPage: true })

    // The assessment's link no longer opens the questionnaire.
    const closed = await procurement.goto(`${app.url}/v/${assessmentToken}`)
    expect(closed!.status()).toBe(403)

    // The Chinese contact's e-mail, with the link.
    await expect.poll(() => smtp.received.filter((mail) => mail.to.includes('zhou.min@yuanhang.test')).length, { timeout: 15_000 }).toBe(1)
    expect(smtp.received.filter((mail) => mail.to.includes('grace.lee@yuanhang.test'))).toHaveLength(1)
    const link = offboardingLinkIn(smtp.received.find((mail) => mail.to.includes('zhou.min@yuanhang.test'))!.raw)

    // A tampered link opens nothing.
    const vendorContext = await browser.newContext({ locale: 'zh-CN' })
    const vendor = await vendorContext.newPage()
    const tampered = link.slice(0, -1) + (link.endsWith('A') ? 'B' : 'A')
    expect((await vendor.goto(tampered))!.status()).toBe(401)
    expect(await vendor.getByTestId('link-problem').getAttribute('data-problem')).toBe('invalid')

    // The vendor answers through the link.
    await vendor.goto(link)
    await expect.poll(() => vendor.getByTestId('offboarding-request').count()).toBe(1)
    const page = await vendor.content()
    expect(page).toContain('客户数据的返还或删除')
    expect(page).toContain('合同终止后返还或删除')
    expect(page).not.toContain('数据服务合同到期') // the institution's internal reason is not shown to the vendor
    // Submitting without the confirmation is stopped with a Chinese message.
    await vendor.getByRole('button', { name: '提交' }).click()
    await expect.poll(() => vendor.getByText('请勾选确认后提交。').count()).toBe(1)
    await vendor.screenshot({ path: `${SHOTS}/3-vendor-errors-zh.png`, fullPage: true })
    for (const [category, disposal] of [['identity', 'deleted'], ['transactions', 'returned']] as const) {
      await vendor.locator(`select[name="categories.${category}.disposal"]`).selectOption(disposal)
      await vendor.locator(`input[name="categories.${category}.method"]`).fill(disposal === 'deleted' ? '安全擦除（NIST 800-88）' : '通过 SFTP 加密导出返还')
      await vendor.locator(`input[name="categories.${category}.date"]`).fill('2026-11-25')
    }
    // A file that is not a document is refused by its content, in Chinese.
    await vendor.locator('input[name="certificate"]').setInputFiles({ name: '删除证明.pdf', mimeType: 'application/pdf', buffer: Buffer.from('just text') })
    await vendor.locator('input[name="attestationTitle"]').fill('数据保护官')
    await vendor.locator('input[name="confirm"]').check()
    await vendor.getByRole('button', { name: '提交' }).click()
    await expect.poll(() => vendor.getByText('请上传 PDF、图片或办公文档。').count(), { timeout: 10_000 }).toBe(1)
    await vendor.locator('input[name="certificate"]').setInputFiles({ name: '删除证明.pdf', mimeType: 'application/pdf', buffer: PDF })
    await vendor.screenshot({ path: `${SHOTS}/4-vendor-form-zh.png`, fullPage: true })
    await vendor.getByRole('button', { name: '提交' }).click()
    await expect.poll(() => vendor.getByTestId('offboarding-done').getAttribute('data-status'), { timeout: 10_000 }).toBe('submitted')
    await vendor.screenshot({ path: `${SHOTS}/5-vendor-thanks-zh.png`, fullPage: true })
    // Procurement may not accept the answer: that is compliance's.
    const selfAccept = await http.request(`/vendors/${vendorId}/offboarding`, { method: 'POST', body: new URLSearchParams({ intent: 'review', decision: 'accept' }) })
    expect(selfAccept.status).toBe(403)

    // Compliance reviews and accepts.
    const complianceContext = await browser.newContext({ locale: 'zh-CN' })
    const compliance = await complianceContext.newPage()
    await signIn(compliance, app.url, 'compliance@clausewise.local', DEMO_PASSWORD)
    await compliance.goto(`${base}?lng=zh-CN`)
    await expect.poll(() => compliance.getByTestId('offboarding-response').count()).toBe(1)
    const response = await compliance.getByTestId('offboarding-response').textContent()
    expect(response).toContain('已删除')
    expect(response).toContain('已返还')
    expect(response).toContain('周敏, 数据保护官 (zhou.min@yuanhang.test)')
    const certificate = await compliance.request.get(`${base}/certificate`)
    expect(certificate.status()).toBe(200)
    expect(certificate.headers()['content-type']).toBe('application/pdf')
    expect((await certificate.body()).subarray(0, 5).toString()).toBe('%PDF-')
    await compliance.screenshot({ path: `${SHOTS}/6-review-zh.png`, fullPage: true })
    await compliance.locator('select[name="decision"]').selectOption('accept')
    await compliance.getByRole('button', { name: '记录决定' }).click()
    await expect.poll(() => compliance.getByTestId('flash').getAttribute('data-flash')).toBe('offboardingAccepted')
    await expect.poll(() => compliance.getByTestId('vendor-read-only').count()).toBe(1)
    expect(await compliance.getByTestId('offboarding-accepted').textContent()).toContain('5 年')
    await compliance.screenshot({ path: `${SHOTS}/7-offboarded-zh.png`, fullPage: true })

    // Offboarded and read-only: no edit buttons, and the server refuses edits with a 409 in Chinese.
    await procurement.goto(`${app.url}/vendors/${vendorId}?lng=zh-CN`)
    expect(await procurement.getByRole('link', { name: '编辑' }).count()).toBe(0)
    expect((await VendorModel.findById(vendorId).lean())!.status).toBe('offboarded')
    const edit = await http.request(`/vendors/${vendorId}/edit?lng=zh-CN`, { method: 'POST', body: new URLSearchParams({ version: '0', 'legalName.en': 'Renamed' }) })
    expect(edit.status).toBe(409)
    expect(await edit.text()).toContain('该合作机构已退出，为只读状态，不可修改。')
    // The vendor's link now says the request is closed.
    expect((await vendor.goto(link))!.status()).toBe(410)
    expect(await vendor.getByTestId('link-problem').getAttribute('data-problem')).toBe('withdrawn')
    await Promise.all([procurementContext.close(), vendorContext.close(), complianceContext.close()])
  })

  it('has one demo vendor in offboarding and one offboarded, and the retention pages for admins', async () => {
    // Only admins see or confirm the retention list.
    const procurementHttp = httpClient(app.url)
    await procurementHttp.signIn('procurement@clausewise.local', DEMO_PASSWORD)
    expect((await procurementHttp.request('/admin/retention')).status).toBe(403)
    const accepted = await OffboardingModel.findOne({ status: 'accepted' }, { _id: 1 }).lean()
    expect((await procurementHttp.request('/admin/retention', { method: 'POST', body: new URLSearchParams({ offboardingId: String(accepted!._id), confirm: 'on' }) })).status).toBe(403)
    const demo = await OffboardingModel.find({ vendorId: { $ne: new mongoose.Types.ObjectId(vendorId) } }, { status: 1 }).lean()
    expect(demo.map((entry) => entry.status).sort()).toEqual(['accepted', 'requested'])
    const context = await browser.newContext({ locale: 'zh-CN' })
    const admin = await context.newPage()
    await signIn(admin, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    await admin.goto(`${app.url}/admin/retention?lng=zh-CN`)
    expect(await admin.getByTestId('retention-row').count()).toBe(2)
    expect(await admin.content()).toContain('请以本机构的制度为准进行核实')
    await admin.screenshot({ path: `${SHOTS}/8-retention-zh.png`, fullPage: true })
    await admin.goto(`${app.url}/admin/settings?lng=zh-CN`)
    await admin.locator('input[name="retentionYears"]').fill('7')
    await Promise.all([admin.waitForURL(/saved=retention/), admin.getByRole('button', { name: '更新保存期限' }).click()])
    expect(await admin.locator('input[name="retentionYears"]').inputValue()).toBe('7')
    await admin.screenshot({ path: `${SHOTS}/9-settings-zh.png`, fullPage: true })
    const leaving = await OffboardingModel.findOne({ status: 'requested' }, { vendorId: 1 }).lean()
    await admin.goto(`${app.url}/vendors/${String(leaving!.vendorId)}/offboarding?lng=en`)
    await admin.screenshot({ path: `${SHOTS}/10-demo-requested-en.png`, fullPage: true })
    await context.close()
  })
})
