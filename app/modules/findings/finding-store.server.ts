// The findings collection: the only module that queries or updates it. Reads return typed lean
// records; every write is one atomic update of one finding with the filter and operators its
// caller's rule needs (the version guard, the status it must still have).
import { Types } from 'mongoose'
import { FindingModel, type FindingHistoryEntry, type FindingRecord } from '~models/finding'
import type { DomainEvent } from '~/modules/events/catalogue.server'
import { withEvents } from '~/modules/events/pending'
import type { LocalizedText } from '~/modules/library/content-schema'
import type { FindingListQuery } from './schemas'
import { UNRESOLVED_FINDING_STATUSES, type FindingStatus } from './vocabulary'

export type { FindingHistoryEntry, FindingRecord }

/** A finding as the lists read it: without its history and (on the list pages) its description. */
export type FindingListRecord = Omit<FindingRecord, 'history' | 'description'> & Partial<Pick<FindingRecord, 'history' | 'description'>>

/** What a new finding carries; the schema's defaults fill in the rest. */
export type NewFinding = Pick<FindingRecord, 'vendorId' | 'vendorName' | 'key' | 'source' | 'severity' | 'computedSeverity' | 'title' | 'description' | 'remediation' | 'owner' | 'dueAt' | 'status' | 'history'> &
  Partial<Pick<FindingRecord, '_id' | 'assessmentId' | 'incidentId' | 'pendingEvents'>>

const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000

/** The list's filter; only parsed primitives reach it. */
function listFilter(query: Omit<FindingListQuery, 'page'>, now: Date): Record<string, unknown> {
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

// ---------------------------------------------------------------------------------------------
// Reading

export async function findFinding(id: Types.ObjectId): Promise<FindingRecord | null> {
  return FindingModel.findById(id).lean<FindingRecord>()
}

/** An assessment's findings, whole or without their history. */
export async function listFindingsOfAssessment(assessmentId: Types.ObjectId): Promise<FindingRecord[]>
export async function listFindingsOfAssessment(assessmentId: Types.ObjectId, options: { history: false }): Promise<FindingListRecord[]>
export async function listFindingsOfAssessment(assessmentId: Types.ObjectId, options?: { history: false }): Promise<FindingListRecord[]> {
  return FindingModel.find({ assessmentId }, options ? { history: 0 } : {}).lean<FindingListRecord[]>()
}

/** The finding an incident opened (no assessment; the key "incident:<id>"). */
export async function findIncidentFindingId(key: string): Promise<Types.ObjectId | null> {
  return (await FindingModel.findOne({ assessmentId: null, key }, { _id: 1 }).lean<Pick<FindingRecord, '_id'>>())?._id ?? null
}

export async function countFindings(query: Omit<FindingListQuery, 'page'> | null, now: Date): Promise<number> {
  return FindingModel.countDocuments(query ? listFilter(query, now) : {})
}

/** The list's findings by due date, without history and description: a page, or all of them (capped). */
export async function listFindingRecords(query: Omit<FindingListQuery, 'page'>, now: Date, range: { skip?: number; limit: number }): Promise<FindingListRecord[]> {
  let find = FindingModel.find(listFilter(query, now), { history: 0, description: 0 }).sort({ dueAt: 1, _id: 1 })
  if (range.skip) find = find.skip(range.skip)
  return find.limit(range.limit).lean<FindingListRecord[]>()
}

/** The list's findings in creation order after a finding id (the REST API's keyset pages), without history. */
export async function listFindingRecordsAfter(query: Omit<FindingListQuery, 'page'>, afterId: Types.ObjectId | null, limit: number, now: Date): Promise<FindingListRecord[]> {
  const filter = listFilter(query, now)
  if (afterId) filter._id = { $gt: afterId }
  return FindingModel.find(filter, { history: 0 }).sort({ _id: 1 }).limit(limit).lean<FindingListRecord[]>()
}

/** Vendors that have findings, with the name the first one copied. */
export async function listVendorsWithFindings(): Promise<{ _id: Types.ObjectId; name: LocalizedText }[]> {
  return FindingModel.aggregate<{ _id: Types.ObjectId; name: LocalizedText }>([{ $group: { _id: '$vendorId', name: { $first: '$vendorName' } } }])
}

/** Unresolved findings, and those of them past due. */
export async function countUnresolvedFindings(now: Date): Promise<{ open: number; overdue: number }> {
  const [open, overdue] = await Promise.all([
    FindingModel.countDocuments({ status: { $in: ['open', 'in_progress'] } }),
    FindingModel.countDocuments({ status: { $in: ['open', 'in_progress'] }, dueAt: { $lt: now } }),
  ])
  return { open, overdue }
}

export type OverdueCandidate = Pick<FindingRecord, '_id' | 'vendorId' | 'assessmentId' | 'severity' | 'dueAt' | 'overdueAnnouncedFor'>

/** Unresolved findings past their due date (announced or not). */
export async function listOverdueFindings(now: Date): Promise<OverdueCandidate[]> {
  return FindingModel.find(
    { status: { $in: UNRESOLVED_FINDING_STATUSES }, dueAt: { $lt: now } },
    { vendorId: 1, assessmentId: 1, severity: 1, dueAt: 1, overdueAnnouncedFor: 1 },
  ).lean<OverdueCandidate[]>()
}

// ---------------------------------------------------------------------------------------------
// Writing

/** One new finding; null if the (assessment, key) already has one (the unique index). */
export async function insertFinding(finding: NewFinding): Promise<Types.ObjectId | null> {
  try {
    return (await FindingModel.create(finding))._id
  } catch (error) {
    if (isDuplicateKey(error)) return null
    throw error
  }
}

/**
 * New findings in one round trip. A key created at the same moment elsewhere fails on the unique
 * index and is simply not counted (the caller re-plans); the others are inserted all the same.
 */
export async function insertFindings(findings: NewFinding[]): Promise<number> {
  try {
    return (await FindingModel.insertMany(findings, { ordered: false })).length
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors
    const duplicates = writeErrors?.every((entry) => (entry.code ?? entry.err?.code) === 11000)
    if (!isDuplicateKey(error) && !duplicates) throw error
    const insertedDocs = (error as { insertedDocs?: unknown[] }).insertedDocs
    return insertedDocs?.length ?? findings.length - (writeErrors?.length ?? findings.length)
  }
}

/** The score refresh's change of a finding still at `version`; false if it moved on. */
export async function refreshFinding(change: { id: Types.ObjectId; version: number; set: Record<string, unknown>; history: FindingHistoryEntry; events: DomainEvent[] }): Promise<boolean> {
  const updated = await FindingModel.updateOne({ _id: change.id, version: change.version }, withEvents({ $set: change.set, $push: { history: change.history }, $inc: { version: 1 } }, ...change.events))
  return updated.matchedCount === 1
}

/** The score no longer produces it: closed, if it is still at `version` and `from`. */
export async function resolveFindingByScore(change: { id: Types.ObjectId; version: number; from: FindingStatus; now: Date; events: DomainEvent[] }): Promise<boolean> {
  const { now } = change
  const updated = await FindingModel.updateOne(
    { _id: change.id, version: change.version, status: change.from },
    withEvents(
      {
        $set: { status: 'closed', resolvedByScore: true, closedAt: now },
        $push: { history: { at: now, event: 'auto_resolved', changes: { status: [change.from, 'closed'] } } },
        $inc: { version: 1 },
      },
      ...change.events,
    ),
  )
  return updated.matchedCount === 1
}

/** Compliance's edit of a finding still at `version`: its new version, or null if it moved on. */
export async function editFinding(change: {
  id: Types.ObjectId
  version: number
  set: Record<string, unknown>
  unset: Record<string, 1>
  history: FindingHistoryEntry
  events: DomainEvent[]
}): Promise<number | null> {
  const updated = await FindingModel.findOneAndUpdate(
    { _id: change.id, version: change.version },
    withEvents(
      {
        $set: change.set,
        ...(Object.keys(change.unset).length ? { $unset: change.unset } : {}),
        $push: { history: change.history },
        $inc: { version: 1 },
      },
      ...change.events,
    ),
    { new: true, projection: { version: 1 } },
  ).lean<Pick<FindingRecord, '_id' | 'version'>>()
  return updated ? (updated.version ?? 0) : null
}

/** Announces the passing of this due date once: guarded by the due date and the previous announcement. */
export async function markOverdueAnnounced(finding: OverdueCandidate, overdue: DomainEvent): Promise<boolean> {
  const written = await FindingModel.updateOne(
    { _id: finding._id, dueAt: finding.dueAt, overdueAnnouncedFor: finding.overdueAnnouncedFor ?? null, status: { $in: UNRESOLVED_FINDING_STATUSES } },
    withEvents({ $set: { overdueAnnouncedFor: finding.dueAt } }, overdue),
  )
  return written.modifiedCount === 1
}

// ---------------------------------------------------------------------------------------------
// Demo seeding and infrastructure

/** Demo: a finding's due date moved (to make one overdue). */
export async function setFindingDueAt(id: Types.ObjectId, dueAt: Date): Promise<void> {
  await FindingModel.updateOne({ _id: id }, { $set: { dueAt } })
}

/** Demo: last year's findings were dealt with in their year. */
export async function closeFindingsOfAssessment(assessmentId: Types.ObjectId): Promise<void> {
  await FindingModel.updateMany({ assessmentId }, { $set: { status: 'closed' } })
}

/** The driver collection, for the events relay (it reads and pulls `pendingEvents` of every source alike). */
export const findingsCollection = () => FindingModel.collection

/** Builds the collection's indexes (the scheduler waits for them before its first sweep). */
export const initFindingStore = () => FindingModel.init()
