// A reassessment that starts from last year's answers, in Chinese, in headless Chromium against
// the built app with a real SMTP server: procurement starts it with carry-over, the vendor's
// Chinese-speaking contact confirms one section as unchanged, edits a carried answer in another,
// watches the count of answers left to confirm go down, reloads and finds both kept, and cannot
// submit while carried answers remain unconfirmed.
import { mkdirSync } from 'node:fs'
import mongoose, { Types } from 'mongoose'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { VendorModel } from '~models/vendor'
import { loadLibrary } from '~/modules/library/library.server'
import type { Question } from '~/modules/library/content-schema'
import { sectionsOf } from '~/modules/assessments/questions'
import { DEMO_PASSWORD, freePort, type RunningApp, startApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'
import { startControlledSmtp, type SmtpControls } from '../support/smtp'

const SHOTS = '/tmp/carry-over'
const LAST_SIGN_OFF = new Date('2025-11-20T06:00:00Z') // 2025年11月20日 in Asia/Shanghai
let app: RunningApp
let browser: Browser
let smtp: SmtpControls
let vendorId = ''
const library = loadLibrary()
// What the app pins for a payment platform: the latest baseline and the payment supplement.
const pinned = library.latest.filter((questionnaire) => questionnaire.kind === 'baseline' || questionnaire.proposedFor.includes('payment_platform'))

/** Last year's answer to each question: the first option, so a test can pick a different one. */
function lastYearValue(question: Question): unknown {
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
      return undefined
    default:
      return '去年的答复：已制定并执行。'
  }
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  smtp = await startControlledSmtp()
  const appPort = await freePort()
  app = await startApp('carryover', { SMTP_URL: smtp.url, PORT: String(appPort), APP_URL: `http://127.0.0.1:${appPort}` })
  browser = await launchBrowser()

  // A payment vendor whose only contact reads Chinese, with last year's assessment signed off
  // (written straight into the app's database, as the sign-off leaves it: the review flow is tested elsewhere).
  await mongoose.connect(app.databaseUri)
  const vendor = await VendorModel.create({
    legalName: { 'zh-CN': '恒信支付服务有限公司', en: 'Hengxin Payment Services Co., Ltd.' },
    category: 'payment_platform',
    contacts: [{ name: '王芳', email: 'wangfang@hengxin-pay.test', locale: 'zh-CN', title: '合规经理' }],
    dataProfile: { piCategories: ['identity', 'transactions'], sensitivity: 'C3', recordCount: 80000 },
    tier: { computed: 1 },
    effectiveTier: 1,
  })
  vendorId = vendor._id.toString()
  const lastId = new Types.ObjectId()
  const answers = Object.fromEntries(
    pinned.flatMap((questionnaire) =>
      questionnaire.sections.flatMap((section) =>
        section.questions.flatMap((question) => {
          const value = lastYearValue(question)
          return value === undefined ? [] : [[question.id, { value, evidence: [], rev: 2, updatedAt: new Date('2025-10-10'), updatedBy: '王芳' }]]
        }),
      ),
    ),
  )
  await AssessmentModel.collection.insertOne({
    _id: lastId,
    vendorId: vendor._id,
    status: 'completed',
    vendorSnapshot: { legalName: vendor.legalName, category: 'payment_platform' },
    questionnaires: pinned.map((questionnaire) => ({ id: questionnaire.id, version: questionnaire.version })),
    contract: { clauses: [] },
    dueAt: new Date('2025-11-01T15:59:59Z'),
    invitations: [],
    answers,
    progress: { answered: Object.keys(answers).length, required: Object.keys(answers).length, percent: 100 },
    submission: { at: new Date('2025-10-20T06:00:00Z'), name: '王芳', title: '合规经理', count: 1 },
    review: {},
    signOff: { at: LAST_SIGN_OFF, byName: 'Li Compliance' },
    createdAt: new Date('2025-10-01'),
    updatedAt: LAST_SIGN_OFF,
    version: 12,
  })
  await VendorModel.updateOne({ _id: vendor._id }, { $set: { 'assessmentSummary.lastAssessedAt': LAST_SIGN_OFF, 'assessmentSummary.lastAssessmentId': lastId } })
})

afterAll(async () => {
  await mongoose.disconnect()
  await browser?.close()
  await app?.stop()
  await smtp?.close()
})

function tokenIn(raw: string): string | null {
  const unfolded = raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=')
  return /\/v\/([A-Za-z0-9_-]{43})/.exec(unfolded)?.[1] ?? null
}

/** "还有 N 项沿用上次评估的答案待确认。" → N; 0 when the line is gone. */
async function leftToConfirm(page: Page): Promise<number> {
  const line = page.getByTestId('progress-to-confirm')
  if ((await line.count()) === 0) return 0
  const text = (await line.textContent()) ?? ''
  expect(text).toMatch(/^还有 \d+ 项沿用上次评估的答案待确认。$/)
  return Number(/\d+/.exec(text)![0])
}

const hydrated = (page: Page) => page.waitForFunction(() => document.querySelector('[data-testid="save-status"]') !== null)

describe('a reassessment with carried answers, in Chinese', () => {
  it('confirms one section, edits an answer in another, keeps both over a reload, and refuses to submit until everything is confirmed', async () => {
    // Procurement starts the reassessment; carry-over is offered and on by default.
    const staffContext = await browser.newContext({ locale: 'zh-CN' })
    const staff = await staffContext.newPage()
    await signIn(staff, app.url, 'procurement@clausewise.local', DEMO_PASSWORD)
    // Ticked in the served HTML already, so a start before the script has run keeps carry-over.
    const served = await staff.request.get(`${app.url}/assessments/new?vendorId=${vendorId}`)
    expect(/<input[^>]*data-testid="carry-over"[^>]*>/.exec(await served.text())?.[0]).toMatch(/\schecked(=""|\s|\/|>)/)
    await staff.goto(`${app.url}/assessments/new?vendorId=${vendorId}`)
    await expect.poll(() => staff.getByTestId('carry-over').isChecked()).toBe(true)
    await staff.screenshot({ path: `${SHOTS}/staff-start-with-carry-over.png`, fullPage: true })
    await Promise.all([staff.waitForURL(/\/assessments\/[a-f0-9]{24}$/), staff.getByTestId('start-assessment').click()])
    const assessmentId = staff.url().split('/').pop()!

    await expect.poll(() => smtp.received.filter((mail) => mail.to.includes('wangfang@hengxin-pay.test') && tokenIn(mail.raw)).length, { timeout: 20_000 }).toBe(1)
    const token = tokenIn(smtp.received.find((mail) => mail.to.includes('wangfang@hengxin-pay.test'))!.raw)!

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await page.goto(`${app.url}/v/${token}/questionnaire`)
    await page.waitForSelector('[data-question]')
    await hydrated(page)
    const q = (id: string) => page.locator(`[data-question="${id}"]`)

    const sections = sectionsOf(pinned)
    const [first, second] = [sections[0]!.section, sections[1]!.section]
    const before = await leftToConfirm(page)
    expect(before).toBeGreaterThan(20)

    // Section 1: every carried answer is marked with last year's date, and the section offers to confirm them.
    const firstBadges = await page.getByTestId('carried-badge').count()
    expect(firstBadges).toBeGreaterThan(0)
    expect(await page.getByTestId('carried-badge').first().textContent()).toBe('沿用上次评估（2025年11月20日）')
    const notice = page.getByTestId('carry-over-notice')
    expect(await notice.textContent()).toContain(`本部分有 ${firstBadges} 项答案已按上次评估（2025年11月20日）预先填写。确认或修改后才计为已回答。`)
    const confirmButton = page.getByTestId('confirm-section')
    expect(await confirmButton.textContent()).toBe('确认本部分无变化')
    const firstStatusBefore = await page.getByTestId('section-status').first().textContent()
    await page.screenshot({ path: `${SHOTS}/vendor-section-carried-zh.png`, fullPage: true })

    await confirmButton.click()
    await page.getByTestId('section-confirmed').waitFor()
    expect(await page.getByTestId('section-confirmed').textContent()).toBe('答案已确认。')
    expect(await page.getByTestId('carried-badge').count()).toBe(0)
    expect(await notice.count()).toBe(0)
    expect(await leftToConfirm(page)).toBe(before - firstBadges)
    const firstStatusAfter = await page.getByTestId('section-status').first().textContent()
    expect(firstStatusAfter).not.toBe(firstStatusBefore)
    await page.screenshot({ path: `${SHOTS}/vendor-section-confirmed-zh.png`, fullPage: true })

    // Section 2: one carried answer changed; only that one loses its marker.
    await page.getByTestId('section-nav').locator('button').nth(1).click()
    await page.waitForSelector(`[data-question="${second.questions[0]!.id}"]`)
    const edited = second.questions.find((question) => question.kind === 'yes_no_na' && !question.showWhen)!
    const changedTo = edited.options![1]!.id
    expect(await q(edited.id).getByTestId('carried-badge').count()).toBe(1)
    const secondBadges = await page.getByTestId('carried-badge').count()
    await q(edited.id).locator(`input[value="${changedTo}"]`).check()
    await expect.poll(() => page.getByTestId('save-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('saved')
    expect(await q(edited.id).getByTestId('carried-badge').count()).toBe(0)
    expect(await page.getByTestId('carried-badge').count()).toBe(secondBadges - 1)
    expect(await leftToConfirm(page)).toBe(before - firstBadges - 1)
    await page.screenshot({ path: `${SHOTS}/vendor-section-edited-zh.png`, fullPage: true })

    // A reload keeps both: section 1 confirmed, the edit saved without its marker, the rest still to confirm.
    await page.reload()
    await page.waitForSelector(`[data-question="${edited.id}"]`)
    await hydrated(page)
    expect(await q(edited.id).locator(`input[value="${changedTo}"]`).isChecked()).toBe(true)
    expect(await q(edited.id).getByTestId('carried-badge').count()).toBe(0)
    expect(await page.getByTestId('carried-badge').count()).toBe(secondBadges - 1)
    expect(await leftToConfirm(page)).toBe(before - firstBadges - 1)
    await page.getByTestId('section-nav').locator('button').first().click()
    await page.waitForSelector(`[data-question="${first.questions[0]!.id}"]`)
    expect(await page.getByTestId('carried-badge').count()).toBe(0)
    expect(await page.getByTestId('carry-over-notice').count()).toBe(0)
    expect(await page.getByTestId('section-status').first().textContent()).toBe(firstStatusAfter)
    const stored = (await AssessmentModel.findById(assessmentId, { answers: 1 }).lean())!.answers as unknown as Record<string, { value?: unknown; carriedFrom?: unknown; updatedBy?: string }>
    expect(stored[edited.id]).toMatchObject({ value: changedTo, updatedBy: '王芳' })
    expect(stored[edited.id]!.carriedFrom).toBeUndefined()
    for (const question of first.questions) if (stored[question.id]) expect(stored[question.id]!.carriedFrom, question.id).toBeUndefined()

    // Submitting now is refused: the carried answers nobody confirmed are listed as missing, in Chinese.
    await page.goto(`${app.url}/v/${token}/submit`)
    await page.getByTestId('missing').waitFor()
    expect(await page.getByTestId('missing').textContent()).toContain('以下必答问题或证明材料尚未完成：')
    expect(await leftToConfirm(page)).toBe(before - firstBadges - 1)
    expect(await page.getByTestId('submit').count()).toBe(0)
    await page.screenshot({ path: `${SHOTS}/vendor-submit-refused-zh.png`, fullPage: true })
    // The same refusal when the form is posted anyway (e.g. from a page loaded in another tab).
    const posted = await page.request.post(`${app.url}/v/${token}/submit`, {
      form: { name: '王芳', title: '合规经理', confirm: 'on', submissionKey: 'k'.repeat(32) },
      headers: { Origin: app.url },
    })
    expect(posted.status()).toBe(400)
    const after = (await AssessmentModel.findById(assessmentId, { status: 1, submission: 1 }).lean())!
    expect(after.status).not.toBe('submitted')
    expect(after.submission?.at).toBeUndefined()

    await context.close()
    await staffContext.close()
  })
})
