// Reading contracts: the typed record and the lookups other domains use (starting an assessment,
// an incident's contract). Kept apart from the writes so a reader does not pull in the schedule
// the writes notify: dependencies point one way (assessments → contracts reads; contracts writes → schedule).
import { Types } from 'mongoose'
import type { Clause } from '~/modules/library/content-schema'
import { getClause, getClauseLibrary } from '~/modules/library/library.server'
import type { VendorCategory } from '~/modules/vendors/vocabulary'
import type { ContractChanges } from './changes'
import { findContractOfVendor, listActiveContractsOfVendor, listContractsOfVendor, type ContractRecord } from './contract-store.server'
import { currentContractOf } from './standing'
import type { ContractEvent, ContractStatus } from './vocabulary'

function asObjectId(id: string): Types.ObjectId | null {
  return Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : null
}

export interface ContractHistoryEntry {
  at: Date
  event: ContractEvent
  actor: { kind: 'user' | 'system'; id: string | null; name: string | null }
  changes: ContractChanges | null
}

/** A contract as the rest of the application sees it. */
export interface Contract {
  id: string
  vendorId: string
  reference: string
  title: string
  effectiveAt: Date
  expiresAt: Date | null
  status: ContractStatus
  templateCategory: VendorCategory | null
  clauseIds: string[]
  clauseLibraryVersion: number | null
  signedCopy: { fileId: string; filename: string; contentType: string; size: number; uploadedAt: Date; uploadedBy: string | null } | null
  createdBy: { id: string | null; name: string | null }
  history: ContractHistoryEntry[]
  version: number
  createdAt: Date
  updatedAt: Date
}

export function toContract(document: ContractRecord): Contract {
  return {
    id: document._id.toString(),
    vendorId: document.vendorId.toString(),
    reference: document.reference,
    title: document.title,
    effectiveAt: document.effectiveAt,
    expiresAt: document.expiresAt ?? null,
    status: document.status,
    templateCategory: document.templateCategory ?? null,
    clauseIds: [...document.clauseIds],
    clauseLibraryVersion: document.clauseLibraryVersion ?? null,
    signedCopy: document.signedCopy
      ? {
          fileId: document.signedCopy.fileId.toString(),
          filename: document.signedCopy.filename,
          contentType: document.signedCopy.contentType,
          size: document.signedCopy.size,
          uploadedAt: document.signedCopy.uploadedAt,
          uploadedBy: document.signedCopy.uploadedBy?.name ?? null,
        }
      : null,
    createdBy: { id: document.createdBy?.id ?? null, name: document.createdBy?.name ?? null },
    history: document.history.map((entry) => ({
      at: entry.at,
      event: entry.event,
      actor: { kind: entry.actor?.kind === 'user' ? 'user' : 'system', id: entry.actor?.id ?? null, name: entry.actor?.name ?? null },
      changes: entry.changes ?? null,
    })),
    version: document.version,
    createdAt: document.createdAt ?? document.effectiveAt,
    updatedAt: document.updatedAt ?? document.effectiveAt,
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Every contract with the vendor, latest effective first. */
export async function listContracts(vendorId: string): Promise<Contract[]> {
  const id = asObjectId(vendorId)
  if (!id) return []
  const documents = await listContractsOfVendor(id)
  return documents.map(toContract)
}

/** One contract, only if it belongs to the vendor (a URL cannot pair a contract with another vendor). */
export async function getContract(vendorId: string, contractId: string): Promise<Contract | null> {
  const vendor = asObjectId(vendorId)
  const id = asObjectId(contractId)
  if (!vendor || !id) return null
  const document = await findContractOfVendor(vendor, id)
  return document ? toContract(document) : null
}

/** The contract in force today (or at `now`): active, effective, not expired; the latest effective wins. */
export async function getCurrentContract(vendorId: string, now = new Date()): Promise<Contract | null> {
  const id = asObjectId(vendorId)
  if (!id) return null
  const active = await listActiveContractsOfVendor(id, now)
  const current = currentContractOf(active.map(toContract), now)
  return current
}

/** The contract's clauses as full library entries, in the library's order (ids no longer in the library are left out). */
export function contractClauses(contract: Pick<Contract, 'clauseIds'>): Clause[] {
  const chosen = new Set(contract.clauseIds)
  return getClauseLibrary().clauses.filter((clause) => chosen.has(clause.id))
}

/** Clause ids on the contract that the current library no longer has. */
export function missingClauseIds(contract: Pick<Contract, 'clauseIds'>): string[] {
  return contract.clauseIds.filter((id) => !getClause(id))
}
