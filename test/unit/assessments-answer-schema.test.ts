import path from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { answerValueSchema, attestationSchema, parseSaveRequest, questionnaireFormSchema } from '~/modules/assessments/answer-schema'
import { progressOf, visibleQuestionIds } from '~/modules/assessments/questions'
import { answerText } from '~/modules/assessments/answer-text'
import { isOverdue, invitationState } from '~/modules/assessments/status'
import { endOfDayIn, dayIn } from '~/modules/dates/dates'
import { loadLibrary } from '~/modules/library/library.server'
import type { Questionnaire } from '~/modules/library/content-schema'

let questionnaires: Questionnaire[]
beforeAll(() => {
  const library = loadLibrary(path.resolve(__dirname, '../fixtures/portal-questionnaires'))
  questionnaires = library.latest
})
const question = (id: string) => questionnaires.flatMap((q) => q.sections.flatMap((s) => s.questions)).find((q) => q.id === id)!

describe('answer values are checked against the question', () => {
  const cases: [string, unknown, unknown | 'invalid'][] = [
    ['GOV-01', 'yes', 'yes'],
    ['GOV-01', 'maybe', 'invalid'],
    ['GOV-01', '', null],
    ['GOV-01', ['yes'], 'invalid'],
    ['SEC-02', ['phone', 'email'], ['phone', 'email']],
    ['SEC-02', ['phone', 'phone'], 'invalid'],
    ['SEC-02', [], null],
    ['SEC-02', 'phone', 'invalid'],
    ['GOV-03', '42', 42],
    ['GOV-03', 42.5, 42.5],
    ['GOV-03', '-1', 'invalid'],
    ['GOV-03', 100001, 'invalid'],
    ['GOV-03', '12abc', 'invalid'],
    ['GOV-03', Infinity, 'invalid'],
    ['GOV-04', '2025-02-28', '2025-02-28'],
    ['GOV-04', '2025-02-30', 'invalid'],
    ['SEC-03', '  ', null],
    ['SEC-03', 'x'.repeat(501), 'invalid'],
    ['SEC-03', { $gt: '' }, 'invalid'],
    ['GOV-02', true, 'invalid'],
  ]
  for (const [id, input, expected] of cases) {
    it(`${id} ${JSON.stringify(input).slice(0, 30)} → ${JSON.stringify(expected)}`, () => {
      const result = answerValueSchema(question(id)).safeParse(input)
      if (expected === 'invalid') expect(result.success).toBe(false)
      else expect(result).toMatchObject({ success: true, data: expected })
    })
  }

  it('never lets an object or array through to a text or choice answer (property)', () => {
    const texts = ['GOV-01', 'GOV-02', 'GOV-04', 'SEC-01', 'SEC-03', 'PAY-01']
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.oneof(fc.object(), fc.array(fc.anything(), { minLength: 1 })), (id, value) => {
        expect(answerValueSchema(question(id)).safeParse(value).success).toBe(false)
      }),
    )
  })

  it('the save envelope refuses unknown fields, unknown questions and operator objects', () => {
    expect(parseSaveRequest(questionnaires, { questionId: 'GOV-01', baseRev: 0, value: 'yes' })).toMatchObject({ ok: true, value: { questionId: 'GOV-01', value: 'yes', comment: null } })
    expect(parseSaveRequest(questionnaires, { questionId: 'XYZ-01', baseRev: 0, value: 'yes' })).toMatchObject({ ok: false, fieldErrors: { questionId: ['vendorPortal:errors.unknownQuestion'] } })
    expect(parseSaveRequest(questionnaires, { questionId: 'GOV-01', baseRev: 0, value: 'yes', extra: 1 })).toMatchObject({ ok: false })
    expect(parseSaveRequest(questionnaires, { questionId: { $ne: null }, baseRev: 0, value: 'yes' })).toMatchObject({ ok: false, fieldErrors: { questionId: expect.any(Array) } })
    expect(parseSaveRequest(questionnaires, { questionId: 'GOV-01', baseRev: '0', value: 'yes' })).toMatchObject({ ok: false, fieldErrors: { baseRev: expect.any(Array) } })
  })

  it('the browser form schema holds every question of the assessment', () => {
    const schema = questionnaireFormSchema(questionnaires)
    const result = schema.safeParse({ answers: { 'GOV-03': { value: '7', comment: '' } } })
    expect(result.success).toBe(false) // every question has its entry in the form
    const all = Object.fromEntries(questionnaires.flatMap((q) => q.sections.flatMap((s) => s.questions)).map((q) => [q.id, { value: '', comment: '' }]))
    expect(schema.safeParse({ answers: { ...all, 'GOV-03': { value: '7', comment: '' } } })).toMatchObject({ success: true })
    expect(schema.safeParse({ answers: { ...all, 'GOV-03': { value: '-7', comment: '' } } }).success).toBe(false)
  })

  it('the attestation needs a name, a title and the confirmation', () => {
    expect(attestationSchema.safeParse({ name: 'A', title: 'B', confirm: 'on', submissionKey: 'abcdefabcdefabcdef' }).success).toBe(true)
    const missing = attestationSchema.safeParse({ name: ' ', title: 'B', submissionKey: 'abcdefabcdefabcdef' })
    expect(missing.success).toBe(false)
    expect(missing.error!.issues.map((issue) => issue.path[0]).sort()).toEqual(['confirm', 'name'])
  })
})

describe('visibility and progress', () => {
  it('shows a conditional question only for the triggering answer, and counts only visible required questions', () => {
    expect(visibleQuestionIds(questionnaires, {}).has('GOV-02')).toBe(false)
    expect(visibleQuestionIds(questionnaires, { 'GOV-01': { value: 'no' } }).has('GOV-02')).toBe(true)
    const empty = progressOf(questionnaires, {})
    expect(empty).toMatchObject({ answered: 0, percent: 0 })
    expect(empty.missing).toContain('GOV-01')
    expect(empty.missing).not.toContain('PAY-02') // hidden until PAY-01 is "yes"
    const withYes = progressOf(questionnaires, { 'PAY-01': { value: 'yes', evidence: [] } })
    expect(withYes.missing).toContain('PAY-02')
    expect(withYes.missingEvidence).toEqual(['PAY-01'])
    expect(progressOf(questionnaires, { 'PAY-01': { value: 'yes', evidence: [{}] } }).missingEvidence).toEqual([])
    expect(withYes.required).toBe(empty.required + 1)
  })

  it('writes answers as text in the reader language', () => {
    expect(answerText(question('SEC-02'), ['phone', 'email'], 'en')).toBe('Phone, E-mail')
    expect(answerText(question('SEC-02'), ['phone', 'email'], 'zh-CN')).toBe('电话、电子邮件')
    expect(answerText(question('GOV-03'), 12, 'en')).toBe('12')
    expect(answerText(question('GOV-01'), null, 'en')).toBe('')
  })
})

describe('dates and states', () => {
  it('a due day ends at 23:59:59.999 in the institution time zone', () => {
    expect(endOfDayIn('2025-03-31', 'Asia/Shanghai').toISOString()).toBe('2025-03-31T15:59:59.999Z')
    expect(dayIn(new Date('2025-03-31T16:30:00Z'), 'Asia/Shanghai')).toBe('2025-04-01')
  })

  it('overdue only while the vendor still owes answers', () => {
    const now = new Date('2025-05-01T00:00:00Z')
    expect(isOverdue('in_progress', '2025-04-30T00:00:00Z', now)).toBe(true)
    expect(isOverdue('submitted', '2025-04-30T00:00:00Z', now)).toBe(false)
    expect(isOverdue('invited', '2025-05-02T00:00:00Z', now)).toBe(false)
  })

  it('a link is active until it expires or is revoked', () => {
    const now = new Date('2025-05-01T00:00:00Z')
    expect(invitationState({ expiresAt: '2025-05-02T00:00:00Z' }, now)).toBe('active')
    expect(invitationState({ expiresAt: '2025-04-30T00:00:00Z' }, now)).toBe('expired')
    expect(invitationState({ expiresAt: '2025-05-02T00:00:00Z', revokedAt: '2025-04-01T00:00:00Z' }, now)).toBe('revoked')
  })
})
