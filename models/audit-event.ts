import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// Append-only record of who changed what. One document per event, written beside the change.
const auditEventSchema = new Schema(
  {
    actor: {
      kind: { type: String, enum: ['user', 'vendor-contact', 'system'], required: true },
      id: { type: String },
      label: { type: String },
    },
    action: { type: String, required: true }, // e.g. "vendor.create", "assessment.submit"
    subject: {
      kind: { type: String, required: true }, // "vendor", "assessment", "user", …
      id: { type: String, required: true },
    },
    details: { type: Schema.Types.Mixed },
  },
  { ...baseSchemaOptions, timestamps: { createdAt: true, updatedAt: false } },
)
auditEventSchema.index({ 'subject.kind': 1, 'subject.id': 1, createdAt: -1 })

export type AuditEventDocument = InferSchemaType<typeof auditEventSchema> & { _id: Types.ObjectId }
export const AuditEventModel = defineModel('AuditEvent', () => model('AuditEvent', auditEventSchema, 'audit_events'))
