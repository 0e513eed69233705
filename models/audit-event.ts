import { model, Schema, type Types } from 'mongoose'
import { baseSchemaOptions, defineModel } from './shared'

export const AUDIT_ACTOR_KINDS = ['user', 'vendor-contact', 'system'] as const

/**
 * What an event says beyond who, what and which record: open by nature (each action records its
 * own facts — changed fields, counts, ids), so any JSON-like values.
 */
export type AuditDetails = Record<string, unknown>

/** An audit event as stored (lean). */
export interface AuditEventRecord {
  _id: Types.ObjectId
  actor: { kind: (typeof AUDIT_ACTOR_KINDS)[number]; id?: string; label?: string }
  action: string
  subject: { kind: string; id: string }
  details?: AuditDetails
  clientAddress?: string
  createdAt: Date
}

// Append-only record of who changed what. One document per event, written beside the change.
const auditEventSchema = new Schema<AuditEventRecord>(
  {
    actor: {
      kind: { type: String, enum: AUDIT_ACTOR_KINDS, required: true },
      id: { type: String },
      label: { type: String },
    },
    action: { type: String, required: true }, // e.g. "vendor.create", "assessment.submit"
    subject: {
      kind: { type: String, required: true }, // "vendor", "assessment", "user", …
      id: { type: String, required: true },
    },
    // Mixed on purpose: the details are open by nature (AuditDetails above); the rest is typed.
    details: { type: Schema.Types.Mixed },
    clientAddress: { type: String }, // where the request came from, when one was at hand
  },
  { ...baseSchemaOptions, timestamps: { createdAt: true, updatedAt: false } },
)
auditEventSchema.index({ 'subject.kind': 1, 'subject.id': 1, createdAt: -1 })

/**
 * Append-only, enforced here rather than by convention: every mongoose path that would change or
 * remove a stored event throws. (A database user with write access could still bypass mongoose;
 * a bank that needs more ships the collection to a write-once store — docs/decisions/025.)
 */
export class AuditAppendOnlyError extends Error {
  constructor(operation: string) {
    super(`audit events are append-only: ${operation} refused`)
    this.name = 'AuditAppendOnlyError'
  }
}
const QUERY_WRITES = ['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace', 'deleteOne', 'deleteMany', 'findOneAndDelete'] as const
for (const operation of QUERY_WRITES) {
  auditEventSchema.pre(operation, { document: false, query: true }, function refuse() {
    throw new AuditAppendOnlyError(operation)
  })
}
// document.save() on an existing event, document.deleteOne() and document.updateOne().
auditEventSchema.pre('save', function refuseResave() {
  if (!this.isNew) throw new AuditAppendOnlyError('save of an existing event')
})
auditEventSchema.pre(['deleteOne', 'updateOne'], { document: true, query: false }, function refuseDocument() {
  throw new AuditAppendOnlyError('document write')
})
auditEventSchema.pre('bulkWrite', function refuseBulk(next, operations: Array<Record<string, unknown>>) {
  if (operations.some((operation) => !('insertOne' in operation))) throw new AuditAppendOnlyError('bulkWrite with updates or deletes')
  next()
})

export const AuditEventModel = defineModel('AuditEvent', () => model<AuditEventRecord>('AuditEvent', auditEventSchema, 'audit_events'))
