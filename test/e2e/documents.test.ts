// Vendor documents in headless Chromium against the built app: the vendor's Documents tab lists
// every document of every assessment with its validity (valid, expiring in N days, expired) and
// downloads it; on the vendor's evidence step, in Chinese, a certificate without an expiry day is
// refused with the field message, and last year's still-valid AoC is offered and reused.
import { mkdirSync } from 'node:fs'
import { addDays } from 'date-fns'
import mongoose from 'mongoose'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { VendorModel } from '~models/vendor'
import { newAccessToken } from '~/modules/assessments/tokens.server'
import { storeEvidence } from '~/modules/evidence/evidence.server'
import { dayIn } from '~/modules/dates/dates'
import { DEMO_PASSWORD, startApp, type RunningApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'

const SHOTS = '/tmp/documents'
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')
// Days as the app counts them: in the institution's zone (the app's default), not this machine's.
const day = (days: number) => dayIn(addDays(new Date(), days), 'Asia/Shanghai')
let app: RunningApp
let browser: Browser
let vendorId = ''
let token = ''
const fileIds: Record<string, string> = {}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  app = await startApp('documents', { INSTITUTION_NAME: '示例银行' })
  browser = await launchBrowser()
  await mongoose.connect(app.databaseUri)
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': '恒信支付科技有限公司', en: 'Hengxin Payment Technology Co., Ltd.' },
    category: 'payment_platform',
    status: 'active',
    contacts: [{ name: '陈静', email: 'chen.jing@hengxin.test', locale: 'zh-CN' }],
    dataProfile: { piCategories: ['identity', 'transactions'], sensitivity: 'C2', recordCount: 50000 },
    tier: { computed: 2 },
    effectiveTier: 2,
  })
  vendorId = String(vendor._id)
  // Last year's signed-off assessment with three documents.
  const earlier = await AssessmentModel.create({
    vendorId: vendor._id,
    status: 'completed',
    vendorSnapshot: { legalName: vendor.legalName },
    questionnaires: [{ id: 'payment-supplement', version: 1 }],
    dueAt: addDays(new Date(), -300),
    createdAt: addDays(new Date(), -330),
  })
  const documents = [
    { questionId: 'PAY-01', name: 'pci-aoc-2026.pdf', kind: 'pci_dss_aoc', issuedOn: day(-340), expiresOn: day(20) },
    { questionId: 'PAY-07', name: 'iso27001.pdf', kind: 'iso27001_certificate', issuedOn: day(-200), expiresOn: day(900) },
    { questionId: 'PAY-02', name: 'pentest-2025.pdf', kind: 'pentest_report', issuedOn: day(-400), expiresOn: day(-35) },
  ]
  const answers: Record<string, unknown> = {}
  for (const document of documents) {
    const stored = await storeEvidence({ bytes: PDF, filename: document.name, contentType: 'application/pdf', extension: 'pdf', metadata: { assessmentId: String(earlier._id), questionId: document.questionId } })
    fileIds[document.name] = stored.fileId
    answers[document.questionId] = { value: null, evidence: [{ ...stored, kind: document.kind, issuedOn: document.issuedOn, expiresOn: document.expiresOn }], rev: 1, updatedAt: new Date() }
  }
  await AssessmentModel.updateOne({ _id: earlier._id }, { $set: { answers } })
  // This year's assessment, sent to the vendor.
  const link = newAccessToken()
  token = link.token
  await AssessmentModel.create({
    vendorId: vendor._id,
    status: 'in_progress',
    vendorSnapshot: { legalName: vendor.legalName },
    questionnaires: [{ id: 'payment-supplement', version: 1 }],
    dueAt: addDays(new Date(), 20),
    invitations: [{ name: '陈静', email: 'chen.jing@hengxin.test', locale: 'zh-CN', tokenHash: link.tokenHash, expiresAt: addDays(new Date(), 40) }],
  })
}, 120_000)

afterAll(async () => {
  await mongoose.disconnect()
  await browser?.close()
  await app?.stop()
})

describe('vendor documents', () => {
  it('the Documents tab lists each document with its validity and downloads it', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/vendors/${vendorId}/documents?lng=en`)
    await page.getByTestId('vendor-documents').waitFor()
    const rows = page.getByTestId('document-row')
    await expect.poll(() => rows.count()).toBe(3)
    const validity = await rows.evaluateAll((elements) => elements.map((element) => `${element.querySelector('a')!.textContent} ${element.getAttribute('data-validity')} ${element.querySelectorAll('td')[4]!.textContent}`))
    expect(validity.sort()).toEqual(['iso27001.pdf valid Valid', 'pci-aoc-2026.pdf expiring Expires in 20 days', 'pentest-2025.pdf expired Expired'])
    expect(await page.getByTestId('document-counts').textContent()).toBe('1 valid · 1 expiring soon · 1 expired')
    expect(await page.getByRole('link', { name: 'Documents' }).getAttribute('aria-current')).toBe('page')
    await page.screenshot({ path: `${SHOTS}/documents-tab.png`, fullPage: true })
    const href = await page.getByRole('link', { name: 'pci-aoc-2026.pdf' }).getAttribute('href')
    const download = await page.request.get(`${app.url}${href}`)
    expect(download.status()).toBe(200)
    expect(download.headers()['content-disposition']).toContain('attachment')
    expect((await download.body()).subarray(0, 8).toString()).toBe('%PDF-1.4')
    await context.close()
  })

  it('the vendor, in Chinese, is refused a certificate without expiry and reuses last year\'s AoC', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 1000 } })
    const page = await context.newPage()
    await page.goto(`${app.url}/v/${token}/questionnaire?lng=zh-CN#pci-attestation`)
    const box = page.getByTestId('document-upload-PAY-01')
    await box.waitFor()
    // Only the still-valid documents are offered (the pentest report has expired); the vendor sees no other assessment's id.
    const options = await page.getByTestId('reuse-select-PAY-01').locator('option').allTextContents()
    expect(options.slice(1).map((text) => text.split(' · ')[1]).sort()).toEqual(['iso27001.pdf', 'pci-aoc-2026.pdf'])
    const html = await page.content()
    expect(html).not.toContain(fileIds['pentest-2025.pdf'])
    // A certificate without an expiry day: the field says so, nothing is uploaded.
    await box.locator('select[name="kind"]').selectOption('iso27001_certificate')
    await page.getByTestId('upload-PAY-01').setInputFiles({ name: 'iso.pdf', mimeType: 'application/pdf', buffer: PDF })
    await expect.poll(() => box.getByText('请填写该证书或 AoC 的到期日。').count()).toBe(1)
    await page.screenshot({ path: `${SHOTS}/evidence-step.png`, fullPage: true })
    // Reuse last year's AoC: attached, and no longer offered.
    await page.getByTestId('reuse-select-PAY-01').selectOption(fileIds['pci-aoc-2026.pdf']!)
    await page.getByTestId('reuse-attach-PAY-01').click()
    await expect.poll(() => page.locator('[data-question="PAY-01"] [data-testid="evidence-file"]').allTextContents()).toEqual(['pci-aoc-2026.pdf'])
    expect(await page.getByTestId('reuse-select-PAY-01').locator('option').count()).toBe(2)
    await page.screenshot({ path: `${SHOTS}/evidence-step-reused.png`, fullPage: true })
    // One stored file, now read through both assessments.
    const download = await page.request.get(`${app.url}/v/${token}/evidence/${fileIds['pci-aoc-2026.pdf']}`)
    expect(download.status()).toBe(200)
    expect(await mongoose.connection.db!.collection('evidence.files').countDocuments({ filename: /pci-aoc-2026/ })).toBe(1)
    await context.close()
  })
})
