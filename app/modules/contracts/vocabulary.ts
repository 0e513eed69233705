// The contract register's fixed vocabularies. Pure: used by the model, the schemas and the pages.

/** Stored status. "in force" is derived from it and the dates (see standing.ts). */
export const CONTRACT_STATUSES = ['draft', 'active', 'expired', 'terminated'] as const
export type ContractStatus = (typeof CONTRACT_STATUSES)[number]

/** What a contract's history records. */
export const CONTRACT_EVENTS = ['created', 'updated', 'signed_copy_uploaded', 'expired'] as const
export type ContractEvent = (typeof CONTRACT_EVENTS)[number]

/** A signed copy is a PDF of at most 10 MB. */
export const SIGNED_COPY_MAX_BYTES = 10 * 1024 * 1024
export const SIGNED_COPY_MIME = 'application/pdf'
