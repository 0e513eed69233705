import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// Every e-mail the portal sends, whether it went out over SMTP or stayed in the outbox (no SMTP
// configured). dedupeKey makes a message exactly-once: a second send with the same key is refused
// by the unique index, across app instances and restarts.
const mailMessageSchema = new Schema(
  {
    to: { type: [String], required: true },
    cc: { type: [String], default: [] },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    html: { type: String },
    locale: { type: String },
    kind: { type: String, required: true }, // e.g. "invitation", "reminder", "escalation"
    dedupeKey: { type: String },
    related: { kind: String, id: String },
    status: { type: String, enum: ['sending', 'sent', 'outbox', 'failed'], required: true },
    transport: { type: String, enum: ['smtp', 'outbox'], required: true },
    error: { type: String },
    sentAt: { type: Date },
  },
  baseSchemaOptions,
)
mailMessageSchema.index({ dedupeKey: 1 }, { unique: true, sparse: true })
mailMessageSchema.index({ createdAt: -1 })
mailMessageSchema.index({ 'related.kind': 1, 'related.id': 1 })

export type MailMessageDocument = InferSchemaType<typeof mailMessageSchema> & { _id: Types.ObjectId }
export const MailMessageModel = defineModel('MailMessage', () => model('MailMessage', mailMessageSchema, 'mail_messages'))
