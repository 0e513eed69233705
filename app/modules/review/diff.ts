// What changed since the vendor's last completed assessment: per answer, per clause, and in the
// score. Pure: the review page, the PDF report and the tests share it.
import type { AnswerValue } from '~/modules/assessments/vocabulary'

export type AnswerChange = 'unchanged' | 'changed' | 'new' | 'removed'

export interface AnswerSide {
  value?: AnswerValue | null
  comment?: string | null
}

function normalised(value: AnswerValue | null | undefined): string | null {
  if (value === null || value === undefined) return null
  if (typeof value === 'string') return value.trim() === '' ? null : JSON.stringify(value.trim())
  if (Array.isArray(value)) return value.length === 0 ? null : JSON.stringify([...value].sort())
  return JSON.stringify(value)
}

/**
 * How each question's answer compares with last time. The value decides (a multiple choice in
 * another order is the same answer); a changed comment alone does not make an answer "changed".
 * Questions answered neither time are left out.
 */
export function compareAnswers(
  questionIds: readonly string[],
  current: Readonly<Record<string, AnswerSide | undefined>>,
  previous: Readonly<Record<string, AnswerSide | undefined>>,
): Record<string, AnswerChange> {
  const changes: Record<string, AnswerChange> = {}
  for (const id of questionIds) {
    const now = normalised(current[id]?.value)
    const before = normalised(previous[id]?.value)
    if (now === null && before === null) continue
    changes[id] = before === null ? 'new' : now === null ? 'removed' : now === before ? 'unchanged' : 'changed'
  }
  return changes
}

export interface ClauseStatusChange<S extends string = string> {
  clauseId: string
  before: S | null // null: the clause was not in last time's contract
  after: S | null // null: the clause is no longer in the contract
}

/** Clauses whose status differs from last time, in the current order, then the ones that left. */
export function compareClauses<S extends string>(
  current: readonly { clauseId: string; status: S }[],
  previous: readonly { clauseId: string; status: S }[],
): ClauseStatusChange<S>[] {
  const before = new Map(previous.map((clause) => [clause.clauseId, clause.status]))
  const changes: ClauseStatusChange<S>[] = []
  for (const clause of current) {
    const old = before.get(clause.clauseId) ?? null
    if (old !== clause.status) changes.push({ clauseId: clause.clauseId, before: old, after: clause.status })
  }
  const now = new Set(current.map((clause) => clause.clauseId))
  for (const clause of previous) if (!now.has(clause.clauseId)) changes.push({ clauseId: clause.clauseId, before: clause.status, after: null })
  return changes
}

/** Score difference in points (one decimal); null when either side has no score. */
export function scoreDelta(current: number | null | undefined, previous: number | null | undefined): number | null {
  if (typeof current !== 'number' || typeof previous !== 'number') return null
  return Math.round((current - previous) * 10) / 10
}

const RISK_ORDER = ['low', 'medium', 'high', 'critical'] as const

/** Whether the residual risk went down (better), up (worse) or stayed. */
export function riskMovement(current: string | null | undefined, previous: string | null | undefined): 'better' | 'worse' | 'same' | null {
  const a = RISK_ORDER.indexOf(current as (typeof RISK_ORDER)[number])
  const b = RISK_ORDER.indexOf(previous as (typeof RISK_ORDER)[number])
  if (a < 0 || b < 0) return null
  return a === b ? 'same' : a < b ? 'better' : 'worse'
}

/** Clause counts by status, for "meets 5 → 6" beside each other. */
export function clauseCounts(clauses: readonly { status: string }[]): Record<'meets' | 'partial' | 'fails' | 'not_assessed' | 'not_applicable', number> {
  const counts = { meets: 0, partial: 0, fails: 0, not_assessed: 0, not_applicable: 0 }
  for (const clause of clauses) if (clause.status in counts) counts[clause.status as keyof typeof counts]++
  return counts
}
