// Offboarding's fixed vocabularies. Pure: used by the model, the schemas and the pages.
export const OFFBOARDING_STATUSES = [
  'requested', // the vendor has been asked to return or delete the data
  'submitted', // the vendor answered with a certificate and an attestation
  'accepted', // compliance accepted: the vendor is offboarded
] as const
export type OffboardingStatus = (typeof OFFBOARDING_STATUSES)[number]

/** What the vendor did with one category of data. */
export const DISPOSALS = ['returned', 'deleted'] as const
export type Disposal = (typeof DISPOSALS)[number]

/** The contract clause on return or deletion at the end of the relationship (questionnaires/clauses.yaml). */
export const RETURN_DELETION_CLAUSE_ID = 'RET-END-01'

/** Days a request link keeps working after the end date (or after the request, when that is later). */
export const LINK_DAYS_AFTER_END = 30
