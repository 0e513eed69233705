// The demo data's review step, on the real questionnaire library and contract templates.
import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { FindingModel } from '~models/finding'
import { MailMessageModel } from '~models/mail-message'
import { VendorModel } from '~models/vendor'
import { seedDemo } from '~/modules/demo/seed.server'
import { reloadLibrary } from '~/modules/library/library.server'
import { seedReviewDemo } from '~/modules/review/demo.server'
import { clauseDecisions, readReview, type ClauseResultLike } from '~/modules/review/state'

const CATEGORIES = ['payment_platform', 'cloud_it', 'marketing', 'collection_agency', 'credit_reporting', 'insurance_intermediary', 'other']

beforeAll(async () => {
  reloadLibrary()
  // The vendor inventory's own demo step may not be there: seed a few vendors the way it would.
  for (const [i, category] of CATEGORIES.entries()) {
    await VendorModel.create({
      legalName: { 'zh-CN': `演示合作机构${i + 1}`, en: `Demo Partner ${i + 1}` },
      category,
      status: 'active',
      contacts: [{ name: i % 2 ? 'Alice Smith' : '陈静', email: `contact${i}@demo-partner.test`, locale: i % 2 ? 'en' : 'zh-CN' }],
      dataProfile: { piCategories: ['identity'], sensitivity: 'C2', recordCount: 10_000 },
      tier: { computed: 2 },
      effectiveTier: 2,
    })
  }
})

describe('the review demo step', () => {
  it('leaves a submitted, an under-review, a clarification and a signed-off assessment, with findings', { timeout: 120_000 }, async () => {
    const lines: string[] = []
    await seedDemo({ log: (line) => lines.push(line) })
    expect(lines.join('\n')).toMatch(/demo reviews: completed, under_review, clarification; \d+ findings/)

    const statuses = (await AssessmentModel.find({}, { status: 1 }).lean()).map((row) => row.status).sort()
    expect(statuses).toEqual(expect.arrayContaining(['submitted', 'under_review', 'clarification_requested', 'completed']))

    const completed = (await AssessmentModel.findOne({ status: 'completed' }).lean())!
    expect(completed.signOff).toMatchObject({ byName: expect.stringContaining('Compliance') })
    // Maker-checker: signed off by another officer than the one who reviewed.
    expect(readReview(completed.review).startedBy!.id).not.toBe(completed.signOff!.byUserId)
    const vendor = (await VendorModel.findById(completed.vendorId).lean())!
    expect(vendor.assessmentSummary).toMatchObject({ lastAssessmentId: completed._id, residualRisk: (completed.score as { residualRisk: string }).residualRisk })
    const completedFindings = await FindingModel.find({ assessmentId: completed._id }).lean()
    expect(completedFindings.map((finding) => finding.status)).toEqual(expect.arrayContaining(['in_progress', 'risk_accepted', 'open']))
    expect(completedFindings.some((finding) => finding.status === 'open' && finding.dueAt.getTime() < Date.now())).toBe(true)
    expect(Object.keys(readReview(completed.review).clauseOverrides)).toHaveLength(1)

    const underReview = (await AssessmentModel.findOne({ status: 'under_review' }).lean())!
    expect(await FindingModel.countDocuments({ assessmentId: underReview._id })).toBeGreaterThan(0)
    expect(Object.values(readReview(underReview.review).answers).filter((decision) => decision.decision === 'clarification' && decision.round === undefined)).toEqual([])
    // Every clause result decided but one, left for the reviewer.
    const revs = Object.fromEntries(Object.entries(underReview.answers as Record<string, { rev: number }>).map(([id, answer]) => [id, answer.rev]))
    const decisions = clauseDecisions((underReview.score as { clauses: ClauseResultLike[] }).clauses, readReview(underReview.review), revs)
    expect(decisions.filter((decision) => decision.state === 'undecided')).toHaveLength(1)

    const waiting = (await AssessmentModel.findOne({ status: 'clarification_requested' }).lean())!
    expect(readReview(waiting.review).reopenedQuestions.length).toBeGreaterThan(0)
    expect(await MailMessageModel.countDocuments({ kind: 'clarification', 'related.id': String(waiting._id) })).toBe(1)

    // Running the step again changes nothing.
    const before = await FindingModel.countDocuments({})
    await seedReviewDemo(() => undefined)
    expect(await FindingModel.countDocuments({})).toBe(before)
    expect(await AssessmentModel.countDocuments({})).toBe(statuses.length)
  })
})
