// The incident register in headless Chromium against the built app, in Chinese: procurement creates
// a contact's incident link on the vendor's Incidents tab, the vendor reports through it (with an
// attachment, without an account), staff see it with the contract's clock, the dashboard counts it,
// compliance downloads the PDF. Bad links get their own page; roles are checked on the server.
import { mkdirSync } from 'node:fs'
import mongoose from 'mongoose'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { IncidentModel } from '~models/incident'
import { DEMO_PASSWORD, startApp, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'

const SHOTS = '/tmp/incidents'
let app: RunningApp
let browser: Browser
let connection: mongoose.Connection

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  app = await startApp('incidents', { INSTITUTION_NAME: '示例银行 Example Bank' })
  browser = await launchBrowser()
  connection = await mongoose.createConnection(app.databaseUri).asPromise()
})

afterAll(async () => {
  await connection?.close()
  await browser?.close()
  await app?.stop()
})

describe('incidents', () => {
  it('a vendor reports through its standing link in Chinese, and staff see the clock, the tasks and the dashboard', async () => {
    const Incidents = connection.model('Incident', IncidentModel.schema, 'incidents')
    const demo = await Incidents.findOne({ 'notification.state': 'missed' }).lean()
    expect(demo).toBeTruthy()
    expect(await Incidents.countDocuments({ status: 'closed' })).toBe(1)
    const vendorId = String(demo!.vendorId)

    const staffContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 1000 } })
    const staff = await staffContext.newPage()
    await signIn(staff, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await staff.goto(`${app.url}/vendors/${vendorId}/incidents?lng=zh-CN`)
    await staff.waitForSelector('[data-testid="vendor-incidents"]')
    await expect(staff.getByRole('link', { name: '安全事件' }).first().isVisible()).resolves.toBe(true)
    await expect(staff.getByTestId('incident-row').count()).resolves.toBe(1)
    await staff.getByRole('button', { name: '生成链接' }).first().click()
    const url = (await staff.getByTestId('incident-link-url').textContent())!.trim()
    expect(url).toMatch(/\/i\/[A-Za-z0-9_-]{43}$/)
    await staff.screenshot({ path: `${SHOTS}/vendor-tab-zh.png`, fullPage: true })
    const token = url.split('/i/')[1]!

    // The vendor, without an account, in Chinese.
    const vendorContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1100, height: 1000 } })
    const vendor = await vendorContext.newPage()
    await vendor.goto(`${app.url}/i/${token}?lng=zh-CN`)
    await expect(vendor.locator('h1').first().textContent()).resolves.toBe('报告数据安全事件')
    // The form checks in the browser first: a short description is refused with a Chinese message.
    await vendor.getByLabel('事件概要（一句话）').fill('备份磁带丢失')
    await vendor.getByLabel('事件经过').fill('太短')
    await vendor.getByRole('button', { name: '提交报告' }).click()
    await vendor.waitForSelector('[role="alert"]')
    await vendor.getByLabel('事件经过').fill('运往灾备中心的一盒备份磁带在运输途中丢失，磁带已加密但密钥管理记录不完整。')
    const now = Date.now()
    const local = (ms: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(ms)).replace(' ', 'T')
    await vendor.getByLabel('事件发生时间').fill(local(now - 30 * 3_600_000))
    await vendor.getByLabel('合作机构发现时间').fill(local(now - 26 * 3_600_000)) // told 26 h after detection: missed
    await vendor.getByLabel('本机构获知时间').fill(local(now - 60_000))
    await vendor.getByLabel('身份信息（姓名、证件号码）').check().catch(async () => vendor.locator('input[name="piCategories"][value="identity"]').check())
    await vendor.locator('input[name="piCategories"][value="transactions"]').check()
    await vendor.getByLabel('涉及记录数').fill('120000')
    await vendor.getByLabel('涉及客户数').fill('80000')
    await vendor.locator('select[name="cause"]').selectOption('lost_device')
    await vendor.getByLabel('报告人姓名').fill('李娜')
    await vendor.locator('input[type="file"][name="attachments"]').setInputFiles({ name: '运输记录.png', mimeType: 'image/png', buffer: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex') })
    await vendor.screenshot({ path: `${SHOTS}/vendor-form-zh.png`, fullPage: true })
    await vendor.getByRole('button', { name: '提交报告' }).click()
    await vendor.waitForSelector('[data-testid="incident-sent"]')
    await expect(vendor.getByTestId('incident-sent').textContent()).resolves.toContain('感谢您的报告')
    await vendor.screenshot({ path: `${SHOTS}/vendor-sent-zh.png`, fullPage: true })

    const reported = await Incidents.findOne({ source: 'vendor_link' }).lean()
    expect(reported).toMatchObject({ vendorId: demo!.vendorId, status: 'reported', effectiveSeverity: 'high', notification: { state: 'missed' } })
    expect(reported!.attachments).toHaveLength(1)

    // Staff see it with the clock and the tasks.
    await staff.goto(`${app.url}/incidents/${reported!._id}?lng=zh-CN`)
    await staff.waitForSelector('[data-testid="incident-page"]')
    await expect(staff.getByTestId('notification-state').textContent()).resolves.toMatch(/^超出时限[12]小时\d*分钟$/)
    await expect(staff.getByTestId('incident-tasks').locator('li').count()).resolves.toBe(4)
    await staff.screenshot({ path: `${SHOTS}/incident-zh.png`, fullPage: true })
    await staff.goto(`${app.url}/?lng=zh-CN`)
    await expect(staff.getByTestId('figure-incidents').textContent()).resolves.toBe('2')
    // The demo's open incident has its regulator task overdue.
    await expect(staff.getByTestId('overdue-incident-tasks').textContent()).resolves.toContain('向监管部门报告')
    await staff.getByTestId('figure-incidents').scrollIntoViewIfNeeded()
    await staff.screenshot({ path: `${SHOTS}/dashboard-zh.png`, fullPage: true })

    // A tampered link and a revoked one get their own page.
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A')
    const response = await vendor.goto(`${app.url}/i/${tampered}`)
    expect(response!.status()).toBe(401)
    await expect(vendor.getByTestId('incident-link-problem').getAttribute('data-problem')).resolves.toBe('invalid')
    await staff.goto(`${app.url}/vendors/${vendorId}/incidents?lng=zh-CN`)
    await staff.getByRole('button', { name: '撤销' }).first().click()
    await staff.waitForSelector('text=链接已撤销。')
    const revoked = await vendor.goto(`${app.url}/i/${token}`)
    expect(revoked!.status()).toBe(403)
    await vendor.screenshot({ path: `${SHOTS}/vendor-revoked-zh.png` })
    await staffContext.close()
    await vendorContext.close()
  })

  it('checks the role on the server and serves the PDF to compliance', async () => {
    const incident = await connection.collection('incidents').findOne({ status: { $ne: 'closed' } })
    const viewer = httpClient(app.url)
    await viewer.signIn('viewer@clausewise.local', DEMO_PASSWORD)
    expect((await viewer.request('/incidents/new')).status).toBe(403)
    expect((await viewer.request(`/incidents/${incident!._id}`)).status).toBe(200)
    expect((await viewer.request(`/incidents/${incident!._id}/report`)).status).toBe(403)
    expect((await viewer.request(`/incidents/${incident!._id}`, { method: 'POST', body: new URLSearchParams({ intent: 'transition', to: 'triaged', version: '0' }) })).status).toBe(403)
    const compliance = httpClient(app.url)
    await compliance.signIn('compliance@clausewise.local', DEMO_PASSWORD)
    const pdf = await compliance.request(`/incidents/${incident!._id}/report?lang=zh-CN`)
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.headers.get('x-report-fingerprint')).toMatch(/^[0-9a-f]{64}$/)
    // Bad input is a 400 with field messages, not a 500.
    const bad = await compliance.request(`/incidents/${incident!._id}`, { method: 'POST', body: new URLSearchParams({ intent: 'severity', severity: 'high', justification: 'short', version: '0' }) })
    expect(bad.status).toBe(400)
  })
})
