import { model, Schema, type Types } from 'mongoose'
import { PI_CATEGORIES, type PiCategory } from '../app/modules/vendors/vocabulary'
import { OFFBOARDING_STATUSES, DISPOSALS, type Disposal, type OffboardingStatus } from '../app/modules/offboarding/vocabulary'
import { baseSchemaOptions, defineModel } from './shared'

// One document per vendor leaving the institution (unique vendorId: offboarding starts once).
// Every step — the vendor's answer, compliance's decision, the retention deletion — is one
// atomic update of this document guarded by its version.

type LocalizedCopy = { 'zh-CN'?: string; en?: string }
type Person = { id?: string; name?: string }

export interface OffboardingFile {
  fileId: string
  filename: string
  contentType: string
  size: number
  uploadedAt: Date
}

/** What the vendor did with one category of data. */
export interface OffboardingDisposal {
  category: PiCategory
  disposal: Disposal
  method: string
  date: string // YYYY-MM-DD
}

export interface OffboardingReview {
  decision: 'accepted' | 'sent_back'
  comment: string
  byId: string
  byName: string
  at: Date
}

/** An offboarding as stored (lean). */
export interface OffboardingRecord {
  _id: Types.ObjectId
  vendorId: Types.ObjectId
  status: OffboardingStatus
  reason: string
  endDate: string
  startedBy?: Person
  startedAt: Date
  categories: PiCategory[]
  clause?: { id?: string; title?: LocalizedCopy; text?: LocalizedCopy }
  cancelledAssessmentIds: string[]
  response?: {
    categories?: OffboardingDisposal[]
    certificate?: OffboardingFile
    attestation?: { name?: string; title?: string; email?: string }
    submittedAt?: Date
  }
  reviews: OffboardingReview[]
  reminders: { key: string; at: Date }[]
  acceptedAt?: Date
  retention?: {
    listedAt?: Date
    deletedAt?: Date
    deletedBy?: Person
    deleted?: { assessments: number; answers: number; files: number }
  }
  version: number
  createdAt: Date
  updatedAt: Date
}

const localizedText = { 'zh-CN': { type: String }, en: { type: String } }
const fileSchema = new Schema<OffboardingFile>(
  { fileId: String, filename: String, contentType: String, size: Number, uploadedAt: Date },
  { _id: false },
)

const offboardingSchema = new Schema<OffboardingRecord>(
  {
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
    status: { type: String, enum: OFFBOARDING_STATUSES, default: 'requested' },
    reason: { type: String, required: true },
    endDate: { type: String, required: true }, // YYYY-MM-DD, a calendar day in the institution's time zone
    startedBy: { id: String, name: String },
    startedAt: { type: Date, required: true },
    // Copied when offboarding starts: what the vendor is asked to return or delete, and why.
    categories: { type: [String], enum: PI_CATEGORIES, default: [] },
    clause: { id: String, title: localizedText, text: localizedText },
    cancelledAssessmentIds: { type: [String], default: [] },
    response: {
      categories: { type: [{ category: String, disposal: { type: String, enum: DISPOSALS }, method: String, date: String, _id: false }], default: undefined },
      certificate: { type: fileSchema, default: undefined },
      attestation: { name: String, title: String, email: String },
      submittedAt: { type: Date },
    },
    // Compliance's decisions, newest last: "sent_back" returns the request to the vendor.
    reviews: { type: [{ decision: String, comment: String, byId: String, byName: String, at: Date, _id: false }], default: [] },
    // Reminder and escalation rounds already sent (see rules.ts): claiming a round is one update.
    reminders: { type: [{ key: String, at: Date, _id: false }], default: [] },
    acceptedAt: { type: Date },
    retention: {
      listedAt: { type: Date }, // first listed to admins as due for deletion
      deletedAt: { type: Date },
      deletedBy: { id: String, name: String },
      deleted: { assessments: Number, answers: Number, files: Number },
    },
    version: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)

offboardingSchema.index({ vendorId: 1 }, { unique: true })
offboardingSchema.index({ status: 1 })
offboardingSchema.index({ _id: 1, version: 1 }, { unique: true })

export const OffboardingModel = defineModel('Offboarding', () => model('Offboarding', offboardingSchema, 'offboardings'))
