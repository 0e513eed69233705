// What an e-mail carrying a vendor link records on the assessment, once it has been delivered:
// the new link is marked mailed, and the links it replaces (a reminder's contact's older links)
// are retired only now — until the new link is in the vendor's hands, the old one keeps working.
// Called by the mail module after delivery, possibly more than once (after a crash): idempotent.
import { Types } from 'mongoose'
import { findInvitationMailState, updateAssessmentWithVersion } from './assessment-store.server'

export interface LinkMailEffect {
  kind: 'vendor-link'
  assessmentId: string
  invitationId: string
  /** Invitations this link replaces: retired once it is delivered. */
  retire?: string[]
  retiredBy?: string
}

export type LinkMailStatus = 'sent' | 'outbox' | 'queued' | 'failed' | 'duplicate'

/**
 * Records how a link's e-mail went. A delivery ('sent', or 'outbox' without a mail server) also
 * retires the links it replaces, in the same update; a later, lesser status never overwrites 'sent'.
 */
export async function recordLinkMail(effect: LinkMailEffect, status: LinkMailStatus, now = new Date()) {
  if (!Types.ObjectId.isValid(effect.assessmentId)) return
  const delivered = status === 'sent' || status === 'outbox' || status === 'duplicate'
  const outcome = await updateAssessmentWithVersion({
    attempts: 8,
    read: () => findInvitationMailState(effect.assessmentId),
    decide: (assessment) => {
      const index = assessment.invitations.findIndex((invitation) => String(invitation._id) === effect.invitationId)
      if (index < 0) return { refuse: 'noInvitation' }
      if (assessment.invitations[index]!.mailStatus === 'sent' && status !== 'sent') return { refuse: 'alreadySent' }
      const set: Record<string, unknown> = { [`invitations.${index}.mailStatus`]: status }
      if (delivered) set[`invitations.${index}.sentAt`] = now
      if (delivered && status !== 'duplicate') {
        const retire = new Set(effect.retire ?? [])
        assessment.invitations.forEach((invitation, i) => {
          if (retire.has(String(invitation._id)) && !invitation.revokedAt) {
            set[`invitations.${i}.revokedAt`] = now
            set[`invitations.${i}.revokedReason`] = 'superseded'
            set[`invitations.${i}.revokedBy`] = effect.retiredBy ?? 'system'
          }
        })
      }
      return { update: { $set: set }, result: null }
    },
  })
  if (outcome.status !== 'conflict') return
  throw new Error(`assessment ${effect.assessmentId} kept changing while recording a link's e-mail`)
}
