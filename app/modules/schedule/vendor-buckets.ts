// Which vendors make each figure of the procurement dashboard, as database filters. Pure: the
// vendor store runs them (bucket lists), the dashboard counts its figures in memory with the same
// windows, and the issuing sweep's "could not issue" filter is one of them.
import { TZDate } from '@date-fns/tz'
import { endOfMonth, startOfMonth, subMonths } from 'date-fns'
import type { Bucket } from './buckets'
import { endOfDayAfter } from './cadence'
import { SCHEDULED_VENDOR_STATUSES } from './scheduled-vendors'

const COVERAGE_MONTHS = 12

export function dashboardWindows(now: Date, timeZone: string) {
  return {
    h30: endOfDayAfter(now, 30, timeZone),
    h60: endOfDayAfter(now, 60, timeZone),
    h90: endOfDayAfter(now, 90, timeZone),
    coverageSince: subMonths(now, COVERAGE_MONTHS),
  }
}

/** The filter of vendors whose reassessment could not be issued (the reason stays until it is issued). */
export const issueFailedFilter = () => ({ status: { $in: SCHEDULED_VENDOR_STATUSES }, 'reassessment.issueError.at': { $ne: null } })

/** The vendor filter behind each vendor-based figure (assessment-based ones are handled apart). */
export function vendorBucketFilter(bucket: Bucket, now: Date, timeZone: string): Record<string, unknown> | null {
  const { h30, h60, h90, coverageSince } = dashboardWindows(now, timeZone)
  const scheduled = { status: { $in: SCHEDULED_VENDOR_STATUSES } }
  switch (bucket.kind) {
    case 'overdue':
      return { ...scheduled, 'reassessment.nextDueAt': { $lt: now } }
    case 'due30':
      return { ...scheduled, 'reassessment.nextDueAt': { $gte: now, $lte: h30 } }
    case 'due60':
      return { ...scheduled, 'reassessment.nextDueAt': { $gte: now, $lte: h60 } }
    case 'due90':
      return { ...scheduled, 'reassessment.nextDueAt': { $gte: now, $lte: h90 } }
    case 'notIssued':
      return issueFailedFilter()
    case 'uncovered':
      return { status: 'active', $or: [{ 'assessmentSummary.lastAssessedAt': null }, { 'assessmentSummary.lastAssessedAt': { $lt: coverageSince } }] }
    case 'month': {
      const first = new TZDate(Number(bucket.month.slice(0, 4)), Number(bucket.month.slice(5, 7)) - 1, 1, timeZone)
      return { ...scheduled, 'reassessment.nextDueAt': { $gte: new Date(startOfMonth(first).getTime()), $lte: new Date(endOfMonth(first).getTime()) } }
    }
    case 'risk':
      return {
        ...scheduled,
        effectiveTier: bucket.tier,
        'assessmentSummary.residualRisk': bucket.risk === 'unassessed' ? null : bucket.risk,
      }
    default:
      return null
  }
}
