// The sweep never silently skips a vendor: the demo's overdue vendors get their reassessment at
// once (due today + the response window), and a vendor that cannot be issued is recorded with its
// reason, shown on the dashboard and the schedule page, and mailed to admins once.
import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { MailMessageModel } from '~models/mail-message'
import { UserModel } from '~models/user'
import { VendorModel } from '~models/vendor'
import { ensureFirstAdmin } from '~/modules/auth/users.server'
import { OPEN_STATUSES } from '~/modules/assessments/vocabulary'
import { seedDemo } from '~/modules/demo/seed.server'
import { reloadLibrary } from '~/modules/library/library.server'
import { endOfDayAfter, responseDueAt } from '~/modules/schedule/cadence'
import { bucketVendors, dashboardData } from '~/modules/schedule/dashboard.server'
import { listIssueFailures } from '~/modules/schedule/issue-failure.server'
import { getSettings, institutionTimeZone } from '~/modules/schedule/settings.server'
import { runSweep } from '~/modules/schedule/sweep.server'

const DAY = 86_400_000

beforeAll(async () => {
  reloadLibrary()
  await ensureFirstAdmin({ email: 'admin@catch-up.test', password: 'admin-password-for-tests', log: () => undefined })
  await seedDemo({ log: () => undefined })
}, 120_000)

describe('the response due date of an issued reassessment', () => {
  it('is the scheduled date while it is ahead, and today + the response window once it has passed', () => {
    const now = new Date('2025-06-10T04:00:00Z')
    const ahead = new Date('2025-07-10T15:59:59.999Z')
    expect(responseDueAt(ahead, now, 30, 'Asia/Shanghai')).toEqual(ahead)
    expect(responseDueAt(new Date('2025-06-01T15:59:59.999Z'), now, 30, 'Asia/Shanghai')).toEqual(new Date('2025-07-10T15:59:59.999Z'))
  })
})

describe('a sweep after the demo seed', () => {
  it('issues the overdue vendors at once, then records, shows and mails one that cannot be issued', { timeout: 120_000 }, async () => {
    const now = new Date()
    const timeZone = institutionTimeZone()
    const { issueAheadDays } = await getSettings()
    const open = new Set((await AssessmentModel.find({ status: { $in: OPEN_STATUSES } }, { vendorId: 1 }).lean()).map((a) => String(a.vendorId)))
    const overdue = (await VendorModel.find({ 'reassessment.nextDueAt': { $lt: now }, status: { $in: ['active', 'onboarding'] } }).lean()).filter(
      (vendor) => !open.has(String(vendor._id)),
    )
    expect(overdue.length).toBe(2) // the demo's two overdue vendors

    // One vendor of the due-within-30-days group loses its contacts: it cannot be issued.
    const stuck = (await VendorModel.find({ 'reassessment.nextDueAt': { $gte: now, $lte: endOfDayAfter(now, 20, timeZone) }, status: 'active' }).lean()).filter(
      (vendor) => !open.has(String(vendor._id)),
    )[0]!
    await VendorModel.updateOne({ _id: stuck._id }, { $set: { contacts: [] }, $inc: { version: 1 } })

    const result = await runSweep(now)
    expect(result.failed).toBe(1)
    for (const vendor of overdue) {
      const assessment = await AssessmentModel.findOne({ vendorId: vendor._id, status: { $in: OPEN_STATUSES } }).lean()
      expect(assessment, `overdue vendor ${vendor.legalName?.en} got no reassessment`).not.toBeNull()
      expect(assessment!.dueAt.getTime()).toBe(endOfDayAfter(now, issueAheadDays, timeZone).getTime())
      expect(assessment!.dueAt.getTime()).toBeGreaterThan(now.getTime() + (issueAheadDays - 1) * DAY)
      const after = (await VendorModel.findById(vendor._id).lean())!
      expect(after.reassessment!.issuedForDueAt!.getTime()).toBe(vendor.reassessment!.nextDueAt!.getTime())
      expect(after.reassessment!.issueError?.at ?? null).toBeNull()
    }

    // Recorded with its reason, on the dashboard and the schedule page.
    const recorded = (await VendorModel.findById(stuck._id).lean())!
    expect(recorded.reassessment!.issueError).toMatchObject({ reason: 'noContacts' })
    const failures = await listIssueFailures()
    expect(failures).toMatchObject({ total: 1, rows: [{ vendorId: String(stuck._id), reason: 'noContacts' }] })
    const bucket = await bucketVendors({ kind: 'notIssued' }, now)
    expect(bucket.rows.map((row) => [row.id, row.issueFailure?.reason])).toEqual([[String(stuck._id), 'noContacts']])
    const overdueBucket = await bucketVendors({ kind: 'due30' }, now)
    expect(overdueBucket.rows.find((row) => row.id === String(stuck._id))?.issueFailure?.reason).toBe('noContacts')
    expect((await dashboardData(now)).counts).toBeDefined()

    // Admins are mailed once, in their language, however often the sweep tries again.
    const admins = await UserModel.countDocuments({ role: 'admin', active: true })
    expect(admins).toBeGreaterThan(0)
    await runSweep(new Date(now.getTime() + 60_000))
    await runSweep(new Date(now.getTime() + 1.2 * DAY)) // the next day: tried again, failed again
    const mails = await MailMessageModel.find({ kind: 'schedule-issue-failure' }).lean()
    expect(mails).toHaveLength(admins)
    expect(mails[0]!.subject).toMatch(/复评未能发出|could not be issued/)
    expect(mails[0]!.text).toMatch(/没有可发送问卷的联系人|no contact to send the questionnaire to/)

    // Once the cause is fixed, the next sweep issues it and the failure disappears.
    await VendorModel.updateOne({ _id: stuck._id }, { $set: { contacts: stuck.contacts }, $inc: { version: 1 } })
    const fixed = await runSweep(new Date(now.getTime() + 2.2 * DAY))
    expect(fixed.issued).toBeGreaterThanOrEqual(1)
    expect(await listIssueFailures()).toMatchObject({ total: 0 })
  })
})

describe('an instance started after downtime', () => {
  it('sweeps right after start-up instead of one interval later', { timeout: 60_000 }, async () => {
    const { startScheduler } = await import('~/modules/schedule/runner.server')
    const now = new Date()
    const open = new Set((await AssessmentModel.find({ status: { $in: OPEN_STATUSES } }, { vendorId: 1 }).lean()).map((a) => String(a.vendorId)))
    const vendor = (await VendorModel.find({ status: 'active', 'contacts.0': { $exists: true } }).lean()).find((candidate) => !open.has(String(candidate._id)))!
    // Its reassessment fell due while no instance was running.
    await VendorModel.updateOne(
      { _id: vendor._id },
      { $set: { 'reassessment.nextDueAt': new Date(now.getTime() - 3 * DAY) }, $unset: { 'reassessment.issuedForDueAt': 1, 'reassessment.issueLease': 1 }, $inc: { version: 1 } },
    )
    const stop = await startScheduler({ every: '1 day', processEvery: '1 day', log: () => undefined })
    await stop() // waits for the start-up sweep
    expect(await AssessmentModel.exists({ vendorId: vendor._id, status: { $in: OPEN_STATUSES } })).not.toBeNull()
  })
})
