// The only module that reads and writes batch-download jobs (collection report_batches).
import type { Types } from 'mongoose'
import { ReportBatchModel, type ReportBatchRecord, type ReportBatchState } from '~models/report-batch'

export type { ReportBatchRecord, ReportBatchState }

/** A job as its page shows it: everything but the list of assessments. */
export type ReportBatchSummary = Omit<ReportBatchRecord, 'assessmentIds'>

/** The indexes, built before the jobs start (the job runner). */
export const ensureReportBatchIndexes = () => ReportBatchModel.init()

/** Records a new job (queued); its id. */
export async function insertReportBatch(batch: Pick<ReportBatchRecord, 'createdBy' | 'locale' | 'filters' | 'assessmentIds' | 'total' | 'expiresAt'>): Promise<Types.ObjectId> {
  const created = await ReportBatchModel.create(batch)
  return created._id
}

/** Claims a queued job for this process, with the id its ZIP will have; null when it was started elsewhere. */
export function claimQueuedReportBatch(batchId: string, fileId: Types.ObjectId): Promise<ReportBatchRecord | null> {
  return ReportBatchModel.findOneAndUpdate({ _id: batchId, state: 'queued' }, { $set: { state: 'running', fileId }, $inc: { version: 1 } }, { new: true }).lean<ReportBatchRecord>()
}

/** One more report added to the ZIP. */
export async function countReportBatchProgress(batchId: Types.ObjectId): Promise<void> {
  await ReportBatchModel.updateOne({ _id: batchId }, { $inc: { done: 1, version: 1 } })
}

export async function markReportBatchDone(batchId: Types.ObjectId, size: number, at: Date): Promise<void> {
  await ReportBatchModel.updateOne({ _id: batchId }, { $set: { state: 'done', size, finishedAt: at }, $inc: { version: 1 } })
}

/** The job failed: its ZIP (already deleted) is forgotten. */
export async function markReportBatchFailed(batchId: Types.ObjectId, error: string, at: Date): Promise<void> {
  await ReportBatchModel.updateOne({ _id: batchId }, { $set: { state: 'failed', error, finishedAt: at }, $unset: { fileId: 1 }, $inc: { version: 1 } })
}

/** A job of this user (other users' jobs do not exist for them). */
export function findReportBatchOfUser(batchId: Types.ObjectId, userId: string): Promise<ReportBatchSummary | null> {
  return ReportBatchModel.findOne({ _id: batchId, 'createdBy.id': userId }, { assessmentIds: 0 }).lean<ReportBatchSummary>()
}

/** This user's newest jobs. */
export function listRecentReportBatchesOfUser(userId: string, limit: number): Promise<ReportBatchSummary[]> {
  return ReportBatchModel.find({ 'createdBy.id': userId }, { assessmentIds: 0 }).sort({ createdAt: -1 }).limit(limit).lean<ReportBatchSummary[]>()
}

export type DownloadableBatch = Pick<ReportBatchRecord, '_id' | 'fileId' | 'finishedAt' | 'locale' | 'total'>

/** A finished job of this user that has not expired at `now`. */
export function findDownloadableReportBatch(batchId: Types.ObjectId, userId: string, now: Date): Promise<DownloadableBatch | null> {
  return ReportBatchModel.findOne({ _id: batchId, 'createdBy.id': userId, state: 'done', expiresAt: { $gt: now } }, { fileId: 1, finishedAt: 1, locale: 1, total: 1 }).lean<DownloadableBatch>()
}

/** Jobs with a ZIP that expired at `now`, or that were made before `madeBefore` whatever their state. */
export function listReportBatchesWithStaleZip(now: Date, madeBefore: Date): Promise<Pick<ReportBatchRecord, '_id' | 'fileId'>[]> {
  return ReportBatchModel.find({ fileId: { $exists: true }, $or: [{ expiresAt: { $lte: now } }, { createdAt: { $lte: madeBefore } }] }, { fileId: 1 }).lean<Pick<ReportBatchRecord, '_id' | 'fileId'>[]>()
}

/** The job's ZIP is deleted. */
export async function forgetReportBatchZip(batchId: Types.ObjectId): Promise<void> {
  await ReportBatchModel.updateOne({ _id: batchId }, { $unset: { fileId: 1 }, $inc: { version: 1 } })
}
