// The forms of a vendor's schedule panel: bringing the reassessment forward and the vendor's own
// cadence. Pure: one schema each, shared by the page and its action.
import { z } from '~/modules/forms/validation'
import { MAX_CADENCE_MONTHS } from './settings'

const isCalendarDay = (value: string) => {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

export const bringForwardSchema = z
  .object({
    intent: z.literal('bringForward'),
    reason: z.string().trim().min(5).max(500),
    when: z.enum(['date', 'now']),
    dueAt: z.string().trim().optional(),
  })
  .superRefine((value, context) => {
    if (value.when !== 'date') return
    if (!value.dueAt) context.addIssue({ code: 'custom', path: ['dueAt'], message: 'errors:required' })
    else if (!/^\d{4}-\d{2}-\d{2}$/.test(value.dueAt) || !isCalendarDay(value.dueAt)) context.addIssue({ code: 'custom', path: ['dueAt'], message: 'errors:date' })
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
