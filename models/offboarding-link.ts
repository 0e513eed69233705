import { model, Schema, type Types } from 'mongoose'
import { LOCALES, type Locale } from '../app/i18n/locales'
import { baseSchemaOptions, defineModel } from './shared'

// One document per data-return/deletion link sent to a vendor contact. Only the SHA-256 of the
// token is stored, under a UNIQUE index: the vendor's every request is one indexed lookup.
export interface OffboardingLinkRecord {
  _id: Types.ObjectId
  tokenHash: string
  offboardingId: Types.ObjectId
  vendorId: Types.ObjectId
  contactId?: string
  name: string
  email: string
  locale: Locale
  purpose: 'request' | 'reminder'
  expiresAt: Date
  revokedAt?: Date | null
  revokedReason?: 'revoked' | 'superseded' | 'closed'
  mailStatus?: string
  createdAt: Date
  updatedAt: Date
}

const offboardingLinkSchema = new Schema<OffboardingLinkRecord>(
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

export const OffboardingLinkModel = defineModel('OffboardingLink', () => model('OffboardingLink', offboardingLinkSchema, 'offboarding_links'))
