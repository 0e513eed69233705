// Whether a contract is in force, and the calendar days behind its dates. Pure: the dates are
// calendar days in the institution's time zone, stored as the instants they begin and end
// (~/modules/dates/dates).
import type { ContractStatus } from './vocabulary'

/**
 * What a contract means today: a draft; signed but not yet effective ("scheduled"); in force;
 * past its expiry (whether or not anyone has marked it expired); or terminated.
 */
export const CONTRACT_STANDINGS = ['draft', 'scheduled', 'in_force', 'expired', 'terminated'] as const
export type ContractStanding = (typeof CONTRACT_STANDINGS)[number]

export interface ContractDates {
  status: ContractStatus
  effectiveAt: Date
  expiresAt?: Date | null
}

export function contractStanding(contract: ContractDates, now: Date): ContractStanding {
  if (contract.status !== 'active') return contract.status
  if (contract.expiresAt && contract.expiresAt.getTime() < now.getTime()) return 'expired'
  if (contract.effectiveAt.getTime() > now.getTime()) return 'scheduled'
  return 'in_force'
}

/** Whole days from now until the contract's last day ends; null without an expiry date. */
export function daysUntilExpiry(contract: Pick<ContractDates, 'expiresAt'>, now: Date): number | null {
  if (!contract.expiresAt) return null
  return Math.floor((contract.expiresAt.getTime() - now.getTime()) / 86_400_000)
}

/** Contracts in force that end within this many days are flagged for renewal. */
export const RENEWAL_WINDOW_DAYS = 90

/**
 * The contract in force: among active contracts whose dates cover `now`, the one that took effect
 * last (a renewal signed before the old contract ends takes over on its effective date).
 */
export function currentContractOf<T extends ContractDates>(contracts: readonly T[], now: Date): T | null {
  let current: T | null = null
  for (const contract of contracts) {
    if (contractStanding(contract, now) !== 'in_force') continue
    if (!current || contract.effectiveAt.getTime() > current.effectiveAt.getTime()) current = contract
  }
  return current
}
