// 18 months of the scheduler, one sweep a day at 09:00 Beijing time, for five vendors: every
// invitation, reminder, escalation and contract warning must arrive through a real SMTP server
// exactly once, on the day the rules say, in the recipient's language, and nothing else.
import { addDays } from 'date-fns'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { MailMessageModel } from '~models/mail-message'
import { UserModel } from '~models/user'
import { VendorModel } from '~models/vendor'
import { resetMailTransport } from '~/modules/mail/mail.server'
import { dayKey } from '~/modules/schedule/cadence'
import { recordTrigger, scheduleNextReassessment } from '~/modules/schedule/schedule.server'
import { saveSettings } from '~/modules/schedule/settings.server'
import { DEFAULT_SETTINGS } from '~/modules/schedule/settings'
import { runSweep } from '~/modules/schedule/sweep.server'
import { createContract, createVendor, startSmtpServer } from './schedule-support'

const ZONE = 'Asia/Shanghai'
const bj = (local: string) => new Date(`${local}+08:00`)
const day = (date: Date) => dayKey(date, ZONE)

// The app reads SMTP_URL once; point it at our loopback server before anything reads it.
const smtp = await startSmtpServer()
process.env.SMTP_URL = smtp.url
process.env.INSTITUTION_TIMEZONE = ZONE
resetMailTransport()

afterAll(async () => {
  vi.useRealTimers()
  resetMailTransport()
  await smtp.close()
})

async function openAssessmentOf(vendorId: unknown) {
  const assessment = await AssessmentModel.findOne({ vendorId, status: { $nin: ['completed', 'cancelled'] } }).lean()
  if (!assessment) throw new Error(`no open assessment for vendor ${String(vendorId)}`)
  return assessment
}

async function submit(vendorId: unknown, now: Date) {
  const assessment = await openAssessmentOf(vendorId)
  await AssessmentModel.updateOne({ _id: assessment._id }, { $set: { status: 'submitted', 'submission.at': now }, $inc: { version: 1 } })
}

/** What the compliance sign-off does: complete, summarise on the vendor, schedule the next one. */
async function signOff(vendorId: unknown, now: Date) {
  const assessment = await openAssessmentOf(vendorId)
  await AssessmentModel.updateOne({ _id: assessment._id }, { $set: { status: 'completed', 'signOff.at': now, 'signOff.byName': 'Compliance' }, $inc: { version: 1 } })
  await VendorModel.updateOne({ _id: vendorId }, { $set: { 'assessmentSummary.lastAssessedAt': now, 'assessmentSummary.lastAssessmentId': assessment._id, 'assessmentSummary.residualRisk': 'medium' } })
  await scheduleNextReassessment(String(vendorId), now)
}

describe('the scheduler over 18 months', () => {
  const ids: Record<string, unknown> = {}

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(bj('2024-12-31T12:00:00'))
    const admin = await UserModel.create({ email: 'admin@bank.test', name: 'Admin', role: 'admin', passwordHash: 'x', locale: 'en' })
    const owner = await UserModel.create({ email: 'owner@bank.test', name: '王业务', role: 'compliance', passwordHash: 'x', locale: 'zh-CN' })
    await UserModel.create({ email: 'proc@bank.test', name: 'Pat Procurement', role: 'procurement', passwordHash: 'x', locale: 'en' })
    await UserModel.create({ email: 'gone@bank.test', name: 'Former Procurement', role: 'procurement', passwordHash: 'x', locale: 'en', active: false })
    const saved = await saveSettings({ ...DEFAULT_SETTINGS, tierCadenceMonths: { 1: 6, 2: null, 3: null, 4: null } }, 0, {
      id: admin._id.toString(), email: admin.email, name: admin.name, role: 'admin', locale: 'en',
    })
    expect(saved.ok).toBe(true)

    ids.A = await createVendor({ name: 'Alpha Pay', tier: 1, contacts: [{ name: 'Ann', email: 'ann@alpha.test', locale: 'en' }] })
    ids.B = await createVendor({ name: 'Beta Cloud', tier: 3, contacts: [{ name: '白女士', email: 'bai@beta.test', locale: 'zh-CN' }], businessOwnerId: owner._id })
    ids.C = await createVendor({ name: 'Gamma Marketing', tier: 2, contacts: [{ name: 'Cid', email: 'cid@gamma.test', locale: 'en' }] })
    ids.D = await createVendor({ name: 'Delta Collect', tier: 2, contacts: [{ name: 'Dee', email: 'dee@delta.test', locale: 'en' }], businessOwnerId: owner._id })
    ids.E = await createVendor({ name: 'Epsilon Data', tier: 4, contacts: [{ name: 'Eve', email: 'eve@eps.test', locale: 'en' }] })
    ids.F = await createVendor({ name: 'Phi Print', tier: 4, contacts: [{ name: 'Fay', email: 'fay@phi.test', locale: 'en' }] })

    // Last sign-offs before the simulation starts (A: tier 1, six months; 29 February for C).
    expect(day((await scheduleNextReassessment(String(ids.A), bj('2024-08-15T10:00:00')))!.nextDueAt)).toBe('2025-02-15')
    expect(day((await scheduleNextReassessment(String(ids.B), bj('2024-03-31T15:00:00')))!.nextDueAt)).toBe('2025-03-31')
    expect(day((await scheduleNextReassessment(String(ids.C), bj('2024-02-29T11:00:00')))!.nextDueAt)).toBe('2025-02-28')
    expect(day((await scheduleNextReassessment(String(ids.D), bj('2024-12-31T10:00:00')))!.nextDueAt)).toBe('2025-12-31')

    await createContract({ vendorId: ids.E as never, reference: 'E-2023', effectiveAt: bj('2023-10-01T00:00:00'), expiresAt: bj('2025-09-30T23:59:59') })
    // F's contract is renewed in advance: no warning for the one that runs out.
    await createContract({ vendorId: ids.F as never, reference: 'F-2024', effectiveAt: bj('2024-12-01T00:00:00'), expiresAt: bj('2025-11-30T23:59:59') })
    await createContract({ vendorId: ids.F as never, reference: 'F-2025', effectiveAt: bj('2025-12-01T00:00:00'), expiresAt: bj('2026-11-30T23:59:59') })
  })

  it('sends every mail exactly once, on the right day', { timeout: 240_000 }, async () => {
    // Things people do, at 10:00 on these days (after that day's 09:00 sweep).
    const events: Record<string, (now: Date) => Promise<void>> = {
      '2025-02-05': (now) => submit(ids.A, now),
      '2025-02-10': (now) => signOff(ids.A, now),
      '2025-02-28': (now) => submit(ids.C, now),
      '2025-03-10': (now) => signOff(ids.C, now),
      '2025-05-01': async () => {
        const assessment = await openAssessmentOf(ids.B)
        await AssessmentModel.updateOne({ _id: assessment._id }, { $set: { status: 'cancelled' }, $inc: { version: 1 } })
      },
      '2025-05-10': async (now) => {
        const result = await recordTrigger({ vendorId: String(ids.D), reason: 'contract_renewal', detail: 'D-2025 signed', actor: { kind: 'system' }, now })
        expect(result).toMatchObject({ ok: true, broughtForward: true })
      },
      '2025-06-02': async (now) => {
        const result = await recordTrigger({ vendorId: String(ids.B), reason: 'staff_request', detail: 'restart after cancellation', actor: { kind: 'user', id: 'u1', name: 'Pat' }, startNow: true, now })
        expect(result).toMatchObject({ ok: true, broughtForward: true, issued: 'issued' })
      },
      '2025-06-05': (now) => submit(ids.D, now),
      '2025-06-07': (now) => signOff(ids.D, now),
      '2025-06-28': (now) => submit(ids.B, now),
      '2025-07-05': (now) => signOff(ids.B, now),
      '2025-07-30': (now) => submit(ids.A, now),
      '2025-08-05': (now) => signOff(ids.A, now),
      '2025-09-15': async () => {
        await createContract({ vendorId: ids.E as never, reference: 'E-2025', effectiveAt: bj('2025-10-01T00:00:00'), expiresAt: bj('2026-03-31T23:59:59') })
      },
      '2026-01-25': (now) => submit(ids.A, now),
      '2026-01-31': (now) => signOff(ids.A, now),
      '2026-03-09': (now) => submit(ids.C, now),
      '2026-03-12': (now) => signOff(ids.C, now),
    }

    for (let date = bj('2025-01-01T09:00:00'); date <= bj('2026-06-30T09:00:00'); date = addDays(date, 1)) {
      vi.setSystemTime(date)
      await runSweep(date, { timeZone: ZONE })
      const event = events[day(date)]
      if (event) {
        const at = new Date(date.getTime() + 3600_000)
        vi.setSystemTime(at)
        await event(at)
      }
    }

    const messages = await MailMessageModel.find({}).sort({ createdAt: 1 }).lean()
    const actual = messages.map((message) => `${day(message.createdAt)} ${message.kind} ${message.to.join(',')}`).sort()
    const both = (date: string) => [`${date} escalation owner@bank.test`, `${date} escalation proc@bank.test`]
    const expected = [
      // Alpha Pay, tier 1 (six months): answers after the 14-day reminder each time.
      '2025-01-16 invitation ann@alpha.test', '2025-02-01 reminder ann@alpha.test',
      '2025-07-11 invitation ann@alpha.test', '2025-07-27 reminder ann@alpha.test',
      '2026-01-06 invitation ann@alpha.test', '2026-01-22 reminder ann@alpha.test',
      // Beta Cloud: silent, escalated weekly until cancelled; restarted by staff; due again in 2026.
      '2025-03-01 invitation bai@beta.test', '2025-03-17 reminder bai@beta.test', '2025-03-24 reminder bai@beta.test', '2025-03-30 reminder bai@beta.test',
      ...both('2025-04-01'), ...both('2025-04-08'), ...both('2025-04-15'), ...both('2025-04-22'), ...both('2025-04-29'),
      '2025-06-02 invitation bai@beta.test', '2025-06-18 reminder bai@beta.test', '2025-06-25 reminder bai@beta.test',
      '2026-06-05 invitation bai@beta.test', '2026-06-21 reminder bai@beta.test', '2026-06-28 reminder bai@beta.test',
      // Gamma Marketing: due 28 Feb 2025 (from 29 Feb 2024), all three reminders each round.
      '2025-01-29 invitation cid@gamma.test', '2025-02-14 reminder cid@gamma.test', '2025-02-21 reminder cid@gamma.test', '2025-02-27 reminder cid@gamma.test',
      '2026-02-08 invitation cid@gamma.test', '2026-02-24 reminder cid@gamma.test', '2026-03-03 reminder cid@gamma.test', '2026-03-09 reminder cid@gamma.test',
      // Delta Collect: brought forward by a contract renewal; in 2026 never answers.
      '2025-05-11 invitation dee@delta.test', '2025-05-26 reminder dee@delta.test', '2025-06-02 reminder dee@delta.test',
      '2026-05-08 invitation dee@delta.test', '2026-05-24 reminder dee@delta.test', '2026-05-31 reminder dee@delta.test', '2026-06-06 reminder dee@delta.test',
      ...both('2026-06-08'), ...both('2026-06-15'), ...both('2026-06-22'), ...both('2026-06-29'),
      // Contracts: 60 days before each expiry, procurement only (no business owner); none for F.
      '2025-08-01 contract-expiry proc@bank.test', '2026-01-30 contract-expiry proc@bank.test',
    ].sort()
    expect(actual).toEqual(expected)

    // Every record went out over SMTP, and the SMTP server got each message exactly once.
    expect(messages.every((message) => message.status === 'sent')).toBe(true)
    const sentPairs = messages.map((message) => `${message.to.join(',')} ${message.subject}`).sort()
    const receivedPairs = smtp.received.map((mail) => `${mail.to.join(',')} ${mail.subject}`).sort()
    expect(receivedPairs).toEqual(sentPairs)

    // In each recipient's language.
    const subjectsTo = (email: string, kind: string) => messages.filter((m) => m.to.includes(email) && m.kind === kind).map((m) => m.subject)
    expect(subjectsTo('owner@bank.test', 'escalation').every((subject) => subject.startsWith('逾期 '))).toBe(true)
    expect(subjectsTo('proc@bank.test', 'escalation').every((subject) => subject.startsWith('Overdue by '))).toBe(true)
    expect(subjectsTo('bai@beta.test', 'reminder').every((subject) => /[\u4e00-\u9fff]/.test(subject))).toBe(true)
    expect(subjectsTo('ann@alpha.test', 'reminder').every((subject) => !/[\u4e00-\u9fff]/.test(subject))).toBe(true)

    // The triggers are on the vendors' record, with reason, who and when.
    const delta = await VendorModel.findById(ids.D).lean()
    expect(delta!.reassessment!.triggers).toEqual([expect.objectContaining({ reason: 'contract_renewal', detail: 'D-2025 signed', byName: 'system' })])
    expect(day(delta!.reassessment!.triggers[0]!.at!)).toBe('2025-05-10')
    const beta = await VendorModel.findById(ids.B).lean()
    expect(beta!.reassessment!.triggers).toEqual([expect.objectContaining({ reason: 'staff_request', byName: 'Pat', byUserId: 'u1' })])
    expect(day(beta!.reassessment!.nextDueAt!)).toBe('2026-07-05')
  })
})
