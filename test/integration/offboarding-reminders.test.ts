// Reminders and escalations of an offboarding, through a real SMTP server: with a controlled
// clock, a day at a time, two job runs at once every morning, each round reaches each person
// exactly once, on the day the rule says; and the real job runner (agenda) sends them once too.
// The real-clock test runs first: the job runner does not start well after a faked clock.
import { addDays } from 'date-fns'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { OffboardingModel } from '~models/offboarding'
import { resetMailTransport } from '~/modules/mail/mail.server'
import { checkOffboardingAccess } from '~/modules/offboarding/links.server'
import { runOffboardingJobs, startOffboarding, submitVendorResponse } from '~/modules/offboarding/offboarding.server'
import { dayKey } from '~/modules/schedule/cadence'
import { startScheduler } from '~/modules/schedule/runner.server'
import { createLeavingVendor, createStaff, goodResponse, offboardingTokens, pdfFile } from './offboarding-support'
import { decodeHeader, startSmtpServer, type ReceivedMail } from './schedule-support'

const ZONE = 'Asia/Shanghai'
const bj = (local: string) => new Date(`${local}+08:00`)

const arrivals: { day: string; mail: ReceivedMail }[] = []
let today = ''
const smtp = await startSmtpServer({ onMessage: (mail) => arrivals.push({ day: today, mail }) })
process.env.SMTP_URL = smtp.url
process.env.INSTITUTION_TIMEZONE = ZONE
resetMailTransport()
afterAll(async () => {
  vi.useRealTimers()
  resetMailTransport()
  await smtp.close()
})

describe('offboarding reminders', () => {
  let staff: Awaited<ReturnType<typeof createStaff>>
  beforeAll(async () => {
    staff = await createStaff()
  })

  it('the real job runner sends an overdue round once however often it runs', { timeout: 60_000 }, async () => {
    const vendor = await createLeavingVendor('Runner')
    const started = await startOffboarding(String(vendor._id), { intent: 'start', reason: 'ends', endDate: dayKey(addDays(new Date(), 30), ZONE) }, staff.actor(staff.procurement))
    if (!started.ok) throw new Error('not started')
    // As if it had been started weeks ago and the end date has passed by three days.
    await OffboardingModel.updateOne({ _id: started.offboardingId }, { $set: { startedAt: addDays(new Date(), -30), endDate: dayKey(addDays(new Date(), -3), ZONE) } })
    const before = smtp.received.length
    const stop = await startScheduler({ every: '1 second', processEvery: 200, runImmediately: true, name: 'offboarding-test', log: () => undefined })
    try {
      const deadline = Date.now() + 20_000
      while (smtp.received.length - before < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
      // Let the job run several more times.
      await new Promise((resolve) => setTimeout(resolve, 2500))
    } finally {
      await stop()
    }
    const to = smtp.received.slice(before).map((mail) => mail.to[0]).sort()
    expect(to).toEqual([...vendor.contacts.map((contact) => contact.email), staff.compliance.email, staff.procurement.email].sort())
    expect((await OffboardingModel.findById(started.offboardingId).lean())!.reminders.map((reminder) => reminder.key)).toEqual(['overdue-0'])
  })
  it('sends each reminder and escalation once, on its day, until the vendor answers', { timeout: 120_000 }, async () => {
    const mark = arrivals.length
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(bj('2026-03-01T10:00:00'))
    today = '2026-03-01'
    const late = await createLeavingVendor('Late')
    const prompt = await createLeavingVendor('Prompt')
    const startedLate = await startOffboarding(String(late._id), { intent: 'start', reason: 'ends', endDate: '2026-03-20' }, staff.actor(staff.procurement))
    const startedPrompt = await startOffboarding(String(prompt._id), { intent: 'start', reason: 'ends', endDate: '2026-03-10' }, staff.actor(staff.procurement))
    if (!startedLate.ok || !startedPrompt.ok) throw new Error('not started')
    expect(arrivals.length - mark).toBe(4) // the four requests

    for (let index = 1; index <= 36; index++) {
      const morning = addDays(bj('2026-03-01T09:00:00'), index)
      vi.setSystemTime(morning)
      today = dayKey(morning, ZONE)
      // Two instances' jobs at the same moment, and a third run later that morning.
      await Promise.all([runOffboardingJobs(morning, ZONE), runOffboardingJobs(morning, ZONE)])
      await runOffboardingJobs(new Date(morning.getTime() + 3600_000), ZONE)
      if (today === '2026-03-05') {
        const token = [...(await offboardingTokens(startedPrompt.offboardingId)).values()].at(-1)!
        const checked = await checkOffboardingAccess(token)
        if (!checked.ok) throw new Error(checked.problem)
        expect((await submitVendorResponse(checked.access, goodResponse, pdfFile())).ok).toBe(true)
      }
    }

    const lateVendor = late.contacts.map((contact) => contact.email)
    const promptVendor = prompt.contacts.map((contact) => contact.email)
    const staffEmails = [staff.compliance.email, staff.procurement.email]
    const log = arrivals.slice(mark + 4).map(({ day, mail }) => `${day} ${mail.to[0]}`)
    const expected = [
      ...promptVendor.map((email) => `2026-03-03 ${email}`), // 7 days before 03-10
      ...lateVendor.map((email) => `2026-03-13 ${email}`), // 7 days before 03-20
      ...lateVendor.map((email) => `2026-03-19 ${email}`), // the day before
      ...[...lateVendor, ...staffEmails].map((email) => `2026-03-21 ${email}`), // overdue: vendor and staff
      ...[...lateVendor, ...staffEmails].map((email) => `2026-03-28 ${email}`),
      ...[...lateVendor, ...staffEmails].map((email) => `2026-04-04 ${email}`),
    ]
    expect(log.sort()).toEqual(expected.sort())
    // The admin is not escalated to; the other vendor's contacts never hear of this one.
    expect(arrivals.slice(mark).some(({ mail }) => mail.to[0] === staff.admin.email)).toBe(false)

    const subjects = arrivals.slice(mark).filter(({ day }) => day === '2026-03-21').map(({ mail }) => decodeHeader(mail.subject))
    expect(subjects.filter((subject) => subject.startsWith('已逾期'))).toHaveLength(1) // the Chinese contact
    expect(subjects.filter((subject) => subject.startsWith('Overdue —'))).toHaveLength(1) // the English contact
    expect(subjects.filter((subject) => subject.startsWith('退出逾期'))).toHaveLength(1) // compliance, in Chinese
    expect(subjects.filter((subject) => subject.startsWith('Overdue offboarding'))).toHaveLength(1) // procurement, in English
    expect((await OffboardingModel.findById(startedLate.offboardingId).lean())!.reminders.map((reminder) => reminder.key)).toEqual(['before-7d', 'before-1d', 'overdue-0', 'overdue-1', 'overdue-2'])
    // Each reminder carried a fresh link that works.
    const newest = [...(await offboardingTokens(startedLate.offboardingId)).values()]
    for (const token of newest) expect((await checkOffboardingAccess(token)).ok).toBe(true)
    vi.useRealTimers()
  })

})
