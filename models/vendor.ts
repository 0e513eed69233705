import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import type { TierReason } from '../app/modules/vendors/tiering'
import {
  LEGAL_BASES,
  PI_CATEGORIES,
  RESIDUAL_RISKS,
  SENSITIVITY_LEVELS,
  SERVICE_CRITICALITY,
  TRANSFER_METHODS,
  VENDOR_CATEGORIES,
  VENDOR_STATUSES,
  type LegalBasis,
  type PiCategory,
  type ResidualRisk,
  type SensitivityLevel,
  type ServiceCriticality,
  type Tier,
  type TransferMethod,
  type VendorCategory,
  type VendorStatus,
} from '../app/modules/vendors/vocabulary'
import { LOCALES, type Locale } from '../app/i18n/locales'
import { baseSchemaOptions, defineModel } from './shared'
import { pendingEventsField, type pendingEventSchema } from './domain-event'

// The stored shape of a vendor, as the driver returns it (lean): ObjectIds, Dates, optional
// fields absent or null. app/modules/vendors/vendor-store.server.ts is the only reader and writer.

export interface VendorContactRecord {
  _id: Types.ObjectId
  name: string
  email: string
  phone?: string | null
  title?: string | null
  locale: Locale
}

export interface SubProcessorRecord {
  name?: string | null
  country?: string | null
  service?: string | null
}

export interface VendorDataProfileRecord {
  piCategories: PiCategory[]
  sensitivity: SensitivityLevel
  recordCount: number
  crossBorder: boolean
  crossBorderDestinations: string[]
  usesSubProcessors: boolean
  subProcessors: SubProcessorRecord[]
  transferMethods: TransferMethod[]
  legalBasis?: LegalBasis | null
  consentOnRecord: boolean
  serviceCriticality: ServiceCriticality
}

export interface TierOverrideRecord {
  tier?: Tier | null
  justification?: string | null
  byUserId?: Types.ObjectId | null
  byName?: string | null
  at?: Date | null
}

export interface VendorTierRecord {
  computed: Tier
  /** Why: the codes and the params of their translated sentences (tiering.ts). */
  reasons: TierReason[]
  override?: TierOverrideRecord | null
}

export interface AssessmentSummaryRecord {
  lastAssessedAt?: Date | null
  lastAssessmentId?: Types.ObjectId | null
  controlScore?: number | null
  residualRisk?: ResidualRisk | null
}

/** Why a reassessment was brought forward (app/modules/schedule/schedule.server.ts `TriggerReason`). */
export interface ReassessmentTriggerRecord {
  reason?: string | null
  detail?: string | null
  at?: Date | null
  byName?: string | null
  byUserId?: string | null
  dueAt?: Date | null
  /** Recorded at most once per key (e.g. contract:<id>). */
  key?: string | null
}

export interface ReassessmentRecord {
  cadenceMonths?: number | null
  nextDueAt?: Date | null
  triggers: ReassessmentTriggerRecord[]
  issuedForDueAt?: Date | null
  assessmentId?: Types.ObjectId | null
  issueLease?: { dueAt?: Date | null; until?: Date | null; by?: string | null } | null
  issueError?: { at?: Date | null; message?: string | null; reason?: string | null } | null
}

export type PendingEventRecord = InferSchemaType<typeof pendingEventSchema>

export interface VendorRecord {
  _id: Types.ObjectId
  legalName: { 'zh-CN'?: string | null; en?: string | null }
  creditCode?: string | null
  foreignRegistration?: { number?: string | null; country?: string | null } | null
  category: VendorCategory
  services?: string | null
  businessOwnerId?: Types.ObjectId | null
  contacts: VendorContactRecord[]
  status: VendorStatus
  dataProfile: VendorDataProfileRecord
  tier: VendorTierRecord
  effectiveTier: Tier
  assessmentSummary?: AssessmentSummaryRecord | null
  reassessment?: ReassessmentRecord | null
  searchKey: string
  pendingEvents?: PendingEventRecord[] | null
  version: number
  createdAt: Date
  updatedAt: Date
}

const contactSchema = new Schema(
  {
    name: { type: String, required: true, trim: true },
    email: { type: String, required: true, lowercase: true, trim: true },
    phone: { type: String, trim: true },
    title: { type: String, trim: true },
    locale: { type: String, enum: LOCALES, default: 'zh-CN' }, // language of the e-mails they receive
  },
  { _id: true },
)

// `params` is typed by `code` (TierReason): a sub-schema per code would only repeat tiering.ts.
const tierReasonSchema = new Schema<TierReason>({ code: { type: String, required: true }, params: { type: Schema.Types.Mixed } }, { _id: false })

const vendorSchema = new Schema<VendorRecord>(
  {
    legalName: {
      'zh-CN': { type: String, trim: true },
      en: { type: String, trim: true },
    },
    // 统一社会信用代码 (GB 32100-2015), 18 characters, for vendors registered in mainland China.
    creditCode: { type: String, trim: true, uppercase: true },
    foreignRegistration: {
      number: { type: String, trim: true },
      country: { type: String, trim: true }, // ISO 3166-1 alpha-2
    },
    category: { type: String, enum: VENDOR_CATEGORIES, required: true },
    services: { type: String, trim: true },
    businessOwnerId: { type: Schema.Types.ObjectId, ref: 'User' },
    contacts: { type: [contactSchema], default: [] },
    status: { type: String, enum: VENDOR_STATUSES, default: 'onboarding' },

    dataProfile: {
      piCategories: { type: [String], enum: PI_CATEGORIES, default: [] },
      sensitivity: { type: String, enum: SENSITIVITY_LEVELS, default: 'C1' },
      recordCount: { type: Number, min: 0, default: 0 }, // approximate number of customers' records
      crossBorder: { type: Boolean, default: false },
      crossBorderDestinations: { type: [String], default: [] },
      usesSubProcessors: { type: Boolean, default: false },
      subProcessors: { type: [{ name: String, country: String, service: String, _id: false }], default: [] },
      transferMethods: { type: [String], enum: TRANSFER_METHODS, default: [] },
      legalBasis: { type: String, enum: LEGAL_BASES },
      consentOnRecord: { type: Boolean, default: false },
      serviceCriticality: { type: String, enum: SERVICE_CRITICALITY, default: 'standard' },
    },

    // Inherent risk tier: computed from dataProfile by app/modules/vendors/tiering.ts; an admin
    // override wins and keeps its justification, author and time.
    tier: {
      computed: { type: Number, min: 1, max: 4, required: true },
      reasons: { type: [tierReasonSchema], default: [] },
      override: {
        tier: { type: Number, min: 1, max: 4 },
        justification: { type: String },
        byUserId: { type: Schema.Types.ObjectId, ref: 'User' },
        byName: { type: String },
        at: { type: Date },
      },
    },
    effectiveTier: { type: Number, min: 1, max: 4, required: true }, // override ?? computed; filtered and sorted on

    // Written by the compliance sign-off of an assessment.
    assessmentSummary: {
      lastAssessedAt: { type: Date },
      lastAssessmentId: { type: Schema.Types.ObjectId, ref: 'Assessment' },
      controlScore: { type: Number, min: 0, max: 100 },
      residualRisk: { type: String, enum: RESIDUAL_RISKS },
    },

    // Written by the reassessment scheduler.
    reassessment: {
      cadenceMonths: { type: Number, min: 1, max: 36 }, // per-vendor cadence; unset = tier or global default
      nextDueAt: { type: Date },
      triggers: {
        type: [{ reason: String, detail: String, at: Date, byName: String, byUserId: String, dueAt: Date, key: String, _id: false }], // key: recorded at most once (e.g. contract:<id>)
        default: [],
      },
      // Set once the reassessment for nextDueAt has been issued (or an open assessment adopted);
      // cleared when nextDueAt moves. The issuing sweep claims a vendor with a short lease first.
      issuedForDueAt: { type: Date },
      assessmentId: { type: Schema.Types.ObjectId, ref: 'Assessment' },
      issueLease: { dueAt: Date, until: Date, by: String },
      // Why the sweep could not issue it (a code of app/modules/schedule/issue-failure.server.ts); cleared once issued.
      issueError: { at: Date, message: String, reason: String },
    },

    // Folded names and registration numbers (app/modules/vendors/search.ts), kept by every write:
    // the list's free-text search is one regular expression over this short string.
    searchKey: { type: String, default: '' },

    // Domain events recorded by the update that made the change, until the relay copies them (models/domain-event.ts).
    pendingEvents: pendingEventsField,
    version: { type: Number, default: 0 }, // optimistic concurrency: every update matches and increments it
  },
  baseSchemaOptions,
)

// sparse, not partial: mongo-java-server ignores partialFilterExpression on unique indexes.
vendorSchema.index({ creditCode: 1 }, { unique: true, sparse: true })
vendorSchema.index({ effectiveTier: 1, status: 1 })
vendorSchema.index({ category: 1 })
vendorSchema.index({ 'reassessment.nextDueAt': 1 })
// The issuing sweep's query: not yet issued (null) and due before a horizon.
vendorSchema.index({ 'reassessment.issuedForDueAt': 1, 'reassessment.nextDueAt': 1 })
// Always unique (it contains _id); it lets the embedded server, which uses an index only when a
// query names exactly its fields, answer the version-guarded updates {_id, version} without a scan.
vendorSchema.index({ _id: 1, version: 1 }, { unique: true })
vendorSchema.index({ 'legalName.en': 1 })
vendorSchema.index({ 'legalName.zh-CN': 1 })
vendorSchema.index({ updatedAt: -1 })

export const VendorModel = defineModel('Vendor', () => model('Vendor', vendorSchema, 'vendors'))
