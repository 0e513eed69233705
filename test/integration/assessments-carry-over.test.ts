// Reassessments that start from last year's answers: carried answers are pre-filled and marked,
// they count only once the vendor confirms their section or edits them, and the score of the
// submitted reassessment is exactly that of a fresh assessment answered the same way.
import { Types } from 'mongoose'
import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { AuditEventModel } from '~models/audit-event'
import { VendorModel } from '~models/vendor'
import { startAssessment, startAssessmentFromForm } from '~/modules/assessments/start.server'
import { confirmSection, portalView, saveAnswer, submitAssessment } from '~/modules/assessments/portal.server'
import { recomputeScore } from '~/modules/review/score.server'
import { issueReassessment } from '~/modules/schedule/issue.server'
import { access, createContractFor, createVendor, inDays, readAssessment, tokensFromOutbox, useFixtureLibrary } from './assessments-helpers'

beforeAll(() => useFixtureLibrary())

const staff = { kind: 'user' as const, id: new Types.ObjectId().toString(), name: 'Wang Procurement' }
const attestation = () => ({ name: '张三', title: '信息安全负责人', confirm: 'on', submissionKey: new Types.ObjectId().toString() + 'abcdef' })
const lastYear = new Date('2025-11-20T06:00:00Z')

async function start(vendorId: string, carryOver?: boolean) {
  const { assessmentId } = await startAssessment({ vendorId, dueAt: inDays(30), trigger: { reason: 'manual' }, actor: staff, ...(carryOver === undefined ? {} : { carryOver }) })
  const token = [...(await tokensFromOutbox(assessmentId)).values()][0]!
  return { assessmentId, token }
}

function answerIn(assessment: { answers?: unknown }, questionId: string): Record<string, unknown> | undefined {
  return (assessment.answers as Record<string, Record<string, unknown>> | undefined)?.[questionId]
}

async function save(token: string, questionId: string, value: unknown, comment: string | null = null) {
  const current = (await readAssessment((await access(token)).assessment._id.toString()))!
  const rev = (answerIn(current, questionId)?.rev as number | undefined) ?? 0
  const result = await saveAnswer(await access(token), { questionId, baseRev: rev, value, comment })
  expect(result.status).toBe(200)
}

/** A vendor with one signed-off assessment answered as below. */
async function vendorWithCompletedAssessment() {
  const vendor = await createVendor()
  const vendorId = vendor._id.toString()
  await createContractFor(vendorId)
  const first = await start(vendorId)
  await save(first.token, 'GOV-01', 'no', 'Being written')
  await save(first.token, 'GOV-03', 120)
  await save(first.token, 'GOV-04', '2025-03-01')
  await save(first.token, 'SEC-01', 'admins')
  await save(first.token, 'SEC-02', ['email'])
  await save(first.token, 'SEC-03', 'Quarterly drills')
  await save(first.token, 'PAY-01', 'no')
  expect((await submitAssessment(await access(first.token), attestation())).status).toBe(200)
  await recomputeScore(first.assessmentId)
  await AssessmentModel.updateOne({ _id: first.assessmentId }, { $set: { status: 'completed', signOff: { at: lastYear, byName: 'Li Compliance' } }, $inc: { version: 1 } })
  return { vendorId, first }
}

describe('carry-over on reassessment', () => {
  it('pre-fills and marks last time’s answers; they count only once confirmed or edited, and the score matches a fresh assessment', async () => {
    const { vendorId, first } = await vendorWithCompletedAssessment()
    const again = await start(vendorId)
    const started = (await readAssessment(again.assessmentId))!
    expect(started.carriedOverFrom).toMatchObject({ assessmentId: first.assessmentId })
    const view = portalView(await access(again.token))
    expect(view.answers['GOV-01']).toMatchObject({ value: 'no', comment: 'Being written', rev: 0, carriedFrom: { at: lastYear.toISOString() } })
    expect(Object.keys(view.answers).sort()).toEqual(['GOV-01', 'GOV-03', 'GOV-04', 'PAY-01', 'SEC-01', 'SEC-02', 'SEC-03'])
    expect(started.progress).toMatchObject({ answered: 0 })

    // Nothing confirmed yet: submit refuses, listing the carried required answers as missing.
    const refused = await submitAssessment(await access(again.token), attestation())
    expect(refused.status).toBe(400)
    expect((refused.body as { missing: string[] }).missing).toEqual(expect.arrayContaining(['GOV-01', 'SEC-01', 'PAY-01']))

    // Governance: confirmed as it is, in one update.
    const before = (await readAssessment(again.assessmentId))!.version
    const confirmed = await confirmSection(await access(again.token), { questionnaireId: 'baseline', sectionId: 'governance' })
    expect(confirmed.status).toBe(200)
    expect(confirmed.body).toMatchObject({ ok: true, confirmed: ['GOV-01', 'GOV-03', 'GOV-04'], revs: { 'GOV-01': 1, 'GOV-03': 1, 'GOV-04': 1 } })
    const afterConfirm = (await readAssessment(again.assessmentId))!
    expect(afterConfirm.version).toBe(before + 1)
    const gov01 = answerIn(afterConfirm, 'GOV-01')
    expect(gov01?.carriedFrom).toBeUndefined()
    expect(gov01).toMatchObject({ value: 'no', rev: 1, updatedBy: '张三' })

    // Security: one answer edited (its mark goes in the same save), the others confirmed.
    await save(again.token, 'SEC-01', 'all')
    const edited = (await readAssessment(again.assessmentId))!
    expect(answerIn(edited, 'SEC-01')).toMatchObject({ value: 'all', rev: 1 })
    expect(answerIn(edited, 'SEC-01')?.carriedFrom).toBeUndefined()
    expect(portalView(await access(again.token)).answers['SEC-02']!.carriedFrom).not.toBeNull()

    // The payment supplement is confirmed; SEC-02 / SEC-03 (security) stay unconfirmed.
    expect((await confirmSection(await access(again.token), { questionnaireId: 'payment', sectionId: 'pci' })).status).toBe(200)
    await save(again.token, 'SEC-02', ['phone'])
    // SEC-03 (optional) is left carried and unconfirmed: it does not count, and leaves with the submission.
    const submitted = await submitAssessment(await access(again.token), attestation())
    expect(submitted.status).toBe(200)
    const done = (await readAssessment(again.assessmentId))!
    expect(answerIn(done, 'SEC-03') !== undefined).toBe(false)

    // A fresh assessment (no carry-over) answered the same way scores the same.
    const fresh = await start(vendorId, false)
    expect(Object.keys(portalView(await access(fresh.token)).answers)).toEqual([])
    await save(fresh.token, 'GOV-01', 'no', 'Being written')
    await save(fresh.token, 'GOV-03', 120)
    await save(fresh.token, 'GOV-04', '2025-03-01')
    await save(fresh.token, 'SEC-01', 'all')
    await save(fresh.token, 'SEC-02', ['phone'])
    await save(fresh.token, 'PAY-01', 'no')
    expect((await submitAssessment(await access(fresh.token), attestation())).status).toBe(200)
    const carriedScore = await recomputeScore(again.assessmentId)
    const freshScore = await recomputeScore(fresh.assessmentId)
    if (!('score' in carriedScore) || !('score' in freshScore)) throw new Error('not scored')
    const { computedAt: _a, ...carriedResult } = carriedScore.score!
    const { computedAt: _b, ...freshResult } = freshScore.score!
    expect(carriedResult).toEqual(freshResult)
  })

  it('scores an unconfirmed carried answer as unanswered before submission', async () => {
    const { vendorId } = await vendorWithCompletedAssessment()
    const again = await start(vendorId)
    const result = await recomputeScore(again.assessmentId)
    if (!('score' in result)) throw new Error('not scored')
    expect(result.score!.answered).toBe(0)
    expect(result.score!.counts.assessed).toBe(0)
  })

  it('starts blank when staff choose not to carry over, or when the vendor has no completed assessment', async () => {
    const { vendorId } = await vendorWithCompletedAssessment()
    const blank = await start(vendorId, false)
    expect((await readAssessment(blank.assessmentId))!.carriedOverFrom?.assessmentId).toBeUndefined()
    const newcomer = await createVendor()
    const first = await start(newcomer._id.toString())
    expect(Object.keys(portalView(await access(first.token)).answers)).toEqual([])
  })

  it('refuses to confirm an unknown section and confirms nothing twice', async () => {
    const { vendorId } = await vendorWithCompletedAssessment()
    const again = await start(vendorId)
    expect((await confirmSection(await access(again.token), { questionnaireId: 'baseline', sectionId: 'nope' })).status).toBe(404)
    expect((await confirmSection(await access(again.token), { sectionId: 'x' })).status).toBe(400)
    expect((await confirmSection(await access(again.token), { questionnaireId: 'baseline', sectionId: 'security' })).body).toMatchObject({ confirmed: ['SEC-01', 'SEC-02', 'SEC-03'] })
    expect((await confirmSection(await access(again.token), { questionnaireId: 'baseline', sectionId: 'security' })).body).toMatchObject({ confirmed: [] })
  })
})

/** A signed-off assessment written as the sign-off leaves it (the review flow is tested elsewhere). */
async function completedAssessment(vendorId: string, signedOffAt: Date, questionnaires: { id: string; version: number }[], answers: Record<string, unknown>) {
  const _id = new Types.ObjectId()
  const at = signedOffAt
  await AssessmentModel.collection.insertOne({
    _id,
    vendorId: new Types.ObjectId(vendorId),
    status: 'completed',
    vendorSnapshot: {},
    questionnaires,
    contract: { clauses: [] },
    dueAt: at,
    invitations: [],
    answers: Object.fromEntries(Object.entries(answers).map(([id, value]) => [id, { value, evidence: [], rev: 1, updatedAt: at }])),
    review: {},
    signOff: { at, byName: 'Li Compliance' },
    createdAt: at,
    updatedAt: at,
    version: 5,
  })
  return _id
}

const pointTo = (vendorId: string, assessmentId: Types.ObjectId, at: Date) =>
  VendorModel.updateOne({ _id: vendorId }, { $set: { 'assessmentSummary.lastAssessmentId': assessmentId, 'assessmentSummary.lastAssessedAt': at } })

describe('carry-over across questionnaire versions, on the staff start path', () => {
  it('carries the unchanged question, not the changed, removed or new ones', async () => {
    const vendor = await createVendor()
    const vendorId = vendor._id.toString()
    // Last year: baseline v1 (SEC-01 offered all/none) and the payment supplement.
    const previous = await completedAssessment(vendorId, lastYear, [{ id: 'baseline', version: 1 }, { id: 'payment', version: 1 }], { 'GOV-01': 'yes', 'SEC-01': 'all', 'PAY-01': 'no' })
    await pointTo(vendorId, previous, lastYear)
    // This year: baseline v2 only (SEC-01 now also offers "admins"; GOV-02…05, SEC-02, SEC-03 are new).
    const started = await startAssessmentFromForm(
      { vendorId, questionnaires: ['baseline@2'], dueDate: inDays(30).toISOString().slice(0, 10), contactIds: vendor.contacts.map((contact) => String(contact._id)), carryOver: true },
      staff,
      'Asia/Shanghai',
    )
    if (!started.ok) throw new Error(JSON.stringify(started.fieldErrors))
    const stored = (await readAssessment(started.assessmentId))!
    expect(stored.carriedOverFrom).toMatchObject({ assessmentId: previous.toString() })
    expect(Object.keys(stored.answers as unknown as Record<string, unknown>)).toEqual(['GOV-01'])
    expect(answerIn(stored, 'GOV-01')).toMatchObject({ value: 'yes', rev: 0, evidence: [], carriedFrom: { assessmentId: previous.toString(), at: lastYear } })
    expect('comment' in answerIn(stored, 'GOV-01')!).toBe(false) // no comment last year: none stored, not null
    expect(stored.progress).toMatchObject({ answered: 0 })
    const audit = await AuditEventModel.findOne({ action: 'assessment.start', 'subject.id': started.assessmentId }).lean()
    expect(audit?.details).toMatchObject({ carriedOver: { from: previous.toString(), answers: 1 } })
  })
})

describe('which completed assessment is carried over', () => {
  const thisYear = new Date('2026-11-20T06:00:00Z')
  async function vendorWithTwoYears() {
    const vendor = await createVendor()
    const vendorId = vendor._id.toString()
    const older = await completedAssessment(vendorId, lastYear, [{ id: 'baseline', version: 2 }], { 'GOV-01': 'no' })
    const newer = await completedAssessment(vendorId, thisYear, [{ id: 'baseline', version: 2 }], { 'GOV-01': 'yes' })
    return { vendorId, older, newer }
  }
  const carried = async (vendorId: string) => {
    const { assessmentId } = await start(vendorId)
    const stored = (await readAssessment(assessmentId))!
    return { from: stored.carriedOverFrom?.assessmentId, value: answerIn(stored, 'GOV-01')?.value }
  }

  it('the one the last sign-off named on the vendor (found by its id, not by scanning the vendor’s assessments)', async () => {
    const { vendorId, older, newer } = await vendorWithTwoYears()
    await pointTo(vendorId, newer, thisYear)
    expect(await carried(vendorId)).toEqual({ from: newer.toString(), value: 'yes' })
    // The summary decides, as it does for the reassessment cadence.
    await pointTo(vendorId, older, lastYear)
    expect(await carried(vendorId)).toEqual({ from: older.toString(), value: 'no' })
  })

  it('the latest signed off when the vendor names none, or names one that is not a completed assessment of its own', async () => {
    const { vendorId, newer } = await vendorWithTwoYears()
    expect(await carried(vendorId)).toEqual({ from: newer.toString(), value: 'yes' })
    const stranger = await vendorWithTwoYears()
    await pointTo(vendorId, stranger.newer, thisYear)
    expect(await carried(vendorId)).toEqual({ from: newer.toString(), value: 'yes' })
    const open = await start(vendorId)
    await pointTo(vendorId, new Types.ObjectId(open.assessmentId), thisYear)
    expect(await carried(vendorId)).toEqual({ from: newer.toString(), value: 'yes' })
  })
})

describe('the scheduler’s yearly reassessment', () => {
  it('carries last year’s answers like a start by staff', async () => {
    const { vendorId, first } = await vendorWithCompletedAssessment()
    const dueAt = inDays(20)
    await VendorModel.updateOne({ _id: vendorId }, { $set: { 'reassessment.nextDueAt': dueAt } }) // as the sign-off's cadence sets it
    const outcome = await issueReassessment(new Types.ObjectId(vendorId), dueAt, { now: new Date(), timeZone: 'Asia/Shanghai', responseDays: 14 })
    expect(outcome).toBe('issued')
    const reassessment = await AssessmentModel.findOne({ vendorId: new Types.ObjectId(vendorId), 'trigger.reason': 'scheduled' }).lean()
    expect(reassessment?.carriedOverFrom).toMatchObject({ assessmentId: first.assessmentId })
    expect(answerIn(reassessment!, 'GOV-01')).toMatchObject({ value: 'no', comment: 'Being written', rev: 0, carriedFrom: { assessmentId: first.assessmentId } })
    expect(reassessment?.progress).toMatchObject({ answered: 0 })
  })
})
