// What the vendor form starts from: empty for a new vendor, or a stored vendor's values. Pure.
import type { VendorView } from './types'

export function emptyVendorFormValues() {
  return {
    legalName: { 'zh-CN': '', en: '' },
    registration: 'domestic' as 'domestic' | 'foreign',
    creditCode: '',
    foreignRegistration: { number: '', country: '' },
    category: '',
    services: '',
    businessOwnerId: '',
    status: 'onboarding',
    contacts: [] as { name: string; email: string; phone: string; title: string; locale: string }[],
    dataProfile: {
      piCategories: [] as string[],
      sensitivity: '',
      recordCount: '',
      crossBorder: false,
      crossBorderDestinations: '',
      usesSubProcessors: false,
      subProcessors: [] as { name: string; country: string; service: string }[],
      transferMethods: [] as string[],
      legalBasis: '',
      consentOnRecord: false,
      serviceCriticality: 'standard',
    },
  }
}
export type VendorFormDefaults = ReturnType<typeof emptyVendorFormValues>

export function vendorToFormValues(vendor: VendorView): VendorFormDefaults & { version: number } {
  const profile = vendor.dataProfile
  return {
    legalName: { ...vendor.legalName },
    registration: vendor.creditCode || !vendor.foreignRegistration ? 'domestic' : 'foreign',
    creditCode: vendor.creditCode ?? '',
    foreignRegistration: { number: vendor.foreignRegistration?.number ?? '', country: vendor.foreignRegistration?.country ?? '' },
    category: vendor.category,
    services: vendor.services,
    businessOwnerId: vendor.businessOwner?.id ?? '',
    status: vendor.status,
    contacts: vendor.contacts.map((contact) => ({
      name: contact.name,
      email: contact.email,
      phone: contact.phone ?? '',
      title: contact.title ?? '',
      locale: contact.locale,
    })),
    dataProfile: {
      piCategories: [...profile.piCategories],
      sensitivity: profile.sensitivity,
      recordCount: String(profile.recordCount),
      crossBorder: profile.crossBorder,
      crossBorderDestinations: profile.crossBorderDestinations.join(', '),
      usesSubProcessors: profile.usesSubProcessors,
      subProcessors: profile.subProcessors.map((sub) => ({ ...sub })),
      transferMethods: [...profile.transferMethods],
      legalBasis: profile.legalBasis ?? '',
      consentOnRecord: profile.consentOnRecord,
      serviceCriticality: profile.serviceCriticality,
    },
    version: vendor.version,
  }
}
