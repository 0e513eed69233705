// The carry-over rule across two versions of a questionnaire: unchanged questions carry their
// answer, questions whose meaning changed (kind, options, a declared change, a value that no longer
// fits) do not, removed ones are listed, new ones start blank.
import { describe, expect, it } from 'vitest'
import { planCarryOver } from '~/modules/assessments/carry-over'
import { progressOf } from '~/modules/assessments/questions'
import { answersThatCount } from '~/modules/assessments/carried'
import { questionnaireSchema, type Questionnaire } from '~/modules/library/content-schema'

const text = (en: string) => ({ 'zh-CN': `${en}（中文）`, en })
const yesNo = [
  { id: 'yes', label: text('Yes') },
  { id: 'no', label: text('No') },
  { id: 'na', label: text('Not applicable') },
]
const choice = (...ids: string[]) => ids.map((id) => ({ id, label: text(id) }))

function questionnaire(version: number, questions: Record<string, unknown>[]): Questionnaire {
  return questionnaireSchema.parse({
    id: 'baseline',
    version,
    kind: 'baseline',
    title: text('Baseline'),
    description: text('Baseline questionnaire'),
    publishedAt: version === 1 ? '2025-01-01' : '2026-01-01',
    sections: [{ id: 'governance', title: text('Governance'), questions }],
  })
}

const v1 = questionnaire(1, [
  { id: 'GOV-01', kind: 'yes_no_na', text: text('Is there a security policy?'), options: yesNo },
  { id: 'GOV-02', kind: 'single_choice', text: text('How often is it reviewed?'), options: choice('yearly', 'never') },
  { id: 'GOV-03', kind: 'short_text', text: text('Who owns it?') },
  { id: 'GOV-04', kind: 'yes_no_na', text: text('Is there a CISO?'), options: yesNo },
  { id: 'GOV-06', kind: 'number', text: text('Staff trained (%)'), min: 0, max: 100 },
  { id: 'GOV-07', kind: 'yes_no_na', text: text('Is there a DPO?'), options: yesNo, required: false },
  { id: 'GOV-08', kind: 'single_choice', text: text('Which framework?'), options: choice('iso', 'nist') },
  { id: 'GOV-09', kind: 'long_text', text: text('Describe the programme') },
  { id: 'GOV-10', kind: 'file', text: text('Attach the policy') },
  { id: 'GOV-11', kind: 'yes_no_na', text: text('Is access reviewed?'), options: yesNo },
])
const v2 = questionnaire(2, [
  { id: 'GOV-01', kind: 'yes_no_na', text: text('Is there a security policy?'), options: yesNo },
  { id: 'GOV-02', kind: 'single_choice', text: text('How often is it reviewed?'), options: choice('yearly', 'partly', 'never') },
  { id: 'GOV-03', kind: 'short_text', text: text('Who approves it?'), meaningChangedIn: 2 },
  { id: 'GOV-05', kind: 'yes_no_na', text: text('Is there a board report?'), options: yesNo },
  { id: 'GOV-06', kind: 'number', text: text('Staff trained (%)'), min: 0, max: 50 },
  { id: 'GOV-07', kind: 'yes_no_na', text: text('Is there a DPO?'), options: yesNo, required: false },
  { id: 'GOV-08', kind: 'multi_choice', text: text('Which frameworks?'), options: choice('iso', 'nist') },
  { id: 'GOV-09', kind: 'long_text', text: text('Describe your security programme') }, // a wording fix
  { id: 'GOV-10', kind: 'file', text: text('Attach the policy') },
  { id: 'GOV-11', kind: 'yes_no_na', text: text('Is access reviewed?'), options: yesNo, meaningChangedIn: 1 },
])

const completedAt = new Date('2025-06-30T08:00:00Z')
const previous = {
  assessmentId: 'a'.repeat(24),
  completedAt,
  questionnaires: [v1],
  answers: {
    'GOV-01': { value: 'yes', comment: 'Approved by the board' },
    'GOV-02': { value: 'yearly' },
    'GOV-03': { value: 'The CISO' },
    'GOV-04': { value: 'no' },
    'GOV-06': { value: 80 },
    // GOV-07 was left unanswered
    'GOV-08': { value: 'iso' },
    'GOV-09': { value: 'ISO 27001 certified ISMS' },
    'GOV-10': { value: null },
    'GOV-11': { value: 'yes' },
  },
}

describe('carry-over from the last completed assessment', () => {
  const plan = planCarryOver(previous, [v2])

  it.each([
    ['GOV-01', 'carried', 'unchanged question'],
    ['GOV-02', 'changed', 'an option was added'],
    ['GOV-03', 'changed', 'the library declares a change of meaning in version 2'],
    ['GOV-05', 'new', 'new in version 2'],
    ['GOV-06', 'changed', 'the old value no longer fits the new bounds'],
    ['GOV-07', 'unanswered', 'nothing to carry'],
    ['GOV-08', 'changed', 'the kind changed (single → multiple choice)'],
    ['GOV-09', 'carried', 'a wording fix keeps the meaning'],
    ['GOV-10', 'unanswered', 'a file question is answered by its evidence, which is not carried'],
    ['GOV-11', 'carried', 'the declared change predates the answered version'],
  ])('%s is %s (%s)', (questionId, decision) => {
    expect(plan.decisions[questionId]).toBe(decision)
    expect(questionId in plan.answers).toBe(decision === 'carried')
  })

  it('lists answered questions the new version dropped', () => {
    expect(plan.removed).toEqual(['GOV-04'])
  })

  it('carries value and comment, marked with the assessment and day they came from', () => {
    expect(plan.answers['GOV-01']).toEqual({ value: 'yes', comment: 'Approved by the board', carriedFrom: { assessmentId: 'a'.repeat(24), at: completedAt } })
    expect(plan.answers['GOV-09']).toMatchObject({ value: 'ISO 27001 certified ISMS', comment: null })
  })

  it('carries everything answered when the version is the same', () => {
    const same = planCarryOver(previous, [v1])
    expect(Object.keys(same.answers).sort()).toEqual(['GOV-01', 'GOV-02', 'GOV-03', 'GOV-04', 'GOV-06', 'GOV-08', 'GOV-09', 'GOV-11'])
    expect(same.removed).toEqual([])
  })

  it('does not count carried answers as answered until confirmed, and says how many remain', () => {
    const carried = Object.fromEntries(Object.entries(plan.answers).map(([id, answer]) => [id, { ...answer, evidence: [] }]))
    const pending = progressOf([v2], carried)
    expect(pending.toConfirm).toBe(3)
    expect(pending.missing).toEqual(expect.arrayContaining(['GOV-01', 'GOV-09', 'GOV-11']))
    expect(pending.sections[0].toConfirm).toEqual(['GOV-01', 'GOV-09', 'GOV-11'])
    const confirmed = Object.fromEntries(Object.entries(carried).map(([id, { carriedFrom: _from, ...answer }]) => [id, answer]))
    const after = progressOf([v2], confirmed)
    expect(after.toConfirm).toBe(0)
    expect(after.answered).toBe(pending.answered + 3)
    expect(Object.keys(answersThatCount(carried))).toEqual([])
    expect(Object.keys(answersThatCount({ ...carried, 'GOV-05': { value: 'yes' } }))).toEqual(['GOV-05'])
  })
})
