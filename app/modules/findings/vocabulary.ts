// Findings' fixed vocabularies. Pure: shared by the model, the review screens, filters and reports.
export const FINDING_STATUSES = ['open', 'in_progress', 'closed', 'risk_accepted'] as const
export type FindingStatus = (typeof FINDING_STATUSES)[number]

/** Statuses that still need work: counted as open, and can be overdue. */
export const UNRESOLVED_FINDING_STATUSES: readonly FindingStatus[] = ['open', 'in_progress']

/** Who must remediate: the vendor, or someone at the institution. */
export const FINDING_OWNERS = ['vendor', 'internal'] as const
export type FindingOwner = (typeof FINDING_OWNERS)[number]

/** What a finding was generated from: a clause the answers fail, or a gap in the answers. */
export const FINDING_SOURCES = ['clause', 'missing_answer', 'missing_evidence', 'low_coverage', 'incident'] as const
export type FindingSource = (typeof FINDING_SOURCES)[number]

/** Entries of a finding's history. */
export const FINDING_EVENTS = ['created', 'updated', 'status', 'refreshed', 'auto_resolved', 'reopened'] as const
export type FindingEvent = (typeof FINDING_EVENTS)[number]
