import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { AuditEventModel } from '~models/audit-event'
import { ReportModel } from '~models/report'
import { issueReportBuffer, verifyFingerprint } from '~/modules/reports/issue.server'
import { formatScore } from '~/modules/reports/format'
import { formatFingerprint } from '~/modules/reports/report-data'
import { loadReportData } from '~/modules/reports/report-source.server'
import { seedReportableAssessment } from './reports-support'

const compliance = { id: '665f00000000000000000001', name: 'Li Hegui 李合规' }
const admin = { id: '665f00000000000000000002', name: 'Admin' }
const squash = (text: string) => text.replace(/\s+/g, '')
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8')

describe('a report of a real assessment', () => {
  it('is built from the assessment, its vendor, the pinned questionnaires and the score', async () => {
    const { assessmentId, questionnaires, clauses, vendor } = await seedReportableAssessment()
    const loaded = await loadReportData(assessmentId, 'en')
    expect(loaded.status).toBe('ok')
    if (loaded.status !== 'ok') return
    const { data } = loaded
    expect(data.vendor.name).toEqual({ 'zh-CN': vendor.legalName!['zh-CN'], en: vendor.legalName!.en })
    expect(data.vendor.tier.reasons.length).toBeGreaterThan(0)
    expect(data.vendor.dataProfile.crossBorderDestinations).toEqual(['Singapore'])
    expect(data.assessment.questionnaires.map((q) => `${q.id}@${q.version}`)).toEqual(questionnaires.map((q) => `${q.id}@${q.version}`))
    expect(data.assessment.contractReference).toMatch(/^CTR-RPT-/)
    expect(data.clauses.map((clause) => clause.id)).toEqual(clauses.map((clause) => clause.id))
    // Every status the answers produce is counted; the counts add up to the clauses.
    const total = Object.values(data.score.counts).reduce((sum, count) => sum + count, 0)
    expect(total).toBe(clauses.length)
    expect(data.score.controlScore).toEqual(expect.any(Number))
    // A clause that failed names the answers that decided it, with the option's label.
    const failed = data.clauses.find((clause) => clause.status === 'failed')
    expect(failed?.decidingAnswers.length).toBeGreaterThan(0)
    expect(failed?.decidingAnswers[0]!.answer).not.toBe('')
    // Before the review starts no findings are stored: they are derived from the score.
    const gaps = data.clauses.filter((clause) => clause.status === 'failed' || clause.status === 'partial')
    expect(gaps.length).toBeGreaterThan(0)
    for (const clause of gaps) expect(data.findings.some((finding) => finding.clauseIds.includes(clause.id)), clause.id).toBe(true)
    expect(data.findings.every((finding) => finding.status === 'open' && finding.dueAt && finding.title)).toBe(true)
    // The appendix holds the visible questions with their answers and evidence file names.
    const questions = data.sections.flatMap((section) => section.questions)
    expect(questions.length).toBeGreaterThan(30)
    expect(questions.some((question) => question.evidence.some((name) => name.endsWith('-policy.pdf')))).toBe(true)
    expect(data.signOff).toBeNull()
  })

  it('is refused for an assessment the vendor has not submitted, and for an unknown id', async () => {
    const { assessmentId } = await seedReportableAssessment({ status: 'in_progress' })
    expect(await loadReportData(assessmentId, 'en')).toEqual({ status: 'not_reportable', assessmentStatus: 'in_progress' })
    expect(await loadReportData('665f1c2e9b1e8a0012345678', 'en')).toEqual({ status: 'not_found' })
    expect(await loadReportData('not-an-id', 'en')).toEqual({ status: 'not_found' })
  })

  it('prints both names, the score, every clause and finding; its fingerprint verifies', async () => {
    const { assessmentId } = await seedReportableAssessment({ status: 'completed', nameZh: '华东云支付股份有限公司', nameEn: 'East China Cloud Pay Corp.' })
    const issued = await issueReportBuffer({ assessmentId, locale: 'zh-CN', actor: compliance })
    expect(issued.status).toBe('ok')
    if (issued.status !== 'ok') return
    expect(issued.pdf.length).toBeLessThan(1024 * 1024)
    const text = squash(pdfText(issued.pdf))
    expect(text).toContain('华东云支付股份有限公司')
    expect(text).toContain(squash('East China Cloud Pay Corp.'))
    expect(text).toContain(formatScore(issued.data.score.controlScore!))
    for (const clause of issued.data.clauses) expect(text).toContain(clause.id)
    for (const finding of issued.data.findings) expect(text).toContain(squash(finding.title))
    expect(text).toContain(squash(formatFingerprint(issued.fingerprint)))
    expect(text).toContain('LiHegui李合规') // the sign-off

    const verified = await verifyFingerprint(formatFingerprint(issued.fingerprint).toUpperCase())
    expect(verified).toMatchObject({
      status: 'genuine',
      report: { assessmentId, locale: 'zh-CN', reportId: issued.reportId, vendorName: { 'zh-CN': '华东云支付股份有限公司' }, assessmentStatus: 'completed', downloads: 1, firstIssuedBy: compliance.name },
    })
    const wrong = issued.fingerprint.replace(/^./, (char) => (char === '0' ? '1' : '0'))
    expect(await verifyFingerprint(wrong)).toEqual({ status: 'unknown', fingerprint: wrong })
    expect(await verifyFingerprint('deadbeef')).toEqual({ status: 'malformed' })
  })

  it('keeps its fingerprint across downloads until the content changes', async () => {
    const { assessmentId } = await seedReportableAssessment({ status: 'under_review' })
    const first = await issueReportBuffer({ assessmentId, locale: 'en', actor: compliance })
    const second = await issueReportBuffer({ assessmentId, locale: 'en', actor: admin, now: new Date(Date.now() + 60_000) })
    if (first.status !== 'ok' || second.status !== 'ok') throw new Error('not issued')
    expect(second.fingerprint).toBe(first.fingerprint)
    const record = await ReportModel.findOne({ fingerprint: first.fingerprint }).lean()
    expect(record).toMatchObject({ downloads: 2, generatedBy: { name: compliance.name }, lastGeneratedBy: { name: admin.name } })
    expect(await ReportModel.countDocuments({ assessmentId })).toBe(1)

    // The other language is another document with another fingerprint.
    const chinese = await issueReportBuffer({ assessmentId, locale: 'zh-CN', actor: compliance })
    if (chinese.status !== 'ok') throw new Error('not issued')
    expect(chinese.fingerprint).not.toBe(first.fingerprint)

    // A changed answer changes the report, hence its fingerprint; the old one still verifies.
    const assessment = await AssessmentModel.findById(assessmentId).lean()
    const [questionId, answer] = Object.entries(assessment!.answers as unknown as Record<string, { comment?: string }>)[0]!
    await AssessmentModel.updateOne({ _id: assessmentId }, { $set: { [`answers.${questionId}.comment`]: `${answer.comment ?? ''} updated` }, $inc: { version: 1 } })
    const third = await issueReportBuffer({ assessmentId, locale: 'en', actor: compliance })
    if (third.status !== 'ok') throw new Error('not issued')
    expect(third.fingerprint).not.toBe(first.fingerprint)
    expect((await verifyFingerprint(first.fingerprint)).status).toBe('genuine')
    expect(await ReportModel.countDocuments({ assessmentId })).toBe(3)
  })

  it('two first downloads at the same moment record one report', async () => {
    const { assessmentId } = await seedReportableAssessment({ status: 'completed' })
    const results = await Promise.all([1, 2, 3].map(() => issueReportBuffer({ assessmentId, locale: 'en', actor: compliance })))
    const fingerprints = new Set(results.map((result) => (result.status === 'ok' ? result.fingerprint : 'failed')))
    expect(fingerprints.size).toBe(1)
    const records = await ReportModel.find({ assessmentId }).lean()
    expect(records).toHaveLength(1)
    expect(records[0]!.downloads).toBe(3)
  })

  it('leaves an audit entry for every streamed download', async () => {
    const { issueReportStream } = await import('~/modules/reports/issue.server')
    const { assessmentId } = await seedReportableAssessment({ status: 'completed' })
    const issued = await issueReportStream({ assessmentId, locale: 'en', actor: compliance })
    if (issued.status !== 'ok') throw new Error('not issued')
    const pdf = Buffer.from(await new Response(issued.body).arrayBuffer())
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    const events = await AuditEventModel.find({ action: 'report.download', 'subject.id': assessmentId }).lean()
    expect(events).toHaveLength(1)
    expect(events[0]!.details).toMatchObject({ fingerprint: issued.fingerprint, locale: 'en' })
  })
})
