// The invitation travels through a real SMTP server on loopback, in each contact's language, and
// its link opens the assessment (and only that one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MailMessageModel } from '~models/mail-message'
import { resetMailTransport } from '~/modules/mail/mail.server'
import { checkVendorAccess } from '~/modules/assessments/access.server'
import { sendReminder } from '~/modules/assessments/invitations.server'
import { startTestAssessment, useFixtureLibrary } from './assessments-helpers'
import { startControlledSmtp } from '../support/smtp'

// Before anything reads the configuration (it is read once per test file).
const smtp = await startControlledSmtp()
const received = smtp.received
process.env.SMTP_URL = smtp.url
process.env.APP_URL = 'https://clausewise.example.test'

beforeAll(() => {
  resetMailTransport()
  useFixtureLibrary()
})
afterAll(async () => {
  resetMailTransport()
  await smtp.close()
})

/** Decodes RFC 2047 words and the quoted-printable or base64 text part: enough to read our own mails. */
function decode(raw: string) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/)
  const headers = head!.replace(/\r?\n[ \t]+/g, ' ')
  const subjectLine = /^Subject: (.*)$/m.exec(headers)?.[1] ?? ''
  const subject = subjectLine.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  )
  const body = rest.join('\n\n')
  const textPart = /Content-Type: text\/plain[^]*?Content-Transfer-Encoding: (\S+)\r?\n\r?\n([^]*?)\r?\n--/i.exec(body)
  let text = body
  if (textPart) {
    const [, encoding, content] = textPart
    text =
      encoding!.toLowerCase() === 'base64'
        ? Buffer.from(content!.replace(/\s+/g, ''), 'base64').toString('utf8')
        : Buffer.from(content!.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8')
  }
  return { subject, text }
}

describe('invitation e-mail over SMTP', () => {
  it('arrives in each contact’s language with a link that opens this assessment only', async () => {
    const { assessmentId } = await startTestAssessment()
    await expect.poll(() => received.length).toBe(2)
    const zh = received.find((mail) => mail.to[0]!.startsWith('zhang'))!
    const en = received.find((mail) => mail.to[0]!.startsWith('alice'))!
    const zhMail = decode(zh.raw)
    const enMail = decode(en.raw)
    expect(zhMail.subject).toContain('隐私与信息安全评估问卷')
    expect(zhMail.text).toContain('张三，您好')
    expect(zhMail.text).toContain('打开问卷')
    expect(enMail.subject).toMatch(/^Clausewise Demo Bank: privacy & security assessment of Test Pay \d+ Ltd/)
    expect(enMail.text).toContain('Dear Alice Smith,')

    for (const mail of [zhMail, enMail]) {
      const link = /https:\/\/clausewise\.example\.test\/v\/([A-Za-z0-9_-]{43})/.exec(mail.text)
      expect(link, mail.text).not.toBeNull()
      const checked = await checkVendorAccess(link![1]!)
      expect(checked.ok && checked.access.assessment._id.toString()).toBe(assessmentId)
    }
    const records = await MailMessageModel.find({ 'related.id': assessmentId }).lean()
    expect(records.map((record) => record.status)).toEqual(['sent', 'sent'])
  })

  it('a reminder carries a fresh working link and says the old one was replaced', async () => {
    received.length = 0
    const { assessmentId } = await startTestAssessment()
    await expect.poll(() => received.length).toBe(2)
    received.length = 0
    await sendReminder(assessmentId, { kind: 'system' }, 'due-7d')
    await expect.poll(() => received.length).toBe(2)
    const en = decode(received.find((mail) => mail.to[0]!.startsWith('alice'))!.raw)
    expect(en.subject).toMatch(/^Reminder/)
    expect(en.text).toContain('links from earlier e-mails no longer work')
    const token = /\/v\/([A-Za-z0-9_-]{43})/.exec(en.text)![1]!
    expect((await checkVendorAccess(token)).ok).toBe(true)
  })
})
