// Gathers what a report says about one assessment and hands it to the pure builder.
import { findVendor } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import { LOCALES, localized, type Locale } from '~/i18n/locales'
import { findQuestion } from '~/modules/assessments/questions'
import { listAssessmentFindings, type FindingView } from '~/modules/findings/findings.server'
import { defaultDueDate, deriveFindings, type FindingSpec } from '~/modules/findings/plan'
import { changesSinceLast } from '~/modules/review/changes.server'
import { computeScore, loadAssessment, scoringContext, storedScoreOf, type AssessmentLean, type ScoringContext } from '~/modules/review/score.server'
import { readReview } from '~/modules/review/state'
import type { ScoreResult } from '~/modules/scoring/types'
import type { Severity } from '~/modules/library/content-schema'
import { regionName, tierReasonText } from '~/modules/vendors/labels'
import { buildReportData } from './build-report-data'
import { REPORTABLE_STATUSES, type ReportData, type ReportFinding } from './report-data'

export type ReportDataResult =
  | { status: 'ok'; data: ReportData; vendorId: string }
  | { status: 'not_found' }
  | { status: 'not_reportable'; assessmentStatus: string }

export function isReportable(status: string): boolean {
  return (REPORTABLE_STATUSES as readonly string[]).includes(status)
}

/**
 * The report's data for an assessment, in one language. A signed-off assessment is reported with
 * the score that was signed off; an assessment still under review with the score its answers
 * and overrides give now (computed, not stored: downloading changes nothing).
 */
export async function loadReportData(assessmentId: string, locale: Locale): Promise<ReportDataResult> {
  const assessment = await loadAssessment(assessmentId)
  if (!assessment) return { status: 'not_found' }
  if (!isReportable(assessment.status)) return { status: 'not_reportable', assessmentStatus: assessment.status }

  const [vendor, context, vendorsT] = await Promise.all([
    findVendor(assessment.vendorId),
    scoringContext(assessment),
    translatorFor(locale, 'vendors'),
  ])
  const stored = storedScoreOf(assessment)
  const score = assessment.status === 'completed' && stored ? stored : computeScore(assessment, context)
  // The comparison the review page shows, set beside the score this report prints.
  const [findings, sinceLast] = await Promise.all([findingsOf(assessment, score, context, locale), changesSinceLast(assessment, locale, score)])
  const env = getEnv()
  const review = readReview(assessment.review)

  const data = buildReportData({
    locale,
    institution: { name: env.INSTITUTION_NAME, timeZone: env.INSTITUTION_TIMEZONE },
    assessment: { ...assessment, reviewStartedBy: review.startedBy?.name || null },
    vendor,
    questionnaires: context.questionnaires,
    score,
    findings,
    tierReasons: (vendor?.tier?.reasons ?? []).map((reason) => tierReasonText(vendorsT, reason, locale)),
    regionName: (code) => regionName(code, locale),
    sinceLast,
  })
  return { status: 'ok', data, vendorId: String(assessment.vendorId) }
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }
const bySeverityThenKey = (a: { severity: Severity; key: string }, b: { severity: Severity; key: string }) =>
  SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.key.localeCompare(b.key)

/**
 * The findings compliance manages (models/finding.ts) once the review has started. Before that,
 * none are stored yet, so the report lists the findings the score calls for, as the review would
 * create them (status open, default due dates counted from the submission).
 */
async function findingsOf(assessment: AssessmentLean, score: ScoreResult, context: ScoringContext, locale: Locale): Promise<ReportFinding[]> {
  const t = await translatorFor(locale, 'reports')
  const ownerText = (owner: string, name?: string) => name || t(`pdf.findings.ownerLabels.${owner}`, { defaultValue: owner })
  const stored = (await listAssessmentFindings(String(assessment._id), locale)).filter((finding) => !finding.resolvedByScore)
  if (stored.length || readReview(assessment.review).startedAt) {
    return [...stored].sort(bySeverityThenKey).map((finding: FindingView, index) => ({
      reference: reference(index),
      severity: finding.severity,
      title: finding.title,
      description: finding.description,
      remediation: localized(finding.remediation, locale),
      owner: ownerText(finding.owner, finding.ownerName),
      dueAt: finding.dueAt || undefined,
      status: finding.status,
      clauseIds: finding.source.clauseIds,
    }))
  }
  const translators = Object.fromEntries(await Promise.all(LOCALES.map(async (each) => [each, await translatorFor(each, 'findings')] as const)))
  const specs: FindingSpec[] = deriveFindings(score, {
    clauses: context.clauses,
    question: (questionId) => findQuestion(context.questionnaires, questionId),
    t: (each, key, params) => String(translators[each]!(key, params ?? {})),
  })
  const from = new Date(assessment.submission?.at ?? assessment.createdAt ?? 0)
  return [...specs].sort(bySeverityThenKey).map((spec, index) => ({
    reference: reference(index),
    severity: spec.severity,
    title: localized(spec.title, locale),
    description: localized(spec.description, locale),
    remediation: localized(spec.remediation, locale),
    owner: ownerText(spec.owner),
    dueAt: defaultDueDate(spec.severity, from).toISOString(),
    status: 'open',
    clauseIds: spec.source.clauseIds,
  }))
}

const reference = (index: number) => `F-${String(index + 1).padStart(2, '0')}`
