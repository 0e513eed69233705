// The vendor's whole journey in headless Chromium, against the built app with a real SMTP server
// on loopback: invitation e-mail → landing → answers (autosaved, surviving a reload) → conditional
// question → evidence → conflict between two colleagues → submit (double click) → read-only.
import { mkdirSync } from 'node:fs'
import mongoose from 'mongoose'
import { VendorModel } from '~models/vendor'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadLibrary } from '~/modules/library/library.server'
import type { Question } from '~/modules/library/content-schema'
import type { AnswerValue } from '~/modules/assessments/vocabulary'
import { needsEvidence, progressOf, questionEntry, sectionsOf, visibleQuestions } from '~/modules/assessments/questions'
import { DEMO_PASSWORD, freePort, type RunningApp, startApp } from '../support/app-server'
import { httpClient, launchBrowser, signIn } from '../support/browser'
import { startControlledSmtp, type SmtpControls } from '../support/smtp'

const SHOTS = '/tmp/portal'
let app: RunningApp
let browser: Browser
let smtp: SmtpControls
let vendorId = ''

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  smtp = await startControlledSmtp()
  // The links in the e-mails use APP_URL, so the app gets a port known in advance.
  const appPort = await freePort()
  app = await startApp('portal', {
    SMTP_URL: smtp.url,
    INSTITUTION_NAME: '示例银行 Example Bank',
    PORT: String(appPort),
    APP_URL: `http://127.0.0.1:${appPort}`,
  })
  browser = await launchBrowser()
  // The vendor under assessment, written straight into the app's database (vendor pages are tested elsewhere).
  await mongoose.connect(app.databaseUri)
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': '云途支付科技有限公司', en: 'Yuntu Payment Technology Co., Ltd.' },
    category: 'payment_platform',
    contacts: [
      { name: '李娜', email: 'lina@yuntu-pay.test', locale: 'zh-CN', title: '信息安全经理' },
      { name: 'David Chen', email: 'david.chen@yuntu-pay.test', locale: 'en', title: 'DPO' },
    ],
    dataProfile: { piCategories: ['identity', 'transactions', 'account_auth'], sensitivity: 'C3', recordCount: 250000 },
    tier: { computed: 1 },
    effectiveTier: 1,
  })
  vendorId = vendor._id.toString()
})

afterAll(async () => {
  await mongoose.disconnect()
  await browser?.close()
  await app?.stop()
  await smtp?.close()
})

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n')

/** Mails that carry a questionnaire link (the start-up sweep may also send, e.g. document expiry reminders). */
const linkMails = () => smtp.received.filter((mail) => /\/v\/[A-Za-z0-9_-]{43}/.test(mail.raw.replace(/=\r?\n/g, '')))

/** The quoted-printable / soft-wrapped mail body, unwrapped enough to find the link. */
function linkIn(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  const match = /https?:\/\/[^\s"<>]+\/v\/([A-Za-z0-9_-]{43})/.exec(unfolded)
  if (!match) throw new Error(`no link in mail:\n${raw.slice(0, 2000)}`)
  return match[0]
}

async function startAssessmentAsProcurement(page: Page): Promise<{ assessmentId: string }> {
  await page.goto(`${app.url}/assessments/new?vendorId=${vendorId}`)
  if (new URL(page.url()).pathname === '/login') {
    await signIn(page, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    await page.goto(`${app.url}/assessments/new?vendorId=${vendorId}`)
  }
  // Keep the proposed defaults (baseline + payment supplement, every contact) and send.
  expect(await page.locator('input[name="contactIds"]:checked').count()).toBe(2)
  await page.screenshot({ path: `${SHOTS}/staff-new-assessment.png`, fullPage: true })
  await Promise.all([page.waitForURL(/\/assessments\/[a-f0-9]{24}$/), page.getByTestId('start-assessment').click()])
  return { assessmentId: page.url().split('/').pop()! }
}

function demoValue(question: Question): AnswerValue {
  switch (question.kind) {
    case 'yes_no_na':
    case 'single_choice':
      return question.options![0]!.id
    case 'multi_choice':
      return [question.options![0]!.id]
    case 'number':
      return Math.max(question.min ?? 0, 1)
    case 'date':
      return '2025-06-30'
    case 'file':
      return null
    default:
      return 'Answered by the test'
  }
}

describe('the vendor portal in the browser', () => {
  it('is a complete journey: e-mail, answers, reload, conditions, evidence, conflict, submit, read-only', async () => {
    const library = loadLibrary()
    const staffContext = await browser.newContext({ locale: 'zh-CN' })
    const staff = await staffContext.newPage()
    const { assessmentId } = await startAssessmentAsProcurement(staff)

    // The invitation arrived over SMTP, in each contact's language, with a working link.
    await expect.poll(() => linkMails().length, { timeout: 15_000 }).toBeGreaterThan(0)
    const mail = linkMails().at(-1)!
    const link = linkIn(mail.raw)
    expect(link.startsWith(`${app.url}/v/`)).toBe(true)
    const token = link.split('/v/')[1]!
    // In the contact's language: this one is for the English-speaking contact or the Chinese one.
    expect(mail.raw).toMatch(mail.to.some((to) => to.startsWith('david.chen')) ? /Open the questionnaire/ : /=E6=89=93=E5=BC=80=E9=97=AE=E5=8D=B7|打开问卷|5omT5byA6Zeu5Y23/)

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    const landing = await page.goto(link)
    expect(landing?.status()).toBe(200)
    await expect(page.getByTestId('vendor-landing').textContent()).resolves.toContain('示例银行 Example Bank')
    await page.screenshot({ path: `${SHOTS}/vendor-landing-zh-desktop.png`, fullPage: true })

    await page.getByTestId('open-questionnaire').click()
    await page.waitForURL(/\/questionnaire/)
    await page.waitForSelector('[data-question]')
    // Wait for hydration before typing (the save status is rendered by React in the browser).
    await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]') !== null)

    // The app pins the library's latest versions; the test reads the same content to know what to expect.
    const first = sectionsOf(library.latest)[0]!.section
    const conditional = first.questions.find((q) => q.showWhen && first.questions.some((c) => c.id === q.showWhen!.question))
    expect(conditional, 'the first section has a conditional question').toBeTruthy()
    const controller = first.questions.find((q) => q.id === conditional!.showWhen!.question)!
    const trigger = conditional!.showWhen!.anyOf[0]!
    const other = controller.options!.find((option) => !conditional!.showWhen!.anyOf.includes(option.id))!

    // Conditional question reacts live.
    const q = (id: string) => page.locator(`[data-question="${id}"]`)
    expect(await q(conditional!.id).count()).toBe(0)
    await q(controller.id).locator(`input[value="${trigger}"]`).check()
    await expect.poll(() => q(conditional!.id).count()).toBe(1)
    await q(controller.id).locator(`input[value="${other.id}"]`).check()
    await expect.poll(() => q(conditional!.id).count()).toBe(0)
    await q(controller.id).locator(`input[value="${trigger}"]`).check()
    await expect.poll(() => q(conditional!.id).count()).toBe(1)
    const typed = '我们每年审查一次。We review it yearly.'
    await q(conditional!.id).locator('textarea, input[type="text"]').first().fill(typed)
    const firstChoice = first.questions.find((question) => question.kind === 'yes_no_na' && question.id !== controller.id)!
    await q(firstChoice.id).locator('input[value="yes"]').check()
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('saved')
    await page.screenshot({ path: `${SHOTS}/vendor-questionnaire-zh-desktop.png`, fullPage: true })

    // Reload mid-way: everything saved is there.
    await page.reload()
    await page.waitForSelector('[data-question]')
    expect(await q(controller.id).locator(`input[value="${trigger}"]`).isChecked()).toBe(true)
    expect(await q(firstChoice.id).locator('input[value="yes"]').isChecked()).toBe(true)
    expect(await q(conditional!.id).locator('textarea, input[type="text"]').first().inputValue()).toBe(typed)

    // A network blip: the edit waits, the page says so, and it is saved once the network is back.
    const offlineChoice = first.questions.find((question) => question.kind === 'yes_no_na' && question.id !== controller.id && question.id !== firstChoice.id)!
    await context.setOffline(true)
    await q(offlineChoice.id).locator('input[value="no"]').check()
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('offline')
    await context.setOffline(false)
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('saved')

    // Leaving the page right after typing (before the autosave pause) loses nothing either.
    const quick = '离开页面前刚输入的内容 typed just before leaving'
    await q(conditional!.id).locator('textarea, input[type="text"]').first().fill(quick)
    await page.goto(`${app.url}/v/${token}`)
    await expect
      .poll(
        async () => {
          await page.goto(`${app.url}/v/${token}/questionnaire`)
          await page.waitForSelector('[data-question]')
          return q(conditional!.id).locator('textarea, input[type="text"]').first().inputValue()
        },
        { timeout: 15_000 },
      )
      .toBe(quick)
    expect(await q(offlineChoice.id).locator('input[value="no"]').isChecked()).toBe(true)
    await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]') !== null)

    // Evidence: a PDF is accepted; an executable renamed .pdf is refused with a message.
    const evidenceQuestion = first.questions.find((question) => question.kind === 'file' || question.evidence?.requiredWhen === 'always')!
    await page.getByTestId(`upload-${evidenceQuestion.id}`).setInputFiles({ name: 'policy.pdf', mimeType: 'application/pdf', buffer: PDF })
    await expect.poll(() => q(evidenceQuestion.id).getByTestId('evidence-file').count(), { timeout: 10_000 }).toBe(1)
    await page.getByTestId(`upload-${evidenceQuestion.id}`).setInputFiles({ name: 'tool.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100)]) })
    await expect.poll(() => q(evidenceQuestion.id).getByRole('alert').textContent()).toContain('不支持此类文件')
    expect(await q(evidenceQuestion.id).getByTestId('evidence-file').count()).toBe(1)

    // Two colleagues on the same answer: the second sees both values and chooses.
    const colleague = await (await browser.newContext({ locale: 'en' })).newPage()
    await colleague.goto(`${app.url}/v/${token}/questionnaire`)
    await colleague.waitForFunction(() => document.querySelector('[data-testid="save-status"]') !== null)
    const textarea = (p: Page) => p.locator(`[data-question="${conditional!.id}"]`).locator('textarea, input[type="text"]').first()
    await textarea(colleague).fill('Colleague: quarterly review.')
    await expect.poll(() => colleague.getByTestId('save-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('saved')
    await textarea(page).fill('Mine: monthly review.')
    await expect.poll(() => page.getByTestId('conflict').count(), { timeout: 10_000 }).toBe(1)
    const conflictText = await page.getByTestId('conflict').textContent()
    expect(conflictText).toContain('Colleague: quarterly review.')
    expect(conflictText).toContain('Mine: monthly review.')
    await page.getByTestId('conflict').screenshot({ path: `${SHOTS}/vendor-conflict.png` })
    await page.screenshot({ path: `${SHOTS}/vendor-conflict-page.png`, fullPage: true })
    await page.getByTestId('keep-mine').click()
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('saved')

    // The rest through the same autosave endpoint the page uses, then submit in the browser.
    const client = httpClient(app.url)
    const answered = new Map<string, AnswerValue>()
    const revs = new Map<string, number>()
    // The assessment pinned the baseline and, for payment platforms only, the supplement: a question
    // the server does not know tells us a questionnaire is not part of this assessment.
    let pinned = [...library.latest]
    const lookup = () => Object.fromEntries([...answered].map(([id, value]) => [id, { value, evidence: [{}] }]))
    const save = (questionId: string, baseRev: number, value: unknown) =>
      client.request(`/v/${token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ questionId, baseRev, value, comment: null }) })
    for (let round = 0; round < 8; round++) {
      const open = visibleQuestions(pinned, lookup()).filter(({ question }) => !answered.has(question.id))
      if (open.length === 0) break
      for (const { question, questionnaireId } of open) {
        if (!pinned.some((questionnaire) => questionnaire.id === questionnaireId)) continue
        const value = demoValue(question)
        const entry = questionEntry(pinned, question.id)!
        if (question.kind !== 'file') {
          let response = await save(question.id, revs.get(question.id) ?? 0, value)
          if (response.status === 400 && JSON.stringify(await response.clone().json()).includes('unknownQuestion')) {
            pinned = pinned.filter((questionnaire) => questionnaire.id !== questionnaireId)
            continue
          }
          if (response.status === 409) response = await save(question.id, (await response.json()).conflict.theirs.rev, value)
          expect(response.status, question.id).toBe(200)
          revs.set(question.id, (await response.json()).rev)
        }
        answered.set(question.id, value)
        if (question.kind === 'file' || needsEvidence(entry, value)) {
          const body = new FormData()
          body.set('questionId', question.id)
          body.set('file', new Blob([PDF], { type: 'application/pdf' }), `${question.id}.pdf`)
          expect((await client.request(`/v/${token}/evidence`, { method: 'POST', body })).status).toBe(200)
        }
      }
    }
    expect(progressOf(pinned, lookup()).missing).toEqual([])

    await page.goto(`${app.url}/v/${token}/submit`)
    expect(await page.getByTestId('missing').count()).toBe(0)
    await page.locator('input[name="title"]').fill('信息安全经理')
    await page.getByTestId('confirm').check()
    await page.screenshot({ path: `${SHOTS}/vendor-submit-zh.png`, fullPage: true })
    // A double click submits once.
    await Promise.all([page.waitForURL(new RegExp(`/v/${token}$`)), page.getByTestId('submit').dblclick()])
    await page.waitForSelector('[data-testid="submitted-banner"]')
    await page.screenshot({ path: `${SHOTS}/vendor-submitted-zh.png`, fullPage: true })

    // Read-only afterwards, in the page and on the server.
    await page.goto(`${app.url}/v/${token}/questionnaire`)
    await page.waitForSelector('[data-testid="read-only"]')
    expect(await q(controller.id).locator('input').count()).toBe(0) // answers are shown, not editable
    expect(await q(controller.id).locator('[aria-current="true"]').count()).toBe(1) // with the saved choice marked
    await page.screenshot({ path: `${SHOTS}/vendor-read-only-zh.png` })
    const late = await client.request(`/v/${token}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ questionId: controller.id, baseRev: 5, value: other.id, comment: null }) })
    expect(late.status).toBe(423)

    // Staff see the submission, the answers and the evidence.
    await staff.goto(`${app.url}/assessments/${assessmentId}`)
    await staff.waitForSelector('[data-testid="submission"]')
    const staffEvidence = await staff.getByTestId('staff-evidence').first().getAttribute('href')
    const download = await staff.request.get(`${app.url}${staffEvidence}`)
    expect(download.status()).toBe(200)
    expect(download.headers()['content-type']).toBe('application/pdf')
    expect(download.headers()['content-disposition']).toContain('attachment')
    await staff.screenshot({ path: `${SHOTS}/staff-overview-zh.png`, fullPage: true })
    const staffPage = await client.request(`/assessments/${assessmentId}`)
    expect(staffPage.status).toBe(302) // a vendor link gives no access to staff pages

    // The submitter counted once.
    const overviewText = await staff.getByTestId('submission').textContent()
    expect(overviewText).not.toContain('第 2 轮')
    await context.close()
    await staffContext.close()
  })

  it('shows clear, bilingual pages for tampered and unknown links, with the right status', async () => {
    const context = await browser.newContext({ locale: 'en' })
    const page = await context.newPage()
    const response = await page.goto(`${app.url}/v/${'A'.repeat(43)}`)
    expect(response?.status()).toBe(401)
    const text = await page.getByTestId('link-problem').textContent()
    expect(text).toContain('This link is not valid')
    expect(text).toContain('链接无效')
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/)
    await page.screenshot({ path: `${SHOTS}/vendor-link-invalid-en.png`, fullPage: true })
    const short = await page.goto(`${app.url}/v/not-a-token/questionnaire`)
    expect(short?.status()).toBe(401)
    const save = await httpClient(app.url).request(`/v/${'B'.repeat(43)}/save`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(save.status).toBe(401)
    await context.close()
  })

  it('over HTTP: a link reaches only its own assessment, and malformed requests change nothing', async () => {
    const staff = await (await browser.newContext({ locale: 'en' })).newPage()
    const tokens: string[] = []
    for (let i = 0; i < 2; i++) {
      const before = linkMails().length
      await startAssessmentAsProcurement(staff)
      await expect.poll(() => linkMails().length).toBeGreaterThan(before)
      tokens.push(linkIn(linkMails().at(-1)!.raw).split('/v/')[1]!)
    }
    const [a, b] = tokens as [string, string]
    const client = httpClient(app.url)
    const post = (token: string, body: BodyInit, type = 'application/json') => client.request(`/v/${token}/save`, { method: 'POST', headers: { 'content-type': type }, body })
    const firstQuestion = sectionsOf(loadLibrary().latest)[0]!.section.questions.find((question) => question.kind === 'yes_no_na')!

    // B gets an answer and a file; A's link can see neither.
    expect((await post(b, JSON.stringify({ questionId: firstQuestion.id, baseRev: 0, value: 'no', comment: 'B only' }))).status).toBe(200)
    const upload = new FormData()
    upload.set('questionId', firstQuestion.id)
    upload.set('file', new Blob([PDF], { type: 'application/pdf' }), 'b.pdf')
    const uploaded = (await (await client.request(`/v/${b}/evidence`, { method: 'POST', body: upload })).json()) as { evidence: { fileId: string }[] }
    const fileOfB = uploaded.evidence[0]!.fileId
    expect((await client.request(`/v/${b}/evidence/${fileOfB}`)).status).toBe(200)
    expect((await client.request(`/v/${a}/evidence/${fileOfB}`)).status).toBe(404)
    const pageOfA = await (await client.request(`/v/${a}/questionnaire`)).text()
    expect(pageOfA).not.toContain('B only')

    // Malformed autosaves: 4xx with field messages, never a 500.
    const cases: [BodyInit, string, number][] = [
      ['{not json', 'application/json', 400],
      [JSON.stringify({ questionId: { $gt: '' }, baseRev: 0, value: 'yes' }), 'application/json', 400],
      [JSON.stringify({ questionId: firstQuestion.id, baseRev: 0, value: { $gt: '' } }), 'application/json', 400],
      [JSON.stringify({ questionId: 'NOPE-01', baseRev: 0, value: 'yes' }), 'application/json', 400],
      [JSON.stringify({ questionId: firstQuestion.id, baseRev: 0, value: 'yes', $set: { status: 'completed' } }), 'application/json', 400],
      [JSON.stringify({ questionId: firstQuestion.id, baseRev: 0, value: 'x'.repeat(70_000) }), 'application/json', 413],
      ['questionId=GOV-01', 'application/x-www-form-urlencoded', 415],
    ]
    for (const [body, type, status] of cases) {
      const response = await post(a, body, type)
      expect(response.status, String(body).slice(0, 60)).toBe(status)
      expect(Object.keys(((await response.json()) as { fieldErrors: object }).fieldErrors).length).toBeGreaterThan(0)
    }
    // A mislabelled executable and an oversized file are refused with a message.
    const exe = new FormData()
    exe.set('questionId', firstQuestion.id)
    exe.set('file', new Blob([Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)])], { type: 'application/pdf' }), 'invoice.pdf')
    const refused = await client.request(`/v/${a}/evidence`, { method: 'POST', body: exe })
    expect(refused.status).toBe(415)
    expect(await refused.json()).toMatchObject({ fieldErrors: { file: ['vendorPortal:errors.fileType'] } })
    const big = new FormData()
    big.set('questionId', firstQuestion.id)
    big.set('file', new Blob([Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024)])], { type: 'application/pdf' }), 'big.pdf')
    expect((await client.request(`/v/${a}/evidence`, { method: 'POST', body: big })).status).toBe(413)
    // Staff pages: only procurement (and admins) may start assessments or act on links.
    const assessmentId = new URL(staff.url()).pathname.split('/').pop()!
    for (const [email, allowed] of [['viewer@clausewise.local', false], ['compliance@clausewise.local', false], ['procurement@clausewise.local', true]] as const) {
      const member = httpClient(app.url)
      await member.signIn(email, DEMO_PASSWORD)
      expect((await member.request('/assessments/new')).status, email).toBe(allowed ? 200 : 403)
      expect((await member.request(`/assessments/${assessmentId}`)).status, email).toBe(200)
      const remind = await member.request(`/assessments/${assessmentId}?index`, { method: 'POST', body: new URLSearchParams({ intent: 'remind' }) })
      expect(remind.status, email).toBe(allowed ? 200 : 403)
    }
    // Nothing of all that reached A: its first answer can still be saved from revision 0.
    expect((await post(a, JSON.stringify({ questionId: firstQuestion.id, baseRev: 0, value: 'yes', comment: null }))).status).toBe(200)
  })

  it('fits a phone screen in both languages', async () => {
    const staff = await (await browser.newContext({ locale: 'zh-CN' })).newPage()
    await startAssessmentAsProcurement(staff)
    await expect.poll(() => linkMails().length).toBeGreaterThan(0)
    const token = linkIn(linkMails().at(-1)!.raw).split('/v/')[1]!
    for (const locale of ['zh-CN', 'en'] as const) {
      const context = await browser.newContext({ locale, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
      const page = await context.newPage()
      await page.goto(`${app.url}/v/${token}?lng=${locale}`)
      await page.screenshot({ path: `${SHOTS}/vendor-landing-${locale}-phone.png`, fullPage: true })
      await page.goto(`${app.url}/v/${token}/questionnaire?lng=${locale}`)
      await page.waitForSelector('[data-question]')
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
      await page.screenshot({ path: `${SHOTS}/vendor-questionnaire-${locale}-phone.png`, fullPage: true })
      await context.close()
    }
    const desktopEn = await (await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 900 } })).newPage()
    await desktopEn.goto(`${app.url}/v/${token}/questionnaire?lng=en`)
    await desktopEn.waitForSelector('[data-question]')
    await desktopEn.screenshot({ path: `${SHOTS}/vendor-questionnaire-en-desktop.png`, fullPage: true })
    await desktopEn.goto(`${app.url}/v/${token}?lng=en`)
    await desktopEn.screenshot({ path: `${SHOTS}/vendor-landing-en-desktop.png`, fullPage: true })
    await staff.goto(`${app.url}/assessments`)
    await staff.screenshot({ path: `${SHOTS}/staff-list-zh.png`, fullPage: true })
  })
})
