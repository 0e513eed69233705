import { model, Schema, type Types } from 'mongoose'
import { PI_CATEGORIES, type PiCategory } from '../app/modules/vendors/vocabulary'
import {
  INCIDENT_CAUSES,
  INCIDENT_SEVERITIES,
  INCIDENT_SOURCES,
  INCIDENT_STATUSES,
  INCIDENT_TASK_KINDS,
  type IncidentCause,
  type IncidentSeverity,
  type IncidentSource,
  type IncidentStatus,
  type IncidentTaskKind,
  type IncidentTimelineChanges,
  type IncidentTimelineEvent,
} from '../app/modules/incidents/vocabulary'
import type { SeverityReason } from '../app/modules/incidents/severity'
import type { DomainEvent } from '../app/modules/events/catalogue.server'
import { baseSchemaOptions, defineModel } from './shared'
import { pendingEventsField } from './domain-event'

// One document per data incident at a vendor. Everything about it lives here — the facts as
// reported, severity with its reasons and override, the contract clock, the PIPL Art. 57 tasks
// with their reminder marks, the timeline — so every change is one atomic update guarded by
// `version` that also appends to `timeline`.

export interface IncidentActor {
  kind: 'user' | 'vendor-contact' | 'system'
  id?: string
  name?: string
}

/** One of the PIPL Art. 57 tasks. */
export interface IncidentTask {
  kind: IncidentTaskKind
  ownerId?: string
  ownerName?: string
  ownerEmail?: string
  ownerLocale?: string
  dueAt: Date
  doneAt?: Date | null
  doneBy?: string
  note?: string
  remindedAt?: Date | null
  escalatedAt?: Date | null
}

export interface IncidentAttachment {
  fileId: string
  filename: string
  contentType: string
  size: number
  uploadedAt: Date
  uploadedBy?: string
}

export interface IncidentTimelineEntry {
  at: Date
  event: IncidentTimelineEvent
  actor: IncidentActor
  changes?: IncidentTimelineChanges
  note?: string
}

/** An incident as stored (lean). */
export interface IncidentRecord {
  _id: Types.ObjectId
  reference: string
  vendorId: Types.ObjectId
  vendorName: { 'zh-CN': string; en: string }
  source: IncidentSource
  reportedBy: IncidentActor
  reporterName?: string
  linkId?: Types.ObjectId
  title: string
  description: string
  occurredAt: Date
  detectedAt: Date
  notifiedAt: Date
  piCategories: PiCategory[]
  recordCount: number
  customerCount: number
  crossBorder: boolean
  cause: IncidentCause
  containment?: string
  status: IncidentStatus
  closedAt?: Date
  severity: {
    computed: IncidentSeverity
    reasons: SeverityReason[]
    override?: { severity?: IncidentSeverity; justification?: string; byUserId?: string; byName?: string; at?: Date }
  }
  effectiveSeverity: IncidentSeverity
  notification: {
    contractId?: Types.ObjectId
    contractReference?: string
    clauseId?: string
    hours: number
    deadline: Date
    state: 'met' | 'missed'
    lateMinutes: number
    findingId?: Types.ObjectId | null
  }
  triggerKeys: string[]
  tasks: IncidentTask[]
  attachments: IncidentAttachment[]
  timeline: IncidentTimelineEntry[]
  pendingEvents?: DomainEvent[]
  version: number
  createdAt: Date
  updatedAt: Date
}

// `params` differ by code (SeverityReason): numbers, severities, category lists.
const reasonSchema = new Schema<SeverityReason>({ code: { type: String, required: true }, params: { type: Schema.Types.Mixed } }, { _id: false })
const actorSchema = new Schema<IncidentActor>({ kind: { type: String, enum: ['user', 'vendor-contact', 'system'], required: true }, id: String, name: String }, { _id: false })

const taskSchema = new Schema<IncidentTask>(
  {
    kind: { type: String, enum: INCIDENT_TASK_KINDS, required: true },
    ownerId: { type: String },
    ownerName: { type: String },
    ownerEmail: { type: String },
    ownerLocale: { type: String },
    dueAt: { type: Date, required: true },
    doneAt: { type: Date },
    doneBy: { type: String },
    note: { type: String },
    // Marks for the dashboard and the page; the exactly-once guarantee is the mail outbox's dedupe key.
    remindedAt: { type: Date },
    escalatedAt: { type: Date },
  },
  { _id: false },
)

const attachmentSchema = new Schema<IncidentAttachment>(
  {
    fileId: { type: String, required: true }, // GridFS bucket "evidence", metadata.incidentId
    filename: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    uploadedAt: { type: Date, required: true },
    uploadedBy: { type: String },
  },
  { _id: false },
)

const timelineSchema = new Schema<IncidentTimelineEntry>(
  {
    at: { type: Date, required: true },
    event: { type: String, required: true }, // reported, status, severity, task, finding, trigger
    actor: { type: actorSchema, required: true },
    changes: { type: Schema.Types.Mixed }, // IncidentTimelineChanges: its fields vary by event
    note: { type: String },
  },
  { _id: false },
)

const incidentSchema = new Schema<IncidentRecord>(
  {
    // "INC-2026-0001"-style number for people and the PDF; unique.
    reference: { type: String, required: true },
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
    vendorName: { 'zh-CN': { type: String, default: '' }, en: { type: String, default: '' } },
    source: { type: String, enum: INCIDENT_SOURCES, required: true },
    reportedBy: { type: actorSchema, required: true },
    reporterName: { type: String, trim: true },
    linkId: { type: Schema.Types.ObjectId, ref: 'IncidentLink' },

    title: { type: String, required: true, trim: true },
    description: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    detectedAt: { type: Date, required: true }, // when the vendor detected it: the clock starts here
    notifiedAt: { type: Date, required: true }, // when the institution was told
    piCategories: { type: [String], enum: PI_CATEGORIES, default: [] },
    recordCount: { type: Number, min: 0, default: 0 },
    customerCount: { type: Number, min: 0, default: 0 },
    crossBorder: { type: Boolean, default: false },
    cause: { type: String, enum: INCIDENT_CAUSES, required: true },
    containment: { type: String },
    status: { type: String, enum: INCIDENT_STATUSES, default: 'reported' },
    closedAt: { type: Date },

    severity: {
      computed: { type: String, enum: INCIDENT_SEVERITIES, required: true },
      reasons: { type: [reasonSchema], default: [] },
      override: {
        severity: { type: String, enum: INCIDENT_SEVERITIES },
        justification: { type: String },
        byUserId: { type: String },
        byName: { type: String },
        at: { type: Date },
      },
    },
    effectiveSeverity: { type: String, enum: INCIDENT_SEVERITIES, required: true },

    // The contract's clock, decided when the incident is recorded (docs/decisions/018).
    notification: {
      contractId: { type: Schema.Types.ObjectId, ref: 'Contract' },
      contractReference: { type: String },
      clauseId: { type: String }, // absent: the default period applied
      hours: { type: Number, required: true },
      deadline: { type: Date, required: true },
      state: { type: String, enum: ['met', 'missed'], required: true },
      lateMinutes: { type: Number, default: 0 },
      findingId: { type: Schema.Types.ObjectId, ref: 'Finding' }, // the finding a missed deadline opened
    },
    // The reassessment triggers already on the vendor (the vendor is another document): "incident:<id>",
    // and "incident:<id>:critical" once a raise to critical started one at once.
    triggerKeys: { type: [String], default: [] },

    tasks: { type: [taskSchema], default: [] },
    attachments: { type: [attachmentSchema], default: [] },
    timeline: { type: [timelineSchema], default: [] },
    // Domain events recorded by the update that made the change, until the relay copies them (models/domain-event.ts).
    pendingEvents: pendingEventsField,
    version: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)

incidentSchema.index({ reference: 1 }, { unique: true })
incidentSchema.index({ vendorId: 1, createdAt: -1 })
incidentSchema.index({ status: 1, effectiveSeverity: 1 })
// Always unique (it contains _id): lets the embedded server answer version-guarded updates by index.
incidentSchema.index({ _id: 1, version: 1 }, { unique: true })

export const IncidentModel = defineModel('Incident', () => model('Incident', incidentSchema, 'incidents'))
