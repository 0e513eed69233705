import { ROLES } from './roles'
import { LOCALES } from '~/i18n/locales'
import { z } from '~/modules/forms/validation'
import { requiredText } from '~/modules/forms/fields'

export const signInSchema = z.object({
  email: z.email().trim().toLowerCase(),
  password: z.string().min(1),
  redirectTo: z.string().optional(),
})

export const newUserSchema = z.object({
  name: requiredText(100),
  email: z.email().trim().toLowerCase(),
  role: z.enum(ROLES),
  locale: z.enum(LOCALES),
  password: z.string().min(12).max(200),
})

export const localeChoiceSchema = z.object({
  locale: z.enum(LOCALES),
  redirectTo: z.string().optional(),
})

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(200),
    newPassword: z.string().min(12).max(200),
    confirmPassword: z.string().min(1).max(200),
  })
  .superRefine((value, context) => {
    if (value.confirmPassword !== value.newPassword) context.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'auth:changePassword.mismatch' })
  })

export const resetPasswordSchema = z.object({ intent: z.literal('reset-password'), userId: z.string().regex(/^[0-9a-f]{24}$/i, 'errors:format') })

/** A code from the authenticator app (6 digits) or a recovery code (16 letters and digits). */
export const twoFactorCodeSchema = z.object({
  code: z.string().trim().min(6).max(40),
  redirectTo: z.string().optional(),
})

export const twoFactorIntentSchema = z.object({ intent: z.enum(['confirm', 'disable']), code: z.string().trim().min(6).max(40) })

export const userIdIntentSchema = z.object({ intent: z.enum(['reset-two-factor', 'end-sessions']), userId: z.string().regex(/^[0-9a-f]{24}$/i, 'errors:format') })
