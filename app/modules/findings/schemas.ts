// The findings forms and list query. Pure: one schema each, shared by the browser and the action.
import { SEVERITIES } from '~/modules/library/content-schema'
import { optionalText, z } from '~/modules/forms/validation'
import { FINDING_OWNERS, FINDING_STATUSES } from './vocabulary'
import { calendarDay } from '~/modules/forms/fields'

const REMEDIATION_MAX = 4000

/** A calendar day, YYYY-MM-DD (the server turns it into the end of that day in the institution's time zone). */
const day = calendarDay()

export const findingUpdateSchema = z
  .object({
    version: z.coerce.number().int().min(0),
    severity: z.enum(SEVERITIES),
    status: z.enum(FINDING_STATUSES),
    owner: z.enum(FINDING_OWNERS),
    ownerName: optionalText(120),
    dueAt: day,
    remediation: z.object({
      'zh-CN': z.string().trim().max(REMEDIATION_MAX).default(''),
      en: z.string().trim().max(REMEDIATION_MAX).default(''),
    }),
    riskJustification: optionalText(2000),
    riskApprover: optionalText(120),
    comment: optionalText(1000),
  })
  .superRefine((value, context) => {
    if (!value.remediation['zh-CN'] && !value.remediation.en) {
      context.addIssue({ code: 'custom', path: ['remediation', 'en'], message: 'findings:errors.remediationRequired' })
    }
    if (value.status === 'risk_accepted') {
      if (!value.riskJustification || value.riskJustification.length < 10) {
        context.addIssue({ code: 'custom', path: ['riskJustification'], message: 'findings:errors.riskJustification' })
      }
      if (!value.riskApprover) context.addIssue({ code: 'custom', path: ['riskApprover'], message: 'findings:errors.riskApprover' })
    }
  })

export type FindingUpdateInput = z.output<typeof findingUpdateSchema>

const blankToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value)

/** The cross-vendor list's filters, from the URL. Anything unknown is ignored rather than refused. */
export const findingListQuerySchema = z.object({
  severity: z.preprocess(blankToUndefined, z.enum(SEVERITIES).optional()).catch(undefined),
  status: z.preprocess(blankToUndefined, z.enum(FINDING_STATUSES).optional()).catch(undefined),
  owner: z.preprocess(blankToUndefined, z.enum(FINDING_OWNERS).optional()).catch(undefined),
  vendor: z.preprocess(blankToUndefined, z.string().regex(/^[0-9a-f]{24}$/i).optional()).catch(undefined),
  overdue: z.preprocess((value) => value === '1' || value === 'on' || value === 'true', z.boolean()).catch(false),
  page: z.coerce.number().int().min(1).max(10_000).catch(1),
})

export type FindingListQuery = z.output<typeof findingListQuerySchema>

export function parseFindingListQuery(searchParams: URLSearchParams): FindingListQuery {
  return findingListQuerySchema.parse(Object.fromEntries(searchParams.entries()))
}
