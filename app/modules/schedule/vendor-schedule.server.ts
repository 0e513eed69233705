// What a vendor's schedule panel shows: the cadence in force and where it comes from, the next
// due date, the last assessment and every trigger recorded for the vendor. Plain values only.
import { Types } from 'mongoose'
import { findOpenAssessmentId } from '~/modules/assessments/assessment-store.server'
import { findVendorSchedule } from '~/modules/vendors/vendor-store.server'
import { OPEN_STATUSES } from '~/modules/assessments/vocabulary'
import { cadenceFor, type CadenceSource } from './cadence'
import { getSettings } from './settings.server'
import { isoOrNull } from '~/modules/dates/dates'

export interface VendorScheduleTrigger {
  reason: string
  detail: string | null
  byName: string | null
  at: string | null
  dueAt: string | null
}

export interface VendorSchedule {
  cadence: { months: number; source: CadenceSource; vendorMonths: number | null }
  nextDueAt: string | null
  issued: boolean
  lastAssessedAt: string | null
  openAssessmentId: string | null
  triggers: VendorScheduleTrigger[]
}


export async function getVendorSchedule(vendorId: string): Promise<VendorSchedule | null> {
  if (!/^[0-9a-f]{24}$/i.test(vendorId)) return null
  const id = new Types.ObjectId(vendorId)
  const [vendor, settings, open] = await Promise.all([
    findVendorSchedule(id),
    getSettings(),
    findOpenAssessmentId(id, OPEN_STATUSES),
  ])
  if (!vendor) return null
  const vendorMonths = vendor.reassessment?.cadenceMonths ?? null
  const cadence = cadenceFor({ cadenceMonths: vendorMonths, tier: vendor.effectiveTier }, settings)
  const triggers = (vendor.reassessment?.triggers ?? [])
    .map((entry) => ({
      reason: String(entry.reason ?? ''),
      detail: entry.detail ?? null,
      byName: entry.byName ?? null,
      at: isoOrNull(entry.at),
      dueAt: isoOrNull(entry.dueAt),
    }))
    .reverse() // newest first
  return {
    cadence: { ...cadence, vendorMonths },
    nextDueAt: isoOrNull(vendor.reassessment?.nextDueAt),
    issued: Boolean(vendor.reassessment?.issuedForDueAt),
    lastAssessedAt: isoOrNull(vendor.assessmentSummary?.lastAssessedAt),
    openAssessmentId: open ? String(open._id) : null,
    triggers,
  }
}
