import { model, Schema, type Types } from 'mongoose'
import type { ContractChanges } from '../app/modules/contracts/changes'
import { CONTRACT_EVENTS, CONTRACT_STATUSES, type ContractEvent, type ContractStatus } from '../app/modules/contracts/vocabulary'
import { pendingEventsField } from './domain-event'
import type { DomainEvent } from '../app/modules/events/catalogue.server'
import type { VendorCategory } from '../app/modules/vendors/vocabulary'
import { baseSchemaOptions, defineModel } from './shared'

// One document per contract with a vendor. Its clause list (from the library) is what the vendor's
// answers are scored against. Every change is one atomic update guarded by `version` that also
// appends to `history`, so the record and its trail cannot disagree.
// The stored shape below is as the driver returns it (lean); app/modules/contracts/contract-store.server.ts
// is the only reader and writer.

export interface SignedCopyRecord {
  fileId: Types.ObjectId
  filename: string
  contentType: string
  size: number
  uploadedAt: Date
  uploadedBy?: { id?: string | null; name?: string | null } | null
}

export interface ContractActorRecord {
  kind: 'user' | 'system'
  id?: string | null
  name?: string | null
}

export interface ContractHistoryRecord {
  at: Date
  event: ContractEvent
  actor: ContractActorRecord
  changes?: ContractChanges | null
}

/** A renewal's reassessment trigger not yet recorded on the vendor. */
export interface PendingTriggerRecord {
  reason?: string | null
  at?: Date | null
  actor?: { kind?: string | null; id?: string | null; name?: string | null } | null
}

export interface ContractRecord {
  _id: Types.ObjectId
  vendorId: Types.ObjectId
  reference: string
  title: string
  effectiveAt: Date
  expiresAt?: Date | null
  status: ContractStatus
  templateCategory?: VendorCategory | null
  clauseIds: string[]
  clauseLibraryVersion?: number | null
  signedCopy?: SignedCopyRecord | null
  createdBy?: { id?: string | null; name?: string | null } | null
  history: ContractHistoryRecord[]
  pendingTrigger?: PendingTriggerRecord | null
  pendingEvents?: DomainEvent[]
  version: number
  createdAt: Date
  updatedAt: Date
}

const signedCopySchema = new Schema<SignedCopyRecord>(
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

const historyEntrySchema = new Schema<ContractHistoryRecord>(
  {
    at: { type: Date, required: true },
    event: { type: String, enum: CONTRACT_EVENTS, required: true },
    actor: { kind: { type: String, enum: ['user', 'system'], required: true }, id: String, name: String },
    // What changed: { field: [before, after] }, clauses added/removed, the file uploaded. Typed
    // by ContractChanges (changes.ts); stored as one open object since its keys are all optional.
    changes: { type: Schema.Types.Mixed },
  },
  { _id: false },
)

const contractSchema = new Schema<ContractRecord>(
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

export const ContractModel = defineModel('Contract', () => model('Contract', contractSchema, 'contracts'))
