import { model, Schema, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// Every e-mail the portal sends: an outbox. A message is recorded first (status "queued"), then
// claimed by one sender at a time (status "sending", with a lease), sent over SMTP and marked
// "sent"; a failed attempt goes back to "queued" with a later nextAttemptAt (exponential backoff)
// until it succeeds or runs out of attempts ("failed"). Without SMTP configured a message stays
// in the outbox ("outbox"). dedupeKey makes a message exactly-once: a second send with the same
// key is refused by the unique index, across app instances and restarts; its Message-ID header is
// derived from the key, so a resend after a crash is recognisable as the same message.
export const MAIL_STATUSES = ['queued', 'sending', 'sent', 'outbox', 'failed'] as const
export type MailStatus = (typeof MAIL_STATUSES)[number]

/**
 * What to record once a message is delivered: today only a vendor link's e-mail (mark the
 * invitation mailed and retire the links it replaces; app/modules/assessments/link-mail.server.ts).
 */
export interface MailDeliveryEffect {
  kind: 'vendor-link'
  assessmentId: string
  invitationId: string
  /** Invitations this link replaces: retired once it is delivered. */
  retire?: string[]
  retiredBy?: string
}

/** A message of the outbox as stored (lean). */
export interface MailMessageRecord {
  _id: Types.ObjectId
  to: string[]
  cc: string[]
  subject: string
  text: string
  html?: string
  locale?: string
  kind: string
  dedupeKey?: string
  related?: { kind: string; id: string }
  status: MailStatus
  transport: 'smtp' | 'outbox'
  messageId?: string
  attempts: number
  nextAttemptAt?: Date
  lastAttemptAt?: Date
  claim?: { by: string; until: Date }
  error?: string
  onDelivered?: MailDeliveryEffect
  sentAt?: Date
  createdAt: Date
  updatedAt: Date
}

const deliveryEffectSchema = new Schema<MailDeliveryEffect>(
  {
    kind: { type: String, enum: ['vendor-link'], required: true },
    assessmentId: { type: String, required: true },
    invitationId: { type: String, required: true },
    retire: { type: [String], default: undefined },
    retiredBy: { type: String },
  },
  { _id: false },
)

const mailMessageSchema = new Schema<MailMessageRecord>(
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
    status: { type: String, enum: MAIL_STATUSES, required: true },
    transport: { type: String, enum: ['smtp', 'outbox'], required: true },
    messageId: { type: String }, // the Message-ID header, the same on every attempt
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date },
    lastAttemptAt: { type: Date },
    claim: { type: new Schema({ by: String, until: Date }, { _id: false }), default: undefined },
    error: { type: String }, // the last attempt's error
    // What to record once the message is delivered (e.g. a vendor link: mark it mailed and retire
    // the links it replaces). Run before the message is marked sent, and idempotent.
    onDelivered: { type: deliveryEffectSchema, default: undefined },
    sentAt: { type: Date },
  },
  baseSchemaOptions,
)
mailMessageSchema.index({ dedupeKey: 1 }, { unique: true, sparse: true })
mailMessageSchema.index({ createdAt: -1 })
mailMessageSchema.index({ 'related.kind': 1, 'related.id': 1 })
mailMessageSchema.index({ status: 1, nextAttemptAt: 1 })

export const MailMessageModel = defineModel('MailMessage', () => model<MailMessageRecord>('MailMessage', mailMessageSchema, 'mail_messages'))
