// The library and the contract register in headless Chromium against the built app: compliance
// previews a questionnaire version in both languages; procurement records a contract from the
// vendor's category template with a signed PDF; roles and bad input over HTTP; broken content
// stops the server.
import { mkdirSync } from 'node:fs'
import mongoose from 'mongoose'
import PDFDocument from 'pdfkit'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContractModel } from '~models/contract'
import { VendorModel } from '~models/vendor'
import { loadLibrary, type Library } from '~/modules/library/library.server'
import { DEMO_PASSWORD, startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'

const SHOTS = '/tmp/library'
let app: RunningApp
let browser: Browser
let library: Library
let vendorId = ''

function pdfBytes(text: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const document = new PDFDocument()
    const chunks: Buffer[] = []
    document.on('data', (chunk: Buffer) => chunks.push(chunk))
    document.on('end', () => resolve(Buffer.concat(chunks)))
    document.text(text)
    document.end()
  })
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  library = loadLibrary()
  app = await startApp('library')
  browser = await launchBrowser()
  await mongoose.connect(app.databaseUri)
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': '快付支付科技有限公司', en: 'Quickpay Payment Technology Co., Ltd.' },
    category: 'payment_platform',
    status: 'active',
    tier: { computed: 1 },
    effectiveTier: 1,
  })
  vendorId = vendor._id.toString()
})

afterAll(async () => {
  await mongoose.disconnect()
  await browser?.close()
  await app?.stop()
})

describe('compliance previewing a questionnaire version', () => {
  it('lists every version and shows one in English, then in both languages', async () => {
    const baseline = library.latest.find((questionnaire) => questionnaire.kind === 'baseline')!
    const firstQuestion = baseline.sections[0]!.questions[0]!
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, 'compliance@clausewise.local', DEMO_PASSWORD) // the demo compliance officer reads English
    await page.goto(`${app.url}/library`)
    const rows = page.getByTestId('questionnaire-versions').locator('tbody tr')
    expect(await rows.count()).toBe(library.questionnaires.length)

    await page.getByRole('link', { name: `Preview ${baseline.id} version ${baseline.version}` }).click()
    await page.waitForURL(`**/library/${baseline.id}/${baseline.version}`)
    const preview = page.getByTestId('questionnaire-preview')
    expect(await preview.getAttribute('data-show')).toBe('en')
    expect(await page.locator('h1').textContent()).toContain(baseline.title.en)
    const questionCount = baseline.sections.reduce((sum, section) => sum + section.questions.length, 0)
    expect(await page.getByTestId('question').count()).toBe(questionCount)
    const first = page.locator(`li[id="${firstQuestion.id}"]`)
    expect(await first.textContent()).toContain(firstQuestion.text.en)
    expect(await first.textContent()).not.toContain(firstQuestion.text['zh-CN'])
    // Each option shows its effect on the clauses, linking to the clause library.
    const option = firstQuestion.options![0]!
    const effect = option.clauses[0]!
    expect(await first.getByRole('link', { name: new RegExp(effect.clause) }).first().getAttribute('href')).toBe(`/library/clauses#${effect.clause}`)
    // Conditions and evidence rules are spelled out.
    const conditional = baseline.sections.flatMap((section) => section.questions).find((question) => question.showWhen)
    if (conditional) expect(await page.locator(`li[id="${conditional.id}"]`).getByTestId('condition').textContent()).toContain(`Shown only when ${conditional.showWhen!.question} is answered`)
    await page.screenshot({ path: `${SHOTS}/e2e-preview-en.png` })

    await page.getByTestId('show-language').getByRole('link', { name: 'Both' }).click()
    await page.locator('[data-testid="questionnaire-preview"][data-show="both"]').waitFor()
    expect(await first.locator('[lang="zh-CN"]').first().textContent()).toBe(firstQuestion.text['zh-CN'])
    expect(await first.locator('[lang="en"]').first().textContent()).toBe(firstQuestion.text.en)
    await page.screenshot({ path: `${SHOTS}/e2e-preview-both.png` })

    await page.goto(`${app.url}/library/${baseline.id}/${baseline.version + 1000}`)
    expect(await page.getByTestId('error-page').getAttribute('data-status')).toBe('404')
    await context.close()
  })

  it('shows every clause with the questions bearing on it', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' })
    const page = await context.newPage()
    await signIn(page, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    await page.goto(`${app.url}/library/clauses?lng=zh-CN`)
    expect(await page.getByTestId('clause').count()).toBe(library.clauseLibrary.clauses.length)
    const clause = library.clauseLibrary.clauses[0]!
    const card = page.locator(`li[id="${clause.id}"]`)
    expect(await card.locator('h2').textContent()).toContain(clause.title['zh-CN'])
    expect(await card.getByTestId('bearings').locator('li').count()).toBe(library.bearings.get(clause.id)!.length)
    await page.goto(`${app.url}/library/clauses?severity=critical`)
    expect(await page.getByTestId('clause').count()).toBe(library.clauseLibrary.clauses.filter((c) => c.severity === 'critical').length)
    await context.close()
  })
})

describe('procurement recording a contract', () => {
  it('creates it from the vendor category template, with the signed PDF, and it is in force', async () => {
    const template = library.templates.find((candidate) => candidate.category === 'payment_platform')!
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/vendors/${vendorId}/contracts`)
    await page.getByRole('link', { name: '新增合同' }).click()
    await page.waitForURL(`**/vendors/${vendorId}/contracts/new`)

    // Prefilled from the template: exactly its clauses are ticked. (The route renders in a transition
    // after the URL changes, so wait for the picker itself.)
    await page.getByTestId('clause-picker').locator('input[type="checkbox"]').first().waitFor()
    const ticked = await page.getByTestId('clause-picker').locator('input[type="checkbox"]:checked').evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).value))
    expect(ticked.sort()).toEqual([...template.clauses].sort())
    expect(await page.locator('input[name="title"]').inputValue()).toBe(template.title['zh-CN'])

    // Submitting without a reference is stopped in the browser.
    await page.getByRole('button', { name: '创建合同' }).click()
    expect(await page.locator('input[name="reference"]').getAttribute('aria-invalid')).toBe('true')

    await page.locator('input[name="reference"]').fill('HT-2025-E2E1')
    await page.locator('input[name="expiresAt"]').fill('2099-12-31')
    // One clause left out, one added beyond the template.
    const removed = template.clauses[0]!
    const added = library.clauseLibrary.clauses.find((clause) => !template.clauses.includes(clause.id))?.id
    await page.locator(`input[name="clauseIds"][value="${removed}"]`).uncheck()
    if (added) await page.locator(`input[name="clauseIds"][value="${added}"]`).check()
    await page.locator('input[name="signedCopy"]').setInputFiles({ name: '快付支付合同.pdf', mimeType: 'application/pdf', buffer: await pdfBytes('HT-2025-E2E1 signed') })
    await page.screenshot({ path: `${SHOTS}/e2e-contract-form-zh.png`, fullPage: true })
    await page.getByRole('button', { name: '创建合同' }).click()
    await page.waitForURL(/\/contracts\/[0-9a-f]{24}$/)

    expect(await page.getByTestId('contract-reference').textContent()).toBe('HT-2025-E2E1')
    const expected = [...template.clauses.filter((id) => id !== removed), ...(added ? [added] : [])]
    expect(await page.getByTestId('contract-clauses').locator('li').count()).toBe(expected.length)
    const stored = await ContractModel.findOne({ reference: 'HT-2025-E2E1' }).lean()
    expect(stored!.clauseIds.sort()).toEqual(expected.sort())
    expect(stored!.templateCategory).toBe('payment_platform')
    expect(stored!.status).toBe('active')

    const download = await page.request.get(`${app.url}${await page.getByTestId('signed-copy-link').getAttribute('href')}`)
    expect(download.status()).toBe(200)
    expect(download.headers()['content-type']).toBe('application/pdf')
    expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-')
    await page.screenshot({ path: `${SHOTS}/e2e-contract-detail-zh.png`, fullPage: true })

    await page.getByRole('link', { name: '该合作机构的全部合同' }).click()
    await page.waitForURL(`**/vendors/${vendorId}/contracts`)
    expect(await page.getByTestId('current-contract').textContent()).toContain('HT-2025-E2E1')
    await context.close()
  })

  it('edits it in English and keeps the change in its history', async () => {
    const contract = (await ContractModel.findOne({ reference: 'HT-2025-E2E1' }).lean())!
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/vendors/${vendorId}/contracts/${contract._id}/edit?lng=en`)
    await page.locator('select[name="status"]').selectOption('terminated')
    await page.locator('textarea[name="note"]').fill('Vendor exited the market')
    await page.screenshot({ path: `${SHOTS}/e2e-contract-edit-en.png`, fullPage: true })
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.waitForURL(/\/contracts\/[0-9a-f]{24}$/)
    const history = await page.getByTestId('contract-history').textContent()
    expect(history).toContain('Status: Active (signed) → Terminated')
    expect(history).toContain('Vendor exited the market')
    await context.close()
  })
})

describe('contracts over HTTP', () => {
  const accounts = {
    admin: TEST_ADMIN,
    procurement: { email: 'procurement@clausewise.local', password: DEMO_PASSWORD },
    compliance: { email: 'compliance@clausewise.local', password: DEMO_PASSWORD },
    viewer: { email: 'viewer@clausewise.local', password: DEMO_PASSWORD },
  }

  it('lets every role read contracts, only admin and procurement write, and keeps the library from viewers', async () => {
    const expectations: [string, Record<keyof typeof accounts, number>][] = [
      [`/vendors/${vendorId}/contracts`, { admin: 200, procurement: 200, compliance: 200, viewer: 200 }],
      [`/vendors/${vendorId}/contracts/new`, { admin: 200, procurement: 200, compliance: 403, viewer: 403 }],
      ['/library', { admin: 200, procurement: 200, compliance: 200, viewer: 403 }],
      ['/library/clauses', { admin: 200, procurement: 200, compliance: 200, viewer: 403 }],
    ]
    for (const [role, account] of Object.entries(accounts) as [keyof typeof accounts, { email: string; password: string }][]) {
      const client = httpClient(app.url)
      await client.signIn(account.email, account.password)
      for (const [path, statuses] of expectations) {
        expect({ role, path, status: (await client.request(path)).status }).toEqual({ role, path, status: statuses[role] })
      }
      const body = new URLSearchParams({ reference: `HT-${role}`, title: 'x', effectiveAt: '2025-01-01', status: 'active', clauseIds: library.clauseLibrary.clauses[0]!.id })
      const post = await client.request(`/vendors/${vendorId}/contracts/new`, { method: 'POST', body })
      expect({ role, status: post.status }).toEqual({ role, status: role === 'admin' || role === 'procurement' ? 302 : 403 })
    }
    expect(await ContractModel.countDocuments({ reference: { $in: ['HT-compliance', 'HT-viewer'] } })).toBe(0)
  })

  it('answers bad input and a file that is not a PDF with 400 and messages, writing nothing', async () => {
    const client = httpClient(app.url)
    await client.signIn(accounts.procurement.email, accounts.procurement.password)
    const before = await ContractModel.countDocuments()
    const bad = new URLSearchParams({ reference: '', title: 'x', effectiveAt: '2025-13-01', expiresAt: '2024-01-01', status: 'signed', clauseIds: 'NOPE' })
    const response = await client.request(`/vendors/${vendorId}/contracts/new?lng=en`, { method: 'POST', body: bad })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('This field is required.')
    expect(html).toContain('Enter a valid date.')

    const form = new FormData()
    for (const [name, value] of Object.entries({ reference: 'HT-NOT-PDF', title: 'x', effectiveAt: '2025-01-01', status: 'active', clauseIds: library.clauseLibrary.clauses[0]!.id })) form.append(name, value)
    form.append('signedCopy', new File(['<html>not a pdf</html>'], 'contract.pdf', { type: 'application/pdf' }))
    const upload = await client.request(`/vendors/${vendorId}/contracts/new?lng=en`, { method: 'POST', body: form })
    expect(upload.status).toBe(400)
    expect(await upload.text()).toContain('The signed copy must be a PDF file.')
    expect(await ContractModel.countDocuments()).toBe(before)
  })

  it('answers 404 for a contract of another vendor or an unknown one', async () => {
    const other = await VendorModel.create({ legalName: { 'zh-CN': '别家', en: 'Other Co.' }, category: 'other', tier: { computed: 4 }, effectiveTier: 4 })
    const contract = (await ContractModel.findOne({ reference: 'HT-2025-E2E1' }).lean())!
    const client = httpClient(app.url)
    await client.signIn(accounts.viewer.email, accounts.viewer.password)
    expect((await client.request(`/vendors/${other._id}/contracts/${contract._id}`)).status).toBe(404)
    expect((await client.request(`/vendors/${vendorId}/contracts/${contract._id}`)).status).toBe(200)
    expect((await client.request(`/vendors/${vendorId}/contracts/not-an-id`)).status).toBe(404)
  })
})

describe('the demo data', () => {
  it('gives every demo vendor a contract from its category template', async () => {
    const demoVendors = await VendorModel.find({ _id: { $nin: [new mongoose.Types.ObjectId(vendorId)] }, 'legalName.en': { $nin: ['Other Co.'] } }).lean()
    expect(demoVendors.length).toBeGreaterThan(0)
    for (const vendor of demoVendors) {
      const contract = await ContractModel.findOne({ vendorId: vendor._id }).sort({ createdAt: 1 }).lean()
      expect(contract?.templateCategory, String(vendor.legalName?.en)).toBe(vendor.category)
      expect([...contract!.clauseIds].sort()).toEqual([...library.templates.find((t) => t.category === vendor.category)!.clauses].sort())
    }
  })
})

describe('broken content', () => {
  it('stops the server with every problem named by file and path', async () => {
    const started = startApp('library_broken', { CLAUSEWISE_QUESTIONNAIRES_DIR: 'test/fixtures/questionnaires/broken' })
    const error = await started.then(
      (running) => running.stop().then(() => new Error('the server started')),
      (failure: Error) => failure,
    )
    expect(error.message).toMatch(/app exited with 1/)
    expect(error.message).toContain('baseline-v1.yaml: sections[1].questions[1].options[1].clauses[0]: unknown clause PRIV-EN')
    expect(error.message).toContain('contract-templates.yaml: templates[1].clauses[3]: unknown clause SEC-99')
  })
})
