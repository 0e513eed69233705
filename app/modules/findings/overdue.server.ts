// "A finding is overdue" as a domain event: the schedule sweep announces each unresolved finding
// past its due date once per due date (a finding given a new date and missing it again is
// announced again). The announcement and its event are one update of the finding.
import { FindingModel } from '~models/finding'
import { domainEvent } from '~/modules/events/catalogue.server'
import { publishEvents, withEvents } from '~/modules/events/outbox.server'
import { UNRESOLVED_FINDING_STATUSES } from './vocabulary'

export async function announceOverdueFindings(now: Date): Promise<number> {
  const candidates = await FindingModel.find(
    { status: { $in: UNRESOLVED_FINDING_STATUSES }, dueAt: { $lt: now } },
    { vendorId: 1, assessmentId: 1, severity: 1, dueAt: 1, overdueAnnouncedFor: 1 },
  ).lean()
  let announced = 0
  for (const finding of candidates) {
    if (finding.overdueAnnouncedFor?.getTime() === finding.dueAt.getTime()) continue
    const overdue = domainEvent(
      'finding.overdue',
      { findingId: String(finding._id), vendorId: String(finding.vendorId), assessmentId: finding.assessmentId ? String(finding.assessmentId) : null, severity: finding.severity, dueAt: finding.dueAt.toISOString() },
      now,
    )
    // Guarded by the due date and the previous announcement: two sweeps at once announce it once.
    const written = await FindingModel.updateOne(
      { _id: finding._id, dueAt: finding.dueAt, overdueAnnouncedFor: finding.overdueAnnouncedFor ?? null, status: { $in: UNRESOLVED_FINDING_STATUSES } },
      withEvents({ $set: { overdueAnnouncedFor: finding.dueAt } }, overdue),
    )
    if (written.modifiedCount !== 1) continue
    announced++
    await publishEvents('findings', finding._id)
  }
  return announced
}
