// "A finding is overdue" as a domain event: the schedule sweep announces each unresolved finding
// past its due date once per due date (a finding given a new date and missing it again is
// announced again). The announcement and its event are one update of the finding.
import { domainEvent } from '~/modules/events/catalogue.server'
import { publishEvents } from '~/modules/events/outbox.server'
import { listOverdueFindings, markOverdueAnnounced } from './finding-store.server'

export async function announceOverdueFindings(now: Date): Promise<number> {
  const candidates = await listOverdueFindings(now)
  let announced = 0
  for (const finding of candidates) {
    if (finding.overdueAnnouncedFor?.getTime() === finding.dueAt.getTime()) continue
    const overdue = domainEvent(
      'finding.overdue',
      { findingId: String(finding._id), vendorId: String(finding.vendorId), assessmentId: finding.assessmentId ? String(finding.assessmentId) : null, severity: finding.severity, dueAt: finding.dueAt.toISOString() },
      now,
    )
    // Guarded by the due date and the previous announcement: two sweeps at once announce it once.
    if (!(await markOverdueAnnounced(finding, overdue))) continue
    announced++
    await publishEvents('findings', finding._id)
  }
  return announced
}
