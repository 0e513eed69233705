// Document expiry reminders through the real job runner (Agenda on the embedded database, the
// sweep job the app runs) with a controlled clock and a real SMTP server on loopback: the clock
// walks day by day across the reminder day, with several sweeps a day; each vendor contact and
// each procurement user gets exactly one reminder, on the reminder day, in their own language.
import { addDays } from 'date-fns'
import mongoose, { Types } from 'mongoose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { UserModel } from '~models/user'
import { getClause } from '~/modules/library/library.server'
import { resetMailTransport } from '~/modules/mail/mail.server'
import { dayKey } from '~/modules/schedule/cadence'
import { startScheduler, SWEEP_JOB } from '~/modules/schedule/runner.server'
import { createVendor, useFixtureLibrary } from './assessments-helpers'
import { startSmtpServer } from './schedule-support'

const ZONE = 'Asia/Shanghai'
const HOUR = 3_600_000
const bj = (local: string) => new Date(`${local}+08:00`)
const START = bj('2026-02-26T07:00:00')

const smtp = await startSmtpServer()
process.env.SMTP_URL = smtp.url
process.env.INSTITUTION_TIMEZONE = ZONE
resetMailTransport()

let stop: (() => Promise<void>) | null = null
afterAll(async () => {
  await stop?.()
  vi.useRealTimers()
  resetMailTransport()
  await smtp.close()
})

/** Moves the clock and waits (in real time) until the runner has swept at the new moment. */
async function sweepAt(instant: Date) {
  vi.setSystemTime(instant)
  const jobs = mongoose.connection.db!.collection('agenda_jobs')
  const deadline = performance.now() + 20_000
  for (;;) {
    const job = await jobs.findOne({ name: SWEEP_JOB })
    if (job?.lastFinishedAt && new Date(job.lastFinishedAt).getTime() >= instant.getTime() && !job.lockedAt) return
    if (performance.now() > deadline) throw new Error(`no sweep at ${instant.toISOString()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe('document expiry reminders through the job runner', () => {
  beforeAll(async () => {
    useFixtureLibrary()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(START)
    stop = await startScheduler({ every: '1 hour', processEvery: 100, mailEvery: '1 hour', runImmediately: true, name: 'documents-runner-test', log: () => undefined })
  })

  it('sends each person one reminder on the reminder day, in their language, however many sweeps run', { timeout: 180_000 }, async () => {
    const vendor = await createVendor() // contacts: 张三 (zh-CN), Alice Smith (en)
    await UserModel.create({ email: 'buyer-zh@bank.test', name: '王采购', role: 'procurement', passwordHash: 'x', locale: 'zh-CN' })
    await UserModel.create({ email: 'buyer-en@bank.test', name: 'Pat Procurement', role: 'procurement', passwordHash: 'x', locale: 'en' })
    // A signed-off assessment whose PAY-01 "yes" carries a PCI DSS AoC valid through 2026-03-31.
    await AssessmentModel.create({
      vendorId: vendor._id,
      status: 'completed',
      vendorSnapshot: { legalName: vendor.legalName, effectiveTier: 2 },
      questionnaires: [{ id: 'payment', version: 1 }],
      contract: { clauses: [getClause('PCI-01')] },
      dueAt: bj('2025-04-01T23:59:59'),
      createdAt: bj('2025-03-01T10:00:00'),
      signOff: { at: bj('2025-04-10T10:00:00'), byName: 'Li Compliance' },
      answers: {
        'PAY-01': {
          value: 'yes',
          evidence: [{ fileId: new Types.ObjectId().toString(), filename: 'aoc-2025.pdf', contentType: 'application/pdf', size: 1000, uploadedAt: bj('2025-03-02T10:00:00'), kind: 'pci_dss_aoc', expiresOn: '2026-03-31' }],
          rev: 1,
          updatedAt: bj('2025-03-02T10:00:00'),
        },
      },
    })

    // 30 days (the default) before 2026-03-31 is 2026-03-01: sweep four times a day from 02-26 to 03-04.
    const received: { day: string; to: string; subject: string }[] = []
    let seen = smtp.received.length
    for (let day = 0; day < 7; day++) {
      for (const hour of [1, 6, 11, 16]) {
        const instant = new Date(addDays(START, day).getTime() + hour * HOUR)
        await sweepAt(instant)
        for (const mail of smtp.received.slice(seen)) received.push({ day: dayKey(instant, ZONE), to: mail.to[0]!, subject: mail.subject })
        seen = smtp.received.length
      }
    }

    // Vendor contacts are told the file; staff, the vendor.
    const aboutThis = received.filter((mail) => mail.subject.includes('aoc-2025.pdf') || mail.subject.includes(vendor.legalName!.en!) || mail.subject.includes(vendor.legalName!['zh-CN']!))
    const byRecipient = Object.fromEntries(aboutThis.map((mail) => [mail.to, mail]))
    const contacts = Object.fromEntries(vendor.contacts.map((contact) => [contact.locale, contact.email]))
    // Exactly one each, all on the reminder day.
    expect(aboutThis.map((mail) => mail.to).sort()).toEqual([contacts['zh-CN']!, contacts.en!, 'buyer-zh@bank.test', 'buyer-en@bank.test'].sort())
    expect(aboutThis.every((mail) => mail.day === '2026-03-01')).toBe(true)
    // Each in the person's own language.
    expect(byRecipient[contacts['zh-CN']!]!.subject).toBe('文件将于 2026年3月31日 到期：aoc-2025.pdf')
    expect(byRecipient[contacts.en!]!.subject).toBe('Document expires on March 31, 2026: aoc-2025.pdf')
    expect(byRecipient['buyer-en@bank.test']!.subject).toBe(`Vendor document expires on March 31, 2026: ${vendor.legalName!.en}`)
    expect(byRecipient['buyer-zh@bank.test']!.subject).toBe(`合作机构文件将于 2026年3月31日 到期：${vendor.legalName!['zh-CN']}`)
  })
})
