// Every change to an incident: report (staff or vendor link), status transitions, severity
// override, task updates. Each checks what it needs, applies one atomic update guarded by the
// incident's version, appends to the incident's timeline and records the audit entry.
import { randomBytes } from 'node:crypto'
import { domainEvent } from '~/modules/events/catalogue.server'
import { eventsOnCreate, publishEvents } from '~/modules/events/outbox.server'
import { Types } from 'mongoose'
import { findFirstStaffOfRole, findStaffContact } from '~/modules/auth/user-store.server'
import { findVendorFields } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import { recordAudit, type AuditActor } from '~/modules/audit/audit.server'
import { can } from '~/modules/auth/roles'
import type { SessionUser } from '~/modules/auth/session.server'
import { getCurrentContract } from '~/modules/contracts/contracts.server'
import { fieldErrorsOf, type FieldErrors } from '~/modules/forms/validation'
import { checkAttachment, deleteAttachment, storeAttachment, type StoredAttachment } from './attachments.server'
import { applyConsequences } from './consequences.server'
import { checkNotification, notificationRule, parseLocalDateTime } from './deadline'
import type { IncidentLinkAccess } from './links.server'
import { countReportOnLink } from './incident-link-store.server'
import { applyIncidentChange, findIncidentPart, insertIncident, type IncidentChange, type IncidentTimelineEntry, type NewIncident } from './incident-store.server'
import { incidentReportSchema, severityOverrideSchema, staffIncidentSchema, taskUpdateSchema, transitionSchema, type IncidentReportInput } from './schemas'
import { computeSeverity, effectiveSeverityOf } from './severity'
import { canTransition } from './status'
import { planTasks } from './tasks'
import { INCIDENT_MAX_ATTACHMENTS, type IncidentTimelineChanges } from './vocabulary'

export type IncidentWriteResult = { ok: true; incidentId: string; reference: string; version: number } | { ok: false; status: 400 | 403 | 404 | 409 | 413; fieldErrors: FieldErrors; formError?: string }

export type Reporter = { kind: 'staff'; user: SessionUser } | { kind: 'vendor'; access: IncidentLinkAccess }

const asObjectId = (id: string) => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null)
const isDuplicateKey = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
const fail = (status: 400 | 403 | 404 | 409 | 413, fieldErrors: FieldErrors = {}, formError?: string) => ({ ok: false as const, status, fieldErrors, formError })
/** A few minutes of clock difference between a vendor's computer and ours is not "the future". */
const FUTURE_TOLERANCE_MS = 5 * 60_000

function timelineActor(reporter: Reporter) {
  return reporter.kind === 'staff'
    ? { kind: 'user' as const, id: reporter.user.id, name: reporter.user.name }
    : { kind: 'vendor-contact' as const, id: reporter.access.contactId, name: reporter.access.contactName || reporter.access.contactEmail }
}
function auditActorOf(reporter: Reporter): AuditActor {
  return reporter.kind === 'staff'
    ? { kind: 'user', id: reporter.user.id, label: reporter.user.name }
    : { kind: 'vendor-contact', id: reporter.access.contactId, label: reporter.access.contactEmail }
}

/** Who owns the institution's tasks by default: the vendor's business owner, else the first compliance officer, else an admin. */
async function defaultOwner(businessOwnerId: Types.ObjectId | null | undefined) {
  const owner = businessOwnerId ? await findStaffContact(businessOwnerId, { activeOnly: true }) : null
  const fallback = owner ?? (await findFirstStaffOfRole('compliance')) ?? (await findFirstStaffOfRole('admin'))
  return fallback ? { ownerId: String(fallback._id), ownerName: fallback.name, ownerEmail: fallback.email, ownerLocale: fallback.locale } : {}
}

function newReference(now: Date) {
  return `INC-${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(3).toString('hex').toUpperCase()}`
}

/** Reads the three times in the institution's zone and refuses ones in the future. */
function instantsOf(input: IncidentReportInput, now: Date): { ok: true; occurredAt: Date; detectedAt: Date; notifiedAt: Date } | { ok: false; fieldErrors: FieldErrors } {
  const zone = getEnv().INSTITUTION_TIMEZONE
  const errors: FieldErrors = {}
  const read = (field: 'occurredAt' | 'detectedAt' | 'notifiedAt') => {
    const instant = parseLocalDateTime(input[field], zone)
    if (!instant) errors[field] = ['incidents:errors.dateTime']
    else if (instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) errors[field] = ['incidents:errors.future']
    return instant
  }
  const occurredAt = read('occurredAt')
  const detectedAt = read('detectedAt')
  const notifiedAt = read('notifiedAt')
  if (Object.keys(errors).length || !occurredAt || !detectedAt || !notifiedAt) return { ok: false, fieldErrors: errors }
  return { ok: true, occurredAt, detectedAt, notifiedAt }
}

/**
 * Records a new incident. Staff name the vendor; a vendor's link decides it (the form cannot).
 * Attachments are checked before anything is written and stored before the incident, so a failed
 * insert leaves no orphaned file behind (they are removed again).
 */
export async function reportIncident(input: { raw: unknown; files?: File[]; reporter: Reporter; now?: Date }): Promise<IncidentWriteResult> {
  const now = input.now ?? new Date()
  const { reporter } = input
  if (reporter.kind === 'staff' && !can(reporter.user.role, 'incident:report')) return fail(403)
  const parsed = reporter.kind === 'staff' ? staffIncidentSchema.safeParse(input.raw) : incidentReportSchema.safeParse(input.raw)
  if (!parsed.success) return fail(400, fieldErrorsOf(parsed.error))
  const value = parsed.data as IncidentReportInput & { vendorId?: string }
  const times = instantsOf(value, now)
  if (!times.ok) return fail(400, times.fieldErrors)

  const vendorId = reporter.kind === 'staff' ? asObjectId(value.vendorId ?? '') : reporter.access.vendorId
  const vendor = vendorId ? await findVendorFields(vendorId, 'nameAndOwner') : null
  if (!vendor) return fail(reporter.kind === 'staff' ? 400 : 404, reporter.kind === 'staff' ? { vendorId: ['errors:required'] } : {})

  const files = input.files ?? []
  if (files.length > INCIDENT_MAX_ATTACHMENTS) return fail(400, { attachments: [`incidents:errors.tooManyFiles|${JSON.stringify({ max: INCIDENT_MAX_ATTACHMENTS })}`] })
  const checked = []
  for (const file of files) {
    const result = await checkAttachment(file)
    if (!result.ok) return fail(result.reason === 'tooLarge' ? 413 : 400, { attachments: [`incidents:errors.file.${result.reason}|${JSON.stringify({ name: file.name })}`] })
    checked.push(result)
  }

  // The link must still be good at the moment of writing; this also counts the report on it.
  if (reporter.kind === 'vendor') {
    if (!(await countReportOnLink(reporter.access, now))) return fail(403, {}, 'incidents:errors.linkGone')
  }

  const contract = await getCurrentContract(String(vendor._id), times.detectedAt)
  const rule = notificationRule(contract?.clauseIds)
  const clock = checkNotification({ detectedAt: times.detectedAt, notifiedAt: times.notifiedAt, hours: rule.hours })
  const severity = computeSeverity({ piCategories: value.piCategories, recordCount: value.recordCount, customerCount: value.customerCount, crossBorder: value.crossBorder })
  const owner = await defaultOwner(vendor.businessOwnerId)
  const tasks = planTasks(times.notifiedAt, severity.severity).map((task) => ({ ...task, ...owner }))

  const _id = new Types.ObjectId()
  const uploadedBy = timelineActor(reporter).name
  const stored: StoredAttachment[] = []
  try {
    for (const file of checked) stored.push(await storeAttachment(file, String(_id), uploadedBy))
    const actor = timelineActor(reporter)
    const document: Omit<NewIncident, 'reference'> = {
      _id,
      vendorId: vendor._id,
      vendorName: { 'zh-CN': vendor.legalName?.['zh-CN'] ?? '', en: vendor.legalName?.en ?? '' },
      source: reporter.kind === 'staff' ? 'staff' : 'vendor_link',
      reportedBy: actor,
      reporterName: value.reporterName,
      linkId: reporter.kind === 'vendor' ? reporter.access.linkId : undefined,
      title: value.title,
      description: value.description,
      ...{ occurredAt: times.occurredAt, detectedAt: times.detectedAt, notifiedAt: times.notifiedAt },
      piCategories: value.piCategories,
      recordCount: value.recordCount,
      customerCount: value.customerCount,
      crossBorder: value.crossBorder,
      cause: value.cause,
      containment: value.containment,
      status: 'reported',
      severity: { computed: severity.severity, reasons: severity.reasons },
      effectiveSeverity: severity.severity,
      notification: {
        contractId: contract ? new Types.ObjectId(contract.id) : undefined,
        contractReference: contract?.reference,
        clauseId: rule.clauseId ?? undefined,
        hours: rule.hours,
        deadline: clock.deadline,
        state: clock.state,
        lateMinutes: clock.lateMinutes,
      },
      tasks,
      attachments: stored,
      timeline: [{ at: now, event: 'reported', actor, changes: { severity: severity.severity, notification: clock.state } }],
    }
    let reference = newReference(now)
    for (let attempt = 0; ; attempt++) {
      try {
        const reported = domainEvent('incident.reported', { incidentId: String(_id), vendorId: String(vendor._id), reference, severity: severity.severity }, now)
        await insertIncident({ ...document, reference, ...eventsOnCreate(reported) })
        break
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 4) throw error
        reference = newReference(now)
      }
    }
    await recordAudit({
      actor: auditActorOf(reporter),
      action: 'incident.report',
      subject: { kind: 'incident', id: String(_id) },
      details: { vendorId: String(vendor._id), reference, severity: severity.severity, notification: clock.state, deadline: clock.deadline, attachments: stored.length },
    })
    await publishEvents('incidents', _id)
    await applyConsequences(String(_id), now)
    return { ok: true, incidentId: String(_id), reference, version: 0 }
  } catch (error) {
    for (const file of stored) await deleteAttachment(file.fileId)
    throw error
  }
}

const conflict = () => fail(409, {}, 'incidents:errors.conflict')

/** reported → triaged → contained → closed; closing needs every task done. */
export async function transitionIncident(incidentId: string, raw: unknown, user: SessionUser, now = new Date()): Promise<IncidentWriteResult> {
  if (!can(user.role, 'incident:manage')) return fail(403)
  const id = asObjectId(incidentId)
  const incident = id ? await findIncidentPart(id, 'workflow') : null
  if (!id || !incident) return fail(404)
  const parsed = transitionSchema.safeParse(raw)
  if (!parsed.success) return fail(400, fieldErrorsOf(parsed.error))
  const { to, note, version } = parsed.data
  const from = incident.status
  if (version !== incident.version) return conflict()
  if (!canTransition(from, to)) return fail(400, { to: ['incidents:errors.transition'] })
  if (to === 'closed' && incident.tasks.some((task) => !task.doneAt)) return fail(400, { to: ['incidents:errors.openTasks'] })
  const set: Record<string, unknown> = { status: to }
  if (to === 'closed') set.closedAt = now
  const ok = await applyIncidentChange(id, version, { status: from }, { set, timeline: { at: now, event: 'status', actor: { kind: 'user', id: user.id, name: user.name }, changes: { status: [from, to] }, note } })
  if (!ok) return conflict()
  await recordAudit({ actor: { kind: 'user', id: user.id, label: user.name }, action: 'incident.status', subject: { kind: 'incident', id: incidentId }, details: { from, to, note } })
  return { ok: true, incidentId, reference: incident.reference, version: version + 1 }
}

/** Overrides the computed severity with a justification, or returns to the computed one. */
export async function overrideIncidentSeverity(incidentId: string, raw: unknown, user: SessionUser, now = new Date()): Promise<IncidentWriteResult> {
  if (!can(user.role, 'incident:manage')) return fail(403)
  const id = asObjectId(incidentId)
  const incident = id ? await findIncidentPart(id, 'severity') : null
  if (!id || !incident) return fail(404)
  const parsed = severityOverrideSchema.safeParse(raw)
  if (!parsed.success) return fail(400, fieldErrorsOf(parsed.error))
  const { severity, justification, version } = parsed.data
  if (version !== incident.version) return conflict()
  const from = incident.effectiveSeverity
  const to = severity === 'computed' ? incident.severity.computed : severity
  const timeline: IncidentTimelineEntry = { at: now, event: 'severity', actor: { kind: 'user', id: user.id, name: user.name }, changes: { severity: [from, to] }, note: justification }
  const change: IncidentChange =
    severity === 'computed'
      ? { unset: { 'severity.override': 1 }, set: { effectiveSeverity: to }, timeline }
      : { set: { 'severity.override': { severity, justification, byUserId: user.id, byName: user.name, at: now }, effectiveSeverity: effectiveSeverityOf({ computed: incident.severity.computed, override: { severity } }) }, timeline }
  if (!(await applyIncidentChange(id, version, {}, change))) return conflict()
  await recordAudit({ actor: { kind: 'user', id: user.id, label: user.name }, action: 'incident.severity', subject: { kind: 'incident', id: incidentId }, details: { from, to, justification } })
  // A raise to critical starts the reassessment now (once), as a critical report would have.
  if (to === 'critical' && from !== 'critical') await applyConsequences(incidentId, now)
  return { ok: true, incidentId, reference: incident.reference, version: version + 1 }
}

/** Owner, due date and completion of one PIPL Art. 57 task. */
export async function updateIncidentTask(incidentId: string, raw: unknown, user: SessionUser, now = new Date()): Promise<IncidentWriteResult> {
  if (!can(user.role, 'incident:manage')) return fail(403)
  const id = asObjectId(incidentId)
  const incident = id ? await findIncidentPart(id, 'workflow') : null
  if (!id || !incident) return fail(404)
  const parsed = taskUpdateSchema.safeParse(raw)
  if (!parsed.success) return fail(400, fieldErrorsOf(parsed.error))
  const { kind, ownerId, done, note, version } = parsed.data
  if (version !== incident.version) return conflict()
  const index = incident.tasks.findIndex((task) => task.kind === kind)
  if (index < 0) return fail(404)
  const dueAt = parseLocalDateTime(parsed.data.dueAt, getEnv().INSTITUTION_TIMEZONE)
  if (!dueAt) return fail(400, { dueAt: ['incidents:errors.dateTime'] })
  const owner = await findStaffContact(new Types.ObjectId(ownerId), { activeOnly: true })
  if (!owner) return fail(400, { ownerId: ['incidents:errors.owner'] })
  const before = incident.tasks[index]!
  const prefix = `tasks.${index}`
  const set: Record<string, unknown> = {
    [`${prefix}.ownerId`]: String(owner._id),
    [`${prefix}.ownerName`]: owner.name,
    [`${prefix}.ownerEmail`]: owner.email,
    [`${prefix}.ownerLocale`]: owner.locale,
    [`${prefix}.dueAt`]: dueAt,
  }
  const unset: Record<string, 1> = {}
  if (note !== undefined) set[`${prefix}.note`] = note
  if (done && !before.doneAt) Object.assign(set, { [`${prefix}.doneAt`]: now, [`${prefix}.doneBy`]: user.name })
  if (!done && before.doneAt) Object.assign(unset, { [`${prefix}.doneAt`]: 1, [`${prefix}.doneBy`]: 1 })
  const changes: Pick<IncidentTimelineChanges, 'owner' | 'dueAt' | 'done'> = {}
  if (before.ownerId !== String(owner._id)) changes.owner = [before.ownerName ?? null, owner.name]
  if (before.dueAt.getTime() !== dueAt.getTime()) {
    changes.dueAt = [before.dueAt, dueAt]
    // A new due date has its own reminder and escalation (their dedupe keys carry the due day).
    Object.assign(unset, { [`${prefix}.remindedAt`]: 1, [`${prefix}.escalatedAt`]: 1 })
  }
  if (Boolean(before.doneAt) !== done) changes.done = [Boolean(before.doneAt), done]
  const ok = await applyIncidentChange(id, version, { [`${prefix}.kind`]: kind }, { set, unset, timeline: { at: now, event: 'task', actor: { kind: 'user', id: user.id, name: user.name }, changes: { task: kind, ...changes }, note } })
  if (!ok) return conflict()
  await recordAudit({ actor: { kind: 'user', id: user.id, label: user.name }, action: 'incident.task', subject: { kind: 'incident', id: incidentId }, details: { kind, ...changes, note } })
  return { ok: true, incidentId, reference: incident.reference, version: version + 1 }
}
