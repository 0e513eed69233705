// The contract form's schema, shared by the browser (react-hook-form) and the action.
import { manyOf, optionalText, z } from '~/modules/forms/validation'
import { VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'
import { CONTRACT_STATUSES } from './vocabulary'

const CLAUSE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/

function isCalendarDay(value: string) {
  const [year, month, day] = value.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && year >= 1990 && year <= 2200
}

const calendarDay = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'errors:date')
  .refine(isCalendarDay, 'errors:date')

const optionalDay = z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), calendarDay.optional())

const contractFields = z.object({
  reference: z.string().trim().min(1).max(60),
  title: z.string().trim().min(1).max(200),
  effectiveAt: calendarDay,
  expiresAt: optionalDay,
  status: z.enum(CONTRACT_STATUSES),
  clauseIds: manyOf(z.string().regex(CLAUSE_ID), { min: 1, max: 200 }),
  templateCategory: z.preprocess((value) => (value === '' ? undefined : value), z.enum(VENDOR_CATEGORIES).optional()),
  note: optionalText(500), // why it changed, kept in the history
})

const expiryAfterStart = (values: { effectiveAt: string; expiresAt?: string }) => !values.expiresAt || values.expiresAt >= values.effectiveAt
const expiryMessage = { path: ['expiresAt'], message: 'contracts:errors.expiryBeforeEffective' }

export const contractSchema = contractFields.refine(expiryAfterStart, expiryMessage)
export type ContractValues = z.infer<typeof contractSchema>

/** Editing also carries the version the form was loaded with, so a concurrent change is noticed. */
export const contractEditSchema = contractFields.extend({ version: z.coerce.number().int().min(0) }).refine(expiryAfterStart, expiryMessage)
export type ContractEditValues = z.infer<typeof contractEditSchema>
