// Reading incidents: the register, one vendor's incidents, one incident, what a vendor's link may
// see, and the dashboard's figures. Plain objects with ISO dates leave this file.
import { Types } from 'mongoose'
import { listActiveStaff } from '~/modules/auth/user-store.server'
import { findVendorFields } from '~/modules/vendors/vendor-store.server'
import { localized, type Locale } from '~/i18n/locales'
import type { IncidentLinkAccess } from './links.server'
import { isTaskOverdue } from './tasks'
import type { IncidentCause, IncidentSeverity, IncidentSource, IncidentStatus, IncidentTaskKind, IncidentTimelineChanges } from './vocabulary'
import type { SeverityReason } from './severity'
import { isoOrNull } from '~/modules/dates/dates'
import { findIncident, listIncidentRows, listIncidentRowsAfter, listReportsOfLink, type IncidentRecord, type IncidentRow as IncidentRowRecord } from './incident-store.server'

const asObjectId = (id: string) => (/^[0-9a-f]{24}$/i.test(id) ? new Types.ObjectId(id) : null)

export interface IncidentTaskView {
  kind: IncidentTaskKind
  ownerId: string | null
  ownerName: string
  dueAt: string
  doneAt: string | null
  doneBy: string | null
  note: string
  overdue: boolean
  remindedAt: string | null
  escalatedAt: string | null
}

export interface IncidentView {
  id: string
  reference: string
  vendorId: string
  vendorName: { 'zh-CN': string; en: string }
  source: IncidentSource
  reportedBy: string
  reporterName: string
  title: string
  description: string
  occurredAt: string
  detectedAt: string
  notifiedAt: string
  piCategories: string[]
  recordCount: number
  customerCount: number
  crossBorder: boolean
  cause: IncidentCause
  containment: string
  status: IncidentStatus
  closedAt: string | null
  severity: { computed: IncidentSeverity; effective: IncidentSeverity; reasons: SeverityReason[]; override: { severity: IncidentSeverity; justification: string; byName: string; at: string | null } | null }
  notification: { contractReference: string | null; clauseId: string | null; hours: number; deadline: string; state: 'met' | 'missed'; lateMinutes: number; findingId: string | null }
  tasks: IncidentTaskView[]
  attachments: { fileId: string; filename: string; size: number; contentType: string; uploadedAt: string; uploadedBy: string }[]
  timeline: { at: string; event: string; by: string; changes: IncidentTimelineChanges | null; note: string }[]
  triggered: boolean
  version: number
  createdAt: string
}

export function toIncidentView(incident: IncidentRecord, now = new Date()): IncidentView {
  const override = incident.severity?.override
  return {
    id: String(incident._id),
    reference: incident.reference,
    vendorId: String(incident.vendorId),
    vendorName: { 'zh-CN': incident.vendorName?.['zh-CN'] ?? '', en: incident.vendorName?.en ?? '' },
    source: incident.source,
    reportedBy: incident.reportedBy?.name ?? '',
    reporterName: incident.reporterName ?? '',
    title: incident.title,
    description: incident.description,
    occurredAt: isoOrNull(incident.occurredAt)!,
    detectedAt: isoOrNull(incident.detectedAt)!,
    notifiedAt: isoOrNull(incident.notifiedAt)!,
    piCategories: incident.piCategories ?? [],
    recordCount: incident.recordCount ?? 0,
    customerCount: incident.customerCount ?? 0,
    crossBorder: Boolean(incident.crossBorder),
    cause: incident.cause,
    containment: incident.containment ?? '',
    status: incident.status,
    closedAt: isoOrNull(incident.closedAt),
    severity: {
      computed: incident.severity.computed,
      effective: incident.effectiveSeverity,
      reasons: incident.severity.reasons ?? [],
      override: override?.severity ? { severity: override.severity, justification: override.justification ?? '', byName: override.byName ?? '', at: isoOrNull(override.at) } : null,
    },
    notification: {
      contractReference: incident.notification.contractReference ?? null,
      clauseId: incident.notification.clauseId ?? null,
      hours: incident.notification.hours,
      deadline: isoOrNull(incident.notification.deadline)!,
      state: incident.notification.state,
      lateMinutes: incident.notification.lateMinutes ?? 0,
      findingId: incident.notification.findingId ? String(incident.notification.findingId) : null,
    },
    tasks: (incident.tasks ?? []).map((task) => ({
      kind: task.kind,
      ownerId: task.ownerId ?? null,
      ownerName: task.ownerName ?? '',
      dueAt: isoOrNull(task.dueAt)!,
      doneAt: isoOrNull(task.doneAt),
      doneBy: task.doneBy ?? null,
      note: task.note ?? '',
      overdue: isTaskOverdue(task, now),
      remindedAt: isoOrNull(task.remindedAt),
      escalatedAt: isoOrNull(task.escalatedAt),
    })),
    attachments: (incident.attachments ?? []).map((file) => ({
      fileId: file.fileId,
      filename: file.filename,
      size: file.size,
      contentType: file.contentType,
      uploadedAt: isoOrNull(file.uploadedAt)!,
      uploadedBy: file.uploadedBy ?? '',
    })),
    timeline: (incident.timeline ?? []).map((entry) => ({ at: isoOrNull(entry.at)!, event: entry.event, by: entry.actor?.name ?? '', changes: entry.changes ?? null, note: entry.note ?? '' })),
    triggered: (incident.triggerKeys ?? []).length > 0,
    version: incident.version ?? 0,
    createdAt: isoOrNull(incident.createdAt)!,
  }
}

export async function getIncident(id: string, now = new Date()): Promise<IncidentView | null> {
  const objectId = asObjectId(id)
  if (!objectId) return null
  const incident = await findIncident(objectId)
  return incident ? toIncidentView(incident, now) : null
}

export interface IncidentRow {
  id: string
  reference: string
  vendorId: string
  vendorName: string
  title: string
  status: IncidentStatus
  severity: IncidentSeverity
  notification: 'met' | 'missed'
  detectedAt: string
  overdueTasks: number
  createdAt: string
}

function rowOf(incident: IncidentRowRecord, locale: Locale, now: Date): IncidentRow {
  return {
    id: String(incident._id),
    reference: incident.reference,
    vendorId: String(incident.vendorId),
    vendorName: localized(incident.vendorName, locale) || '—',
    title: incident.title,
    status: incident.status,
    severity: incident.effectiveSeverity,
    notification: incident.notification.state,
    detectedAt: isoOrNull(incident.detectedAt)!,
    overdueTasks: (incident.tasks ?? []).filter((task) => incident.status !== 'closed' && isTaskOverdue(task, now)).length,
    createdAt: isoOrNull(incident.createdAt)!,
  }
}

/** The register: open first, newest first; at most 200. */
export async function listIncidents(query: { vendorId?: string; open?: boolean }, locale: Locale, now = new Date()): Promise<IncidentRow[]> {
  const vendorId = query.vendorId ? asObjectId(query.vendorId) : undefined
  if (vendorId === null) return []
  const incidents = await listIncidentRows({ vendorId, open: query.open }, 200)
  const rows = incidents.map((incident) => rowOf(incident, locale, now))
  return rows.sort((a, b) => Number(a.status === 'closed') - Number(b.status === 'closed'))
}

/** Incidents in creation order after an incident id: the REST API's keyset pages. */
export async function listIncidentsAfter(query: { vendorId?: string; open?: boolean }, afterId: string | null, limit: number, locale: Locale, now = new Date()): Promise<IncidentRow[]> {
  const vendorId = query.vendorId ? (asObjectId(query.vendorId) ?? new Types.ObjectId('000000000000000000000000')) : undefined
  const incidents = await listIncidentRowsAfter({ vendorId, open: query.open }, afterId ? asObjectId(afterId) : null, limit)
  return incidents.map((incident) => rowOf(incident, locale, now))
}

/** What a vendor sees through its link: only the reports filed through that link, and only their status. */
export async function listLinkReports(access: IncidentLinkAccess) {
  const incidents = await listReportsOfLink(access.vendorId, access.linkId)
  return incidents.map((incident) => ({ reference: incident.reference, title: incident.title, status: incident.status, reportedAt: incident.createdAt.toISOString() }))
}

/** Staff who can own a task: active users allowed to manage or report incidents. */
export async function taskOwnerOptions() {
  const users = await listActiveStaff({ roles: ['admin', 'compliance', 'procurement'], sortByName: true })
  return users.map((user) => ({ id: String(user._id), name: user.name, email: user.email }))
}

export interface IncidentDashboard {
  open: number
  openList: IncidentRow[]
  overdueTasks: { incidentId: string; reference: string; vendorName: string; kind: IncidentTaskKind; ownerName: string; dueAt: string }[]
}

/** The dashboard's incident card: open incidents and their overdue tasks. */
export async function incidentDashboard(locale: Locale, now = new Date()): Promise<IncidentDashboard> {
  const open = await listIncidentRows({ open: true }, 200)
  const overdueTasks = open.flatMap((incident) =>
    (incident.tasks ?? [])
      .filter((task) => isTaskOverdue(task, now))
      .map((task) => ({ incidentId: String(incident._id), reference: incident.reference, vendorName: localized(incident.vendorName, locale) || '—', kind: task.kind, ownerName: task.ownerName ?? '', dueAt: task.dueAt.toISOString() })),
  )
  overdueTasks.sort((a, b) => a.dueAt.localeCompare(b.dueAt))
  return { open: open.length, openList: open.slice(0, 5).map((incident) => rowOf(incident, locale, now)), overdueTasks: overdueTasks.slice(0, 8) }
}

/** The vendor's own name, for the page its link opens. */
export async function linkVendorName(access: IncidentLinkAccess): Promise<{ 'zh-CN': string; en: string }> {
  const vendor = await findVendorFields(access.vendorId, 'name')
  return { 'zh-CN': vendor?.legalName?.['zh-CN'] ?? '', en: vendor?.legalName?.en ?? '' }
}
