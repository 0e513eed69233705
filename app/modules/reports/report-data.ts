// What a PDF assessment report says, as plain data. Pure: built from an assessment by
// build-report-data.server.ts, rendered by render.server.ts, fingerprinted by fingerprint.server.ts.
// Everything is already in the report's language except codes from fixed vocabularies, which the
// renderer translates; dates are ISO strings so the same report always serialises the same way.
import type { Locale } from '~/i18n/locales'
import type { Severity } from '~/modules/library/content-schema'
import type { ResidualRisk } from '~/modules/vendors/vocabulary'

export const REPORT_SCHEMA_VERSION = 3 // 2: clarification history and reviewer decisions; 3: changes since the last assessment

/** A clause's result in the report (reviewer overrides already applied). */
export const CLAUSE_STATUSES = ['met', 'partial', 'failed', 'not_assessed', 'not_applicable'] as const
export type ClauseStatus = (typeof CLAUSE_STATUSES)[number]

/** Assessment statuses for which a report can be produced: the vendor has submitted at least once (assessments/lifecycle.ts). */
export { REPORTABLE_STATUSES } from '~/modules/assessments/lifecycle'

export interface ReportVendor {
  id: string
  name: { 'zh-CN': string; en: string }
  creditCode?: string
  category: string // VENDOR_CATEGORIES code
  services?: string
  tier: {
    effective: number // 1 critical … 4 low
    computed: number
    reasons: string[] // why, in the report's language
    override?: { tier: number; justification: string; byName?: string; at?: string }
  }
  dataProfile: {
    piCategories: string[] // PI_CATEGORIES codes
    sensitivity: string // C3 | C2 | C1
    recordCount: number
    crossBorder: boolean
    crossBorderDestinations: string[]
    usesSubProcessors: boolean
    subProcessors: { name: string; country?: string; service?: string }[]
    transferMethods: string[] // TRANSFER_METHODS codes
    legalBasis?: string // LEGAL_BASES code
    consentOnRecord: boolean
    serviceCriticality: string // SERVICE_CRITICALITY code
  }
}

export interface ReportAssessment {
  id: string
  status: string // ASSESSMENT_STATUSES code
  sentAt: string
  dueAt: string
  submittedAt?: string
  submittedBy?: string // name and title of the vendor's attesting person
  signedOffAt?: string
  questionnaires: { id: string; version: number; title: string }[]
  contractReference?: string
  preparedBy: string
}

export interface ReportScore {
  controlScore: number | null // 0–100; null when nothing could be scored yet
  residualRisk: ResidualRisk | null
  counts: Record<ClauseStatus, number>
  knockOuts: { clauseId: string; title: string }[] // knock-out clauses failed: they cap the rating
  capped: boolean
}

export interface DecidingAnswer {
  questionId: string
  question: string
  answer: string
}

export interface ReportClause {
  id: string
  title: string
  severity: Severity
  knockOut: boolean
  status: ClauseStatus
  override?: { from: ClauseStatus; justification: string; byName?: string; at?: string }
  decidingAnswers: DecidingAnswer[]
}

export interface ReportFinding {
  reference: string // e.g. F-01
  severity: Severity
  title: string
  description: string
  remediation: string
  owner?: string
  dueAt?: string
  status: string // finding status code (open, in_progress, resolved, accepted, …)
  clauseIds: string[]
}

export interface ReportQuestion {
  id: string
  text: string
  answer: string // '' when unanswered
  comment?: string
  evidence: string[] // file names
}

export interface ReportSection {
  questionnaire: string // questionnaire title and version
  title: string
  questions: ReportQuestion[]
}

/** One clarification round: what compliance asked, and what the vendor answered since. */
export interface ReportClarification {
  round: number
  requestedAt: string
  byName: string
  respondBy?: string
  message?: string
  questions: {
    questionId: string
    question: string
    comment: string // the reviewer's request
    reply?: string // the vendor's answer now, when changed after the request
    replyComment?: string
    repliedAt?: string
  }[]
}

/** A reviewer's decision on one answer that carries a comment (clarification requests are in the history). */
export interface ReportDecision {
  questionId: string
  question: string
  decision: 'accepted' | 'clarification'
  comment: string
  byName: string
  at: string
}

/** What changed since the vendor's previous signed-off assessment (app/modules/review/diff.ts compares). */
export interface ReportSinceLast {
  previousAssessmentId: string
  previousCompletedAt: string // its sign-off
  score: { before: number | null; after: number | null; delta: number | null }
  residualRisk: { before: ResidualRisk | null; after: ResidualRisk | null; movement: 'better' | 'worse' | 'same' | null }
  /** Answers that differ, in questionnaire order; '' on a side that had no answer. */
  answers: { questionId: string; question: string; change: 'changed' | 'new' | 'removed'; before: string; after: string }[]
  unchangedAnswers: number
  /** Clauses whose result differs; null on the side whose contract did not have the clause. */
  clauses: { clauseId: string; title: string; before: ClauseStatus | null; after: ClauseStatus | null }[]
}

export interface ReportData {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  locale: Locale
  institution: { name: string; timeZone: string }
  vendor: ReportVendor
  assessment: ReportAssessment
  score: ReportScore
  clauses: ReportClause[]
  findings: ReportFinding[]
  sections: ReportSection[]
  clarifications: ReportClarification[]
  decisions: ReportDecision[]
  sinceLast: ReportSinceLast | null // null: the vendor's first assessment, nothing to compare with
  signOff: { byName: string; at: string; comment?: string } | null
}

/**
 * JSON with object keys sorted and `undefined` dropped, so equal data always gives the same
 * bytes whatever order its properties were built in. Arrays keep their order (it is content).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null'
    return JSON.stringify(value) ?? 'null'
  }
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
}

/** A printed report identifier: the assessment and the first characters of the fingerprint. */
export function reportIdOf(assessmentId: string, fingerprint: string): string {
  return `CW-${assessmentId.slice(-6).toUpperCase()}-${fingerprint.slice(0, 8).toUpperCase()}`
}

/** The fingerprint as printed: sixteen groups of four hex digits. */
export function formatFingerprint(fingerprint: string): string {
  return fingerprint.match(/.{1,4}/g)?.join(' ') ?? fingerprint
}

/** Accepts a fingerprint as typed from a printed page: any case, spaces, dashes or line breaks. */
export function normalizeFingerprint(input: string): string | null {
  const compact = input.replace(/[\s\-:]/g, '').toLowerCase()
  return /^[0-9a-f]{64}$/.test(compact) ? compact : null
}

/** Characters of the fingerprint in the short verification code printed in every page's footer. */
export const SHORT_CODE_LENGTH = 16

/** The short verification code as printed: "3F2A-9C01-77B4-E0D2" (the fingerprint's first 16 hex digits). */
export function formatShortCode(fingerprint: string): string {
  return (fingerprint.slice(0, SHORT_CODE_LENGTH).toUpperCase().match(/.{1,4}/g) ?? []).join('-')
}

/** A code as typed or scanned: the full 64-hex fingerprint or the 16-hex short code, any case and separators. */
export function parseReportCode(input: string): { kind: 'full'; fingerprint: string } | { kind: 'short'; shortCode: string } | null {
  const compact = input.replace(/[\s\-:]/g, '').toLowerCase()
  if (/^[0-9a-f]{64}$/.test(compact)) return { kind: 'full', fingerprint: compact }
  if (new RegExp(`^[0-9a-f]{${SHORT_CODE_LENGTH}}$`).test(compact)) return { kind: 'short', shortCode: compact }
  return null
}

export function emptyCounts(): Record<ClauseStatus, number> {
  return { met: 0, partial: 0, failed: 0, not_assessed: 0, not_applicable: 0 }
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }

/** The findings the executive summary leads with: most severe first, then by reference. */
export function topFindings(findings: ReportFinding[], limit = 5): ReportFinding[] {
  return [...findings]
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.reference.localeCompare(b.reference))
    .slice(0, limit)
}
