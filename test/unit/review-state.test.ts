import { describe, expect, it } from 'vitest'
import { findingListQuerySchema, findingUpdateSchema } from '~/modules/findings/schemas'
import { decideAnswerSchema, overrideClauseSchema, signOffSchema } from '~/modules/review/schemas'
import { clauseDecisions, decisionState, draftClarifications, engineOverrides, makerCheckerBlocks, readReview, withFollowUps } from '~/modules/review/state'
import { fieldErrorsOf } from '~/modules/forms/validation'

describe('reading the stored review', () => {
  it('types what it understands and drops what it does not', () => {
    const review = readReview({
      startedAt: '2025-03-01T08:00:00.000Z',
      startedBy: { id: 'u1', name: 'Li' },
      answers: {
        'GOV-01': { decision: 'accepted', comment: '', byName: 'Li', byUserId: 'u1', at: new Date('2025-03-01'), rev: 2 },
        'SEC-01': { decision: 'clarification', comment: 'Which accounts?', byName: 'Li', at: '2025-03-02', rev: 1, round: 1 },
        'BAD-01': { decision: 'maybe' },
        'BAD-02': 'accepted',
      },
      clauseOverrides: { 'PRIV-01': { status: 'meets', justification: 'Verified on site', byName: 'Li', at: '2025-03-03' }, 'X-01': { status: 'great' } },
      reopenedQuestions: ['SEC-01', 42],
      clarifications: [{ round: 1, at: '2025-03-02', questions: [{ questionId: 'SEC-01', comment: 'Which accounts?' }], notified: [{ email: 'a@v.cn', freshLink: true }] }],
    })
    expect(review.startedAt?.toISOString()).toBe('2025-03-01T08:00:00.000Z')
    expect(Object.keys(review.answers)).toEqual(['GOV-01', 'SEC-01'])
    expect(review.answers['SEC-01']).toMatchObject({ decision: 'clarification', round: 1, rev: 1 })
    expect(Object.keys(review.clauseOverrides)).toEqual(['PRIV-01'])
    expect(review.reopenedQuestions).toEqual(['SEC-01'])
    expect(review.clarifications[0]).toMatchObject({ round: 1, questions: [{ questionId: 'SEC-01' }], notified: [{ email: 'a@v.cn', freshLink: true }] })
    expect(engineOverrides(review)).toEqual({ 'PRIV-01': { status: 'meets', justification: 'Verified on site', byName: 'Li', at: new Date('2025-03-03') } })
  })

  it('reads anything malformed as an empty review', () => {
    for (const raw of [undefined, null, 'x', [], { answers: [], clauseOverrides: 'no', clarifications: {} }]) {
      expect(readReview(raw)).toEqual({ startedAt: null, startedBy: null, answers: {}, clauseOverrides: {}, overrideHistory: [], reopenedQuestions: [], clarifications: [] })
    }
  })

  it('tells a decision on the current answer from one the vendor has answered since', () => {
    const accepted = { decision: 'accepted' as const, comment: '', byUserId: 'u', byName: 'Li', at: new Date(), rev: 2 }
    expect(decisionState(undefined, 3)).toBe('undecided')
    expect(decisionState(accepted, 2)).toBe('accepted')
    expect(decisionState(accepted, 3)).toBe('changed_since')
    expect(decisionState({ ...accepted, decision: 'clarification' }, 2)).toBe('clarification_draft')
    expect(decisionState({ ...accepted, decision: 'clarification', round: 1 }, 2)).toBe('clarification_sent')
  })

  it('lists unsent clarification requests in question order', () => {
    const review = readReview({
      answers: {
        'SEC-01': { decision: 'clarification', comment: 'b', rev: 1 },
        'GOV-01': { decision: 'clarification', comment: 'a', rev: 1 },
        'INC-01': { decision: 'clarification', comment: 'sent', rev: 1, round: 1 },
        'LOG-01': { decision: 'accepted', comment: '', rev: 1 },
      },
    })
    expect(draftClarifications(review, ['GOV-01', 'SEC-01', 'INC-01', 'LOG-01'])).toEqual([
      { questionId: 'GOV-01', comment: 'a' },
      { questionId: 'SEC-01', comment: 'b' },
    ])
  })
})

describe('reopening questions', () => {
  it('reopens the follow-up questions a reopened answer controls, through chains, in question order', () => {
    const questions = [
      { id: 'A-01' },
      { id: 'A-02', showWhen: { question: 'A-01' } },
      { id: 'A-03', showWhen: { question: 'A-02' } },
      { id: 'B-01' },
      { id: 'B-02', showWhen: { question: 'B-01' } },
    ]
    expect(withFollowUps(['A-01'], questions)).toEqual(['A-01', 'A-02', 'A-03'])
    expect(withFollowUps(['B-01', 'A-02'], questions)).toEqual(['A-02', 'A-03', 'B-01', 'B-02'])
    expect(withFollowUps(['A-03'], questions)).toEqual(['A-03'])
  })
})

describe('review forms', () => {
  it('requires a comment for a clarification request but not for acceptance', () => {
    expect(decideAnswerSchema.safeParse({ intent: 'decide', questionId: 'GOV-01', decision: 'accepted', answerRev: '2' }).success).toBe(true)
    const refused = decideAnswerSchema.safeParse({ intent: 'decide', questionId: 'GOV-01', decision: 'clarification', answerRev: '2', comment: '  ' })
    expect(refused.success).toBe(false)
    expect(fieldErrorsOf(refused.error!)).toEqual({ comment: ['review:errors.clarificationComment'] })
  })

  it('refuses an override without a real justification, or for a malformed clause id', () => {
    const base = { intent: 'override', clauseId: 'PRIV-01', status: 'meets' }
    expect(fieldErrorsOf(overrideClauseSchema.safeParse({ ...base, justification: 'ok' }).error!)).toEqual({ justification: ['errors:tooShort|{"minimum":10}'] })
    expect(overrideClauseSchema.safeParse({ ...base, clauseId: { $ne: 1 }, justification: 'Verified on site visit' }).success).toBe(false)
    expect(overrideClauseSchema.safeParse({ ...base, status: 'not_assessed', justification: 'Verified on site visit' }).success).toBe(false)
    expect(overrideClauseSchema.safeParse({ ...base, justification: 'Verified on site visit' }).success).toBe(true)
  })

  it('needs name, date, comment, the confirmed score and the confirmation to sign off', () => {
    const result = signOffSchema.safeParse({ intent: 'sign-off', version: '4', name: '', date: '2025-13-45', comment: '' })
    expect(Object.keys(fieldErrorsOf(result.error!)).sort()).toEqual(['comment', 'confirm', 'date', 'name', 'scoreHash'])
    expect(fieldErrorsOf(result.error!).confirm).toEqual(['review:errors.confirmSignOff'])
    const confirmed = { intent: 'sign-off', version: '4', name: 'Li', date: '2025-03-01', comment: 'Approved', scoreHash: 'f'.repeat(64) }
    expect(signOffSchema.safeParse(confirmed).success).toBe(false)
    expect(signOffSchema.parse({ ...confirmed, confirm: 'on' })).toMatchObject({ version: 4 })
  })
})

describe('when a clause result counts as decided', () => {
  const accepted = (rev: number, byUserId = 'maker') => ({ decision: 'accepted' as const, comment: '', byUserId, byName: 'Li', at: new Date(), rev })
  const clauses = [
    { clauseId: 'A-01', contributions: [{ questionId: 'Q-01' }, { questionId: 'Q-02' }] },
    { clauseId: 'B-01', contributions: [{ questionId: 'Q-02' }] },
    { clauseId: 'C-01', contributions: [] },
    { clauseId: 'D-01', contributions: [{ questionId: 'Q-03' }] },
  ]
  it.each([
    ['nothing decided', {}, {}, ['undecided', 'undecided', 'undecided', 'undecided']],
    ['every answer accepted; a clause no answer bears on still needs an override', { 'Q-01': accepted(1), 'Q-02': accepted(1), 'Q-03': accepted(1) }, {}, ['accepted', 'accepted', 'undecided', 'accepted']],
    ['an answer changed since it was accepted', { 'Q-01': accepted(1), 'Q-02': accepted(1), 'Q-03': accepted(0) }, {}, ['accepted', 'accepted', 'undecided', 'undecided']],
    ['overrides decide whatever the answers', {}, { 'C-01': 'fails', 'D-01': 'meets' }, ['undecided', 'undecided', 'overridden', 'overridden']],
  ])('%s', (_name, answers, overrides, expected) => {
    const review = readReview({
      answers,
      clauseOverrides: Object.fromEntries(Object.entries(overrides).map(([id, status]) => [id, { status, justification: 'Seen on site', byUserId: 'maker' }])),
    })
    const decisions = clauseDecisions(clauses, review, { 'Q-01': 1, 'Q-02': 1, 'Q-03': 1 })
    expect(decisions.map((entry) => entry.state)).toEqual(expected)
  })

  it('keeps who reviewed from signing off on the chosen tiers only', () => {
    const review = readReview({ startedBy: { id: 'starter', name: 'S' }, answers: { 'Q-01': accepted(1, 'maker') }, clarifications: [{ round: 1, byUserId: 'asker' }] })
    for (const signerId of ['starter', 'maker', 'asker']) expect(makerCheckerBlocks({ tier: 1, tiers: [1, 2], signerId, review })).toBe(true)
    expect(makerCheckerBlocks({ tier: 2, tiers: [1, 2], signerId: 'checker', review })).toBe(false)
    expect(makerCheckerBlocks({ tier: 3, tiers: [1, 2], signerId: 'maker', review })).toBe(false)
  })
})

describe('finding forms', () => {
  const valid = {
    version: '1',
    severity: 'high',
    status: 'open',
    owner: 'vendor',
    ownerName: '',
    dueAt: '2025-06-30',
    remediation: { 'zh-CN': '', en: 'Enable MFA for every account' },
  }

  it('accepts an edit with remediation in one language', () => {
    expect(findingUpdateSchema.parse(valid)).toMatchObject({ version: 1, ownerName: undefined, remediation: { en: 'Enable MFA for every account', 'zh-CN': '' } })
  })

  it('requires a justification and an approver to accept a risk', () => {
    const result = findingUpdateSchema.safeParse({ ...valid, status: 'risk_accepted', riskJustification: 'short' })
    expect(fieldErrorsOf(result.error!)).toEqual({ riskJustification: ['findings:errors.riskJustification'], riskApprover: ['findings:errors.riskApprover'] })
    expect(findingUpdateSchema.safeParse({ ...valid, status: 'risk_accepted', riskJustification: 'Vendor exits in Q3; compensating monitoring', riskApprover: 'CRO Zhou' }).success).toBe(true)
  })

  it('requires a remediation action in at least one language', () => {
    const result = findingUpdateSchema.safeParse({ ...valid, remediation: { 'zh-CN': ' ', en: '' } })
    expect(fieldErrorsOf(result.error!)).toEqual({ 'remediation.en': ['findings:errors.remediationRequired'] })
  })

  it('reads list filters from the URL, ignoring anything unknown instead of failing', () => {
    expect(findingListQuerySchema.parse({ severity: 'critical', status: 'open', owner: 'vendor', vendor: '64b000000000000000000001', overdue: '1', page: '2' })).toEqual({
      severity: 'critical',
      status: 'open',
      owner: 'vendor',
      vendor: '64b000000000000000000001',
      overdue: true,
      page: 2,
    })
    expect(findingListQuerySchema.parse({ severity: 'apocalyptic', vendor: '{"$ne":1}', page: '-3', overdue: 'no' })).toEqual({
      severity: undefined,
      status: undefined,
      owner: undefined,
      vendor: undefined,
      overdue: false,
      page: 1,
    })
  })
})
