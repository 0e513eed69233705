// The incident part of the scheduler's sweep (app/modules/schedule/runner.server.ts): reminders
// and escalations of the PIPL Art. 57 tasks, and consequences a crash left unrecorded. Safe to
// run twice or on two instances at once: each mail's dedupe key lets it out once.
import { listActiveStaff } from '~/modules/auth/user-store.server'
import { completePendingConsequences } from './consequences.server'
import { listIncidentsWithTasksDue, markTaskMailed } from './incident-store.server'
import { sendTaskMail } from './mail.server'
import { taskMailDue, TASK_REMINDER_HOURS } from './tasks'

export interface IncidentSweepResult {
  incidentReminders: number
  incidentEscalations: number
  incidentConsequences: number
}

export async function sweepIncidents(now: Date): Promise<IncidentSweepResult> {
  const horizon = new Date(now.getTime() + TASK_REMINDER_HOURS * 3_600_000)
  // Open incidents with a task not done and due within the reminder window (or past due).
  const incidents = await listIncidentsWithTasksDue(horizon)
  let reminders = 0
  let escalations = 0
  let cc: string[] | null = null
  for (const incident of incidents) {
    for (const task of incident.tasks) {
      const due = taskMailDue(task, now)
      if (!due || !task.ownerEmail) continue
      // The reminder of a task first seen already overdue is not sent late: the escalation says more.
      if (due === 'reminder' && task.remindedAt) continue
      if (due === 'escalation' && task.escalatedAt) continue
      cc ??= (await listActiveStaff({ roles: ['compliance', 'admin'] })).map((user) => user.email)
      const result = await sendTaskMail({
        mail: due,
        incident: { id: String(incident._id), reference: incident.reference, title: incident.title, vendorName: { 'zh-CN': incident.vendorName?.['zh-CN'] ?? '', en: incident.vendorName?.en ?? '' } },
        task: { kind: task.kind, dueAt: task.dueAt, ownerName: task.ownerName, ownerEmail: task.ownerEmail, ownerLocale: task.ownerLocale },
        cc,
      })
      const field = due === 'reminder' ? 'remindedAt' : 'escalatedAt'
      // The mark only spares later sweeps the outbox round trip; a duplicate was sent by someone else.
      const index = incident.tasks.indexOf(task)
      await markTaskMailed(incident._id, index, task.kind, field, now)
      if (result.status === 'duplicate') continue
      if (due === 'reminder') reminders++
      else escalations++
    }
  }
  const incidentConsequences = await completePendingConsequences(now)
  return { incidentReminders: reminders, incidentEscalations: escalations, incidentConsequences }
}
