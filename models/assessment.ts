import { model, Schema, type Types } from 'mongoose'
import { ASSESSMENT_STATUSES, type AnswerValue, type AssessmentStatus } from '../app/modules/assessments/vocabulary'
import type { VendorSnapshot } from '../app/modules/assessments/snapshot'
import { LOCALES, type Locale } from '../app/i18n/locales'
import { DOCUMENT_KINDS, type DocumentKind } from '../app/modules/documents/documents'
import type { Clause } from '../app/modules/library/content-schema'
import type { ReviewState } from '../app/modules/review/state'
import type { ScoreResult } from '../app/modules/scoring/types'
import { baseSchemaOptions, defineModel } from './shared'
import { pendingEventsField } from './domain-event'

// One document per assessment: every change (an answer, a review decision, a sign-off) is one
// atomic single-document update guarded by a version, because the embedded database has no
// multi-document transactions.

// The stored shape, as a lean read or the driver returns it. Every reader of an assessment uses
// these types (through app/modules/assessments/assessment-store.server.ts), none declares its own.

/** A file attached to an answer. */
export interface EvidenceRecord {
  fileId: string
  filename: string
  contentType: string
  size: number
  uploadedAt: Date
  kind?: DocumentKind | string
  issuedOn?: string
  expiresOn?: string
  sharedFrom?: string
}

/** One answer, keyed by question id in `answers`. */
export interface AnswerRecord {
  value?: AnswerValue
  comment?: string | null
  evidence?: EvidenceRecord[]
  rev?: number
  updatedAt?: Date
  updatedBy?: string
  carriedFrom?: { assessmentId?: string; at?: Date } | null
}

export type InvitationRevokedReason = 'revoked' | 'reissued' | 'superseded'
export type InvitationMailStatus = 'queued' | 'sent' | 'outbox' | 'failed' | 'duplicate'
export type InvitationPurpose = 'invitation' | 'reminder' | 'reissue'

/** One vendor link. */
export interface InvitationRecord {
  _id: Types.ObjectId
  contactId?: string
  name: string
  email: string
  locale: Locale
  tokenHash: string
  expiresAt: Date
  revokedAt?: Date | null
  revokedReason?: InvitationRevokedReason
  revokedBy?: string
  sentAt?: Date
  mailStatus?: InvitationMailStatus
  purpose?: InvitationPurpose
  lastUsedAt?: Date
  issuedBy?: string
  issuedAt?: Date
}

/** What compliance decided (app/modules/review/state.ts `readReview` reads it); each part appears once written. */
export type ReviewRecord = Partial<ReviewState> & {
  /** The message to the vendor of the clarification round that is open. */
  clarificationMessage?: string | null
}

/** The scoring engine's result as stored on the assessment, with when and from what it was computed. */
export type StoredScore = ScoreResult & {
  computedAt: Date
  /** SHA-256 of the result: an unchanged result is not stored again. */
  hash: string
}

export interface AssessmentRecord {
  _id: Types.ObjectId
  vendorId: Types.ObjectId
  status: AssessmentStatus
  vendorSnapshot: VendorSnapshot
  questionnaires: { id: string; version: number }[]
  contract: { contractId?: Types.ObjectId; reference?: string; clauses: Clause[] }
  dueAt: Date
  createdBy?: { id?: string; name?: string }
  trigger?: { reason?: string; detail?: string }
  carriedOverFrom?: { assessmentId?: string; at?: Date }
  invitations: InvitationRecord[]
  reminders?: { key: string; at: Date; by?: string }[]
  lastActivityAt?: Date
  answers: Record<string, AnswerRecord>
  progress?: { answered: number; required: number; percent: number }
  submission?: { at?: Date; name?: string; title?: string; submissionKey?: string; email?: string; count?: number }
  review?: ReviewRecord
  score?: StoredScore | null
  signOff?: { byUserId?: string; byName?: string; at?: Date; comment?: string }
  pendingEvents?: { id: string; kind: string; at: Date; payload: unknown }[]
  version: number
  createdAt: Date
  updatedAt: Date
}

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
    // string, string[], number or null (AnswerValue): mongoose has no union type, questions.ts checks it per question.
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

// What the vendor looked like when the assessment was sent (app/modules/assessments/snapshot.ts).
const vendorSnapshotSchema = new Schema(
  {
    vendorId: { type: String }, // always set by snapshotOfVendor; not required, as before (fixtures store partial snapshots)
    legalName: { 'zh-CN': { type: String }, en: { type: String } },
    category: { type: String },
    services: { type: String },
    creditCode: { type: String },
    effectiveTier: { type: Number },
    dataProfile: {
      piCategories: { type: [String], default: [] },
      sensitivity: { type: String },
      recordCount: { type: Number },
      crossBorder: { type: Boolean },
      usesSubProcessors: { type: Boolean },
      serviceCriticality: { type: String },
    },
  },
  { _id: false },
)

// The review (app/modules/review/state.ts). Its lists have no default, so a review nobody has
// started is stored as {} as before.
const answerDecisionSchema = new Schema(
  {
    decision: { type: String, enum: ['accepted', 'clarification'], required: true },
    comment: { type: String },
    byUserId: { type: String },
    byName: { type: String },
    at: { type: Date },
    rev: { type: Number },
    round: { type: Number },
  },
  { _id: false },
)
const overrideFields = {
  justification: { type: String },
  byUserId: { type: String },
  byName: { type: String },
  at: { type: Date },
}
const reviewSchema = new Schema(
  {
    startedAt: { type: Date },
    startedBy: { type: new Schema({ id: String, name: String }, { _id: false }), default: undefined },
    answers: { type: Map, of: answerDecisionSchema, default: undefined },
    clauseOverrides: { type: Map, of: new Schema({ status: String, ...overrideFields }, { _id: false }), default: undefined },
    overrideHistory: { type: [new Schema({ clauseId: String, status: String, previous: String, ...overrideFields }, { _id: false })], default: undefined },
    reopenedQuestions: { type: [String], default: undefined },
    clarifications: {
      type: [
        new Schema(
          {
            round: Number,
            at: Date,
            byUserId: String,
            byName: String,
            questions: { type: [new Schema({ questionId: String, comment: String }, { _id: false })], default: [] },
            message: String,
            respondBy: Date,
            notified: { type: [new Schema({ email: String, locale: String, status: String, freshLink: Boolean }, { _id: false })], default: [] },
          },
          { _id: false },
        ),
      ],
      default: undefined,
    },
    clarificationMessage: { type: String },
  },
  { _id: false, minimize: false },
)

const assessmentSchema = new Schema(
  {
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
    status: { type: String, enum: ASSESSMENT_STATUSES, default: 'invited' },
    // What the vendor looked like when the assessment was sent (for the report).
    vendorSnapshot: { type: vendorSnapshotSchema, required: true },
    questionnaires: { type: [{ id: String, version: Number, _id: false }], required: true },
    // The contract's clauses, copied in full when the assessment was sent: scoring uses these.
    contract: {
      contractId: { type: Schema.Types.ObjectId, ref: 'Contract' },
      reference: { type: String },
      // Copies of the library's clauses, validated there by the zod meta-schema (content-schema.ts
      // `Clause`): a second schema here would silently strip any field the library adds.
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

    review: { type: reviewSchema, default: {} }, // per-answer decisions, clause overrides, reopened questions
    // The latest result of app/modules/scoring (`StoredScore`), recomputed until sign-off. Derived
    // data written whole by review/score.server.ts from the engine's typed result; left unschema'd
    // so the record is stored exactly as the engine returned it (its hash is taken over that).
    score: { type: Schema.Types.Mixed },
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

export const AssessmentModel = defineModel('Assessment', () => model<AssessmentRecord>('Assessment', assessmentSchema, 'assessments'))
