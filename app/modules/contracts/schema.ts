// The contract form's schema, shared by the browser (react-hook-form) and the action.
import { manyOf, optionalText, z } from '~/modules/forms/validation'
import { VENDOR_CATEGORIES } from '~/modules/vendors/vocabulary'
import { CONTRACT_STATUSES } from './vocabulary'
import { calendarDay as calendarDayField, optionalCalendarDay, requiredText } from '~/modules/forms/fields'

const CLAUSE_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/

const calendarDay = calendarDayField()
const optionalDay = optionalCalendarDay()

const contractFields = z.object({
  reference: requiredText(60),
  title: requiredText(200),
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
