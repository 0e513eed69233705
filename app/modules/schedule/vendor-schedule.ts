// The forms of a vendor's schedule panel: bringing the reassessment forward and the vendor's own
// cadence. Pure: one schema each, shared by the page and its action.
import { z } from '~/modules/forms/validation'
import { MAX_CADENCE_MONTHS } from './settings'
import { calendarDay, requiredText } from '~/modules/forms/fields'

export const bringForwardSchema = z
  .object({
    intent: z.literal('bringForward'),
    reason: requiredText(500, { min: 5, multiline: true }),
    when: z.enum(['date', 'now']),
    dueAt: z.string().trim().optional(),
  })
  .superRefine((value, context) => {
    if (value.when !== 'date') return
    if (!value.dueAt) context.addIssue({ code: 'custom', path: ['dueAt'], message: 'errors:required' })
    else {
      const day = calendarDay().safeParse(value.dueAt)
      if (!day.success) context.addIssue({ code: 'custom', path: ['dueAt'], message: day.error.issues[0]?.message ?? 'errors:date' })
    }
  })

export const cadenceSchema = z.object({
  intent: z.literal('cadence'),
  // Empty: no cadence of its own (the tier's or the default applies).
  cadenceMonths: z.preprocess(
    (value) => (value === '' || value === undefined || value === null ? null : value),
    z.coerce.number().int().min(1).max(MAX_CADENCE_MONTHS).nullable(),
  ),
})

export type BringForwardInput = z.output<typeof bringForwardSchema>
export type CadenceInput = z.output<typeof cadenceSchema>
