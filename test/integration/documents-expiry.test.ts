// Vendor documents that expire, through the scheduler's sweep and a real SMTP server: N days
// before the expiry day procurement and each vendor contact get one reminder, in their language,
// however often the sweep runs (two instances at once every morning, a third run later); the day
// after the expiry, an open review's score shows the evidence as missing with the reason, and the
// latest signed-off assessment gets one finding. The real job runner (agenda) sends a due reminder once too.
// The real-clock test runs first: the job runner does not start well after a faked clock.
import { execFileSync } from 'node:child_process'
import { addDays } from 'date-fns'
import { Types } from 'mongoose'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { FindingModel } from '~models/finding'
import { UserModel } from '~models/user'
import { runDocumentExpiry } from '~/modules/documents/expiry.server'
import { getClause } from '~/modules/library/library.server'
import { resetMailTransport } from '~/modules/mail/mail.server'
import { issueReportBuffer } from '~/modules/reports/issue.server'
import { storedScoreOf } from '~/modules/review/score.server'
import { getReviewView } from '~/modules/review/view.server'
import { dayKey } from '~/modules/schedule/cadence'
import { startScheduler } from '~/modules/schedule/runner.server'
import { createVendor, useFixtureLibrary } from './assessments-helpers'
import { createStaff } from './offboarding-support'
import { startSmtpServer, type ReceivedMail } from './schedule-support'

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
beforeAll(() => useFixtureLibrary())

type Vendor = Awaited<ReturnType<typeof createVendor>>

/** An assessment of the payment supplement whose PAY-01 "yes" (evidence required) carries this document. */
async function assessmentWithDocument(vendor: Vendor, status: string, document: { fileId?: string; kind: string; expiresOn: string; filename?: string }, createdAt = new Date()) {
  const fileId = document.fileId ?? new Types.ObjectId().toString()
  const created = await AssessmentModel.create({
    vendorId: vendor._id,
    status,
    vendorSnapshot: { legalName: vendor.legalName, effectiveTier: 2 },
    questionnaires: [{ id: 'payment', version: 1 }],
    contract: { clauses: [getClause('PCI-01')] },
    dueAt: addDays(createdAt, 30),
    createdAt,
    review: status === 'under_review' ? { startedAt: createdAt, startedBy: { id: 'x', name: 'Reviewer' } } : {},
    answers: {
      'PAY-01': {
        value: 'yes',
        evidence: [{ fileId, filename: document.filename ?? 'aoc.pdf', contentType: 'application/pdf', size: 1000, uploadedAt: createdAt, kind: document.kind, expiresOn: document.expiresOn }],
        rev: 1,
        updatedAt: createdAt,
      },
    },
  })
  return { assessmentId: String(created._id), fileId }
}

const procurementEmails = async () => (await UserModel.find({ role: 'procurement', active: true }, { email: 1 }).lean()).map((user) => user.email)
const mentions = (mail: ReceivedMail, vendor: Vendor) => mail.to.some((to) => vendor.contacts.some((contact) => contact.email === to)) || mail.raw.includes(vendor.legalName!.en!)

describe('document expiry reminders', () => {
  beforeAll(async () => {
    await createStaff()
  })

  it('the real job runner sends a due reminder once however often it runs', { timeout: 60_000 }, async () => {
    const vendor = await createVendor()
    await assessmentWithDocument(vendor, 'completed', { kind: 'iso27001_certificate', expiresOn: dayKey(addDays(new Date(), 10), ZONE) })
    const expected = [...vendor.contacts.map((contact) => contact.email), ...(await procurementEmails())].sort()
    const mine = () => smtp.received.filter((mail) => mentions(mail, vendor))
    const stop = await startScheduler({ every: '1 second', processEvery: 200, runImmediately: true, name: 'documents-test', log: () => undefined })
    try {
      const deadline = Date.now() + 20_000
      while (mine().length < expected.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
      await new Promise((resolve) => setTimeout(resolve, 2500)) // several more sweeps
    } finally {
      await stop()
    }
    expect(mine().map((mail) => mail.to[0]).sort()).toEqual(expected)
  })

  it('reminds each person once, on the reminder day, in their language; after expiry the evidence stops counting and a finding opens once', { timeout: 120_000 }, async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(bj('2026-02-20T10:00:00'))
    const vendor = await createVendor()
    // Last year's signed-off assessment and this year's, under review, reusing the same AoC.
    const earlier = await assessmentWithDocument(vendor, 'completed', { kind: 'pci_dss_aoc', expiresOn: '2026-03-31', filename: 'aoc-2025.pdf' }, bj('2025-03-01T10:00:00'))
    const current = await assessmentWithDocument(vendor, 'under_review', { fileId: earlier.fileId, kind: 'pci_dss_aoc', expiresOn: '2026-03-31', filename: 'aoc-2025.pdf' }, bj('2026-02-10T10:00:00'))
    const procurement = await procurementEmails()
    const mark = arrivals.length

    for (let index = 0; index <= 45; index++) {
      const morning = addDays(bj('2026-02-20T08:00:00'), index)
      vi.setSystemTime(morning)
      today = dayKey(morning, ZONE)
      await Promise.all([runDocumentExpiry(morning, ZONE), runDocumentExpiry(morning, ZONE)])
      await runDocumentExpiry(new Date(morning.getTime() + 3 * 3600_000), ZONE)
      if (today === '2026-03-31') {
        // Still valid on its expiry day: no gap yet.
        const score = storedScoreOf((await AssessmentModel.findById(current.assessmentId).lean())!)
        expect(score?.gaps.some((gap) => gap.kind === 'missing_evidence') ?? false).toBe(false)
      }
    }

    const log = arrivals.slice(mark).filter(({ mail }) => mentions(mail, vendor)).map(({ day, mail }) => `${day} ${mail.to[0]}`)
    // 30 days (the default) before 2026-03-31, once each.
    expect(log.sort()).toEqual([...vendor.contacts.map((contact) => contact.email), ...procurement].map((email) => `2026-03-01 ${email}`).sort())
    const subjects = arrivals.slice(mark).filter(({ mail }) => mentions(mail, vendor)).map(({ mail }) => ({ to: mail.to[0], subject: mail.subject }))
    const zhContact = vendor.contacts.find((contact) => contact.locale === 'zh-CN')!.email
    const enContact = vendor.contacts.find((contact) => contact.locale === 'en')!.email
    expect(subjects.find((entry) => entry.to === zhContact)!.subject).toMatch(/^文件将于 2026年3月31日 到期：aoc-2025\.pdf$/)
    expect(subjects.find((entry) => entry.to === enContact)!.subject).toBe('Document expires on March 31, 2026: aoc-2025.pdf')
    expect(subjects.filter((entry) => procurement.includes(entry.to!)).every((entry) => entry.subject.startsWith('Vendor document expires on March 31, 2026'))).toBe(true)

    // The review under way: PAY-01's evidence no longer counts, and the reason is the expiry.
    const score = storedScoreOf((await AssessmentModel.findById(current.assessmentId).lean())!)
    expect(score?.clauses.find((clause) => clause.clauseId === 'PCI-01')?.status).toBe('meets')
    expect(score?.gaps).toContainEqual(expect.objectContaining({ kind: 'missing_evidence', questionId: 'PAY-01', expired: [expect.objectContaining({ fileId: earlier.fileId, expiresOn: '2026-03-31' })] }))
    const reviewFinding = await FindingModel.findOne({ assessmentId: current.assessmentId, key: 'missing_evidence:PAY-01' }).lean()
    expect(reviewFinding?.description?.en).toContain('expired on 2026-03-31')
    // The signed-off assessment: one finding, opened the day after the expiry.
    const findings = await FindingModel.find({ assessmentId: earlier.assessmentId }).lean()
    expect(findings.map((finding) => finding.key)).toEqual([`expired_document:${earlier.fileId}`])
    expect(findings[0]!.title!["zh-CN"]).toContain('PCI DSS 合规证明（AoC）')
    expect(findings[0]!.createdAt.toISOString()).toBe(bj('2026-04-01T08:00:00').toISOString())
    vi.useRealTimers()
    // The review page (real clock, later than the expiry): the gap gives the reason, the file is marked expired.
    const view = await getReviewView(current.assessmentId, 'en', { id: new Types.ObjectId().toString(), email: 'c@bank.test', name: 'Reviewer', role: 'compliance', locale: 'en' })
    expect(view?.score?.gaps).toContainEqual(expect.objectContaining({ kind: 'missing_evidence', questionId: 'PAY-01', expiredOn: '2026-03-31' }))
    const pay01 = view!.questionnaires.flatMap((questionnaire) => questionnaire.sections.flatMap((section) => section.questions)).find((question) => question.id === 'PAY-01')!
    expect(pay01.gaps).toEqual(['missing_evidence'])
    expect(pay01.evidence).toEqual([expect.objectContaining({ filename: 'aoc-2025.pdf', kind: 'pci_dss_aoc', expiresOn: '2026-03-31', expired: true })])
    // The PDF of the review under way says why the evidence is missing.
    const issued = await issueReportBuffer({ assessmentId: current.assessmentId, locale: 'en', actor: { id: '665f00000000000000000001', name: 'Li Hegui' } })
    expect(issued.status).toBe('ok')
    if (issued.status !== 'ok') return
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: issued.pdf }).toString('utf8').replace(/\s+/g, ' ')
    expect(text).toContain('the document attached expired on 2026-03-31 and no longer counts')
  })
})
