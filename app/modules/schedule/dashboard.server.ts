// The procurement dashboard's figures and the vendor lists behind each of them. Every figure has
// a bucket; /schedule/<bucket> lists the vendors that make it, with the same filter.
import { subMonths } from 'date-fns'
import { TZDate } from '@date-fns/tz'
import { endOfMonth, startOfMonth } from 'date-fns'
import { Types } from 'mongoose'
import { AssessmentModel } from '~models/assessment'
import { ContractModel } from '~models/contract'
import { VendorModel } from '~models/vendor'
import { AWAITING_VENDOR } from '~/modules/assessments/status'
import { AWAITING_REVIEW } from '~/modules/assessments/lifecycle'
import { RESIDUAL_RISKS, TIERS } from '~/modules/vendors/vocabulary'
import { dayKey, endOfDayAfter, monthKey } from './cadence'
import { SCHEDULED_VENDOR_STATUSES } from './issue.server'
import { issueFailedFilter, issueFailureReason, type IssueFailureReason } from './issue-failure.server'
import { getSettings, institutionTimeZone } from './settings.server'
import type { Bucket } from './buckets'
import { timelineWindow } from './timeline'
import { isoOrNull } from '~/modules/dates/dates'

const COVERAGE_MONTHS = 12
const LIST_LIMIT = 200

type LegalName = { 'zh-CN': string; en: string }
const legalNameOf = (vendor: { legalName?: { 'zh-CN'?: string | null; en?: string | null } | null }): LegalName => ({
  'zh-CN': vendor.legalName?.['zh-CN'] ?? '',
  en: vendor.legalName?.en ?? '',
})

function windows(now: Date, timeZone: string) {
  return {
    h30: endOfDayAfter(now, 30, timeZone),
    h60: endOfDayAfter(now, 60, timeZone),
    h90: endOfDayAfter(now, 90, timeZone),
    coverageSince: subMonths(now, COVERAGE_MONTHS),
  }
}

/** The vendor filter behind each vendor-based figure (assessment-based ones are handled apart). */
function vendorFilter(bucket: Bucket, now: Date, timeZone: string): Record<string, unknown> | null {
  const { h30, h60, h90, coverageSince } = windows(now, timeZone)
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

type ScheduledVendor = {
  _id: Types.ObjectId
  status: string
  legalName?: { 'zh-CN'?: string | null; en?: string | null } | null
  effectiveTier: number
  reassessment?: { nextDueAt?: Date | null } | null
  assessmentSummary?: { lastAssessedAt?: Date | null; residualRisk?: string | null } | null
}

/**
 * The dashboard's figures. The vendor-based ones (due windows, coverage, timeline, risk) come from
 * one read of the scheduled vendors' few dashboard fields, counted here with the same rules as
 * `vendorFilter` (which the bucket lists use): the embedded database answers each count by
 * scanning the collection, so nine counts and finds were nine scans. The assessment counts are one
 * grouping, for the same reason.
 */
export async function dashboardData(now: Date): Promise<DashboardData> {
  const timeZone = institutionTimeZone()
  const { h30, h60, h90, coverageSince } = windows(now, timeZone)
  const { start: timelineStart, end: timelineEndDate, months } = timelineWindow(now, timeZone)
  const [settings, vendors, byStatus] = await Promise.all([
    getSettings(),
    VendorModel.find(
      { status: { $in: [...SCHEDULED_VENDOR_STATUSES] } },
      { status: 1, legalName: 1, effectiveTier: 1, 'reassessment.nextDueAt': 1, 'assessmentSummary.lastAssessedAt': 1, 'assessmentSummary.residualRisk': 1 },
    ).lean<ScheduledVendor[]>(),
    AssessmentModel.aggregate<{ _id: string; count: number }>([
      { $match: { status: { $in: [...AWAITING_VENDOR, ...AWAITING_REVIEW] } } },
      { $group: { _id: '$status', count: { $sum: 1 } } },
    ]),
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
  const uncovered: ScheduledVendor[] = []
  const upcoming: ScheduledVendor[] = []
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
      row.counts[level && (RESIDUAL_RISKS as readonly string[]).includes(level) ? (level as keyof typeof row.counts) : 'unassessed']++
    }
  }
  const uncoveredTotal = uncovered.length
  const covered = active - uncoveredTotal
  // Lowest tier first, never assessed before the longest unassessed (as the list page sorts).
  const lastAssessed = (vendor: ScheduledVendor) => vendor.assessmentSummary?.lastAssessedAt?.getTime() ?? -Infinity
  const uncoveredList = uncovered.sort((a, b) => a.effectiveTier - b.effectiveTier || lastAssessed(a) - lastAssessed(b)).slice(0, 8)

  upcoming.sort((a, b) => a.reassessment!.nextDueAt!.getTime() - b.reassessment!.nextDueAt!.getTime())
  for (const vendor of upcoming) {
    const due = vendor.reassessment!.nextDueAt!
    const entry = byMonth.get(monthKey(due, timeZone))
    if (!entry) continue
    entry.count++
    if (entry.vendors.length < 4) entry.vendors.push({ ...refOf(vendor), day: dayKey(due, timeZone) })
  }

  const contractFilter = { status: 'active', expiresAt: { $gte: now, $lte: endOfDayAfter(now, settings.contractExpiryWarningDays, timeZone) } }
  const [contractTotal, contractList] = await Promise.all([
    ContractModel.countDocuments(contractFilter),
    ContractModel.find(contractFilter, { vendorId: 1, reference: 1, expiresAt: 1 }).sort({ expiresAt: 1 }).limit(6).lean(),
  ])
  const contractVendors = await VendorModel.find({ _id: { $in: contractList.map((contract) => contract.vendorId) } }, { legalName: 1 }).lean()
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

function refOf(vendor: { _id: Types.ObjectId; legalName?: { 'zh-CN'?: string | null; en?: string | null } | null; effectiveTier: number; assessmentSummary?: { lastAssessedAt?: Date | null } | null }): VendorRef {
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
  const projection = {
    legalName: 1,
    effectiveTier: 1,
    status: 1,
    'reassessment.nextDueAt': 1,
    'reassessment.issueError': 1,
    'assessmentSummary.lastAssessedAt': 1,
    'assessmentSummary.residualRisk': 1,
  }
  const assessments = new Map<string, { id: string; status: string; dueAt: string }>()
  const contracts = new Map<string, { id: string; reference: string; expiresAt: string }>()
  let vendorQuery: Record<string, unknown>
  let total: number

  if (bucket.kind === 'inProgress' || bucket.kind === 'awaitingReview') {
    const statuses = bucket.kind === 'inProgress' ? AWAITING_VENDOR : AWAITING_REVIEW
    const filter = { status: { $in: statuses } }
    total = await AssessmentModel.countDocuments(filter)
    const list = await AssessmentModel.find(filter, { vendorId: 1, status: 1, dueAt: 1 }).sort({ dueAt: 1 }).limit(LIST_LIMIT).lean()
    for (const assessment of list) {
      assessments.set(assessment.vendorId.toString(), { id: assessment._id.toString(), status: assessment.status, dueAt: assessment.dueAt.toISOString() })
    }
    vendorQuery = { _id: { $in: list.map((assessment) => assessment.vendorId) } }
  } else if (bucket.kind === 'contracts') {
    const settings = await getSettings()
    const filter = { status: 'active', expiresAt: { $gte: now, $lte: endOfDayAfter(now, settings.contractExpiryWarningDays, timeZone) } }
    total = await ContractModel.countDocuments(filter)
    const list = await ContractModel.find(filter, { vendorId: 1, reference: 1, expiresAt: 1 }).sort({ expiresAt: 1 }).limit(LIST_LIMIT).lean()
    for (const contract of list) {
      contracts.set(contract.vendorId.toString(), { id: contract._id.toString(), reference: contract.reference, expiresAt: contract.expiresAt!.toISOString() })
    }
    vendorQuery = { _id: { $in: list.map((contract) => contract.vendorId) } }
  } else {
    vendorQuery = vendorFilter(bucket, now, timeZone)!
    total = await VendorModel.countDocuments(vendorQuery)
  }

  const vendors = await VendorModel.find(vendorQuery, projection).sort({ 'reassessment.nextDueAt': 1, effectiveTier: 1 }).limit(LIST_LIMIT).lean()
  if (assessments.size === 0 && bucket.kind !== 'contracts' && vendors.length) {
    const open = await AssessmentModel.find({ vendorId: { $in: vendors.map((vendor) => vendor._id) }, status: { $in: [...AWAITING_VENDOR, ...AWAITING_REVIEW] } }, { vendorId: 1, status: 1, dueAt: 1 }).lean()
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
