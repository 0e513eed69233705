import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { LOCALES } from '../app/i18n/locales'
import { baseSchemaOptions, defineModel } from './shared'

// One document per data-return/deletion link sent to a vendor contact. Only the SHA-256 of the
// token is stored, under a UNIQUE index: the vendor's every request is one indexed lookup.
const offboardingLinkSchema = new Schema(
  {
    tokenHash: { type: String, required: true },
    offboardingId: { type: Schema.Types.ObjectId, ref: 'Offboarding', required: true },
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
    contactId: { type: String },
    name: { type: String, required: true },
    email: { type: String, required: true },
    locale: { type: String, enum: LOCALES, default: 'zh-CN' },
    purpose: { type: String, enum: ['request', 'reminder'], default: 'request' },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    revokedReason: { type: String, enum: ['revoked', 'superseded', 'closed'] },
    mailStatus: { type: String },
  },
  baseSchemaOptions,
)

offboardingLinkSchema.index({ tokenHash: 1 }, { unique: true })
offboardingLinkSchema.index({ offboardingId: 1 })

export type OffboardingLinkDocument = InferSchemaType<typeof offboardingLinkSchema> & { _id: Types.ObjectId }
export const OffboardingLinkModel = defineModel('OffboardingLink', () => model('OffboardingLink', offboardingLinkSchema, 'offboarding_links'))
