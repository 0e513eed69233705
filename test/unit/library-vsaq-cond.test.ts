import { describe, expect, it } from 'vitest'
import { parseCondition, toShowWhen, type Condition, type ConditionTarget } from '~/modules/library/formats/vsaq-cond'

const ref = (name: string, answer?: 'yes' | 'no'): Condition => (answer ? { kind: 'ref', name, answer } : { kind: 'ref', name })

describe('parsing VSAQ conditions', () => {
  it.each<[string, Condition]>([
    ['a', ref('a')],
    ['  a_b.c-1  ', ref('a_b.c-1')],
    ['q/yes', ref('q', 'yes')],
    ['q/no', ref('q', 'no')],
    ['!a', { kind: 'not', operand: ref('a') }],
    ['!!a', { kind: 'not', operand: { kind: 'not', operand: ref('a') } }],
    ['a || b || c', { kind: 'or', operands: [ref('a'), ref('b'), ref('c')] }],
    ['a&&b', { kind: 'and', operands: [ref('a'), ref('b')] }],
    // `!` binds tighter than `&&` / `||`.
    ['!a || b', { kind: 'or', operands: [{ kind: 'not', operand: ref('a') }, ref('b')] }],
    ['!(a || b)', { kind: 'not', operand: { kind: 'or', operands: [ref('a'), ref('b')] } }],
    // Parentheses group; mixing is allowed across levels.
    ['(a || b) && c', { kind: 'and', operands: [{ kind: 'or', operands: [ref('a'), ref('b')] }, ref('c')] }],
    ['a && (b || !c)', { kind: 'and', operands: [ref('a'), { kind: 'or', operands: [ref('b'), { kind: 'not', operand: ref('c') }] }] }],
    ['((a))', ref('a')],
  ])('%s', (source, condition) => {
    expect(parseCondition(source)).toEqual({ ok: true, condition })
  })

  it.each<[string, unknown]>([
    ['', { code: 'condSyntax', params: { at: 1 } }],
    ['a &&', { code: 'condSyntax', params: { at: 5 } }],
    ['a & b', { code: 'condSyntax', params: { at: 3 } }],
    ['a | b', { code: 'condSyntax', params: { at: 3 } }],
    ['(a || b', { code: 'condSyntax', params: { at: 8 } }],
    ['a || b)', { code: 'condSyntax', params: { at: 7 } }],
    ['a b', { code: 'condSyntax', params: { at: 3 } }],
    ['a || #', { code: 'condSyntax', params: { at: 6 } }],
    ['a/b/c', { code: 'condSyntax', params: { at: 1 } }],
    // Mixed && and || on one level: VSAQ folds left to right, a reader reads precedence.
    ['a || b && c', { code: 'condMixed', params: {} }],
    ['a && b || c', { code: 'condMixed', params: {} }],
    // VSAQ constructs a choice answer cannot express.
    ['^a', { code: 'condUnsupported', params: { construct: '^' } }],
    ['a/value', { code: 'condUnsupported', params: { construct: '/value' } }],
    ['matches("x")', { code: 'condUnsupported', params: { construct: '"…"' } }],
    ['contains(a)', { code: 'condUnsupported', params: { construct: 'contains(…)' } }],
    ['false', { code: 'condUnsupported', params: { construct: 'false' } }],
  ])('refuses %j', (source, error) => {
    expect(parseCondition(source)).toEqual({ ok: false, error })
  })
})

describe('conditions as visibility rules', () => {
  // q1: yes/no; r_a, r_b, r_c: options of the radio group Q2; c_x, c_y: of the check group Q3.
  const targets: Record<string, ConditionTarget> = {
    q1: { questionId: 'Q1', optionFor: (answer) => answer ?? 'yes', singleChoiceOptions: ['yes', 'no'] },
    r_a: { questionId: 'Q2', optionFor: (answer) => (answer ? undefined : 'r_a'), singleChoiceOptions: ['r_a', 'r_b', 'r_c'] },
    r_b: { questionId: 'Q2', optionFor: (answer) => (answer ? undefined : 'r_b'), singleChoiceOptions: ['r_a', 'r_b', 'r_c'] },
    c_x: { questionId: 'Q3', optionFor: (answer) => (answer ? undefined : 'c_x') },
    c_y: { questionId: 'Q3', optionFor: (answer) => (answer ? undefined : 'c_y') },
  }
  const translate = (source: string) => {
    const parsed = parseCondition(source)
    if (!parsed.ok) throw new Error(source)
    return toShowWhen(parsed.condition, (name) => targets[name])
  }

  it.each<[string, unknown]>([
    ['q1', { question: 'Q1', anyOf: ['yes'] }],
    ['q1/no', { question: 'Q1', anyOf: ['no'] }],
    ['!q1', { question: 'Q1', anyOf: ['no'] }],
    ['r_a || r_b', { question: 'Q2', anyOf: ['r_a', 'r_b'] }],
    ['!r_a', { question: 'Q2', anyOf: ['r_b', 'r_c'] }],
    ['(c_x || c_y)', { question: 'Q3', anyOf: ['c_x', 'c_y'] }],
  ])('%s', (source, showWhen) => {
    expect(translate(source)).toEqual({ ok: true, showWhen })
  })

  it.each<[string, unknown]>([
    ['nobody', { code: 'condUnknownId', params: { id: 'nobody' } }],
    ['r_a || nobody', { code: 'condUnknownId', params: { id: 'nobody' } }],
    ['q1 && r_a', { code: 'condAnd', params: {} }],
    ['q1 || r_a', { code: 'condTwoQuestions', params: { first: 'Q1', second: 'Q2' } }],
    ['!c_x', { code: 'condNegation', params: { id: 'c_x' } }],
    ['!(r_a || r_b)', { code: 'condUnsupported', params: { construct: '!(…)' } }],
    ['r_a/yes', { code: 'condUnsupported', params: { construct: 'r_a/yes' } }],
  ])('refuses %s', (source, error) => {
    expect(translate(source)).toEqual({ ok: false, error })
  })
})
