// What the vendor looked like when an assessment was sent. Pure: the portal's landing page, the
// staff pages and the report read it; it never changes after the assessment is created.
import { localized, type Locale } from '~/i18n/locales'

export interface VendorSnapshot {
  vendorId: string
  legalName: { 'zh-CN'?: string; en?: string }
  category: string
  services?: string
  creditCode?: string
  effectiveTier?: number
  dataProfile: {
    piCategories: string[]
    sensitivity?: string
    recordCount?: number
    crossBorder?: boolean
    usesSubProcessors?: boolean
    serviceCriticality?: string
  }
}

type VendorLike = {
  _id?: unknown
  id?: unknown
  legalName?: { 'zh-CN'?: string | null; en?: string | null } | null
  category?: string | null
  services?: string | null
  creditCode?: string | null
  effectiveTier?: number | null
  dataProfile?: Partial<Record<keyof VendorSnapshot['dataProfile'], unknown>> | null
}

export function snapshotOfVendor(vendor: VendorLike): VendorSnapshot {
  const profile = vendor.dataProfile ?? {}
  return {
    vendorId: String(vendor._id ?? vendor.id),
    legalName: { 'zh-CN': vendor.legalName?.['zh-CN'] ?? undefined, en: vendor.legalName?.en ?? undefined },
    category: vendor.category ?? 'other',
    services: vendor.services ?? undefined,
    creditCode: vendor.creditCode ?? undefined,
    effectiveTier: vendor.effectiveTier ?? undefined,
    dataProfile: {
      piCategories: Array.isArray(profile.piCategories) ? profile.piCategories.map(String) : [],
      sensitivity: typeof profile.sensitivity === 'string' ? profile.sensitivity : undefined,
      recordCount: typeof profile.recordCount === 'number' ? profile.recordCount : undefined,
      crossBorder: typeof profile.crossBorder === 'boolean' ? profile.crossBorder : undefined,
      usesSubProcessors: typeof profile.usesSubProcessors === 'boolean' ? profile.usesSubProcessors : undefined,
      serviceCriticality: typeof profile.serviceCriticality === 'string' ? profile.serviceCriticality : undefined,
    },
  }
}

export function vendorName(snapshot: Pick<VendorSnapshot, 'legalName'> | null | undefined, locale: Locale): string {
  return localized(snapshot?.legalName, locale) || '—'
}
