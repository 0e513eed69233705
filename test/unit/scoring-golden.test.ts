import { describe, expect, it } from 'vitest'
import { scoreAssessment, type ClauseOverride, type ScoreInput } from '~/modules/scoring/score'
import { answer, clause, question, questionnaire } from './scoring-fixtures'

// Hand-checked cases. The contract snapshot has six clauses; with the default weights
// (critical 10, high 6, medium 3, low 1) they weigh:
//   KO-01 critical, knock-out  10
//   HI-01 high                  6
//   ME-01 medium                3
//   LO-01 low                   1
//   NA-01 medium                3
//   UN-01 high                  6   (no question bears on it: always "not assessed" unless overridden)
const CLAUSES = [
  clause('KO-01', 'critical', true),
  clause('HI-01', 'high'),
  clause('ME-01', 'medium'),
  clause('LO-01', 'low'),
  clause('NA-01', 'medium'),
  clause('UN-01', 'high'),
]

const GOLDEN = questionnaire('golden', 1, {
  controls: [
    question('GQ-01', 'yes_no_na', { yes: [['KO-01', 'meets']], no: [['KO-01', 'fails']], na: [['KO-01', 'not_applicable']] }),
    question(
      'GQ-02',
      'single_choice',
      { full: [['HI-01', 'meets']], some: [['HI-01', 'partial']], none: [['HI-01', 'fails']] },
      { evidence: { requiredWhen: ['full', 'some'] } },
    ),
    question(
      'GQ-03',
      'multi_choice',
      { a: [['ME-01', 'meets']], b: [['ME-01', 'partial'], ['LO-01', 'meets']], c: [['ME-01', 'fails']] },
      { required: false },
    ),
    // Asked only when GQ-01 is "no".
    question('GQ-04', 'yes_no_na', { yes: [['LO-01', 'meets']], no: [['LO-01', 'fails']] }, { showWhen: { question: 'GQ-01', anyOf: ['no'] } }),
    question('GQ-05', 'yes_no_na', { yes: [['NA-01', 'meets']], no: [['NA-01', 'fails']], na: [['NA-01', 'not_applicable']] }),
  ],
  other: [
    question('GQ-06', 'long_text'),
    question('GQ-07', 'short_text', {}, { required: false, evidence: { requiredWhen: 'always' } }),
    // Bears on a clause the contract does not have: ignored by the score.
    question('GQ-08', 'yes_no_na', { yes: [['XX-01', 'meets']], no: [['XX-01', 'fails']] }, { required: false }),
  ],
})

/** Every control in place; multi-choice picks a and b. */
const GOOD = {
  'GQ-01': answer('yes'),
  'GQ-02': answer('full', 1),
  'GQ-03': answer(['a', 'b']),
  'GQ-05': answer('yes'),
  'GQ-06': answer('We review every year.'),
  'GQ-07': answer('ACME Certification Ltd', 1),
  'GQ-08': answer('no'),
}

function score(answers: ScoreInput['answers'], extra: Partial<ScoreInput> = {}) {
  return scoreAssessment({ questionnaires: [GOLDEN], clauses: CLAUSES, answers, inherentTier: 2, ...extra })
}
const statuses = (result: ReturnType<typeof score>) => Object.fromEntries(result.clauses.map((c) => [c.clauseId, c.status]))

describe('scoreAssessment: golden cases', () => {
  it('all controls in place; multi-choice worst answer wins', () => {
    // KO meets 10, HI meets 6, ME partial (a meets, b partial → partial) 3 × 0.5 = 1.5, LO meets 1 (from b),
    // NA meets 3, UN not assessed (left out).
    // earned 10 + 6 + 1.5 + 1 + 3 = 21.5; possible 10 + 6 + 3 + 1 + 3 = 23; 21.5 / 23 = 93.478 % → 93.5
    // tier 2, band ≥ 85 → low. 1 of 6 scorable clauses not assessed (16.7 % ≤ 25 %): no coverage gap.
    const result = score(GOOD)
    expect(statuses(result)).toEqual({
      'KO-01': 'meets',
      'HI-01': 'meets',
      'ME-01': 'partial',
      'LO-01': 'meets',
      'NA-01': 'meets',
      'UN-01': 'not_assessed',
    })
    expect(result.weights).toEqual({ earned: 21.5, possible: 23 })
    expect(result.score).toBe(93.5)
    expect(result.scoreStatus).toBe('scored')
    expect(result.band).toBe('strong')
    expect(result.residualRisk).toBe('low')
    expect(result.counts).toEqual({ total: 6, meets: 4, partial: 1, fails: 0, not_assessed: 1, not_applicable: 0, assessed: 5, overridden: 0 })
    expect(result.gaps).toEqual([])
    expect(result.knockOutsFailed).toEqual([])
    expect(result.answered).toBe(7)
    // Traceability: ME-01 comes from GQ-03's two options, b decided it.
    const me = result.clauses.find((c) => c.clauseId === 'ME-01')!
    expect(me.contributions).toEqual([
      { questionnaireId: 'golden', questionnaireVersion: 1, questionId: 'GQ-03', optionIds: ['a', 'b'], effect: 'partial', decisive: true },
    ])
    expect(me.weight).toBe(3)
    expect(me.credit).toBe(0.5)
  })

  it('a failed knock-out clause raises the residual risk to at least high and is flagged', () => {
    // GQ-01 "no" → KO fails (0 of 10); GQ-04 becomes visible, "yes" → LO meets 1; GQ-03 only a → ME meets 3.
    // earned 0 + 6 + 3 + 1 + 3 = 13; possible 23; 13 / 23 = 56.52 % → 56.5, band 50–69.
    const answers = { ...GOOD, 'GQ-01': answer('no'), 'GQ-03': answer(['a']), 'GQ-04': answer('yes') }
    const tier4 = score(answers, { inherentTier: 4 })
    expect(tier4.score).toBe(56.5)
    expect(tier4.band).toBe('weak')
    // Tier 4 × 50–69 is "low" in the matrix; the knock-out lifts it to "high".
    expect(tier4.matrixRisk).toBe('low')
    expect(tier4.residualRisk).toBe('high')
    expect(tier4.cappedByKnockOut).toBe(true)
    expect(tier4.knockOutsFailed).toEqual(['KO-01'])
    // Tier 1 × 50–69 is already "critical": the knock-out is flagged but changes nothing.
    const tier1 = score(answers, { inherentTier: 1 })
    expect(tier1.residualRisk).toBe('critical')
    expect(tier1.cappedByKnockOut).toBe(false)
    expect(tier1.knockOutsFailed).toEqual(['KO-01'])
    // A stricter floor from the settings.
    expect(score(answers, { inherentTier: 4, settings: { knockOutFloor: 'critical' } }).residualRisk).toBe('critical')
  })

  it('a high score does not hide a failed knock-out', () => {
    // Same answers as above, but critical clauses weigh only 1: KO fails 0 of 1, the rest meets
    // (6 + 3 + 1 + 3 = 13). 13 / 14 = 92.86 % → 92.9, tier 3 × ≥ 85 → low; the knock-out lifts it to high.
    const answers = { ...GOOD, 'GQ-01': answer('no'), 'GQ-03': answer(['a']), 'GQ-04': answer('yes') }
    const result = score(answers, { inherentTier: 3, settings: { severityWeights: { critical: 1, high: 6, medium: 3, low: 1 } } })
    expect(result.score).toBe(92.9)
    expect(result.matrixRisk).toBe('low')
    expect(result.residualRisk).toBe('high')
    expect(result.cappedByKnockOut).toBe(true)
  })

  it('partial control with missing evidence, and a coverage gap', () => {
    // GQ-02 "some" without a file → HI partial 3 of 6, and evidence is missing.
    // GQ-03 only a → ME meets 3; nothing bears on LO (b not chosen, GQ-04 hidden) → not assessed.
    // earned 10 + 3 + 3 + 3 = 19; possible 10 + 6 + 3 + 3 = 22; 19 / 22 = 86.36 % → 86.4
    // Not assessed LO-01 and UN-01: 2 of 6 = 33.3 % > 25 % → coverage gap, severity high (UN-01).
    const result = score({ ...GOOD, 'GQ-02': answer('some'), 'GQ-03': answer(['a']) })
    expect(result.score).toBe(86.4)
    expect(result.clauses.find((c) => c.clauseId === 'HI-01')).toMatchObject({ status: 'partial', credit: 0.5, weight: 6 })
    expect(result.gaps).toEqual([
      {
        kind: 'missing_evidence',
        questionnaireId: 'golden',
        questionnaireVersion: 1,
        sectionId: 'controls',
        questionId: 'GQ-02',
        optionIds: ['some'],
        requiredWhen: ['full', 'some'],
        expired: [], // nothing attached (not: attached and expired)
        clauseIds: ['HI-01'],
        severity: 'high',
      },
      { kind: 'low_coverage', notAssessed: 2, scorable: 6, share: 0.333, threshold: 0.25, clauseIds: ['LO-01', 'UN-01'], severity: 'high' },
    ])
  })

  it('evidence required "always" is missing when a text answer comes without a file', () => {
    const result = score({ ...GOOD, 'GQ-07': answer('ACME Certification Ltd') })
    expect(result.gaps).toEqual([expect.objectContaining({ kind: 'missing_evidence', questionId: 'GQ-07', requiredWhen: 'always', optionIds: [], clauseIds: [], severity: 'medium' })])
    // Evidence not required for "none": no gap even without a file.
    expect(score({ ...GOOD, 'GQ-02': answer('none') }).gaps).toEqual([])
  })

  it('not applicable answers leave their clause out of the score', () => {
    // GQ-01 na → KO not applicable; GQ-05 na → NA-01 not applicable; GQ-03 c → ME fails 0 of 3; HI meets 6.
    // earned 6; possible 6 + 3 = 9; 6 / 9 = 66.67 % → 66.7; tier 3 × 50–69 → medium.
    // Not assessed LO-01, UN-01: 2 of (6 − 2 not applicable) = 50 % → coverage gap.
    const result = score({ ...GOOD, 'GQ-01': answer('na'), 'GQ-03': answer(['c']), 'GQ-05': answer('na') }, { inherentTier: 3 })
    expect(result.score).toBe(66.7)
    expect(result.residualRisk).toBe('medium')
    expect(result.counts).toMatchObject({ meets: 1, fails: 1, not_applicable: 2, not_assessed: 2, assessed: 2 })
    expect(result.clauses.find((c) => c.clauseId === 'KO-01')).toMatchObject({ status: 'not_applicable', credit: null })
    expect(result.gaps).toEqual([expect.objectContaining({ kind: 'low_coverage', notAssessed: 2, scorable: 4, share: 0.5 })])
    // A not-applicable knock-out is not a failed knock-out.
    expect(result.knockOutsFailed).toEqual([])
  })

  it('a not-applicable effect does not count against a real one', () => {
    // ME-01: GQ-03 option a meets; another question says not applicable → meets.
    const withNa = questionnaire('golden-na', 1, { s: [question('NQ-01', 'yes_no_na', { yes: [['ME-01', 'not_applicable']] })] })
    const result = scoreAssessment({ questionnaires: [GOLDEN, withNa], clauses: CLAUSES, answers: { ...GOOD, 'GQ-03': answer(['a']), 'NQ-01': answer('yes') }, inherentTier: 2 })
    const me = result.clauses.find((c) => c.clauseId === 'ME-01')!
    expect(me.status).toBe('meets')
    expect(me.contributions.map((c) => [c.questionId, c.effect, c.decisive])).toEqual([
      ['GQ-03', 'meets', true],
      ['NQ-01', 'not_applicable', false],
    ])
  })

  it('unanswered required questions are gaps; unanswered optional ones are not', () => {
    // GQ-01 (bears on the critical KO-01) and GQ-06 (text, no clause → medium) missing; GQ-03 is optional.
    const { 'GQ-01': _ko, 'GQ-06': _text, 'GQ-03': _multi, ...rest } = GOOD
    const result = score({ ...rest, 'GQ-06': answer('   ') })
    expect(result.gaps.filter((gap) => gap.kind === 'missing_answer')).toEqual([
      { kind: 'missing_answer', questionnaireId: 'golden', questionnaireVersion: 1, sectionId: 'controls', questionId: 'GQ-01', clauseIds: ['KO-01'], severity: 'critical' },
      { kind: 'missing_answer', questionnaireId: 'golden', questionnaireVersion: 1, sectionId: 'other', questionId: 'GQ-06', clauseIds: [], severity: 'medium' },
    ])
    // An option id the question does not have is no answer either.
    // (NA-01 is then not assessed too: 2 of 6 clauses → also a coverage gap.)
    expect(score({ ...GOOD, 'GQ-05': answer('maybe') }).gaps).toEqual([
      expect.objectContaining({ kind: 'missing_answer', questionId: 'GQ-05', clauseIds: ['NA-01'], severity: 'medium' }),
      expect.objectContaining({ kind: 'low_coverage', clauseIds: ['NA-01', 'UN-01'] }),
    ])
  })

  it('the answer to a hidden conditional question is ignored', () => {
    // GQ-01 "yes" hides GQ-04, so its "no" (LO fails) is ignored; LO meets through GQ-03 b → same as the first case.
    const hidden = score({ ...GOOD, 'GQ-04': answer('no') })
    expect(hidden.score).toBe(93.5)
    expect(statuses(hidden)['LO-01']).toBe('meets')
    expect(hidden.ignoredHiddenAnswers).toEqual(['GQ-04'])
    expect(hidden.answered).toBe(7)
    // When GQ-01 is "no", GQ-04 is visible and its "no" fails LO (worst wins over b's meets).
    const shown = score({ ...GOOD, 'GQ-01': answer('no'), 'GQ-04': answer('no') })
    expect(statuses(shown)['LO-01']).toBe('fails')
    expect(shown.ignoredHiddenAnswers).toEqual([])
    // A hidden required question is never a missing answer.
    expect(score(GOOD).gaps.some((gap) => 'questionId' in gap && gap.questionId === 'GQ-04')).toBe(false)
  })

  it('reviewer overrides replace the computed status and are kept', () => {
    // From the first case: ME-01 partial → overridden to fails; UN-01 not assessed → overridden to meets.
    // earned 10 + 6 + 0 + 1 + 3 + 6 = 26; possible 23 + 6 = 29; 26 / 29 = 89.66 % → 89.7
    const fails: ClauseOverride = { status: 'fails', justification: 'Policy seen on site is outdated.', byName: 'Li Wei', at: '2025-02-01T08:00:00.000Z' }
    const meets: ClauseOverride = { status: 'meets', justification: 'Covered by the ISO 27001 certificate.', byName: 'Li Wei', at: '2025-02-01T08:05:00.000Z' }
    const result = score(GOOD, { overrides: { 'ME-01': fails, 'UN-01': meets, 'XX-99': meets } })
    expect(result.score).toBe(89.7)
    expect(result.clauses.find((c) => c.clauseId === 'ME-01')).toMatchObject({ computed: 'partial', status: 'fails', override: fails, credit: 0 })
    expect(result.clauses.find((c) => c.clauseId === 'UN-01')).toMatchObject({ computed: 'not_assessed', status: 'meets', override: meets, contributions: [] })
    expect(result.counts).toMatchObject({ meets: 5, partial: 0, fails: 1, not_assessed: 0, overridden: 2 })
    expect(result.ignoredOverrides).toEqual(['XX-99'])
    // Overriding the knock-out clause to fails flags it; overriding to not applicable takes it out of the score.
    const ko = score(GOOD, { overrides: { 'KO-01': { ...fails } }, inherentTier: 4 })
    expect(ko.knockOutsFailed).toEqual(['KO-01'])
    expect(ko.residualRisk).toBe('high')
    // KO out: earned 6 + 1.5 + 1 + 3 = 11.5; possible 13; 88.46 % → 88.5
    expect(score(GOOD, { overrides: { 'KO-01': { ...meets, status: 'not_applicable' } } }).score).toBe(88.5)
  })

  it('multi-choice: every chosen option counts, the worst wins, traced in option order', () => {
    // c (fails) and a (meets), given in reverse order → ME fails; trace lists a then c.
    const result = score({ ...GOOD, 'GQ-03': answer(['c', 'a', 'c']) })
    const me = result.clauses.find((c) => c.clauseId === 'ME-01')!
    expect(me.status).toBe('fails')
    expect(me.contributions).toEqual([expect.objectContaining({ questionId: 'GQ-03', optionIds: ['a', 'c'], effect: 'fails', decisive: true })])
    // LO-01 had only b bearing on it: now not assessed.
    expect(statuses(result)['LO-01']).toBe('not_assessed')
  })

  it('zero assessed clauses: no score, "insufficient", residual risk read from the lowest band', () => {
    const result = score({})
    expect(result.score).toBeNull()
    expect(result.scoreStatus).toBe('insufficient')
    expect(result.band).toBeNull()
    expect(result.weights).toEqual({ earned: 0, possible: 0 })
    expect(result.residualRisk).toBe('critical') // tier 2, "< 50" column
    expect(score({}, { inherentTier: 4 }).residualRisk).toBe('medium')
    // Required visible questions are gaps (GQ-03, GQ-07, GQ-08 are optional, GQ-04 is hidden), then the coverage gap.
    expect(result.gaps.map((gap) => ('questionId' in gap ? `${gap.kind}:${gap.questionId}` : gap.kind))).toEqual([
      'missing_answer:GQ-01',
      'missing_answer:GQ-02',
      'missing_answer:GQ-05',
      'missing_answer:GQ-06',
      'low_coverage',
    ])
    expect(result.gaps.at(-1)).toMatchObject({ notAssessed: 6, scorable: 6, share: 1, severity: 'critical' })
    // Only not-applicable answers: still nothing to score, and no coverage gap for the N/A clauses.
    const onlyNa = score({ 'GQ-01': answer('na'), 'GQ-05': answer('na') })
    expect(onlyNa.score).toBeNull()
    expect(onlyNa.counts).toMatchObject({ not_applicable: 2, not_assessed: 4, assessed: 0 })
    // An empty contract snapshot: no score, no coverage gap.
    const empty = score(GOOD, { clauses: [] })
    expect(empty.score).toBeNull()
    expect(empty.gaps).toEqual([])
  })

  it('rounds half up at the end, in exact arithmetic, and bands use the rounded score', () => {
    // Weights critical 7, low 1: KO fails 0 of 7, LO partial (override) 0.5 of 1 → 0.5 / 8 = 6.25 % → 6.3
    const settings = { severityWeights: { critical: 7, high: 6, medium: 3, low: 1 } }
    const partial: ClauseOverride = { status: 'partial', justification: 'x', byName: 'y', at: '2025-01-01' }
    const result = score(
      { 'GQ-01': answer('no'), 'GQ-04': answer('yes') },
      { clauses: [CLAUSES[0], CLAUSES[3]], overrides: { 'LO-01': partial }, settings },
    )
    expect(result.weights).toEqual({ earned: 0.5, possible: 8 })
    expect(result.score).toBe(6.3)
    // Weights critical 226, high 40: KO meets 226, HI fails 0 of 40 → 226 / 266 = 84.96 % → 85.0,
    // which is in the "≥ 85" band (the unrounded 84.96 would not be): tier 2 → low.
    const edge = score(
      { 'GQ-01': answer('yes'), 'GQ-02': answer('none') },
      { clauses: [CLAUSES[0], CLAUSES[1]], settings: { severityWeights: { critical: 226, high: 40, medium: 3, low: 1 } } },
    )
    expect(edge.score).toBe(85)
    expect(edge.band).toBe('strong')
    expect(edge.residualRisk).toBe('low')
  })
})

describe('the worked example of docs/scoring.md', () => {
  const contract = [
    clause('PRIV-INSTR-01', 'critical', true),
    clause('SEC-MFA-01', 'high'),
    clause('SEC-LOG-01', 'high'),
    clause('RET-PERIOD-01', 'medium'),
    clause('HR-TRAIN-01', 'low'),
    clause('XB-BASIS-01', 'critical', true),
  ]
  const example = questionnaire('example', 1, {
    main: [
      question('EX-01', 'yes_no_na', { yes: [['PRIV-INSTR-01', 'meets']], no: [['PRIV-INSTR-01', 'fails']] }),
      question('EX-02', 'single_choice', { all: [['SEC-MFA-01', 'meets']], some: [['SEC-MFA-01', 'partial']], none: [['SEC-MFA-01', 'fails']] }),
      question('EX-03', 'multi_choice', { mfa: [['SEC-MFA-01', 'meets']], vpn: [['SEC-MFA-01', 'meets']], none: [['SEC-MFA-01', 'fails']] }),
      question('EX-04', 'yes_no_na', { yes: [['SEC-LOG-01', 'meets']], no: [['SEC-LOG-01', 'fails']] }),
      question('EX-05', 'yes_no_na', { yes: [['RET-PERIOD-01', 'meets']], no: [['RET-PERIOD-01', 'fails']] }, { evidence: { requiredWhen: ['yes'] } }),
      question('EX-06', 'yes_no_na', { yes: [['HR-TRAIN-01', 'meets']], no: [['HR-TRAIN-01', 'fails']] }),
      question('EX-07', 'single_choice', { no_transfer: [['XB-BASIS-01', 'not_applicable']], transfer: [] }),
    ],
  })
  const answers = {
    'EX-01': answer('yes'),
    'EX-02': answer('some'),
    'EX-03': answer(['mfa', 'vpn']),
    'EX-04': answer('no'),
    'EX-05': answer('yes'),
    'EX-07': answer('no_transfer'),
  }
  const run = (extra: Partial<ScoreInput> = {}) => scoreAssessment({ questionnaires: [example], clauses: contract, answers, inherentTier: 2, ...extra })

  it('gives 64.0, high, with two gaps', () => {
    const result = run()
    expect(result.weights).toEqual({ earned: 16, possible: 25 })
    expect(result.score).toBe(64)
    expect(result.residualRisk).toBe('high')
    expect(result.knockOutsFailed).toEqual([])
    expect(statuses(result)).toEqual({
      'PRIV-INSTR-01': 'meets',
      'SEC-MFA-01': 'partial',
      'SEC-LOG-01': 'fails',
      'RET-PERIOD-01': 'meets',
      'HR-TRAIN-01': 'not_assessed',
      'XB-BASIS-01': 'not_applicable',
    })
    expect(result.gaps.map((gap) => [gap.kind, 'questionId' in gap ? gap.questionId : null, gap.severity])).toEqual([
      ['missing_evidence', 'EX-05', 'medium'],
      ['missing_answer', 'EX-06', 'low'],
    ])
  })

  it('after the training override: 65.4, still high', () => {
    const result = run({ overrides: { 'HR-TRAIN-01': { status: 'meets', justification: 'Training register for 2025 inspected; all staff trained', byName: 'Compliance', at: '2025-03-01' } } })
    expect(result.weights).toEqual({ earned: 17, possible: 26 })
    expect(result.score).toBe(65.4)
    expect(result.residualRisk).toBe('high')
  })

  it('with the knock-out failed: 24.0, critical for tier 2; tier 4 raised from medium to high', () => {
    const failed = { answers: { ...answers, 'EX-01': answer('no') } }
    expect(run(failed)).toMatchObject({ score: 24, residualRisk: 'critical', knockOutsFailed: ['PRIV-INSTR-01'], cappedByKnockOut: false })
    expect(run({ ...failed, inherentTier: 4 })).toMatchObject({ score: 24, matrixRisk: 'medium', residualRisk: 'high', cappedByKnockOut: true })
  })
})
