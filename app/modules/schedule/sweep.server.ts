// One scheduling sweep: issue reassessments that are due, remind vendors, escalate overdue
// assessments and warn of expiring contracts. Every step takes `now` (the job runner passes the
// real time; tests drive a simulated calendar) and is safe to run twice or on two instances at
// once: issuing claims the vendor first (issue.server.ts), reminder rounds are claimed on the
// assessment by the portal's sendReminder, and every staff e-mail has a dedupeKey that the mail
// outbox's unique index lets through once.
//
// Each step finds its work with an indexed range query, so a sweep costs in proportion to what is
// due, not to the size of the inventory:
//   vendors      { issuedForDueAt: null, nextDueAt ≤ horizon }   index (issuedForDueAt, nextDueAt)
//   assessments  { status ∈ awaiting vendor, dueAt in a window }  index (status, dueAt)
//   contracts    { status: active, expiresAt in a window }        index (status, expiresAt)
import type { Types } from 'mongoose'
import { listDueForReminder, listOverdue } from '~/modules/assessments/assessment-store.server'
import { listActiveContractStarts, listExpiringContracts } from '~/modules/contracts/contract-store.server'
import { listActiveStaff, listStaffContactsByIds } from '~/modules/auth/user-store.server'
import { listVendorsByIds } from '~/modules/vendors/vendor-store.server'
import { sendReminder } from '~/modules/assessments/invitations.server'
import { AWAITING_VENDOR } from '~/modules/assessments/status'
import { recordedDedupeKeys } from '~/modules/mail/mail-message-store.server'
import { calendarDaysUntil, dayKey, endOfDayAfter, escalationRound, reminderDue } from './cadence'
import { INSTANCE_ID, issueDueReassessments } from './issue.server'
import { sendContractExpiryWarning, sendEscalation, type StaffRecipient } from './mail.server'
import { getSettings, institutionTimeZone } from './settings.server'
import type { ScheduleSettings } from './settings'

export interface SweepOptions {
  timeZone?: string
  instanceId?: string
}

export interface SweepResult {
  issued: number
  adopted: number
  busy: number
  failed: number
  reminders: number
  escalations: number
  contractWarnings: number
}

export async function runSweep(now: Date, options: SweepOptions = {}): Promise<SweepResult> {
  const settings = await getSettings()
  const timeZone = options.timeZone ?? institutionTimeZone()
  const issue = await issueDueReassessments(now, settings.issueAheadDays, timeZone, options.instanceId ?? INSTANCE_ID)
  const reminders = await remindVendors(now, settings, timeZone)
  const escalations = settings.escalation.enabled ? await escalateOverdue(now, settings, timeZone) : 0
  const contractWarnings = await warnExpiringContracts(now, settings, timeZone)
  return { ...issue, reminders, escalations, contractWarnings }
}

/** Reminder rounds are named by due day and offset, so a moved due date gets its own rounds. */
export function reminderKey(dueAt: Date, offset: number, timeZone: string) {
  return `due-${dayKey(dueAt, timeZone)}-${offset}d`
}

export async function remindVendors(now: Date, settings: ScheduleSettings, timeZone: string): Promise<number> {
  const offsets = settings.reminderOffsetsDays
  if (offsets.length === 0) return 0
  const assessments = await listDueForReminder(AWAITING_VENDOR, now, endOfDayAfter(now, Math.max(...offsets), timeZone))
  let sent = 0
  for (const assessment of assessments) {
    const offset = reminderDue({ dueAt: assessment.dueAt, createdAt: assessment.createdAt, offsets, now, timeZone })
    if (offset === null) continue
    const key = reminderKey(assessment.dueAt, offset, timeZone)
    if ((assessment.reminders ?? []).some((reminder) => reminder.key === key)) continue
    const result = await sendReminder(assessment._id.toString(), { kind: 'system' }, key)
    if (result.ok) sent++
  }
  return sent
}

async function procurementRecipients(): Promise<StaffRecipient[]> {
  const users = await listActiveStaff({ roles: ['procurement'] })
  return users.map((user) => ({ id: user._id.toString(), name: user.name, email: user.email, locale: user.locale }))
}

async function ownersById(ids: Types.ObjectId[]): Promise<Map<string, StaffRecipient>> {
  if (ids.length === 0) return new Map()
  const users = await listStaffContactsByIds(ids, { activeOnly: true })
  return new Map(users.map((user) => [user._id.toString(), { id: user._id.toString(), name: user.name, email: user.email, locale: user.locale }]))
}

/** Keys among `keys` that already have a message: one indexed lookup instead of one per mail. */
function alreadySent(keys: string[]): Promise<Set<string>> {
  return recordedDedupeKeys(keys)
}

/** Recipients for a vendor's matter: its business owner first, then procurement, each once. */
function recipientsFor(ownerId: string | undefined, owners: Map<string, StaffRecipient>, procurement: StaffRecipient[]) {
  const list: { recipient: StaffRecipient; role: 'owner' | 'procurement' }[] = []
  const owner = ownerId ? owners.get(ownerId) : undefined
  if (owner) list.push({ recipient: owner, role: 'owner' })
  for (const recipient of procurement) if (recipient.id !== owner?.id) list.push({ recipient, role: 'procurement' })
  return list
}

export async function escalateOverdue(now: Date, settings: ScheduleSettings, timeZone: string): Promise<number> {
  const overdue = await listOverdue(AWAITING_VENDOR, now)
  if (overdue.length === 0) return 0
  const vendors = await listVendorsByIds(overdue.map((a) => a.vendorId), 'nameAndOwner')
  const vendorById = new Map(vendors.map((vendor) => [vendor._id.toString(), vendor]))
  const owners = await ownersById(vendors.flatMap((vendor) => (vendor.businessOwnerId ? [vendor.businessOwnerId] : [])))
  const procurement = await procurementRecipients()

  const planned = overdue.flatMap((assessment) => {
    const round = escalationRound({ dueAt: assessment.dueAt, now, everyDays: settings.escalation.everyDays, timeZone })
    if (round === null) return []
    const vendor = vendorById.get(assessment.vendorId.toString())
    const base = `escalation:${assessment._id.toString()}:${dayKey(assessment.dueAt, timeZone)}:r${round}`
    return recipientsFor(vendor?.businessOwnerId?.toString(), owners, procurement).map(({ recipient, role }) => ({
      assessment,
      vendor,
      round,
      recipient,
      role,
      dedupeKey: `${base}:${recipient.id}`,
    }))
  })
  const done = await alreadySent(planned.map((mail) => mail.dedupeKey))
  let sent = 0
  for (const mail of planned) {
    if (done.has(mail.dedupeKey)) continue
    const result = await sendEscalation({
      recipient: mail.recipient,
      role: mail.role,
      assessmentId: mail.assessment._id.toString(),
      vendorName: mail.vendor?.legalName ?? mail.assessment.vendorSnapshot?.legalName,
      dueAt: mail.assessment.dueAt,
      daysOverdue: calendarDaysUntil(now, mail.assessment.dueAt, timeZone),
      round: mail.round,
      progressPercent: mail.assessment.progress?.percent ?? 0,
      dedupeKey: mail.dedupeKey,
    })
    if (result.status !== 'duplicate') sent++
  }
  return sent
}

export async function warnExpiringContracts(now: Date, settings: ScheduleSettings, timeZone: string): Promise<number> {
  const expiring = await listExpiringContracts({ from: now, to: endOfDayAfter(now, settings.contractExpiryWarningDays, timeZone) })
  if (expiring.length === 0) return 0
  // A renewal already on file (a later active contract of the same vendor) needs no warning.
  const renewed = await listActiveContractStarts(expiring.map((contract) => contract.vendorId))
  const latestStart = new Map<string, number>()
  for (const contract of renewed) {
    const key = contract.vendorId.toString()
    latestStart.set(key, Math.max(latestStart.get(key) ?? 0, contract.effectiveAt.getTime()))
  }
  const pending = expiring.filter((contract) => (latestStart.get(contract.vendorId.toString()) ?? 0) <= contract.effectiveAt.getTime())
  const vendors = await listVendorsByIds(pending.map((contract) => contract.vendorId), 'nameAndOwner')
  const vendorById = new Map(vendors.map((vendor) => [vendor._id.toString(), vendor]))
  const owners = await ownersById(vendors.flatMap((vendor) => (vendor.businessOwnerId ? [vendor.businessOwnerId] : [])))
  const procurement = await procurementRecipients()

  const planned = pending.flatMap((contract) => {
    const vendor = vendorById.get(contract.vendorId.toString())
    if (!vendor) return []
    const base = `contract-expiry:${contract._id.toString()}:${dayKey(contract.expiresAt!, timeZone)}`
    return recipientsFor(vendor.businessOwnerId?.toString(), owners, procurement).map(({ recipient }) => ({
      contract,
      vendor,
      recipient,
      dedupeKey: `${base}:${recipient.id}`,
    }))
  })
  const done = await alreadySent(planned.map((mail) => mail.dedupeKey))
  let sent = 0
  for (const mail of planned) {
    if (done.has(mail.dedupeKey)) continue
    const result = await sendContractExpiryWarning({
      recipient: mail.recipient,
      contract: { id: mail.contract._id.toString(), reference: mail.contract.reference, title: mail.contract.title, expiresAt: mail.contract.expiresAt! },
      vendor: { id: mail.vendor._id.toString(), legalName: mail.vendor.legalName },
      daysLeft: calendarDaysUntil(mail.contract.expiresAt!, now, timeZone),
      dedupeKey: mail.dedupeKey,
    })
    if (result.status !== 'duplicate') sent++
  }
  return sent
}
