import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { getAssessmentOverview, listAssessments, listQuerySchema, listVendorAssessments } from '~/modules/assessments/assessments.server'
import { saveAnswer } from '~/modules/assessments/portal.server'
import { access, startTestAssessment, useFixtureLibrary } from './assessments-helpers'

beforeAll(() => useFixtureLibrary())

describe('the staff list and overview', () => {
  it('shows status, progress and the overdue flag, and filters by them', async () => {
    const late = await startTestAssessment()
    const busy = await startTestAssessment()
    await AssessmentModel.updateOne({ _id: late.assessmentId }, { $set: { dueAt: new Date(Date.now() - 86_400_000) } })
    // "no" needs no evidence, so the answer alone completes the question ("yes" would wait for its file).
    await saveAnswer(await access(busy.token), { questionId: 'GOV-01', baseRev: 0, value: 'no', comment: null })

    const all = await listAssessments(listQuerySchema.parse({}))
    const row = (id: string) => all.rows.find((candidate) => candidate.id === id)!
    expect(row(late.assessmentId)).toMatchObject({ status: 'invited', overdue: true, percent: 0 })
    expect(row(busy.assessmentId)).toMatchObject({ status: 'in_progress', overdue: false })
    expect(row(busy.assessmentId).percent).toBeGreaterThan(0)

    const overdue = await listAssessments(listQuerySchema.parse({ status: 'overdue' }))
    expect(overdue.rows.map((r) => r.id)).toEqual([late.assessmentId])
    const inProgress = await listAssessments(listQuerySchema.parse({ status: 'in_progress' }))
    expect(inProgress.rows.map((r) => r.id)).toEqual([busy.assessmentId])
    const byName = await listAssessments(listQuerySchema.parse({ q: busy.vendor.legalName!.en!.slice(0, 10) + '.*' }))
    expect(byName.rows).toEqual([]) // typed text is matched literally, never as a pattern
    const named = await listAssessments(listQuerySchema.parse({ q: busy.vendor.legalName!.en!.toLowerCase() }))
    expect(named.rows.map((r) => r.id)).toEqual([busy.assessmentId])

    expect(listQuerySchema.safeParse({ status: { $ne: 'x' } }).success).toBe(false)
    expect((await listVendorAssessments(busy.vendor._id.toString())).map((r) => r.id)).toEqual([busy.assessmentId])
  })

  it('the overview has the answers, the links with their state and the history', async () => {
    const { assessmentId, token } = await startTestAssessment()
    await saveAnswer(await access(token), { questionId: 'GOV-03', baseRev: 0, value: 12, comment: 'twelve' })
    const overview = (await getAssessmentOverview(assessmentId))!
    expect(overview.answers['GOV-03']).toMatchObject({ value: 12, comment: 'twelve', rev: 1, updatedBy: '张三' })
    expect(overview.invitations.map((i) => [i.state, i.mailStatus])).toEqual([
      ['active', 'outbox'],
      ['active', 'outbox'],
    ])
    expect(overview.history.map((event) => event.action)).toContain('assessment.start')
    expect(await getAssessmentOverview('not-an-id')).toBeNull()
  })
})
