import { beforeAll, describe, expect, it } from 'vitest'
import { AssessmentModel } from '~models/assessment'
import { MailMessageModel } from '~models/mail-message'
import { checkVendorAccess } from '~/modules/assessments/access.server'
import { reissueInvitation, revokeInvitation, sendReminder, extendDueDate } from '~/modules/assessments/invitations.server'
import { addEvidence, saveAnswer, submitAssessment, touchInvitation } from '~/modules/assessments/portal.server'
import { hashAccessToken } from '~/modules/assessments/tokens.server'
import { access, inDays, readAssessment, startTestAssessment, tokensFromOutbox, useFixtureLibrary } from './assessments-helpers'

beforeAll(() => useFixtureLibrary())

const staff = { kind: 'user' as const, id: '64b000000000000000000001', name: 'Wang Procurement' }

describe('starting an assessment', () => {
  it('pins the latest questionnaires (with the payment supplement), snapshots the contract and mails each contact in their language', async () => {
    const { assessmentId, tokens, vendor } = await startTestAssessment()
    const assessment = await readAssessment(assessmentId)
    expect(assessment!.questionnaires.map((ref) => `${ref.id}@${ref.version}`).sort()).toEqual(['baseline@2', 'payment@1'])
    expect(assessment!.contract!.clauses.map((clause: { id: string }) => clause.id)).toEqual(['PRIV-01', 'SEC-01', 'PCI-01'])
    expect(assessment!.contract!.clauses[0]).toMatchObject({ severity: 'critical', title: { en: 'Purpose and scope of processing' } })
    expect(assessment!.vendorSnapshot).toMatchObject({ legalName: vendor.legalName, category: 'payment_platform', dataProfile: { piCategories: ['identity', 'transactions'] } })
    expect(assessment!.status).toBe('invited')
    expect(assessment!.invitations).toHaveLength(2)

    const mails = await MailMessageModel.find({ 'related.id': assessmentId }).lean()
    const zh = mails.find((mail) => mail.locale === 'zh-CN')!
    const en = mails.find((mail) => mail.locale === 'en')!
    expect(zh.subject).toContain('隐私与信息安全评估问卷')
    expect(en.subject).toContain('privacy & security assessment')
    expect(zh.kind).toBe('invitation')

    // Only hashes are stored: no token from any mail appears in the document.
    const stored = JSON.stringify(assessment)
    for (const [email, token] of tokens) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/) // 32 random bytes
      expect(stored).not.toContain(token)
      const invitation = assessment!.invitations.find((candidate) => candidate.email === email)!
      expect(invitation.tokenHash).toBe(hashAccessToken(token))
      expect(invitation.sentAt).toBeInstanceOf(Date)
      expect(invitation.expiresAt.getTime() - assessment!.dueAt.getTime()).toBe(14 * 86_400_000)
    }
  })
})

describe('vendor links', () => {
  it('a token for assessment A never reads or writes assessment B', async () => {
    const a = await startTestAssessment()
    const b = await startTestAssessment()
    const accessA = await access(a.token)
    expect(accessA.assessment._id.toString()).toBe(a.assessmentId)
    const beforeB = await readAssessment(b.assessmentId)
    const saved = await saveAnswer(accessA, { questionId: 'GOV-01', baseRev: 0, value: 'yes', comment: null })
    expect(saved.status).toBe(200)
    expect((await readAssessment(b.assessmentId))).toEqual(beforeB)
    expect(((await readAssessment(a.assessmentId))!.answers as Record<string, { value: unknown }>)['GOV-01'].value).toBe('yes')
  })

  it('refuses tampered, unknown, revoked, superseded and expired links with distinct reasons', async () => {
    const { assessmentId, token, tokens } = await startTestAssessment()
    const tampered = (token[0] === 'A' ? 'B' : 'A') + token.slice(1)
    expect(await checkVendorAccess(tampered)).toEqual({ ok: false, problem: 'invalid' })
    expect(await checkVendorAccess('short')).toEqual({ ok: false, problem: 'invalid' })
    expect(await checkVendorAccess({ $gt: '' })).toEqual({ ok: false, problem: 'invalid' })

    const assessment = await readAssessment(assessmentId)
    const [first, second] = assessment!.invitations
    await revokeInvitation(assessmentId, first._id.toString(), staff)
    expect(await checkVendorAccess(tokens.get(first.email)!)).toEqual({ ok: false, problem: 'revoked' })

    await reissueInvitation(assessmentId, second._id.toString(), staff)
    expect(await checkVendorAccess(tokens.get(second.email)!)).toEqual({ ok: false, problem: 'superseded' })
    const fresh = (await tokensFromOutbox(assessmentId)).get(second.email)!
    expect(fresh).not.toBe(tokens.get(second.email))
    expect((await checkVendorAccess(fresh)).ok).toBe(true)

    // Expiry: due date plus grace has passed.
    const later = new Date(Date.now() + 60 * 86_400_000)
    expect(await checkVendorAccess(fresh, later)).toEqual({ ok: false, problem: 'expired' })
  })

  it('records when a link was last used (for the staff’s invitation history)', async () => {
    const { assessmentId, token } = await startTestAssessment()
    await touchInvitation(await access(token))
    const invitation = (await readAssessment(assessmentId))!.invitations.find((i) => i.tokenHash === hashAccessToken(token))!
    expect(invitation.lastUsedAt).toBeInstanceOf(Date)
    const others = (await readAssessment(assessmentId))!.invitations.filter((i) => i.tokenHash !== hashAccessToken(token))
    expect(others.every((other) => !other.lastUsedAt)).toBe(true)
  })

  it('stops a write with a link revoked after it was checked', async () => {
    const { assessmentId, token } = await startTestAssessment()
    const checked = await access(token)
    const assessment = await readAssessment(assessmentId)
    await revokeInvitation(assessmentId, assessment!.invitations.find((i) => i.tokenHash === hashAccessToken(token))!._id.toString(), staff)
    const result = await saveAnswer(checked, { questionId: 'GOV-01', baseRev: 0, value: 'yes', comment: null })
    expect(result.status).not.toBe(200)
    expect((await readAssessment(assessmentId))!.answers).toEqual({})
  })

  it('extends the due date and the working links with it', async () => {
    const { assessmentId } = await startTestAssessment()
    const due = inDays(60)
    const result = await extendDueDate(assessmentId, due, staff)
    expect(result.ok).toBe(true)
    const assessment = await readAssessment(assessmentId)
    expect(assessment!.dueAt.getTime()).toBe(due.getTime())
    for (const invitation of assessment!.invitations) expect(invitation.expiresAt.getTime()).toBe(due.getTime() + 14 * 86_400_000)
  })

  it('a reminder round is sent once per key, with fresh links that replace the old ones', async () => {
    const { assessmentId, tokens } = await startTestAssessment()
    const first = await sendReminder(assessmentId, { kind: 'system' }, 'due-7d')
    expect(first.ok).toBe(true)
    const again = await sendReminder(assessmentId, { kind: 'system' }, 'due-7d')
    expect(again).toEqual({ ok: false, refusal: 'alreadyReminded' })
    const reminders = await MailMessageModel.find({ 'related.id': assessmentId, kind: 'reminder' }).lean()
    expect(reminders).toHaveLength(2)
    for (const old of tokens.values()) expect(await checkVendorAccess(old)).toEqual({ ok: false, problem: 'superseded' })
    for (const fresh of (await tokensFromOutbox(assessmentId)).values()) expect((await checkVendorAccess(fresh)).ok).toBe(true)
  })
})

describe('autosave', () => {
  it('saves with a revision, moves the status to in progress and keeps progress current', async () => {
    const { assessmentId, token } = await startTestAssessment()
    const startVersion = (await readAssessment(assessmentId))!.version
    const first = await saveAnswer(await access(token), { questionId: 'GOV-03', baseRev: 0, value: '42', comment: 'about' })
    expect(first).toMatchObject({ status: 200, body: { ok: true, rev: 1, status: 'in_progress' } })
    const second = await saveAnswer(await access(token), { questionId: 'GOV-03', baseRev: 1, value: 43, comment: null })
    expect(second).toMatchObject({ status: 200, body: { rev: 2 } })
    const assessment = await readAssessment(assessmentId)
    expect((assessment!.answers as Record<string, unknown>)['GOV-03']).toMatchObject({ value: 43, comment: null, rev: 2, updatedBy: '张三', evidence: [] })
    expect(assessment!.status).toBe('in_progress')
    expect(assessment!.progress!.answered).toBe(1)
    expect(assessment!.version).toBe(startVersion + 2) // one update per save
  })

  it('two writers with the same revision: one wins, the other gets a conflict with both values', async () => {
    const { assessmentId, token } = await startTestAssessment()
    const [one, two] = await Promise.all([
      access(token).then((a) => saveAnswer(a, { questionId: 'SEC-03', baseRev: 0, value: 'Alice', comment: null })),
      access(token).then((a) => saveAnswer(a, { questionId: 'SEC-03', baseRev: 0, value: 'Bob', comment: null })),
    ])
    const statuses = [one.status, two.status].sort()
    expect(statuses).toEqual([200, 409])
    const loser = one.status === 409 ? one : two
    const winnerValue = one.status === 200 ? 'Alice' : 'Bob'
    expect(loser.body).toMatchObject({ conflict: { questionId: 'SEC-03', theirs: { value: winnerValue, rev: 1 }, yours: { value: winnerValue === 'Alice' ? 'Bob' : 'Alice', baseRev: 0 } } })
    const stored = (await readAssessment(assessmentId))!.answers as Record<string, { value: unknown; rev: number }>
    expect(stored['SEC-03']).toMatchObject({ value: winnerValue, rev: 1 })
  })

  it('many concurrent saves of different answers all land, and progress ends right', async () => {
    const { assessmentId, token } = await startTestAssessment()
    const saves = [
      { questionId: 'GOV-01', value: 'no' },
      { questionId: 'GOV-03', value: 5 },
      { questionId: 'GOV-04', value: '2025-03-01' },
      { questionId: 'SEC-01', value: 'all' },
      { questionId: 'SEC-02', value: ['phone', 'email'] },
      { questionId: 'PAY-01', value: 'no' },
    ]
    const results = await Promise.all(saves.map((save) => access(token).then((a) => saveAnswer(a, { ...save, baseRev: 0, comment: null }))))
    expect(results.map((result) => result.status)).toEqual(saves.map(() => 200))
    const assessment = await readAssessment(assessmentId)
    for (const save of saves) expect((assessment!.answers as Record<string, { value: unknown }>)[save.questionId].value).toEqual(save.value)
    expect(assessment!.progress).toMatchObject({ answered: 6, required: 6, percent: 100 })
  })
})

describe('malformed payloads change nothing', () => {
  const bad: [string, unknown][] = [
    ['unknown question', { questionId: 'NOPE-99', baseRev: 0, value: 'yes' }],
    ['operator as question id', { questionId: { $gt: '' }, baseRev: 0, value: 'yes' }],
    ['operator as value', { questionId: 'GOV-01', baseRev: 0, value: { $gt: '' } }],
    ['operator as revision', { questionId: 'GOV-01', baseRev: { $ne: 1 }, value: 'yes' }],
    ['option that does not exist', { questionId: 'GOV-01', baseRev: 0, value: 'maybe' }],
    ['number out of bounds', { questionId: 'GOV-03', baseRev: 0, value: 100001 }],
    ['text for a number', { questionId: 'GOV-03', baseRev: 0, value: 'many' }],
    ['array for a single choice', { questionId: 'GOV-01', baseRev: 0, value: ['yes'] }],
    ['boolean for text', { questionId: 'SEC-03', baseRev: 0, value: true }],
    ['not a date', { questionId: 'GOV-04', baseRev: 0, value: '2025-13-45' }],
    ['unknown field', { questionId: 'GOV-01', baseRev: 0, value: 'yes', $set: { status: 'completed' } }],
    ['negative revision', { questionId: 'GOV-01', baseRev: -1, value: 'yes' }],
    ['too long comment', { questionId: 'GOV-01', baseRev: 0, value: 'yes', comment: 'x'.repeat(5000) }],
    ['not an object', 'GOV-01=yes'],
  ]
  for (const [name, payload] of bad) {
    it(name, async () => {
      const { assessmentId, token } = await startTestAssessment()
      const before = await readAssessment(assessmentId)
      const result = await saveAnswer(await access(token), payload)
      expect(result.status).toBe(400)
      expect(Object.keys((result.body as unknown as { fieldErrors: object }).fieldErrors).length).toBeGreaterThan(0)
      expect(await readAssessment(assessmentId)).toEqual(before)
    })
  }
})

describe('evidence', () => {
  const pdf = () => new File([Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')], 'policy.pdf', { type: 'application/pdf' })

  it('stores a real PDF and attaches it to the answer', async () => {
    const { assessmentId, token } = await startTestAssessment()
    const result = await addEvidence(await access(token), { questionId: 'PAY-01', file: pdf() })
    expect(result.status).toBe(200)
    const answer = ((await readAssessment(assessmentId))!.answers as Record<string, { evidence: { contentType: string; filename: string }[]; rev: number }>)['PAY-01']
    expect(answer.evidence).toMatchObject([{ contentType: 'application/pdf', filename: 'policy.pdf' }])
    expect(answer.rev).toBe(0) // the answer's value was not touched, so an open editor keeps its revision
  })

  it('refuses an executable renamed .pdf and an oversized file, and stores nothing', async () => {
    const { assessmentId, token } = await startTestAssessment()
    const before = await readAssessment(assessmentId)
    const exe = new File([Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200)])], 'report.pdf', { type: 'application/pdf' })
    const renamed = await addEvidence(await access(token), { questionId: 'PAY-01', file: exe })
    expect(renamed.status).toBe(415)
    expect(renamed.body).toMatchObject({ fieldErrors: { file: ['vendorPortal:errors.fileType'] } })
    const big = new File([Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024)])], 'big.pdf')
    const oversized = await addEvidence(await access(token), { questionId: 'PAY-01', file: big })
    expect(oversized.status).toBe(413)
    expect(await readAssessment(assessmentId)).toEqual(before)
    const { default: mongoose } = await import('mongoose')
    expect(await mongoose.connection.db!.collection('evidence.files').countDocuments({ 'metadata.assessmentId': assessmentId })).toBe(0)
  })
})

describe('submitting', () => {
  async function fillEverything(token: string) {
    const answers = [
      { questionId: 'GOV-01', value: 'no' },
      { questionId: 'GOV-03', value: 5 },
      { questionId: 'GOV-04', value: '2025-03-01' },
      { questionId: 'SEC-01', value: 'all' },
      { questionId: 'SEC-02', value: ['phone'] },
      { questionId: 'PAY-01', value: 'no' },
    ]
    for (const answer of answers) expect((await saveAnswer(await access(token), { ...answer, baseRev: 0, comment: null })).status).toBe(200)
  }
  const attestation = { name: '张三', title: '信息安全经理', confirm: 'on', submissionKey: 'key-0123456789abcdef' }

  it('refuses an incomplete questionnaire, naming what is missing', async () => {
    const { token } = await startTestAssessment()
    const result = await submitAssessment(await access(token), attestation)
    expect(result.status).toBe(400)
    expect(result.body).toMatchObject({ formError: 'vendorPortal:submit.incomplete', missing: expect.arrayContaining(['GOV-01', 'PAY-01']) })
  })

  it('is idempotent: the same key twice (even at once) submits once; afterwards nothing can be changed', async () => {
    const { assessmentId, token } = await startTestAssessment()
    await fillEverything(token)
    const [one, two] = await Promise.all([submitAssessment(await access(token), attestation), submitAssessment(await access(token), attestation)])
    expect([one.status, two.status]).toEqual([200, 200])
    expect([one.body, two.body].map((body) => (body as { repeated: boolean }).repeated).sort()).toEqual([false, true])
    const assessment = await readAssessment(assessmentId)
    expect(assessment!.status).toBe('submitted')
    expect(assessment!.submission).toMatchObject({ name: '张三', title: '信息安全经理', count: 1 })
    const before = await readAssessment(assessmentId)
    const late = await saveAnswer(await access(token), { questionId: 'GOV-03', baseRev: 1, value: 6, comment: null })
    expect(late.status).toBe(423)
    const another = await submitAssessment(await access(token), { ...attestation, submissionKey: 'another-key-0123456789' })
    expect(another.status).toBe(409)
    expect(await readAssessment(assessmentId)).toEqual(before)
  })

  it('after a clarification request only the reopened questions can change', async () => {
    const { assessmentId, token } = await startTestAssessment()
    await fillEverything(token)
    await submitAssessment(await access(token), attestation)
    await AssessmentModel.updateOne({ _id: assessmentId }, { $set: { status: 'clarification_requested', 'review.reopenedQuestions': ['GOV-03'] } })
    expect((await saveAnswer(await access(token), { questionId: 'GOV-01', baseRev: 1, value: 'yes', comment: null })).status).toBe(423)
    expect((await saveAnswer(await access(token), { questionId: 'GOV-03', baseRev: 1, value: 7, comment: 'corrected' })).status).toBe(200)
    const resubmitted = await submitAssessment(await access(token), { ...attestation, submissionKey: 'second-round-0123456789' })
    expect(resubmitted.status).toBe(200)
    expect((await readAssessment(assessmentId))!.submission).toMatchObject({ count: 2 })
  })
})
