// How an assessment's state reads to staff. Pure.
import { VENDOR_EDITABLE } from './lifecycle'
import type { AssessmentStatus } from './vocabulary'

/** Statuses in which the vendor still owes an answer, so a passed due date makes it overdue: those they may edit in. */
export const AWAITING_VENDOR: readonly AssessmentStatus[] = VENDOR_EDITABLE

export function isOverdue(status: AssessmentStatus, dueAt: Date | string, now: Date = new Date()): boolean {
  return AWAITING_VENDOR.includes(status) && new Date(dueAt).getTime() < now.getTime()
}

export const STATUS_TONE: Record<AssessmentStatus, 'neutral' | 'info' | 'good' | 'warn' | 'bad'> = {
  invited: 'neutral',
  in_progress: 'info',
  submitted: 'good',
  under_review: 'info',
  clarification_requested: 'warn',
  completed: 'good',
  cancelled: 'neutral',
}

export type InvitationState = 'active' | 'expired' | 'revoked'

export function invitationState(invitation: { expiresAt: Date | string; revokedAt?: Date | string | null }, now: Date = new Date()): InvitationState {
  if (invitation.revokedAt) return 'revoked'
  return new Date(invitation.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active'
}
