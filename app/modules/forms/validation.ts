import type { TFunction } from 'i18next'
import { z } from 'zod'
import { isPlainText } from './plain-text'

// Zod messages are i18n keys ("errors:tooShort|{"minimum":3}"), so one schema gives field
// errors in either language, in the browser and in the action alike.
function key(name: string, params?: Record<string, unknown>) {
  return params ? `errors:${name}|${JSON.stringify(params)}` : `errors:${name}`
}

z.config({
  customError(issue) {
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined || issue.input === null || issue.input === '' ? key('required') : key('invalidType')
      case 'too_small': {
        const minimum = Number(issue.minimum)
        if (issue.origin === 'string') return minimum <= 1 ? key('required') : key('tooShort', { minimum })
        if (issue.origin === 'array' || issue.origin === 'set') return minimum <= 1 ? key('chooseOne') : key('tooFew', { minimum })
        if (issue.origin === 'date') return key('dateTooEarly')
        return key('tooSmall', { minimum })
      }
      case 'too_big': {
        const maximum = Number(issue.maximum)
        if (issue.origin === 'string') return key('tooLong', { maximum })
        if (issue.origin === 'array' || issue.origin === 'set') return key('tooMany', { maximum })
        if (issue.origin === 'date') return key('dateTooLate')
        return key('tooBig', { maximum })
      }
      case 'invalid_format':
        if (issue.format === 'email') return key('email')
        if (issue.format === 'url') return key('url')
        return key('format')
      case 'invalid_value':
        return key('choice')
      case 'unrecognized_keys':
        return key('unknownField')
      default:
        return key('invalid')
    }
  },
})

export { z }

/** Turns a message from a schema (an i18n key, maybe with parameters) into text. */
export function translateError(t: TFunction, message: string | undefined): string | undefined {
  if (!message) return undefined
  const separator = message.indexOf('|')
  const messageKey = separator < 0 ? message : message.slice(0, separator)
  let params: Record<string, unknown> = {}
  if (separator >= 0) {
    try {
      params = JSON.parse(message.slice(separator + 1))
    } catch {
      params = {}
    }
  }
  return t(messageKey, params) as string
}

/** Accepts one value or many (a checkbox group posted without JavaScript sends one or several). */
export function manyOf<T extends z.ZodType>(item: T, { min = 0, max = 1000 }: { min?: number; max?: number } = {}) {
  return z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(item).min(min).max(max),
  )
}

/** An optional text field: empty input becomes undefined; what is typed must be plain text (see fields.ts). */
export const optionalText = (max = 500) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .trim()
      .max(max)
      .refine((value) => isPlainText(value, { multiline: true }), 'errors:text')
      .optional(),
  )

/** A checkbox: "on"/"true" are true, absence is false. */
export const checkbox = z.preprocess((value) => value === true || value === 'on' || value === 'true', z.boolean())

export type FieldErrors = Record<string, string[]>

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.') || '_form'
    ;(errors[path] ??= []).push(issue.message)
  }
  return errors
}
