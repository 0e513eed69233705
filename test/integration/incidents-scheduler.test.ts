// The PIPL Art. 57 tasks through the real job runner (Agenda on the embedded database) with a
// controlled clock and a real SMTP server on loopback: each task's reminder and escalation arrive
// exactly once, in the owner's language, whatever the number of sweeps; a task done in time is
// never escalated; a moved due date gets its own reminder.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import mongoose from 'mongoose'
import { MailMessageModel } from '~models/mail-message'
import { resetMailTransport } from '~/modules/mail/mail.server'
import { startScheduler, SWEEP_JOB } from '~/modules/schedule/runner.server'
import { reportIncident, updateIncidentTask } from '~/modules/incidents/writes.server'
import { IncidentModel } from '~models/incident'
import { startSmtpServer } from './schedule-support'
import { reportFields, staffUser, vendorWithContract } from './incidents-support'

const ZONE = 'Asia/Shanghai'
const smtp = await startSmtpServer()
process.env.SMTP_URL = smtp.url
process.env.INSTITUTION_TIMEZONE = ZONE
resetMailTransport()

const HOUR = 3_600_000
const START = new Date('2026-03-02T10:00:00+08:00') // the institution is told now

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

describe('incident task reminders and escalations', () => {
  let incidentId = ''

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(START)
    const owner = await staffUser('compliance', 'owner@bank.test', '王合规', 'zh-CN')
    await staffUser('admin', 'admin@bank.test', 'Ada Admin', 'en')
    const reporter = await staffUser('procurement', 'pat@bank.test', 'Pat Procurement', 'en')
    const { vendorId } = await vendorWithContract({ name: 'Scheduler Vendor', clauseIds: ['INC-NOTIFY-01'], businessOwnerId: owner.id })
    const result = await reportIncident({
      raw: { ...reportFields({ occurredAt: '2026-03-02T08:00', detectedAt: '2026-03-02T09:00', notifiedAt: '2026-03-02T10:00', piCategories: ['contact'], recordCount: '50', customerCount: '50' }), vendorId },
      reporter: { kind: 'staff', user: reporter },
    })
    if (!result.ok) throw new Error(JSON.stringify(result))
    incidentId = result.incidentId
    // remediation is done before it is due: never escalated.
    const incident = await IncidentModel.findById(incidentId).lean()
    expect(incident!.tasks.map((task) => task.ownerEmail)).toEqual(['owner@bank.test', 'owner@bank.test', 'owner@bank.test', 'owner@bank.test'])
    stop = await startScheduler({ every: '1 hour', processEvery: 100, mailEvery: '1 hour', runImmediately: true, name: 'incident-test', log: () => undefined })
  })

  it('sends each reminder and escalation once, through the real runner and SMTP', { timeout: 120_000 }, async () => {
    // Due: regulator +72 h, individuals +120 h, remediation +14 d, root cause +14 d (low severity).
    const steps = [0, 1, 47, 48, 49, 60, 71, 72, 73, 80, 96, 97, 100, 119, 121, 130, 150]
    for (const hours of steps) await sweepAt(new Date(START.getTime() + hours * HOUR))
    const me = await IncidentModel.findById(incidentId).lean()
    const manager = await staffUser('compliance', 'mgr@bank.test', 'Mia Manager', 'en')
    // Remediation done early; root cause moved one week later.
    let result = await updateIncidentTask(incidentId, { intent: 'task', kind: 'remediation', ownerId: me!.tasks[2]!.ownerId, dueAt: '2026-03-16T10:00', done: 'on', version: me!.version }, manager)
    expect(result.ok).toBe(true)
    result = await updateIncidentTask(incidentId, { intent: 'task', kind: 'root_cause_report', ownerId: me!.tasks[3]!.ownerId, dueAt: '2026-03-23T10:00', done: '', version: result.ok ? result.version : 0 }, manager)
    expect(result.ok).toBe(true)
    for (const hours of [300, 310, 320, 336, 337, 400, 480, 490, 505, 506, 520]) await sweepAt(new Date(START.getTime() + hours * HOUR))

    const sent = await MailMessageModel.find({ kind: /^incident_task_/ }, { kind: 1, dedupeKey: 1, to: 1, cc: 1, status: 1, locale: 1 }).sort({ createdAt: 1 }).lean()
    const keys = sent.map((mail) => mail.dedupeKey!.replace(`incident:${incidentId}:task:`, ''))
    expect(keys).toEqual([
      'notify_regulator:reminder:2026-03-05',
      'notify_regulator:escalation:2026-03-05',
      'notify_individuals:reminder:2026-03-07',
      'notify_individuals:escalation:2026-03-07',
      'root_cause_report:reminder:2026-03-23',
      'root_cause_report:escalation:2026-03-23',
    ])
    expect(sent.every((mail) => mail.status === 'sent' && mail.locale === 'zh-CN' && mail.to[0] === 'owner@bank.test')).toBe(true)
    // Escalations copy compliance and admins (the owner is not copied on their own mail).
    const escalations = sent.filter((mail) => mail.kind === 'incident_task_escalation')
    expect(escalations.map((mail) => [...(mail.cc ?? [])].sort())).toEqual([['admin@bank.test'], ['admin@bank.test'], ['admin@bank.test', 'mgr@bank.test']])

    // What the SMTP server received: the same six, each once, in Chinese.
    const received = smtp.received.filter((mail) => /即将到期|已逾期/.test(mail.subject))
    expect(received).toHaveLength(6)
    expect(received.map((mail) => mail.subject.slice(0, 5))).toEqual(['即将到期：', '已逾期：向', '即将到期：', '已逾期：通', '即将到期：', '已逾期：原'])
    expect(received[1]!.subject).toContain('向监管部门报告')
    // Nothing for the remediation task, done before it was due.
    expect(keys.some((key) => key.startsWith('remediation'))).toBe(false)
  })
})
