import { describe, expect, it } from 'vitest'
import { visibleQuestions } from '~/modules/scoring/visibility'
import { answer, question, questionnaire } from './scoring-fixtures'

const ids = (list: ReturnType<typeof visibleQuestions>) => list.map((entry) => entry.question.id)

describe('visibleQuestions', () => {
  const base = questionnaire('base', 1, {
    one: [
      question('B-01', 'yes_no_na', { yes: [], no: [], na: [] }),
      question('B-02', 'multi_choice', { email: [], sms: [], post: [] }, { showWhen: { question: 'B-01', anyOf: ['yes'] } }),
      // Chained: needs B-02 visible and one of sms/post chosen.
      question('B-03', 'short_text', {}, { showWhen: { question: 'B-02', anyOf: ['sms', 'post'] } }),
    ],
    two: [
      question('B-04', 'long_text'),
      // Refers to a later question: still resolved.
      question('B-05', 'short_text', {}, { showWhen: { question: 'B-06', anyOf: ['yes'] } }),
      question('B-06', 'yes_no_na', { yes: [], no: [] }),
    ],
  })
  // A supplement whose question depends on the baseline.
  const supplement = questionnaire('pay', 2, {
    s: [
      question('P-01', 'yes_no_na', { yes: [], no: [] }, { showWhen: { question: 'B-01', anyOf: ['no'] } }),
      // A cycle, and a condition on a question that is not in the assessment: both hidden.
      question('P-02', 'yes_no_na', { yes: [] }, { showWhen: { question: 'P-03', anyOf: ['yes'] } }),
      question('P-03', 'yes_no_na', { yes: [] }, { showWhen: { question: 'P-02', anyOf: ['yes'] } }),
      question('P-04', 'yes_no_na', { yes: [] }, { showWhen: { question: 'ZZ-99', anyOf: ['yes'] } }),
    ],
  })

  it('shows unconditional questions and hides conditional ones without a matching answer', () => {
    expect(ids(visibleQuestions([base], {}))).toEqual(['B-01', 'B-04', 'B-06'])
  })

  it('follows chains of conditions', () => {
    expect(ids(visibleQuestions([base], { 'B-01': answer('yes') }))).toEqual(['B-01', 'B-02', 'B-04', 'B-06'])
    expect(ids(visibleQuestions([base], { 'B-01': answer('yes'), 'B-02': answer(['email', 'post']) }))).toEqual(['B-01', 'B-02', 'B-03', 'B-04', 'B-06'])
    // B-01 changes to "no": B-02 is hidden, so B-03 is hidden although B-02 still holds "post".
    expect(ids(visibleQuestions([base], { 'B-01': answer('no'), 'B-02': answer(['post']) }))).toEqual(['B-01', 'B-04', 'B-06'])
  })

  it('resolves a condition on a later question', () => {
    expect(ids(visibleQuestions([base], { 'B-06': answer('yes') }))).toContain('B-05')
  })

  it('works across questionnaires, in a canonical questionnaire order, and hides cycles and unknown references', () => {
    const answers = { 'B-01': answer('no'), 'P-02': answer('yes'), 'P-03': answer('yes'), 'P-04': answer('yes') }
    const visible = visibleQuestions([supplement, base], answers)
    expect(ids(visible)).toEqual(['B-01', 'B-04', 'B-06', 'P-01'])
    expect(visible.at(-1)).toMatchObject({ questionnaireId: 'pay', questionnaireVersion: 2, sectionId: 's' })
    expect(visibleQuestions([base, supplement], answers)).toEqual(visible)
  })

  it('lists the baseline before supplements whatever their ids', () => {
    const early = questionnaire('aaa-supplement', 1, { s: [question('A-01', 'long_text')] }, 'supplement')
    expect(ids(visibleQuestions([early, base], {}))).toEqual(['B-01', 'B-04', 'B-06', 'A-01'])
  })

  it('accepts answers as a Map and ignores inherited keys', () => {
    expect(ids(visibleQuestions([base], new Map([['B-01', answer('yes')]])))).toContain('B-02')
    const inherited = Object.create({ 'B-01': answer('yes') }) as Record<string, ReturnType<typeof answer>>
    expect(ids(visibleQuestions([base], inherited))).not.toContain('B-02')
  })
})
