// What compliance decided while reviewing an assessment, as stored in `assessment.review`.
// Pure: the review screens, the review writes and the report read it through `readReview`,
// which tolerates anything the free-form field may hold.
import type { ClauseEffect } from '~/modules/library/content-schema'

// Which statuses allow reviewing and signing off: the life cycle's (assessments/lifecycle.ts).
export { REVIEWABLE, SIGNABLE } from '~/modules/assessments/lifecycle'

export const ANSWER_DECISIONS = ['accepted', 'clarification'] as const
export type AnswerDecisionKind = (typeof ANSWER_DECISIONS)[number]

export interface AnswerDecision {
  decision: AnswerDecisionKind
  comment: string
  byUserId: string
  byName: string
  at: Date
  /** The answer's rev when decided: a later rev means the vendor changed the answer since. */
  rev: number
  /** For clarification: the round that sent it to the vendor; absent while still a draft. */
  round?: number
}

export interface StoredOverride {
  status: ClauseEffect
  justification: string
  byUserId: string
  byName: string
  at: Date
}

export interface OverrideEvent {
  clauseId: string
  /** The new status; null when the override was withdrawn. */
  status: ClauseEffect | null
  previous: ClauseEffect | null
  justification: string
  byUserId: string
  byName: string
  at: Date
}

export interface ClarificationRound {
  round: number
  at: Date
  byUserId: string
  byName: string
  questions: { questionId: string; comment: string }[]
  /** The reviewer's message to the vendor, and the date the vendor was asked to answer by. */
  message?: string
  respondBy?: Date | null
  /** How the vendor contacts were told: fresh links, or a reminder to use the link they have. */
  notified: { email: string; locale: string; status: string; freshLink: boolean }[]
}

export interface ReviewState {
  startedAt: Date | null
  startedBy: { id: string; name: string } | null
  answers: Record<string, AnswerDecision>
  clauseOverrides: Record<string, StoredOverride>
  overrideHistory: OverrideEvent[]
  reopenedQuestions: string[]
  clarifications: ClarificationRound[]
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const text = (value: unknown) => (typeof value === 'string' ? value : '')
const date = (value: unknown): Date | null => {
  if (value instanceof Date) return value
  if (typeof value === 'string' || typeof value === 'number') {
    const parsed = new Date(value)
    return Number.isNaN(parsed.getTime()) ? null : parsed
  }
  return null
}
const EFFECTS = new Set(['meets', 'partial', 'fails', 'not_applicable'])
const effect = (value: unknown): ClauseEffect | null => (typeof value === 'string' && EFFECTS.has(value) ? (value as ClauseEffect) : null)

/** The review as typed data; unknown or malformed entries are dropped, never thrown on. */
export function readReview(raw: unknown): ReviewState {
  const review = isObject(raw) ? raw : {}
  const answers: Record<string, AnswerDecision> = {}
  if (isObject(review.answers)) {
    for (const [questionId, entry] of Object.entries(review.answers)) {
      if (!isObject(entry) || (entry.decision !== 'accepted' && entry.decision !== 'clarification')) continue
      answers[questionId] = {
        decision: entry.decision,
        comment: text(entry.comment),
        byUserId: text(entry.byUserId),
        byName: text(entry.byName),
        at: date(entry.at) ?? new Date(0),
        rev: typeof entry.rev === 'number' ? entry.rev : 0,
        ...(typeof entry.round === 'number' ? { round: entry.round } : {}),
      }
    }
  }
  const clauseOverrides: Record<string, StoredOverride> = {}
  if (isObject(review.clauseOverrides)) {
    for (const [clauseId, entry] of Object.entries(review.clauseOverrides)) {
      const status = isObject(entry) ? effect(entry.status) : null
      if (!isObject(entry) || !status) continue
      clauseOverrides[clauseId] = {
        status,
        justification: text(entry.justification),
        byUserId: text(entry.byUserId),
        byName: text(entry.byName),
        at: date(entry.at) ?? new Date(0),
      }
    }
  }
  const overrideHistory: OverrideEvent[] = Array.isArray(review.overrideHistory)
    ? review.overrideHistory.filter(isObject).map((entry) => ({
        clauseId: text(entry.clauseId),
        status: effect(entry.status),
        previous: effect(entry.previous),
        justification: text(entry.justification),
        byUserId: text(entry.byUserId),
        byName: text(entry.byName),
        at: date(entry.at) ?? new Date(0),
      }))
    : []
  const clarifications: ClarificationRound[] = Array.isArray(review.clarifications)
    ? review.clarifications.filter(isObject).map((entry) => ({
        round: typeof entry.round === 'number' ? entry.round : 0,
        at: date(entry.at) ?? new Date(0),
        byUserId: text(entry.byUserId),
        byName: text(entry.byName),
        ...(typeof entry.message === 'string' && entry.message ? { message: entry.message } : {}),
        ...(date(entry.respondBy) ? { respondBy: date(entry.respondBy) } : {}),
        questions: Array.isArray(entry.questions)
          ? entry.questions.filter(isObject).map((question) => ({ questionId: text(question.questionId), comment: text(question.comment) }))
          : [],
        notified: Array.isArray(entry.notified)
          ? entry.notified.filter(isObject).map((contact) => ({
              email: text(contact.email),
              locale: text(contact.locale),
              status: text(contact.status),
              freshLink: contact.freshLink === true,
            }))
          : [],
      }))
    : []
  const startedBy = isObject(review.startedBy) ? { id: text(review.startedBy.id), name: text(review.startedBy.name) } : null
  return {
    startedAt: date(review.startedAt),
    startedBy,
    answers,
    clauseOverrides,
    overrideHistory,
    reopenedQuestions: Array.isArray(review.reopenedQuestions) ? review.reopenedQuestions.filter((id): id is string => typeof id === 'string') : [],
    clarifications,
  }
}

/** How a decision reads against the answer as it is now. */
export type DecisionState = 'undecided' | 'accepted' | 'clarification_draft' | 'clarification_sent' | 'changed_since'

export function decisionState(decision: AnswerDecision | undefined, answerRev: number | undefined): DecisionState {
  if (!decision) return 'undecided'
  if ((answerRev ?? 0) > decision.rev) return 'changed_since'
  if (decision.decision === 'accepted') return 'accepted'
  return decision.round === undefined ? 'clarification_draft' : 'clarification_sent'
}

/** Clarification requests drafted but not yet sent, in the order given (question order). */
export function draftClarifications(review: ReviewState, questionOrder: readonly string[]): { questionId: string; comment: string }[] {
  return questionOrder
    .filter((questionId) => {
      const decision = review.answers[questionId]
      return decision?.decision === 'clarification' && decision.round === undefined
    })
    .map((questionId) => ({ questionId, comment: review.answers[questionId]!.comment }))
}

/** The engine's overrides from the stored ones. */
export function engineOverrides(review: ReviewState) {
  return Object.fromEntries(
    Object.entries(review.clauseOverrides).map(([clauseId, override]) => [
      clauseId,
      { status: override.status, justification: override.justification, byName: override.byName, at: override.at },
    ]),
  )
}

/**
 * The questions to reopen for a clarification: the ones asked about, plus every question shown
 * only because of them (directly or through a chain), so a changed answer can reveal and answer
 * its follow-up questions. In the given question order.
 */
export function withFollowUps(questionIds: readonly string[], questions: readonly { id: string; showWhen?: { question: string } }[]): string[] {
  const reopened = new Set(questionIds)
  let grew = true
  while (grew) {
    grew = false
    for (const question of questions) {
      if (!reopened.has(question.id) && question.showWhen && reopened.has(question.showWhen.question)) {
        reopened.add(question.id)
        grew = true
      }
    }
  }
  const order = new Map(questions.map((question, i) => [question.id, i]))
  return [...reopened].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity))
}

/** What the sign-off rule needs of a clause result: its id and the answers that produced it. */
export interface ClauseResultLike {
  clauseId: string
  contributions: readonly { questionId: string }[]
}

export interface ClauseDecision {
  clauseId: string
  /** overridden: the reviewer's status counts; accepted: every answer behind the computed status is accepted. */
  state: 'overridden' | 'accepted' | 'undecided'
  /** The answers behind the computed status not (or no longer) accepted. */
  pending: string[]
}

/**
 * Whether each clause result has been decided by a reviewer: overridden, or computed from answers
 * that are all accepted as they stand now. A clause no answer bears on has nothing to accept: it
 * is decided only by an override (e.g. "fails" or "not applicable" with a justification).
 */
export function clauseDecisions(
  clauses: readonly ClauseResultLike[],
  review: ReviewState,
  answerRevs: Readonly<Record<string, number | undefined>>,
): ClauseDecision[] {
  return clauses.map((clause) => {
    if (review.clauseOverrides[clause.clauseId]) return { clauseId: clause.clauseId, state: 'overridden' as const, pending: [] }
    const pending = clause.contributions
      .map((contribution) => contribution.questionId)
      .filter((questionId) => decisionState(review.answers[questionId], answerRevs[questionId]) !== 'accepted')
    const decided = clause.contributions.length > 0 && pending.length === 0
    return { clauseId: clause.clauseId, state: decided ? ('accepted' as const) : ('undecided' as const), pending }
  })
}

/** Everyone who made a review decision (started it, decided an answer, overrode a clause, asked for clarification). */
export function reviewerIds(review: ReviewState): Set<string> {
  const ids = [
    review.startedBy?.id,
    ...Object.values(review.answers).map((decision) => decision.byUserId),
    ...Object.values(review.clauseOverrides).map((override) => override.byUserId),
    ...review.overrideHistory.map((event) => event.byUserId),
    ...review.clarifications.map((round) => round.byUserId),
  ]
  return new Set(ids.filter((id): id is string => Boolean(id)))
}

/** Maker-checker: on the tiers chosen by admins, who reviewed an assessment may not sign it off. */
export function makerCheckerBlocks(input: { tier: number; tiers: readonly number[]; signerId: string; review: ReviewState }): boolean {
  return input.tiers.includes(input.tier) && reviewerIds(input.review).has(input.signerId)
}
