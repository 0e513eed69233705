// The incidents collection: the only module that queries or updates it. Reads return typed lean
// records; every change is one atomic update of one incident that also appends to its timeline.
import type { Types } from 'mongoose'
import { IncidentModel, type IncidentRecord, type IncidentTimelineEntry } from '~models/incident'
import type { DomainEvent } from '~/modules/events/catalogue.server'
import { withEvents } from '~/modules/events/pending'
import { OPEN_INCIDENT_STATUSES, type IncidentTaskKind } from './vocabulary'

export type { IncidentActor, IncidentAttachment, IncidentRecord, IncidentTask, IncidentTimelineEntry } from '~models/incident'

/** An incident as the register and the dashboard read it. */
export type IncidentRow = Pick<IncidentRecord, '_id' | 'reference' | 'vendorId' | 'vendorName' | 'title' | 'status' | 'effectiveSeverity' | 'detectedAt' | 'tasks' | 'createdAt'> & {
  notification: Pick<IncidentRecord['notification'], 'state'>
}
const ROW_PROJECTION = { reference: 1, vendorId: 1, vendorName: 1, title: 1, status: 1, effectiveSeverity: 1, 'notification.state': 1, detectedAt: 1, tasks: 1, createdAt: 1 }

/** The parts of an incident a change decides on. */
const PARTS = {
  /** Transitions and task edits. */
  workflow: ['status', 'version', 'reference', 'tasks'],
  /** The severity override. */
  severity: ['severity', 'effectiveSeverity', 'version', 'reference'],
  version: ['version'],
} as const satisfies Record<string, readonly (keyof IncidentRecord)[]>
export type IncidentPart<P extends keyof typeof PARTS> = Pick<IncidentRecord, '_id' | (typeof PARTS)[P][number]>

/** What the register lists: one vendor's incidents, or the open ones. */
export interface IncidentRowQuery {
  vendorId?: Types.ObjectId
  open?: boolean
}
function rowFilter(query: IncidentRowQuery): Record<string, unknown> {
  const filter: Record<string, unknown> = {}
  if (query.vendorId) filter.vendorId = query.vendorId
  if (query.open) filter.status = { $in: OPEN_INCIDENT_STATUSES }
  return filter
}

// ---------------------------------------------------------------------------------------------
// Reading

export async function findIncident(id: Types.ObjectId | string): Promise<IncidentRecord | null> {
  return IncidentModel.findById(id).lean<IncidentRecord>()
}

export async function findIncidentPart<P extends keyof typeof PARTS>(id: Types.ObjectId | string, part: P): Promise<IncidentPart<P> | null> {
  return IncidentModel.findById(id, Object.fromEntries(PARTS[part].map((field) => [field, 1]))).lean<IncidentPart<P>>()
}

/** The register's rows, newest first; at most `limit`. */
export async function listIncidentRows(query: IncidentRowQuery, limit: number): Promise<IncidentRow[]> {
  return IncidentModel.find(rowFilter(query), ROW_PROJECTION).sort({ createdAt: -1 }).limit(limit).lean<IncidentRow[]>()
}

/** The register's rows in creation order after an incident id: the REST API's keyset pages. */
export async function listIncidentRowsAfter(query: IncidentRowQuery, afterId: Types.ObjectId | null, limit: number): Promise<IncidentRow[]> {
  const filter = rowFilter(query)
  if (afterId) filter._id = { $gt: afterId }
  return IncidentModel.find(filter, ROW_PROJECTION).sort({ _id: 1 }).limit(limit).lean<IncidentRow[]>()
}

export type LinkReport = Pick<IncidentRecord, '_id' | 'reference' | 'title' | 'status' | 'createdAt'>

/** The reports filed through one vendor link, newest first (at most 50). */
export async function listReportsOfLink(vendorId: Types.ObjectId, linkId: Types.ObjectId): Promise<LinkReport[]> {
  return IncidentModel.find({ vendorId, linkId }, { reference: 1, title: 1, status: 1, createdAt: 1 }).sort({ createdAt: -1 }).limit(50).lean<LinkReport[]>()
}

export type IncidentWithTasks = Pick<IncidentRecord, '_id' | 'reference' | 'title' | 'vendorName' | 'tasks'>

/** Open incidents with a task not done and due by `horizon` (or past due). */
export async function listIncidentsWithTasksDue(horizon: Date): Promise<IncidentWithTasks[]> {
  return IncidentModel.find(
    { status: { $in: OPEN_INCIDENT_STATUSES }, tasks: { $elemMatch: { doneAt: null, dueAt: { $lte: horizon } } } },
    { reference: 1, title: 1, vendorName: 1, tasks: 1 },
  ).lean<IncidentWithTasks[]>()
}

/** Open incidents whose finding or trigger a crash may have left unrecorded (at most 100). */
export async function listIncidentsWithPendingConsequences(): Promise<Pick<IncidentRecord, '_id'>[]> {
  return IncidentModel.find(
    { status: { $in: OPEN_INCIDENT_STATUSES }, $or: [{ 'notification.state': 'missed', 'notification.findingId': null }, { triggerKeys: { $size: 0 } }] },
    { _id: 1 },
  )
    .limit(100)
    .lean<Pick<IncidentRecord, '_id'>[]>()
}

// ---------------------------------------------------------------------------------------------
// Writing

/** What a new incident carries; the schema's defaults fill in the rest. */
export type NewIncident = Omit<IncidentRecord, 'status' | 'triggerKeys' | 'version' | 'createdAt' | 'updatedAt' | 'severity' | 'notification'> & {
  status: 'reported'
  severity: Omit<IncidentRecord['severity'], 'override'>
  notification: Omit<IncidentRecord['notification'], 'findingId'>
}

/** Inserts a new incident; throws the database's duplicate-key error for a reference already taken. */
export async function insertIncident(incident: NewIncident): Promise<void> {
  await IncidentModel.create(incident)
}

/** A change decided on the incident at `version`: the fields set or removed, and its timeline entry. */
export interface IncidentChange {
  set?: Record<string, unknown>
  unset?: Record<string, 1>
  timeline: IncidentTimelineEntry
}

/** Applies the change if the incident is still at `version` (and matches `where`); false if it moved on. */
export async function applyIncidentChange(id: Types.ObjectId, version: number, where: Record<string, unknown>, change: IncidentChange): Promise<boolean> {
  const update: Record<string, unknown> = { $push: { timeline: change.timeline }, $inc: { version: 1 } }
  if (change.set && Object.keys(change.set).length) update.$set = change.set
  if (change.unset && Object.keys(change.unset).length) update.$unset = change.unset
  const written = await IncidentModel.updateOne({ _id: id, version, ...where }, update)
  return written.modifiedCount === 1
}

/** Records the finding a missed deadline opened, once. */
export async function linkIncidentFinding(id: Types.ObjectId, findingId: Types.ObjectId, timeline: IncidentTimelineEntry): Promise<boolean> {
  const linked = await IncidentModel.updateOne({ _id: id, 'notification.findingId': null }, { $set: { 'notification.findingId': findingId }, $push: { timeline }, $inc: { version: 1 } })
  return linked.modifiedCount === 1
}

/** Records that the vendor's reassessment trigger `key` is done, once. */
export async function markIncidentTriggered(id: Types.ObjectId, key: string, timeline: IncidentTimelineEntry, ...events: DomainEvent[]): Promise<boolean> {
  const marked = await IncidentModel.updateOne({ _id: id, triggerKeys: { $ne: key } }, withEvents({ $addToSet: { triggerKeys: key }, $push: { timeline }, $inc: { version: 1 } }, ...events))
  return marked.modifiedCount === 1
}

/** Marks the task at `index` reminded or escalated (if it is still that task and not marked yet). */
export async function markTaskMailed(id: Types.ObjectId, index: number, kind: IncidentTaskKind, field: 'remindedAt' | 'escalatedAt', now: Date): Promise<void> {
  await IncidentModel.updateOne({ _id: id, [`tasks.${index}.kind`]: kind, [`tasks.${index}.${field}`]: null }, { $set: { [`tasks.${index}.${field}`]: now } })
}

/** The driver collection, for the events relay (it reads and pulls `pendingEvents` of every source alike). */
export const incidentsCollection = () => IncidentModel.collection

/** Builds the collection's indexes (the scheduler waits for them before its first sweep). */
export const initIncidentStore = () => IncidentModel.init()
