// The PDF of a reassessment says what changed since the vendor's last signed-off assessment —
// its date, the score and residual risk then and now, the changed answers and the clauses whose
// result changed — in both languages; the vendor's first assessment says there is nothing to
// compare with. Real PDFs, read back with pdftotext.
import { execFileSync } from 'node:child_process'
import { Types } from 'mongoose'
import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { confirmSection, saveAnswer, submitAssessment } from '~/modules/assessments/portal.server'
import { startAssessment } from '~/modules/assessments/start.server'
import { issueReportBuffer } from '~/modules/reports/issue.server'
import { formatScore } from '~/modules/reports/format'
import { recomputeScore } from '~/modules/review/score.server'
import { access, createContractFor, createVendor, inDays, readAssessment, tokensFromOutbox, useFixtureLibrary } from './assessments-helpers'

beforeAll(() => useFixtureLibrary())

const staff = { kind: 'user' as const, id: new Types.ObjectId().toString(), name: 'Wang Procurement' }
const compliance = { id: '665f00000000000000000001', name: 'Li Hegui 李合规' }
const attestation = () => ({ name: '张三', title: '信息安全负责人', confirm: 'on', submissionKey: new Types.ObjectId().toString() + 'abcdef' })
const lastYear = new Date('2025-11-20T06:00:00Z')
const squash = (text: string) => text.replace(/\s+/g, '')
const pdfText = (pdf: Buffer) => squash(execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 * 1024 * 1024 }).toString('utf8'))

async function start(vendorId: string) {
  const { assessmentId } = await startAssessment({ vendorId, dueAt: inDays(30), trigger: { reason: 'manual' }, actor: staff })
  const token = [...(await tokensFromOutbox(assessmentId)).values()][0]!
  return { assessmentId, token }
}

async function save(token: string, questionId: string, value: unknown) {
  const current = (await readAssessment((await access(token)).assessment._id.toString()))!
  const rev = (current.answers as Record<string, { rev?: number }> | undefined)?.[questionId]?.rev ?? 0
  expect((await saveAnswer(await access(token), { questionId, baseRev: rev, value, comment: null })).status).toBe(200)
}

async function report(assessmentId: string, locale: 'en' | 'zh-CN') {
  const issued = await issueReportBuffer({ assessmentId, locale, actor: compliance })
  if (issued.status !== 'ok') throw new Error(issued.status)
  return { data: issued.data, text: pdfText(issued.pdf) }
}

/** The section's text: from its title to the next section's. */
function section(text: string, locale: 'en' | 'zh-CN') {
  const [title, next] = locale === 'en' ? ['Changes since the last assessment', 'Review: clarifications'] : ['自上次评估以来的变化', '审核：澄清与决定']
  const from = text.indexOf(squash(title))
  expect(from).toBeGreaterThan(0)
  return text.slice(from, text.indexOf(squash(next), from))
}

describe('the report of a reassessment', () => {
  it('prints the changes since the last assessment, and a first assessment says there is nothing to compare', { timeout: 90_000 }, async () => {
    const vendor = await createVendor()
    const vendorId = vendor._id.toString()
    await createContractFor(vendorId)

    // Last year: MFA for administrators only, incidents by e-mail, a security officer named.
    const first = await start(vendorId)
    for (const [questionId, value] of Object.entries({ 'GOV-01': 'no', 'GOV-03': 120, 'GOV-04': '2025-03-01', 'SEC-01': 'admins', 'SEC-02': ['email'], 'SEC-03': 'Zhao Anquan', 'PAY-01': 'no' })) {
      await save(first.token, questionId, value)
    }
    expect((await submitAssessment(await access(first.token), attestation())).status).toBe(200)
    await recomputeScore(first.assessmentId)

    const firstReport = await report(first.assessmentId, 'en')
    expect(firstReport.data.sinceLast).toBeNull()
    expect(section(firstReport.text, 'en')).toContain(squash('First assessment of this vendor — nothing to compare with.'))
    expect(section((await report(first.assessmentId, 'zh-CN')).text, 'zh-CN')).toContain('这是该合作机构的首次评估，没有可比较的上次评估。')
    await AssessmentModel.updateOne({ _id: first.assessmentId }, { $set: { status: 'completed', signOff: { at: lastYear, byName: 'Li Compliance' } }, $inc: { version: 1 } })

    // This year's reassessment starts from last year's answers: governance and the payment
    // supplement confirmed as they were, MFA now for every account, incidents by phone; the
    // security officer's name (optional) left unconfirmed, so it no longer counts.
    const again = await start(vendorId)
    expect((await confirmSection(await access(again.token), { questionnaireId: 'baseline', sectionId: 'governance' })).status).toBe(200)
    expect((await confirmSection(await access(again.token), { questionnaireId: 'payment', sectionId: 'pci' })).status).toBe(200)
    await save(again.token, 'SEC-01', 'all')
    await save(again.token, 'SEC-02', ['phone'])
    expect((await submitAssessment(await access(again.token), attestation())).status).toBe(200)
    await recomputeScore(again.assessmentId)

    for (const locale of ['en', 'zh-CN'] as const) {
      const { data, text } = await report(again.assessmentId, locale)
      const since = data.sinceLast!
      expect(since.previousAssessmentId).toBe(first.assessmentId)
      // The score beside last time's is the one this report prints in its summary.
      expect(since.score.after).toBe(data.score.controlScore)
      expect(since.score.delta).toBeGreaterThan(0)
      expect(since.answers.map((answer) => [answer.questionId, answer.change])).toEqual([
        ['SEC-01', 'changed'],
        ['SEC-02', 'changed'],
        ['SEC-03', 'removed'],
      ])
      expect(since.unchangedAnswers).toBe(4)
      expect(since.clauses).toEqual(expect.arrayContaining([expect.objectContaining({ clauseId: 'SEC-01', before: 'partial', after: 'met' })]))

      const printed = section(text, locale)
      expect(printed).toContain(locale === 'en' ? 'Signedoffon2025-11-20' : '2025-11-20签批')
      expect(printed).toContain(`${formatScore(since.score.before!)}→${formatScore(since.score.after!)}`)
      expect(printed).toContain(locale === 'en' ? `+${formatScore(since.score.delta!)}points` : `+${formatScore(since.score.delta!)}分`)
      expect(printed).toContain(locale === 'en' ? '3changed,4unchanged' : '3项有变化，4项未变')
      const expected =
        locale === 'en'
          ? ['Which accounts use multi-factor authentication?', 'Administrator accounts only', 'All accounts', 'How do you notify the institution of incidents?', 'E-mail', 'Phone', 'Name of the security officer', 'Zhao Anquan', 'Not answered', 'Multi-factor authentication', 'Partial', 'Met']
          : ['哪些账户启用了多因素认证？', '仅管理员账户', '全部账户', '如何通知委托方安全事件？', '电子邮件', '电话', '安全负责人姓名', 'Zhao Anquan', '未答复', '多因素认证', '部分满足', '满足']
      for (const words of expected) expect(printed, words).toContain(squash(words))
      // Unchanged answers are not listed.
      expect(printed).not.toContain('GOV-01')
    }
  })
})
