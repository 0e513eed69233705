// Everything the review page shows, as plain JSON-safe values in the reader's language: the score
// and how it was computed, every clause with the answers that produced its status, every answer
// with its evidence and the clauses it bears on, the review decisions, and the findings.
import { isExpired } from '~/modules/documents/documents'
import { getEnv } from '~/env.server'
import { localized, type Locale } from '~/i18n/locales'
import { can } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { dayIn } from '~/modules/dates/dates'
import type { VendorSnapshot } from '~/modules/assessments/snapshot'
import type { AnswerValue, AssessmentStatus } from '~/modules/assessments/vocabulary'
import { listAssessmentFindings } from '~/modules/findings/findings.server'
import type { Clause, ClauseEffect, Severity } from '~/modules/library/content-schema'
import { chosenOptions, indexAssessment, isAnswered } from '~/modules/scoring/question-index'
import { SCORE_BAND_IDS } from '~/modules/scoring/settings'
import type { ClauseStatus } from '~/modules/scoring/types'
import { resolveVisibility } from '~/modules/scoring/visibility'
import { applySignOffEffects, signOffEffectsMissing } from './review.server'
import { changesSinceLast } from './changes.server'
import { answersOf, scoreForReading, scoringContext, type ScoringContext, type StoredScore } from './score.server'
import { signOffReadiness } from './sign-off.server'
import { clauseDecisions, decisionState, draftClarifications, readReview, REVIEWABLE, SIGNABLE, type DecisionState } from './state'
import { isoOrNull } from '~/modules/dates/dates'

/** Days the vendor gets, by default, to answer a clarification request. */
export const CLARIFICATION_DAYS = 10


export function evidenceUrl(assessmentId: string, fileId: string) {
  return `/assessments/${assessmentId}/evidence/${fileId}`
}

function displayValue(
  value: AnswerValue | undefined,
  options: readonly { id: string; label: { 'zh-CN': string; en: string } }[] | undefined,
  locale: Locale,
): string[] {
  if (value === null || value === undefined || value === '') return []
  if (options?.length) {
    const ids = Array.isArray(value) ? value : [String(value)]
    return ids.map((id) => localized(options.find((option) => option.id === id)?.label, locale) || String(id))
  }
  return [Array.isArray(value) ? value.join(', ') : String(value)]
}

type ClauseResults = StoredScore['clauses']

/** Look-ups the view's parts share: question positions, clauses by id, titles in the reader's language. */
function readingOf(context: ScoringContext, locale: Locale) {
  const { questions, byId } = indexAssessment(context.questionnaires)
  const clauseById = new Map<string, Clause>(context.clauses.map((clause) => [clause.id, clause]))
  const clauseTitle = (id: string) => localized(clauseById.get(id)?.title, locale) || id
  const questionText = (id: string) => {
    const position = byId.get(id)
    return position === undefined ? id : localized(questions[position].question.text, locale)
  }
  return { questions, byId, clauseById, clauseTitle, questionText }
}

/** Clause results as the review shows them: status, the reviewer's decision and override, and the answers behind each. */
function clauseViews(results: ClauseResults, review: ReturnType<typeof readReview>, answers: ReturnType<typeof answersOf>, reading: ReturnType<typeof readingOf>, locale: Locale) {
  const { questions, byId, clauseById, clauseTitle, questionText } = reading
  const revs = Object.fromEntries(Object.entries(answers).map(([id, answer]) => [id, answer?.rev ?? 0]))
  const decided = new Map(clauseDecisions(results, review, revs).map((entry) => [entry.clauseId, entry]))
  return results.map((result) => {
    const clause = clauseById.get(result.clauseId)
    return {
      decision: decided.get(result.clauseId)?.state ?? 'undecided',
      pending: decided.get(result.clauseId)?.pending ?? [],
      id: result.clauseId,
      title: clauseTitle(result.clauseId),
      text: localized(clause?.text, locale),
      sources: clause?.sources ?? [],
      severity: result.severity as Severity,
      knockOut: result.knockOut,
      weight: result.weight,
      computed: result.computed as ClauseStatus,
      status: result.status as ClauseStatus,
      credit: result.credit,
      override: review.clauseOverrides[result.clauseId]
        ? {
            status: review.clauseOverrides[result.clauseId].status,
            justification: review.clauseOverrides[result.clauseId].justification,
            byName: review.clauseOverrides[result.clauseId].byName,
            at: isoOrNull(review.clauseOverrides[result.clauseId].at)!,
          }
        : null,
      history: review.overrideHistory
        .filter((event) => event.clauseId === result.clauseId)
        .map((event) => ({ status: event.status, previous: event.previous, justification: event.justification, byName: event.byName, at: isoOrNull(event.at)! })),
      contributions: result.contributions.map((contribution) => {
        const position = byId.get(contribution.questionId)
        const options = position === undefined ? undefined : questions[position].question.options
        return {
          questionId: contribution.questionId,
          question: questionText(contribution.questionId),
          answer: displayValue(contribution.optionIds, options, locale),
          effect: contribution.effect as ClauseEffect,
          decisive: contribution.decisive,
        }
      }),
    }
  })
}

export async function getReviewView(assessmentId: string, locale: Locale, user: SessionUser) {
  // Reads only, unless the stored score is stale (see scoreForReading).
  const scored = await scoreForReading(assessmentId)
  if (scored.status === 'not_found') return null
  const { assessment } = scored
  const score = scored.score
  const [effectsMissing, context] = await Promise.all([signOffEffectsMissing(assessment), 'context' in scored && scored.context ? scored.context : scoringContext(assessment)])
  if (effectsMissing) await applySignOffEffects(assessmentId)

  const review = readReview(assessment.review)
  const answers = answersOf(assessment)
  const reading = readingOf(context, locale)
  const { questions, byId, clauseById, clauseTitle, questionText } = reading
  const visible = resolveVisibility(questions, byId, answers)
  const status = assessment.status as AssessmentStatus
  const env = getEnv()
  const reviewable = REVIEWABLE.includes(status)
  const order = questions.map((entry) => entry.question.id)
  const clauses = clauseViews(score?.clauses ?? [], review, answers, reading, locale)

  const gapByQuestion = new Map<string, string[]>()
  for (const gap of score?.gaps ?? []) {
    if (gap.kind === 'low_coverage') continue
    gapByQuestion.set(gap.questionId, [...(gapByQuestion.get(gap.questionId) ?? []), gap.kind])
  }

  const questionnaires = context.questionnaires.map((questionnaire) => ({
    id: questionnaire.id,
    version: questionnaire.version,
    title: localized(questionnaire.title, locale),
    sections: questionnaire.sections.map((section) => ({
      id: section.id,
      title: localized(section.title, locale),
      questions: section.questions.map((question) => {
        const position = byId.get(question.id)
        const entry = position === undefined ? undefined : questions[position]
        const answer = answers[question.id] as
          | {
              value?: AnswerValue
              comment?: string | null
              evidence?: { fileId: string; filename: string; size: number; contentType: string; kind?: string | null; expiresOn?: string | null }[]
              rev?: number
              updatedAt?: Date
              updatedBy?: string
            }
          | undefined
        const chosen = entry && entry.isChoice ? chosenOptions(entry, answer?.value ?? undefined) : []
        const effects = entry
          ? chosen.flatMap((p) =>
              entry.options[p].effects.map((effect) => ({
                clauseId: effect.clause,
                title: clauseTitle(effect.clause),
                effect: effect.effect as ClauseEffect,
                inContract: clauseById.has(effect.clause),
              })),
            )
          : []
        const decision = review.answers[question.id]
        return {
          id: question.id,
          text: localized(question.text, locale),
          kind: question.kind,
          required: question.required,
          visible: position === undefined ? false : visible[position] === 1,
          answered: entry ? isAnswered(entry, answer) : false,
          answer: displayValue(answer?.value ?? undefined, question.options, locale),
          comment: answer?.comment ?? null,
          evidence: (answer?.evidence ?? []).map((file) => ({
            fileId: file.fileId,
            filename: file.filename,
            size: file.size,
            url: evidenceUrl(assessmentId, file.fileId),
            kind: file.kind ?? null,
            expiresOn: file.expiresOn ?? null,
            // Judged on the same day as the score: an expired file no longer counts as evidence.
            expired: isExpired(file, dayIn(new Date(), env.INSTITUTION_TIMEZONE)),
          })),
          rev: answer?.rev ?? 0,
          updatedAt: isoOrNull(answer?.updatedAt),
          updatedBy: answer?.updatedBy ?? null,
          // Clauses this question can bear on (any option), and what the chosen answer says about each.
          bearsOn: (entry?.clauseIds ?? []).filter((id) => clauseById.has(id)).map((id) => ({ clauseId: id, title: clauseTitle(id) })),
          effects,
          gaps: gapByQuestion.get(question.id) ?? [],
          reopened: status === 'clarification_requested' && review.reopenedQuestions.includes(question.id),
          decisionState: decisionState(decision, answer?.rev) as DecisionState,
          decision: decision
            ? { decision: decision.decision, comment: decision.comment, byName: decision.byName, at: isoOrNull(decision.at)!, round: decision.round ?? null }
            : null,
        }
      }),
    })),
  }))

  const tier = score?.inherentTier ?? context.tier
  const settings = score?.settings
  // Independent reads, sent together.
  const [findings, readiness, sinceLast] = await Promise.all([
    listAssessmentFindings(assessmentId, locale),
    can(user.role, 'assessment:sign-off') && status !== 'completed' ? signOffReadiness(assessment, user) : null,
    // The vendor's previous signed-off assessment beside this one (null for a first assessment).
    changesSinceLast(assessment, locale),
  ])
  const now = new Date()
  const today = dayIn(now, env.INSTITUTION_TIMEZONE)
  const vendor = assessment.vendorSnapshot as VendorSnapshot

  return {
    assessment: {
      id: assessmentId,
      status,
      version: assessment.version ?? 0,
      vendorId: String(assessment.vendorId),
      vendorName: localized(vendor?.legalName, locale) || '—',
      dueAt: isoOrNull(assessment.dueAt)!,
      contractReference: assessment.contract?.reference ?? null,
      submission: assessment.submission?.at
        ? {
            at: isoOrNull(assessment.submission.at)!,
            name: assessment.submission.name ?? '',
            title: assessment.submission.title ?? '',
            count: (assessment.submission as { count?: number }).count ?? 1,
          }
        : null,
      signOff: assessment.signOff?.at
        ? { byName: assessment.signOff.byName ?? '', at: isoOrNull(assessment.signOff.at)!, comment: assessment.signOff.comment ?? '' }
        : null,
      reviewStartedAt: isoOrNull(review.startedAt),
      reviewStartedBy: review.startedBy?.name ?? null,
    },
    score: score
      ? {
          value: score.score,
          scoreStatus: score.scoreStatus,
          band: score.band,
          earned: score.weights.earned,
          possible: score.weights.possible,
          tier,
          matrixRisk: score.matrixRisk,
          residualRisk: score.residualRisk,
          cappedByKnockOut: score.cappedByKnockOut,
          knockOutsFailed: score.knockOutsFailed.map((id) => ({ id, title: clauseTitle(id) })),
          knockOutFloor: settings?.knockOutFloor ?? null,
          counts: score.counts,
          computedAt: isoOrNull(score.computedAt),
          severityWeights: settings?.severityWeights ?? null,
          bandMinimums: settings?.riskMatrix.bandMinimums ?? null,
          tierRow: settings ? SCORE_BAND_IDS.map((band, i) => ({ band, min: settings.riskMatrix.bandMinimums[band], risk: settings.riskMatrix.rows[tier][i] })) : [],
          gaps: score.gaps.map((gap) =>
            gap.kind === 'low_coverage'
              ? { kind: gap.kind, questionId: null, severity: gap.severity, clauseIds: gap.clauseIds, share: gap.share, threshold: gap.threshold }
              : {
                  kind: gap.kind,
                  questionId: gap.questionId,
                  severity: gap.severity,
                  clauseIds: gap.clauseIds,
                  share: null,
                  threshold: null,
                  // Why the evidence is missing when files are attached: they expired.
                  expiredOn: gap.kind === 'missing_evidence' ? ((gap.expired ?? []).map((file) => file.expiresOn).sort().at(-1) ?? null) : null,
                },
          ),
          ignoredHiddenAnswers: score.ignoredHiddenAnswers,
        }
      : null,
    clauses,
    questionnaires,
    clarifications: review.clarifications.map((round) => ({
      round: round.round,
      at: isoOrNull(round.at)!,
      byName: round.byName,
      questions: round.questions.map((question) => ({ ...question, text: questionText(question.questionId) })),
      notified: round.notified.map((contact) => contact.email),
    })),
    drafts: draftClarifications(review, order).map((draft) => ({ ...draft, text: questionText(draft.questionId) })),
    findings,
    sinceLast,
    permissions: {
      review: can(user.role, 'assessment:review') && reviewable,
      signOff: can(user.role, 'assessment:sign-off') && SIGNABLE.includes(status),
    },
    signOffReadiness: readiness ? { blockers: readiness.blockers, undecided: readiness.undecided.map((entry) => entry.clauseId), tier: readiness.tier, scoreHash: readiness.scoreHash } : null,
    defaults: {
      today,
      earliestSignOff: assessment.submission?.at ? dayIn(assessment.submission.at, env.INSTITUTION_TIMEZONE) : today,
      respondBy: dayIn(new Date(now.getTime() + CLARIFICATION_DAYS * 86_400_000), env.INSTITUTION_TIMEZONE),
      signerName: user.name,
    },
    timeZone: env.INSTITUTION_TIMEZONE,
  }
}

export type ReviewView = NonNullable<Awaited<ReturnType<typeof getReviewView>>>

type ClauseView = ReviewView['clauses'][number]

/** A clause's body on the review page: its text, the answers that decided it, its override history. */
export function clauseDetailOf(clause: ClauseView) {
  return { id: clause.id, text: clause.text, sources: clause.sources, contributions: clause.contributions, history: clause.history }
}
export type ClauseDetail = ReturnType<typeof clauseDetailOf>
/** What …/review/clauses/<id> answers: null when the clause is no longer in the score. */
export type ClauseDetailResponse = { clause: ClauseDetail | null }

/**
 * One clause's body, for the review page's clause that was just opened: the score and its context
 * only (none of the page's other reads, findings, readiness, the last assessment). Null when there
 * is no such assessment.
 */
export async function getClauseDetail(assessmentId: string, clauseId: string, locale: Locale): Promise<ClauseDetailResponse | null> {
  const scored = await scoreForReading(assessmentId)
  if (scored.status === 'not_found') return null
  const context = scored.context ?? (await scoringContext(scored.assessment))
  const results = (scored.score?.clauses ?? []).filter((result) => result.clauseId === clauseId)
  const [clause] = clauseViews(results, readReview(scored.assessment.review), answersOf(scored.assessment), readingOf(context, locale), locale)
  return { clause: clause ? clauseDetailOf(clause) : null }
}

/**
 * What the review page sends the browser: everything it shows closed, and the body of the one
 * clause the address opens (?open=clause-<id>, the no-script way in). Other clause bodies are
 * fetched when opened (…/review/clauses/<id>), findings come as their table rows, and questions the
 * vendor never saw are left out. The page's data travels twice — as HTML and as the script that
 * hydrates it — so every kilobyte here is paid for on each load (decision 054).
 */
export function reviewPageOf(view: ReviewView, openClauseId: string | null) {
  const { clauses, findings, questionnaires, ...rest } = view
  const opened = openClauseId ? clauses.find((clause) => clause.id === openClauseId) : undefined
  return {
    ...rest,
    clauses: clauses.map(({ text: _text, sources: _sources, contributions, history: _history, ...summary }) => ({ ...summary, answerCount: contributions.length })),
    openedClause: opened ? clauseDetailOf(opened) : null,
    findings: findings.map(({ id, title, severity, owner, dueAt, overdue, status }) => ({ id, title, severity, owner, dueAt, overdue, status })),
    questionnaires: questionnaires.map((questionnaire) => ({
      ...questionnaire,
      sections: questionnaire.sections.map((section) => ({
        ...section,
        questions: section.questions
          .filter((question) => question.visible || question.reopened)
          .map(({ kind: _kind, bearsOn, ...question }) => ({ ...question, bearsOn: bearsOn.map((clause) => clause.clauseId) })),
      })),
    })),
  }
}
export type ReviewPageView = ReturnType<typeof reviewPageOf>
