import { model, Schema, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

/** A webhook endpoint as stored (lean). */
export interface WebhookEndpointRecord {
  _id: Types.ObjectId
  name: string
  url: string
  events: string[]
  secretSealed: string
  enabled: boolean
  disabled?: { at: Date; reason: 'admin' | 'failures'; byName?: string }
  consecutiveFailures: number
  lastSuccessAt?: Date
  lastFailureAt?: Date
  secretRotatedAt?: Date
  createdBy: { id: string; name: string }
  version: number
  createdAt: Date
  updatedAt: Date
}

// A receiver an admin registered (docs/webhooks.md). The signing secret is kept sealed with the
// installation's key (app/modules/auth/secret-box.server.ts, the endpoint id as associated data):
// Clausewise needs it back to sign, so it cannot be hashed.
const webhookEndpointSchema = new Schema<WebhookEndpointRecord>(
  {
    name: { type: String, required: true, trim: true },
    url: { type: String, required: true },
    events: { type: [String], default: [] },
    secretSealed: { type: String, required: true },
    enabled: { type: Boolean, default: true },
    // Why it is off: an admin turned it off, or it failed too often in a row.
    disabled: { type: new Schema({ at: Date, reason: { type: String, enum: ['admin', 'failures'] }, byName: String }, { _id: false }), default: undefined },
    consecutiveFailures: { type: Number, default: 0 },
    lastSuccessAt: { type: Date },
    lastFailureAt: { type: Date },
    secretRotatedAt: { type: Date }, // the last time an admin asked for a new signing secret
    createdBy: { id: String, name: String },
    version: { type: Number, default: 0 },
  },
  baseSchemaOptions,
)
webhookEndpointSchema.index({ _id: 1, version: 1 }, { unique: true })

export const WebhookEndpointModel = defineModel('WebhookEndpoint', () => model<WebhookEndpointRecord>('WebhookEndpoint', webhookEndpointSchema, 'webhook_endpoints'))
