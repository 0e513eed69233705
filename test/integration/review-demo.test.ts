// The demo data's review step, on the real questionnaire library and contract templates.
import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { FindingModel } from '~models/finding'
import { MailMessageModel } from '~models/mail-message'
import { VendorModel } from '~models/vendor'
import { seedDemo } from '~/modules/demo/seed.server'
import { reloadLibrary } from '~/modules/library/library.server'
import { seedReviewDemo } from '~/modules/review/demo.server'
import { HISTORY_DEMO_DETAIL, seedHistoryDemo } from '~/modules/review/history-demo.server'
import { changesSinceLast } from '~/modules/review/changes.server'
import { completedScoreHistory } from '~/modules/assessments/history.server'
import { institutionToday, listVendorDocuments, withValidity } from '~/modules/documents/documents.server'
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

    const completed = (await AssessmentModel.findOne({ status: 'completed', 'trigger.detail': { $ne: HISTORY_DEMO_DETAIL } }).lean())!
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

  // Runs on the demo seeded above.
  it('leaves one vendor with two yearly assessments signed off a year apart and this year’s carried over', { timeout: 60_000 }, async () => {
    const history = await AssessmentModel.find({ 'trigger.detail': HISTORY_DEMO_DETAIL }).sort({ createdAt: 1 }).lean()
    expect(history.map((assessment) => assessment.status)).toEqual(['completed', 'completed', 'in_progress'])
    const [older, last, current] = history as [(typeof history)[0], (typeof history)[0], (typeof history)[0]]
    const vendorId = String(older.vendorId)
    expect(new Set(history.map((assessment) => String(assessment.vendorId)))).toEqual(new Set([vendorId]))
    // A year apart, both in the past.
    const days = (later: Date, earlier: Date) => Math.round((later.getTime() - earlier.getTime()) / 86_400_000)
    expect(days(last.signOff!.at!, older.signOff!.at!)).toBe(365)
    expect(days(new Date(), last.signOff!.at!)).toBe(365)

    // Answered differently: the review shows what changed, the vendor page's chart two different scores.
    const changes = (await changesSinceLast(last as never, 'en'))!
    expect(changes.previous.assessmentId).toBe(String(older._id))
    expect(changes.changedCount).toBeGreaterThan(3)
    const chart = await completedScoreHistory(vendorId)
    expect(chart.map((point) => point.assessmentId)).toEqual([String(older._id), String(last._id)])
    expect(chart[1]!.score).toBeGreaterThan(chart[0]!.score!)

    // This year's started from last year's answers: some confirmed or edited, others still to confirm.
    expect(current.carriedOverFrom).toMatchObject({ assessmentId: String(last._id) })
    const answers = Object.values(current.answers as Record<string, { carriedFrom?: unknown; comment?: string | null }>)
    const carried = answers.filter((answer) => answer.carriedFrom)
    expect(carried.length).toBeGreaterThan(5)
    expect(answers.length - carried.length).toBeGreaterThan(5)
    expect(answers.filter((answer) => !answer.carriedFrom && answer.comment === '今年已调整。Changed this year.')).toHaveLength(2)
    expect(current.progress).toMatchObject({ answered: answers.length - carried.length })

    // Its documents: valid, about to expire and expired.
    const states = new Set(withValidity(await listVendorDocuments(vendorId), institutionToday(), 30).map((document) => document.validity.state))
    for (const state of ['valid', 'expiring', 'expired'] as const) expect(states.has(state), state).toBe(true)

    // Running the step again changes nothing.
    await seedHistoryDemo(() => undefined)
    expect(await AssessmentModel.countDocuments({ 'trigger.detail': HISTORY_DEMO_DETAIL })).toBe(3)
  })
})
