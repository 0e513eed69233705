// What an edit changed on a contract, as recorded in its history. Pure.
import type { ContractStatus } from './vocabulary'

type Field = 'reference' | 'title' | 'effectiveAt' | 'expiresAt' | 'status'

export interface ContractChanges {
  created?: { status: ContractStatus; clauseCount: number; templateCategory: string | null }
  /** [before, after]; dates as ISO instants, a missing expiry as null. */
  fields?: Partial<Record<Field, [string | null, string | null]>>
  clausesAdded?: string[]
  clausesRemoved?: string[]
  signedCopy?: { filename: string; size: number }
  note?: string
}

interface Comparable {
  reference: string
  title: string
  effectiveAt: Date
  expiresAt: Date | null
  status: ContractStatus
  clauseIds: string[]
}

const asText = (value: string | Date | null): string | null => (value instanceof Date ? value.toISOString() : value)

/** The differences between two versions of a contract, or null when nothing changed. */
export function contractChanges(before: Comparable, after: Comparable): ContractChanges | null {
  const fields: NonNullable<ContractChanges['fields']> = {}
  for (const field of ['reference', 'title', 'effectiveAt', 'expiresAt', 'status'] as const) {
    const was = asText(before[field])
    const now = asText(after[field])
    if (was !== now) fields[field] = [was, now]
  }
  const clausesAdded = after.clauseIds.filter((id) => !before.clauseIds.includes(id))
  const clausesRemoved = before.clauseIds.filter((id) => !after.clauseIds.includes(id))
  const changes: ContractChanges = {
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(clausesAdded.length > 0 ? { clausesAdded } : {}),
    ...(clausesRemoved.length > 0 ? { clausesRemoved } : {}),
  }
  return Object.keys(changes).length > 0 ? changes : null
}
