import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { reloadLibrary } from '~/modules/library/library.server'
import { seedAssessmentsDemo } from '~/modules/assessments/demo.server'
import { checkVendorAccess } from '~/modules/assessments/access.server'
import { createVendor, tokensFromOutbox } from './assessments-helpers'

beforeAll(() => reloadLibrary()) // the real questionnaires/ content, as the demo uses it

describe('demo assessments', () => {
  it('seeds one submitted, one in progress and one overdue invited assessment, once', async () => {
    await createVendor({ category: 'payment_platform' })
    await createVendor({ category: 'cloud_it' })
    await createVendor({ category: 'marketing' })
    const started = Date.now()
    const lines: string[] = []
    await seedAssessmentsDemo((line) => lines.push(line))
    const elapsed = Date.now() - started
    const assessments = await AssessmentModel.find().lean()
    expect(assessments.map((a) => a.status).sort()).toEqual(['in_progress', 'invited', 'submitted'])
    const submitted = assessments.find((a) => a.status === 'submitted')!
    expect(submitted.questionnaires.map((q) => q.id)).toContain('payment-supplement')
    expect(submitted.progress!.percent).toBe(100)
    const invited = assessments.find((a) => a.status === 'invited')!
    expect(invited.dueAt.getTime()).toBeLessThan(Date.now()) // shows as overdue
    // Its links still open the questionnaire (the grace period).
    const [token] = (await tokensFromOutbox(invited._id.toString())).values()
    expect((await checkVendorAccess(token!)).ok).toBe(true)
    expect(elapsed).toBeLessThan(10_000) // well under in practice; generous for a busy machine
    await seedAssessmentsDemo(() => undefined)
    expect(await AssessmentModel.countDocuments()).toBe(3)
    console.log(`demo assessments seeded in ${elapsed} ms`)
  })
})
