import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// An uploaded offline workbook, read and checked, waiting for the person to confirm "apply these
// N changes". The parsed rows live here, not in the page: the apply step never trusts what the
// browser sends back (docs/decisions/034). Found by the SHA-256 of a random id (unique index);
// short-lived, claimed (deleted) by the apply that uses it.
const offlinePreviewSchema = new Schema(
  {
    idHash: { type: String, required: true },
    assessmentId: { type: Schema.Types.ObjectId, required: true },
    // Who uploaded it: a vendor link (its token hash) or a staff user acting for the vendor.
    owner: { kind: { type: String, enum: ['link', 'user'], required: true }, key: { type: String, required: true } },
    fileName: { type: String, default: '' },
    rows: { type: Schema.Types.Mixed, default: [] }, // OfflineRow[] (validated values)
    expiresAt: { type: Date, required: true },
  },
  baseSchemaOptions,
)

offlinePreviewSchema.index({ idHash: 1 }, { unique: true })

export type OfflinePreviewDocument = InferSchemaType<typeof offlinePreviewSchema> & { _id: Types.ObjectId }
export const OfflinePreviewModel = defineModel('OfflinePreview', () => model('OfflinePreview', offlinePreviewSchema, 'offline_previews'))
