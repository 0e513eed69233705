// Retention: the job lists what is due to the admins once; an admin's confirmed deletion removes
// the answers and evidence files of exactly the due vendor's assessments — not of a vendor still
// within its period, not of an active vendor — and keeps audit events and report fingerprints.
import { createHash } from 'node:crypto'
import { addYears } from 'date-fns'
import mongoose, { Types } from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { AuditEventModel } from '~models/audit-event'
import { MailMessageModel } from '~models/mail-message'
import { OffboardingModel } from '~models/offboarding'
import { ReportModel } from '~models/report'
import { VendorModel } from '~models/vendor'
import { recordAudit } from '~/modules/audit/audit.server'
import { storeEvidence } from '~/modules/evidence/evidence.server'
import { resetMailTransport } from '~/modules/mail/mail.server'
import { storeCertificate } from '~/modules/offboarding/certificate.server'
import { deleteRetainedRecords, getRetentionSettings, listRetention, notifyRetentionDue, saveRetentionSettings } from '~/modules/offboarding/retention.server'
import { createLeavingVendor, createOpenAssessment, createStaff } from './offboarding-support'
import { startSmtpServer } from './schedule-support'

const smtp = await startSmtpServer()
process.env.SMTP_URL = smtp.url
resetMailTransport()
afterAll(async () => {
  resetMailTransport()
  await smtp.close()
})

const pdf = Buffer.from('%PDF-1.4\n%%EOF\n')
const answer = (value: string) => ({ value, evidence: [], rev: 1, updatedAt: new Date() })
const files = () => mongoose.connection.db!.collection('evidence.files')

/** A vendor with two assessments, each with answers and an evidence file, a report and audit events. */
async function vendorWithRecords(name: string, offboarded: { acceptedAt: Date } | null) {
  const vendor = await createLeavingVendor(name)
  const assessmentIds: Types.ObjectId[] = []
  for (const status of ['completed', 'cancelled']) {
    const { assessmentId } = await createOpenAssessment(vendor._id, status, { q1: answer('yes'), q2: answer('no') })
    await storeEvidence({ bytes: pdf, filename: `${name}.pdf`, contentType: 'application/pdf', extension: 'pdf', metadata: { assessmentId: String(assessmentId), questionId: 'q1' } })
    await recordAudit({ actor: { kind: 'system' }, action: 'assessment.submit', subject: { kind: 'assessment', id: String(assessmentId) } })
    assessmentIds.push(assessmentId)
  }
  const fingerprint = createHash('sha256').update(name).digest('hex')
  await ReportModel.create({
    fingerprint, reportId: `R-${name}`, assessmentId: assessmentIds[0], vendorId: vendor._id, locale: 'zh-CN',
    summary: { vendorName: { 'zh-CN': name, en: name }, assessmentStatus: 'completed' },
    generatedAt: new Date(), generatedBy: { id: 'u', name: 'C' }, lastGeneratedAt: new Date(), lastGeneratedBy: { id: 'u', name: 'C' },
  })
  let offboardingId: Types.ObjectId | null = null
  if (offboarded) {
    offboardingId = new Types.ObjectId()
    const certificate = await storeCertificate({ bytes: pdf, filename: 'certificate.pdf', contentType: 'application/pdf', extension: 'pdf', offboardingId: String(offboardingId) })
    await OffboardingModel.create({
      _id: offboardingId, vendorId: vendor._id, status: 'accepted', reason: 'ended', endDate: '2020-01-31', startedAt: offboarded.acceptedAt, acceptedAt: offboarded.acceptedAt,
      categories: ['identity'], response: { certificate, submittedAt: offboarded.acceptedAt },
    })
    await VendorModel.updateOne({ _id: vendor._id }, { $set: { status: 'offboarded' } })
  }
  return { vendor, assessmentIds, fingerprint, offboardingId: offboardingId ? String(offboardingId) : '' }
}

async function recordsOf(assessmentIds: Types.ObjectId[]) {
  const assessments = await AssessmentModel.find({ _id: { $in: assessmentIds } }, { answers: 1 }).lean()
  const answers = assessments.reduce((sum, assessment) => sum + Object.keys(assessment.answers ?? {}).length, 0)
  const evidence = await files().countDocuments({ 'metadata.assessmentId': { $in: assessmentIds.map(String) } })
  return { answers, evidence }
}

describe('retention of offboarded vendors', () => {
  let staff: Awaited<ReturnType<typeof createStaff>>
  let due: Awaited<ReturnType<typeof vendorWithRecords>>
  let notDue: Awaited<ReturnType<typeof vendorWithRecords>>
  let active: Awaited<ReturnType<typeof vendorWithRecords>>
  const now = new Date()

  beforeAll(async () => {
    staff = await createStaff()
    due = await vendorWithRecords('Due', { acceptedAt: addYears(now, -6) })
    notDue = await vendorWithRecords('NotDue', { acceptedAt: addYears(now, -2) })
    active = await vendorWithRecords('Active', null)
  })

  it('keeps five years by default and lists what is due', async () => {
    expect((await getRetentionSettings()).retentionYears).toBe(5)
    const list = await listRetention(now)
    expect(list.map((entry) => [entry.vendorId, entry.due])).toEqual([
      [String(due.vendor._id), true],
      [String(notDue.vendor._id), false],
    ])
  })

  it('tells the admins once', async () => {
    const before = smtp.received.length
    expect(await notifyRetentionDue(now)).toBe(1)
    expect(await notifyRetentionDue(now)).toBe(0)
    expect(await notifyRetentionDue(new Date(now.getTime() + 86_400_000))).toBe(0)
    const mails = smtp.received.slice(before)
    expect(mails.map((mail) => mail.to[0])).toEqual([staff.admin.email])
    expect(await MailMessageModel.countDocuments({ kind: 'retention-due' })).toBe(1)
  })

  it('deletes exactly what is due, after an admin confirms, and keeps audit events and report fingerprints', async () => {
    const auditBefore = await AuditEventModel.countDocuments({})
    const reportsBefore = await ReportModel.find({}, { fingerprint: 1, assessmentId: 1 }).sort({ fingerprint: 1 }).lean()
    expect(await recordsOf(due.assessmentIds)).toEqual({ answers: 4, evidence: 2 })

    // Not yet due: refused, nothing touched.
    expect(await deleteRetainedRecords(notDue.offboardingId, staff.actor(staff.admin), now)).toMatchObject({ ok: false, status: 409, formError: 'offboarding:errors.notDue' })
    expect(await deleteRetainedRecords(new Types.ObjectId().toString(), staff.actor(staff.admin), now)).toMatchObject({ ok: false, status: 404 })

    const deleted = await deleteRetainedRecords(due.offboardingId, staff.actor(staff.admin), now)
    expect(deleted).toEqual({ ok: true, assessments: 2, answers: 4, files: 2 })
    expect(await recordsOf(due.assessmentIds)).toEqual({ answers: 0, evidence: 0 })
    // Everything else is as it was.
    expect(await recordsOf(notDue.assessmentIds)).toEqual({ answers: 4, evidence: 2 })
    expect(await recordsOf(active.assessmentIds)).toEqual({ answers: 4, evidence: 2 })
    expect(await files().countDocuments({ 'metadata.offboardingId': { $exists: true } })).toBe(2) // the deletion certificates stay as proof
    expect(await ReportModel.find({}, { fingerprint: 1, assessmentId: 1 }).sort({ fingerprint: 1 }).lean()).toEqual(reportsBefore)
    expect(await AssessmentModel.countDocuments({ vendorId: due.vendor._id })).toBe(2) // the assessments themselves stay, without answers
    expect(await AuditEventModel.countDocuments({})).toBe(auditBefore + 1)
    const audit = await AuditEventModel.findOne({ action: 'retention.delete' }).lean()
    expect(audit).toMatchObject({ actor: { kind: 'user', id: String(staff.admin._id) }, subject: { kind: 'vendor', id: String(due.vendor._id) }, details: { assessments: 2, answers: 4, files: 2, retentionYears: 5 } })

    // Once only.
    expect(await deleteRetainedRecords(due.offboardingId, staff.actor(staff.admin), now)).toMatchObject({ ok: false, status: 409, formError: 'offboarding:errors.alreadyDeleted' })
    expect((await listRetention(now)).find((entry) => entry.vendorId === String(due.vendor._id))).toMatchObject({ due: false, deletedAt: expect.any(String) })
  })

  it('a shorter retention, saved and audited, makes the other vendor due', async () => {
    const saved = await saveRetentionSettings(1, 0, { id: String(staff.admin._id), name: staff.admin.name, email: staff.admin.email })
    expect(saved.ok).toBe(true)
    expect(await saveRetentionSettings(2, 0, { id: String(staff.admin._id), name: staff.admin.name })).toEqual({ ok: false }) // stale version
    expect(await AuditEventModel.countDocuments({ action: 'settings.retention.update', 'details.retentionYears': 1 })).toBe(1)
    expect((await listRetention(now)).find((entry) => entry.vendorId === String(notDue.vendor._id))?.due).toBe(true)
    expect(await recordsOf(active.assessmentIds)).toEqual({ answers: 4, evidence: 2 })
  })
})
