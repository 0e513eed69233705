// The vendor's reassessment schedule: the next due date after a sign-off, triggers that bring it
// forward, and the per-vendor cadence. Other domains call these; the sweep does the issuing.
import { Types } from 'mongoose'
import { hasOpenAssessment } from '~/modules/assessments/assessment-store.server'
import { CLEAR_ISSUE, findVendorCadenceFacts, findVendorSchedule, setVendorNextDueAt, vendorVersionTarget } from '~/modules/vendors/vendor-store.server'
import { recordAudit } from '~/modules/audit/audit.server'
import { OPEN_STATUSES } from '~/modules/assessments/vocabulary'
import { cadenceFor, dueDateAfter, endOfDayAfter, type CadenceSource } from './cadence'
import { issueReassessment, type IssueOutcome } from './issue.server'
import { getSettings, institutionTimeZone } from './settings.server'
import { updateWithVersion, type VersionedDecision } from '~/modules/db/versioned-update.server'

export { getSettings } from './settings.server'

export type ScheduleActor = { kind: 'user'; id: string; name: string } | { kind: 'system' }
export type TriggerReason = 'contract_renewal' | 'tier_raised' | 'staff_request' | 'incident'

const asObjectId = (id: string) => (Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : null)
const actorName = (actor: ScheduleActor) => (actor.kind === 'user' ? actor.name : 'system')
const auditActor = (actor: ScheduleActor) => (actor.kind === 'user' ? { kind: 'user' as const, id: actor.id, label: actor.name } : { kind: 'system' as const, label: 'scheduler' })


/**
 * Called by the compliance sign-off: next due = sign-off date + the vendor's cadence, in the
 * institution's zone. Returns null for an unknown vendor.
 */
export async function scheduleNextReassessment(vendorId: string, signedOffAt: Date): Promise<{ nextDueAt: Date; months: number; source: CadenceSource } | null> {
  const id = asObjectId(vendorId)
  if (!id) return null
  const settings = await getSettings()
  const vendor = await findVendorCadenceFacts(id)
  if (!vendor) return null
  const cadence = cadenceFor({ cadenceMonths: vendor.reassessment?.cadenceMonths, tier: vendor.effectiveTier }, settings)
  const nextDueAt = dueDateAfter(signedOffAt, cadence.months, institutionTimeZone())
  await setVendorNextDueAt(id, nextDueAt)
  return { nextDueAt, ...cadence }
}

export type TriggerResult =
  | { ok: true; nextDueAt: Date | null; broughtForward: boolean; alreadyOpen: boolean; issued?: IssueOutcome }
  | { ok: false; reason: 'notFound' }

type TriggerInput = {
  vendorId: string
  reason: TriggerReason
  detail?: string
  actor: ScheduleActor
  dueAt?: Date
  startNow?: boolean
  now?: Date
}

/** The trigger entry and the due date it asks for, before looking at the vendor. */
async function prepareTrigger(input: TriggerInput) {
  const now = input.now ?? new Date()
  const timeZone = institutionTimeZone()
  const settings = await getSettings()
  const requested = input.dueAt ? endOfDayAfter(input.dueAt, 0, timeZone) : endOfDayAfter(now, settings.issueAheadDays, timeZone)
  const entry = {
    reason: input.reason,
    detail: input.detail?.slice(0, 500),
    at: now,
    byName: actorName(input.actor),
    byUserId: input.actor.kind === 'user' ? input.actor.id : undefined,
    dueAt: requested,
  }
  return { now, timeZone, requested, entry }
}

type VendorReassessment = { nextDueAt?: Date | null; issuedForDueAt?: Date | null } | null | undefined

/**
 * The parts of a vendor update that record a trigger, for a caller that writes them together with
 * its own change in one atomic update (a tier raise) or alone (recordTrigger).
 */
export async function triggerUpdate(input: TriggerInput, reassessment: VendorReassessment) {
  const prepared = await prepareTrigger(input)
  const id = asObjectId(input.vendorId)
  const alreadyOpen = id ? await hasOpenAssessment(id, OPEN_STATUSES) : false
  const current = reassessment?.nextDueAt ?? null
  const { requested, entry } = prepared
  // Earlier than planned, or a fresh round after an issued one was cancelled.
  const bringForward = !alreadyOpen && (!current || current.getTime() > requested.getTime() || Boolean(reassessment?.issuedForDueAt))
  return {
    ...prepared,
    alreadyOpen,
    bringForward,
    current,
    nextDueAt: bringForward ? requested : current,
    set: (bringForward ? { 'reassessment.nextDueAt': requested } : {}) as Record<string, unknown>,
    unset: (bringForward ? { ...CLEAR_ISSUE } : {}) as Record<string, 1>,
    push: { 'reassessment.triggers': bringForward ? entry : { ...entry, dueAt: current ?? undefined } },
    audit: {
      actor: auditActor(input.actor),
      action: 'vendor.reassessment.trigger',
      subject: { kind: 'vendor', id: input.vendorId },
      details: { reason: input.reason, detail: entry.detail, broughtForward: bringForward, from: current, to: bringForward ? requested : current },
    },
  }
}

/**
 * Records why a reassessment is wanted earlier (contract renewal, a data profile that raised the
 * tier, a staff request) and brings the vendor's next due date forward: to `dueAt`, or by default
 * to `issueAheadDays` from today, so the next sweep issues it. `startNow` issues it at once.
 * When an assessment is already open, the trigger is recorded and nothing else changes.
 * `onlyOnce` (e.g. the contract id of a renewal) records the trigger at most once per key.
 */
export async function recordTrigger(input: TriggerInput & { onlyOnce?: string }): Promise<TriggerResult> {
  const id = asObjectId(input.vendorId)
  if (!id) return { ok: false, reason: 'notFound' }

  const outcome = await updateWithVersion(vendorVersionTarget, {
    attempts: 5,
    read: () => findVendorSchedule(id),
    decide: async (vendor): Promise<VersionedDecision<Awaited<ReturnType<typeof triggerUpdate>>, { alreadyRecorded: Date | null }>> => {
      const triggers = vendor.reassessment?.triggers ?? []
      // Recorded once already for this key: nothing to write, the vendor's due date as it is.
      if (input.onlyOnce && triggers.some((trigger) => trigger.key === input.onlyOnce)) return { refuse: { alreadyRecorded: vendor.reassessment?.nextDueAt ?? null } }
      const change = await triggerUpdate(input, vendor.reassessment)
      const push = input.onlyOnce ? { 'reassessment.triggers': { ...change.push['reassessment.triggers'], key: input.onlyOnce } } : change.push
      return { update: { ...(Object.keys(change.set).length ? { $set: change.set } : {}), ...(Object.keys(change.unset).length ? { $unset: change.unset } : {}), $push: push }, result: change }
    },
  })
  if (outcome.status === 'missing') return { ok: false, reason: 'notFound' }
  if (outcome.status === 'refused') return { ok: true, nextDueAt: outcome.reason.alreadyRecorded, broughtForward: false, alreadyOpen: false }
  if (outcome.status === 'updated') {
    const change = outcome.result
    await recordAudit(change.audit)
    let issued: IssueOutcome | undefined
    if (input.startNow && change.bringForward) {
      issued = await issueReassessment(id, change.requested, { now: change.now, timeZone: change.timeZone, trigger: { reason: input.reason, detail: input.detail }, actor: input.actor })
    }
    return { ok: true, nextDueAt: change.nextDueAt, broughtForward: change.bringForward, alreadyOpen: change.alreadyOpen, issued }
  }
  throw new Error(`vendor ${input.vendorId} kept changing while recording a reassessment trigger`)
}

/**
 * Sets (or with null, removes) the vendor's own cadence. A due date not yet issued is recomputed
 * from the last sign-off with the new cadence.
 */
export async function setVendorCadence(vendorId: string, months: number | null, actor: ScheduleActor): Promise<{ ok: true; nextDueAt: Date | null } | { ok: false; reason: 'notFound' }> {
  const id = asObjectId(vendorId)
  if (!id) return { ok: false, reason: 'notFound' }
  const settings = await getSettings()
  const outcome = await updateWithVersion(vendorVersionTarget, {
    attempts: 5,
    read: () => findVendorSchedule(id),
    decide: (vendor) => {
      const lastAssessedAt = vendor.assessmentSummary?.lastAssessedAt
      const pending = !vendor.reassessment?.issuedForDueAt
      const nextDueAt =
        lastAssessedAt && pending
          ? dueDateAfter(lastAssessedAt, cadenceFor({ cadenceMonths: months, tier: vendor.effectiveTier }, settings).months, institutionTimeZone())
          : (vendor.reassessment?.nextDueAt ?? null)
      const set: Record<string, unknown> = nextDueAt ? { 'reassessment.nextDueAt': nextDueAt } : {}
      const update = months === null ? { $set: set, $unset: { 'reassessment.cadenceMonths': 1 } } : { $set: { ...set, 'reassessment.cadenceMonths': months } }
      return { update, result: nextDueAt }
    },
  })
  if (outcome.status === 'missing') return { ok: false, reason: 'notFound' }
  if (outcome.status === 'updated') {
    const nextDueAt = outcome.result
    await recordAudit({
      actor: auditActor(actor),
      action: 'vendor.reassessment.cadence',
      subject: { kind: 'vendor', id: vendorId },
      details: { months, nextDueAt },
    })
    return { ok: true, nextDueAt }
  }
  throw new Error(`vendor ${vendorId} kept changing while setting its cadence`)
}
