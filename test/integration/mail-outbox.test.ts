// The outbox delivers every message at least once and the recipient sees it once: SMTP failures
// are retried with exponential backoff, a permanent refusal or too many attempts stop it, each
// message is claimed by one sender at a time, and a reminder's old link keeps working until the
// new one is delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MailMessageModel } from '~models/mail-message'
import { checkVendorAccess } from '~/modules/assessments/access.server'
import { sendReminder } from '~/modules/assessments/invitations.server'
import { deliverDueMail, messageIdFor } from '~/modules/mail/delivery.server'
import { resetMailTransport, retryMailNow, sendMail } from '~/modules/mail/mail.server'
import { readAssessment, startTestAssessment, tokensFromOutbox, useFixtureLibrary } from './assessments-helpers'
import { startControlledSmtp } from '../support/smtp'

const smtp = await startControlledSmtp()
// Before anything reads the configuration (it is read once per test file).
process.env.SMTP_URL = smtp.url
process.env.APP_URL = 'https://clausewise.example.test'
process.env.MAIL_RETRY_BASE_MS = '1000'
process.env.MAIL_MAX_ATTEMPTS = '4'

beforeAll(() => {
  resetMailTransport()
  useFixtureLibrary()
})
afterAll(async () => {
  resetMailTransport()
  await smtp.close()
})

const later = (ms: number) => () => new Date(Date.now() + ms)
const mail = (key: string, to = 'vendor@example.test') => ({ to, subject: `Subject ${key}`, text: `Body ${key}`, kind: 'test', dedupeKey: key })
const record = async (key: string) => (await MailMessageModel.findOne({ dedupeKey: key }).lean())!
const receivedFor = (key: string) => smtp.received.filter((entry) => entry.messageId === messageIdFor(key))

describe('the outbox', () => {
  it('retries a temporary SMTP failure with growing waits and delivers the message once', async () => {
    smtp.reject(2, 451)
    const key = 'test:retry'
    expect(await sendMail(mail(key))).toMatchObject({ status: 'queued' })
    let stored = await record(key)
    expect(stored).toMatchObject({ status: 'queued', attempts: 1, messageId: messageIdFor(key) })
    expect(stored.error).toMatch(/451/)
    expect(stored.nextAttemptAt!.getTime() - stored.lastAttemptAt!.getTime()).toBeGreaterThanOrEqual(1000)
    expect(stored.nextAttemptAt!.getTime() - stored.lastAttemptAt!.getTime()).toBeLessThan(4000) // 1 s after the attempt ended

    // Not due yet: nothing is sent.
    expect(await deliverDueMail()).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(await deliverDueMail({ now: later(1500) })).toEqual({ sent: 0, retrying: 1, failed: 0 })
    stored = await record(key)
    expect(stored.attempts).toBe(2)
    expect(stored.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(1500) // 2 s after the second attempt
    expect(await deliverDueMail({ now: later(5000) })).toEqual({ sent: 1, retrying: 0, failed: 0 })

    stored = await record(key)
    expect(stored).toMatchObject({ status: 'sent', attempts: 3 })
    expect(stored.sentAt).toBeInstanceOf(Date)
    expect(stored.claim).toBeUndefined()
    expect(receivedFor(key)).toHaveLength(1)
    // The same key again: recorded once, sent once.
    expect(await sendMail(mail(key))).toEqual({ status: 'duplicate' })
    expect(await deliverDueMail({ now: later(3_600_000) })).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(receivedFor(key)).toHaveLength(1)
  })

  it('stops at a permanent refusal, and after the last attempt; an administrator can try again', async () => {
    smtp.reject(1, 550)
    expect(await sendMail(mail('test:refused'))).toMatchObject({ status: 'failed', error: expect.stringMatching(/550/) })
    expect(await record('test:refused')).toMatchObject({ status: 'failed', attempts: 1 })

    smtp.reject(100, 421)
    expect(await sendMail(mail('test:exhausted'))).toMatchObject({ status: 'queued' })
    for (let round = 1; round <= 5; round++) await deliverDueMail({ now: later(round * 60_000) })
    expect(await record('test:exhausted')).toMatchObject({ status: 'failed', attempts: 4 })
    expect(receivedFor('test:exhausted')).toHaveLength(0)

    smtp.reject(0)
    expect(await retryMailNow(String((await record('test:exhausted'))._id))).toBe(true)
    expect(await deliverDueMail()).toMatchObject({ sent: 1 })
    expect(await record('test:exhausted')).toMatchObject({ status: 'sent', attempts: 5 })
    expect(receivedFor('test:exhausted')).toHaveLength(1)
  })

  it('lets each message be claimed by one sender only, however many send at once', async () => {
    smtp.reject(20, 451)
    const keys = Array.from({ length: 20 }, (_, index) => `test:claim-${index}`)
    for (const key of keys) await sendMail(mail(key, `claim${keys.indexOf(key)}@example.test`))
    expect(await MailMessageModel.countDocuments({ dedupeKey: { $in: keys }, status: 'queued' })).toBe(20)
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((by) => deliverDueMail({ now: later(60_000), by })))
    expect(results.reduce((sum, result) => sum + result.sent, 0)).toBe(20)
    for (const key of keys) expect(receivedFor(key), key).toHaveLength(1)
    expect(await MailMessageModel.countDocuments({ dedupeKey: { $in: keys }, status: 'sent', attempts: 2 })).toBe(20)
  })
})

describe('a reminder', () => {
  it('keeps the old link working until the new one is delivered, then retires it', async () => {
    const { assessmentId, tokens } = await startTestAssessment()
    const oldTokens = [...tokens.values()]
    expect(oldTokens).toHaveLength(2)

    smtp.reject(2, 451) // the mail server is down when the reminder goes out
    expect(await sendReminder(assessmentId, { kind: 'system' }, 'due-7d')).toMatchObject({ ok: true })
    const fresh = [...(await tokensFromOutbox(assessmentId)).values()].filter((token) => !oldTokens.includes(token))
    expect(fresh).toHaveLength(2)
    for (const token of [...oldTokens, ...fresh]) expect((await checkVendorAccess(token)).ok, 'both links work meanwhile').toBe(true)
    const pending = (await readAssessment(assessmentId))!.invitations.filter((invitation) => invitation.purpose === 'reminder')
    expect(pending.map((invitation) => invitation.mailStatus)).toEqual(['queued', 'queued'])

    expect(await deliverDueMail({ now: later(60_000) })).toMatchObject({ sent: 2 })
    for (const token of oldTokens) expect(await checkVendorAccess(token)).toEqual({ ok: false, problem: 'superseded' })
    for (const token of fresh) expect((await checkVendorAccess(token)).ok).toBe(true)
    const after = (await readAssessment(assessmentId))!.invitations
    expect(after.filter((invitation) => invitation.purpose === 'reminder').map((invitation) => invitation.mailStatus)).toEqual(['sent', 'sent'])
    expect(after.filter((invitation) => invitation.purpose === 'invitation').map((invitation) => invitation.revokedReason)).toEqual(['superseded', 'superseded'])
  })

  it('a reminder delivered at once retires the old link at once', async () => {
    const { assessmentId, tokens } = await startTestAssessment()
    expect(await sendReminder(assessmentId, { kind: 'system' }, 'due-3d')).toMatchObject({ ok: true })
    for (const token of tokens.values()) expect(await checkVendorAccess(token)).toEqual({ ok: false, problem: 'superseded' })
  })
})
