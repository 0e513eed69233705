import { model, Schema, type InferSchemaType } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

// The durable half of domain events (docs/decisions/038-domain-event-outbox.md).
// A write that reports something pushes the event onto its own document's `pendingEvents` in the
// same atomic update (this sub-schema, added to vendors, assessments, findings and incidents); the
// relay then copies it here, keyed by the event id (so a copy made twice is one event), and pulls
// it from the document. `queuedAt` says the webhook deliveries for it were created; `reactionsDue`
// is set while the app's own reactions to it have yet to succeed (decision 050), and removed once
// they have (`reactedAt`).
export const pendingEventSchema = new Schema(
  {
    id: { type: String, required: true },
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
  },
  { _id: false },
)

/** The field every document that records events carries: absent or empty when all were relayed. */
export const pendingEventsField = { type: [pendingEventSchema], default: undefined }

const domainEventSchema = new Schema(
  {
    _id: { type: String, required: true }, // the event id (a UUID)
    kind: { type: String, required: true },
    at: { type: Date, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
    source: { collection: String, id: String }, // the document that recorded it
    queuedAt: { type: Date }, // webhook deliveries created
    reactionsDue: { type: Boolean }, // true until every in-app reaction succeeded; absent after
    reactedAt: { type: Date },
    reactionAttempts: { type: Number },
    reactionError: { type: String }, // the last failure, for the log and an operator
    reactionsFailedAt: { type: Date }, // given up after too many attempts (logged as an error)
  },
  { ...baseSchemaOptions, _id: false },
)
domainEventSchema.index({ at: -1 })
domainEventSchema.index({ reactionsDue: 1 }, { sparse: true })

export type DomainEventDocument = InferSchemaType<typeof domainEventSchema>
export const DomainEventModel = defineModel('DomainEvent', () => model('DomainEvent', domainEventSchema, 'domain_events'))
