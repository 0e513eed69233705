// Plain shapes of vendors as they leave the data layer (ids and dates as strings). Pure types,
// shared by the server modules and the pages.
import type { Locale } from '~/i18n/locales'
import type { TierReason } from './tiering'
import type { LegalBasis, PiCategory, SensitivityLevel, ServiceCriticality, Tier, TransferMethod, VendorCategory, VendorStatus } from './vocabulary'

export interface VendorContactView {
  id: string
  name: string
  email: string
  phone: string | null
  title: string | null
  locale: Locale
}

export interface VendorView {
  id: string
  legalName: { 'zh-CN': string; en: string }
  creditCode: string | null
  foreignRegistration: { number: string; country: string } | null
  category: VendorCategory
  services: string
  businessOwner: { id: string; name: string; email: string } | null
  contacts: VendorContactView[]
  status: VendorStatus
  dataProfile: {
    piCategories: PiCategory[]
    sensitivity: SensitivityLevel
    recordCount: number
    crossBorder: boolean
    crossBorderDestinations: string[]
    usesSubProcessors: boolean
    subProcessors: { name: string; country: string; service: string }[]
    transferMethods: TransferMethod[]
    legalBasis: LegalBasis | null
    consentOnRecord: boolean
    serviceCriticality: ServiceCriticality
  }
  tier: {
    computed: Tier
    reasons: TierReason[]
    override: { tier: Tier; justification: string; byUserId: string | null; byName: string; at: string } | null
  }
  effectiveTier: Tier
  assessmentSummary: { lastAssessedAt: string | null; lastAssessmentId: string | null; controlScore: number | null; residualRisk: string | null } | null
  reassessment: { cadenceMonths: number | null; nextDueAt: string | null }
  version: number
  createdAt: string
  updatedAt: string
}

export interface VendorListRow {
  id: string
  legalName: { 'zh-CN': string; en: string }
  registration: string // credit code, or the foreign registration number
  country: string | null // foreign vendors only
  category: VendorCategory
  status: VendorStatus
  effectiveTier: Tier
  overridden: boolean
  sensitivity: SensitivityLevel
  recordCount: number
  crossBorder: boolean
  nextDueAt: string | null
  updatedAt: string
}

export interface VendorListPage {
  rows: VendorListRow[]
  total: number
  page: number
  pageSize: number
  pageCount: number
}
