import { model, Schema, type Types } from 'mongoose'
import type { OfflineRow } from '../app/modules/assessments/offline-workbook.server'
import { baseSchemaOptions, defineModel } from './shared'

/** An uploaded offline workbook waiting to be applied, as stored (lean). */
export interface OfflinePreviewRecord {
  _id: Types.ObjectId
  idHash: string
  assessmentId: Types.ObjectId
  owner: { kind: 'link' | 'user'; key: string }
  fileName: string
  rows: OfflineRow[]
  expiresAt: Date
  createdAt: Date
  updatedAt: Date
}

// One row of the workbook, read and validated (offline-workbook.server.ts OfflineRow).
const offlineRowSchema = new Schema<OfflineRow>(
  {
    questionId: { type: String, required: true },
    baseRev: { type: Number, required: true },
    // The answer as the autosave would store it: text, option ids, a number or null (AnswerValue),
    // already validated by the question's schema; a union mongoose cannot name, so Mixed.
    value: { type: Schema.Types.Mixed },
    comment: { type: String, default: null },
    row: { type: Number, required: true },
  },
  { _id: false },
)

// An uploaded offline workbook, read and checked, waiting for the person to confirm "apply these
// N changes". The parsed rows live here, not in the page: the apply step never trusts what the
// browser sends back (docs/decisions/034). Found by the SHA-256 of a random id (unique index);
// short-lived, claimed (deleted) by the apply that uses it.
const offlinePreviewSchema = new Schema<OfflinePreviewRecord>(
  {
    idHash: { type: String, required: true },
    assessmentId: { type: Schema.Types.ObjectId, required: true },
    // Who uploaded it: a vendor link (its token hash) or a staff user acting for the vendor.
    owner: { kind: { type: String, enum: ['link', 'user'], required: true }, key: { type: String, required: true } },
    fileName: { type: String, default: '' },
    rows: { type: [offlineRowSchema], default: [] },
    expiresAt: { type: Date, required: true },
  },
  baseSchemaOptions,
)

offlinePreviewSchema.index({ idHash: 1 }, { unique: true })

export const OfflinePreviewModel = defineModel('OfflinePreview', () => model<OfflinePreviewRecord>('OfflinePreview', offlinePreviewSchema, 'offline_previews'))
