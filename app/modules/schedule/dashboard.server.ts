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
import { RESIDUAL_RISKS, TIERS } from '~/modules/vendors/vocabulary'
import { dayKey, endOfDayIn, monthKey } from './cadence'
import { SCHEDULED_VENDOR_STATUSES } from './issue.server'
import { getSettings, institutionTimeZone } from './settings.server'
import type { Bucket } from './buckets'
import { timelineWindow } from './timeline'

export const AWAITING_REVIEW = ['submitted', 'under_review'] as const
const COVERAGE_MONTHS = 12
const LIST_LIMIT = 200

type LegalName = { 'zh-CN': string; en: string }
const legalNameOf = (vendor: { legalName?: { 'zh-CN'?: string | null; en?: string | null } | null }): LegalName => ({
  'zh-CN': vendor.legalName?.['zh-CN'] ?? '',
  en: vendor.legalName?.en ?? '',
})
const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null)

function windows(now: Date, timeZone: string) {
  return {
    h30: endOfDayIn(now, 30, timeZone),
    h60: endOfDayIn(now, 60, timeZone),
    h90: endOfDayIn(now, 90, timeZone),
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

export async function dashboardData(now: Date): Promise<DashboardData> {
  const timeZone = institutionTimeZone()
  const settings = await getSettings()
  const count = (bucket: Bucket) => VendorModel.countDocuments(vendorFilter(bucket, now, timeZone)!)
  const [overdue, due30, due60, due90, inProgress, awaitingReview] = await Promise.all([
    count({ kind: 'overdue' }),
    count({ kind: 'due30' }),
    count({ kind: 'due60' }),
    count({ kind: 'due90' }),
    AssessmentModel.countDocuments({ status: { $in: AWAITING_VENDOR } }),
    AssessmentModel.countDocuments({ status: { $in: AWAITING_REVIEW } }),
  ])

  const [active, uncoveredTotal, uncoveredList] = await Promise.all([
    VendorModel.countDocuments({ status: 'active' }),
    VendorModel.countDocuments(vendorFilter({ kind: 'uncovered' }, now, timeZone)!),
    VendorModel.find(vendorFilter({ kind: 'uncovered' }, now, timeZone)!, { legalName: 1, effectiveTier: 1, 'assessmentSummary.lastAssessedAt': 1 })
      .sort({ effectiveTier: 1, 'assessmentSummary.lastAssessedAt': 1 })
      .limit(8)
      .lean(),
  ])
  const covered = active - uncoveredTotal

  const { start: timelineStart, end: timelineEnd, months } = timelineWindow(now, timeZone)
  const upcoming = await VendorModel.find(
    { status: { $in: SCHEDULED_VENDOR_STATUSES }, 'reassessment.nextDueAt': { $gte: timelineStart, $lte: timelineEnd } },
    { legalName: 1, effectiveTier: 1, 'reassessment.nextDueAt': 1, 'assessmentSummary.lastAssessedAt': 1 },
  )
    .sort({ 'reassessment.nextDueAt': 1 })
    .lean()
  const timeline = months.map((month) => ({
    month,
    count: 0,
    vendors: [] as (VendorRef & { day: string })[],
  }))
  const byMonth = new Map(timeline.map((entry) => [entry.month, entry]))
  for (const vendor of upcoming) {
    const entry = byMonth.get(monthKey(vendor.reassessment!.nextDueAt!, timeZone))
    if (!entry) continue
    entry.count++
    if (entry.vendors.length < 4) {
      entry.vendors.push({ ...refOf(vendor), day: dayKey(vendor.reassessment!.nextDueAt!, timeZone) })
    }
  }

  const groups = await VendorModel.aggregate<{ _id: { tier: number; risk: string | null }; count: number }>([
    { $match: { status: { $in: [...SCHEDULED_VENDOR_STATUSES] } } },
    { $group: { _id: { tier: '$effectiveTier', risk: '$assessmentSummary.residualRisk' }, count: { $sum: 1 } } },
  ])
  const risk = TIERS.map((tier) => ({
    tier,
    counts: Object.fromEntries([...RESIDUAL_RISKS, 'unassessed'].map((level) => [level, 0])) as DashboardData['risk'][number]['counts'],
  }))
  for (const group of groups) {
    const row = risk.find((entry) => entry.tier === group._id.tier)
    if (!row) continue
    const level = group._id.risk && (RESIDUAL_RISKS as readonly string[]).includes(group._id.risk) ? (group._id.risk as keyof typeof row.counts) : 'unassessed'
    row.counts[level] += group.count
  }

  const contractFilter = { status: 'active', expiresAt: { $gte: now, $lte: endOfDayIn(now, settings.contractExpiryWarningDays, timeZone) } }
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
    timeline,
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
  return { id: vendor._id.toString(), legalName: legalNameOf(vendor), lastAssessedAt: iso(vendor.assessmentSummary?.lastAssessedAt), tier: vendor.effectiveTier }
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
}

/** The vendors behind one figure of the dashboard (at most LIST_LIMIT, with the total). */
export async function bucketVendors(bucket: Bucket, now: Date): Promise<{ rows: BucketRow[]; total: number; limit: number }> {
  const timeZone = institutionTimeZone()
  const projection = { legalName: 1, effectiveTier: 1, status: 1, 'reassessment.nextDueAt': 1, 'assessmentSummary.lastAssessedAt': 1, 'assessmentSummary.residualRisk': 1 }
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
    const filter = { status: 'active', expiresAt: { $gte: now, $lte: endOfDayIn(now, settings.contractExpiryWarningDays, timeZone) } }
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
    nextDueAt: iso(vendor.reassessment?.nextDueAt),
    lastAssessedAt: iso(vendor.assessmentSummary?.lastAssessedAt),
    residualRisk: vendor.assessmentSummary?.residualRisk ?? null,
    assessment: assessments.get(vendor._id.toString()) ?? null,
    contract: contracts.get(vendor._id.toString()) ?? null,
  }))
  if (bucket.kind === 'contracts') rows.sort((a, b) => (a.contract?.expiresAt ?? '').localeCompare(b.contract?.expiresAt ?? ''))
  if (bucket.kind === 'inProgress' || bucket.kind === 'awaitingReview') rows.sort((a, b) => (a.assessment?.dueAt ?? '').localeCompare(b.assessment?.dueAt ?? ''))
  return { rows, total, limit: LIST_LIMIT }
}
