import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { ASSESSMENT_STATUSES } from '../app/modules/assessments/vocabulary'
import { LOCALES } from '../app/i18n/locales'
import { DOCUMENT_KINDS } from '../app/modules/documents/documents'
import { baseSchemaOptions, defineModel } from './shared'
import { pendingEventsField } from './domain-event'

// One document per assessment: every change (an answer, a review decision, a sign-off) is one
// atomic single-document update guarded by a version, because the embedded database has no
// multi-document transactions.

const evidenceSchema = new Schema(
  {
    fileId: { type: String, required: true },
    filename: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    uploadedAt: { type: Date, required: true },
    // What the document is and until when it is valid (app/modules/documents/documents.ts).
    kind: { type: String, enum: DOCUMENT_KINDS },
    issuedOn: { type: String }, // YYYY-MM-DD
    expiresOn: { type: String }, // YYYY-MM-DD, the last valid day
    // Set when the vendor reused a document of an earlier assessment: the stored file stays that
    // assessment's (one stored file); this assessment is in the file's metadata.sharedWith.
    sharedFrom: { type: String },
  },
  { _id: false },
)

const answerSchema = new Schema(
  {
    value: { type: Schema.Types.Mixed },
    comment: { type: String },
    evidence: { type: [evidenceSchema], default: [] },
    rev: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String },
    // Pre-filled from the vendor's last completed assessment and not yet confirmed or edited: shown,
    // but not an answer (progress, submit and the score leave it out). See docs/decisions/026.
    carriedFrom: { type: new Schema({ assessmentId: String, at: Date }, { _id: false }), default: undefined },
  },
  { _id: false },
)

const invitationSchema = new Schema({
  contactId: { type: String },
  name: { type: String, required: true },
  email: { type: String, required: true },
  locale: { type: String, enum: LOCALES, default: 'zh-CN' },
  tokenHash: { type: String, required: true }, // SHA-256 of the link's token; the token itself is never stored
  expiresAt: { type: Date, required: true },
  revokedAt: { type: Date },
  revokedReason: { type: String, enum: ['revoked', 'reissued', 'superseded'] }, // superseded: a reminder carried a fresh link
  revokedBy: { type: String },
  sentAt: { type: Date },
  mailStatus: { type: String, enum: ['queued', 'sent', 'outbox', 'failed', 'duplicate'] }, // queued: the outbox retries it
  purpose: { type: String, enum: ['invitation', 'reminder', 'reissue'], default: 'invitation' }, // which e-mail carried the link
  lastUsedAt: { type: Date },
  issuedBy: { type: String },
  issuedAt: { type: Date },
})

const assessmentSchema = new Schema(
  {
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
    status: { type: String, enum: ASSESSMENT_STATUSES, default: 'invited' },
    // What the vendor looked like when the assessment was sent (for the report).
    vendorSnapshot: { type: Schema.Types.Mixed, required: true },
    questionnaires: { type: [{ id: String, version: Number, _id: false }], required: true },
    // The contract's clauses, copied in full when the assessment was sent: scoring uses these.
    contract: {
      contractId: { type: Schema.Types.ObjectId, ref: 'Contract' },
      reference: { type: String },
      clauses: { type: [Schema.Types.Mixed], default: [] },
    },
    dueAt: { type: Date, required: true },
    createdBy: { id: String, name: String },
    trigger: { reason: String, detail: String }, // why it was started (manual, scheduled, contract renewal, …)
    // The completed assessment whose answers were carried over when this one started (none: a blank start).
    carriedOverFrom: { assessmentId: { type: String }, at: { type: Date } },
    invitations: { type: [invitationSchema], default: [] },
    // Reminder rounds already sent, by key: claiming the key and rotating the links is one update,
    // so a reminder job that runs twice sends once.
    reminders: { type: [{ key: String, at: Date, by: String, _id: false }], default: [] },
    lastActivityAt: { type: Date }, // the vendor's last save, upload or submit

    answers: { type: Map, of: answerSchema, default: {} },
    progress: {
      answered: { type: Number, default: 0 },
      required: { type: Number, default: 0 },
      percent: { type: Number, default: 0 },
    },
    submission: {
      at: { type: Date },
      name: { type: String },
      title: { type: String },
      submissionKey: { type: String }, // idempotency: a repeated submit with the same key is a no-op
      email: { type: String }, // the invitation (contact) whose link submitted
      count: { type: Number }, // 1 for the first submission, 2 after a clarification round, …
    },

    review: { type: Schema.Types.Mixed, default: {} }, // per-answer decisions, clause overrides, reopened questions
    score: { type: Schema.Types.Mixed }, // latest result of app/modules/scoring, recomputed until sign-off
    signOff: {
      byUserId: { type: String },
      byName: { type: String },
      at: { type: Date },
      comment: { type: String },
    },
    // Domain events recorded by the update that made the change, until the relay copies them (models/domain-event.ts).
    pendingEvents: pendingEventsField,
    version: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)

assessmentSchema.index({ vendorId: 1, createdAt: -1 })
assessmentSchema.index({ status: 1, dueAt: 1 })
assessmentSchema.index({ 'invitations.tokenHash': 1 })
// Always unique (it contains _id); the embedded server uses an index only when a filter names
// exactly its fields, so this answers the version-pinned autosave { _id, version } without a scan.
assessmentSchema.index({ _id: 1, version: 1 }, { unique: true })

export type AssessmentDocument = InferSchemaType<typeof assessmentSchema> & { _id: Types.ObjectId }
export const AssessmentModel = defineModel('Assessment', () => model('Assessment', assessmentSchema, 'assessments'))
