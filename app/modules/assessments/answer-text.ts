// An answer as readable text (option labels in the reader's language). Pure: the staff overview,
// the conflict panel and the read-only questionnaire use it.
import type { AnswerValue } from './vocabulary'
import { localized, type Locale } from '~/i18n/locales'
import type { Question } from '~/modules/library/content-schema'

export function answerText(question: Question, value: AnswerValue | undefined, locale: Locale): string {
  if (value === null || value === undefined || value === '') return ''
  const label = (id: string) => localized(question.options?.find((option) => option.id === id)?.label, locale) || id
  if (Array.isArray(value)) return value.map(label).join(locale === 'en' ? ', ' : '、')
  if (question.kind === 'yes_no_na' || question.kind === 'single_choice') return label(String(value))
  return String(value)
}

export function formatBytes(size: number, locale: Locale): string {
  const format = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n)
  if (size < 1024) return `${size} B`
  if (size < 1024 * 1024) return `${format(size / 1024)} KB`
  return `${format(size / 1024 / 1024)} MB`
}

/** A value from the form's state (typed loosely by the form library) as an answer, or null if it is none. */
export function asAnswerValue(value: unknown): AnswerValue {
  if (typeof value === 'string' || typeof value === 'number') return value
  if (Array.isArray(value) && value.every((entry) => typeof entry === 'string')) return value
  return null
}
