// The reports' inputs, parsed before anything reaches a query. Pure: shared by the pages and the server.
import { LOCALES } from '~/i18n/locales'
import { TIERS, VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'
import { z } from '~/modules/forms/validation'
import { optionalCalendarDay } from '~/modules/forms/fields'

export const reportDownloadQuery = z.object({ lang: z.enum(LOCALES) })

export const verifySchema = z.object({ fingerprint: z.string().trim().min(1).max(200) })

export const BATCH_STATUS_SETS = ['all', 'completed', 'open'] as const
export const BATCH_MAX_REPORTS = 200

const optionalDate = optionalCalendarDay()

/** The filters of a batch download, from the page's GET form or its POST. */
export const batchFilterSchema = z
  .object({
    status: z.enum(BATCH_STATUS_SETS).default('all'),
    tier: z.preprocess((value) => (value === '' || value === null ? undefined : value), z.coerce.number().int().min(1).max(TIERS.length).optional()),
    category: z.preprocess((value) => (value === '' || value === null ? undefined : value), z.enum(VENDOR_CATEGORIES).optional()),
    from: optionalDate,
    to: optionalDate,
    lang: z.enum(LOCALES).default('zh-CN'),
  })
  .refine((value) => !value.from || !value.to || value.from <= value.to, { path: ['to'], message: 'errors:dateTooEarly' })

export type BatchFilter = z.output<typeof batchFilterSchema>
