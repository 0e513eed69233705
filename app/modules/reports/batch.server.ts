// Batch downloads: the reports of a filtered set of assessments as one ZIP. The ZIP is made in
// the background by the server process that was asked, one report after another (yielding between
// them so pages stay responsive), while the page polls the job's `done` of `total`. The ZIP is
// streamed into the database (GridFS bucket "report-batches"), so with several app instances
// behind a load balancer any of them serves the download; the sweep deletes expired ones.
import { Readable } from 'node:stream'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { ZipArchive } from 'archiver'
import mongoose, { Types } from 'mongoose'
import { countReportBatch, listReportBatchIds, previewReportBatch, type ReportBatchCriteria } from '~/modules/assessments/assessment-store.server'
import type { AssessmentStatus } from '~/modules/assessments/vocabulary'
import { listVendorIds } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import { localized, type Locale } from '~/i18n/locales'
import { endOfDayIn, startOfDayIn } from '~/modules/dates/dates'
import { recordAudit } from '~/modules/audit/audit.server'
import { issueReportBuffer, type ReportActor } from './issue.server'
import { REPORTABLE_STATUSES } from './report-data'
import { REVIEWABLE } from '~/modules/assessments/lifecycle'
import { BATCH_MAX_REPORTS, type BatchFilter } from './schemas'
import {
  claimQueuedReportBatch,
  countReportBatchProgress,
  findDownloadableReportBatch,
  findReportBatchOfUser,
  forgetReportBatchZip,
  insertReportBatch,
  listRecentReportBatchesOfUser,
  listReportBatchesWithStaleZip,
  markReportBatchDone,
  markReportBatchFailed,
  type ReportBatchSummary,
} from './report-batch-store.server'

const BATCH_LIFETIME_MS = 60 * 60 * 1000
/** Whatever its state, a batch's ZIP is deleted this long after the batch was made. */
const BATCH_FILE_MAX_AGE_MS = 24 * 60 * 60 * 1000
const PREVIEW_ROWS = 50
const BUCKET = 'report-batches'

function bucket() {
  const db = mongoose.connection.db
  if (!db) throw new Error('database not connected')
  return new mongoose.mongo.GridFSBucket(db, { bucketName: BUCKET })
}

/** Deletes a ZIP's file and chunks; also the chunks of an upload a crash cut off (no file record). */
async function deleteZip(fileId: Types.ObjectId) {
  try {
    await bucket().delete(fileId)
  } catch {
    await mongoose.connection.db!.collection(`${BUCKET}.chunks`).deleteMany({ files_id: fileId })
  }
}

const STATUS_SETS: Record<BatchFilter['status'], readonly AssessmentStatus[]> = {
  all: REPORTABLE_STATUSES,
  completed: ['completed'],
  open: REVIEWABLE,
}

/** The assessments criteria for a filter; only parsed values reach it. */
async function assessmentQuery(filter: BatchFilter): Promise<ReportBatchCriteria> {
  const query: ReportBatchCriteria = { statuses: STATUS_SETS[filter.status] }
  if (filter.tier !== undefined || filter.category !== undefined) {
    query.vendorIds = await listVendorIds({ tier: filter.tier, category: filter.category })
  }
  if (filter.from || filter.to) {
    const timeZone = getEnv().INSTITUTION_TIMEZONE
    query.submitted = {}
    if (filter.from) query.submitted.from = startOfDayIn(filter.from, timeZone)
    if (filter.to) query.submitted.to = endOfDayIn(filter.to, timeZone)
  }
  return query
}

export interface BatchPreviewRow {
  id: string
  vendorName: string
  status: string
  submittedAt: string | null
}

/** How many assessments match, and the first of them (newest submission first). */
export async function previewBatch(filter: BatchFilter, locale: Locale): Promise<{ total: number; rows: BatchPreviewRow[] }> {
  const query = await assessmentQuery(filter)
  const { total, rows: assessments } = await previewReportBatch(query, PREVIEW_ROWS)
  return {
    total,
    rows: assessments.map((assessment) => ({
      id: String(assessment._id),
      vendorName: localized(assessment.vendorSnapshot?.legalName, locale) || '—',
      status: assessment.status,
      submittedAt: assessment.submission?.at?.toISOString() ?? null,
    })),
  }
}

export type StartBatchResult = { ok: true; batchId: string } | { ok: false; reason: 'none' | 'too_many'; total: number }

/** Records the job and starts it; the page then polls batchStatus. */
export async function startBatch(filter: BatchFilter, actor: ReportActor, now = new Date()): Promise<StartBatchResult> {
  const query = await assessmentQuery(filter)
  const assessments = await listReportBatchIds(query, BATCH_MAX_REPORTS + 1)
  if (assessments.length === 0) return { ok: false, reason: 'none', total: 0 }
  if (assessments.length > BATCH_MAX_REPORTS) return { ok: false, reason: 'too_many', total: await countReportBatch(query) }
  void sweepExpiredBatches(now).catch((error: unknown) => console.error('[clausewise] report batch sweep failed:', error))
  const batchObjectId = await insertReportBatch({
    createdBy: { id: actor.id, name: actor.name },
    locale: filter.lang,
    filters: filter,
    assessmentIds: assessments.map((assessment) => assessment._id),
    total: assessments.length,
    expiresAt: new Date(now.getTime() + BATCH_LIFETIME_MS),
  })
  await recordAudit({
    actor: { kind: 'user', id: actor.id, label: actor.name },
    action: 'report.batch',
    subject: { kind: 'report-batch', id: String(batchObjectId) },
    details: { total: assessments.length, filters: filter },
  })
  const batchId = String(batchObjectId)
  void runBatch(batchId, actor).catch((error: unknown) => console.error(`[clausewise] report batch ${batchId} failed:`, error))
  return { ok: true, batchId }
}

/** Makes the ZIP: one report after another, counting each in the job record as it is added. */
export async function runBatch(batchId: string, actor: ReportActor): Promise<void> {
  const fileId = new Types.ObjectId()
  // The file's id is recorded with the claim, so a ZIP cut off by a crash is still found and deleted.
  const batch = await claimQueuedReportBatch(batchId, fileId)
  if (!batch) return // already started elsewhere
  const date = new Date().toISOString().slice(0, 10)
  const upload = bucket().openUploadStreamWithId(fileId, `clausewise-reports_${date}_${batch.locale}_${batch.total}.zip`, { metadata: { batchId, contentType: 'application/zip' } })
  try {
    const archive = new ZipArchive({ store: true }) // PDFs are compressed already
    const written = new Promise<void>((resolve, reject) => {
      upload.on('finish', () => resolve())
      upload.on('error', reject)
      archive.on('error', reject)
    })
    archive.pipe(upload)
    const manifest: string[][] = [['file', 'report_id', 'fingerprint', 'assessment_id', 'vendor', 'status', 'pages']]
    for (const assessmentId of batch.assessmentIds) {
      const issued = await issueReportBuffer({ assessmentId: String(assessmentId), locale: batch.locale, actor })
      if (issued.status === 'ok') {
        const name = zipEntryName(issued.data.vendor.name.en, String(assessmentId), batch.locale)
        archive.append(issued.pdf, { name })
        manifest.push([name, issued.reportId, issued.fingerprint, String(assessmentId), localized(issued.data.vendor.name, batch.locale), issued.data.assessment.status, String(issued.pages)])
      } else {
        manifest.push(['', '', '', String(assessmentId), '', issued.status === 'not_reportable' ? issued.assessmentStatus : 'not_found', ''])
      }
      await countReportBatchProgress(batch._id)
      await yieldToEventLoop()
    }
    archive.append(`\ufeff${manifest.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`, { name: 'manifest.csv' })
    await archive.finalize()
    await written
    await markReportBatchDone(batch._id, upload.length, new Date())
  } catch (error) {
    upload.destroy()
    await deleteZip(fileId)
    await markReportBatchFailed(batch._id, error instanceof Error ? error.message : String(error), new Date())
    throw error
  }
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

function zipEntryName(vendorName: string, assessmentId: string, locale: string): string {
  const slug =
    vendorName
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-')
      .slice(0, 50) || 'vendor'
  return `${slug}_${assessmentId}_${locale}.pdf`
}

export type BatchState = 'queued' | 'running' | 'done' | 'failed' | 'expired'

export interface BatchView {
  id: string
  state: BatchState
  done: number
  total: number
  size: number | null
  locale: Locale
  createdAt: string
}

function asObjectId(id: string): Types.ObjectId | null {
  return /^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null
}

/** A running job whose record has not moved for this long was cut off (its server stopped). */
const STALLED_MS = 5 * 60 * 1000

function viewOf(batch: ReportBatchSummary, now: Date): BatchView {
  const expired = batch.expiresAt.getTime() <= now.getTime()
  const stalled = (batch.state === 'running' || batch.state === 'queued') && now.getTime() - (batch.updatedAt ?? now).getTime() > STALLED_MS
  return {
    id: String(batch._id),
    state: expired ? 'expired' : stalled ? 'failed' : batch.state,
    done: batch.done,
    total: batch.total,
    size: batch.size ?? null,
    locale: batch.locale,
    createdAt: (batch.createdAt ?? now).toISOString(),
  }
}

/** A job as its creator sees it; other users' jobs do not exist for them. */
export async function batchStatus(batchId: string, userId: string, now = new Date()): Promise<BatchView | null> {
  const id = asObjectId(batchId)
  if (!id) return null
  const batch = await findReportBatchOfUser(id, userId)
  return batch ? viewOf(batch, now) : null
}

export async function recentBatches(userId: string, now = new Date()): Promise<BatchView[]> {
  const batches = await listRecentReportBatchesOfUser(userId, 5)
  return batches.map((batch) => viewOf(batch, now))
}

/** The finished ZIP of a job of this user, while it has not expired, from whichever instance made it. */
export async function openBatchZip(batchId: string, userId: string, now = new Date()) {
  const id = asObjectId(batchId)
  if (!id) return null
  const batch = await findDownloadableReportBatch(id, userId, now)
  if (!batch?.fileId) return null
  const [file] = await bucket().find({ _id: batch.fileId }).limit(1).toArray()
  if (!file) return null
  const date = (batch.finishedAt ?? now).toISOString().slice(0, 10)
  const body = Readable.toWeb(bucket().openDownloadStream(batch.fileId)) as ReadableStream<Uint8Array>
  return { body, size: file.length, filename: `clausewise-reports_${date}_${batch.locale}_${batch.total}.zip` }
}

/**
 * Deletes the ZIPs of expired jobs, and of any job older than a day whatever its state (one a
 * crash cut off). Run by the schedule sweep and when a batch starts; returns how many it deleted.
 */
export async function sweepExpiredBatches(now = new Date()): Promise<number> {
  const stale = await listReportBatchesWithStaleZip(now, new Date(now.getTime() - BATCH_FILE_MAX_AGE_MS))
  for (const batch of stale) {
    if (batch.fileId) await deleteZip(batch.fileId)
    await forgetReportBatchZip(batch._id)
  }
  return stale.length
}
