// Offboarding through the module's functions, against the embedded database and a real SMTP
// server: the start cancels open assessments and e-mails each contact a link in their language;
// the link opens exactly one offboarding and nothing else; the vendor's answer, compliance's
// decision and the read-only vendor afterwards.
import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { AuditEventModel } from '~models/audit-event'
import { MailMessageModel } from '~models/mail-message'
import { OffboardingLinkModel } from '~models/offboarding-link'
import { OffboardingModel } from '~models/offboarding'
import { VendorModel } from '~models/vendor'
import { checkVendorAccess } from '~/modules/assessments/access.server'
import { startAssessment, StartAssessmentError } from '~/modules/assessments/start.server'
import { createContract } from '~/modules/contracts/contracts.server'
import { resetMailTransport } from '~/modules/mail/mail.server'
import { checkOffboardingAccess, revokeOffboardingLinks } from '~/modules/offboarding/links.server'
import { reviewOffboarding, runOffboardingJobs, startOffboarding, submitVendorResponse } from '~/modules/offboarding/offboarding.server'
import { updateVendor } from '~/modules/vendors/writes.server'
import { createLeavingVendor, createOpenAssessment, createStaff, goodResponse, offboardingTokens, pdfFile } from './offboarding-support'
import { decodeHeader, startSmtpServer } from './schedule-support'

const smtp = await startSmtpServer()
process.env.SMTP_URL = smtp.url
process.env.APP_URL = 'https://clausewise.example.test'
resetMailTransport()
afterAll(async () => {
  vi.useRealTimers()
  resetMailTransport()
  await smtp.close()
})

const tamper = (token: string) => (token[0] === 'A' ? 'B' : 'A') + token.slice(1)

async function access(token: string) {
  const checked = await checkOffboardingAccess(token)
  if (!checked.ok) throw new Error(`refused: ${checked.problem}`)
  return checked.access
}

describe('offboarding a vendor', () => {
  let staff: Awaited<ReturnType<typeof createStaff>>
  beforeAll(async () => {
    staff = await createStaff()
  })

  it('cancels the open assessments, revokes their links and mails each contact a link in their language', async () => {
    const vendor = await createLeavingVendor()
    const open = await createOpenAssessment(vendor._id, 'in_progress')
    const submitted = await createOpenAssessment(vendor._id, 'submitted')
    const done = await createOpenAssessment(vendor._id, 'completed')
    expect((await checkVendorAccess(open.token)).ok).toBe(true)

    const before = smtp.received.length
    const started = await startOffboarding(String(vendor._id), { intent: 'start', reason: 'Contract not renewed', endDate: '2030-03-31' }, staff.actor(staff.procurement))
    expect(started.ok).toBe(true)
    const offboardingId = started.ok ? started.offboardingId : ''

    const statuses = await AssessmentModel.find({ vendorId: vendor._id }, { status: 1 }).sort({ _id: 1 }).lean()
    expect(statuses.map((entry) => entry.status)).toEqual(['cancelled', 'cancelled', 'completed'])
    expect(await checkVendorAccess(open.token)).toEqual({ ok: false, problem: 'revoked' })
    expect(await checkVendorAccess(submitted.token)).toEqual({ ok: false, problem: 'revoked' })
    expect((await AssessmentModel.findById(done.assessmentId).lean())!.invitations[0]!.revokedAt).toBeFalsy()
    const record = await OffboardingModel.findById(offboardingId).lean()
    expect(record!.cancelledAssessmentIds.sort()).toEqual([String(open.assessmentId), String(submitted.assessmentId)].sort())
    expect(record!.categories).toEqual(['identity', 'transactions'])
    expect(record!.clause?.id).toBe('RET-END-01')
    expect((await VendorModel.findById(vendor._id).lean())!.reassessment?.nextDueAt).toBeFalsy()
    expect(await AuditEventModel.countDocuments({ action: 'assessment.cancel', 'details.offboardingId': offboardingId })).toBe(2)
    expect(await AuditEventModel.countDocuments({ action: 'offboarding.start', 'subject.id': String(vendor._id) })).toBe(1)

    // One mail per contact, through the SMTP server, each in the contact's language.
    const mails = smtp.received.slice(before)
    expect(mails.map((mail) => mail.to[0]).sort()).toEqual(vendor.contacts.map((contact) => contact.email).sort())
    const zh = mails.find((mail) => mail.to[0]!.startsWith('zhang'))!
    const en = mails.find((mail) => mail.to[0]!.startsWith('alice'))!
    expect(decodeHeader(zh.subject)).toContain('请返还或删除')
    expect(en.subject).toContain('please return or delete')
    const stored = await MailMessageModel.find({ 'related.id': offboardingId }).lean()
    const zhText = stored.find((mail) => mail.locale === 'zh-CN')!.text
    expect(zhText).toMatch(/合同终止后返还或删除/)
    expect(zhText).toContain('• 身份信息（姓名、证件号码）')
    expect(zhText).toContain('• 交易记录')
    expect(zhText).not.toMatch(/mail\./)
    const enText = stored.find((mail) => mail.locale === 'en')!.text
    expect(enText).toContain('Identity')
    expect(enText).toContain('Return or deletion at the end of the contract')
    expect(enText).toMatch(/https:\/\/clausewise\.example\.test\/o\/[A-Za-z0-9_-]{43}/)

    // Only the SHA-256 of a token is stored.
    const tokens = await offboardingTokens(offboardingId)
    const links = await OffboardingLinkModel.find({ offboardingId }).lean()
    for (const token of tokens.values()) expect(links.some((link) => link.tokenHash === token)).toBe(false)
    expect(links.every((link) => /^[0-9a-f]{64}$/.test(link.tokenHash))).toBe(true)

    // Starting twice is refused with a 409.
    const again = await startOffboarding(String(vendor._id), { intent: 'start', reason: 'again', endDate: '2030-03-31' }, staff.actor(staff.procurement))
    expect(again).toMatchObject({ ok: false, status: 409, formError: 'offboarding:errors.alreadyStarted' })
    // And no new assessment can be started meanwhile.
    await expect(startAssessment({ vendorId: String(vendor._id), dueAt: new Date(Date.now() + 86_400_000 * 30), trigger: { reason: 'manual' }, actor: { kind: 'system' } })).rejects.toMatchObject({ code: 'vendorLeaving' })
    expect(StartAssessmentError).toBeDefined()
  })

  it('keeps each link to its own vendor, and refuses tampered, revoked and expired links', async () => {
    const a = await createLeavingVendor('Alpha')
    const b = await createLeavingVendor('Beta')
    const startedA = await startOffboarding(String(a._id), { intent: 'start', reason: 'ends', endDate: '2030-06-30' }, staff.actor(staff.procurement))
    const startedB = await startOffboarding(String(b._id), { intent: 'start', reason: 'ends', endDate: '2030-06-30' }, staff.actor(staff.procurement))
    if (!startedA.ok || !startedB.ok) throw new Error('not started')
    const tokenA = [...(await offboardingTokens(startedA.offboardingId)).values()][0]!
    const tokenB = [...(await offboardingTokens(startedB.offboardingId)).values()][0]!

    // Cross-vendor: A's link opens A's offboarding only, and writing through it leaves B untouched.
    const accessA = await access(tokenA)
    expect(String(accessA.offboarding.vendorId)).toBe(String(a._id))
    expect(String((await access(tokenB)).offboarding.vendorId)).toBe(String(b._id))
    expect((await submitVendorResponse(accessA, goodResponse, pdfFile())).ok).toBe(true)
    expect((await OffboardingModel.findOne({ vendorId: a._id }).lean())!.status).toBe('submitted')
    expect((await OffboardingModel.findOne({ vendorId: b._id }).lean())!.status).toBe('requested')
    // An assessment link is not an offboarding link, and the other way round.
    const assessmentLink = await createOpenAssessment(b._id, 'invited')
    expect(await checkOffboardingAccess(assessmentLink.token)).toEqual({ ok: false, problem: 'invalid' })
    expect(await checkVendorAccess(tokenB)).toEqual({ ok: false, problem: 'invalid' })

    // Tampered, truncated, junk.
    for (const bad of [tamper(tokenB), tokenB.slice(0, 42), `${tokenB}x`, '', '../etc/passwd', null]) {
      expect(await checkOffboardingAccess(bad)).toEqual({ ok: false, problem: 'invalid' })
    }

    // Expired: a day after the link's expiry.
    const linkB = await OffboardingLinkModel.findOne({ offboardingId: startedB.offboardingId }).lean()
    expect(await checkOffboardingAccess(tokenB, new Date(linkB!.expiresAt.getTime() + 1))).toEqual({ ok: false, problem: 'expired' })
    expect((await checkOffboardingAccess(tokenB, new Date(linkB!.expiresAt.getTime() - 1000))).ok).toBe(true)

    // Revoked.
    await revokeOffboardingLinks(startedB.offboardingId, 'revoked')
    expect(await checkOffboardingAccess(tokenB)).toEqual({ ok: false, problem: 'revoked' })
  })

  it('checks the certificate, then compliance sends it back or accepts it, and the vendor becomes read-only', async () => {
    const vendor = await createLeavingVendor('Gamma')
    const started = await startOffboarding(String(vendor._id), { intent: 'start', reason: 'ends', endDate: '2030-09-30' }, staff.actor(staff.procurement))
    if (!started.ok) throw new Error('not started')
    const token = [...(await offboardingTokens(started.offboardingId)).values()][0]!

    // A text file named .pdf is refused by its content; nothing is stored.
    const fake = new File(['not a pdf at all'], 'certificate.pdf', { type: 'application/pdf' })
    expect(await submitVendorResponse(await access(token), goodResponse, fake)).toMatchObject({ ok: false, status: 400, fieldErrors: { certificate: ['offboarding:errors.certificate_type'] } })
    expect(await submitVendorResponse(await access(token), goodResponse, null)).toMatchObject({ ok: false, status: 400, fieldErrors: { certificate: ['offboarding:errors.certificateRequired'] } })
    const files = () => mongoose.connection.db!.collection('evidence.files').countDocuments({ 'metadata.offboardingId': started.offboardingId })
    expect(await files()).toBe(0)

    // A deletion dated after today is refused on its field.
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
    const future = { ...goodResponse, categories: { ...goodResponse.categories, identity: { ...goodResponse.categories.identity, date: tomorrow } } }
    expect(await submitVendorResponse(await access(token), future, pdfFile())).toMatchObject({ ok: false, status: 400, fieldErrors: { 'categories.identity.date': ['offboarding:errors.futureDay'] } })
    expect(await files()).toBe(0)

    expect((await submitVendorResponse(await access(token), goodResponse, pdfFile())).ok).toBe(true)
    expect(await files()).toBe(1)
    // A second submission is refused (409) and stores nothing more.
    expect(await submitVendorResponse(await access(token), goodResponse, pdfFile())).toMatchObject({ ok: false, status: 409 })
    expect(await files()).toBe(1)

    // Sending back needs a comment (the schema), and mails the vendor a fresh link with it.
    const sentBack = await reviewOffboarding(String(vendor._id), { intent: 'review', decision: 'send_back', comment: '请补充备份数据的删除说明' }, staff.actor(staff.compliance))
    expect(sentBack).toEqual({ ok: true, status: 'requested' })
    const mail = await MailMessageModel.findOne({ kind: 'offboarding-sentBack', 'related.id': started.offboardingId, locale: 'zh-CN' }).lean()
    expect(mail!.text).toContain('请补充备份数据的删除说明')
    expect((await submitVendorResponse(await access(token), goodResponse, pdfFile())).ok).toBe(true)

    const accepted = await reviewOffboarding(String(vendor._id), { intent: 'review', decision: 'accept' }, staff.actor(staff.compliance))
    expect(accepted).toEqual({ ok: true, status: 'accepted' })
    expect((await VendorModel.findById(vendor._id).lean())!.status).toBe('offboarded')
    expect(await checkOffboardingAccess(token)).toEqual({ ok: false, problem: 'withdrawn' })
    expect(await reviewOffboarding(String(vendor._id), { intent: 'review', decision: 'accept' }, staff.actor(staff.compliance))).toMatchObject({ ok: false, status: 409 })

    // Read-only everywhere: edits of the vendor and its contracts are refused with a 409.
    const current = (await VendorModel.findById(vendor._id).lean())!
    const adminUser = { id: String(staff.admin._id), email: staff.admin.email, name: staff.admin.name, role: 'admin' as const, locale: 'en' as const }
    const edit = await updateVendor(String(vendor._id), { version: current.version, legalName: { en: 'Renamed' } }, adminUser)
    expect(edit).toMatchObject({ ok: false, status: 409, formError: 'offboarding:errors.readOnly' })
    const contract = await createContract(adminUser, String(vendor._id), {
      reference: 'CTR-OFF-1', title: 'New', effectiveAt: '2026-01-01', status: 'active', clauseIds: ['RET-END-01'],
    })
    expect(contract).toMatchObject({ ok: false, status: 409, formError: 'offboarding:errors.readOnly' })
    expect((await VendorModel.findById(vendor._id).lean())!.legalName?.en).toBe(current.legalName?.en)
    expect(await AuditEventModel.countDocuments({ action: { $in: ['offboarding.submit', 'offboarding.send-back', 'offboarding.accept', 'vendor.offboarded'] }, 'subject.id': String(vendor._id) })).toBe(5)
  })

  it('completes an interrupted start on the next job run: the request goes out once a contact exists', async () => {
    const vendor = await createLeavingVendor('Delta')
    await VendorModel.updateOne({ _id: vendor._id }, { $set: { contacts: [] } })
    const started = await startOffboarding(String(vendor._id), { intent: 'start', reason: 'ends', endDate: '2030-12-31' }, staff.actor(staff.procurement))
    if (!started.ok) throw new Error('not started')
    const sent = () => MailMessageModel.countDocuments({ 'related.id': started.offboardingId })
    expect(await sent()).toBe(0)
    await runOffboardingJobs(new Date())
    expect(await sent()).toBe(0)
    // Nothing was sent, so nothing is recorded as sent at every sweep.
    expect(await AuditEventModel.countDocuments({ action: 'offboarding.mail.request', 'subject.id': String(vendor._id) })).toBe(0)
    // An assessment opened behind offboarding's back (as if the start had crashed before cancelling) is closed too.
    const late = await createOpenAssessment(vendor._id, 'invited')
    await VendorModel.updateOne({ _id: vendor._id }, { $set: { contacts: [{ name: 'Dora', email: 'dora@delta.test', locale: 'en' }] } })
    await runOffboardingJobs(new Date())
    await runOffboardingJobs(new Date())
    expect(await sent()).toBe(1)
    expect((await AssessmentModel.findById(late.assessmentId).lean())!.status).toBe('cancelled')
    expect(await checkOffboardingAccess([...(await offboardingTokens(started.offboardingId)).values()][0])).toMatchObject({ ok: true })
  })
})
