// What the offboarding pages show, as plain JSON: the staff page sees everything, the vendor's
// page only what the vendor needs.
import { findVendorFields } from '~/modules/vendors/vendor-store.server'
import { getEnv } from '~/env.server'
import { retentionEndsAt } from './rules'
import { getOffboarding } from './offboarding.server'
import { getRetentionSettings } from './retention.server'
import { listOffboardingLinks } from './offboarding-link-store.server'
import type { OffboardingAccess } from './links.server'
import type { OffboardingStatus } from './vocabulary'

export async function offboardingStatusOf(vendorId: string): Promise<OffboardingStatus | null> {
  const offboarding = await getOffboarding(vendorId)
  return offboarding?.status ?? null
}

export async function staffOffboardingView(vendorId: string) {
  const offboarding = await getOffboarding(vendorId)
  if (!offboarding) return null
  const links = await listOffboardingLinks(offboarding._id, 'recipients')
  const { retentionYears } = await getRetentionSettings()
  return {
    id: String(offboarding._id),
    status: offboarding.status,
    reason: offboarding.reason,
    endDate: offboarding.endDate,
    startedBy: offboarding.startedBy?.name ?? '',
    startedAt: offboarding.startedAt.toISOString(),
    categories: offboarding.categories,
    clause: offboarding.clause ? { id: offboarding.clause.id ?? '', title: { 'zh-CN': offboarding.clause.title?.['zh-CN'] ?? '', en: offboarding.clause.title?.en ?? '' }, text: { 'zh-CN': offboarding.clause.text?.['zh-CN'] ?? '', en: offboarding.clause.text?.en ?? '' } } : null,
    cancelledAssessmentIds: offboarding.cancelledAssessmentIds,
    recipients: [...new Set(links.map((link) => link.email))],
    reminders: offboarding.reminders.map((reminder) => reminder.key ?? ''),
    response: offboarding.response?.submittedAt
      ? {
          categories: (offboarding.response.categories ?? []).map((entry) => ({ category: entry.category ?? '', disposal: entry.disposal ?? '', method: entry.method ?? '', date: entry.date ?? '' })),
          certificate: offboarding.response.certificate ? { filename: offboarding.response.certificate.filename ?? '', size: offboarding.response.certificate.size ?? 0 } : null,
          attestation: { name: offboarding.response.attestation?.name ?? '', title: offboarding.response.attestation?.title ?? '', email: offboarding.response.attestation?.email ?? '' },
          submittedAt: offboarding.response.submittedAt.toISOString(),
        }
      : null,
    reviews: offboarding.reviews.map((review) => ({ decision: review.decision ?? '', comment: review.comment ?? '', byName: review.byName ?? '', at: review.at?.toISOString() ?? '' })),
    acceptedAt: offboarding.acceptedAt?.toISOString() ?? null,
    retentionYears,
    retainUntil: offboarding.acceptedAt ? retentionEndsAt(offboarding.acceptedAt, retentionYears).toISOString() : null,
    deletedAt: offboarding.retention?.deletedAt?.toISOString() ?? null,
  }
}

/** The vendor's page: the request, nothing about the institution's staff or its reasons. */
export async function vendorOffboardingView(access: OffboardingAccess) {
  const { offboarding, link } = access
  const vendorName = (await findVendorFields(offboarding.vendorId, 'name'))?.legalName
  const lastReview = offboarding.reviews.at(-1)
  return {
    institution: getEnv().INSTITUTION_NAME,
    vendorName: { 'zh-CN': vendorName?.['zh-CN'] ?? undefined, en: vendorName?.en ?? undefined },
    contactName: link.name,
    status: offboarding.status,
    endDate: offboarding.endDate,
    categories: offboarding.categories,
    clause: offboarding.clause ? { title: { 'zh-CN': offboarding.clause.title?.['zh-CN'] ?? undefined, en: offboarding.clause.title?.en ?? undefined }, text: { 'zh-CN': offboarding.clause.text?.['zh-CN'] ?? undefined, en: offboarding.clause.text?.en ?? undefined } } : null,
    sentBackComment: offboarding.status === 'requested' && lastReview?.decision === 'sent_back' ? (lastReview.comment ?? '') : null,
  }
}
