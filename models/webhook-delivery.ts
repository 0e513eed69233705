import { model, Schema } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// One event for one endpoint: _id is `${eventId}:${endpointId}`, so queueing the same event twice
// (a relay repeated after a crash) makes one delivery. Delivered like the mail outbox
// (docs/decisions/009): claimed with a lease, retried with exponential backoff, at least once.
export const DELIVERY_STATUSES = ['queued', 'sending', 'delivered', 'failed', 'skipped'] as const
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number]

/** One attempt in a delivery's log. */
export interface WebhookAttemptRecord {
  at: Date
  statusCode?: number
  error?: string
  response?: string
  durationMs?: number
  manual?: boolean
}

/** A webhook delivery as stored (lean). */
export interface WebhookDeliveryRecord {
  _id: string
  eventId: string
  endpointId: string
  kind: string
  status: DeliveryStatus
  attempts: number
  nextAttemptAt?: Date
  claim?: { by: string; until: Date }
  log: WebhookAttemptRecord[]
  deliveredAt?: Date
  createdAt: Date
  updatedAt: Date
}

const attemptSchema = new Schema<WebhookAttemptRecord>(
  {
    at: { type: Date, required: true },
    statusCode: { type: Number }, // the receiver's HTTP status; absent when no response came
    error: { type: String }, // a timeout, a refused connection, an address not allowed …
    response: { type: String }, // the start of the receiver's answer, for the log
    durationMs: { type: Number },
    manual: { type: Boolean }, // a redelivery an admin asked for
  },
  { _id: false },
)

const webhookDeliverySchema = new Schema<WebhookDeliveryRecord>(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    endpointId: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, enum: DELIVERY_STATUSES, required: true },
    attempts: { type: Number, default: 0 }, // in the current round (a redelivery starts a new one)
    nextAttemptAt: { type: Date },
    claim: { type: new Schema({ by: String, until: Date }, { _id: false }), default: undefined },
    log: { type: [attemptSchema], default: [] },
    deliveredAt: { type: Date },
  },
  { ...baseSchemaOptions, _id: false },
)
webhookDeliverySchema.index({ status: 1, nextAttemptAt: 1 })
webhookDeliverySchema.index({ endpointId: 1, createdAt: -1 })

export const WebhookDeliveryModel = defineModel('WebhookDelivery', () => model<WebhookDeliveryRecord>('WebhookDelivery', webhookDeliverySchema, 'webhook_deliveries'))
