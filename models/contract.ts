import { model, Schema, type InferSchemaType, type Types } from 'mongoose'
import { CONTRACT_EVENTS, CONTRACT_STATUSES } from '../app/modules/contracts/vocabulary'
import { pendingEventsField } from './domain-event'
import { baseSchemaOptions, defineModel } from './shared'

// One document per contract with a vendor. Its clause list (from the library) is what the vendor's
// answers are scored against. Every change is one atomic update guarded by `version` that also
// appends to `history`, so the record and its trail cannot disagree.

const signedCopySchema = new Schema(
  {
    fileId: { type: Schema.Types.ObjectId, required: true }, // GridFS bucket "contracts"
    filename: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    uploadedAt: { type: Date, required: true },
    uploadedBy: { id: String, name: String },
  },
  { _id: false },
)

const historyEntrySchema = new Schema(
  {
    at: { type: Date, required: true },
    event: { type: String, enum: CONTRACT_EVENTS, required: true },
    actor: { kind: { type: String, enum: ['user', 'system'], required: true }, id: String, name: String },
    // What changed: { field: [before, after] }, clauses added/removed, the file uploaded.
    changes: { type: Schema.Types.Mixed },
  },
  { _id: false },
)

const contractSchema = new Schema(
  {
    vendorId: { type: Schema.Types.ObjectId, ref: 'Vendor', required: true },
    reference: { type: String, required: true, trim: true }, // the institution's contract number, unique
    title: { type: String, required: true, trim: true },
    // Instants in the institution's time zone: effectiveAt is the start of the first day, expiresAt
    // the end of the last day in force. No expiresAt: in force until terminated.
    effectiveAt: { type: Date, required: true },
    expiresAt: { type: Date },
    status: { type: String, enum: CONTRACT_STATUSES, default: 'draft' },
    templateCategory: { type: String }, // the category template the clause list started from
    clauseIds: { type: [String], default: [] },
    clauseLibraryVersion: { type: Number }, // the clause library the ids were chosen from
    signedCopy: { type: signedCopySchema },
    createdBy: { id: String, name: String },
    history: { type: [historyEntrySchema], default: [] },
    // Before decision 050: a renewal's reassessment trigger still to be recorded on the vendor. A
    // renewal now records `contract.renewed` in `pendingEvents`; the sweep turns a marker left by an
    // older version into that event (completePendingRenewalTriggers).
    pendingTrigger: {
      type: new Schema({ reason: String, at: Date, actor: { kind: { type: String }, id: String, name: String } }, { _id: false, minimize: true }),
      default: undefined,
    },
    version: { type: Number, default: 0 },
    pendingEvents: pendingEventsField, // domain events not yet relayed (decision 038)
  },
  baseSchemaOptions,
)

contractSchema.index({ reference: 1 }, { unique: true })
contractSchema.index({ vendorId: 1, effectiveAt: -1 })
contractSchema.index({ status: 1, expiresAt: 1 })
contractSchema.index({ 'pendingTrigger.at': 1 }, { sparse: true })

export type ContractDocument = InferSchemaType<typeof contractSchema> & { _id: Types.ObjectId }
export const ContractModel = defineModel('Contract', () => model('Contract', contractSchema, 'contracts'))
