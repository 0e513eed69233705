// The assessments collection: the only module in app/ that queries or updates it. Reads return
// the typed record of models/assessment.ts (or a Pick of it for a projection); writes keep their
// filters and operators as their callers decided them (one atomic update each, version-guarded
// where a decision was made on what was read). Hot paths (docs/decisions/007, 047) read through
// the driver with the projection the vendor may see, exactly as before.
import { Types, type mongo } from 'mongoose'
import { AssessmentModel, type AnswerRecord, type AssessmentRecord } from '~models/assessment'
import { updateWithVersion, type VersionedChange, type VersionedOutcome, type VersionedRecord } from '~/modules/db/versioned-update.server'
import type { AssessmentStatus } from './vocabulary'

export type {
  AnswerRecord,
  AssessmentRecord,
  EvidenceRecord,
  InvitationMailStatus,
  InvitationPurpose,
  InvitationRecord,
  InvitationRevokedReason,
  ReviewRecord,
  StoredScore,
} from '~models/assessment'

// ── assessments, offboarding, seed, events ──

/** What recording a link's e-mail decides on: the version and each link's id, revocation and mail status. */
export type InvitationMailState = Pick<AssessmentRecord, '_id' | 'version'> & { invitations: Pick<AssessmentRecord['invitations'][number], '_id' | 'revokedAt' | 'mailStatus'>[] }

export function findInvitationMailState(id: string): Promise<InvitationMailState | null> {
  return AssessmentModel.findById(id, { version: 1, 'invitations._id': 1, 'invitations.revokedAt': 1, 'invitations.mailStatus': 1 }).lean<InvitationMailState>()
}

/** What cancelling an assessment decides on (offboarding): its status, version and links. */
export function findStatusAndInvitations(id: Types.ObjectId): Promise<Pick<AssessmentRecord, '_id' | 'status' | 'version' | 'invitations'> | null> {
  return AssessmentModel.findById(id, { status: 1, version: 1, invitations: 1 }).lean<Pick<AssessmentRecord, '_id' | 'status' | 'version' | 'invitations'>>()
}

type AssessmentId = Types.ObjectId | string
type Projected<K extends keyof AssessmentRecord> = Pick<AssessmentRecord, '_id' | K>

// The driver's view of the collection, typed by the stored record (mongoose's is untyped).
const collection = () => AssessmentModel.collection as unknown as mongo.Collection<AssessmentRecord>
const objectId = (id: AssessmentId) => (typeof id === 'string' ? new Types.ObjectId(id) : id)
/** A 24-hex-digit id (what every URL and stored reference carries). */
export const isAssessmentId = (id: string) => /^[0-9a-f]{24}$/i.test(id)

// ─── Vendor access and the portal (hot paths: driver reads, the projection the vendor may see) ───

/** The contract's clause texts and the score are never shown to the vendor: they stay in the database. */
const VENDOR_PROJECTION = { contract: 0, score: 0 } as const
/** An assessment as a vendor link (or staff filling in for the vendor) reads it. */
export type VendorAssessment = Omit<AssessmentRecord, 'contract' | 'score'>

export function findVendorAssessmentById(id: Types.ObjectId): Promise<VendorAssessment | null> {
  return collection().findOne({ _id: id }, { projection: VENDOR_PROJECTION })
}

/** By a link's hash: the embedded database scans for a field inside an array, so callers cache the id. */
export function findVendorAssessmentByTokenHash(tokenHash: string): Promise<VendorAssessment | null> {
  return collection().findOne({ 'invitations.tokenHash': tokenHash }, { projection: VENDOR_PROJECTION })
}

/** The full record by a vendor write's guard (`_id` and the link's still-good condition). */
export function findAssessmentByGuard(guard: Record<string, unknown>): Promise<AssessmentRecord | null> {
  return AssessmentModel.findOne(guard).lean<AssessmentRecord>()
}

/** What a vendor's change returns: the version after it, and the answers when asked for. */
export type AnswersAfterChange = Pick<AssessmentRecord, '_id' | 'version'> & Partial<Pick<AssessmentRecord, 'answers'>>

export function findAnswersAndVersion(id: Types.ObjectId): Promise<AnswersAfterChange | null> {
  return collection().findOne({ _id: id }, { projection: { answers: 1, version: 1 } })
}

/** The operators a vendor's change uses, with dotted paths into the answers as keys. */
export interface AssessmentUpdate {
  $set?: Record<string, unknown>
  $unset?: Record<string, unknown>
  $inc?: Record<string, number>
  $push?: Record<string, unknown>
  $pull?: Record<string, unknown>
}
// The driver types an update by the record's own paths; ours name paths inside the answers map
// (`answers.<questionId>.evidence`), which its types cannot express: the one cast, here.
const driverUpdate = (update: AssessmentUpdate) => update as mongo.UpdateFilter<AssessmentRecord>

/** One update of a vendor's change; true when it matched. */
export async function updateVendorAssessment(filter: { _id: Types.ObjectId; version: number }, update: AssessmentUpdate): Promise<boolean> {
  return (await collection().updateOne(filter, driverUpdate(update))).matchedCount === 1
}

/** One update of a vendor's change, returning the version (and with `withAnswers`, the answers) after it. */
export function updateVendorAssessmentReturning(
  filter: Record<string, unknown>,
  update: AssessmentUpdate,
  options: { withAnswers: boolean },
): Promise<AnswersAfterChange | null> {
  return collection().findOneAndUpdate(filter, driverUpdate(update), { returnDocument: 'after', projection: options.withAnswers ? { answers: 1, version: 1 } : { version: 1 } })
}

/** Notes that a link was used (no version change: nothing the vendor decides on moved). */
export async function touchInvitationUse(assessmentId: Types.ObjectId, tokenHash: string, at: Date): Promise<void> {
  await collection().updateOne({ _id: assessmentId, 'invitations.tokenHash': tokenHash }, { $set: { 'invitations.$.lastUsedAt': at } })
}

// ─── Versioned changes (docs/decisions/040) ───

/**
 * Runs a change decided on a fresh read, applied only while the assessment is at the version read.
 * `driver`: straight to the collection (no casting, `updatedAt` untouched) — the portal's writes;
 * otherwise through mongoose, which casts the update and stamps `updatedAt`.
 */
export function updateAssessmentWithVersion<R extends VersionedRecord, Result, Reason>(
  change: VersionedChange<R, Result, Reason>,
  options: { driver?: boolean } = {},
): Promise<VersionedOutcome<R, Result, Reason>> {
  return updateWithVersion(options.driver ? collection() : AssessmentModel, change)
}

// ─── Staff reads ───

/** The whole record (null for an id that is not one). */
export function findAssessment(id: string): Promise<AssessmentRecord | null> {
  if (!Types.ObjectId.isValid(id) || !isAssessmentId(id)) return Promise.resolve(null)
  return AssessmentModel.findById(id).lean<AssessmentRecord>()
}

/** Everything but the answers: what changes to links, reminders and due dates decide on. */
export function findAssessmentWithoutAnswers(id: string): Promise<Omit<AssessmentRecord, 'answers'> | null> {
  if (!Types.ObjectId.isValid(id)) return Promise.resolve(null)
  return AssessmentModel.findById(id, { answers: 0 }).lean<Omit<AssessmentRecord, 'answers'>>()
}

/** What a page header or a list row shows: no answers, links, clause texts, review or score. */
export type AssessmentSummary = Omit<AssessmentRecord, 'answers' | 'invitations' | 'review' | 'score' | 'contract'> & { contract: Omit<AssessmentRecord['contract'], 'clauses'> }
const SUMMARY_PROJECTION = { answers: 0, invitations: 0, 'contract.clauses': 0, review: 0, score: 0 } as const

export function findAssessmentSummary(id: string): Promise<AssessmentSummary | null> {
  return AssessmentModel.findById(id, SUMMARY_PROJECTION).lean<AssessmentSummary>()
}

/** The staff list's filters, from a parsed query (assessments.server.ts). */
export interface AssessmentListCriteria {
  statuses?: readonly AssessmentStatus[]
  dueBefore?: Date
  vendorId?: string
  /** Part of the vendor's name (either language), matched case-insensitively. */
  vendorName?: string
  afterId?: string
}

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The list's database filter (only parsed primitives reach it). */
export function assessmentListFilter(criteria: AssessmentListCriteria): Record<string, unknown> {
  const filter: Record<string, unknown> = {}
  if (criteria.statuses) filter.status = criteria.statuses.length === 1 ? criteria.statuses[0] : { $in: criteria.statuses }
  if (criteria.dueBefore) filter.dueAt = { $lt: criteria.dueBefore }
  if (criteria.vendorId) filter.vendorId = new Types.ObjectId(criteria.vendorId)
  if (criteria.vendorName) {
    const pattern = new RegExp(escapeRegex(criteria.vendorName), 'i')
    filter.$or = [{ 'vendorSnapshot.legalName.zh-CN': pattern }, { 'vendorSnapshot.legalName.en': pattern }]
  }
  if (criteria.afterId && /^[a-f0-9]{24}$/.test(criteria.afterId)) filter._id = { $gt: new Types.ObjectId(criteria.afterId) }
  return filter
}

/** One page of the staff list (due first) and how many match. */
export async function listAssessmentSummaries(criteria: AssessmentListCriteria, page: { skip: number; limit: number }): Promise<{ total: number; rows: AssessmentSummary[] }> {
  const filter = assessmentListFilter(criteria)
  const [total, rows] = await Promise.all([
    AssessmentModel.countDocuments(filter),
    AssessmentModel.find(filter, SUMMARY_PROJECTION).sort({ dueAt: 1, _id: 1 }).skip(page.skip).limit(page.limit).lean<AssessmentSummary[]>(),
  ])
  return { total, rows }
}

/** The list in creation order after `criteria.afterId`: the REST API's keyset pages. */
export function listAssessmentSummariesAfter(criteria: AssessmentListCriteria, limit: number): Promise<AssessmentSummary[]> {
  return AssessmentModel.find(assessmentListFilter(criteria), SUMMARY_PROJECTION).sort({ _id: 1 }).limit(limit).lean<AssessmentSummary[]>()
}

/** A vendor's assessments, newest first (at most 100). */
export function listVendorAssessmentSummaries(vendorId: string): Promise<AssessmentSummary[]> {
  return AssessmentModel.find({ vendorId: new Types.ObjectId(vendorId) }, SUMMARY_PROJECTION).sort({ createdAt: -1 }).limit(100).lean<AssessmentSummary[]>()
}

type DocumentsRow = Projected<'answers' | 'status' | 'createdAt'>
type ExpiryRow = Projected<'vendorId' | 'answers' | 'status' | 'createdAt' | 'questionnaires'>

/** One vendor's assessments with the documents their answers carry, oldest first; cancelled ones left out. */
export function listVendorDocumentSources(vendorId: Types.ObjectId): Promise<DocumentsRow[]> {
  return AssessmentModel.find({ vendorId, status: { $ne: 'cancelled' } }, { answers: 1, status: 1, createdAt: 1 }).sort({ createdAt: 1 }).lean<DocumentsRow[]>()
}

/** The same for many vendors, with what the expiry check needs (whose, and which questionnaires). */
export function listDocumentSourcesForExpiry(vendorIds: readonly Types.ObjectId[]): Promise<ExpiryRow[]> {
  return AssessmentModel.find({ vendorId: { $in: vendorIds }, status: { $ne: 'cancelled' } }, { vendorId: 1, answers: 1, status: 1, createdAt: 1, questionnaires: 1 })
    .sort({ createdAt: 1 })
    .lean<ExpiryRow[]>()
}

/** The stored score alone. */
export function findAssessmentScore(id: string): Promise<Projected<'score'> | null> {
  return AssessmentModel.findById(id, { score: 1 }).lean<Projected<'score'>>()
}

// ─── A vendor's completed (signed-off) assessments ───

export type CompletedRow = Projected<'signOff' | 'updatedAt'> & Partial<Pick<AssessmentRecord, 'questionnaires' | 'answers' | 'score' | 'vendorId' | 'status'>>

const completedFilter = (vendorId: Types.ObjectId, before?: Date) => ({ vendorId, status: 'completed', ...(before ? { 'signOff.at': { $lt: before } } : {}) })
const COMPLETED_FIELDS = {
  carryOver: { vendorId: 1, status: 1, signOff: 1, updatedAt: 1, questionnaires: 1, answers: 1 },
  full: { signOff: 1, updatedAt: 1, questionnaires: 1, answers: 1, score: 1 },
  score: { signOff: 1, updatedAt: 1, score: 1 },
  day: { signOff: 1, updatedAt: 1 },
} as const

/** The vendor's last two signed-off assessments (optionally signed off before a moment), newest first. */
export function listLastCompleted(vendorId: Types.ObjectId, before?: Date): Promise<CompletedRow[]> {
  return AssessmentModel.find(completedFilter(vendorId, before), COMPLETED_FIELDS.full).sort({ 'signOff.at': -1, _id: -1 }).limit(2).lean<CompletedRow[]>()
}

/** One assessment by id with what carry-over reads (its vendor and status let the caller check it). */
export function findForCarryOver(id: string): Promise<CompletedRow | null> {
  return AssessmentModel.findById(id, COMPLETED_FIELDS.carryOver).lean<CompletedRow>()
}

/** Every signed-off assessment of the vendor with its score, oldest first. */
export function listCompletedScores(vendorId: Types.ObjectId): Promise<CompletedRow[]> {
  return AssessmentModel.find(completedFilter(vendorId), COMPLETED_FIELDS.score).sort({ 'signOff.at': 1 }).lean<CompletedRow[]>()
}

/** The vendor's last signed-off assessment's sign-off, or null. */
export function findLastCompletedDay(vendorId: Types.ObjectId): Promise<CompletedRow | null> {
  return AssessmentModel.findOne(completedFilter(vendorId), COMPLETED_FIELDS.day).sort({ 'signOff.at': -1 }).lean<CompletedRow>()
}

type ScoreRow = Projected<'vendorId' | 'status' | 'signOff' | 'score'>

/** The status, sign-off and stored score of one assessment. */
export function findScoreRow(id: string): Promise<ScoreRow | null> {
  return AssessmentModel.findById(id, { vendorId: 1, status: 1, signOff: 1, score: 1 }).lean<ScoreRow>()
}

/** The vendor's signed-off assessment before this one (before its sign-off, when it has one). */
export function findPreviousCompletedScore(current: ScoreRow): Promise<Projected<'signOff' | 'score'> | null> {
  const before = current.status === 'completed' && current.signOff?.at ? { 'signOff.at': { $lt: current.signOff.at } } : {}
  return AssessmentModel.findOne({ vendorId: current.vendorId, status: 'completed', _id: { $ne: current._id }, ...before }, { signOff: 1, score: 1 })
    .sort({ 'signOff.at': -1, _id: -1 })
    .lean<Projected<'signOff' | 'score'>>()
}

// ─── Open assessments (scheduling, offboarding) ───

/** Whether the vendor has an assessment that is not completed or cancelled. */
export async function hasOpenAssessment(vendorId: Types.ObjectId, openStatuses: readonly AssessmentStatus[]): Promise<boolean> {
  return (await AssessmentModel.exists({ vendorId, status: { $in: openStatuses } })) !== null
}

/** The vendor's open assessment (the newest when there are several), or null. */
export function findOpenAssessment(vendorId: Types.ObjectId, openStatuses: readonly AssessmentStatus[]): Promise<Projected<'trigger' | 'invitations'> | null> {
  return AssessmentModel.findOne({ vendorId, status: { $in: openStatuses } }, { _id: 1, trigger: 1, invitations: 1 })
    .sort({ createdAt: -1 })
    .lean<Projected<'trigger' | 'invitations'>>()
}

/** The id of one open assessment of the vendor, or null. */
export function findOpenAssessmentId(vendorId: Types.ObjectId, openStatuses: readonly AssessmentStatus[]): Promise<Pick<AssessmentRecord, '_id'> | null> {
  return AssessmentModel.findOne({ vendorId, status: { $in: openStatuses } }, { _id: 1 }).lean<Pick<AssessmentRecord, '_id'>>()
}

/** The ids of the assessments in these statuses (of one vendor, when given). */
export function listAssessmentIds(criteria: { statuses?: readonly AssessmentStatus[]; excludeStatuses?: readonly AssessmentStatus[]; vendorId?: Types.ObjectId }): Promise<Pick<AssessmentRecord, '_id'>[]> {
  const filter: Record<string, unknown> = {}
  if (criteria.vendorId) filter.vendorId = criteria.vendorId
  if (criteria.statuses) filter.status = { $in: criteria.statuses }
  else if (criteria.excludeStatuses) filter.status = { $nin: criteria.excludeStatuses }
  return AssessmentModel.find(filter, { _id: 1 }).lean<Pick<AssessmentRecord, '_id'>[]>()
}

/** The vendors that have an assessment in these statuses (any status when none are given). */
export async function vendorIdsWithAssessments(statuses?: readonly AssessmentStatus[]): Promise<string[]> {
  if (!statuses) return (await AssessmentModel.distinct('vendorId')).map(String)
  const rows = await AssessmentModel.find({ status: { $in: statuses } }, { vendorId: 1 }).lean<Projected<'vendorId'>[]>()
  return rows.map((row) => row.vendorId.toString())
}

/** Whether any assessment is in these statuses, or (`triggerDetail`) was started for this reason. */
export async function anyAssessment(criteria: { statuses?: readonly AssessmentStatus[]; triggerDetail?: string } = {}): Promise<boolean> {
  const filter: Record<string, unknown> = {}
  if (criteria.statuses) filter.status = { $in: criteria.statuses }
  if (criteria.triggerDetail) filter['trigger.detail'] = criteria.triggerDetail
  return (await AssessmentModel.exists(filter)) !== null
}

// ─── The schedule: reminders, escalation, the dashboard ───

/** Assessments waiting for the vendor, due in (now, until]: the reminder round's candidates. */
export function listDueForReminder(statuses: readonly AssessmentStatus[], now: Date, until: Date): Promise<Projected<'dueAt' | 'createdAt' | 'reminders'>[]> {
  return AssessmentModel.find({ status: { $in: statuses }, dueAt: { $gt: now, $lte: until } }, { dueAt: 1, createdAt: 1, reminders: 1 }).lean<Projected<'dueAt' | 'createdAt' | 'reminders'>[]>()
}

export type OverdueRow = Projected<'vendorId' | 'dueAt'> & { vendorSnapshot: Pick<AssessmentRecord['vendorSnapshot'], 'legalName'>; progress?: Pick<NonNullable<AssessmentRecord['progress']>, 'percent'> }

/** Assessments waiting for the vendor past their due date. */
export function listOverdue(statuses: readonly AssessmentStatus[], now: Date): Promise<OverdueRow[]> {
  return AssessmentModel.find({ status: { $in: statuses }, dueAt: { $lt: now } }, { vendorId: 1, dueAt: 1, 'vendorSnapshot.legalName': 1, 'progress.percent': 1 }).lean<OverdueRow[]>()
}

/** How many assessments are in each of these statuses. */
export function countByStatus(statuses: readonly AssessmentStatus[]): Promise<{ _id: AssessmentStatus; count: number }[]> {
  return AssessmentModel.aggregate<{ _id: AssessmentStatus; count: number }>([{ $match: { status: { $in: statuses } } }, { $group: { _id: '$status', count: { $sum: 1 } } }])
}

type DueRow = Projected<'vendorId' | 'status' | 'dueAt'>

/** How many assessments are in these statuses, and the first of them by due date. */
export async function listDueFirst(statuses: readonly AssessmentStatus[], limit: number): Promise<{ total: number; rows: DueRow[] }> {
  const filter = { status: { $in: statuses } }
  const total = await AssessmentModel.countDocuments(filter)
  const rows = await AssessmentModel.find(filter, { vendorId: 1, status: 1, dueAt: 1 }).sort({ dueAt: 1 }).limit(limit).lean<DueRow[]>()
  return { total, rows }
}

/** These vendors' assessments in these statuses. */
export function listOfVendors(vendorIds: readonly Types.ObjectId[], statuses: readonly AssessmentStatus[]): Promise<DueRow[]> {
  return AssessmentModel.find({ vendorId: { $in: vendorIds }, status: { $in: statuses } }, { vendorId: 1, status: 1, dueAt: 1 }).lean<DueRow[]>()
}

// ─── Report batches ───

export interface ReportBatchCriteria {
  statuses: readonly AssessmentStatus[]
  vendorIds?: Types.ObjectId[]
  submitted?: { from?: Date; to?: Date }
}

function reportBatchFilter(criteria: ReportBatchCriteria): Record<string, unknown> {
  const filter: Record<string, unknown> = { status: { $in: criteria.statuses } }
  if (criteria.vendorIds) filter.vendorId = { $in: criteria.vendorIds }
  if (criteria.submitted) {
    const range: Record<string, Date> = {}
    if (criteria.submitted.from) range.$gte = criteria.submitted.from
    if (criteria.submitted.to) range.$lte = criteria.submitted.to
    filter['submission.at'] = range
  }
  return filter
}

const NEWEST_SUBMISSION_FIRST = { 'submission.at': -1, _id: -1 } as const
export type ReportBatchRow = Projected<'status' | 'vendorSnapshot' | 'submission'>

/** How many assessments match, and the first `limit` of them (newest submission first). */
export async function previewReportBatch(criteria: ReportBatchCriteria, limit: number): Promise<{ total: number; rows: ReportBatchRow[] }> {
  const filter = reportBatchFilter(criteria)
  const [total, rows] = await Promise.all([
    AssessmentModel.countDocuments(filter),
    AssessmentModel.find(filter, { status: 1, vendorSnapshot: 1, 'submission.at': 1 }).sort(NEWEST_SUBMISSION_FIRST).limit(limit).lean<ReportBatchRow[]>(),
  ])
  return { total, rows }
}

/** The ids of the first `limit` matching assessments (newest submission first). */
export function listReportBatchIds(criteria: ReportBatchCriteria, limit: number): Promise<Pick<AssessmentRecord, '_id'>[]> {
  return AssessmentModel.find(reportBatchFilter(criteria), { _id: 1 }).sort(NEWEST_SUBMISSION_FIRST).limit(limit).lean<Pick<AssessmentRecord, '_id'>[]>()
}

export function countReportBatch(criteria: ReportBatchCriteria): Promise<number> {
  return AssessmentModel.countDocuments(reportBatchFilter(criteria))
}

// ─── Writes outside the versioned changes ───

/** What a new assessment is made of (mongoose casts and validates it; `answers` go in as they are). */
export type NewAssessment = Omit<AssessmentRecord, 'answers' | 'createdAt' | 'updatedAt' | 'version' | 'status' | 'review' | 'score' | 'lastActivityAt' | 'reminders' | 'submission' | 'signOff' | 'contract'> & {
  status: AssessmentStatus
  contract: Omit<AssessmentRecord['contract'], 'reference'> & { reference?: string | undefined }
}

/**
 * Inserts the new assessment with its answers as ONE insert. Mongoose validates and casts every
 * other field; the answers go in already in their stored shape, because casting ~100 map entries
 * with their nested carriedFrom into subdocuments cost more than the rest of the start
 * (bench/carry-over.ts). The caller built and validated them.
 */
export async function insertAssessment(fields: NewAssessment, answers: Record<string, AnswerRecord>, now: Date): Promise<void> {
  const created = new AssessmentModel(fields)
  await created.validate()
  const stored = created.toObject({ depopulate: true, flattenMaps: true, virtuals: false, getters: false })
  await collection().insertOne({ ...stored, answers, createdAt: now, updatedAt: now })
}

/**
 * The signed-off state, applied while the assessment is still at the version and status the
 * sign-off was decided on; true when it was.
 */
export async function applySignOff(assessment: Pick<AssessmentRecord, '_id' | 'version' | 'status'>, update: Record<string, unknown>): Promise<boolean> {
  const applied = await AssessmentModel.updateOne({ _id: assessment._id, version: assessment.version, status: assessment.status }, update)
  return applied.matchedCount === 1
}

/** Progress recomputed from what is there now, while it still is (driver: `updatedAt` untouched). */
export async function storeProgress(id: Types.ObjectId, version: number, progress: Record<string, number>): Promise<void> {
  await collection().updateOne({ _id: id, version }, { $set: progress })
}

/** Retention: every answer of the assessment deleted (the files went before). */
export async function deleteAnswers(id: Types.ObjectId): Promise<void> {
  await AssessmentModel.updateOne({ _id: id }, { $set: { answers: {}, 'progress.answered': 0, 'progress.percent': 0 }, $inc: { version: 1 } })
}

/** Each of the vendor's assessments with its answers (retention deletes them). */
export function listAnswersOfVendor(vendorId: Types.ObjectId): Promise<Projected<'answers'>[]> {
  return AssessmentModel.find({ vendorId }, { _id: 1, answers: 1 }).lean<Projected<'answers'>[]>()
}

// ─── Demo data (the seed goes through the store too) ───

/** Every assessment's answers and status, oldest first. */
export function listAllAnswers(): Promise<Projected<'answers' | 'status'>[]> {
  return AssessmentModel.find({}, { answers: 1, status: 1 }).sort({ createdAt: 1 }).lean<Projected<'answers' | 'status'>[]>()
}

/** Writes demo answers (or document facts, or a due date) in one update; `version`: only while still at it. */
export async function setDemoFields(id: AssessmentId, set: Record<string, unknown>, options: { version?: number; bumpVersion?: boolean } = {}): Promise<void> {
  await AssessmentModel.updateOne(
    { _id: id, ...(options.version === undefined ? {} : { version: options.version }) },
    { $set: set, ...(options.bumpVersion ? { $inc: { version: 1 } } : {}) },
  )
}

/** Moves a demo assessment's dates back (straight to the collection: createdAt is immutable to mongoose). */
export async function backdateDemoAssessment(id: string, set: Record<string, unknown>): Promise<void> {
  await collection().updateOne({ _id: objectId(id) }, { $set: set, $inc: { version: 1 } })
}

/** A demo assessment's links and progress. */
export function findDemoInvitationsAndProgress(id: string): Promise<Projected<'invitations' | 'progress'> | null> {
  return AssessmentModel.findById(id, { invitations: 1, progress: 1 }).lean<Projected<'invitations' | 'progress'>>()
}

// ─── Infrastructure ───

/** Builds the collection's indexes (the job runner waits for them before sweeping). */
export function initAssessmentIndexes(): Promise<unknown> {
  return AssessmentModel.init()
}

/** For the events relay (events/relay.server.ts): the collection whose documents carry `pendingEvents`. */
export const assessmentEventSource = { collection: AssessmentModel.collection }
