// Findings' data layer: generation from a score (idempotent, one finding per assessment and key),
// the cross-vendor list, and compliance's edits. Every change is one atomic update of one finding,
// guarded by its version; plain objects leave this file.
import { Types } from 'mongoose'
import { domainEvent } from '~/modules/events/catalogue.server'
import { eventsOnCreate, publishEvents, withEvents } from '~/modules/events/outbox.server'
import { FindingModel } from '~models/finding'
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
  type FindingOperation,
  type FindingSourceRef,
  type FindingTranslate,
} from './plan'
import { findingUpdateSchema, type FindingListQuery } from './schemas'
import type { FindingOwner, FindingStatus } from './vocabulary'

const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
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
    vendorSnapshot?: unknown
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
  const vendorName = (assessment.vendorSnapshot as { legalName?: Partial<LocalizedText> } | undefined)?.legalName ?? {}
  const totals = { created: 0, refreshed: 0, resolved: 0 }
  for (let attempt = 0; attempt < SYNC_ATTEMPTS; attempt++) {
    const existing = await FindingModel.find({ assessmentId: assessment._id }).lean()
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped lean record until this collection's store returns typed records (issue 14)
function toExisting(finding: Record<string, any>): ExistingFinding {
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

/**
 * New findings in one round trip. A key created at the same moment elsewhere fails on the unique
 * index and is simply not counted (the caller re-plans); the others are inserted all the same.
 */
async function insertFindings(
  creates: Extract<FindingOperation, { kind: 'create' }>[],
  { assessment, vendorName, now }: { assessment: SyncInput['assessment']; vendorName: Partial<LocalizedText>; now: Date },
): Promise<number> {
  if (creates.length === 0) return 0
  const documents = creates.map(({ spec, dueAt }) => ({
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
  try {
    const inserted = (await FindingModel.insertMany(documents, { ordered: false })).length
    for (const document of documents) await publishEvents('findings', document._id)
    return inserted
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors
    const duplicates = writeErrors?.every((entry) => (entry.code ?? entry.err?.code) === 11000)
    if (!isDuplicateKey(error) && !duplicates) throw error
    const insertedDocs = (error as { insertedDocs?: unknown[] }).insertedDocs
    // A document refused as a duplicate was not written: its relay finds nothing.
    for (const document of documents) await publishEvents('findings', document._id)
    return insertedDocs?.length ?? documents.length - (writeErrors?.length ?? documents.length)
  }
}

async function applyOperation(operation: Exclude<FindingOperation, { kind: 'create' }>, now: Date, finding: FindingRecord | undefined): Promise<boolean> {
  const _id = new Types.ObjectId(operation.id)
  if (operation.kind === 'refresh') {
    const set: Record<string, unknown> = { ...operation.set }
    if (operation.reopen) Object.assign(set, { status: 'open', resolvedByScore: false, closedAt: null })
    const history = { at: now, event: operation.reopen ? 'reopened' : 'refreshed', changes: operation.changes }
    const events = operation.reopen && finding ? findingEvents(finding, 'open', { severity: operation.set.severity, at: now }) : []
    const updated = await FindingModel.updateOne({ _id, version: operation.version }, withEvents({ $set: set, $push: { history }, $inc: { version: 1 } }, ...events))
    if (events.length && updated.matchedCount === 1) await publishEvents('findings', _id)
    return updated.matchedCount === 1
  }
  const events = finding ? findingEvents(finding, 'closed', { byScore: true, at: now }) : []
  const updated = await FindingModel.updateOne(
    { _id, version: operation.version, status: operation.from },
    withEvents(
      {
        $set: { status: 'closed', resolvedByScore: true, closedAt: now },
        $push: { history: { at: now, event: 'auto_resolved', changes: { status: [operation.from, 'closed'] } } },
        $inc: { version: 1 },
      },
      ...events,
    ),
  )
  if (events.length && updated.matchedCount === 1) await publishEvents('findings', _id)
  return updated.matchedCount === 1
}

type FindingRecord = { _id: Types.ObjectId; vendorId: Types.ObjectId; assessmentId?: Types.ObjectId | null; status: string; severity: string; dueAt: Date }

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
export function findingEvents(finding: FindingRecord, to: string, options: { severity?: string; dueAt?: Date; byScore?: boolean; at?: Date } = {}) {
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


// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped lean record until this collection's store returns typed records (issue 14)
export function toFindingView(finding: Record<string, any>, locale: Locale, now = new Date()): FindingView {
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
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
    history: (finding.history ?? []).map((entry: Record<string, any>) => ({
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
  const finding = await FindingModel.findById(objectId).lean()
  return finding ? toFindingView(finding, locale) : null
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 }
const STATUS_RANK: Record<FindingStatus, number> = { open: 0, in_progress: 1, risk_accepted: 2, closed: 3 }

/** An assessment's findings: unresolved first, then by severity and key. */
export async function listAssessmentFindings(assessmentId: string, locale: Locale): Promise<FindingView[]> {
  const objectId = asObjectId(assessmentId)
  if (!objectId) return []
  const findings = await FindingModel.find({ assessmentId: objectId }, { history: 0 }).lean()
  return findings
    .map((finding) => toFindingView(finding, locale))
    .sort((a, b) => STATUS_RANK[a.status] - STATUS_RANK[b.status] || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.key.localeCompare(b.key))
}

export const FINDINGS_PAGE_SIZE = 50

/** The query of the cross-vendor list; only parsed primitives reach it. */
export function findingListFilter(query: FindingListQuery, now: Date): Record<string, unknown> {
  const filter: Record<string, unknown> = {}
  if (query.severity) filter.severity = query.severity
  if (query.owner) filter.owner = query.owner
  if (query.vendor) filter.vendorId = new Types.ObjectId(query.vendor)
  if (query.status) filter.status = query.status
  if (query.overdue) {
    // Only unresolved findings can be overdue: "overdue and closed" matches nothing.
    const unresolved: FindingStatus[] = ['open', 'in_progress']
    filter.status = query.status ? (unresolved.includes(query.status) ? query.status : { $in: [] }) : { $in: unresolved }
    filter.dueAt = { $lt: now }
  }
  return filter
}

export async function listFindings(query: FindingListQuery, locale: Locale, now = new Date()) {
  const filter = findingListFilter(query, now)
  const [total, findings] = await Promise.all([
    FindingModel.countDocuments(filter),
    FindingModel.find(filter, { history: 0, description: 0 })
      .sort({ dueAt: 1, _id: 1 })
      .skip((query.page - 1) * FINDINGS_PAGE_SIZE)
      .limit(FINDINGS_PAGE_SIZE)
      .lean(),
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
  const filter = findingListFilter({ ...query, page: 1 }, now)
  const after = afterId ? asObjectId(afterId) : null
  if (after) filter._id = { $gt: after }
  const findings = await FindingModel.find(filter, { history: 0 }).sort({ _id: 1 }).limit(limit).lean()
  return findings.map((finding) => toFindingView(finding, locale, now))
}

/** Every finding the list's filter matches, in the list's order (for the .xlsx export; capped). */
export async function listAllFindings(query: FindingListQuery, locale: Locale, now = new Date(), limit = 50_000): Promise<FindingView[]> {
  const findings = await FindingModel.find(findingListFilter(query, now), { history: 0, description: 0 }).sort({ dueAt: 1, _id: 1 }).limit(limit).lean()
  return findings.map((finding) => toFindingView(finding, locale, now))
}

/** Vendors that have findings, for the list's filter. */
export async function vendorsWithFindings(locale: Locale): Promise<{ id: string; name: string }[]> {
  const rows = await FindingModel.aggregate<{ _id: Types.ObjectId; name: LocalizedText }>([
    { $group: { _id: '$vendorId', name: { $first: '$vendorName' } } },
  ])
  return rows.map((row) => ({ id: String(row._id), name: localized(row.name, locale) || '—' })).sort((a, b) => a.name.localeCompare(b.name, locale))
}

/** Counts by status and severity across all findings, for the list's header. */
export async function findingCounts(now = new Date()) {
  const [open, overdue] = await Promise.all([
    FindingModel.countDocuments({ status: { $in: ['open', 'in_progress'] } }),
    FindingModel.countDocuments({ status: { $in: ['open', 'in_progress'] }, dueAt: { $lt: now } }),
  ])
  return { open, overdue }
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
  const current = objectId ? await FindingModel.findById(objectId).lean() : null
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
  const changes: Record<string, [unknown, unknown]> = {}
  for (const field of Object.keys(next) as (keyof typeof next)[]) {
    const a = before[field]
    const b = next[field]
    const equal = a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : JSON.stringify(a) === JSON.stringify(b)
    if (!equal) changes[field] = field === 'remediation' ? ['…', '…'] : [a, b]
  }
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
  const updated = await FindingModel.findOneAndUpdate(
    { _id: current._id, version: input.version },
    withEvents(
      {
        $set: set,
        ...(Object.keys(unset).length ? { $unset: unset } : {}),
        $push: { history: { at: now, event, byUserId: actor.id, byName: actor.name, changes, comment: input.comment } },
        $inc: { version: 1 },
      },
      ...findingEvents(current, input.status, { severity: input.severity, dueAt: next.dueAt, at: now }),
    ),
    { new: true, projection: { version: 1 } },
  ).lean()
  if (!updated) return { ok: false, status: 409, fieldErrors: {}, formError: 'errors:conflict' }
  await publishEvents('findings', current._id)
  await recordAudit({
    actor: { kind: 'user', id: actor.id, label: actor.email },
    action: 'finding.update',
    subject: { kind: 'finding', id: String(current._id) },
    details: { assessmentId: String(current.assessmentId), changes: Object.keys(changes), comment: input.comment ?? null },
  })
  return { ok: true, version: updated.version ?? 0 }
}
