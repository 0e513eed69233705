// The only module that reads and writes offline-workbook previews (collection offline_previews).
import type { Types } from 'mongoose'
import { OfflinePreviewModel, type OfflinePreviewRecord } from '~models/offline-preview'

export type { OfflinePreviewRecord }

/** Stores a preview; the previews that expired before `now` are dropped first (a scan of a small collection). */
export async function insertOfflinePreview(preview: Pick<OfflinePreviewRecord, 'idHash' | 'assessmentId' | 'owner' | 'fileName' | 'rows' | 'expiresAt'>, now: Date): Promise<void> {
  await OfflinePreviewModel.deleteMany({ expiresAt: { $lt: now } })
  await OfflinePreviewModel.create(preview)
}

/** The preview with this id hash (unique index). */
export function findOfflinePreview(idHash: string): Promise<OfflinePreviewRecord | null> {
  return OfflinePreviewModel.findOne({ idHash }).lean<OfflinePreviewRecord>()
}

/** Claims a preview by deleting it: true for the one caller that deleted it. */
export async function claimOfflinePreview(previewId: Types.ObjectId): Promise<boolean> {
  const claimed = await OfflinePreviewModel.deleteOne({ _id: previewId })
  return claimed.deletedCount === 1
}
