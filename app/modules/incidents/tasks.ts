// The institution's duties after a personal-information incident (PIPL Art. 57) as tasks with due
// dates, and when their reminders and escalations are due. Pure.
import type { IncidentSeverity, IncidentTaskKind } from './vocabulary'
import { INCIDENT_TASK_KINDS } from './vocabulary'

/** Hours from the moment the institution was told, per task; critical incidents go faster. */
export const TASK_DUE_HOURS: Record<IncidentTaskKind, { critical: number; other: number }> = {
  notify_regulator: { critical: 24, other: 72 },
  notify_individuals: { critical: 72, other: 120 },
  remediation: { critical: 7 * 24, other: 14 * 24 },
  // The breach clause asks the vendor for a root-cause report within 10 working days.
  root_cause_report: { critical: 14 * 24, other: 14 * 24 },
}

/** A reminder goes to the owner this long before the task is due. */
export const TASK_REMINDER_HOURS = 24

export interface PlannedTask {
  kind: IncidentTaskKind
  dueAt: Date
}

export function planTasks(notifiedAt: Date, severity: IncidentSeverity): PlannedTask[] {
  return INCIDENT_TASK_KINDS.map((kind) => ({
    kind,
    dueAt: new Date(notifiedAt.getTime() + TASK_DUE_HOURS[kind][severity === 'critical' ? 'critical' : 'other'] * 3_600_000),
  }))
}

export type TaskMailKind = 'reminder' | 'escalation'

/** What the sweep owes an open task now: its reminder (from a day before due), then its escalation (once overdue). */
export function taskMailDue(task: { dueAt: Date; doneAt?: Date | null }, now: Date): TaskMailKind | null {
  if (task.doneAt) return null
  if (now.getTime() > task.dueAt.getTime()) return 'escalation'
  if (now.getTime() >= task.dueAt.getTime() - TASK_REMINDER_HOURS * 3_600_000) return 'reminder'
  return null
}

export function isTaskOverdue(task: { dueAt: Date | string; doneAt?: Date | string | null }, now: Date): boolean {
  return !task.doneAt && new Date(task.dueAt).getTime() < now.getTime()
}

/**
 * How an incident brings the vendor's reassessment forward: critical starts one now; the others
 * ask for one within a number of days (a no-op when the vendor's next one is sooner anyway).
 */
export function reassessmentPolicy(severity: IncidentSeverity): { startNow: true } | { startNow: false; withinDays: number } {
  switch (severity) {
    case 'critical':
      return { startNow: true }
    case 'high':
      return { startNow: false, withinDays: 30 }
    case 'medium':
      return { startNow: false, withinDays: 90 }
    default:
      return { startNow: false, withinDays: 180 }
  }
}
