// Compliance's writes on an assessment under review: start, decide an answer, override a clause,
// send clarification requests, sign off. Each is one update of the assessment guarded by the
// version and status it read, so none of them can touch a completed (signed-off) assessment and
// none can overwrite a change it did not see. Effects on other documents (findings, the vendor's
// summary, the reassessment schedule, e-mails) follow the update and are idempotent.
import type { VersionedDecision } from '~/modules/db/versioned-update.server'
import { applySignOff, updateAssessmentWithVersion } from '~/modules/assessments/assessment-store.server'
import { findVendorFields, recordAssessmentSummary } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { can, type Permission } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { dayIn, endOfDayIn } from '~/modules/dates/dates'
import { actorLabel, issueInvitation } from '~/modules/assessments/invitations.server'
import type { AssessmentStatus } from '~/modules/assessments/vocabulary'
import { transition } from '~/modules/assessments/lifecycle'
import { fieldErrorsOf, type FieldErrors } from '~/modules/forms/validation'
import { getQuestionnaire } from '~/modules/library/library.server'
import { scheduleNextReassessment } from '~/modules/schedule/schedule.server'
import { indexAssessment } from '~/modules/scoring/question-index'
import { syncFindings } from '~/modules/findings/findings.server'
import { domainEvent } from '~/modules/events/catalogue.server'
import { publishEvents, withEvents } from '~/modules/events/outbox.server'
import { mailClarification } from './clarification-mail.server'
import {
  acceptClauseSchema,
  decideAnswerSchema,
  overrideClauseSchema,
  sendClarificationSchema,
  signOffSchema,
  withdrawOverrideSchema,
} from './schemas'
import { answersOf, loadAssessment, recomputeScore, storedScoreOf, type AssessmentLean, type StoredScore } from './score.server'
import { signOffReadiness } from './sign-off.server'
import { decisionState, draftClarifications, readReview, REVIEWABLE, withFollowUps, type ReviewState } from './state'

export type ReviewWriteResult = { ok: true } | { ok: false; status: 400 | 403 | 404 | 409; fieldErrors: FieldErrors; formError?: string }

const failure = (status: 400 | 403 | 404 | 409, formError?: string, fieldErrors: FieldErrors = {}): ReviewWriteResult => ({ ok: false, status, fieldErrors, formError })
const NOT_FOUND = () => failure(404, 'errors:notFound')
const CONFLICT = () => failure(409, 'errors:conflict')

function assertCan(user: SessionUser, permission: Permission) {
  if (!can(user.role, permission)) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
}

const auditActor = (user: SessionUser) => ({ kind: 'user' as const, id: user.id, label: user.email })

type Plan =
  | { set?: Record<string, unknown>; unset?: Record<string, 1>; push?: Record<string, unknown>; audit?: Record<string, unknown> }
  | { refuse: ReviewWriteResult }
  | { skip: true }

const ATTEMPTS = 5

/**
 * Reads the assessment, lets `plan` decide the change, and applies it only while the assessment
 * is still at the version and status read. A submitted assessment moves to "under review" and the
 * review's start is recorded by the first review write. Retries when a vendor's save got in between.
 */
async function changeUnderReview(
  assessmentId: string,
  actor: SessionUser,
  action: string,
  plan: (assessment: AssessmentLean, review: ReviewState) => Plan,
  allowed: readonly AssessmentStatus[] = REVIEWABLE,
): Promise<{ ok: true; assessment: AssessmentLean; started: boolean; skipped?: boolean } | { ok: false; result: ReviewWriteResult }> {
  type Planned = { audit?: Record<string, unknown>; started: boolean } | { skipped: true }
  const outcome = await updateAssessmentWithVersion({
    attempts: ATTEMPTS,
    read: () => loadAssessment(assessmentId),
    decide: (assessment): VersionedDecision<Planned, ReviewWriteResult> => {
      const status = assessment.status
      if (status === 'completed') return { refuse: failure(409, 'review:errors.completed') }
      if (!allowed.includes(status)) return { refuse: failure(409, 'review:errors.notReviewable') }
      const review = readReview(assessment.review)
      const planned = plan(assessment, review)
      if ('refuse' in planned) return { refuse: planned.refuse }
      if ('skip' in planned) return { unchanged: { skipped: true } }
      const set: Record<string, unknown> = { ...planned.set }
      const started = !review.startedAt
      if (started) {
        set['review.startedAt'] = new Date()
        set['review.startedBy'] = { id: actor.id, name: actor.name }
      }
      const next = transition(status, 'review_written')
      if (set.status === undefined && next && next !== status) set.status = next
      const update: Record<string, unknown> = { $set: set }
      if (planned.unset && Object.keys(planned.unset).length) update.$unset = planned.unset
      if (planned.push) update.$push = planned.push
      // Still at the status read, too: a status change is what decides whether the change is allowed.
      return { update, where: { status }, result: { audit: planned.audit, started } }
    },
  })
  if (outcome.status === 'missing') return { ok: false, result: NOT_FOUND() }
  if (outcome.status === 'refused') return { ok: false, result: outcome.reason }
  if (outcome.status === 'conflict') return { ok: false, result: CONFLICT() }
  if (outcome.status === 'unchanged' || 'skipped' in outcome.result) return { ok: true, assessment: outcome.record, started: false, skipped: true }
  await recordAudit({ actor: auditActor(actor), action, subject: { kind: 'assessment', id: String(outcome.record._id) }, details: outcome.result.audit })
  return { ok: true, assessment: outcome.record, started: outcome.result.started }
}

/** Compliance starts reviewing a submitted assessment: findings are generated from its score. */
export async function startReview(assessmentId: string, actor: SessionUser): Promise<ReviewWriteResult> {
  assertCan(actor, 'assessment:review')
  const outcome = await changeUnderReview(assessmentId, actor, 'assessment.review-start', (assessment, review): Plan =>
    review.startedAt && assessment.status !== 'submitted' ? { skip: true } : {},
  )
  if (!outcome.ok) return outcome.result
  await recomputeScore(assessmentId)
  return { ok: true }
}

function questionIds(assessment: AssessmentLean): string[] {
  const questionnaires = scoringQuestionnaires(assessment)
  return indexAssessment(questionnaires).questions.map((entry) => entry.question.id)
}

function scoringQuestionnaires(assessment: AssessmentLean) {
  return (assessment.questionnaires ?? []).map((ref) => getQuestionnaire(String(ref.id), Number(ref.version)))
}

/** Accept an answer, or draft a clarification request for it (sent with "send clarification requests"). */
export async function decideAnswer(assessmentId: string, raw: unknown, actor: SessionUser): Promise<ReviewWriteResult> {
  assertCan(actor, 'assessment:review')
  const parsed = decideAnswerSchema.safeParse(raw)
  if (!parsed.success) return failure(400, undefined, fieldErrorsOf(parsed.error))
  const input = parsed.data
  const outcome = await changeUnderReview(assessmentId, actor, 'assessment.answer-decision', (assessment) => {
    if (!questionIds(assessment).includes(input.questionId)) return { refuse: failure(400, 'review:errors.unknownQuestion') }
    const currentRev = answersOf(assessment)[input.questionId]?.rev ?? 0
    if (currentRev !== input.answerRev) return { refuse: failure(409, 'review:errors.answerChanged') }
    return {
      set: {
        [`review.answers.${input.questionId}`]: {
          decision: input.decision,
          comment: input.comment ?? '',
          byUserId: actor.id,
          byName: actor.name,
          at: new Date(),
          rev: currentRev,
        },
      },
      audit: { questionId: input.questionId, decision: input.decision, comment: input.comment ?? null },
    }
  })
  if (!outcome.ok) return outcome.result
  if (outcome.started) await recomputeScore(assessmentId)
  return { ok: true }
}

/**
 * Accept a clause's computed result: every answer behind it that is not accepted as it stands
 * (undecided, or changed since a decision) is accepted, in one update. Answers with a clarification
 * request still to send are left alone, so the request is not lost.
 */
export async function acceptClauseResult(assessmentId: string, raw: unknown, actor: SessionUser): Promise<ReviewWriteResult> {
  assertCan(actor, 'assessment:review')
  const parsed = acceptClauseSchema.safeParse(raw)
  if (!parsed.success) return failure(400, undefined, fieldErrorsOf(parsed.error))
  const input = parsed.data
  const outcome = await changeUnderReview(assessmentId, actor, 'assessment.clause-accept', (assessment, review) => {
    const clause = storedScoreOf(assessment)?.clauses.find((entry) => entry.clauseId === input.clauseId)
    if (!clause || !clauseIdsOf(assessment).includes(input.clauseId)) return { refuse: failure(400, 'review:errors.unknownClause') }
    if (clause.contributions.length === 0) return { refuse: failure(400, 'review:errors.nothingToAccept') }
    const answers = answersOf(assessment)
    const now = new Date()
    const set: Record<string, unknown> = {}
    const accepted: string[] = []
    for (const { questionId } of clause.contributions) {
      const decision = review.answers[questionId]
      const state = decisionState(decision, answers[questionId]?.rev)
      if (state === 'accepted' || state === 'clarification_draft') continue
      const rev = answers[questionId]?.rev ?? 0
      set[`review.answers.${questionId}`] = { decision: 'accepted', comment: '', byUserId: actor.id, byName: actor.name, at: now, rev }
      accepted.push(questionId)
    }
    if (accepted.length === 0) return { skip: true }
    return { set, audit: { clauseId: input.clauseId, accepted } }
  })
  if (!outcome.ok) return outcome.result
  if (outcome.started) await recomputeScore(assessmentId)
  return { ok: true }
}

function clauseIdsOf(assessment: AssessmentLean): string[] {
  return ((assessment.contract?.clauses ?? []) as { id?: unknown }[]).map((clause) => String(clause.id))
}

/** Replace a clause's computed status with a reviewer's decision; the justification is mandatory and kept. */
export async function overrideClause(assessmentId: string, raw: unknown, actor: SessionUser): Promise<ReviewWriteResult> {
  assertCan(actor, 'assessment:review')
  const parsed = overrideClauseSchema.safeParse(raw)
  if (!parsed.success) return failure(400, undefined, fieldErrorsOf(parsed.error))
  const input = parsed.data
  const outcome = await changeUnderReview(assessmentId, actor, 'assessment.clause-override', (assessment, review) => {
    if (!clauseIdsOf(assessment).includes(input.clauseId)) return { refuse: failure(400, 'review:errors.unknownClause') }
    const now = new Date()
    const previous = review.clauseOverrides[input.clauseId]?.status ?? null
    const override = { status: input.status, justification: input.justification, byUserId: actor.id, byName: actor.name, at: now }
    return {
      set: { [`review.clauseOverrides.${input.clauseId}`]: override },
      push: { 'review.overrideHistory': { clauseId: input.clauseId, previous, ...override } },
      audit: { clauseId: input.clauseId, status: input.status, previous, justification: input.justification },
    }
  })
  if (!outcome.ok) return outcome.result
  await recomputeScore(assessmentId)
  return { ok: true }
}

/** Withdraw an override: the computed status counts again. The reason is kept in the history. */
export async function withdrawOverride(assessmentId: string, raw: unknown, actor: SessionUser): Promise<ReviewWriteResult> {
  assertCan(actor, 'assessment:review')
  const parsed = withdrawOverrideSchema.safeParse(raw)
  if (!parsed.success) return failure(400, undefined, fieldErrorsOf(parsed.error))
  const input = parsed.data
  const outcome = await changeUnderReview(assessmentId, actor, 'assessment.clause-override-withdraw', (_assessment, review) => {
    const current = review.clauseOverrides[input.clauseId]
    if (!current) return { refuse: failure(400, 'review:errors.noOverride') }
    return {
      unset: { [`review.clauseOverrides.${input.clauseId}`]: 1 },
      push: {
        'review.overrideHistory': {
          clauseId: input.clauseId,
          status: null,
          previous: current.status,
          justification: input.justification,
          byUserId: actor.id,
          byName: actor.name,
          at: new Date(),
        },
      },
      audit: { clauseId: input.clauseId, previous: current.status, justification: input.justification },
    }
  })
  if (!outcome.ok) return outcome.result
  await recomputeScore(assessmentId)
  return { ok: true }
}

/**
 * Sends the drafted clarification requests: reopens only those questions to the vendor, gives the
 * vendor until `respondBy`, and e-mails every contact a fresh link (links are stored hashed, so an
 * old link cannot be re-sent; the old ones are retired) in the contact's language.
 */
export async function sendClarificationRequest(
  assessmentId: string,
  raw: unknown,
  actor: SessionUser,
  now = new Date(),
): Promise<ReviewWriteResult | { ok: true; round: number; reopened: string[]; notified: string[] }> {
  assertCan(actor, 'assessment:review')
  const parsed = sendClarificationSchema.safeParse(raw)
  if (!parsed.success) return failure(400, undefined, fieldErrorsOf(parsed.error))
  const input = parsed.data
  const timeZone = getEnv().INSTITUTION_TIMEZONE
  if (input.respondBy < dayIn(now, timeZone)) return failure(400, undefined, { respondBy: ['review:errors.respondByPast'] })
  const respondBy = endOfDayIn(input.respondBy, timeZone)

  let round = 0
  let reopened: string[] = []
  let drafts: { questionId: string; comment: string }[] = []
  let issued: ReturnType<typeof issueInvitation>[] = []
  const sender = { kind: 'user' as const, id: actor.id, name: actor.name }
  const outcome = await changeUnderReview(assessmentId, actor, 'assessment.clarification-request', (assessment, review) => {
    drafts = draftClarifications(review, questionIds(assessment))
    if (drafts.length === 0) return { refuse: failure(400, 'review:errors.noDrafts') }
    round = review.clarifications.length + 1
    const alreadyOpen = assessment.status === 'clarification_requested' ? review.reopenedQuestions : []
    const questions = indexAssessment(scoringQuestionnaires(assessment)).questions.map((entry) => entry.question)
    reopened = withFollowUps([...alreadyOpen, ...drafts.map((draft) => draft.questionId)], questions)
    // The date the e-mail names is the assessment's due date from now on: the staff pages, the vendor
    // landing and the link's validity all read dueAt, so the vendor is told one date everywhere.
    const dueAt = respondBy
    // One fresh link per person who still holds one; expired links count, the clarification reopens the work.
    const holders = new Map<string, (typeof assessment.invitations)[number]>()
    for (const invitation of assessment.invitations) if (!invitation.revokedAt) holders.set(invitation.email, invitation)
    issued = [...holders.values()].map((old) =>
      issueInvitation({ id: old.contactId, name: old.name, email: old.email, locale: old.locale }, dueAt, 'reissue', sender, now),
    )
    const invitations = assessment.invitations.map((invitation) =>
      invitation.revokedAt ? invitation : { ...invitation, revokedAt: now, revokedReason: 'superseded', revokedBy: actorLabel(sender) },
    )
    const set: Record<string, unknown> = {
      status: 'clarification_requested',
      dueAt,
      invitations: [...invitations, ...issued.map((entry) => entry.invitation)],
      'review.reopenedQuestions': reopened,
      'review.clarificationMessage': clarificationMessage(input.message, drafts),
    }
    for (const draft of drafts) set[`review.answers.${draft.questionId}.round`] = round
    return {
      set,
      push: {
        'review.clarifications': {
          round,
          at: now,
          byUserId: actor.id,
          byName: actor.name,
          message: input.message ?? '',
          respondBy,
          questions: drafts,
          notified: issued.map((entry) => ({ email: entry.invitation.email, locale: entry.invitation.locale, freshLink: true })),
        },
      },
      audit: { round, questions: drafts.map((draft) => draft.questionId), respondBy, to: issued.map((entry) => entry.invitation.email) },
    }
  })
  if (!outcome.ok) return outcome.result
  await mailClarification({ assessment: outcome.assessment, round, drafts, message: input.message ?? '', respondBy, issued })
  if (outcome.started) await recomputeScore(assessmentId)
  return { ok: true, round, reopened, notified: issued.map((entry) => entry.invitation.email) }
}

/** The one message the vendor portal shows above the reopened questions. */
function clarificationMessage(message: string | undefined, drafts: { questionId: string; comment: string }[]): string {
  return [message ?? '', ...drafts.map((draft) => `${draft.questionId}: ${draft.comment}`)].filter(Boolean).join('\n')
}

/**
 * Compliance approves the assessment: it becomes completed and immutable with the score as it is
 * now, the findings are brought up to date with that score, the vendor's last-assessed date,
 * control score and residual risk are updated, and the reassessment clock starts.
 */
export async function signOff(
  assessmentId: string,
  raw: unknown,
  actor: SessionUser,
  now = new Date(),
): Promise<ReviewWriteResult | { ok: true; signedOffAt: Date; score: StoredScore; nextDueAt: Date | null }> {
  assertCan(actor, 'assessment:sign-off')
  const parsed = signOffSchema.safeParse(raw)
  if (!parsed.success) return failure(400, undefined, fieldErrorsOf(parsed.error))
  const input = parsed.data
  const assessment = await loadAssessment(assessmentId)
  if (!assessment) return NOT_FOUND()
  const status = assessment.status
  const readiness = await signOffReadiness(assessment, actor)
  // The state first (nothing else matters on a completed or unreviewed assessment), then the version.
  const [stateBlocker] = readiness.blockers.filter((blocker) => blocker === 'completed' || blocker === 'reviewNotStarted' || blocker === 'notSignable')
  if (stateBlocker) return failure(409, `review:errors.${stateBlocker}`)
  if ((assessment.version ?? 0) !== input.version || readiness.scoreHash !== input.scoreHash) return failure(409, 'review:errors.changedSinceConfirmation')
  if (readiness.blockers.includes('unsentDrafts')) return failure(409, 'review:errors.unsentDrafts')
  if (readiness.blockers.includes('undecidedClauses')) {
    return failure(409, `review:errors.undecidedClauses|${JSON.stringify({ count: readiness.undecided.length })}`)
  }
  if (readiness.blockers.includes('makerChecker')) return failure(403, `review:errors.makerChecker|${JSON.stringify({ tier: readiness.tier })}`)

  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const today = dayIn(now, timeZone)
  const earliest = assessment.submission?.at ? dayIn(assessment.submission.at, timeZone) : today
  if (input.date > today || input.date < earliest) return failure(400, undefined, { date: ['review:errors.signOffDate'] })
  const signedOffAt = input.date === today ? now : endOfDayIn(input.date, timeZone)

  const { context, result } = readiness
  const score: StoredScore = { ...result, computedAt: now, hash: readiness.scoreHash }
  // Findings first, from the very score being signed off; generating them again is harmless.
  await syncFindings({ assessment, score, context, now })

  const set: Record<string, unknown> = {
    status: 'completed',
    score,
    signOff: { byUserId: actor.id, byName: input.name, at: signedOffAt, comment: input.comment },
  }
  const signedOff = domainEvent('assessment.signed_off', { assessmentId: String(assessment._id), vendorId: String(assessment.vendorId), controlScore: score.score ?? null, residualRisk: score.residualRisk ?? null })
  if (!(await applySignOff({ _id: assessment._id, version: assessment.version, status }, withEvents({ $set: set, $inc: { version: 1 } }, signedOff)))) return CONFLICT()
  await publishEvents('assessments', assessment._id)
  await recordAudit({
    actor: auditActor(actor),
    action: 'assessment.sign-off',
    subject: { kind: 'assessment', id: String(assessment._id) },
    details: {
      name: input.name,
      at: signedOffAt,
      comment: input.comment,
      controlScore: score.score,
      residualRisk: score.residualRisk,
      confirmedScoreHash: input.scoreHash,
      makerCheckerTiers: readiness.makerCheckerTiers,
    },
  })
  const effects = await applySignOffEffects(String(assessment._id))
  return { ok: true, signedOffAt, score, nextDueAt: effects?.nextDueAt ?? null }
}

/**
 * The sign-off's effects outside the assessment: the vendor's summary (only if no later sign-off
 * has already written it) and the next reassessment date. Idempotent, so it can be repeated when
 * a crash interrupted it between the two writes.
 */
export async function applySignOffEffects(assessmentId: string): Promise<{ nextDueAt: Date | null } | null> {
  const assessment = await loadAssessment(assessmentId)
  if (!assessment || assessment.status !== 'completed' || !assessment.signOff?.at) return null
  const score = storedScoreOf(assessment)
  const signedOffAt = new Date(assessment.signOff.at)
  const summary: Record<string, unknown> = {
    'assessmentSummary.lastAssessedAt': signedOffAt,
    'assessmentSummary.lastAssessmentId': assessment._id,
    'assessmentSummary.residualRisk': score?.residualRisk,
  }
  const unset: Record<string, 1> = {}
  if (typeof score?.score === 'number') summary['assessmentSummary.controlScore'] = score.score
  else unset['assessmentSummary.controlScore'] = 1
  const recorded = await recordAssessmentSummary({ vendorId: assessment.vendorId, assessmentId: assessment._id, signedOffAt, set: summary, unset })
  if (!recorded) return { nextDueAt: null } // a later assessment already speaks for the vendor
  const next = await scheduleNextReassessment(String(assessment.vendorId), signedOffAt)
  return { nextDueAt: next?.nextDueAt ?? null }
}

/** Whether the vendor's summary still lacks this completed assessment (its effects were interrupted). */
export async function signOffEffectsMissing(assessment: AssessmentLean): Promise<boolean> {
  if (assessment.status !== 'completed' || !assessment.signOff?.at) return false
  const vendor = await findVendorFields(assessment.vendorId, 'summary')
  if (!vendor) return false
  const last = vendor.assessmentSummary?.lastAssessedAt
  return !last || new Date(last).getTime() < new Date(assessment.signOff.at).getTime()
}
