// The procurement dashboard's figures and the vendor lists behind each of them. Every figure has
// a bucket; /schedule/<bucket> lists the vendors that make it, with the same filter.
import { countByStatus, listDueFirst, listOfVendors } from '~/modules/assessments/assessment-store.server'
import { countExpiringContracts, listExpiringContracts } from '~/modules/contracts/contract-store.server'
import { countBucketVendors, listBucketVendors, listDashboardVendors, listVendorsByIds, type BucketVendors, type DashboardVendor, type VendorRecord } from '~/modules/vendors/vendor-store.server'
import { AWAITING_VENDOR } from '~/modules/assessments/status'
import { AWAITING_REVIEW } from '~/modules/assessments/lifecycle'
import { RESIDUAL_RISKS, TIERS } from '~/modules/vendors/vocabulary'
import { dayKey, endOfDayAfter, monthKey } from './cadence'
import { issueFailureReason, type IssueFailureReason } from './issue-failure.server'
import { getSettings, institutionTimeZone } from './settings.server'
import type { Bucket } from './buckets'
import { timelineWindow } from './timeline'
import { dashboardWindows } from './vendor-buckets'
import { isoOrNull } from '~/modules/dates/dates'

const LIST_LIMIT = 200

type LegalName = { 'zh-CN': string; en: string }
const legalNameOf = (vendor: Pick<VendorRecord, 'legalName'>): LegalName => ({
  'zh-CN': vendor.legalName?.['zh-CN'] ?? '',
  en: vendor.legalName?.en ?? '',
})

export interface DashboardData {
  timeZone: string
  today: string
  counts: { overdue: number; due30: number; due60: number; due90: number; inProgress: number; awaitingReview: number }
  coverage: { active: number; covered: number; percent: number; uncovered: VendorRef[]; uncoveredTotal: number }
  timeline: { month: string; count: number; vendors: (VendorRef & { day: string })[] }[]
  risk: { tier: number; counts: Record<(typeof RESIDUAL_RISKS)[number] | 'unassessed', number> }[]
  contracts: { total: number; list: { id: string; vendorId: string; vendor: LegalName; reference: string; expiresAt: string }[]; withinDays: number }
}

interface VendorRef {
  id: string
  legalName: LegalName
  lastAssessedAt: string | null
  tier: number
}

/**
 * The dashboard's figures. The vendor-based ones (due windows, coverage, timeline, risk) come from
 * one read of the scheduled vendors' few dashboard fields, counted here with the same rules as
 * `vendorBucketFilter` (which the bucket lists use): the embedded database answers each count by
 * scanning the collection, so nine counts and finds were nine scans. The assessment counts are one
 * grouping, for the same reason.
 */
export async function dashboardData(now: Date): Promise<DashboardData> {
  const timeZone = institutionTimeZone()
  const { h30, h60, h90, coverageSince } = dashboardWindows(now, timeZone)
  const { start: timelineStart, end: timelineEndDate, months } = timelineWindow(now, timeZone)
  const [settings, vendors, byStatus] = await Promise.all([
    getSettings(),
    listDashboardVendors(),
    countByStatus([...AWAITING_VENDOR, ...AWAITING_REVIEW]),
  ])
  const statusCount = (statuses: readonly string[]) => byStatus.filter((group) => statuses.includes(group._id)).reduce((sum, group) => sum + group.count, 0)
  const inProgress = statusCount(AWAITING_VENDOR)
  const awaitingReview = statusCount(AWAITING_REVIEW)

  // This month through the month twelve months ahead (schedule/timeline.ts).
  const timeline = months.map((month) => ({
    month,
    count: 0,
    vendors: [] as (VendorRef & { day: string })[],
  }))
  const timelineEnd = timelineEndDate.getTime()
  const byMonth = new Map(timeline.map((entry) => [entry.month, entry]))

  let overdue = 0
  let due30 = 0
  let due60 = 0
  let due90 = 0
  let active = 0
  const uncovered: DashboardVendor[] = []
  const upcoming: DashboardVendor[] = []
  const risk = TIERS.map((tier) => ({
    tier,
    counts: Object.fromEntries([...RESIDUAL_RISKS, 'unassessed'].map((level) => [level, 0])) as DashboardData['risk'][number]['counts'],
  }))
  const nowTime = now.getTime()
  for (const vendor of vendors) {
    const due = vendor.reassessment?.nextDueAt?.getTime()
    if (due !== undefined) {
      if (due < nowTime) overdue++
      else {
        if (due <= h30.getTime()) due30++
        if (due <= h60.getTime()) due60++
        if (due <= h90.getTime()) due90++
      }
      if (due >= timelineStart.getTime() && due <= timelineEnd) upcoming.push(vendor)
    }
    if (vendor.status === 'active') {
      active++
      const last = vendor.assessmentSummary?.lastAssessedAt
      if (!last || last.getTime() < coverageSince.getTime()) uncovered.push(vendor)
    }
    const row = risk.find((entry) => entry.tier === vendor.effectiveTier)
    if (row) {
      const level = vendor.assessmentSummary?.residualRisk
      row.counts[level && RESIDUAL_RISKS.includes(level) ? level : 'unassessed']++
    }
  }
  const uncoveredTotal = uncovered.length
  const covered = active - uncoveredTotal
  // Lowest tier first, never assessed before the longest unassessed (as the list page sorts).
  const lastAssessed = (vendor: DashboardVendor) => vendor.assessmentSummary?.lastAssessedAt?.getTime() ?? -Infinity
  const uncoveredList = uncovered.sort((a, b) => a.effectiveTier - b.effectiveTier || lastAssessed(a) - lastAssessed(b)).slice(0, 8)

  upcoming.sort((a, b) => a.reassessment!.nextDueAt!.getTime() - b.reassessment!.nextDueAt!.getTime())
  for (const vendor of upcoming) {
    const due = vendor.reassessment!.nextDueAt!
    const entry = byMonth.get(monthKey(due, timeZone))
    if (!entry) continue
    entry.count++
    if (entry.vendors.length < 4) entry.vendors.push({ ...refOf(vendor), day: dayKey(due, timeZone) })
  }

  const contractWindow = { from: now, to: endOfDayAfter(now, settings.contractExpiryWarningDays, timeZone) }
  const [contractTotal, contractList] = await Promise.all([countExpiringContracts(contractWindow), listExpiringContracts({ ...contractWindow, limit: 6 })])
  const contractVendors = await listVendorsByIds(contractList.map((contract) => contract.vendorId), 'name')
  const contractVendorNames = new Map(contractVendors.map((vendor) => [vendor._id.toString(), legalNameOf(vendor)]))

  return {
    timeZone,
    today: dayKey(now, timeZone),
    counts: { overdue, due30, due60, due90, inProgress, awaitingReview },
    coverage: { active, covered, percent: active === 0 ? 100 : Math.floor((covered / active) * 1000) / 10, uncovered: uncoveredList.map(refOf), uncoveredTotal },
    timeline: timeline.map(({ month, count, vendors: shown }) => ({ month, count, vendors: shown })),
    risk,
    contracts: {
      total: contractTotal,
      withinDays: settings.contractExpiryWarningDays,
      list: contractList.map((contract) => ({
        id: contract._id.toString(),
        vendorId: contract.vendorId.toString(),
        vendor: contractVendorNames.get(contract.vendorId.toString()) ?? { 'zh-CN': '', en: '' },
        reference: contract.reference,
        expiresAt: contract.expiresAt!.toISOString(),
      })),
    },
  }
}

function refOf(vendor: DashboardVendor): VendorRef {
  return { id: vendor._id.toString(), legalName: legalNameOf(vendor), lastAssessedAt: isoOrNull(vendor.assessmentSummary?.lastAssessedAt), tier: vendor.effectiveTier }
}

export interface BucketRow {
  id: string
  legalName: LegalName
  tier: number
  status: string
  nextDueAt: string | null
  lastAssessedAt: string | null
  residualRisk: string | null
  assessment: { id: string; status: string; dueAt: string } | null
  contract: { id: string; reference: string; expiresAt: string } | null
  /** Why the sweep could not issue this vendor's reassessment, if it could not. */
  issueFailure: { reason: IssueFailureReason; at: string } | null
}

/** The vendors behind one figure of the dashboard (at most LIST_LIMIT, with the total). */
export async function bucketVendors(bucket: Bucket, now: Date): Promise<{ rows: BucketRow[]; total: number; limit: number }> {
  const timeZone = institutionTimeZone()
  const assessments = new Map<string, { id: string; status: string; dueAt: string }>()
  const contracts = new Map<string, { id: string; reference: string; expiresAt: string }>()
  let which: BucketVendors
  let total: number

  if (bucket.kind === 'inProgress' || bucket.kind === 'awaitingReview') {
    const statuses = bucket.kind === 'inProgress' ? AWAITING_VENDOR : AWAITING_REVIEW
    const due = await listDueFirst(statuses, LIST_LIMIT)
    total = due.total
    const list = due.rows
    for (const assessment of list) {
      assessments.set(assessment.vendorId.toString(), { id: assessment._id.toString(), status: assessment.status, dueAt: assessment.dueAt.toISOString() })
    }
    which = { ids: list.map((assessment) => assessment.vendorId) }
  } else if (bucket.kind === 'contracts') {
    const settings = await getSettings()
    const window = { from: now, to: endOfDayAfter(now, settings.contractExpiryWarningDays, timeZone) }
    total = await countExpiringContracts(window)
    const list = await listExpiringContracts({ ...window, limit: LIST_LIMIT })
    for (const contract of list) {
      contracts.set(contract.vendorId.toString(), { id: contract._id.toString(), reference: contract.reference, expiresAt: contract.expiresAt!.toISOString() })
    }
    which = { ids: list.map((contract) => contract.vendorId) }
  } else {
    which = { bucket, now, timeZone }
    total = await countBucketVendors(which)
  }

  const vendors = await listBucketVendors(which, LIST_LIMIT)
  if (assessments.size === 0 && bucket.kind !== 'contracts' && vendors.length) {
    const open = await listOfVendors(vendors.map((vendor) => vendor._id), [...AWAITING_VENDOR, ...AWAITING_REVIEW])
    for (const assessment of open) {
      assessments.set(assessment.vendorId.toString(), { id: assessment._id.toString(), status: assessment.status, dueAt: assessment.dueAt.toISOString() })
    }
  }
  const rows = vendors.map((vendor) => ({
    id: vendor._id.toString(),
    legalName: legalNameOf(vendor),
    tier: vendor.effectiveTier,
    status: vendor.status,
    nextDueAt: isoOrNull(vendor.reassessment?.nextDueAt),
    lastAssessedAt: isoOrNull(vendor.assessmentSummary?.lastAssessedAt),
    residualRisk: vendor.assessmentSummary?.residualRisk ?? null,
    assessment: assessments.get(vendor._id.toString()) ?? null,
    contract: contracts.get(vendor._id.toString()) ?? null,
    issueFailure: vendor.reassessment?.issueError?.at
      ? { reason: issueFailureReason(vendor.reassessment.issueError.reason), at: vendor.reassessment.issueError.at.toISOString() }
      : null,
  }))
  if (bucket.kind === 'contracts') rows.sort((a, b) => (a.contract?.expiresAt ?? '').localeCompare(b.contract?.expiresAt ?? ''))
  if (bucket.kind === 'inProgress' || bucket.kind === 'awaitingReview') rows.sort((a, b) => (a.assessment?.dueAt ?? '').localeCompare(b.assessment?.dueAt ?? ''))
  return { rows, total, limit: LIST_LIMIT }
}
