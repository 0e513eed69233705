// Issuing the reassessment: exactly once per vendor and due date, even with several app instances
// sweeping at once and across a crash.
//
// 1. Claim: one conditional update gives this instance a short lease on the vendor (only while the
//    due date is unchanged, not yet issued, and nobody else holds a live lease).
// 2. Adopt or start: an open assessment of the vendor (started by staff, or by an instance that
//    crashed after starting it) is adopted; otherwise startAssessment issues a new one.
// 3. Record: issuedForDueAt = the due date, which takes the vendor out of the sweep's query.
// A crash between 1 and 3 leaves a lease that expires; the next sweep then finds the assessment
// (adopts it) or finds none (starts it), so nothing is lost and nothing is issued twice.
import { hostname } from 'node:os'
import { domainEvent } from '~/modules/events/catalogue.server'
import { publishEvents, withEvents } from '~/modules/events/outbox.server'
import { randomUUID } from 'node:crypto'
import { Types } from 'mongoose'
import { findOpenAssessment, type AssessmentRecord } from '~/modules/assessments/assessment-store.server'
import { findVendorFields, findVendorSchedule, listVendorsToIssue, vendorVersionTarget, type VendorSchedule } from '~/modules/vendors/vendor-store.server'
import { updateWithVersion } from '~/modules/db/versioned-update.server'
import { reissueInvitation } from '~/modules/assessments/invitations.server'
import { startAssessment } from '~/modules/assessments/start.server'
import { OPEN_STATUSES } from '~/modules/assessments/vocabulary'
import { recordedDedupeKeys } from '~/modules/mail/mail-message-store.server'
import { StartAssessmentError } from '~/modules/assessments/start.server'
import { dayKey, endOfDayAfter, responseDueAt, startOfDayIn } from './cadence'
import { issueFailureReason, mailIssueFailure, type IssueFailureReason } from './issue-failure.server'
import { getSettings } from './settings.server'

/** How long a claim on a vendor lasts: far longer than issuing one assessment takes. */
export const ISSUE_LEASE_MS = 10 * 60_000
/** Vendors the scheduler issues reassessments for (suspended and offboarded ones wait). */
export { SCHEDULED_VENDOR_STATUSES } from './scheduled-vendors'

/** Identifies this process in leases, so a lease can be told apart from another instance's. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`

export type IssueOutcome = 'issued' | 'adopted' | 'busy' | 'failed'

export interface IssueContext {
  now: Date
  timeZone: string
  instanceId?: string
  trigger?: { reason: 'scheduled' | 'contract_renewal' | 'tier_raised' | 'staff_request' | 'incident'; detail?: string }
  /** Days an overdue vendor gets to answer from today (default: the settings' issue-ahead days). */
  responseDays?: number
  actor?: { kind: 'user'; id: string; name: string } | { kind: 'system' }
}

export { vendorsToIssueFilter } from '~/modules/vendors/vendor-store.server'

export async function issueDueReassessments(now: Date, aheadDays: number, timeZone: string, instanceId = INSTANCE_ID) {
  const horizon = endOfDayAfter(now, aheadDays, timeZone)
  const candidates = await listVendorsToIssue(horizon)
  const counts: Record<IssueOutcome, number> = { issued: 0, adopted: 0, busy: 0, failed: 0 }
  for (const vendor of candidates) {
    const dueAt = vendor.reassessment?.nextDueAt
    if (!dueAt) continue
    counts[await issueReassessment(vendor._id, dueAt, { now, timeZone, instanceId, responseDays: aheadDays })]++
  }
  return counts
}

const sameMoment = (a: Date | null | undefined, b: Date) => a instanceof Date && a.getTime() === b.getTime()

type ScheduleState = VendorSchedule

/**
 * Reads the vendor's schedule, lets `decide` compute an update from it, and applies that update
 * only if the vendor is still at the version read (one atomic update; retried if another write
 * got in between). The condition is the (_id, version) pair alone, which the embedded database
 * answers from an index too (see the unique index in models/vendor.ts); the rest is checked here.
 */
async function changeSchedule(vendorId: Types.ObjectId, decide: (vendor: ScheduleState) => Record<string, unknown> | null): Promise<number | null> {
  const outcome = await updateWithVersion(vendorVersionTarget, {
    attempts: 8,
    read: () => findVendorSchedule(vendorId),
    decide: (vendor) => {
      const update = decide(vendor)
      return update ? { update, result: null } : { refuse: 'nothing to change' }
    },
  })
  return outcome.status === 'updated' ? outcome.version : null
}

/**
 * This instance takes the vendor for ISSUE_LEASE_MS, provided its due date is still `dueAt`,
 * nothing was issued for it, and no other instance holds a live lease. False if not claimed.
 */
export async function claimVendor(vendorId: Types.ObjectId, dueAt: Date, now: Date, instanceId: string): Promise<boolean> {
  const claimed = await changeSchedule(vendorId, (vendor) => {
    const schedule = vendor.reassessment
    if (!sameMoment(schedule?.nextDueAt, dueAt) || schedule?.issuedForDueAt) return null
    if (schedule?.issueLease?.until && schedule.issueLease.until.getTime() > now.getTime()) return null
    return { $set: { 'reassessment.issueLease': { dueAt, until: new Date(now.getTime() + ISSUE_LEASE_MS), by: instanceId } } }
  })
  return claimed !== null
}

/** Claims, issues (or adopts) and records the reassessment of one vendor for one due date. */
export async function issueReassessment(vendorId: Types.ObjectId, dueAt: Date, context: IssueContext): Promise<IssueOutcome> {
  const { now, timeZone } = context
  const tomorrow = startOfDayIn(endOfDayAfter(now, 1, timeZone), timeZone)
  const instanceId = context.instanceId ?? INSTANCE_ID
  if (!(await claimVendor(vendorId, dueAt, now, instanceId))) return 'busy'

  let assessmentId: Types.ObjectId | undefined
  let outcome: IssueOutcome = 'failed'
  const open = await findOpenAssessment(vendorId, OPEN_STATUSES)
  if (open) {
    assessmentId = open._id
    outcome = 'adopted'
    await mailUnsentInvitations(open, now)
  } else {
    const responseDays = context.responseDays ?? (await getSettings()).issueAheadDays
    let failure: { reason: IssueFailureReason; message: string } | null = null
    const vendor = await findVendorFields(vendorId, 'contacts')
    if (!vendor?.contacts?.length) failure = { reason: vendor ? 'noContacts' : 'vendorNotFound', message: 'the vendor has no contact to send the questionnaire to' }
    else {
      try {
        const started = await startAssessment({
          vendorId: vendorId.toString(),
          dueAt: responseDueAt(dueAt, now, responseDays, timeZone),
          trigger: context.trigger ?? { reason: 'scheduled', detail: dayKey(dueAt, timeZone) },
          actor: context.actor ?? { kind: 'system' },
        })
        assessmentId = new Types.ObjectId(started.assessmentId)
        outcome = 'issued'
      } catch (error) {
        failure = { reason: issueFailureReason(error instanceof StartAssessmentError ? error.code : null), message: error instanceof Error ? error.message : String(error) }
      }
    }
    if (failure) {
      // Try again tomorrow; meanwhile the dashboard and the schedule page show why, and admins are mailed once.
      const { reason, message } = failure
      await changeSchedule(vendorId, (current) =>
        current.reassessment?.issueLease?.by === instanceId
          ? { $set: { 'reassessment.issueError': { at: now, message, reason }, 'reassessment.issueLease.until': tomorrow } }
          : null,
      )
      console.warn(`[clausewise] schedule: could not issue the reassessment of vendor ${vendorId.toString()} (${reason}): ${message}`)
      await mailIssueFailure({ vendorId, dueAt, reason, message, timeZone })
      return 'failed'
    }
  }
  if (!assessmentId) return outcome
  // If the due date moved meanwhile, the assessment stays and the next sweep adopts it for the new date.
  const recorded = await changeSchedule(vendorId, (vendor) =>
    sameMoment(vendor.reassessment?.nextDueAt, dueAt) && !vendor.reassessment?.issuedForDueAt
      ? withEvents(
          {
            $set: { 'reassessment.issuedForDueAt': dueAt, 'reassessment.assessmentId': assessmentId },
            $unset: { 'reassessment.issueLease': 1, 'reassessment.issueError': 1 },
          },
          domainEvent('reassessment.due', { vendorId: vendorId.toString(), dueAt: dueAt.toISOString(), assessmentId: String(assessmentId) }, now),
        )
      : null,
  )
  if (recorded !== null) await publishEvents('vendors', vendorId)
  return outcome
}

/**
 * An instance that stopped between creating an assessment and e-mailing its links leaves
 * invitations whose mail was never even recorded. Their tokens are gone (only hashes are
 * stored), so each gets a fresh link by a re-issue. A mail that was recorded is left alone:
 * it went out, or its fate is the mail module's.
 */
async function mailUnsentInvitations(
  assessment: Pick<AssessmentRecord, '_id' | 'invitations'>,
  now: Date,
) {
  // Links issued in the last few minutes may still be on their way out from another request.
  const settled = now.getTime() - ISSUE_LEASE_MS
  const unsent = (assessment.invitations ?? []).filter(
    (invitation) => !invitation.revokedAt && !invitation.sentAt && !invitation.mailStatus && invitation.issuedAt && invitation.issuedAt.getTime() < settled,
  )
  if (unsent.length === 0) return
  const keys = unsent.map((invitation) => `vendor-link:${invitation._id.toString()}`)
  const recorded = await recordedDedupeKeys(keys)
  for (const invitation of unsent) {
    if (recorded.has(`vendor-link:${invitation._id.toString()}`)) continue
    await reissueInvitation(assessment._id.toString(), invitation._id.toString(), { kind: 'system' })
  }
}
