// The only module that reads and writes the register of issued reports (collection reports).
import { ReportModel, type ReportRecord } from '~models/report'

export type { ReportRecord }

/** What the first issue of a content records; later issues of the same fingerprint only count. */
export type FirstIssue = Pick<ReportRecord, 'fingerprint' | 'reportId' | 'locale' | 'summary' | 'generatedAt' | 'generatedBy'> &
  Partial<Pick<ReportRecord, 'shortCode' | 'kind' | 'assessmentId' | 'incidentId' | 'vendorId'>>

const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000

/** One atomic upsert per issue: the first creates the record, later ones count and stamp who and when. */
export async function recordReportIssue(first: FirstIssue, last: { at: Date; by: ReportRecord['lastGeneratedBy'] }): Promise<void> {
  const update = { $setOnInsert: first, $set: { lastGeneratedAt: last.at, lastGeneratedBy: last.by }, $inc: { downloads: 1, version: 1 } }
  for (let attempt = 0; ; attempt += 1) {
    try {
      // Two first downloads at the same moment: one insert wins, the other retries as an update.
      await ReportModel.updateOne({ fingerprint: first.fingerprint }, update, { upsert: true })
      return
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= 2) throw error
    }
  }
}

/** The report with this code: its full fingerprint or its printed short code (both unique). */
export function findReport(code: { fingerprint: string } | { shortCode: string }): Promise<ReportRecord | null> {
  return ReportModel.findOne('fingerprint' in code ? { fingerprint: code.fingerprint } : { shortCode: code.shortCode }).lean<ReportRecord>()
}
