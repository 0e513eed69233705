// Staff reads of assessments: the list with its filters, one assessment's overview, evidence.
import { findAssessment, findAssessmentSummary, listAssessmentSummaries, listAssessmentSummariesAfter, listVendorAssessmentSummaries, type AssessmentListCriteria, type AssessmentSummary } from './assessment-store.server'
import { getEnv } from '~/env.server'
import { listAuditEvents } from '~/modules/audit/audit.server'
import { openEvidence } from '~/modules/evidence/evidence.server'
import { questionnairesOf } from './catalog.server'
import { progressOf } from './questions'
import { AWAITING_VENDOR, invitationState, isOverdue } from './status'
import { answerFields } from './answer-view.server'
import { ASSESSMENT_STATUSES } from './vocabulary'
import { z } from '~/modules/forms/validation'
import { isoOrNull } from '~/modules/dates/dates'


export const listQuerySchema = z.object({
  status: z.preprocess((value) => (value === '' ? undefined : value), z.enum([...ASSESSMENT_STATUSES, 'overdue', 'open']).optional()),
  q: z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().trim().max(100).optional()),
  vendorId: z.string().regex(/^[a-f0-9]{24}$/).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
})
export type ListQuery = z.infer<typeof listQuerySchema>

const PAGE_SIZE = 50

/** The store's list criteria for a parsed query (only parsed primitives reach it). */
export function assessmentListCriteria(query: Omit<ListQuery, 'page'>, now = new Date()): AssessmentListCriteria {
  const criteria: AssessmentListCriteria = { vendorId: query.vendorId, vendorName: query.q }
  if (query.status === 'overdue') Object.assign(criteria, { statuses: AWAITING_VENDOR, dueBefore: now })
  else if (query.status === 'open') criteria.statuses = ['invited', 'in_progress', 'submitted', 'under_review', 'clarification_requested']
  else if (query.status) criteria.statuses = [query.status]
  return criteria
}

/** What the list's rows and the pages' header both show of an assessment. */
function summaryOf(row: AssessmentSummary) {
  return {
    id: row._id.toString(),
    vendorId: row.vendorId.toString(),
    vendor: row.vendorSnapshot.legalName,
    status: row.status,
    percent: row.progress?.percent ?? 0,
  }
}

function toListRow(row: AssessmentSummary, now: Date) {
  return {
    ...summaryOf(row),
    dueAt: isoOrNull(row.dueAt)!,
    overdue: isOverdue(row.status, row.dueAt, now),
    submittedAt: isoOrNull(row.submission?.at),
    createdAt: isoOrNull(row.createdAt)!,
    questionnaires: row.questionnaires.map((ref) => `${ref.id} v${ref.version}`),
    trigger: row.trigger?.reason ?? 'manual',
  }
}

export async function listAssessments(query: ListQuery, now = new Date()) {
  const { total, rows } = await listAssessmentSummaries(assessmentListCriteria(query, now), { skip: (query.page - 1) * PAGE_SIZE, limit: PAGE_SIZE })
  return {
    total,
    page: query.page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    rows: rows.map((row) => toListRow(row, now)),
  }
}

/** The list's filters in creation order after an assessment id: the REST API's keyset pages. */
export async function listAssessmentsAfter(query: Omit<ListQuery, 'page'>, afterId: string | null, limit: number, now = new Date()) {
  const rows = await listAssessmentSummariesAfter({ ...assessmentListCriteria(query, now), afterId: afterId ?? undefined }, limit)
  return rows.map((row) => toListRow(row, now))
}

/** The header of an assessment's pages. */
export async function getAssessmentHeader(id: string) {
  if (!/^[a-f0-9]{24}$/.test(id)) return null
  const row = await findAssessmentSummary(id)
  if (!row) return null
  return {
    ...summaryOf(row),
    answered: row.progress?.answered ?? 0,
    required: row.progress?.required ?? 0,
    dueAt: isoOrNull(row.dueAt)!,
    overdue: isOverdue(row.status, row.dueAt),
    createdAt: isoOrNull(row.createdAt)!,
    timeZone: getEnv().INSTITUTION_TIMEZONE,
  }
}

/** Everything the staff overview shows. */
export async function getAssessmentOverview(id: string, now = new Date()) {
  if (!/^[a-f0-9]{24}$/.test(id)) return null
  const row = await findAssessment(id)
  if (!row) return null
  const questionnaires = questionnairesOf(row.questionnaires)
  const answers = row.answers ?? {}
  const progress = progressOf(questionnaires, answers)
  const events = await listAuditEvents({ kind: 'assessment', id }, 100)
  return {
    id,
    status: row.status,
    dueAt: isoOrNull(row.dueAt)!,
    overdue: isOverdue(row.status, row.dueAt, now),
    vendor: row.vendorSnapshot,
    questionnaires,
    progress,
    trigger: { reason: row.trigger?.reason ?? 'manual', detail: row.trigger?.detail ?? null },
    createdBy: row.createdBy?.name ?? null,
    createdAt: isoOrNull(row.createdAt)!,
    lastActivityAt: isoOrNull(row.lastActivityAt),
    contract: { reference: row.contract?.reference ?? null, clauseCount: row.contract?.clauses?.length ?? 0 },
    submission: row.submission?.at ? { at: isoOrNull(row.submission.at)!, name: row.submission.name ?? '', title: row.submission.title ?? '', email: row.submission.email ?? '', count: row.submission.count ?? 1 } : null,
    answers: Object.fromEntries(
      Object.entries(answers).map(([questionId, answer]) => [
        questionId,
        {
          ...answerFields(answer),
          evidence: (answer.evidence ?? []).map((file) => ({ fileId: file.fileId, filename: file.filename, contentType: file.contentType, size: file.size })),
        },
      ]),
    ),
    invitations: row.invitations.map((invitation) => ({
      id: invitation._id.toString(),
      name: invitation.name,
      email: invitation.email,
      locale: invitation.locale ?? 'zh-CN',
      purpose: invitation.purpose ?? 'invitation',
      state: invitationState(invitation, now),
      revokedReason: invitation.revokedReason ?? null,
      issuedAt: isoOrNull(invitation.issuedAt ?? (invitation as { createdAt?: Date }).createdAt),
      issuedBy: invitation.issuedBy ?? null,
      sentAt: isoOrNull(invitation.sentAt),
      mailStatus: invitation.mailStatus ?? null,
      expiresAt: isoOrNull(invitation.expiresAt)!,
      lastUsedAt: isoOrNull(invitation.lastUsedAt),
    })),
    history: events.map((event) => ({
      id: event._id.toString(),
      action: event.action,
      actor: event.actor?.label ?? event.actor?.kind ?? '',
      at: isoOrNull(event.createdAt)!,
      details: event.details ?? null,
    })),
    timeZone: getEnv().INSTITUTION_TIMEZONE,
  }
}
export type AssessmentOverview = NonNullable<Awaited<ReturnType<typeof getAssessmentOverview>>>

/** An evidence file of this assessment, for staff. */
export async function openAssessmentEvidence(assessmentId: string, fileId: string) {
  if (!/^[a-f0-9]{24}$/.test(assessmentId)) return null
  return openEvidence(fileId, assessmentId)
}

/** A vendor's assessments, newest first. */
export async function listVendorAssessments(vendorId: string, now = new Date()) {
  if (!/^[a-f0-9]{24}$/.test(vendorId)) return []
  const rows = await listVendorAssessmentSummaries(vendorId)
  return rows.map((row) => ({
    id: row._id.toString(),
    status: row.status,
    percent: row.progress?.percent ?? 0,
    dueAt: isoOrNull(row.dueAt)!,
    overdue: isOverdue(row.status, row.dueAt, now),
    createdAt: isoOrNull(row.createdAt)!,
    submittedAt: isoOrNull(row.submission?.at),
    questionnaires: row.questionnaires.map((ref) => `${ref.id} v${ref.version}`),
    trigger: row.trigger?.reason ?? 'manual',
  }))
}
