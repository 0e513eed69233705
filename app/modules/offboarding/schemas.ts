// The offboarding forms' schemas, shared by the browser and the actions. Pure.
import { PI_CATEGORIES, type PiCategory } from '~/modules/vendors/vocabulary'
import { checkbox, z } from '~/modules/forms/validation'
import { DISPOSALS } from './vocabulary'
import { MAX_RETENTION_YEARS } from './rules'

/** "2026-02-30" is not a day: the string must name a real calendar date. */
export const calendarDay = z
  .string()
  .trim()
  .min(1)
  .refine((value) => {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
    if (!match) return false
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
    const date = new Date(Date.UTC(year, month - 1, day))
    return year >= 2000 && year <= 2100 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  }, 'offboarding:errors.day')

export const startOffboardingSchema = z.object({
  intent: z.literal('start'),
  reason: z.string().trim().min(1).max(1000),
  endDate: calendarDay,
})

export const reviewOffboardingSchema = z
  .object({
    intent: z.literal('review'),
    decision: z.enum(['accept', 'send_back']),
    comment: z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), z.string().max(2000).optional()),
  })
  .superRefine((value, context) => {
    if (value.decision === 'send_back' && !value.comment) context.addIssue({ code: 'custom', path: ['comment'], message: 'offboarding:errors.commentRequired' })
  })

const categoryAnswer = z.object({
  disposal: z.enum(DISPOSALS),
  method: z.string().trim().min(1).max(500),
  date: calendarDay,
})

export interface VendorResponse {
  /** One entry per category the vendor was asked about (the schema below requires each). */
  categories: Partial<Record<PiCategory, z.output<typeof categoryAnswer>>>
  attestationName: string
  attestationTitle: string
  confirm: boolean
}

/** The vendor's answer: one entry per category it was asked about, and the attestation. */
export function vendorResponseSchema(categories: readonly PiCategory[]) {
  return z.object({
    categories: z.object(Object.fromEntries(categories.map((category) => [category, categoryAnswer])) as Record<PiCategory, typeof categoryAnswer>),
    attestationName: z.string().trim().min(1).max(200),
    attestationTitle: z.string().trim().min(1).max(200),
    confirm: checkbox.refine((value) => value, 'offboarding:errors.confirm'),
  })
}
export const anyCategory = z.enum(PI_CATEGORIES)

export const retentionSettingsSchema = z.object({
  intent: z.literal('retention'),
  retentionYears: z.coerce.number().int().min(1).max(MAX_RETENTION_YEARS),
  retentionVersion: z.coerce.number().int().min(0),
})

export const confirmDeletionSchema = z.object({
  offboardingId: z.string().regex(/^[a-f0-9]{24}$/),
  confirm: checkbox.refine((value) => value, 'offboarding:errors.confirmDeletion'),
})
