// One date for the vendor: after a clarification request, the e-mail, the vendor's landing page,
// the staff overview and the link's validity all name the date the reviewer chose — and the
// vendor page shows one state message, not "submitted, read only" beside "please clarify".
import { beforeAll, describe, expect, it } from 'vitest'
import { MailMessageModel } from '~models/mail-message'
import { dayIn, endOfDayIn, formatDay } from '~/modules/dates/dates'
import { getAssessmentOverview } from '~/modules/assessments/assessments.server'
import { addEvidence, portalView, saveAnswer, submitAssessment } from '~/modules/assessments/portal.server'
import { portalState } from '~/modules/assessments/portal/state'
import { createUser } from '~/modules/auth/users.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { decideAnswer, sendClarificationRequest, startReview } from '~/modules/review/review.server'
import { access, inDays, readAssessment, startTestAssessment, tokensFromOutbox, useFixtureLibrary } from './assessments-helpers'

const TZ = 'Asia/Shanghai'

beforeAll(() => useFixtureLibrary())

describe('the date a vendor is told', () => {
  it('is the same in the clarification e-mail, on the vendor page and on the staff page', async () => {
    const user = await createUser({ email: 'deadline@bank.review.test', name: 'Li Deadline', password: 'password-password', role: 'compliance', locale: 'en' })
    const compliance: SessionUser = { id: String(user._id), email: user.email, name: user.name, role: 'compliance', locale: 'en' }
    // The assessment is due in 30 days; the reviewer asks for a clarification within 10.
    const { assessmentId, token } = await startTestAssessment()
    for (const [questionId, value] of [['GOV-01', 'yes'], ['GOV-03', 12], ['GOV-04', '2025-03-01'], ['SEC-01', 'all'], ['SEC-02', ['email']], ['PAY-01', 'no']] as const) {
      const rev = ((await readAssessment(assessmentId))!.answers as Record<string, { rev: number }> | undefined)?.[questionId]?.rev ?? 0
      expect((await saveAnswer(await access(token), { questionId, value, baseRev: rev, comment: null })).status).toBe(200)
    }
    expect((await addEvidence(await access(token), { questionId: 'GOV-01', file: new File([Buffer.from('%PDF-1.4\n%%EOF\n')], 'policy.pdf', { type: 'application/pdf' }) })).status).toBe(200)
    const submitted = await submitAssessment(await access(token), { name: '张三', title: '经理', confirm: 'on', submissionKey: 'deadline-round-1' })
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
    expect(await startReview(assessmentId, compliance)).toEqual({ ok: true })
    const rev = ((await readAssessment(assessmentId))!.answers as Record<string, { rev: number }>)['SEC-01']!.rev
    expect(await decideAnswer(assessmentId, { intent: 'decide', questionId: 'SEC-01', decision: 'clarification', answerRev: String(rev), comment: 'Which accounts?' }, compliance)).toEqual({ ok: true })
    const respondBy = dayIn(inDays(10), TZ)
    expect(await sendClarificationRequest(assessmentId, { intent: 'send-clarification', respondBy }, compliance)).toMatchObject({ ok: true })

    const told = endOfDayIn(respondBy, TZ).toISOString()
    const mail = (await MailMessageModel.findOne({ 'related.id': assessmentId, kind: 'clarification', locale: 'zh-CN' }).lean())!
    expect(mail.text).toContain(formatDay(told, 'zh-CN', TZ))

    const fresh = (await tokensFromOutbox(assessmentId)).get(mail.to[0]!)!
    const view = portalView(await access(fresh))
    expect(view.dueAt).toBe(told) // the vendor landing's "please answer by"
    expect(new Date(view.expiresAt).getTime()).toBeGreaterThanOrEqual(new Date(told).getTime()) // the link lasts at least that long
    expect((await getAssessmentOverview(assessmentId))!.dueAt).toBe(told) // the staff page

    // One state: clarification, even though a submission exists.
    expect(view.submission).not.toBeNull()
    expect(portalState({ editable: view.editable, submitted: view.submission !== null })).toEqual({ kind: 'clarification', count: expect.any(Number) })
  })
})
