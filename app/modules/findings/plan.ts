// From a score to findings, and from the findings an assessment has to the ones it should have.
// Pure: the server module applies the plan, one atomic update per finding.
//
// A finding exists for every clause whose status (after overrides) is "fails" or "partial" and for
// every gap the engine reports (missing required answer, missing required evidence, too few clauses
// assessed). Each has a stable key within its assessment, so generating twice never duplicates.
import type { LocalizedText, Question, Severity, Clause } from '~/modules/library/content-schema'
import { LOCALES, type Locale } from '~/i18n/locales'
import type { ScoreResult } from '~/modules/scoring/types'
import type { FindingOwner, FindingSource, FindingStatus } from './vocabulary'

const SEVERITY_ORDER: readonly Severity[] = ['low', 'medium', 'high', 'critical']

/** Days from generation to the default due date, by severity. */
export const FINDING_DUE_DAYS: Readonly<Record<Severity, number>> = Object.freeze({ critical: 30, high: 60, medium: 90, low: 180 })

export function defaultDueDate(severity: Severity, from: Date): Date {
  return new Date(from.getTime() + FINDING_DUE_DAYS[severity] * 24 * 3600 * 1000)
}

/** A clause the answers fail keeps its severity (critical when it is a knock-out); a partial one is one step lower. */
export function clauseFindingSeverity(severity: Severity, status: 'fails' | 'partial', knockOut: boolean): Severity {
  if (status === 'fails') return knockOut ? 'critical' : severity
  return SEVERITY_ORDER[Math.max(0, SEVERITY_ORDER.indexOf(severity) - 1)]
}

export interface FindingSourceRef {
  kind: FindingSource
  clauseId?: string
  questionId?: string
  clauseIds: string[]
  clauseStatus?: 'fails' | 'partial'
  knockOut?: boolean
}

/** A field's value before or after a change, as a finding's history records it. */
export type FindingChangeValue = string | number | boolean | Date | null
/** What one change did: { field: [before, after] } (a remediation text as ['…', '…']). */
export type FindingChanges = Record<string, [FindingChangeValue, FindingChangeValue]>

/** What a finding generated from the score says. Remediation and owner are only defaults. */
export interface FindingSpec {
  key: string
  source: FindingSourceRef
  severity: Severity
  title: LocalizedText
  description: LocalizedText
  remediation: LocalizedText
  owner: FindingOwner
}

/** Translates a key of the "findings" namespace into one language (i18next's t, fixed to a locale). */
export type FindingTranslate = (locale: Locale, key: string, params?: Record<string, unknown>) => string

export interface DeriveContext {
  /** The contract snapshot's clauses. */
  clauses: readonly Clause[]
  /** A question of the assessment's questionnaires, by id. */
  question: (questionId: string) => Question | undefined
  t: FindingTranslate
}

const TITLE_MAX = 160

function clip(text: string, max = TITLE_MAX): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`
}

function both(build: (locale: Locale) => string): LocalizedText {
  return Object.fromEntries(LOCALES.map((locale) => [locale, build(locale)])) as LocalizedText
}

function optionLabels(question: Question | undefined, optionIds: readonly string[], locale: Locale): string {
  const labels = optionIds.map((id) => question?.options?.find((option) => option.id === id)?.label[locale] ?? id)
  return labels.join(locale === 'en' ? ', ' : '、')
}

export function findingKey(source: Pick<FindingSourceRef, 'kind' | 'clauseId' | 'questionId'>): string {
  if (source.kind === 'clause') return `clause:${source.clauseId}`
  if (source.kind === 'low_coverage') return 'low_coverage'
  return `${source.kind}:${source.questionId}`
}

/** The findings a score calls for, in a stable order: clauses in snapshot order, then gaps. */
export function deriveFindings(score: ScoreResult, context: DeriveContext): FindingSpec[] {
  const clauseById = new Map(context.clauses.map((clause) => [clause.id, clause]))
  const { t } = context
  const list = (ids: readonly string[], locale: Locale) => ids.join(locale === 'en' ? ', ' : '、')
  const specs: FindingSpec[] = []

  for (const result of score.clauses) {
    if (result.status !== 'fails' && result.status !== 'partial') continue
    const clause = clauseById.get(result.clauseId)
    const status = result.status
    const decisive = result.contributions.filter((contribution) => contribution.decisive)
    const source: FindingSourceRef = {
      kind: 'clause',
      clauseId: result.clauseId,
      clauseIds: [result.clauseId],
      clauseStatus: status,
      knockOut: result.knockOut,
    }
    specs.push({
      key: findingKey(source),
      source,
      severity: clauseFindingSeverity(result.severity, status, result.knockOut),
      title: both((locale) => clip(t(locale, `generated.clause.${status}.title`, { id: result.clauseId, title: clause?.title[locale] ?? result.clauseId }))),
      description: both((locale) => {
        const parts = [
          t(locale, `generated.clause.${status}.description`, {
            id: result.clauseId,
            text: clause?.text[locale] ?? '',
            sources: clause?.sources.join('; ') ?? '',
          }),
        ]
        if (result.knockOut && status === 'fails') parts.push(t(locale, 'generated.clause.knockOut'))
        if (result.override) {
          parts.push(t(locale, 'generated.clause.override', { name: result.override.byName, justification: result.override.justification }))
        } else if (decisive.length > 0) {
          const answers = decisive.map((contribution) => {
            const question = context.question(contribution.questionId)
            return t(locale, 'generated.clause.answer', {
              id: contribution.questionId,
              question: clip(question?.text[locale] ?? contribution.questionId, 120),
              answer: optionLabels(question, contribution.optionIds, locale),
            })
          })
          parts.push(t(locale, 'generated.clause.decidedBy', { answers: answers.join(locale === 'en' ? '; ' : '；') }))
        }
        return parts.join('\n')
      }),
      remediation: both((locale) => t(locale, `generated.clause.${status}.remediation`, { id: result.clauseId })),
      owner: 'vendor',
    })
  }

  for (const gap of score.gaps) {
    if (gap.kind === 'low_coverage') {
      const source: FindingSourceRef = { kind: 'low_coverage', clauseIds: [...gap.clauseIds] }
      specs.push({
        key: findingKey(source),
        source,
        severity: gap.severity,
        title: both((locale) => t(locale, 'generated.low_coverage.title')),
        description: both((locale) =>
          t(locale, 'generated.low_coverage.description', {
            notAssessed: gap.notAssessed,
            scorable: gap.scorable,
            percent: Math.round(gap.share * 100),
            threshold: Math.round(gap.threshold * 100),
            clauses: list(gap.clauseIds, locale),
          }),
        ),
        remediation: both((locale) => t(locale, 'generated.low_coverage.remediation')),
        owner: 'internal',
      })
      continue
    }
    const question = context.question(gap.questionId)
    const source: FindingSourceRef = { kind: gap.kind, questionId: gap.questionId, clauseIds: [...gap.clauseIds] }
    specs.push({
      key: findingKey(source),
      source,
      severity: gap.severity,
      title: both((locale) => clip(t(locale, `generated.${gap.kind}.title`, { id: gap.questionId, question: question?.text[locale] ?? gap.questionId }))),
      description: both((locale) => {
        const clauses = gap.clauseIds.length ? list(gap.clauseIds, locale) : t(locale, 'generated.noClause')
        const hint = gap.kind === 'missing_evidence' ? (question?.evidence?.hint?.[locale] ?? '') : ''
        // Files are attached but expired: the reason is said, with the last expiry day.
        const expiredOn = gap.kind === 'missing_evidence' ? (gap.expired ?? []).map((file) => file.expiresOn).sort().at(-1) : undefined
        const text = expiredOn
          ? t(locale, 'generated.missing_evidence.expired', { id: gap.questionId, clauses, date: expiredOn })
          : t(locale, `generated.${gap.kind}.description`, { id: gap.questionId, clauses })
        return [text, hint].filter(Boolean).join(' ')
      }),
      remediation: both((locale) => t(locale, `generated.${gap.kind}.remediation`, { id: gap.questionId })),
      owner: 'vendor',
    })
  }
  return specs
}

/** The parts of a stored finding the plan needs. */
export interface ExistingFinding {
  id: string
  key: string
  version: number
  status: FindingStatus
  severity: Severity
  computedSeverity: Severity
  resolvedByScore: boolean
  title: LocalizedText
  description: LocalizedText
  source: FindingSourceRef
}

export type FindingOperation =
  | { kind: 'create'; spec: FindingSpec; dueAt: Date }
  | {
      kind: 'refresh'
      id: string
      version: number
      set: { computedSeverity: Severity; severity: Severity; title: LocalizedText; description: LocalizedText; source: FindingSourceRef }
      /** Closed earlier by a refresh, produced again: back to open. */
      reopen: boolean
      /** Noteworthy changes for the history: { field: [before, after] }. */
      changes: FindingChanges
    }
  | { kind: 'resolve'; id: string; version: number; from: FindingStatus }

/** Canonical form of a source, so one read from the database compares equal to a freshly derived one. */
export function normalizeSource(source: Partial<FindingSourceRef> & { kind: FindingSource }): FindingSourceRef {
  const normalized: FindingSourceRef = { kind: source.kind, clauseIds: [...(source.clauseIds ?? [])] }
  if (source.clauseId) normalized.clauseId = source.clauseId
  if (source.questionId) normalized.questionId = source.questionId
  if (source.clauseStatus) normalized.clauseStatus = source.clauseStatus
  if (typeof source.knockOut === 'boolean') normalized.knockOut = source.knockOut
  return normalized
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
const sameText = (a: LocalizedText, b: LocalizedText) => LOCALES.every((locale) => (a[locale] ?? '') === (b[locale] ?? ''))

/**
 * What to do so the assessment's findings match the score: create the new ones, refresh the ones
 * whose generated content changed (reopening those a refresh had closed), and close the open ones
 * the answers no longer produce. Findings compliance closed or risk-accepted are left as they are,
 * and so is a severity compliance changed by hand. Nothing is ever deleted.
 */
export function planFindingSync(existing: readonly ExistingFinding[], desired: readonly FindingSpec[], now: Date): FindingOperation[] {
  const byKey = new Map(existing.map((finding) => [finding.key, finding]))
  const wanted = new Set<string>()
  const operations: FindingOperation[] = []
  for (const spec of desired) {
    if (wanted.has(spec.key)) continue
    wanted.add(spec.key)
    const current = byKey.get(spec.key)
    if (!current) {
      operations.push({ kind: 'create', spec, dueAt: defaultDueDate(spec.severity, now) })
      continue
    }
    const reopen = current.resolvedByScore && current.status === 'closed'
    const editedSeverity = current.severity !== current.computedSeverity
    const severity = editedSeverity ? current.severity : spec.severity
    const source = normalizeSource(spec.source)
    const changed =
      reopen ||
      current.computedSeverity !== spec.severity ||
      !sameText(current.title, spec.title) ||
      !sameText(current.description, spec.description) ||
      !same(normalizeSource(current.source), source)
    if (!changed) continue
    const changes: FindingChanges = {}
    if (current.severity !== severity) changes.severity = [current.severity, severity]
    if (current.computedSeverity !== spec.severity) changes.computedSeverity = [current.computedSeverity, spec.severity]
    if (source.clauseStatus && current.source.clauseStatus !== source.clauseStatus) changes.clauseStatus = [current.source.clauseStatus ?? null, source.clauseStatus]
    if (reopen) changes.status = [current.status, 'open']
    operations.push({
      kind: 'refresh',
      id: current.id,
      version: current.version,
      set: { computedSeverity: spec.severity, severity, title: spec.title, description: spec.description, source },
      reopen,
      changes,
    })
  }
  for (const finding of existing) {
    if (wanted.has(finding.key)) continue
    if (finding.status === 'open' || finding.status === 'in_progress') {
      operations.push({ kind: 'resolve', id: finding.id, version: finding.version, from: finding.status })
    }
  }
  return operations
}

/** Whether an unresolved finding is past its due date. */
export function isOverdue(finding: { status: FindingStatus; dueAt: Date | string }, now: Date): boolean {
  return (finding.status === 'open' || finding.status === 'in_progress') && new Date(finding.dueAt).getTime() < now.getTime()
}
