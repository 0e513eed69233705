// The vendor inventory's fixed vocabularies. Pure: used by schemas, forms, tiering and models.
export const VENDOR_CATEGORIES = [
  'payment_platform',
  'cloud_it',
  'marketing',
  'collection_agency',
  'credit_reporting',
  'insurance_intermediary',
  'other',
] as const
export type VendorCategory = (typeof VENDOR_CATEGORIES)[number]

export const VENDOR_STATUSES = ['onboarding', 'active', 'suspended', 'offboarded'] as const
export type VendorStatus = (typeof VENDOR_STATUSES)[number]

/** Categories of customer personal information shared with a vendor. */
export const PI_CATEGORIES = [
  'identity',
  'account_auth',
  'transactions',
  'financial_credit',
  'biometric',
  'location',
  'contact',
] as const
export type PiCategory = (typeof PI_CATEGORIES)[number]

/** JR/T 0171-2020 levels: C3 authentication data, C2 identity & transactions, C1 low sensitivity. */
export const SENSITIVITY_LEVELS = ['C3', 'C2', 'C1'] as const
export type SensitivityLevel = (typeof SENSITIVITY_LEVELS)[number]

export const TRANSFER_METHODS = ['api', 'file_transfer', 'manual'] as const
export type TransferMethod = (typeof TRANSFER_METHODS)[number]

export const LEGAL_BASES = ['separate_consent', 'consent', 'contract_necessity', 'legal_obligation', 'other'] as const
export type LegalBasis = (typeof LEGAL_BASES)[number]

export const SERVICE_CRITICALITY = ['critical', 'important', 'standard'] as const
export type ServiceCriticality = (typeof SERVICE_CRITICALITY)[number]

/** Inherent risk tier: 1 critical … 4 low. */
export const TIERS = [1, 2, 3, 4] as const
export type Tier = (typeof TIERS)[number]

export const RESIDUAL_RISKS = ['low', 'medium', 'high', 'critical'] as const
export type ResidualRisk = (typeof RESIDUAL_RISKS)[number]
