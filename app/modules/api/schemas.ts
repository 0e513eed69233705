// The REST API's query and body schemas. Bodies are the forms' own schemas (one schema per
// concept); list queries take the list pages' filters plus the keyset cursor. Pure: the handlers
// validate with these and the OpenAPI document is generated from them (openapi.server.ts).
import { findingUpdateSchema } from '~/modules/findings/schemas'
import { SEVERITIES } from '~/modules/library/content-schema'
import { FINDING_OWNERS, FINDING_STATUSES } from '~/modules/findings/vocabulary'
import { ASSESSMENT_STATUSES } from '~/modules/assessments/vocabulary'
import { z } from '~/modules/forms/validation'
import { VENDOR_CATEGORIES, VENDOR_STATUSES } from '~/modules/vendors/vocabulary'

export const objectIdParam = z.string().regex(/^[0-9a-f]{24}$/)

/** An opaque cursor: the last item's id in base64url (docs/decisions/036-api-pagination.md). */
export const cursorParam = z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'api:errors.cursor')
export const encodeCursor = (id: string) => Buffer.from(id, 'hex').toString('base64url')
export function decodeCursor(cursor: string): string | null {
  const bytes = Buffer.from(cursor, 'base64url')
  return bytes.length === 12 ? bytes.toString('hex') : null
}

export const DEFAULT_LIMIT = 25
export const MAX_LIMIT = 100
const page = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: cursorParam.optional(),
}

const boolParam = z.enum(['true', 'false']).transform((value) => value === 'true')

/** The vendor list page's filters (q searches names and registration numbers). */
export const vendorListParams = z.strictObject({
  q: z.string().trim().min(1).max(100).optional(),
  tier: z.coerce.number().int().min(1).max(4).optional(),
  category: z.enum(VENDOR_CATEGORIES).optional(),
  status: z.enum(VENDOR_STATUSES).optional(),
  ...page,
})

export const assessmentListParams = z.strictObject({
  status: z.enum([...ASSESSMENT_STATUSES, 'overdue', 'open']).optional(),
  vendorId: objectIdParam.optional(),
  q: z.string().trim().min(1).max(100).optional(),
  ...page,
})

export const findingListParams = z.strictObject({
  severity: z.enum(SEVERITIES).optional(),
  status: z.enum(FINDING_STATUSES).optional(),
  owner: z.enum(FINDING_OWNERS).optional(),
  vendorId: objectIdParam.optional(),
  overdue: boolParam.optional(),
  ...page,
})

export const incidentListParams = z.strictObject({
  vendorId: objectIdParam.optional(),
  open: boolParam.optional(),
  ...page,
})

/** The dashboard's figures that list vendors by what is due. */
export const SCHEDULE_BUCKETS = ['overdue', 'due-30', 'due-60', 'due-90', 'in-progress', 'awaiting-review', 'uncovered', 'contracts', 'not-issued'] as const
export const scheduleParams = z.strictObject({ bucket: z.enum(SCHEDULE_BUCKETS).default('overdue') })

/**
 * A finding's change through the API: the status with its justification (`comment`, and for an
 * accepted risk `riskJustification` and `riskApprover`), other fields optional. The fields and
 * their rules are the finding form's (findingUpdateSchema): the handler fills in what is left out
 * from the stored finding and the form's schema checks the whole.
 */
const findingFields = findingUpdateSchema.shape
export const findingPatchSchema = z.strictObject({
  status: findingFields.status,
  comment: z.string().trim().min(1).max(1000),
  riskJustification: findingFields.riskJustification,
  riskApprover: findingFields.riskApprover,
  severity: findingFields.severity.optional(),
  owner: findingFields.owner.optional(),
  ownerName: findingFields.ownerName,
  dueAt: findingFields.dueAt.optional(),
  remediation: findingFields.remediation.optional(),
  version: findingFields.version.optional(),
})

export { SEVERITIES, FINDING_STATUSES, FINDING_OWNERS }
