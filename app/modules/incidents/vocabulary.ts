// The incident register's fixed vocabularies. Pure: shared by the model, forms, rules and reports.
export const INCIDENT_STATUSES = ['reported', 'triaged', 'contained', 'closed'] as const
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number]

/** Statuses that still need the institution's attention (shown on the dashboard). */
export const OPEN_INCIDENT_STATUSES: readonly IncidentStatus[] = ['reported', 'triaged', 'contained']

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number]

export const INCIDENT_CAUSES = ['external_attack', 'internal_misuse', 'human_error', 'system_failure', 'sub_processor', 'lost_device', 'other', 'unknown'] as const
export type IncidentCause = (typeof INCIDENT_CAUSES)[number]

/** Who reported it: staff in the portal, or the vendor through its standing incident link. */
export const INCIDENT_SOURCES = ['staff', 'vendor_link'] as const
export type IncidentSource = (typeof INCIDENT_SOURCES)[number]

/** The institution's duties under PIPL Art. 57, one task each. */
export const INCIDENT_TASK_KINDS = ['notify_regulator', 'notify_individuals', 'remediation', 'root_cause_report'] as const
export type IncidentTaskKind = (typeof INCIDENT_TASK_KINDS)[number]

/** Justifications for a severity override must say something. */
export const SEVERITY_JUSTIFICATION_MIN = 20
/** At most this many files per incident. */
export const INCIDENT_MAX_ATTACHMENTS = 10

/** Entries of an incident's timeline. */
export type IncidentTimelineEvent = 'reported' | 'status' | 'severity' | 'task' | 'finding' | 'trigger'

/** What a timeline entry records, by event: [before, after] of what changed, or the facts of the step. */
export type IncidentTimelineChanges = {
  /** reported: the computed severity; severity: [before, after]. */
  severity?: IncidentSeverity | [IncidentSeverity, IncidentSeverity]
  /** reported: whether the vendor told us in time. */
  notification?: 'met' | 'missed'
  status?: [IncidentStatus, IncidentStatus]
  /** task: which task, and what changed on it. */
  task?: IncidentTaskKind
  owner?: [string | null, string]
  dueAt?: [Date, Date]
  done?: [boolean, boolean]
  /** finding: the finding a missed deadline opened, against this clause. */
  findingId?: string
  clauseId?: string
  /** trigger: the reassessment asked of the schedule (now, or due by a day); the schedule reacts to the event. */
  startNow?: boolean
  requestedDueAt?: Date | null
  /** trigger, recorded before decision 050: what the trigger did on the vendor. */
  broughtForward?: boolean
  nextDueAt?: Date | null
  issued?: string | null
}
