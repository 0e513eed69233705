// Findings' data layer: generation from a score (idempotent, one finding per assessment and key),
// the cross-vendor list, and compliance's edits. Every change is one atomic update of one finding,
// guarded by its version; plain objects leave this file.
import { Types } from 'mongoose'
import { domainEvent } from '~/modules/events/catalogue.server'
import { eventsOnCreate, publishEvents } from '~/modules/events/outbox.server'
import { getEnv } from '~/env.server'
import { dayIn, endOfDayIn, isoOrNull } from '~/modules/dates/dates'
import { recordAudit } from '~/modules/audit/audit.server'
import { can } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { translatorFor } from '~/i18n/i18n.server'
import { LOCALES, localized, type Locale } from '~/i18n/locales'
import type { Clause, LocalizedText, Question, Questionnaire, Severity } from '~/modules/library/content-schema'
import type { ScoreResult } from '~/modules/scoring/types'
import { indexAssessment } from '~/modules/scoring/question-index'
import { fieldErrorsOf, type FieldErrors } from '~/modules/forms/validation'
import {
  deriveFindings,
  isOverdue,
  normalizeSource,
  planFindingSync,
  type ExistingFinding,
  type FindingChanges,
  type FindingOperation,
  type FindingSourceRef,
  type FindingTranslate,
} from './plan'
import { findingUpdateSchema, type FindingListQuery } from './schemas'
import type { FindingOwner, FindingStatus } from './vocabulary'
import {
  countFindings,
  countUnresolvedFindings,
  editFinding,
  findFinding,
  insertFindings as insertFindingRecords,
  listFindingRecords,
  listFindingRecordsAfter,
  listFindingsOfAssessment,
  listVendorsWithFindings,
  refreshFinding,
  resolveFindingByScore,
  type FindingListRecord,
  type FindingRecord,
  type NewFinding,
} from './finding-store.server'

const asObjectId = (id: string) => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null)

async function findingTranslator(): Promise<FindingTranslate> {
  const translators = Object.fromEntries(await Promise.all(LOCALES.map(async (locale) => [locale, await translatorFor(locale, 'findings')] as const)))
  return (locale, key, params) => String(translators[locale](key, params ?? {}))
}

// ---------------------------------------------------------------------------------------------
// Generation

interface SyncInput {
  assessment: {
    _id: Types.ObjectId
    vendorId: Types.ObjectId
    vendorSnapshot?: { legalName?: Partial<LocalizedText> } | null
  }
  score: ScoreResult
  context: { questionnaires: readonly Questionnaire[]; clauses: readonly Clause[] }
  now?: Date
}

const SYNC_ATTEMPTS = 3

/**
 * Makes the assessment's findings match its score (see planFindingSync). Safe to run any number
 * of times and from several places at once: creation relies on the unique (assessment, key) index,
 * every other change on the finding's version; a conflict re-reads and re-plans.
 */
export async function syncFindings({ assessment, score, context, now = new Date() }: SyncInput): Promise<{ created: number; refreshed: number; resolved: number }> {
  const t = await findingTranslator()
  const { questions, byId } = indexAssessment(context.questionnaires)
  const question = (id: string): Question | undefined => {
    const position = byId.get(id)
    return position === undefined ? undefined : questions[position].question
  }
  const desired = deriveFindings(score, { clauses: context.clauses, question, t })
  const vendorName = assessment.vendorSnapshot?.legalName ?? {}
  const totals = { created: 0, refreshed: 0, resolved: 0 }
  for (let attempt = 0; attempt < SYNC_ATTEMPTS; attempt++) {
    const existing = await listFindingsOfAssessment(assessment._id)
    const operations = planFindingSync(existing.map(toExisting), desired, now)
    const creates = operations.filter((operation) => operation.kind === 'create')
    const inserted = await insertFindings(creates, { assessment, vendorName, now })
    totals.created += inserted
    let conflicts = creates.length - inserted
    for (const operation of operations) {
      if (operation.kind === 'create') continue
      const applied = await applyOperation(operation, now, existing.find((finding) => String(finding._id) === operation.id))
      if (applied) totals[operation.kind === 'refresh' ? 'refreshed' : 'resolved']++
      else conflicts++
    }
    if (conflicts === 0) return totals
  }
  return totals
}

function toExisting(finding: FindingRecord): ExistingFinding {
  return {
    id: String(finding._id),
    key: finding.key,
    version: finding.version ?? 0,
    status: finding.status,
    severity: finding.severity,
    computedSeverity: finding.computedSeverity,
    resolvedByScore: Boolean(finding.resolvedByScore),
    title: { 'zh-CN': finding.title?.['zh-CN'] ?? '', en: finding.title?.en ?? '' },
    description: { 'zh-CN': finding.description?.['zh-CN'] ?? '', en: finding.description?.en ?? '' },
    source: normalizeSource(finding.source ?? { kind: 'clause' }),
  }
}

/** New findings in one round trip; a key created at the same moment elsewhere is not counted (the caller re-plans). */
async function insertFindings(
  creates: Extract<FindingOperation, { kind: 'create' }>[],
  { assessment, vendorName, now }: { assessment: SyncInput['assessment']; vendorName: Partial<LocalizedText>; now: Date },
): Promise<number> {
  if (creates.length === 0) return 0
  const documents = creates.map(({ spec, dueAt }): NewFinding & { _id: FindingRecord['_id'] } => ({
    ...newFindingEvent(assessment, spec.severity, dueAt),
    assessmentId: assessment._id,
    vendorId: assessment.vendorId,
    vendorName: { 'zh-CN': vendorName['zh-CN'] ?? '', en: vendorName.en ?? '' },
    key: spec.key,
    source: spec.source,
    severity: spec.severity,
    computedSeverity: spec.severity,
    title: spec.title,
    description: spec.description,
    remediation: spec.remediation,
    owner: spec.owner,
    dueAt,
    status: 'open',
    history: [{ at: now, event: 'created', changes: { severity: [null, spec.severity] } }],
  }))
  const inserted = await insertFindingRecords(documents)
  // A document refused as a duplicate was not written: its relay finds nothing.
  for (const document of documents) await publishEvents('findings', document._id)
  return inserted
}

async function applyOperation(operation: Exclude<FindingOperation, { kind: 'create' }>, now: Date, finding: FindingRecord | undefined): Promise<boolean> {
  const _id = new Types.ObjectId(operation.id)
  if (operation.kind === 'refresh') {
    const set: Record<string, unknown> = { ...operation.set }
    if (operation.reopen) Object.assign(set, { status: 'open', resolvedByScore: false, closedAt: null })
    const history = { at: now, event: operation.reopen ? ('reopened' as const) : ('refreshed' as const), changes: operation.changes }
    const events = operation.reopen && finding ? findingEvents(finding, 'open', { severity: operation.set.severity, at: now }) : []
    const updated = await refreshFinding({ id: _id, version: operation.version, set, history, events })
    if (events.length && updated) await publishEvents('findings', _id)
    return updated
  }
  const events = finding ? findingEvents(finding, 'closed', { byScore: true, at: now }) : []
  const updated = await resolveFindingByScore({ id: _id, version: operation.version, from: operation.from, now, events })
  if (events.length && updated) await publishEvents('findings', _id)
  return updated
}

/** What the events of a finding's status change say about it. */
type FindingEventSource = Pick<FindingRecord, '_id' | 'vendorId' | 'assessmentId' | 'status' | 'severity' | 'dueAt'>

/** A new finding's id and its "opened" event, for the document that creates it. */
function newFindingEvent(assessment: { _id: Types.ObjectId; vendorId: Types.ObjectId }, severity: string, dueAt: Date) {
  const _id = new Types.ObjectId()
  const opened = domainEvent('finding.opened', { findingId: String(_id), vendorId: String(assessment.vendorId), assessmentId: String(assessment._id), severity, dueAt: dueAt.toISOString(), reopened: false })
  return { _id, ...eventsOnCreate(opened) }
}

/**
 * The events of a status change: closed or risk accepted from an unresolved status is "closed",
 * back to open or in progress from a resolved one is "opened" again; other changes report nothing.
 */
export function findingEvents(finding: FindingEventSource, to: string, options: { severity?: string; dueAt?: Date; byScore?: boolean; at?: Date } = {}) {
  const resolved = (status: string) => status === 'closed' || status === 'risk_accepted'
  const common = { findingId: String(finding._id), vendorId: String(finding.vendorId), assessmentId: finding.assessmentId ? String(finding.assessmentId) : null }
  if (resolved(to) && !resolved(finding.status)) return [domainEvent('finding.closed', { ...common, status: to as 'closed' | 'risk_accepted', byScore: options.byScore ?? false }, options.at)]
  if (!resolved(to) && resolved(finding.status)) {
    return [domainEvent('finding.opened', { ...common, severity: options.severity ?? finding.severity, dueAt: (options.dueAt ?? finding.dueAt).toISOString(), reopened: true }, options.at)]
  }
  return []
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface FindingView {
  id: string
  assessmentId: string
  incidentId: string | null
  vendorId: string
  vendorName: string
  key: string
  source: FindingSourceRef
  severity: Severity
  computedSeverity: Severity
  title: string
  description: string
  remediation: LocalizedText
  owner: FindingOwner
  ownerName: string
  dueAt: string
  status: FindingStatus
  overdue: boolean
  resolvedByScore: boolean
  closedAt: string | null
  riskAcceptance: { justification: string; approverName: string; at: string | null } | null
  history: { at: string; event: string; byName: string | null; changes: Record<string, [unknown, unknown]> | null; comment: string | null }[]
  version: number
  createdAt: string
  updatedAt: string
}

export function toFindingView(finding: FindingListRecord, locale: Locale, now = new Date()): FindingView {
  const acceptance = finding.riskAcceptance
  return {
    id: String(finding._id),
    assessmentId: String(finding.assessmentId),
    incidentId: finding.incidentId ? String(finding.incidentId) : null,
    vendorId: String(finding.vendorId),
    vendorName: localized(finding.vendorName, locale) || '—',
    key: finding.key,
    source: normalizeSource(finding.source ?? { kind: 'clause' }),
    severity: finding.severity,
    computedSeverity: finding.computedSeverity,
    title: localized(finding.title, locale),
    description: localized(finding.description, locale),
    remediation: { 'zh-CN': finding.remediation?.['zh-CN'] ?? '', en: finding.remediation?.en ?? '' },
    owner: finding.owner ?? 'vendor',
    ownerName: finding.ownerName ?? '',
    dueAt: isoOrNull(finding.dueAt) ?? '',
    status: finding.status,
    overdue: isOverdue({ status: finding.status, dueAt: finding.dueAt }, now),
    resolvedByScore: Boolean(finding.resolvedByScore),
    closedAt: isoOrNull(finding.closedAt),
    riskAcceptance: acceptance?.justification
      ? { justification: acceptance.justification, approverName: acceptance.approverName ?? '', at: isoOrNull(acceptance.at) }
      : null,
    history: (finding.history ?? []).map((entry) => ({
      at: isoOrNull(entry.at) ?? '',
      event: entry.event,
      byName: entry.byName ?? null,
      changes: entry.changes ?? null,
      comment: entry.comment ?? null,
    })),
    version: finding.version ?? 0,
    createdAt: isoOrNull(finding.createdAt) ?? '',
    updatedAt: isoOrNull(finding.updatedAt) ?? '',
  }
}

export async function getFinding(id: string, locale: Locale): Promise<FindingView | null> {
  const objectId = asObjectId(id)
  if (!objectId) return null
  const finding = await findFinding(objectId)
  return finding ? toFindingView(finding, locale) : null
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }
const STATUS_RANK: Record<FindingStatus, number> = { open: 0, in_progress: 1, risk_accepted: 2, closed: 3 }

/** An assessment's findings: unresolved first, then by severity and key. */
export async function listAssessmentFindings(assessmentId: string, locale: Locale): Promise<FindingView[]> {
  const objectId = asObjectId(assessmentId)
  if (!objectId) return []
  const findings = await listFindingsOfAssessment(objectId, { history: false })
  return findings
    .map((finding) => toFindingView(finding, locale))
    .sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.key.localeCompare(b.key))
}

export const FINDINGS_PAGE_SIZE = 50

export async function listFindings(query: FindingListQuery, locale: Locale, now = new Date()) {
  const [total, findings] = await Promise.all([
    countFindings(query, now),
    listFindingRecords(query, now, { skip: (query.page - 1) * FINDINGS_PAGE_SIZE, limit: FINDINGS_PAGE_SIZE }),
  ])
  return {
    total,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / FINDINGS_PAGE_SIZE)),
    findings: findings.map((finding) => toFindingView(finding, locale, now)),
  }
}

/** The list's filters in creation order after a finding id: the REST API's keyset pages. */
export async function listFindingsAfter(query: Omit<FindingListQuery, 'page'>, afterId: string | null, limit: number, locale: Locale, now = new Date()): Promise<FindingView[]> {
  const findings = await listFindingRecordsAfter(query, afterId ? asObjectId(afterId) : null, limit, now)
  return findings.map((finding) => toFindingView(finding, locale, now))
}

/** Every finding the list's filter matches, in the list's order (for the .xlsx export; capped). */
export async function listAllFindings(query: FindingListQuery, locale: Locale, now = new Date(), limit = 50_000): Promise<FindingView[]> {
  const findings = await listFindingRecords(query, now, { limit })
  return findings.map((finding) => toFindingView(finding, locale, now))
}

/** Vendors that have findings, for the list's filter. */
export async function vendorsWithFindings(locale: Locale): Promise<{ id: string; name: string }[]> {
  const rows = await listVendorsWithFindings()
  return rows.map((row) => ({ id: String(row._id), name: localized(row.name, locale) || '—' })).sort((a, b) => a.name.localeCompare(b.name, locale))
}

/** Counts by status and severity across all findings, for the list's header. */
export async function findingCounts(now = new Date()) {
  return countUnresolvedFindings(now)
}

// ---------------------------------------------------------------------------------------------
// Editing

export type FindingWriteResult = { ok: true; version: number } | { ok: false; status: 400 | 404 | 409; fieldErrors: FieldErrors; formError?: string }

/**
 * Compliance edits a finding: severity, remediation, owner, due date, status (risk acceptance
 * with its justification and approver). One update guarded by the version the form was loaded
 * with; the history keeps what changed, by whom and why.
 */
export async function updateFinding(id: string, raw: unknown, actor: SessionUser, now = new Date()): Promise<FindingWriteResult> {
  if (!can(actor.role, 'assessment:review')) throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' })
  const parsed = findingUpdateSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, status: 400, fieldErrors: fieldErrorsOf(parsed.error) }
  const input = parsed.data
  const objectId = asObjectId(id)
  const current = objectId ? await findFinding(objectId) : null
  if (!current) return { ok: false, status: 404, fieldErrors: {}, formError: 'errors:notFound' }
  if ((current.version ?? 0) !== input.version) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }

  const timeZone = getEnv().INSTITUTION_TIMEZONE
  const next = {
    severity: input.severity,
    owner: input.owner,
    ownerName: input.ownerName ?? '',
    // The form edits a calendar day: the same day as stored keeps the stored instant.
    dueAt: dayIn(current.dueAt, timeZone) === input.dueAt ? current.dueAt : endOfDayIn(input.dueAt, timeZone),
    status: input.status,
    remediation: input.remediation,
  }
  const before = {
    severity: current.severity,
    owner: current.owner,
    ownerName: current.ownerName ?? '',
    dueAt: current.dueAt,
    status: current.status,
    remediation: { 'zh-CN': current.remediation?.['zh-CN'] ?? '', en: current.remediation?.en ?? '' },
  }
  const changes: FindingChanges = {}
  for (const field of ['severity', 'owner', 'ownerName', 'dueAt', 'status'] as const) {
    const a = before[field]
    const b = next[field]
    const equal = a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b
    if (!equal) changes[field] = [a, b]
  }
  // A remediation text is too long for the history: it records only that it changed.
  if (JSON.stringify(before.remediation) !== JSON.stringify(next.remediation)) changes.remediation = ['…', '…']
  const set: Record<string, unknown> = { ...next }
  const unset: Record<string, 1> = {}
  if (input.status === 'risk_accepted') {
    const acceptance = { justification: input.riskJustification!, approverName: input.riskApprover!, byUserId: actor.id, at: now }
    if (current.status !== 'risk_accepted' || current.riskAcceptance?.justification !== acceptance.justification || current.riskAcceptance?.approverName !== acceptance.approverName) {
      set.riskAcceptance = acceptance
      changes.riskAcceptance = [current.riskAcceptance?.justification ?? null, acceptance.justification]
    }
  } else if (current.riskAcceptance?.justification) {
    unset.riskAcceptance = 1
  }
  if (input.status !== current.status) {
    set.resolvedByScore = false
    if (input.status === 'closed' || input.status === 'risk_accepted') set.closedAt = now
    else unset.closedAt = 1
  }
  if (Object.keys(changes).length === 0 && !input.comment) return { ok: true, version: current.version ?? 0 }

  const event = changes.status ? 'status' : 'updated'
  const updated = await editFinding({
    id: current._id,
    version: input.version,
    set,
    unset,
    history: { at: now, event, byUserId: actor.id, byName: actor.name, changes, comment: input.comment },
    events: findingEvents(current, input.status, { severity: input.severity, dueAt: next.dueAt, at: now }),
  })
  if (updated === null) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  await publishEvents('findings', current._id)
  await recordAudit({
    actor: { kind: 'user', id: actor.id, label: actor.email },
    action: 'finding.update',
    subject: { kind: 'finding', id: String(current._id) },
    details: { assessmentId: String(current.assessmentId), changes: Object.keys(changes), comment: input.comment ?? null },
  })
  return { ok: true, version: updated }
}
