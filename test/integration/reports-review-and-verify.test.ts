// The PDF carries the clarification history and the reviewer's decision comments, and anyone can
// verify a printed copy without an account, by the footer's short code, the cover's fingerprint
// or its QR code, within a per-client rate limit.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { ReportModel } from '~models/report'
import { issueReportBuffer, verifyReportCode } from '~/modules/reports/issue.server'
import { formatShortCode } from '~/modules/reports/report-data'
import { VERIFY_LIMIT } from '~/modules/reports/verify-rate-limit.server'
import { loader as publicVerifyLoader } from '~/routes/verify'
import { seedReportableAssessment } from './reports-support'

const compliance = { id: '665f00000000000000000001', name: 'Li Hegui 李合规' }
const squash = (text: string) => text.replace(/\s+/g, '')
const pdfText = (pdf: Buffer) => execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8')

async function reviewedAssessment() {
  const seeded = await seedReportableAssessment({ status: 'under_review' })
  const assessment = (await AssessmentModel.findById(seeded.assessmentId).lean())!
  const [asked, accepted] = Object.keys(assessment.answers as Record<string, unknown>)
  const review = {
    startedAt: new Date('2025-03-02T01:00:00Z'),
    startedBy: { id: compliance.id, name: compliance.name },
    answers: {
      [asked!]: { decision: 'clarification', comment: '请上传最新的渗透测试报告。Please attach the latest penetration test report.', byUserId: compliance.id, byName: compliance.name, at: new Date('2025-03-02T02:00:00Z'), rev: 1, round: 1 },
      [accepted!]: { decision: 'accepted', comment: '已核对合同附件二。Checked against annex 2.', byUserId: compliance.id, byName: compliance.name, at: new Date('2025-03-06T03:00:00Z'), rev: 1 },
    },
    clarifications: [
      {
        round: 1,
        at: new Date('2025-03-02T02:00:00Z'),
        byUserId: compliance.id,
        byName: compliance.name,
        message: '感谢提交。Thank you.',
        respondBy: new Date('2025-03-12T15:59:59Z'),
        questions: [{ questionId: asked, comment: '请上传最新的渗透测试报告。Please attach the latest penetration test report.' }],
        notified: [],
      },
    ],
  }
  // The vendor answered again on 5 March, with a comment.
  await AssessmentModel.updateOne(
    { _id: assessment._id },
    { $set: { review, [`answers.${asked}.comment`]: '报告已上传。Report uploaded on 5 March.', [`answers.${asked}.updatedAt`]: new Date('2025-03-05T06:00:00Z'), [`answers.${asked}.rev`]: 2 } },
  )
  return { ...seeded, asked: asked!, accepted: accepted! }
}

describe('the report of a reviewed assessment', () => {
  it('prints the clarification requests, the vendor replies with dates, and the decision comments', { timeout: 60_000 }, async () => {
    const { assessmentId, asked } = await reviewedAssessment()
    for (const locale of ['en', 'zh-CN'] as const) {
      const issued = await issueReportBuffer({ assessmentId, locale, actor: compliance })
      if (issued.status !== 'ok') throw new Error(issued.status)
      expect(issued.data.clarifications).toEqual([
        expect.objectContaining({ round: 1, byName: compliance.name, questions: [expect.objectContaining({ questionId: asked, replyComment: '报告已上传。Report uploaded on 5 March.', repliedAt: '2025-03-05T06:00:00.000Z' })] }),
      ])
      const text = squash(pdfText(issued.pdf))
      expect(text).toContain(squash('Please attach the latest penetration test report.'))
      expect(text).toContain(squash('Report uploaded on 5 March.'))
      expect(text).toContain(squash('Checked against annex 2.'))
      expect(text).toContain(locale === 'en' ? squash('Clarification round 1') : squash('第 1 轮澄清'))
      expect(text).toContain(locale === 'en' ? squash('Answered 2025-03-05') : '答复于2025-03-05')
      expect(text).toContain(squash(`${formatShortCode(issued.fingerprint)}`))
      expect(text).toContain('/verify')
      if (locale === 'zh-CN') {
        // A page to look at: the cover with its QR code.
        const dir = mkdtempSync(join(tmpdir(), 'report-'))
        writeFileSync(join(dir, 'report.pdf'), issued.pdf)
        execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', join(dir, 'report.pdf'), join(dir, 'cover')])
        expect(readFileSync(join(dir, 'cover-01.png')).length).toBeGreaterThan(1000)
        process.env.REPORT_COVER_PNG = join(dir, 'cover-01.png')
      }
    }
  })
})

describe('verifying a printed report without an account', () => {
  type Answer = { init: { status?: number; headers?: Record<string, string> } | null; data: { result: { status: string; report?: Record<string, unknown> } | null } }
  const call = async (code: string | null, client = '203.0.113.7'): Promise<Answer> => {
    const returned = (await publicVerifyLoader({
      request: new Request(`http://127.0.0.1/verify${code === null ? '' : `?code=${encodeURIComponent(code)}`}`),
      params: {},
      context: { clientAddress: client },
    })) as unknown as Answer | Answer['data']
    // data(…, init) comes back as { data, init }; a plain object is a 200.
    return 'init' in returned ? returned : { init: null, data: returned }
  }

  it('finds the report by the short code or the full fingerprint, and nothing by another code', async () => {
    const { assessmentId } = await seedReportableAssessment({ status: 'completed' })
    const issued = await issueReportBuffer({ assessmentId, locale: 'en', actor: compliance })
    if (issued.status !== 'ok') throw new Error(issued.status)
    expect(await ReportModel.countDocuments({ shortCode: issued.fingerprint.slice(0, 16) })).toBe(1)

    const byShort = await call(formatShortCode(issued.fingerprint).toLowerCase(), '198.51.100.1')
    expect(byShort.init?.status ?? 200).toBe(200)
    expect(byShort.data.result).toMatchObject({ status: 'genuine', report: { reportId: issued.reportId, vendorName: issued.data.vendor.name, assessmentStatus: 'completed' } })
    // Only what the report prints: no one's name who downloaded it, no download count, no link inside.
    expect(Object.keys(byShort.data.result!.report!).sort()).toEqual(
      ['assessmentStatus', 'controlScore', 'findings', 'fingerprint', 'issuedAt', 'locale', 'reportId', 'residualRisk', 'signedOffAt', 'vendorName'].sort(),
    )
    const byFull = await call(issued.fingerprint.toUpperCase().match(/.{4}/g)!.join(' '), '198.51.100.1')
    expect(byFull.data.result).toMatchObject({ status: 'genuine', report: { reportId: issued.reportId } })
    expect(await verifyReportCode(`${issued.fingerprint.slice(0, 15)}0`)).toEqual({ status: 'unknown' })

    const wrong = await call('0000-0000-0000-0000', '198.51.100.1')
    expect(wrong.init?.status).toBe(404)
    expect(wrong.data.result).toEqual({ status: 'unknown' })
    const malformed = await call('not a code', '198.51.100.1')
    expect(malformed.init?.status).toBe(400)
    expect((await call(null, '198.51.100.1')).data.result).toBeNull()
  })

  it('limits each client to a few checks a minute, with Retry-After', async () => {
    for (let i = 0; i < VERIFY_LIMIT; i++) expect((await call('0000-0000-0000-0000')).init?.status).toBe(404)
    const limited = await call('0000-0000-0000-0000')
    expect(limited.init?.status).toBe(429)
    expect(Number(limited.init?.headers?.['Retry-After'])).toBeGreaterThan(0)
    expect(limited.data.result).toMatchObject({ status: 'limited' })
    // Another client is not affected.
    expect((await call('0000-0000-0000-0000', '192.0.2.55')).init?.status).toBe(404)
  })
})
