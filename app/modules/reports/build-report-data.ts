// From a real assessment to ReportData. Pure: report-source.server.ts gathers the inputs (the
// assessment, the vendor, the pinned questionnaires, the score, the findings) and the texts that
// need translation; this file only selects and arranges them.
import { localized, type Locale } from '~/i18n/locales'
import { answerText } from '~/modules/assessments/answer-text'
import { sectionsOf, visibleQuestionIds } from '~/modules/assessments/questions'
import type { Clause, Question, Questionnaire } from '~/modules/library/content-schema'
import type { ClauseStatus as EngineClauseStatus, ScoreResult } from '~/modules/scoring/types'
import type { ResidualRisk } from '~/modules/vendors/vocabulary'
import { readReview } from '~/modules/review/state'
import type { AssessmentRecord } from '~/modules/assessments/assessment-store.server'
import type { StoredVendor } from '~/modules/vendors/vendor-store.server'
import type { ChangesSinceLast } from '~/modules/review/changes.server'
import {
  REPORT_SCHEMA_VERSION,
  type ClauseStatus,
  type ReportClarification,
  type ReportClause,
  type ReportDecision,
  type ReportData,
  type ReportFinding,
  type ReportSection,
  type ReportSinceLast,
  type ReportVendor,
} from './report-data'

type DateLike = Date | string | number | null | undefined

/** The parts of the stored assessment the report reads, and who started the review. */
export type AssessmentForReport = Pick<
  AssessmentRecord,
  '_id' | 'status' | 'createdAt' | 'dueAt' | 'questionnaires' | 'contract' | 'createdBy' | 'invitations' | 'answers' | 'review' | 'submission' | 'signOff' | 'vendorSnapshot'
> & { reviewStartedBy?: string | null }

/** The parts of the stored vendor the report reads. */
export type VendorForReport = Pick<StoredVendor, '_id' | 'legalName' | 'creditCode' | 'category' | 'services' | 'effectiveTier' | 'tier' | 'dataProfile'>

export interface ReportSource {
  locale: Locale
  institution: { name: string; timeZone: string }
  assessment: AssessmentForReport
  vendor: VendorForReport | null // null when the vendor record is gone: the snapshot stands in
  questionnaires: Questionnaire[] // at the assessment's pinned versions
  score: ScoreResult
  findings: ReportFinding[]
  tierReasons: string[] // already in the report's language
  regionName: (code: string) => string
  /** The review's comparison with the previous signed-off assessment (changes.server.ts); null: the first one. */
  sinceLast: ChangesSinceLast | null
}

const iso = (value: DateLike): string | undefined => {
  if (value === null || value === undefined || value === '') return undefined
  const date = value instanceof Date ? value : new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

const STATUS_OF: Record<EngineClauseStatus, ClauseStatus> = {
  meets: 'met',
  partial: 'partial',
  fails: 'failed',
  not_assessed: 'not_assessed',
  not_applicable: 'not_applicable',
}

function optionLabels(question: Question | undefined, optionIds: readonly string[], locale: Locale): string {
  return optionIds.map((id) => localized(question?.options?.find((option) => option.id === id)?.label, locale) || id).join(locale === 'en' ? ', ' : '、')
}

export function buildReportData(source: ReportSource): ReportData {
  const { locale, assessment, score, questionnaires } = source
  const questionById = new Map<string, Question>()
  for (const questionnaire of questionnaires) for (const section of questionnaire.sections) for (const question of section.questions) questionById.set(question.id, question)
  const clauseById = new Map(((assessment.contract?.clauses ?? []) as Clause[]).map((clause) => [clause.id, clause]))

  const clauses: ReportClause[] = score.clauses.map((result) => {
    const clause = clauseById.get(result.clauseId)
    return {
      id: result.clauseId,
      title: localized(clause?.title, locale) || result.clauseId,
      severity: result.severity,
      knockOut: result.knockOut,
      status: STATUS_OF[result.status],
      override: result.override
        ? { from: STATUS_OF[result.computed], justification: result.override.justification, byName: result.override.byName || undefined, at: iso(result.override.at) }
        : undefined,
      decidingAnswers: result.contributions
        .filter((contribution) => contribution.decisive)
        .map((contribution) => {
          const question = questionById.get(contribution.questionId)
          return {
            questionId: contribution.questionId,
            question: localized(question?.text, locale) || contribution.questionId,
            answer: optionLabels(question, contribution.optionIds, locale),
          }
        }),
    }
  })

  const counts = {
    met: score.counts.meets,
    partial: score.counts.partial,
    failed: score.counts.fails,
    not_assessed: score.counts.not_assessed,
    not_applicable: score.counts.not_applicable,
  }

  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    locale,
    institution: source.institution,
    vendor: vendorOf(source),
    assessment: {
      id: String(assessment._id),
      status: assessment.status,
      sentAt: iso(firstSentAt(assessment)) ?? iso(assessment.createdAt) ?? '',
      dueAt: iso(assessment.dueAt) ?? '',
      submittedAt: iso(assessment.submission?.at),
      submittedBy: [assessment.submission?.name, assessment.submission?.title].filter(Boolean).join(locale === 'en' ? ', ' : '，') || undefined,
      signedOffAt: assessment.status === 'completed' ? iso(assessment.signOff?.at) : undefined,
      questionnaires: sectionsOrder(questionnaires).map((questionnaire) => ({ id: questionnaire.id, version: questionnaire.version, title: localized(questionnaire.title, locale) })),
      contractReference: assessment.contract?.reference || undefined,
      preparedBy: assessment.signOff?.byName || assessment.reviewStartedBy || assessment.createdBy?.name || '—',
    },
    score: {
      controlScore: score.score,
      residualRisk: score.residualRisk as ResidualRisk,
      counts,
      knockOuts: score.knockOutsFailed.map((clauseId) => ({ clauseId, title: localized(clauseById.get(clauseId)?.title, locale) || clauseId })),
      capped: score.cappedByKnockOut || score.knockOutsFailed.length > 0,
    },
    clauses,
    findings: source.findings,
    sections: sectionsOfAssessment(assessment, questionnaires, locale),
    ...reviewHistoryOf(assessment, questionById, locale),
    sinceLast: sinceLastOf(source.sinceLast, clauseById, locale),
    signOff:
      assessment.status === 'completed' && assessment.signOff?.at
        ? { byName: assessment.signOff.byName || '—', at: iso(assessment.signOff.at)!, comment: assessment.signOff.comment || undefined }
        : null,
  }
}

/**
 * The clarification rounds (requests, the vendor's replies, dates) and the reviewer's decision
 * comments. A reply is the answer as it stands, when the vendor changed it after the request.
 */
function reviewHistoryOf(
  assessment: AssessmentForReport,
  questionById: Map<string, Question>,
  locale: Locale,
): { clarifications: ReportClarification[]; decisions: ReportDecision[] } {
  const review = readReview(assessment.review)
  const answers = assessment.answers ?? {}
  const questionText = (id: string) => localized(questionById.get(id)?.text, locale) || id
  const clarifications = review.clarifications.map((round, index) => {
    const next = review.clarifications[index + 1]
    return {
      round: round.round,
      requestedAt: iso(round.at) ?? '',
      byName: round.byName || '—',
      respondBy: iso(round.respondBy),
      message: round.message || undefined,
      questions: round.questions.map((entry) => {
        const answer = Object.prototype.hasOwnProperty.call(answers, entry.questionId) ? answers[entry.questionId] : undefined
        const repliedAt = iso(answer?.updatedAt)
        // Changed after this request (and, for an earlier round, before the next one asked again).
        const replied = repliedAt && repliedAt > (iso(round.at) ?? '') && (!next || !next.questions.some((q) => q.questionId === entry.questionId) || repliedAt < (iso(next.at) ?? ''))
        const question = questionById.get(entry.questionId)
        return {
          questionId: entry.questionId,
          question: questionText(entry.questionId),
          comment: entry.comment,
          ...(replied && question
            ? { reply: answerText(question, answer?.value, locale), replyComment: answer?.comment?.trim() || undefined, repliedAt }
            : {}),
        }
      }),
    }
  })
  const order = new Map([...questionById.keys()].map((id, i) => [id, i]))
  const decisions = Object.entries(review.answers)
    .filter(([, decision]) => decision.decision === 'accepted' && decision.comment.trim())
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity))
    .map(([questionId, decision]) => ({
      questionId,
      question: questionText(questionId),
      decision: decision.decision,
      comment: decision.comment.trim(),
      byName: decision.byName || '—',
      at: iso(decision.at) ?? '',
    }))
  return { clarifications, decisions }
}

/** The review's comparison as the report prints it: answer values as text, clause results in the report's words. */
export function sinceLastOf(changes: ChangesSinceLast | null, clauseById: ReadonlyMap<string, Clause>, locale: Locale): ReportSinceLast | null {
  if (!changes) return null
  const separator = locale === 'en' ? ', ' : '、'
  const status = (value: string | null): ClauseStatus | null => (value === null ? null : (STATUS_OF[value as EngineClauseStatus] ?? 'not_assessed'))
  const views = Object.values(changes.answers)
  return {
    previousAssessmentId: changes.previous.assessmentId,
    previousCompletedAt: changes.previous.completedAt,
    score: changes.score,
    residualRisk: changes.residualRisk as ReportSinceLast['residualRisk'],
    answers: views.flatMap((view) =>
      view.change === 'unchanged'
        ? []
        : [{ questionId: view.questionId, question: view.text, change: view.change, before: view.previous.join(separator), after: view.current.join(separator) }],
    ),
    unchangedAnswers: views.filter((view) => view.change === 'unchanged').length,
    clauses: changes.clauses.map((entry) => ({
      clauseId: entry.clauseId,
      title: localized(clauseById.get(entry.clauseId)?.title, locale) || entry.title,
      before: status(entry.before),
      after: status(entry.after),
    })),
  }
}

function firstSentAt(assessment: AssessmentForReport): DateLike {
  const sent = (assessment.invitations ?? [])
    .map((invitation) => iso(invitation.sentAt))
    .filter((value): value is string => Boolean(value))
    .sort()
  return sent[0]
}

function sectionsOrder(questionnaires: Questionnaire[]): Questionnaire[] {
  const seen = new Set<Questionnaire>()
  return sectionsOf(questionnaires)
    .map((entry) => entry.questionnaire)
    .filter((questionnaire) => (seen.has(questionnaire) ? false : (seen.add(questionnaire), true)))
}

/** Every question the vendor was shown, section by section, with what they submitted. */
function sectionsOfAssessment(assessment: AssessmentForReport, questionnaires: Questionnaire[], locale: Locale): ReportSection[] {
  const answers = assessment.answers ?? {}
  const visible = visibleQuestionIds(questionnaires, answers)
  const sections: ReportSection[] = []
  for (const { questionnaire, section } of sectionsOf(questionnaires)) {
    const questions = section.questions
      .filter((question) => visible.has(question.id))
      .map((question) => {
        const answer = Object.prototype.hasOwnProperty.call(answers, question.id) ? answers[question.id] : undefined
        return {
          id: question.id,
          text: localized(question.text, locale),
          answer: answerText(question, answer?.value, locale),
          comment: answer?.comment?.trim() || undefined,
          evidence: (answer?.evidence ?? []).map((file) => file.filename),
        }
      })
    if (!questions.length) continue
    sections.push({
      questionnaire: `${localized(questionnaire.title, locale)} (v${questionnaire.version})`,
      title: localized(section.title, locale),
      questions,
    })
  }
  return sections
}

function vendorOf(source: ReportSource): ReportVendor {
  const { vendor, assessment, regionName } = source
  const snapshot = assessment.vendorSnapshot ?? {}
  const name = vendor?.legalName ?? snapshot.legalName ?? {}
  const profile: Partial<VendorForReport['dataProfile']> = vendor?.dataProfile ?? {}
  const effective = vendor?.effectiveTier ?? snapshot.effectiveTier ?? source.score.inherentTier
  const override = vendor?.tier?.override
  return {
    id: String(vendor?._id ?? ''),
    name: { 'zh-CN': name['zh-CN'] || name.en || '', en: name.en || name['zh-CN'] || '' },
    creditCode: vendor?.creditCode || snapshot.creditCode || undefined,
    category: vendor?.category || snapshot.category || 'other',
    services: vendor?.services || snapshot.services || undefined,
    tier: {
      effective,
      computed: vendor?.tier?.computed ?? effective,
      reasons: source.tierReasons,
      override: override?.tier
        ? { tier: override.tier, justification: override.justification ?? '', byName: override.byName || undefined, at: iso(override.at) }
        : undefined,
    },
    dataProfile: {
      piCategories: [...(profile.piCategories ?? [])],
      sensitivity: profile.sensitivity ?? 'C1',
      recordCount: profile.recordCount ?? 0,
      crossBorder: Boolean(profile.crossBorder),
      crossBorderDestinations: (profile.crossBorderDestinations ?? []).map(regionName),
      usesSubProcessors: Boolean(profile.usesSubProcessors),
      subProcessors: (profile.subProcessors ?? []).map((sub) => ({
        name: sub.name ?? '',
        country: sub.country ? regionName(sub.country) : undefined,
        service: sub.service || undefined,
      })),
      transferMethods: [...(profile.transferMethods ?? [])],
      legalBasis: profile.legalBasis || undefined,
      consentOnRecord: Boolean(profile.consentOnRecord),
      serviceCriticality: profile.serviceCriticality ?? 'standard',
    },
  }
}
