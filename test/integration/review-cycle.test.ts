// The whole review cycle against the real database: start → vendor answers & submits → review →
// clarification (only reopened questions editable) → resubmit → findings → sign-off → immutable.
import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { AuditEventModel } from '~models/audit-event'
import { FindingModel } from '~models/finding'
import { MailMessageModel } from '~models/mail-message'
import { VendorModel } from '~models/vendor'
import { checkVendorAccess } from '~/modules/assessments/access.server'
import { dayIn } from '~/modules/dates/dates'
import { addEvidence, saveAnswer, submitAssessment } from '~/modules/assessments/portal.server'
import type { Role } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { createUser } from '~/modules/auth/users.server'
import { listFindings, updateFinding } from '~/modules/findings/findings.server'
import { findingListQuerySchema } from '~/modules/findings/schemas'
import { acceptClauseResult, decideAnswer, overrideClause, sendClarificationRequest, signOff, startReview, withdrawOverride } from '~/modules/review/review.server'
import { saveReviewSettings } from '~/modules/review/settings.server'
import { signOffReadiness } from '~/modules/review/sign-off.server'
import { recomputeScore } from '~/modules/review/score.server'
import { getReviewView } from '~/modules/review/view.server'
import { readReview } from '~/modules/review/state'
import { access, inDays, readAssessment, startTestAssessment, tokensFromOutbox, useFixtureLibrary } from './assessments-helpers'

const TZ = 'Asia/Shanghai'
const pdf = (name = 'evidence.pdf') => new File([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')], name, { type: 'application/pdf' })
const attestation = (key: string) => ({ name: '张三', title: '信息安全经理', confirm: 'on', submissionKey: key.padEnd(16, '0') })

let staffCount = 0
async function staff(role: Role): Promise<SessionUser> {
  staffCount++
  const email = `${role}${staffCount}@bank.review.test`
  const user = await createUser({ email, name: `${role === 'compliance' ? 'Li Hegui' : role} ${staffCount}`, password: 'password-password', role, locale: 'en' })
  return { id: String(user._id), email, name: user.name, role, locale: 'en' }
}

async function answerAll(token: string, answers: { questionId: string; value: unknown }[]) {
  for (const answer of answers) {
    const current = ((await readAssessment((await access(token)).assessment._id.toString()))!.answers as Record<string, { rev: number }>)[answer.questionId]
    const result = await saveAnswer(await access(token), { ...answer, baseRev: current?.rev ?? 0, comment: null })
    expect(result.status, `${answer.questionId}: ${JSON.stringify(result.body)}`).toBe(200)
  }
}

const answerRev = async (assessmentId: string, questionId: string) =>
  ((await readAssessment(assessmentId))!.answers as Record<string, { rev: number }>)[questionId]?.rev ?? 0

beforeAll(() => useFixtureLibrary())

describe('the review cycle', () => {
  it('runs from submission to an immutable, signed-off assessment with findings and an updated vendor', async () => {
    const compliance = await staff('compliance')
    // The fixture contract has PRIV-01 (critical, knock-out), SEC-01 (high) and PCI-01 (medium).
    const { assessmentId, token, vendor } = await startTestAssessment()
    const vendorId = vendor._id.toString()

    // The vendor answers: SEC-01 only for administrators (partial), no PCI attestation (fails).
    await answerAll(token, [
      { questionId: 'GOV-01', value: 'yes' },
      { questionId: 'GOV-03', value: 12 },
      { questionId: 'GOV-04', value: '2025-03-01' },
      { questionId: 'SEC-01', value: 'admins' },
      { questionId: 'SEC-02', value: ['email'] },
      { questionId: 'PAY-01', value: 'no' },
    ])
    expect((await addEvidence(await access(token), { questionId: 'GOV-01', file: pdf('instructions.pdf') })).status).toBe(200)
    expect((await submitAssessment(await access(token), attestation('first-round'))).status).toBe(200)

    // Review starts: the score is stored and findings are generated from it.
    expect(await startReview(assessmentId, compliance)).toEqual({ ok: true })
    let assessment = await readAssessment(assessmentId)
    expect(assessment!.status).toBe('under_review')
    expect(readReview(assessment!.review).startedBy).toEqual({ id: compliance.id, name: compliance.name })
    const score = assessment!.score as { score: number; residualRisk: string; weights: { earned: number; possible: number } }
    // PRIV-01 meets (10 of 10), SEC-01 partial (3 of 6), PCI-01 fails (0 of 3): 13 / 19 = 68.4, tier 2 "weak" band → high.
    expect(score).toMatchObject({ score: 68.4, residualRisk: 'high', weights: { earned: 13, possible: 19 } })
    let findings = await FindingModel.find({ assessmentId: assessment!._id }).sort({ key: 1 }).lean()
    expect(findings.map((finding) => [finding.key, finding.severity, finding.status])).toEqual([
      ['clause:PCI-01', 'medium', 'open'],
      ['clause:SEC-01', 'medium', 'open'], // high clause only partly met
    ])
    expect(findings[1]!.title).toMatchObject({ en: expect.stringContaining('SEC-01 only partly met'), 'zh-CN': expect.stringContaining('SEC-01 部分满足') })
    expect(findings[1]!.vendorName).toMatchObject({ 'zh-CN': vendor.legalName!['zh-CN'], en: vendor.legalName!.en })

    // Generating again, even twice at once, never duplicates a finding.
    await Promise.all([recomputeScore(assessmentId), recomputeScore(assessmentId), startReview(assessmentId, compliance)])
    expect(await FindingModel.countDocuments({ assessmentId: assessment!._id })).toBe(2)

    // Per-answer decisions; a decision on an answer the vendor changed since is refused.
    expect(await decideAnswer(assessmentId, { intent: 'decide', questionId: 'GOV-01', decision: 'accepted', answerRev: String(await answerRev(assessmentId, 'GOV-01')) }, compliance)).toEqual({ ok: true })
    expect(await decideAnswer(assessmentId, { intent: 'decide', questionId: 'SEC-01', decision: 'accepted', answerRev: '7' }, compliance)).toMatchObject({ ok: false, status: 409, formError: 'review:errors.answerChanged' })
    expect(await decideAnswer(assessmentId, { intent: 'decide', questionId: 'SEC-01', decision: 'clarification', answerRev: '1', comment: '' }, compliance)).toMatchObject({ ok: false, status: 400, fieldErrors: { comment: ['review:errors.clarificationComment'] } })
    for (const [questionId, comment] of [['SEC-01', 'Which accounts lack MFA, and by when will they have it?'], ['PAY-01', 'Please attach the current AOC or explain the remediation plan.']]) {
      expect(await decideAnswer(assessmentId, { intent: 'decide', questionId, decision: 'clarification', answerRev: String(await answerRev(assessmentId, questionId)), comment }, compliance)).toEqual({ ok: true })
    }

    // Sending the clarification reopens only those questions and mails every contact a fresh link in their language.
    const respondBy = dayIn(inDays(10), TZ)
    const sent = await sendClarificationRequest(assessmentId, { intent: 'send-clarification', respondBy, message: 'Thank you — two points to clarify.' }, compliance)
    // Follow-up questions shown because of a reopened answer reopen with it (SEC-03, PAY-02).
    expect(sent).toMatchObject({ ok: true, round: 1, reopened: ['SEC-01', 'SEC-03', 'PAY-01', 'PAY-02'] })
    assessment = await readAssessment(assessmentId)
    expect(assessment!.status).toBe('clarification_requested')
    expect(readReview(assessment!.review).reopenedQuestions).toEqual(['SEC-01', 'SEC-03', 'PAY-01', 'PAY-02'])
    expect((assessment!.review as { clarificationMessage: string }).clarificationMessage).toContain('SEC-01: Which accounts lack MFA')
    const mails = await MailMessageModel.find({ 'related.id': assessmentId, kind: 'clarification' }).lean()
    expect(mails).toHaveLength(2)
    const zh = mails.find((mail) => mail.locale === 'zh-CN')!
    const en = mails.find((mail) => mail.locale === 'en')!
    expect(zh.subject).toContain('澄清')
    expect(zh.text).toContain('哪些账户启用了多因素认证？')
    expect(en.subject).toContain('please clarify your answers')
    expect(en.text).toContain('Which accounts use multi-factor authentication?')
    expect(en.text).toContain('Reviewer\'s comment: Please attach the current AOC')
    expect(en.text).not.toContain('GOV-03')
    // Sending again is refused: nothing is drafted any more, and no second mail goes out.
    expect(await sendClarificationRequest(assessmentId, { intent: 'send-clarification', respondBy }, compliance)).toMatchObject({ ok: false, formError: 'review:errors.noDrafts' })

    // The old link is retired; the fresh one only edits the reopened questions.
    expect(await checkVendorAccess(token)).toEqual({ ok: false, problem: 'superseded' })
    const fresh = (await tokensFromOutbox(assessmentId)).get(zh.to[0]!)!
    expect(fresh).not.toBe(token)
    const locked = await saveAnswer(await access(fresh), { questionId: 'GOV-03', baseRev: await answerRev(assessmentId, 'GOV-03'), value: 99, comment: null })
    expect(locked.status).toBe(423)
    // Sign-off waits for the vendor.
    expect(await signOff(assessmentId, { intent: 'sign-off', version: String(assessment!.version), scoreHash: 'a'.repeat(64), confirm: 'on', name: 'Li', date: dayIn(new Date(), TZ), comment: 'ok' }, compliance)).toMatchObject({ ok: false, formError: 'review:errors.notSignable' })
    await answerAll(fresh, [
      { questionId: 'SEC-01', value: 'all' },
      { questionId: 'PAY-01', value: 'yes' },
      { questionId: 'PAY-02', value: '2025-02-01' }, // the follow-up the new answer reveals
    ])
    expect((await addEvidence(await access(fresh), { questionId: 'PAY-01', file: pdf('aoc.pdf') })).status).toBe(200)
    expect((await submitAssessment(await access(fresh), attestation('second-round'))).status).toBe(200)
    expect((await readAssessment(assessmentId))!.submission).toMatchObject({ count: 2 })

    // The new answers meet every clause: the resubmission already rescored (so a second recompute
    // finds nothing to store), and the refreshed score closes both findings.
    const rescored = await recomputeScore(assessmentId)
    expect(rescored).toMatchObject({ status: 'unchanged', score: { score: 100, residualRisk: 'low' } })
    findings = await FindingModel.find({ assessmentId: assessment!._id }).sort({ key: 1 }).lean()
    expect(findings.map((finding) => [finding.key, finding.status, finding.resolvedByScore])).toEqual([
      ['clause:PCI-01', 'closed', true],
      ['clause:SEC-01', 'closed', true],
    ])
    expect(findings[0]!.history.map((entry) => entry.event)).toEqual(['created', 'auto_resolved'])

    // The reviewer sees that SEC-01 changed since the clarification request.
    const view = await getReviewView(assessmentId, 'en', compliance)
    const sec = view!.questionnaires.flatMap((q) => q.sections.flatMap((s) => s.questions)).find((q) => q.id === 'SEC-01')!
    expect(sec.decisionState).toBe('changed_since')
    expect(sec.effects).toEqual([{ clauseId: 'SEC-01', title: 'Multi-factor authentication', effect: 'meets', inContract: true }])
    const pci = view!.clauses.find((clause) => clause.id === 'PCI-01')!
    expect(pci.contributions).toEqual([{ questionId: 'PAY-01', question: 'Do you hold a valid PCI DSS attestation of compliance?', answer: ['Yes'], effect: 'meets', decisive: true }])

    // An override needs a justification; it is kept, attributed, scored, and becomes a finding.
    expect(await overrideClause(assessmentId, { intent: 'override', clauseId: 'PRIV-01', status: 'partial', justification: 'short' }, compliance)).toMatchObject({ ok: false, status: 400 })
    expect(await overrideClause(assessmentId, { intent: 'override', clauseId: 'NOPE-01', status: 'partial', justification: 'Not part of this contract at all' }, compliance)).toMatchObject({ ok: false, formError: 'review:errors.unknownClause' })
    const justification = 'The written instructions do not cover the sub-processor; seen in the evidence.'
    expect(await overrideClause(assessmentId, { intent: 'override', clauseId: 'PRIV-01', status: 'partial', justification }, compliance)).toEqual({ ok: true })
    assessment = await readAssessment(assessmentId)
    expect(readReview(assessment!.review).clauseOverrides['PRIV-01']).toMatchObject({ status: 'partial', justification, byName: compliance.name, byUserId: compliance.id })
    const overridden = assessment!.score as { score: number; clauses: { clauseId: string; computed: string; status: string }[] }
    expect(overridden.clauses.find((clause) => clause.clauseId === 'PRIV-01')).toMatchObject({ computed: 'meets', status: 'partial' })
    expect(overridden.score).toBe(73.7) // (5 + 6 + 3) / 19
    const privacy = await FindingModel.findOne({ assessmentId: assessment!._id, key: 'clause:PRIV-01' }).lean()
    expect(privacy).toMatchObject({ severity: 'high', status: 'open' })
    expect(privacy!.description!.en).toContain(justification)

    // Withdrawing and re-applying keeps the whole history.
    expect(await withdrawOverride(assessmentId, { intent: 'withdraw-override', clauseId: 'PRIV-01', justification: 'Entered on the wrong clause' }, compliance)).toEqual({ ok: true })
    expect((await FindingModel.findOne({ assessmentId: assessment!._id, key: 'clause:PRIV-01' }).lean())!.status).toBe('closed')
    expect(await overrideClause(assessmentId, { intent: 'override', clauseId: 'PRIV-01', status: 'partial', justification }, compliance)).toEqual({ ok: true })
    assessment = await readAssessment(assessmentId)
    expect(readReview(assessment!.review).overrideHistory.map((event) => [event.status, event.previous])).toEqual([
      ['partial', null],
      [null, 'partial'],
      ['partial', null],
    ])
    expect((await FindingModel.findOne({ assessmentId: assessment!._id, key: 'clause:PRIV-01' }).lean())!.status).toBe('open')

    // Sign-off only from a decided review: SEC-01 and PCI-01 rest on answers nobody has accepted.
    const today = dayIn(new Date(), TZ)
    const checker = await staff('compliance')
    const confirmation = async (signer: SessionUser) => {
      const current = (await readAssessment(assessmentId))!
      return { version: String(current.version), scoreHash: (await signOffReadiness(current, signer)).scoreHash, confirm: 'on' }
    }
    const signing = { intent: 'sign-off', name: 'Zhou Fuhe', date: today, comment: 'Approved; PRIV-01 remediation tracked as a finding.' }
    expect(await signOff(assessmentId, { ...signing, ...(await confirmation(checker)) }, checker)).toMatchObject({
      ok: false,
      status: 409,
      formError: 'review:errors.undecidedClauses|{"count":2}',
    })
    expect(await acceptClauseResult(assessmentId, { intent: 'accept-clause', clauseId: 'PRIV-01' }, compliance)).toEqual({ ok: true }) // overridden: nothing to do
    for (const clauseId of ['SEC-01', 'PCI-01']) expect(await acceptClauseResult(assessmentId, { intent: 'accept-clause', clauseId }, compliance)).toEqual({ ok: true })
    const decided = readReview((await readAssessment(assessmentId))!.review)
    expect(decided.answers['SEC-01']).toMatchObject({ decision: 'accepted', byUserId: compliance.id, rev: await answerRev(assessmentId, 'SEC-01') })
    expect(decided.answers['PAY-01']).toMatchObject({ decision: 'accepted' })

    // The confirmation step is required and must match what is signed off.
    const { confirm: _confirm, ...unconfirmed } = await confirmation(checker)
    expect(await signOff(assessmentId, { ...signing, ...unconfirmed }, checker)).toMatchObject({ ok: false, status: 400, fieldErrors: { confirm: ['review:errors.confirmSignOff'] } })
    expect(await signOff(assessmentId, { ...signing, ...(await confirmation(checker)), scoreHash: 'a'.repeat(64) }, checker)).toMatchObject({
      ok: false,
      status: 409,
      formError: 'review:errors.changedSinceConfirmation',
    })
    const confirmed = await confirmation(checker)
    expect(await signOff(assessmentId, { ...signing, ...confirmed, version: String(Number(confirmed.version) - 1) }, checker)).toMatchObject({
      ok: false,
      status: 409,
      formError: 'review:errors.changedSinceConfirmation',
    })
    expect(await signOff(assessmentId, { ...signing, ...confirmed, date: dayIn(inDays(2), TZ) }, checker)).toMatchObject({ ok: false, fieldErrors: { date: ['review:errors.signOffDate'] } })
    const viewer = await staff('viewer')
    await expect(signOff(assessmentId, { ...signing, ...confirmed }, viewer)).rejects.toMatchObject({ status: 403 })
    // Maker-checker (tier 2 by default): who reviewed may not sign off.
    expect(await signOff(assessmentId, { ...signing, ...(await confirmation(compliance)) }, compliance)).toMatchObject({
      ok: false,
      status: 403,
      formError: 'review:errors.makerChecker|{"tier":2}',
    })
    const signed = await signOff(assessmentId, { ...signing, ...confirmed }, checker)
    expect(signed).toMatchObject({ ok: true })

    const completed = await readAssessment(assessmentId)
    expect(completed!.status).toBe('completed')
    expect(completed!.signOff).toMatchObject({ byName: 'Zhou Fuhe', byUserId: checker.id, comment: signing.comment })
    const vendorAfter = await VendorModel.findById(vendorId).lean()
    expect(vendorAfter!.assessmentSummary).toMatchObject({ controlScore: 73.7, residualRisk: 'medium', lastAssessmentId: completed!._id })
    expect(vendorAfter!.assessmentSummary!.lastAssessedAt!.getTime()).toBe(completed!.signOff!.at!.getTime())
    // The reassessment clock started: the next due date is about a year after the sign-off (tier 2, default cadence).
    const months = (vendorAfter!.reassessment!.nextDueAt!.getTime() - completed!.signOff!.at!.getTime()) / (30.44 * 86_400_000)
    expect(months).toBeGreaterThan(11.5)
    expect(months).toBeLessThan(12.5)

    // Immutable: every write is refused and nothing changes, not even the score.
    const frozen = await readAssessment(assessmentId)
    const refusals = await Promise.all([
      decideAnswer(assessmentId, { intent: 'decide', questionId: 'GOV-01', decision: 'accepted', answerRev: '1' }, compliance),
      overrideClause(assessmentId, { intent: 'override', clauseId: 'SEC-01', status: 'fails', justification }, compliance),
      withdrawOverride(assessmentId, { intent: 'withdraw-override', clauseId: 'PRIV-01', justification: 'After the sign-off' }, compliance),
      sendClarificationRequest(assessmentId, { intent: 'send-clarification', respondBy }, compliance),
      signOff(assessmentId, { ...signing, version: String(frozen!.version), scoreHash: confirmed.scoreHash, confirm: 'on' }, checker),
      startReview(assessmentId, compliance),
    ])
    for (const refusal of refusals) expect(refusal).toMatchObject({ ok: false, status: 409, formError: 'review:errors.completed' })
    expect(await recomputeScore(assessmentId)).toMatchObject({ status: 'completed' })
    expect((await saveAnswer(await access(fresh), { questionId: 'SEC-01', baseRev: await answerRev(assessmentId, 'SEC-01'), value: 'none', comment: null })).status).toBe(423)
    expect(await readAssessment(assessmentId)).toEqual(frozen)

    // Findings live on after the sign-off: compliance accepts the risk with a justification and an approver.
    const finding = (await FindingModel.findOne({ assessmentId: assessment!._id, key: 'clause:PRIV-01' }).lean())!
    const edit = {
      version: String(finding.version),
      severity: 'high',
      status: 'risk_accepted',
      owner: 'internal',
      ownerName: 'Zhou (CRO office)',
      dueAt: dayIn(inDays(60), TZ),
      remediation: { 'zh-CN': finding.remediation!['zh-CN'], en: finding.remediation!.en },
    }
    expect(await updateFinding(String(finding._id), edit, compliance)).toMatchObject({ ok: false, status: 400 })
    const accepted = await updateFinding(String(finding._id), { ...edit, riskJustification: 'Contract amendment signed; sub-processor exits in Q3.', riskApprover: 'Zhou, CRO', comment: 'Agreed at the risk committee.' }, compliance)
    expect(accepted).toMatchObject({ ok: true })
    const afterEdit = (await FindingModel.findById(finding._id).lean())!
    expect(afterEdit).toMatchObject({ status: 'risk_accepted', owner: 'internal', riskAcceptance: { approverName: 'Zhou, CRO', byUserId: compliance.id } })
    expect(afterEdit.history.at(-1)).toMatchObject({ event: 'status', byName: compliance.name, comment: 'Agreed at the risk committee.', changes: { status: ['open', 'risk_accepted'] } })
    // The same form posted again with the old version is a conflict, not a silent overwrite.
    expect(await updateFinding(String(finding._id), { ...edit, status: 'closed' }, compliance)).toMatchObject({ ok: false, status: 409 })

    const list = await listFindings(findingListQuerySchema.parse({ vendor: vendorId, status: 'risk_accepted' }), 'en')
    expect(list.findings.map((row) => row.key)).toEqual(['clause:PRIV-01'])
    expect((await listFindings(findingListQuerySchema.parse({ vendor: vendorId }), 'en')).total).toBe(3)
  })
})

describe('generating findings', () => {
  it('never duplicates a finding, even when generated from several places at once', async () => {
    const compliance = await staff('compliance')
    const { assessmentId, token } = await startTestAssessment()
    await answerAll(token, [
      { questionId: 'GOV-01', value: 'no' },
      { questionId: 'GOV-03', value: 3 },
      { questionId: 'GOV-04', value: '2025-01-01' },
      { questionId: 'SEC-01', value: 'admins' },
      { questionId: 'SEC-02', value: ['phone'] },
      { questionId: 'PAY-01', value: 'no' },
    ])
    expect((await submitAssessment(await access(token), attestation('concurrent'))).status).toBe(200)
    await startReview(assessmentId, compliance)
    const { Types } = await import('mongoose')
    const id = new Types.ObjectId(assessmentId)
    const expected = (await FindingModel.find({ assessmentId: id }, { key: 1 }).lean()).map((finding) => finding.key).sort()
    expect(expected).toEqual(['clause:PCI-01', 'clause:PRIV-01', 'clause:SEC-01'])

    // One finding already there, the rest missing: a batch insert meets the unique index half way.
    await FindingModel.deleteMany({ assessmentId: id, key: { $ne: 'clause:SEC-01' } })
    const { syncFindings } = await import('~/modules/findings/findings.server')
    const { scoringContext } = await import('~/modules/review/score.server')
    const assessment = (await readAssessment(assessmentId))!
    const context = await scoringContext(assessment)
    const score = assessment.score as Parameters<typeof syncFindings>[0]['score']
    const results = await Promise.all([0, 1, 2].map(() => syncFindings({ assessment, score, context })))
    expect(results.reduce((sum, result) => sum + result.created, 0)).toBe(2)
    expect((await FindingModel.find({ assessmentId: id }, { key: 1 }).lean()).map((finding) => finding.key).sort()).toEqual(expected)
  })
})

describe('findings list filters', () => {
  it('filters by severity, owner, vendor and overdue, over unresolved findings only for overdue', async () => {
    const compliance = await staff('compliance')
    const { assessmentId, token, vendor } = await startTestAssessment()
    await answerAll(token, [
      { questionId: 'GOV-01', value: 'no' },
      { questionId: 'GOV-03', value: 3 },
      { questionId: 'GOV-04', value: '2025-01-01' },
      { questionId: 'SEC-01', value: 'none' },
      { questionId: 'SEC-02', value: ['phone'] },
      { questionId: 'PAY-01', value: 'na' },
    ])
    expect((await submitAssessment(await access(token), attestation('filters'))).status).toBe(200)
    await startReview(assessmentId, compliance)
    const query = (raw: Record<string, string>) => listFindings(findingListQuerySchema.parse({ vendor: vendor._id.toString(), ...raw }), 'zh-CN')
    const all = await query({})
    expect(all.findings.map((row) => [row.key, row.severity]).sort()).toEqual([
      ['clause:PRIV-01', 'critical'],
      ['clause:SEC-01', 'high'],
    ])
    expect(all.findings[0]!.title).toMatch(/未满足/)
    expect((await query({ severity: 'critical' })).findings.map((row) => row.key)).toEqual(['clause:PRIV-01'])
    expect((await query({ owner: 'internal' })).total).toBe(0)
    expect((await query({ overdue: '1' })).total).toBe(0)

    // Make one overdue: past its due date and still open.
    await FindingModel.updateOne({ assessmentId: new (await import('mongoose')).Types.ObjectId(assessmentId), key: 'clause:SEC-01' }, { $set: { dueAt: inDays(-3) } })
    const overdue = await query({ overdue: '1' })
    expect(overdue.findings.map((row) => [row.key, row.overdue])).toEqual([['clause:SEC-01', true]])
    expect((await query({ overdue: '1', status: 'closed' })).total).toBe(0)
    // A malformed vendor id is ignored, not passed to the database.
    expect((await listFindings(findingListQuerySchema.parse({ vendor: '{"$gt":""}', severity: 'high' }), 'en')).findings.every((row) => row.severity === 'high')).toBe(true)
    expect(await AssessmentModel.countDocuments({ _id: assessmentId, status: 'under_review' })).toBe(1)
  })
})

describe('sign-off only from a decided review', () => {
  it('refuses a submitted assessment, then lets the reviewer sign once admins take the tier out of maker-checker', async () => {
    const compliance = await staff('compliance')
    const admin = await staff('admin')
    const { assessmentId, token } = await startTestAssessment()
    await answerAll(token, [
      { questionId: 'GOV-01', value: 'yes' },
      { questionId: 'GOV-03', value: 12 },
      { questionId: 'GOV-04', value: '2025-03-01' },
      { questionId: 'SEC-01', value: 'all' },
      { questionId: 'SEC-02', value: ['email'] },
      { questionId: 'PAY-01', value: 'na' },
    ])
    expect((await addEvidence(await access(token), { questionId: 'GOV-01', file: pdf() })).status).toBe(200)
    expect((await submitAssessment(await access(token), attestation('one-click'))).status).toBe(200)
    const confirmation = async () => {
      const current = (await readAssessment(assessmentId))!
      return { version: String(current.version), scoreHash: (await signOffReadiness(current, compliance)).scoreHash, confirm: 'on' }
    }
    const signing = { intent: 'sign-off', name: 'Li', date: dayIn(new Date(), TZ), comment: 'Approved.' }
    // The one click on a submitted assessment that used to approve it outright.
    expect(await signOff(assessmentId, { ...signing, ...(await confirmation()) }, compliance)).toMatchObject({ ok: false, status: 409, formError: 'review:errors.reviewNotStarted' })
    expect((await readAssessment(assessmentId))!.status).toBe('submitted')

    await startReview(assessmentId, compliance)
    const clauses = (storedScore(await readAssessment(assessmentId))).clauses
    for (const clause of clauses) {
      const result = clause.contributions.length
        ? await acceptClauseResult(assessmentId, { intent: 'accept-clause', clauseId: clause.clauseId }, compliance)
        : await overrideClause(assessmentId, { intent: 'override', clauseId: clause.clauseId, status: 'not_applicable', justification: 'Not part of this service at all.' }, compliance)
      expect(result).toEqual({ ok: true })
    }
    expect(await signOff(assessmentId, { ...signing, ...(await confirmation()) }, compliance)).toMatchObject({ ok: false, status: 403 })
    // Admins take tier 2 out of maker-checker (audited); the reviewer may then sign.
    expect(await saveReviewSettings({ makerCheckerTiers: [1] }, 0, admin)).toEqual({ ok: true })
    expect(await AuditEventModel.countDocuments({ action: 'settings.review.update' })).toBe(1)
    expect(await signOff(assessmentId, { ...signing, ...(await confirmation()) }, compliance)).toMatchObject({ ok: true })
    await saveReviewSettings({ makerCheckerTiers: [1, 2] }, 1, admin)
  })
})

function storedScore(assessment: unknown) {
  return (assessment as { score: { clauses: { clauseId: string; contributions: unknown[] }[] } }).score
}
