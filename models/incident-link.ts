import { model, Schema, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// A vendor contact's standing incident-report link. Only the SHA-256 of the token is stored
// (app/modules/assessments/tokens.server.ts), under a unique index: the lookup of every vendor
// request. One live link per contact: issuing a new one revokes the old one.
export interface IncidentLinkRecord {
  _id: Types.ObjectId
  tokenHash: string
  vendorId: Types.ObjectId
  contactId: string
  contactName?: string
  contactEmail: string
  contactLocale?: string
  expiresAt: Date
  revokedAt?: Date | null
  revokedReason?: 'revoked' | 'reissued'
  createdBy?: { id?: string; name?: string }
  lastUsedAt?: Date
  reports: number
  createdAt: Date
  updatedAt: Date
}

const incidentLinkSchema = new Schema<IncidentLinkRecord>(
  {
    tokenHash: { type: String, required: true },
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
    contactId: { type: String, required: true },
    contactName: { type: String },
    contactEmail: { type: String, required: true },
    contactLocale: { type: String },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
    revokedReason: { type: String, enum: ['revoked', 'reissued'] },
    createdBy: { id: String, name: String },
    lastUsedAt: { type: Date },
    reports: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)

incidentLinkSchema.index({ tokenHash: 1 }, { unique: true })
incidentLinkSchema.index({ vendorId: 1, contactId: 1 })

export const IncidentLinkModel = defineModel('IncidentLink', () => model('IncidentLink', incidentLinkSchema, 'incident_links'))
