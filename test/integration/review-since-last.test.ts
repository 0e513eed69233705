// The review page's "what changed": after two signed-off assessments, a new one is compared with
// the most recent of them — per answer (changed, new, no longer answered, unchanged) and in the
// score — and a first assessment has nothing to compare with.
import { Types } from 'mongoose'
import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { startAssessment } from '~/modules/assessments/start.server'
import { saveAnswer, submitAssessment } from '~/modules/assessments/portal.server'
import type { SessionUser } from '~/modules/auth/session.server'
import { createUser } from '~/modules/auth/users.server'
import { recomputeScore } from '~/modules/review/score.server'
import { scoreBesideLast } from '~/modules/review/beside-last.server'
import { getReviewView } from '~/modules/review/view.server'
import { access, createContractFor, createVendor, inDays, readAssessment, tokensFromOutbox, useFixtureLibrary } from './assessments-helpers'

beforeAll(() => useFixtureLibrary())

const actor = { kind: 'user' as const, id: new Types.ObjectId().toString(), name: 'Wang Procurement' }
const attestation = () => ({ name: '张三', title: '信息安全负责人', confirm: 'on', submissionKey: new Types.ObjectId().toString() + 'abcdef' })

async function reviewer(): Promise<SessionUser> {
  const email = `since-last-${new Types.ObjectId().toString()}@bank.review.test`
  const user = await createUser({ email, name: 'Li Hegui', password: 'password-password', role: 'compliance', locale: 'en' })
  return { id: String(user._id), email, name: user.name, role: 'compliance', locale: 'en' }
}

/** Starts (without carry-over), answers and submits one assessment; signs it off at `signedOffAt` if given. */
async function assessment(vendorId: string, answers: Record<string, unknown>, signedOffAt?: Date) {
  const { assessmentId } = await startAssessment({ vendorId, dueAt: inDays(30), trigger: { reason: 'manual' }, actor, carryOver: false })
  const token = [...(await tokensFromOutbox(assessmentId)).values()][0]!
  for (const [questionId, value] of Object.entries(answers)) {
    const rev = ((await readAssessment(assessmentId))!.answers as Record<string, { rev: number }> | undefined)?.[questionId]?.rev ?? 0
    expect((await saveAnswer(await access(token), { questionId, baseRev: rev, value, comment: null })).status).toBe(200)
  }
  expect((await submitAssessment(await access(token), attestation())).status).toBe(200)
  await recomputeScore(assessmentId)
  if (signedOffAt) await AssessmentModel.updateOne({ _id: assessmentId }, { $set: { status: 'completed', signOff: { at: signedOffAt, byName: 'Li Compliance' } }, $inc: { version: 1 } })
  return assessmentId
}

const base = { 'GOV-01': 'no', 'GOV-03': 12, 'GOV-04': '2025-03-01', 'SEC-01': 'admins', 'SEC-02': ['email'], 'PAY-01': 'no' }

describe('the review page beside the last completed assessment', () => {
  it('shows each answer beside last time’s, counts the changed ones, and puts the scores side by side', async () => {
    const user = await reviewer()
    const vendor = await createVendor()
    const vendorId = vendor._id.toString()
    await createContractFor(vendorId)

    const first = await assessment(vendorId, base, new Date('2024-11-20T06:00:00Z'))
    // A first assessment has nothing to compare with.
    expect((await getReviewView(first, 'en', user))!.sinceLast).toBeNull()

    // Last year's: SEC-01 only for administrators, incidents by phone and e-mail, a security officer named.
    const second = await assessment(vendorId, { ...base, 'SEC-02': ['phone', 'email'], 'SEC-03': 'Zhao Anquan' }, new Date('2025-11-20T06:00:00Z'))
    // This year's: SEC-01 now for every account, SEC-02 the same choices in another order, no officer named.
    const current = await assessment(vendorId, { ...base, 'SEC-01': 'all', 'SEC-02': ['email', 'phone'] })

    const view = (await getReviewView(current, 'en', user))!
    const sinceLast = view.sinceLast!
    // Compared with the most recent signed-off assessment, not the one before.
    expect(sinceLast.previous.assessmentId).toBe(second)
    expect(sinceLast.previous.completedAt).toBe('2025-11-20T06:00:00.000Z')
    expect(sinceLast.answers['SEC-01']).toMatchObject({ change: 'changed', previous: ['Administrator accounts only'], current: ['All accounts'] })
    expect(sinceLast.answers['SEC-02']!.change).toBe('unchanged')
    expect(sinceLast.answers['GOV-01']!.change).toBe('unchanged')
    expect(sinceLast.answers['SEC-03']).toMatchObject({ change: 'removed', previous: ['Zhao Anquan'], current: [] })
    expect(sinceLast.changedCount).toBe(2)

    // Every answer the page lists can be looked up beside last time's.
    const listed = view.questionnaires.flatMap((q) => q.sections.flatMap((s) => s.questions.filter((question) => question.visible).map((question) => question.id)))
    const changed = listed.filter((id) => sinceLast.answers[id] && sinceLast.answers[id]!.change !== 'unchanged')
    expect(changed.sort()).toEqual(['SEC-01', 'SEC-03'])

    // The score beside last time's, with the difference.
    const before = ((await readAssessment(second))!.score as { score: number }).score
    const after = ((await readAssessment(current))!.score as { score: number }).score
    expect(after).toBeGreaterThan(before) // SEC-01 went from partly met to met
    expect(sinceLast.score).toEqual({ before, after, delta: Math.round((after - before) * 10) / 10 })
    expect(sinceLast.clauses.find((clause) => clause.clauseId === 'SEC-01')).toMatchObject({ before: 'partial', after: 'meets' })

    // The assessment header says the same from the two stored scores alone.
    const header = (await scoreBesideLast(current))!
    expect(header.previousId).toBe(second)
    expect(header.score).toEqual(sinceLast.score)
    expect(header.clauses.after!.meets - header.clauses.before.meets).toBe(1)
    expect(header.clauses.after!.partial - header.clauses.before.partial).toBe(-1)
    // The second, once signed off, is compared with the first; the first with nothing.
    expect((await scoreBesideLast(second))!.previousId).toBe(first)
    expect(await scoreBesideLast(first)).toBeNull()
  })
})
