// Admin → Outbox shows each message's delivery: status, attempts, last error and next attempt, in
// both languages; "Try again now" hands a message to the app's mail job, which sends it.
import mongoose, { Types } from 'mongoose'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startControlledSmtp, type SmtpControls } from '../support/smtp'
import { startApp, TEST_ADMIN, type RunningApp } from '../support/app-server'
import { launchBrowser, signIn } from '../support/browser'

let app: RunningApp
let browser: Browser
let smtp: SmtpControls
let connection: mongoose.Connection

beforeAll(async () => {
  smtp = await startControlledSmtp()
  app = await startApp('outbox', { SMTP_URL: smtp.url })
  browser = await launchBrowser()
  connection = await mongoose.createConnection(app.databaseUri).asPromise()
})

afterAll(async () => {
  await connection?.close()
  await browser?.close()
  await app?.stop()
  await smtp?.close()
})

describe('the outbox page', () => {
  it('shows a message the mail server refused for now, and sends it on "Try again now"', { timeout: 150_000 }, async () => {
    const id = new Types.ObjectId()
    const now = Date.now()
    await connection.collection('mail_messages').insertOne({
      _id: id,
      to: ['late@vendor.test'],
      cc: [],
      subject: 'Outbox retry check',
      text: 'Hello',
      kind: 'test',
      dedupeKey: 'e2e:outbox-retry',
      messageId: '<e2e-outbox-retry@clausewise.local>',
      status: 'queued',
      transport: 'smtp',
      attempts: 2,
      error: '451 Try again later',
      lastAttemptAt: new Date(now - 60_000),
      nextAttemptAt: new Date(now + 3_600_000),
      createdAt: new Date(now - 120_000),
      updatedAt: new Date(now - 60_000),
    })

    for (const [locale, texts] of [
      ['en-US', ['Waiting to retry', 'Attempts: 2', 'Last error', '451 Try again later', 'Next attempt:']],
      ['zh-CN', ['等待重试', '尝试次数：2', '最近一次错误', '451 Try again later', '下次尝试：']],
    ] as const) {
      const context = await browser.newContext({ locale })
      const page = await context.newPage()
      await signIn(page, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
      await page.goto(`${app.url}/admin/outbox`)
      const card = page.locator('details', { hasText: 'Outbox retry check' })
      await card.locator('summary').click()
      const text = await card.textContent()
      for (const expected of texts) expect(text, locale).toContain(expected)
      await context.close()
    }

    const context = await browser.newContext({ locale: 'en-US' })
    const page = await context.newPage()
    await signIn(page, app.url, TEST_ADMIN.email, TEST_ADMIN.password)
    await page.goto(`${app.url}/admin/outbox`)
    const card = page.locator('details', { hasText: 'Outbox retry check' })
    await card.locator('summary').click()
    await card.getByRole('button', { name: 'Try again now' }).click()
    await card.getByRole('status').filter({ hasText: 'The message will be sent within a minute.' }).waitFor()
    await context.close()

    // The app's own mail job sends it, once.
    await expect
      .poll(async () => (await connection.collection('mail_messages').findOne({ _id: id }))?.status, { timeout: 100_000, interval: 1000 })
      .toBe('sent')
    expect(smtp.received.filter((mail) => mail.messageId === '<e2e-outbox-retry@clausewise.local>')).toHaveLength(1)
  })
})
