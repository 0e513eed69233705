// The contracts collection: the only module that queries or updates it. Reads return typed lean
// records (models/contract.ts `ContractRecord`, or a Pick of it for a projection); every write
// keeps its filter and update operators as one atomic single-document update.
import type { DomainEvent } from '~/modules/events/catalogue.server'
import { withEvents } from '~/modules/events/pending'
import type { Types } from 'mongoose'
import { ContractModel, type ContractHistoryRecord, type ContractRecord } from '~models/contract'

export type { ContractActorRecord, ContractHistoryRecord, ContractRecord, PendingTriggerRecord, SignedCopyRecord } from '~models/contract'

// ── assessments, offboarding, seed, events ──

/** For the events relay (events/relay.server.ts): the collection whose documents carry `pendingEvents`. */
export const contractEventSource = { get collection() { return ContractModel.collection } }

/** A contract a write inserts: everything but the timestamps the database adds. */
export type NewContractRecord = Omit<ContractRecord, 'createdAt' | 'updatedAt' | 'version'> & { version?: number }

// ---------------------------------------------------------------------------------------------
// Reading

/** Every contract with the vendor, latest effective first. */
export async function listContractsOfVendor(vendorId: Types.ObjectId): Promise<ContractRecord[]> {
  return ContractModel.find({ vendorId }).sort({ effectiveAt: -1, createdAt: -1 }).lean<ContractRecord[]>()
}

/** One contract, only if it belongs to the vendor. */
export async function findContractOfVendor(vendorId: Types.ObjectId, contractId: Types.ObjectId): Promise<ContractRecord | null> {
  return ContractModel.findOne({ _id: contractId, vendorId }).lean<ContractRecord>()
}

/** The vendor's active contracts in effect at `now` (the one in force is chosen among them). */
export async function listActiveContractsOfVendor(vendorId: Types.ObjectId, now: Date): Promise<ContractRecord[]> {
  return ContractModel.find({ vendorId, status: 'active', effectiveAt: { $lte: now } }).lean<ContractRecord[]>()
}

export async function contractReferenceTaken(reference: string): Promise<boolean> {
  return (await ContractModel.exists({ reference })) !== null
}

export async function vendorHasContract(vendorId: Types.ObjectId): Promise<boolean> {
  return (await ContractModel.exists({ vendorId })) !== null
}

/** The vendors that have at least one contract. */
export async function listVendorIdsWithContracts(): Promise<Types.ObjectId[]> {
  return ContractModel.distinct<'vendorId', Types.ObjectId>('vendorId')
}

/** The vendors of the first active contracts by reference (the demo data). */
export async function listActiveContractVendorIds(limit: number): Promise<Types.ObjectId[]> {
  const contracts = await ContractModel.find({ status: 'active' }, { vendorId: 1 }).sort({ reference: 1 }).limit(limit).lean<Pick<ContractRecord, '_id' | 'vendorId'>[]>()
  return contracts.map((contract) => contract.vendorId)
}

export type PendingTriggerContract = Pick<ContractRecord, '_id' | 'vendorId' | 'reference' | 'pendingTrigger'>

/** Contracts whose renewal trigger is still to be recorded on the vendor. */
export async function listPendingTriggerContracts(limit: number): Promise<PendingTriggerContract[]> {
  return ContractModel.find({ pendingTrigger: { $exists: true } }, { vendorId: 1, reference: 1, pendingTrigger: 1 }).limit(limit).lean<PendingTriggerContract[]>()
}

export type ExpiringContract = Pick<ContractRecord, '_id' | 'vendorId' | 'reference' | 'title' | 'expiresAt' | 'effectiveAt'>

const expiringFilter = (from: Date, to: Date) => ({ status: 'active', expiresAt: { $gte: from, $lte: to } })

/** Active contracts expiring between two instants, soonest first. */
export async function listExpiringContracts(window: { from: Date; to: Date; limit?: number }): Promise<ExpiringContract[]> {
  const query = ContractModel.find(expiringFilter(window.from, window.to), { vendorId: 1, reference: 1, title: 1, expiresAt: 1, effectiveAt: 1 }).sort({ expiresAt: 1 })
  return (window.limit ? query.limit(window.limit) : query).lean<ExpiringContract[]>()
}

export function countExpiringContracts(window: { from: Date; to: Date }): Promise<number> {
  return ContractModel.countDocuments(expiringFilter(window.from, window.to))
}

/** When each active contract of these vendors took effect (a renewal already on file). */
export async function listActiveContractStarts(vendorIds: readonly Types.ObjectId[]): Promise<Pick<ContractRecord, '_id' | 'vendorId' | 'effectiveAt'>[]> {
  return ContractModel.find({ vendorId: { $in: vendorIds }, status: 'active' }, { vendorId: 1, effectiveAt: 1 }).lean<Pick<ContractRecord, '_id' | 'vendorId' | 'effectiveAt'>[]>()
}

/** The first active contract in effect at `now`, by reference (the demo data). */
export async function findFirstActiveContract(now: Date): Promise<Pick<ContractRecord, '_id' | 'expiresAt'> | null> {
  return ContractModel.findOne({ status: 'active', effectiveAt: { $lte: now } }, { expiresAt: 1 }).sort({ reference: 1 }).lean<Pick<ContractRecord, '_id' | 'expiresAt'>>()
}

// ---------------------------------------------------------------------------------------------
// Writing

/** The indexes the sweep's queries rely on, built before the job runner starts. */
export async function initContractStore(): Promise<void> {
  await ContractModel.init()
}

export async function insertContract(contract: NewContractRecord): Promise<void> {
  await ContractModel.create(contract)
}

/** Many new contracts in one insert. */
export async function insertContracts(contracts: NewContractRecord[]): Promise<void> {
  await ContractModel.insertMany(contracts)
}

/**
 * Applies an edit decided on `version` (the edit form's guard) to the vendor's contract; null when
 * another write got in first.
 */
export async function updateContractAtVersion(
  target: { contractId: Types.ObjectId; vendorId: Types.ObjectId; version: number },
  update: Record<string, unknown>,
): Promise<ContractRecord | null> {
  return ContractModel.findOneAndUpdate({ _id: target.contractId, vendorId: target.vendorId, version: target.version }, update, { new: true }).lean<ContractRecord>()
}

/**
 * Turns a marker left by an older version into its event, once (decision 050). Not a user-visible
 * change: the version (the edit form's guard) stays.
 */
export async function convertPendingTrigger(contractId: Types.ObjectId, ...events: DomainEvent[]): Promise<boolean> {
  const converted = await ContractModel.updateOne({ _id: contractId, pendingTrigger: { $exists: true } }, withEvents({ $unset: { pendingTrigger: 1 } }, ...events))
  return converted.modifiedCount === 1
}

/** Moves a contract's expiry with its history entry (the demo data). */
export async function moveContractExpiry(contractId: Types.ObjectId, expiresAt: Date, entry: ContractHistoryRecord): Promise<void> {
  await ContractModel.updateOne({ _id: contractId }, { $set: { expiresAt }, $push: { history: entry }, $inc: { version: 1 } })
}
