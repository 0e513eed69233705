// The vendors collection: the only module that queries or updates it. Every read returns typed
// lean records (models/vendor.ts `VendorRecord`, or a Pick of it for a projection); every write
// keeps its filter and update operators as one atomic single-document update.
import type { Types } from 'mongoose'
import { VendorModel, type AssessmentSummaryRecord, type ReassessmentRecord, type VendorDataProfileRecord, type VendorRecord } from '~models/vendor'
import type { VersionedTarget } from '~/modules/db/versioned-update.server'
import type { Bucket } from '~/modules/schedule/buckets'
import { SCHEDULED_VENDOR_STATUSES } from '~/modules/schedule/scheduled-vendors'
import { issueFailedFilter, vendorBucketFilter } from '~/modules/schedule/vendor-buckets'
import type { VendorListQuery } from './schemas'
import { searchPattern } from './search'
import type { Tier, VendorStatus } from './vocabulary'

export type {
  AssessmentSummaryRecord,
  ReassessmentRecord,
  ReassessmentTriggerRecord,
  SubProcessorRecord,
  TierOverrideRecord,
  VendorContactRecord,
  VendorDataProfileRecord,
  VendorRecord,
  VendorTierRecord,
} from '~models/vendor'

/** A vendor as every full read returns it: all but the search key, which only the list's filter reads. */
export type StoredVendor = Omit<VendorRecord, 'searchKey'>

/** The vendor a write inserts: everything but what the database adds. */
export type NewVendorRecord = Omit<VendorRecord, '_id' | 'createdAt' | 'updatedAt' | 'assessmentSummary' | 'reassessment' | 'contacts'> & {
  _id?: Types.ObjectId
  contacts: (Omit<VendorRecord['contacts'][number], 'locale'> & { locale?: VendorRecord['contacts'][number]['locale'] })[]
}

/** The named field sets readers ask for. */
const FIELDS = {
  id: [],
  name: ['legalName'],
  contacts: ['contacts'],
  nameAndContacts: ['legalName', 'contacts'],
  nameAndOwner: ['legalName', 'businessOwnerId'],
  status: ['status'],
  tier: ['effectiveTier'],
  summary: ['assessmentSummary'],
  categoryAndName: ['category', 'legalName'],
  categoryAndStatus: ['category', 'status'],
} as const satisfies Record<string, readonly (keyof VendorRecord)[]>
export type VendorFieldSet = keyof typeof FIELDS
export type VendorFields<Set extends VendorFieldSet> = Pick<VendorRecord, '_id' | (typeof FIELDS)[Set][number]>

const projectionOf = (set: VendorFieldSet) => (FIELDS[set].length ? Object.fromEntries(FIELDS[set].map((field) => [field, 1])) : { _id: 1 })

// ---------------------------------------------------------------------------------------------
// One vendor

/** The whole vendor (but its search key), or null. */
export async function findVendor(id: Types.ObjectId): Promise<StoredVendor | null> {
  return VendorModel.findById(id, { searchKey: 0 }).lean<StoredVendor>()
}

/** A few named fields of one vendor, or null. */
export async function findVendorFields<Set extends VendorFieldSet>(id: Types.ObjectId | string, fields: Set): Promise<VendorFields<Set> | null> {
  return VendorModel.findById(id, projectionOf(fields)).lean<VendorFields<Set>>()
}

/** The first vendor with this English name (the demo data finds its own vendors by name). */
export async function findVendorIdByEnglishName(name: string): Promise<Types.ObjectId | null> {
  return (await VendorModel.findOne({ 'legalName.en': name }, { _id: 1 }).lean<{ _id: Types.ObjectId }>())?._id ?? null
}

export type VendorTierState = Pick<VendorRecord, '_id' | 'tier' | 'effectiveTier' | 'version'> & { reassessment?: Pick<ReassessmentRecord, 'nextDueAt' | 'issuedForDueAt'> | null }

/** What a tier override decides on. */
export async function findVendorTierState(id: Types.ObjectId): Promise<VendorTierState | null> {
  return VendorModel.findById(id, { tier: 1, effectiveTier: 1, version: 1, 'reassessment.nextDueAt': 1, 'reassessment.issuedForDueAt': 1 }).lean<VendorTierState>()
}

export type VendorSchedule = Pick<VendorRecord, '_id' | 'version' | 'effectiveTier' | 'reassessment'> & { assessmentSummary?: Pick<AssessmentSummaryRecord, 'lastAssessedAt'> | null }

/** The vendor's reassessment schedule with what it is computed from (the schedule's versioned changes read this). */
export async function findVendorSchedule(id: Types.ObjectId): Promise<VendorSchedule | null> {
  return VendorModel.findById(id, { version: 1, effectiveTier: 1, reassessment: 1, 'assessmentSummary.lastAssessedAt': 1 }).lean<VendorSchedule>()
}

export type VendorCadenceFacts = Pick<VendorRecord, '_id' | 'effectiveTier'> & { reassessment?: Pick<ReassessmentRecord, 'cadenceMonths'> | null }

/** What the cadence after a sign-off is computed from. */
export async function findVendorCadenceFacts(id: Types.ObjectId): Promise<VendorCadenceFacts | null> {
  return VendorModel.findById(id, { effectiveTier: 1, 'reassessment.cadenceMonths': 1 }).lean<VendorCadenceFacts>()
}

/** Whether another vendor already has this credit code. */
export async function creditCodeInUse(creditCode: string, exceptId?: Types.ObjectId): Promise<boolean> {
  const filter: Record<string, unknown> = { creditCode }
  if (exceptId) filter._id = { $ne: exceptId }
  return Boolean(await VendorModel.exists(filter))
}

// ---------------------------------------------------------------------------------------------
// Many vendors

export function estimatedVendorCount(): Promise<number> {
  return VendorModel.estimatedDocumentCount()
}

/** Named fields of the vendors with these ids (in no particular order). */
export async function listVendorsByIds<Set extends VendorFieldSet>(ids: readonly Types.ObjectId[], fields: Set): Promise<VendorFields<Set>[]> {
  return VendorModel.find({ _id: { $in: ids } }, projectionOf(fields)).lean<VendorFields<Set>[]>()
}

/** How many of these ids are vendors. */
export function countVendorsByIds(ids: readonly Types.ObjectId[]): Promise<number> {
  return VendorModel.countDocuments({ _id: { $in: ids } })
}

/** The credit codes among these that a vendor already has. */
export async function findCreditCodesInUse(codes: readonly string[]): Promise<string[]> {
  const vendors = await VendorModel.find({ creditCode: { $in: codes } }, { creditCode: 1 }).lean<Pick<VendorRecord, '_id' | 'creditCode'>[]>()
  return vendors.flatMap((vendor) => (vendor.creditCode ? [vendor.creditCode] : []))
}

const ORDERS = { created: { createdAt: 1, _id: 1 }, englishName: { 'legalName.en': 1 } } as const

/**
 * Named fields of the vendors in (or, with `notStatus`, outside) some statuses: all when none is
 * given; in creation or English-name order, or as stored.
 */
export async function listVendorsBy<Set extends VendorFieldSet>(options: {
  fields: Set
  statuses?: readonly VendorStatus[]
  notStatus?: VendorStatus
  order?: keyof typeof ORDERS
  limit?: number
}): Promise<VendorFields<Set>[]> {
  const filter: Record<string, unknown> = {}
  if (options.statuses) filter.status = options.statuses.length === 1 ? options.statuses[0] : { $in: options.statuses }
  else if (options.notStatus) filter.status = { $ne: options.notStatus }
  let query = VendorModel.find(filter, projectionOf(options.fields))
  if (options.order) query = query.sort(ORDERS[options.order])
  if (options.limit) query = query.limit(options.limit)
  return query.lean<VendorFields<Set>[]>()
}

/** The ids of vendors of a tier and/or category (a report batch's filter). */
export async function listVendorIds(filter: { tier?: number; category?: VendorRecord['category'] }): Promise<Types.ObjectId[]> {
  const query: Record<string, unknown> = {}
  if (filter.tier !== undefined) query.effectiveTier = filter.tier
  if (filter.category !== undefined) query.category = filter.category
  return (await VendorModel.find(query, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((vendor) => vendor._id)
}

// ---------------------------------------------------------------------------------------------
// The vendor list

/** Only the list's columns leave the database: the rest of a vendor document is never read for a list. */
const LIST_PROJECTION = {
  legalName: 1,
  creditCode: 1,
  'foreignRegistration.number': 1,
  'foreignRegistration.country': 1,
  category: 1,
  status: 1,
  effectiveTier: 1,
  'tier.override.tier': 1,
  'dataProfile.sensitivity': 1,
  'dataProfile.recordCount': 1,
  'dataProfile.crossBorder': 1,
  'reassessment.nextDueAt': 1,
  updatedAt: 1,
} as const

export type VendorListRecord = Pick<VendorRecord, '_id' | 'legalName' | 'creditCode' | 'foreignRegistration' | 'category' | 'status' | 'effectiveTier' | 'updatedAt'> & {
  tier?: { override?: { tier?: Tier | null } | null } | null
  dataProfile?: Pick<VendorDataProfileRecord, 'sensitivity' | 'recordCount' | 'crossBorder'> | null
  reassessment?: Pick<ReassessmentRecord, 'nextDueAt'> | null
}

export type VendorListFilter = Pick<VendorListQuery, 'q' | 'tier' | 'category' | 'status'>
export type VendorListSort = Record<string, 1 | -1>

/** The database filter for a parsed list query (only parsed primitives reach it). */
export function vendorListFilter(query: VendorListFilter): Record<string, unknown> {
  const filter: Record<string, unknown> = {}
  if (query.tier) filter.effectiveTier = query.tier
  if (query.category) filter.category = query.category
  if (query.status) filter.status = query.status
  const pattern = query.q ? searchPattern(query.q) : null
  if (pattern) filter.searchKey = { $regex: pattern }
  return filter
}

/**
 * One page of the vendor list and the total, for a parsed query. A page past the end shows the last page.
 *
 * The embedded database answers every list query by scanning the collection (it uses an index only
 * for an exact match on all of its fields), so the number of scans is what counts: unfiltered, the
 * total comes from collection metadata and one find sorts and pages; filtered, one aggregation
 * matches and sorts once and returns both the total and the page ($facet) instead of a count and
 * a find that would each scan. See docs/tiering.md → "The vendor list with many vendors" and bench/vendor-list.ts.
 */
export async function findVendorListPage(query: VendorListFilter, sort: VendorListSort, paging: { page: number; size: number }): Promise<{ rows: VendorListRecord[]; total: number; page: number }> {
  const filter = vendorListFilter(query)
  const pageOf = (total: number) => Math.min(paging.page, Math.max(1, Math.ceil(total / paging.size)))

  if (Object.keys(filter).length === 0) {
    const total = await VendorModel.estimatedDocumentCount()
    const page = pageOf(total)
    const rows = await VendorModel.find({}, LIST_PROJECTION).sort(sort).skip((page - 1) * paging.size).limit(paging.size).lean<VendorListRecord[]>()
    return { rows, total, page }
  }

  const run = async (page: number) => {
    const [result] = await VendorModel.aggregate<{ total: { count: number }[]; rows: VendorListRecord[] }>([
      { $match: filter },
      { $sort: sort },
      { $facet: { total: [{ $count: 'count' }], rows: [{ $skip: (page - 1) * paging.size }, { $limit: paging.size }, { $project: LIST_PROJECTION }] } },
    ])
    return { total: result?.total[0]?.count ?? 0, rows: result?.rows ?? [] }
  }
  let page = paging.page
  let result = await run(page)
  if (result.rows.length === 0 && page > 1 && result.total > 0) {
    page = pageOf(result.total) // asked past the end: show the last page
    result = await run(page)
  }
  return { rows: result.rows, total: result.total, page: Math.min(page, pageOf(result.total)) }
}

/** The list's filters in creation order, after a vendor id (the REST API's keyset pages). */
export async function listVendorRowsAfter(query: VendorListFilter, after: Types.ObjectId | null, limit: number): Promise<VendorListRecord[]> {
  const filter = vendorListFilter(query)
  if (after) filter._id = { $gt: after }
  return VendorModel.find(filter, LIST_PROJECTION).sort({ _id: 1 }).limit(limit).lean<VendorListRecord[]>()
}

/** Every vendor matching the list's filters, whole (but the search key), in the list's order: the CSV export. */
export async function listVendorsForExport(query: VendorListFilter, sort: VendorListSort, limit: number): Promise<StoredVendor[]> {
  return VendorModel.find(vendorListFilter(query), { searchKey: 0 }).sort(sort).limit(limit).lean<StoredVendor[]>()
}

// ---------------------------------------------------------------------------------------------
// The schedule's lists

/** The sweep's query: vendors whose reassessment is due to be issued by `horizon` and is not yet. */
export function vendorsToIssueFilter(horizon: Date) {
  return {
    'reassessment.issuedForDueAt': null,
    'reassessment.nextDueAt': { $lte: horizon },
    status: { $in: SCHEDULED_VENDOR_STATUSES },
  }
}

export type VendorDue = Pick<VendorRecord, '_id'> & { reassessment?: Pick<ReassessmentRecord, 'nextDueAt'> | null }

/** The vendors the sweep issues a reassessment for, soonest due first. */
export async function listVendorsToIssue(horizon: Date): Promise<VendorDue[]> {
  return VendorModel.find(vendorsToIssueFilter(horizon), { 'reassessment.nextDueAt': 1 }).sort({ 'reassessment.nextDueAt': 1 }).lean<VendorDue[]>()
}

export type VendorIssueFailure = Pick<VendorRecord, '_id' | 'legalName' | 'effectiveTier'> & { reassessment?: Pick<ReassessmentRecord, 'nextDueAt' | 'issueError'> | null }

/** How many vendors the sweep could not issue, and the first of them by due date. */
export async function listIssueFailedVendors(limit: number): Promise<{ total: number; vendors: VendorIssueFailure[] }> {
  const [total, vendors] = await Promise.all([
    VendorModel.countDocuments(issueFailedFilter()),
    VendorModel.find(issueFailedFilter(), { legalName: 1, effectiveTier: 1, 'reassessment.nextDueAt': 1, 'reassessment.issueError': 1 })
      .sort({ 'reassessment.nextDueAt': 1 })
      .limit(limit)
      .lean<VendorIssueFailure[]>(),
  ])
  return { total, vendors }
}

export type DashboardVendor = Pick<VendorRecord, '_id' | 'status' | 'legalName' | 'effectiveTier'> & {
  reassessment?: Pick<ReassessmentRecord, 'nextDueAt'> | null
  assessmentSummary?: Pick<AssessmentSummaryRecord, 'lastAssessedAt' | 'residualRisk'> | null
}

/** The scheduled vendors' few dashboard fields, in one read (the figures are counted from it). */
export async function listDashboardVendors(): Promise<DashboardVendor[]> {
  return VendorModel.find(
    { status: { $in: [...SCHEDULED_VENDOR_STATUSES] } },
    { status: 1, legalName: 1, effectiveTier: 1, 'reassessment.nextDueAt': 1, 'assessmentSummary.lastAssessedAt': 1, 'assessmentSummary.residualRisk': 1 },
  ).lean<DashboardVendor[]>()
}

export type BucketVendor = DashboardVendor & { reassessment?: Pick<ReassessmentRecord, 'nextDueAt' | 'issueError'> | null }

/** Which vendors a bucket list shows: those of a vendor-based figure, or those with these ids. */
export type BucketVendors = { bucket: Bucket; now: Date; timeZone: string } | { ids: readonly Types.ObjectId[] }

const bucketQuery = (which: BucketVendors) => ('ids' in which ? { _id: { $in: which.ids } } : vendorBucketFilter(which.bucket, which.now, which.timeZone)!)

export function countBucketVendors(which: BucketVendors): Promise<number> {
  return VendorModel.countDocuments(bucketQuery(which))
}

/** A bucket list's vendors, soonest due and lowest tier first. */
export async function listBucketVendors(which: BucketVendors, limit: number): Promise<BucketVendor[]> {
  const projection = {
    legalName: 1,
    effectiveTier: 1,
    status: 1,
    'reassessment.nextDueAt': 1,
    'reassessment.issueError': 1,
    'assessmentSummary.lastAssessedAt': 1,
    'assessmentSummary.residualRisk': 1,
  }
  return VendorModel.find(bucketQuery(which), projection).sort({ 'reassessment.nextDueAt': 1, effectiveTier: 1 }).limit(limit).lean<BucketVendor[]>()
}

// ---------------------------------------------------------------------------------------------
// Writes

/** Where `updateWithVersion` applies a vendor's versioned change. */
export const vendorVersionTarget: VersionedTarget = VendorModel

/** The relay reads and pulls a vendor's pending events through the driver collection. */
export const vendorOutbox = { get collection() { return VendorModel.collection } }

/** The indexes the sweep's queries rely on, built before the job runner starts. */
export async function initVendorStore(): Promise<void> {
  await VendorModel.init()
}

export async function insertVendor(vendor: NewVendorRecord): Promise<void> {
  await VendorModel.create(vendor)
}

/** Many new vendors in one insert (the demo data). */
export async function insertVendors(vendors: NewVendorRecord[]): Promise<void> {
  await VendorModel.insertMany(vendors)
}

/** Applies an edit decided on `version`; null when another write got in first. */
export async function updateVendorAtVersion(id: Types.ObjectId, version: number, update: Record<string, unknown>): Promise<{ version: number } | null> {
  return VendorModel.findOneAndUpdate({ _id: id, version }, update, { new: true, projection: { version: 1 } }).lean<{ version: number }>()
}

/** Fields that describe an issued reassessment; cleared whenever the due date moves. */
export const CLEAR_ISSUE = { 'reassessment.issuedForDueAt': 1, 'reassessment.assessmentId': 1, 'reassessment.issueLease': 1, 'reassessment.issueError': 1 } as const

/** Moves the next due date; what was issued for the old one no longer applies. */
export async function setVendorNextDueAt(id: Types.ObjectId, nextDueAt: Date): Promise<void> {
  await VendorModel.updateOne({ _id: id }, { $set: { 'reassessment.nextDueAt': nextDueAt }, $unset: CLEAR_ISSUE, $inc: { version: 1 } })
}

/** No more reassessments: a vendor that is leaving. */
export async function stopVendorReassessments(id: Types.ObjectId): Promise<void> {
  await VendorModel.updateOne({ _id: id }, { $unset: { 'reassessment.nextDueAt': 1, 'reassessment.issuedForDueAt': 1 }, $inc: { version: 1 } })
}

/** Marks the vendor offboarded; false when it already was. */
export async function markVendorOffboarded(id: Types.ObjectId): Promise<boolean> {
  const marked = await VendorModel.updateOne({ _id: id, status: { $ne: 'offboarded' } }, { $set: { status: 'offboarded' }, $inc: { version: 1 } })
  return marked.modifiedCount === 1
}

/**
 * Writes a signed-off assessment into the vendor's summary, unless a later sign-off already speaks
 * for the vendor. False when it did.
 */
export async function recordAssessmentSummary(input: { vendorId: Types.ObjectId; assessmentId: Types.ObjectId; signedOffAt: Date; set: Record<string, unknown>; unset: Record<string, 1> }): Promise<boolean> {
  const updated = await VendorModel.updateOne(
    {
      _id: input.vendorId,
      $or: [
        { 'assessmentSummary.lastAssessedAt': { $exists: false } },
        { 'assessmentSummary.lastAssessedAt': null },
        { 'assessmentSummary.lastAssessedAt': { $lt: input.signedOffAt } },
        { 'assessmentSummary.lastAssessmentId': input.assessmentId },
      ],
    },
    { $set: input.set, ...(Object.keys(input.unset).length ? { $unset: input.unset } : {}), $inc: { version: 1 } },
  )
  return updated.matchedCount > 0
}
