import { model, Schema, type Types } from 'mongoose'
import { LOCALES } from '../app/i18n/locales'
import { SEVERITIES, type LocalizedText, type Severity } from '../app/modules/library/content-schema'
import { FINDING_EVENTS, FINDING_OWNERS, FINDING_SOURCES, FINDING_STATUSES, type FindingEvent, type FindingOwner, type FindingStatus } from '../app/modules/findings/vocabulary'
import type { FindingChanges, FindingSourceRef } from '../app/modules/findings/plan'
import type { DomainEvent } from '../app/modules/events/catalogue.server'
import { baseSchemaOptions, defineModel } from './shared'
import { pendingEventsField } from './domain-event'

// One document per finding: a clause an assessment's answers fail or only partly meet, or a
// required answer or piece of evidence that is missing. Generated from the assessment's score
// (app/modules/findings/plan.ts) and then managed by compliance until closed or risk-accepted.
// Findings outlive the assessment's sign-off: remediation is tracked after it.

/** One entry of a finding's history. */
export interface FindingHistoryEntry {
  at: Date
  event: FindingEvent
  byUserId?: string
  byName?: string // absent for changes made by the scoring refresh
  changes?: FindingChanges
  comment?: string
}

/** A finding as stored (lean). */
export interface FindingRecord {
  _id: Types.ObjectId
  // Absent for a finding an incident opened (a missed breach-notification deadline); then incidentId is set.
  assessmentId?: Types.ObjectId | null
  incidentId?: Types.ObjectId | null
  vendorId: Types.ObjectId
  vendorName: LocalizedText
  key: string
  source: FindingSourceRef
  severity: Severity
  computedSeverity: Severity
  title: LocalizedText
  description: LocalizedText
  remediation: LocalizedText
  owner: FindingOwner
  ownerName?: string
  dueAt: Date
  status: FindingStatus
  resolvedByScore: boolean
  closedAt?: Date | null
  riskAcceptance?: { justification?: string; approverName?: string; byUserId?: string; at?: Date } | null
  history: FindingHistoryEntry[]
  overdueAnnouncedFor?: Date | null
  pendingEvents?: DomainEvent[]
  version: number
  createdAt: Date
  updatedAt: Date
}

const localizedSchema = new Schema(
  Object.fromEntries(LOCALES.map((locale) => [locale, { type: String, default: '' }])),
  { _id: false },
)

const historySchema = new Schema<FindingHistoryEntry>(
  {
    at: { type: Date, required: true },
    event: { type: String, enum: FINDING_EVENTS, required: true },
    byUserId: { type: String },
    byName: { type: String }, // absent for changes made by the scoring refresh
    // { field: [before, after] }: the fields vary by entry, the values are FindingChangeValue.
    changes: { type: Schema.Types.Mixed },
    comment: { type: String },
  },
  { _id: false },
)

const findingSchema = new Schema<FindingRecord>(
  {
    // Absent for a finding an incident opened (a missed breach-notification deadline); then incidentId is set.
    assessmentId: { type: Schema.Types.ObjectId, ref: 'Assessment' },
    incidentId: { type: Schema.Types.ObjectId, ref: 'Incident' },
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
    vendorName: localizedSchema, // copied for lists and filters
    // Identifies what the finding is about within its assessment: "clause:PRIV-01",
    // "missing_answer:GOV-01", "missing_evidence:GOV-03", "low_coverage".
    key: { type: String, required: true },
    source: {
      kind: { type: String, enum: FINDING_SOURCES, required: true },
      clauseId: { type: String },
      questionId: { type: String },
      clauseIds: { type: [String], default: [] },
      clauseStatus: { type: String }, // fails | partial, for clause findings
      knockOut: { type: Boolean },
    },
    severity: { type: String, enum: SEVERITIES, required: true },
    computedSeverity: { type: String, enum: SEVERITIES, required: true }, // what the score says; severity may be edited
    title: localizedSchema,
    description: localizedSchema,
    remediation: localizedSchema,
    owner: { type: String, enum: FINDING_OWNERS, default: 'vendor' },
    ownerName: { type: String, trim: true },
    dueAt: { type: Date, required: true },
    status: { type: String, enum: FINDING_STATUSES, default: 'open' },
    // Set when a refresh of the score closed it because the answers no longer produce it.
    resolvedByScore: { type: Boolean, default: false },
    closedAt: { type: Date },
    riskAcceptance: {
      justification: { type: String },
      approverName: { type: String },
      byUserId: { type: String },
      at: { type: Date },
    },
    history: { type: [historySchema], default: [] },
    // The due date whose passing was announced (a finding.overdue event); a new due date may be announced again.
    overdueAnnouncedFor: { type: Date },
    // Domain events recorded by the update that made the change, until the relay copies them (models/domain-event.ts).
    pendingEvents: pendingEventsField,
    version: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)

// The idempotency of generation: one finding per assessment and key, whoever generates it. An
// incident's finding has no assessment and the key "incident:<id>", so it too exists at most once.
findingSchema.index({ assessmentId: 1, key: 1 }, { unique: true })
findingSchema.index({ status: 1, severity: 1, dueAt: 1 })
findingSchema.index({ vendorId: 1, status: 1 })
findingSchema.index({ dueAt: 1 })

export const FindingModel = defineModel('Finding', () => model('Finding', findingSchema, 'findings'))
