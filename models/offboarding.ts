import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { PI_CATEGORIES } from '../app/modules/vendors/vocabulary'
import { OFFBOARDING_STATUSES, DISPOSALS } from '../app/modules/offboarding/vocabulary'
import { baseSchemaOptions, defineModel } from './shared'

// One document per vendor leaving the institution (unique vendorId: offboarding starts once).
// Every step — the vendor's answer, compliance's decision, the retention deletion — is one
// atomic update of this document guarded by its version.

const localizedText = { 'zh-CN': { type: String }, en: { type: String } }
const fileSchema = new Schema(
  { fileId: String, filename: String, contentType: String, size: Number, uploadedAt: Date },
  { _id: false },
)

const offboardingSchema = new Schema(
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

export type OffboardingDocument = InferSchemaType<typeof offboardingSchema> & { _id: Types.ObjectId }
export const OffboardingModel = defineModel('Offboarding', () => model('Offboarding', offboardingSchema, 'offboardings'))
