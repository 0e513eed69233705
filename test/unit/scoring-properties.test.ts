import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Answer } from '~/modules/assessments/vocabulary'
import { CLAUSE_EFFECTS, SEVERITIES, type Question, type Questionnaire } from '~/modules/library/content-schema'
import { scoreAssessment, type ClauseOverride, type ScoreInput } from '~/modules/scoring/score'
import { RESIDUAL_RISKS } from '~/modules/vendors/vocabulary'
import { answer, clause, question, questionnaire } from './scoring-fixtures'

// Random assessments: up to 8 clauses, up to 14 questions in one or two questionnaires, options
// with random effects (some on clauses the contract does not have), conditions on earlier
// questions, random answers (some with option ids that do not exist) and random overrides.
const CLAUSE_SLOTS = 10 // effect targets C-0 … C-9; only the first `clauses.length` are in the snapshot

const scenario = fc.record({
  clauses: fc.array(fc.record({ severity: fc.constantFrom(...SEVERITIES), knockOut: fc.boolean() }), { minLength: 1, maxLength: 8 }),
  questions: fc.array(
    fc.record({
      kind: fc.constantFrom('yes_no_na', 'single_choice', 'multi_choice', 'short_text') as fc.Arbitrary<Question['kind']>,
      required: fc.boolean(),
      options: fc.array(fc.array(fc.tuple(fc.nat(CLAUSE_SLOTS - 1), fc.constantFrom(...CLAUSE_EFFECTS)), { maxLength: 3 }), { minLength: 1, maxLength: 4 }),
      showWhen: fc.option(fc.tuple(fc.nat(), fc.array(fc.nat(3), { minLength: 1, maxLength: 2 })), { nil: undefined, freq: 3 }),
      evidence: fc.option(fc.oneof(fc.constant('always' as const), fc.array(fc.nat(3), { minLength: 1, maxLength: 2 })), { nil: undefined, freq: 2 }),
      questionnaire: fc.nat(1),
      answer: fc.option(fc.record({ picks: fc.array(fc.nat(4), { maxLength: 3 }), files: fc.nat(1), text: fc.string({ maxLength: 3 }) }), { nil: undefined, freq: 4 }),
    }),
    { minLength: 1, maxLength: 14 },
  ),
  overrides: fc.array(fc.tuple(fc.nat(CLAUSE_SLOTS - 1), fc.constantFrom(...CLAUSE_EFFECTS)), { maxLength: 3 }),
  tier: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4>,
})
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never

function build(s: Scenario): ScoreInput {
  const clauses = s.clauses.map((c, i) => clause(`C-${i}`, c.severity, c.knockOut))
  const optionCount = s.questions.map((q) => (q.kind === 'short_text' ? 0 : q.kind === 'yes_no_na' ? Math.min(3, q.options.length) : q.options.length))
  const sections: [Question[], Question[]] = [[], []]
  const answers: Record<string, Answer> = {}
  s.questions.forEach((q, i) => {
    const id = `Q-${i}`
    const count = optionCount[i]
    const options = Object.fromEntries(
      q.options.slice(0, count).map((effects, o) => [`o${o}`, effects.map(([target, effect]) => [`C-${target}`, effect] as [string, (typeof CLAUSE_EFFECTS)[number]])]),
    )
    const extra: Partial<Question> = { required: q.required }
    if (q.showWhen && i > 0) {
      const controller = q.showWhen[0] % i
      const controllerOptions = Math.max(1, optionCount[controller])
      extra.showWhen = { question: `Q-${controller}`, anyOf: [...new Set(q.showWhen[1].map((n) => `o${n % controllerOptions}`))] }
    }
    if (q.evidence) extra.evidence = { requiredWhen: q.evidence === 'always' ? 'always' : [...new Set(q.evidence.map((n) => `o${n % Math.max(1, count)}`))] }
    sections[q.questionnaire].push(question(id, q.kind, options, extra))
    if (q.answer) {
      const picks = q.answer.picks.map((p) => `o${p}`) // o4 never exists: an invalid choice
      const value = q.kind === 'short_text' ? q.answer.text : q.kind === 'multi_choice' ? picks : (picks[0] ?? null)
      answers[id] = answer(value, q.answer.files)
    }
  })
  const questionnaires = sections
    .map((questions, n) => (questions.length > 0 ? questionnaire(n === 0 ? 'alpha' : 'beta', 1, { main: questions }) : null))
    .filter((q): q is Questionnaire => q !== null)
  const overrides: Record<string, ClauseOverride> = {}
  for (const [target, status] of s.overrides) overrides[`C-${target}`] = { status, justification: 'checked', byName: 'Reviewer', at: '2025-03-01' }
  return { questionnaires, clauses, answers, overrides, inherentTier: s.tier }
}

/** A deterministic shuffle, so fast-check can shrink and replay. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items]
  let state = seed >>> 0 || 1
  for (let i = result.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    const j = state % (i + 1)
    ;[result[i], result[j]] = [result[j], result[i]]
  }
  return result
}

const lowered = (before: number | null, after: number | null) => before === null || (after !== null && after <= before)

describe('scoreAssessment: properties', () => {
  it('the score is null or within 0–100 with one decimal; the counts add up', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const result = scoreAssessment(build(s))
        const { counts } = result
        expect(counts.meets + counts.partial + counts.fails + counts.not_assessed + counts.not_applicable).toBe(counts.total)
        expect(counts.assessed).toBe(counts.meets + counts.partial + counts.fails)
        if (result.score === null) {
          expect(result.weights.possible).toBe(0)
          expect(result.scoreStatus).toBe('insufficient')
        } else {
          expect(result.score).toBeGreaterThanOrEqual(0)
          expect(result.score).toBeLessThanOrEqual(100)
          expect(Math.abs(result.score * 10 - Math.round(result.score * 10))).toBeLessThan(1e-9)
          expect(Math.abs(result.score - (100 * result.weights.earned) / result.weights.possible)).toBeLessThanOrEqual(0.05 + 1e-9)
        }
        // Residual risk is never below the matrix cell, and a failed knock-out keeps it at or above the floor.
        expect(RESIDUAL_RISKS.indexOf(result.residualRisk)).toBeGreaterThanOrEqual(RESIDUAL_RISKS.indexOf(result.matrixRisk))
        if (result.knockOutsFailed.length > 0) expect(RESIDUAL_RISKS.indexOf(result.residualRisk)).toBeGreaterThanOrEqual(RESIDUAL_RISKS.indexOf('high'))
      }),
    )
  })

  it('turning any one option effect from meets to fails never raises the score', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (s, pick) => {
        const input = build(s)
        const meetsEffects = input.questionnaires.flatMap((q) =>
          q.sections.flatMap((section) => section.questions.flatMap((question) => (question.options ?? []).flatMap((option) => option.clauses.filter((e) => e.effect === 'meets')))),
        )
        fc.pre(meetsEffects.length > 0)
        const before = scoreAssessment(input)
        // The questionnaires are fresh objects per build: edit one effect in place on a second build.
        const edited = build(s)
        const target = edited.questionnaires.flatMap((q) =>
          q.sections.flatMap((section) => section.questions.flatMap((question) => (question.options ?? []).flatMap((option) => option.clauses.filter((e) => e.effect === 'meets')))),
        )[pick % meetsEffects.length]
        target.effect = 'fails'
        const after = scoreAssessment(edited)
        expect(lowered(before.score, after.score)).toBe(true)
        expect(after.knockOutsFailed.length).toBeGreaterThanOrEqual(before.knockOutsFailed.length)
      }),
    )
  })

  it('does not depend on the order of answer keys or of the questionnaires', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (s, seed) => {
        const input = build(s)
        const reordered: ScoreInput = {
          ...input,
          questionnaires: shuffled(input.questionnaires, seed),
          answers: Object.fromEntries(shuffled(Object.entries(input.answers as Record<string, Answer>), seed + 1)),
          overrides: Object.fromEntries(shuffled(Object.entries(input.overrides ?? {}), seed + 2)),
        }
        const expected = scoreAssessment(input)
        expect(scoreAssessment(reordered)).toEqual(expected)
        expect(scoreAssessment({ ...input, answers: new Map(Object.entries(input.answers as Record<string, Answer>)) })).toEqual(expected)
      }),
    )
  })

  it('the score does not depend on the order of the contract clauses', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (s, seed) => {
        const input = build(s)
        const result = scoreAssessment({ ...input, clauses: shuffled(input.clauses, seed) })
        const expected = scoreAssessment(input)
        expect(result.score).toBe(expected.score)
        expect(result.residualRisk).toBe(expected.residualRisk)
        expect([...result.knockOutsFailed].sort()).toEqual([...expected.knockOutsFailed].sort())
      }),
    )
  })

  it('overriding a clause to meets never lowers the score', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), (s, pick) => {
        const input = build(s)
        const before = scoreAssessment(input)
        const clauseId = input.clauses[pick % input.clauses.length].id
        const after = scoreAssessment({
          ...input,
          overrides: { ...input.overrides, [clauseId]: { status: 'meets', justification: 'seen', byName: 'Reviewer', at: '2025-03-02' } },
        })
        expect(after.score).not.toBeNull()
        if (before.score !== null) expect(after.score!).toBeGreaterThanOrEqual(before.score)
        expect(after.knockOutsFailed).not.toContain(clauseId)
      }),
    )
  })
})
