import { createInstance, type TFunction } from 'i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import { i18nOptions } from '~/i18n/i18n'
import type { Locale } from '~/i18n/locales'
import {
  clauseFindingSeverity,
  defaultDueDate,
  deriveFindings,
  isOverdue,
  planFindingSync,
  type ExistingFinding,
  type FindingSpec,
  type FindingTranslate,
} from '~/modules/findings/plan'
import type { Clause, ClauseEffect, Question, Questionnaire, Severity } from '~/modules/library/content-schema'
import { scoreAssessment } from '~/modules/scoring/score'

const text = (words: string) => ({ 'zh-CN': `${words}（中）`, en: words })

function clause(id: string, severity: Severity, knockOut = false): Clause {
  return { id, title: text(`Title ${id}`), text: text(`Text of ${id}`), severity, knockOut, sources: ['PIPL Art. 21'] }
}

function yesNo(id: string, clauseId: string, extra: Partial<Question> = {}): Question {
  const option = (optionId: string, effect: ClauseEffect) => ({ id: optionId, label: text(optionId === 'yes' ? 'Yes' : optionId === 'no' ? 'No' : 'Partly'), clauses: [{ clause: clauseId, effect }] })
  return {
    id,
    kind: 'single_choice',
    required: true,
    text: text(`Question ${id}`),
    options: [option('yes', 'meets'), option('partly', 'partial'), option('no', 'fails')],
    ...extra,
  }
}

const questionnaire: Questionnaire = {
  id: 'baseline',
  version: 1,
  kind: 'baseline',
  title: text('Baseline'),
  description: text('Baseline'),
  publishedAt: '2025-01-01',
  proposedFor: [],
  sections: [
    {
      id: 'main',
      title: text('Main'),
      questions: [
        yesNo('GOV-01', 'PRIV-01'),
        yesNo('SEC-01', 'SEC-01', { evidence: { requiredWhen: ['yes'] } }),
        yesNo('INC-01', 'INC-01'),
        yesNo('LOG-01', 'LOG-01'),
      ],
    },
  ],
}
const clauses = [clause('PRIV-01', 'critical', true), clause('SEC-01', 'high'), clause('INC-01', 'medium'), clause('LOG-01', 'low')]
const questions = new Map(questionnaire.sections[0].questions.map((q) => [q.id, q]))
const answer = (value: string, files = 0) => ({ value, evidence: Array.from({ length: files }, (_, i) => ({ fileId: `f${i}` })), rev: 1 })

let t: FindingTranslate
beforeAll(async () => {
  const instance = createInstance()
  await instance.init({ ...i18nOptions, lng: 'en' })
  const fixed: Record<Locale, TFunction> = { en: instance.getFixedT('en', 'findings'), 'zh-CN': instance.getFixedT('zh-CN', 'findings') }
  t = (locale, key, params) => String(fixed[locale](key, params ?? {}))
})

function derive(answers: Record<string, ReturnType<typeof answer>>, overrides = {}) {
  const score = scoreAssessment({ questionnaires: [questionnaire], clauses, answers, overrides, inherentTier: 2 })
  return deriveFindings(score, { clauses, question: (id) => questions.get(id), t })
}

describe('deriving findings from a score', () => {
  it('makes one finding per failed or partial clause and per gap, with stable keys, bilingual texts and severities', () => {
    const specs = derive({ 'GOV-01': answer('no'), 'SEC-01': answer('yes'), 'INC-01': answer('partly') })
    expect(specs.map((spec) => [spec.key, spec.severity])).toEqual([
      ['clause:PRIV-01', 'critical'], // a failed knock-out clause
      ['clause:INC-01', 'low'], // a medium clause only partly met: one step lower
      ['missing_evidence:SEC-01', 'high'], // gaps in question order, with the severity of the clauses they bear on
      ['missing_answer:LOG-01', 'low'],
    ])
    const privacy = specs[0]!
    expect(privacy.title.en).toBe('PRIV-01 not met: Title PRIV-01')
    expect(privacy.title['zh-CN']).toBe('PRIV-01 未满足：Title PRIV-01（中）')
    expect(privacy.description.en).toContain('Text of PRIV-01')
    expect(privacy.description.en).toContain('knock-out')
    expect(privacy.description.en).toContain('GOV-01 “Question GOV-01” answered “No”')
    expect(privacy.description['zh-CN']).toContain('GOV-01“Question GOV-01（中）”答复为“No（中）”')
    expect(privacy.source).toEqual({ kind: 'clause', clauseId: 'PRIV-01', clauseIds: ['PRIV-01'], clauseStatus: 'fails', knockOut: true })
    expect(specs.find((spec) => spec.key === 'missing_evidence:SEC-01')!.title.en).toBe('Evidence missing for SEC-01: Question SEC-01')
    for (const spec of specs) for (const locale of ['en', 'zh-CN'] as const) {
      expect(spec.title[locale]).not.toMatch(/generated\.|\{\{/)
      expect(spec.remediation[locale].length).toBeGreaterThan(10)
    }
  })

  it('reports low coverage as an internal finding when too many clauses are not assessed', () => {
    const specs = derive({ 'GOV-01': answer('yes') })
    const coverage = specs.find((spec) => spec.key === 'low_coverage')!
    expect(coverage.owner).toBe('internal')
    expect(coverage.source.clauseIds).toEqual(['SEC-01', 'INC-01', 'LOG-01'])
    expect(coverage.description.en).toContain('3 of 4 scorable clauses (75%)')
  })

  it('follows overrides: an overridden clause that meets makes no finding, one overridden to fail names the reviewer', () => {
    const at = new Date('2025-03-01T00:00:00Z')
    const specs = derive(
      { 'GOV-01': answer('no'), 'SEC-01': answer('yes', 1), 'INC-01': answer('yes'), 'LOG-01': answer('yes') },
      {
        'PRIV-01': { status: 'meets', justification: 'Compensating control verified on site', byName: 'Li', at },
        'LOG-01': { status: 'fails', justification: 'Logs were not produced on request', byName: 'Li', at },
      },
    )
    expect(specs.map((spec) => spec.key)).toEqual(['clause:LOG-01'])
    expect(specs[0]!.description.en).toContain('Status set by the reviewer Li: Logs were not produced on request')
  })

  it('is deterministic', () => {
    const answers = { 'GOV-01': answer('no'), 'INC-01': answer('partly') }
    expect(derive(answers)).toEqual(derive(answers))
  })
})

describe('severity and due dates', () => {
  it.each([
    ['critical', 'fails', false, 'critical'],
    ['high', 'fails', true, 'critical'],
    ['high', 'partial', false, 'medium'],
    ['low', 'partial', false, 'low'],
    ['medium', 'fails', false, 'medium'],
  ] as const)('%s clause that %s (knock-out %s) → %s', (severity, status, knockOut, expected) => {
    expect(clauseFindingSeverity(severity, status, knockOut)).toBe(expected)
  })

  it('gives more time to less severe findings', () => {
    const from = new Date('2025-01-01T00:00:00Z')
    expect(defaultDueDate('critical', from).toISOString()).toBe('2025-01-31T00:00:00.000Z')
    expect(defaultDueDate('low', from).toISOString()).toBe('2025-06-30T00:00:00.000Z')
  })

  it('counts only unresolved findings past their due date as overdue', () => {
    const now = new Date('2025-05-01T00:00:00Z')
    expect(isOverdue({ status: 'open', dueAt: '2025-04-30T00:00:00Z' }, now)).toBe(true)
    expect(isOverdue({ status: 'in_progress', dueAt: '2025-05-02T00:00:00Z' }, now)).toBe(false)
    expect(isOverdue({ status: 'risk_accepted', dueAt: '2025-01-01T00:00:00Z' }, now)).toBe(false)
  })
})

describe('planning the sync of stored findings', () => {
  const now = new Date('2025-02-01T00:00:00Z')
  const spec = (key: string, severity: Severity = 'high', title = key): FindingSpec => ({
    key,
    source: { kind: 'clause', clauseId: key.replace('clause:', ''), clauseIds: [key.replace('clause:', '')], clauseStatus: 'fails', knockOut: false },
    severity,
    title: { 'zh-CN': title, en: title },
    description: { 'zh-CN': 'd', en: 'd' },
    remediation: { 'zh-CN': 'r', en: 'r' },
    owner: 'vendor',
  })
  const stored = (from: FindingSpec, extra: Partial<ExistingFinding> = {}): ExistingFinding => ({
    id: `id-${from.key}`,
    key: from.key,
    version: 3,
    status: 'open',
    severity: from.severity,
    computedSeverity: from.severity,
    resolvedByScore: false,
    title: from.title,
    description: from.description,
    source: from.source,
    ...extra,
  })

  it('creates what is missing and nothing for what is already there unchanged (idempotent)', () => {
    const a = spec('clause:A')
    const b = spec('clause:B')
    const first = planFindingSync([], [a, b], now)
    expect(first.map((op) => op.kind)).toEqual(['create', 'create'])
    expect(planFindingSync([stored(a), stored(b)], [a, b], now)).toEqual([])
    // A key listed twice is created once.
    expect(planFindingSync([], [a, a], now)).toHaveLength(1)
  })

  it('closes open findings the score no longer produces, and leaves closed or accepted ones alone', () => {
    const a = spec('clause:A')
    const b = spec('clause:B')
    const c = spec('clause:C')
    const plan = planFindingSync([stored(a), stored(b, { status: 'risk_accepted' }), stored(c, { status: 'in_progress' })], [], now)
    expect(plan).toEqual([
      { kind: 'resolve', id: 'id-clause:A', version: 3, from: 'open' },
      { kind: 'resolve', id: 'id-clause:C', version: 3, from: 'in_progress' },
    ])
  })

  it('reopens a finding a refresh had closed when the answers produce it again', () => {
    const a = spec('clause:A')
    const [operation] = planFindingSync([stored(a, { status: 'closed', resolvedByScore: true })], [a], now)
    expect(operation).toMatchObject({ kind: 'refresh', reopen: true, changes: { status: ['closed', 'open'] } })
    // …but not one compliance closed by hand.
    expect(planFindingSync([stored(a, { status: 'closed' })], [a], now)).toEqual([])
  })

  it('follows a new computed severity unless compliance changed the severity by hand', () => {
    const before = spec('clause:A', 'high')
    const after = spec('clause:A', 'medium')
    const [followed] = planFindingSync([stored(before)], [after], now)
    expect(followed).toMatchObject({ kind: 'refresh', set: { severity: 'medium', computedSeverity: 'medium' }, changes: { severity: ['high', 'medium'] } })
    const [kept] = planFindingSync([stored(before, { severity: 'critical' })], [after], now)
    expect(kept).toMatchObject({ kind: 'refresh', set: { severity: 'critical', computedSeverity: 'medium' } })
  })

  it('refreshes texts that changed, with the version it read', () => {
    const [operation] = planFindingSync([stored(spec('clause:A', 'high', 'old'))], [spec('clause:A', 'high', 'new')], now)
    expect(operation).toMatchObject({ kind: 'refresh', id: 'id-clause:A', version: 3, reopen: false, set: { title: { en: 'new' } } })
  })
})
