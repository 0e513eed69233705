// One zod schema per form, shared by the browser (react-hook-form) and the action.
import { PI_CATEGORIES } from '~/modules/vendors/vocabulary'
import { checkbox, manyOf, optionalText, z } from '~/modules/forms/validation'
import { INCIDENT_CAUSES, INCIDENT_SEVERITIES, INCIDENT_STATUSES, INCIDENT_TASK_KINDS, SEVERITY_JUSTIFICATION_MIN } from './vocabulary'

/** A datetime-local value ("2026-03-01T10:00"), read in the institution's time zone by the action. */
const localDateTime = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { message: 'incidents:errors.dateTime' })
const count = z.coerce.number().int().min(0).max(2_000_000_000)

/** What a reporter tells us: staff in the portal and the vendor through its link fill the same fields. */
export const incidentReportSchema = z
  .object({
    title: z.string().trim().min(5).max(200),
    description: z.string().trim().min(20).max(5000),
    occurredAt: localDateTime,
    detectedAt: localDateTime,
    notifiedAt: localDateTime,
    piCategories: manyOf(z.enum(PI_CATEGORIES), { max: PI_CATEGORIES.length }),
    recordCount: count,
    customerCount: count,
    crossBorder: checkbox,
    cause: z.enum(INCIDENT_CAUSES),
    containment: optionalText(3000),
    reporterName: z.string().trim().min(1).max(120),
  })
  // Same-zone wall-clock strings of one format compare in time order.
  .refine((value) => value.detectedAt >= value.occurredAt, { path: ['detectedAt'], message: 'incidents:errors.detectedBeforeOccurred' })
  .refine((value) => value.notifiedAt >= value.detectedAt, { path: ['notifiedAt'], message: 'incidents:errors.notifiedBeforeDetected' })
export type IncidentReportInput = z.infer<typeof incidentReportSchema>

/** Staff also say which vendor. */
export const staffIncidentSchema = incidentReportSchema.and(z.object({ vendorId: z.string().regex(/^[0-9a-f]{24}$/, { message: 'errors:required' }) }))

export const transitionSchema = z.object({
  intent: z.literal('transition'),
  to: z.enum(INCIDENT_STATUSES),
  note: optionalText(1000),
  version: z.coerce.number().int().min(0),
})

export const severityOverrideSchema = z.object({
  intent: z.literal('severity'),
  severity: z.union([z.enum(INCIDENT_SEVERITIES), z.literal('computed')]),
  justification: z.string().trim().min(SEVERITY_JUSTIFICATION_MIN).max(2000),
  version: z.coerce.number().int().min(0),
})

export const taskUpdateSchema = z.object({
  intent: z.literal('task'),
  kind: z.enum(INCIDENT_TASK_KINDS),
  ownerId: z.string().regex(/^[0-9a-f]{24}$/, { message: 'errors:required' }),
  dueAt: localDateTime,
  done: checkbox,
  note: optionalText(1000),
  version: z.coerce.number().int().min(0),
})

export const linkIssueSchema = z.object({
  intent: z.literal('issue-link'),
  contactId: z.string().regex(/^[0-9a-f]{24}$/, { message: 'errors:required' }),
})

export const linkRevokeSchema = z.object({
  intent: z.literal('revoke-link'),
  linkId: z.string().regex(/^[0-9a-f]{24}$/, { message: 'errors:required' }),
})
