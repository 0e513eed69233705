// The incident part of the scheduler's sweep (app/modules/schedule/runner.server.ts): reminders
// and escalations of the PIPL Art. 57 tasks, and consequences a crash left unrecorded. Safe to
// run twice or on two instances at once: each mail's dedupe key lets it out once.
import { IncidentModel } from '~models/incident'
import { listActiveStaff } from '~/modules/auth/user-store.server'
import { completePendingConsequences } from './consequences.server'
import { sendTaskMail } from './mail.server'
import { taskMailDue, TASK_REMINDER_HOURS } from './tasks'
import { OPEN_INCIDENT_STATUSES, type IncidentTaskKind } from './vocabulary'

export interface IncidentSweepResult {
  incidentReminders: number
  incidentEscalations: number
  incidentConsequences: number
}

export async function sweepIncidents(now: Date): Promise<IncidentSweepResult> {
  const horizon = new Date(now.getTime() + TASK_REMINDER_HOURS * 3_600_000)
  // Open incidents with a task not done and due within the reminder window (or past due).
  const incidents = await IncidentModel.find(
    { status: { $in: OPEN_INCIDENT_STATUSES }, tasks: { $elemMatch: { doneAt: null, dueAt: { $lte: horizon } } } },
    { reference: 1, title: 1, vendorName: 1, tasks: 1 },
  ).lean()
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
        task: { kind: task.kind as IncidentTaskKind, dueAt: task.dueAt, ownerName: task.ownerName, ownerEmail: task.ownerEmail, ownerLocale: task.ownerLocale },
        cc,
      })
      const field = due === 'reminder' ? 'remindedAt' : 'escalatedAt'
      // The mark only spares later sweeps the outbox round trip; a duplicate was sent by someone else.
      const index = incident.tasks.indexOf(task)
      await IncidentModel.updateOne({ _id: incident._id, [`tasks.${index}.kind`]: task.kind, [`tasks.${index}.${field}`]: null }, { $set: { [`tasks.${index}.${field}`]: now } })
      if (result.status === 'duplicate') continue
      if (due === 'reminder') reminders++
      else escalations++
    }
  }
  const incidentConsequences = await completePendingConsequences(now)
  return { incidentReminders: reminders, incidentEscalations: escalations, incidentConsequences }
}
