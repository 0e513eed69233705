// Staff reads of assessments: the list with its filters, one assessment's overview, evidence.
import { Types } from 'mongoose'
import { AssessmentModel } from '~models/assessment'
import { getEnv } from '~/env.server'
import { listAuditEvents } from '~/modules/audit/audit.server'
import { openEvidence } from '~/modules/evidence/evidence.server'
import { questionnairesOf } from './catalog.server'
import { progressOf } from './questions'
import type { VendorSnapshot } from './snapshot'
import { AWAITING_VENDOR, invitationState, isOverdue } from './status'
import { ASSESSMENT_STATUSES, type AnswerValue, type AssessmentStatus } from './vocabulary'
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
const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The list's database filter for a parsed query (only parsed primitives reach it). */
export function assessmentListFilter(query: Omit<ListQuery, 'page'>, now = new Date()): Record<string, unknown> {
  const filter: Record<string, unknown> = {}
  if (query.status === 'overdue') Object.assign(filter, { status: { $in: AWAITING_VENDOR }, dueAt: { $lt: now } })
  else if (query.status === 'open') filter.status = { $in: ['invited', 'in_progress', 'submitted', 'under_review', 'clarification_requested'] }
  else if (query.status) filter.status = query.status
  if (query.vendorId) filter.vendorId = new Types.ObjectId(query.vendorId)
  if (query.q) {
    const pattern = new RegExp(escapeRegex(query.q), 'i')
    filter.$or = [{ 'vendorSnapshot.legalName.zh-CN': pattern }, { 'vendorSnapshot.legalName.en': pattern }]
  }
  return filter
}

const LIST_PROJECTION = { answers: 0, invitations: 0, 'contract.clauses': 0, review: 0, score: 0 } as const

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped lean record until this collection's store returns typed records (issue 14)
function toListRow(row: Record<string, any>, now: Date) {
  return {
    id: row._id.toString(),
    vendorId: row.vendorId.toString(),
    vendor: (row.vendorSnapshot as VendorSnapshot).legalName,
    status: row.status as AssessmentStatus,
    percent: row.progress?.percent ?? 0,
    dueAt: isoOrNull(row.dueAt)!,
    overdue: isOverdue(row.status as AssessmentStatus, row.dueAt, now),
    submittedAt: isoOrNull(row.submission?.at),
    createdAt: isoOrNull(row.createdAt)!,
    questionnaires: (row.questionnaires as { id: string; version: number }[]).map((ref) => `${ref.id} v${ref.version}`),
    trigger: (row.trigger?.reason ?? 'manual') as string,
  }
}

export async function listAssessments(query: ListQuery, now = new Date()) {
  const filter = assessmentListFilter(query, now)
  const [total, rows] = await Promise.all([
    AssessmentModel.countDocuments(filter),
    AssessmentModel.find(filter, LIST_PROJECTION)
      .sort({ dueAt: 1, _id: 1 })
      .skip((query.page - 1) * PAGE_SIZE)
      .limit(PAGE_SIZE)
      .lean(),
  ])
  return {
    total,
    page: query.page,
    pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    rows: rows.map((row) => toListRow(row, now)),
  }
}

/** The list's filters in creation order after an assessment id: the REST API's keyset pages. */
export async function listAssessmentsAfter(query: Omit<ListQuery, 'page'>, afterId: string | null, limit: number, now = new Date()) {
  const filter = assessmentListFilter(query, now)
  if (afterId && /^[a-f0-9]{24}$/.test(afterId)) filter._id = { $gt: new Types.ObjectId(afterId) }
  const rows = await AssessmentModel.find(filter, LIST_PROJECTION).sort({ _id: 1 }).limit(limit).lean()
  return rows.map((row) => toListRow(row, now))
}

/** The header of an assessment's pages. */
export async function getAssessmentHeader(id: string) {
  if (!Types.ObjectId.isValid(id) || !/^[a-f0-9]{24}$/.test(id)) return null
  const row = await AssessmentModel.findById(id, { answers: 0, 'contract.clauses': 0, review: 0, score: 0, invitations: 0 }).lean()
  if (!row) return null
  return {
    id: row._id.toString(),
    vendorId: row.vendorId.toString(),
    vendor: (row.vendorSnapshot as VendorSnapshot).legalName,
    status: row.status as AssessmentStatus,
    percent: row.progress?.percent ?? 0,
    answered: row.progress?.answered ?? 0,
    required: row.progress?.required ?? 0,
    dueAt: isoOrNull(row.dueAt)!,
    overdue: isOverdue(row.status as AssessmentStatus, row.dueAt),
    createdAt: isoOrNull(row.createdAt)!,
    timeZone: getEnv().INSTITUTION_TIMEZONE,
  }
}

type StoredAnswer = { value?: AnswerValue; comment?: string | null; evidence?: { fileId: string; filename: string; contentType: string; size: number; uploadedAt?: Date }[]; rev?: number; updatedAt?: Date; updatedBy?: string }

/** Everything the staff overview shows. */
export async function getAssessmentOverview(id: string, now = new Date()) {
  if (!/^[a-f0-9]{24}$/.test(id)) return null
  const row = await AssessmentModel.findById(id).lean()
  if (!row) return null
  const questionnaires = questionnairesOf(row.questionnaires)
  const answers = (row.answers ?? {}) as Record<string, StoredAnswer>
  const progress = progressOf(questionnaires, answers)
  const events = await listAuditEvents({ kind: 'assessment', id }, 100)
  return {
    id,
    status: row.status as AssessmentStatus,
    dueAt: isoOrNull(row.dueAt)!,
    overdue: isOverdue(row.status as AssessmentStatus, row.dueAt, now),
    vendor: row.vendorSnapshot as VendorSnapshot,
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
          value: answer.value ?? null,
          comment: answer.comment ?? null,
          rev: answer.rev ?? 0,
          updatedAt: isoOrNull(answer.updatedAt),
          updatedBy: answer.updatedBy ?? null,
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
  const rows = await AssessmentModel.find({ vendorId: new Types.ObjectId(vendorId) }, { answers: 0, invitations: 0, 'contract.clauses': 0, review: 0, score: 0 })
    .sort({ createdAt: -1 })
    .limit(100)
    .lean()
  return rows.map((row) => ({
    id: row._id.toString(),
    status: row.status as AssessmentStatus,
    percent: row.progress?.percent ?? 0,
    dueAt: isoOrNull(row.dueAt)!,
    overdue: isOverdue(row.status as AssessmentStatus, row.dueAt, now),
    createdAt: isoOrNull(row.createdAt)!,
    submittedAt: isoOrNull(row.submission?.at),
    questionnaires: row.questionnaires.map((ref) => `${ref.id} v${ref.version}`),
    trigger: row.trigger?.reason ?? 'manual',
  }))
}
