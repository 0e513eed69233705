// Offboarding's e-mails, each in its recipient's language: the data-return/deletion request to
// vendor contacts (and its reminders), escalations to staff, and the retention notice to admins.
import { appUrl, getEnv } from '~/env.server'
import { translatorFor } from '~/i18n/i18n.server'
import { isLocale, localized, type Locale } from '~/i18n/locales'
import { renderMail } from '~/modules/mail/layout'
import { sendMail, type SendResult } from '~/modules/mail/mail.server'
import { formatCalendarDay, formatDay } from '~/modules/dates/dates'

type LegalName = { 'zh-CN'?: string | null; en?: string | null } | null | undefined
type Localized = { 'zh-CN'?: string | null; en?: string | null } | null | undefined

const nameOf = (legalName: LegalName, locale: Locale) => localized({ 'zh-CN': legalName?.['zh-CN'] ?? undefined, en: legalName?.en ?? undefined }, locale) || '—'
const textOf = (text: Localized, locale: Locale) => localized({ 'zh-CN': text?.['zh-CN'] ?? undefined, en: text?.en ?? undefined }, locale)
const localeOf = (value: unknown): Locale => (isLocale(value) ? value : 'zh-CN')
/** "2026-03-31" shown as a day in the reader's language. */
const showDay = formatCalendarDay

export type VendorMailPurpose = 'request' | 'reminder' | 'overdue' | 'sentBack'

export async function sendVendorOffboardingMail(input: {
  purpose: VendorMailPurpose
  to: { name: string; email: string; locale?: string | null }
  vendorName: LegalName
  endDate: string
  categories: string[]
  clause: { title?: Localized; text?: Localized } | null | undefined
  comment?: string
  link: string
  expiresAt: Date
  offboardingId: string
  dedupeKey: string
}): Promise<SendResult> {
  const locale = localeOf(input.to.locale)
  const t = await translatorFor(locale, 'offboarding')
  const tv = await translatorFor(locale, 'vendors')
  const env = getEnv()
  const params = {
    name: input.to.name,
    vendor: nameOf(input.vendorName, locale),
    institution: env.INSTITUTION_NAME,
    end: showDay(input.endDate, locale),
    expires: formatDay(input.expiresAt, locale, env.INSTITUTION_TIMEZONE),
    comment: input.comment ?? '',
  }
  const categories = input.categories.length ? input.categories.map((category) => `• ${tv(`piCategory.${category}`)}`).join('\n') : t('mail.noCategories')
  const paragraphs = [t(`mail.vendor.${input.purpose}.intro`, params)]
  if (input.comment) paragraphs.push(t('mail.comment', params))
  paragraphs.push(`${t('mail.categories')}\n${categories}`)
  if (input.clause) paragraphs.push(`${t('mail.clause')} ${textOf(input.clause.title, locale)}: ${textOf(input.clause.text, locale)}`)
  paragraphs.push(t('mail.what'), t('mail.personal', params))
  const body = renderMail({ greeting: t('mail.greeting', params), paragraphs, action: { label: t('mail.action'), url: input.link }, footer: t('mail.footer', params) })
  return sendMail({
    to: input.to.email,
    subject: t(`mail.vendor.${input.purpose}.subject`, params),
    ...body,
    locale,
    kind: `offboarding-${input.purpose}`,
    dedupeKey: input.dedupeKey,
    related: { kind: 'offboarding', id: input.offboardingId },
  })
}

export interface StaffRecipient {
  id: string
  name: string
  email: string
  locale?: string | null
}

export async function sendOffboardingEscalation(input: { recipient: StaffRecipient; vendorId: string; vendorName: LegalName; endDate: string; daysOverdue: number; offboardingId: string; dedupeKey: string }) {
  const locale = localeOf(input.recipient.locale)
  const t = await translatorFor(locale, 'offboarding')
  const params = { name: input.recipient.name, vendor: nameOf(input.vendorName, locale), end: showDay(input.endDate, locale), count: input.daysOverdue, institution: getEnv().INSTITUTION_NAME }
  const body = renderMail({
    greeting: t('mail.greeting', params),
    paragraphs: [t('mail.escalation.intro', params), t('mail.escalation.next', params)],
    action: { label: t('mail.escalation.action'), url: `${appUrl()}/vendors/${input.vendorId}/offboarding` },
    footer: t('mail.footer', params),
  })
  return sendMail({ to: input.recipient.email, subject: t('mail.escalation.subject', params), ...body, locale, kind: 'offboarding-escalation', dedupeKey: input.dedupeKey, related: { kind: 'offboarding', id: input.offboardingId } })
}

export async function sendRetentionDueMail(input: { recipient: StaffRecipient; vendors: { name: LegalName }[]; dedupeKey: string }) {
  const locale = localeOf(input.recipient.locale)
  const t = await translatorFor(locale, 'offboarding')
  const params = { name: input.recipient.name, count: input.vendors.length, institution: getEnv().INSTITUTION_NAME }
  const body = renderMail({
    greeting: t('mail.greeting', params),
    paragraphs: [t('mail.retention.intro', params), input.vendors.map((vendor) => `• ${nameOf(vendor.name, locale)}`).join('\n'), t('mail.retention.next', params)],
    action: { label: t('mail.retention.action'), url: `${appUrl()}/admin/retention` },
    footer: t('mail.footer', params),
  })
  return sendMail({ to: input.recipient.email, subject: t('mail.retention.subject', params), ...body, locale, kind: 'retention-due', dedupeKey: input.dedupeKey, related: { kind: 'retention', id: 'due' } })
}
