// The review settings admins choose on Admin → Settings. Pure: the form's schema and the defaults.
import { z } from '~/modules/forms/validation'
import { TIERS, type Tier } from '~/modules/vendors/vocabulary'

export interface ReviewSettings {
  /** Inherent risk tiers on which the person who reviewed may not be the one who signs off. */
  makerCheckerTiers: Tier[]
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = { makerCheckerTiers: [1, 2] }

/** One checkbox per tier (`makerChecker1` … `makerChecker4`); a form posted without JavaScript sends "on" or nothing. */
export const reviewSettingsFormSchema = z.object({
  intent: z.literal('review-settings'),
  reviewVersion: z.coerce.number().int().min(0),
  ...Object.fromEntries(TIERS.map((tier) => [`makerChecker${tier}`, z.union([z.boolean(), z.literal('on'), z.literal('true'), z.literal('')]).optional()])),
}) as z.ZodType<{ intent: 'review-settings'; reviewVersion: number } & Record<string, unknown>>

export function reviewSettingsFromForm(value: Record<string, unknown>): ReviewSettings {
  const on = (raw: unknown) => raw === true || raw === 'on' || raw === 'true'
  return { makerCheckerTiers: TIERS.filter((tier) => on(value[`makerChecker${tier}`])) }
}
