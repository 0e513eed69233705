// Vendors the scheduler issues reassessments for (suspended and offboarded ones wait). Pure, so both
// the issuing and the failure mail read it without importing each other.
export const SCHEDULED_VENDOR_STATUSES = ['active', 'onboarding'] as const
